/*
 * eqssim.h - the whole public API of libeqssim.
 *
 * eqssim simulates, in userspace, the Linux protocol for patching kernel
 * text while some CPUs sit in an extended quiescent state (EQS: idle,
 * nohz_full user mode, a KVM guest) and are not sent the synchronising IPI.
 * Threads stand in for CPUs, a patcher thread rewrites "text" and runs a
 * protocol variant's sync, and an oracle flags any CPU that executes text
 * older than a sync that had already completed.
 *
 * Every verdict names its model (see enum eqs_model): it is only as strong
 * as the memory model of the host that produced it.
 *
 * Functions that can fail return a negative errno value and, when given an
 * error buffer, leave a one-line message in it.  The library never prints
 * and never exits.
 */
#ifndef EQSSIM_H
#define EQSSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits of one simulation. */
#define EQS_MAX_CPUS		  64
#define EQS_MAX_SITES		  16
#define EQS_RING_LEN		  32 /* steps kept per CPU for a violation trace */
#define EQS_MAX_VIOLATION_RECORDS 8
#define EQS_ERRLEN		  256
#define EQS_MAX_STEPS		  64

/*
 * Models a verdict can be reached under.
 *  tso:        stress on x86_64 hardware, modelled fetch.
 *  arm64:      stress on aarch64 (silicon or qemu), modelled fetch.
 *  sc:         exploration with sequentially consistent memory (later).
 *  arm-ifetch: Arm's instruction-fetch rules (later).
 *  c11:        the generic backend; not the real instructions.
 */
enum eqs_model {
	EQS_MODEL_TSO,
	EQS_MODEL_ARM64,
	EQS_MODEL_SC,
	EQS_MODEL_ARM_IFETCH,
	EQS_MODEL_C11,
	EQS_MODEL_COUNT
};

/* What a variant is expected to show under a model. */
enum eqs_expect {
	EQS_EXPECT_NA,	/* not applicable to this model */
	EQS_EXPECT_OK,	/* correct: no violation, enough exercised races */
	EQS_EXPECT_BUG, /* buggy: caught on one of its declared broken paths */
};

/* The paths by which a CPU leaves an extended quiescent state. */
enum eqs_path {
	EQS_PATH_USER,	/* el0_svc: exception entry, enable_daif, ct_user_exit */
	EQS_PATH_IDLE,	/* wake irq, rcu_idle_exit, arch_cpu_idle_exit */
	EQS_PATH_IRQ,	/* an interrupt taken in EQS: rcu_irq_enter */
	EQS_PATH_GUEST, /* VHE guest exit: trap, irq enable, guest_exit */
	EQS_PATH_COUNT
};
#define EQS_PATH_BIT(p) (1u << (p))
#define EQS_PATHS_ALL	((1u << EQS_PATH_COUNT) - 1)

/* Workload actions a simulated CPU chooses between, by weight. */
enum eqs_action {
	EQS_ACT_KERNEL,	 /* kernel work: executes text, irqs enabled in windows */
	EQS_ACT_SYSCALL, /* return to user, run there, svc back in */
	EQS_ACT_IDLE,	 /* idle period ended by an interrupt */
	EQS_ACT_IRQ,	 /* an interrupt taken while in user-mode EQS */
	EQS_ACT_GUEST,	 /* a KVM guest run and a VHE guest exit */
	EQS_ACT_COUNT
};

/* Verdict of one variant against its expectation for the host's model. */
enum eqs_verdict {
	EQS_VERDICT_MATCH,
	EQS_VERDICT_MISMATCH,
	EQS_VERDICT_INCONCLUSIVE, /* correct variant, too few exercised races */
	EQS_VERDICT_ERROR,	  /* simulator error: violation on a safe path */
};

/* The simulator's backend ("x86_64 (...)", "aarch64 (LSE ...)", ...). */
const char *eqs_backend(void);
/* The model this host's stress runs are judged under. */
enum eqs_model eqs_host_model(void);
const char *eqs_model_name(enum eqs_model model);
const char *eqs_path_name(enum eqs_path path);
const char *eqs_action_name(enum eqs_action action);
const char *eqs_verdict_name(enum eqs_verdict verdict);
const char *eqs_expect_name(enum eqs_expect expect); /* "correct"/"buggy"/"n/a" */

/*
 * Named steps.  Every protocol step of every path (and of the patcher) has a
 * name; traces print them and --delay takes them.
 */
int eqs_step_count(void);
const char *eqs_step_name(int step);
/* Index of a step by name, or -ENOENT. */
int eqs_step_lookup(const char *name);
/*
 * True for the patcher's steps from the text write to its last counter
 * read: the harness never delays there, so it never closes a
 * store-buffering window by itself.
 */
bool eqs_step_in_patch_window(int step);

/* Built-in protocol variants (DESIGN.md's table). */
struct eqs_variant;
int eqs_variant_count(void);
const struct eqs_variant *eqs_variant_at(int index);
/* NULL when no variant has that name. */
const struct eqs_variant *eqs_variant_find(const char *name);
const char *eqs_variant_name(const struct eqs_variant *v);
const char *eqs_variant_summary(const struct eqs_variant *v);
/* Bitmask of EQS_PATH_BIT() of the paths the variant is broken on. */
unsigned eqs_variant_broken_paths(const struct eqs_variant *v);
enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model);

/* Configuration of one stress run.  Start from eqs_config_default(). */
struct eqs_config {
	unsigned cpus;			  /* simulated CPUs (threads); >= 1 */
	uint64_t nohz_full;		  /* bit n: CPU n is nohz_full (user mode is EQS) */
	double duration_s;		  /* wall-clock budget per variant */
	uint64_t patches;		  /* stop after this many patches; 0: no limit */
	uint64_t seed;			  /* fixes the workload's choices, not the interleaving */
	unsigned min_races;		  /* exercised races a correct variant needs */
	bool stop_on_violation;		  /* end a variant's run at its first violation */
	unsigned sites;			  /* text sites; a path executes all of them */
	unsigned weights[EQS_ACT_COUNT];  /* relative weights of the actions */
	uint32_t kernel_ns;		  /* length of one kernel work action */
	uint32_t user_ns;		  /* time spent in user mode per syscall */
	uint32_t idle_ns;		  /* idle period before the wake interrupt */
	uint32_t guest_ns;		  /* guest run before the guest exit */
	uint32_t patch_gap_ns;		  /* patcher pause between two patches */
	uint32_t jitter;		  /* max cpu_relax() spins at a step boundary; 0: none */
	uint32_t delay_ns[EQS_MAX_STEPS]; /* per step: up to this many ns, seeded */
};

void eqs_config_default(struct eqs_config *cfg);
/*
 * Parse "STEP=NS" into cfg->delay_ns.  Rejects unknown steps, steps inside
 * the patcher's write/barrier/read window, and malformed or zero values.
 */
int eqs_config_set_delay(struct eqs_config *cfg, const char *spec, char *err, size_t errlen);
/* Check a configuration; fills err and returns -EINVAL when it is unusable. */
int eqs_config_check(const struct eqs_config *cfg, char *err, size_t errlen);

/* One recorded step of a CPU's recent history. */
struct eqs_trace_entry {
	uint16_t step;
	uint16_t cpu;
	uint64_t ns; /* since the start of the run */
};

/* A CPU that executed text older than a sync that had completed. */
struct eqs_violation {
	unsigned cpu;
	unsigned site;
	uint32_t fetched;   /* the generation the CPU executed */
	uint32_t synced;    /* the generation whose sync had completed */
	enum eqs_path path; /* the path by which it last left EQS */
	uint64_t ns;	    /* since the start of the run */
	unsigned nr_trace;
	struct eqs_trace_entry trace[EQS_RING_LEN]; /* oldest first */
};

/* What one variant's stress run saw. */
struct eqs_report {
	const struct eqs_variant *variant;
	enum eqs_model model;
	enum eqs_expect expected;
	enum eqs_verdict verdict;
	const char *backend;
	unsigned cpus;
	uint64_t seed;
	double seconds;

	uint64_t violations;
	uint64_t violations_on_path[EQS_PATH_COUNT];
	uint64_t exercised_races;
	uint64_t patches;
	uint64_t ipis_sent;
	uint64_t ipis_skipped;	/* CPUs a sync left out because they were in EQS */
	uint64_t ipis_deferred; /* CPUs a sync deferred work to (special flag) */
	uint64_t eqs_disturbed; /* IPIs taken by a CPU in EQS */
	uint64_t eqs_exits;	/* EQS exits, all CPUs */
	uint64_t eqs_exits_on_path[EQS_PATH_COUNT];
	uint64_t sync_ns_p50;
	uint64_t sync_ns_p99;
	int64_t first_violation_ns; /* -1: none */

	unsigned nr_records;
	struct eqs_violation records[EQS_MAX_VIOLATION_RECORDS];
	char message[EQS_ERRLEN]; /* why the verdict is what it is */
};

/*
 * Run one variant under stress for cfg's budget and judge it against its
 * expectation for the host model.  Returns 0 with *out filled (whatever the
 * verdict), or a negative errno with err filled.
 */
int eqs_stress_run(const struct eqs_variant *v, const struct eqs_config *cfg,
		   struct eqs_report *out, char *err, size_t errlen);

/*
 * Positive control: two threads run the fence-free store-buffering shape
 * (x = 1; r0 = y  ||  y = 1; r1 = x) through the harness's own step
 * bookkeeping.  *reordered counts rounds that ended r0 == r1 == 0, which
 * needs the store buffer; with_mb puts smp_mb() between store and load.
 */
int eqs_litmus_sb(uint64_t rounds, bool with_mb, uint64_t seed, uint64_t *reordered, char *err,
		  size_t errlen);

#ifdef __cplusplus
}
#endif

#endif /* EQSSIM_H */
