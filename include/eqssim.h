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
	EQS_VERDICT_NA,		  /* no expectation in this model (not explorable) */
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

/*
 * ---------------------------------------------------------------------------
 * Writing a variant
 *
 * A variant is a name, the RCU layout it runs on, a patcher function and,
 * where it differs from the library's default, the code of each EQS exit
 * path, all written with the building blocks below.  The built-in variants
 * are written the same way (lib/variants.c).  Example: the reviewed patch's
 * user exit, with its isb before RCU knows the CPU left EQS:
 *
 *	static void early_isb_user_exit(struct eqs_cpu *c)
 *	{
 *		eqs_exc_entry(c);
 *		eqs_isb_if_eqs(c);
 *		eqs_enable_irqs(c);
 *		eqs_rcu_exit(c);
 *		eqs_exec_text(c);
 *	}
 * ---------------------------------------------------------------------------
 */
struct eqs_cpu;
struct eqs_patcher;
typedef void (*eqs_cpu_fn)(struct eqs_cpu *cpu);
typedef void (*eqs_patch_fn)(struct eqs_patcher *patcher);

/* What RCU's per-CPU state looks like to the CPUs and the patcher. */
enum eqs_rcu_layout {
	EQS_RCU_DYNTICKS, /* Linux 4.16 dynticks counter; bit 0 the special flag */
	EQS_RCU_CT_STATE, /* 6.x context-tracking word: counter | work | state */
	EQS_RCU_QSBR,	  /* liburcu QSBR: EQS = offline, exit = online */
};

struct eqs_variant {
	const char *name;
	const char *summary;
	enum eqs_rcu_layout rcu;
	/*
	 * The patcher: write the text and make every CPU see it (typically
	 * eqs_patch_write(), eqs_patch_cache_maint(), then the sync).  The
	 * library publishes the new generation as synced when it returns.
	 */
	eqs_patch_fn patch;
	/*
	 * Each EQS exit path, from its exception (or, for idle, from after the
	 * wake interrupt) to executing the text: it must call eqs_rcu_exit()
	 * and end with eqs_exec_text().  NULL: the library's default, which is
	 * the kernel's sequence with nothing extra (eqs_default_exit()).
	 */
	eqs_cpu_fn exit[EQS_PATH_COUNT];
	/*
	 * Each EQS entry path: return to user, idle entry (before wfi), the
	 * return from an interrupt taken in EQS, guest entry.  It must call
	 * eqs_rcu_enter().  NULL: the kernel's sequence (eqs_default_enter()).
	 */
	eqs_cpu_fn enter[EQS_PATH_COUNT];
	/* Run inside RCU's EQS exit, after the fully ordered increment, on every path. */
	eqs_cpu_fn rcu_exit_sync;
	/* Run on EQS exit when the special flag / context-tracking work was set. */
	eqs_cpu_fn deferred;
	/* Paths the variant is broken on: a violation elsewhere is a simulator error. */
	unsigned broken_paths;
	/* Expected verdict per model, indexed by enum eqs_model. */
	enum eqs_expect expect[EQS_MODEL_COUNT];
};

/* The library's default exit / entry for a path: what the kernel does with no hook. */
void eqs_default_exit(struct eqs_cpu *c, enum eqs_path path);
void eqs_default_enter(struct eqs_cpu *c, enum eqs_path path);

/*
 * CPU-side building blocks.  Each records its named step (trace, delay,
 * jitter) before it acts.
 */
void eqs_exc_entry(struct eqs_cpu *c);	 /* exception entry: a CSE, refetches the text */
void eqs_exc_return(struct eqs_cpu *c);	 /* exception return: a CSE */
void eqs_isb(struct eqs_cpu *c);	 /* isb: a CSE */
void eqs_isb_if_eqs(struct eqs_cpu *c);	 /* if (!rcu_is_watching()) isb(); */
void eqs_dsb(struct eqs_cpu *c);	 /* dsb ish (waits; does not refetch) */
void eqs_dmb(struct eqs_cpu *c);	 /* dmb ish: orders data accesses only */
void eqs_enable_irqs(struct eqs_cpu *c); /* unmask, and take what is pending */
/* RCU's EQS exit for the path being run (ct_user_exit, rcu_idle_exit, rcu_irq_enter, guest_exit). */
void eqs_rcu_exit(struct eqs_cpu *c);
/* RCU's EQS entry for the path (ct_user_enter, rcu_idle_enter, rcu_irq_exit, guest_enter). */
void eqs_rcu_enter(struct eqs_cpu *c);
bool eqs_rcu_is_watching(struct eqs_cpu *c);
/* Execute the text sites; the oracle judges each execution. */
void eqs_exec_text(struct eqs_cpu *c);
unsigned eqs_cpu_id(const struct eqs_cpu *c);

/* Patcher-side building blocks. */
void eqs_patch_write(struct eqs_patcher *p);	   /* write this patch's site */
void eqs_patch_cache_maint(struct eqs_patcher *p); /* dc cvau; dsb ish; ic ivau; dsb ish */
void eqs_smp_mb(struct eqs_patcher *p);		   /* smp_mb() */
unsigned eqs_nr_cpus(const struct eqs_patcher *p);
uint64_t eqs_all_cpus(const struct eqs_patcher *p); /* mask of every CPU */
/* Remote reads of a CPU's RCU word: plain (READ_ONCE) or fully ordered. */
int eqs_snap(struct eqs_patcher *p, unsigned cpu);
int eqs_snap_full(struct eqs_patcher *p, unsigned cpu);
/* Does a snapshot say the CPU is in EQS (RCU not watching)? */
bool eqs_snap_in_eqs(const struct eqs_patcher *p, int snap);
/* 4.16 rcu_eqs_special_set(): flag a CPU in EQS; false if it was watching. */
bool eqs_special_set(struct eqs_patcher *p, unsigned cpu);
/*
 * 6.x context-tracking work: set the sync-core work bit on cpu if its word
 * passes the gate, by cmpxchg.  gate: EQS_CT_GATE_NOT_WATCHING (RCU not
 * watching) and/or EQS_CT_GATE_STATE(s) bits (the state field says s).
 * False means the CPU must be sent an IPI instead.
 */
#define EQS_CT_STATE_KERNEL	 0
#define EQS_CT_STATE_IDLE	 1
#define EQS_CT_STATE_USER	 2
#define EQS_CT_STATE_GUEST	 3
#define EQS_CT_GATE_STATE(s)	 (1u << (s))
#define EQS_CT_GATE_NOT_WATCHING (1u << 4)
bool eqs_ct_work_set(struct eqs_patcher *p, unsigned cpu, unsigned gate);
/* Book-keeping for race accounting: this sync left cpu out (skipped / deferred). */
void eqs_skip(struct eqs_patcher *p, unsigned cpu);
void eqs_defer(struct eqs_patcher *p, unsigned cpu);
/* smp_call_function_many(): IPI the CPUs in mask (the enqueue is a full barrier). */
void eqs_smp_call_many(struct eqs_patcher *p, uint64_t mask, bool wait);
/* liburcu QSBR synchronize_rcu() (EQS_RCU_QSBR only). */
void eqs_synchronize_rcu(struct eqs_patcher *p);
/*
 * The arm64 stop_machine patcher (aarch64_insn_patch_text_sync): IPI every
 * CPU into a rendezvous, patch once all have arrived, release them; each
 * executes isb before it leaves.  Writes the text itself.
 */
void eqs_stop_machine_patch(struct eqs_patcher *p);

/*
 * Named steps of your own: registered once by name (a built-in name gives
 * its id), then recorded with eqs_cpu_step() / eqs_patcher_step().  They get
 * traces and --delay like the built-in steps.
 */
int eqs_step_register(const char *name, char *err, size_t errlen);
void eqs_cpu_step(struct eqs_cpu *c, int step);
void eqs_patcher_step(struct eqs_patcher *p, int step);

/* Variants: the built-ins, then those registered. */
int eqs_variant_count(void);
const struct eqs_variant *eqs_variant_at(int index);
/* NULL when no variant has that name. */
const struct eqs_variant *eqs_variant_find(const char *name);
/* Check a variant: a name, a patcher.  0 or -EINVAL with a message. */
int eqs_variant_check(const struct eqs_variant *v, char *err, size_t errlen);
/* Make v findable by name (it must outlive its use); -EEXIST for a taken name. */
int eqs_variant_register(const struct eqs_variant *v, char *err, size_t errlen);
const char *eqs_variant_name(const struct eqs_variant *v);
const char *eqs_variant_summary(const struct eqs_variant *v);
unsigned eqs_variant_broken_paths(const struct eqs_variant *v);
enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model);

/* Configuration of one stress run.  Start from eqs_config_default(). */
struct eqs_config {
	unsigned cpus;		/* simulated CPUs (threads); >= 1 */
	uint64_t nohz_full;	/* bit n: CPU n is nohz_full (user mode is EQS) */
	uint64_t idle_cpus;	/* bit n: CPU n only idles, an EQS dweller woken by interrupts */
	double duration_s;	/* wall-clock budget per variant */
	uint64_t patches;	/* stop after this many patches; 0: no limit */
	uint64_t seed;		/* fixes the workload's choices, not the interleaving */
	unsigned min_races;	/* exercised races a correct variant needs */
	bool stop_on_violation; /* end a variant's run at its first violation */
	unsigned sites;		/* text sites; a path executes all of them */
	unsigned entry_sites;	/* noinstr entry-code sites, run before RCU exit */
	unsigned entry_patch_percent;	 /* share of patches that hit an entry site */
	unsigned weights[EQS_ACT_COUNT]; /* relative weights of the actions */
	uint32_t kernel_ns;		 /* length of one kernel work action */
	uint32_t user_ns;		 /* time spent in user mode per syscall */
	uint32_t idle_ns;		 /* idle period before the wake interrupt */
	uint32_t guest_ns;		 /* guest run before the guest exit */
	uint32_t patch_gap_ns;		 /* patcher pause between two patches */
	uint32_t jitter;		 /* max cpu_relax() spins at a step boundary; 0: none */
	bool trace_time; /* timestamp every step in traces (an rdtsc or cntvct read each) */
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
	/*
	 * Entry code runs before RCU knows the CPU left EQS, so no deferral
	 * can cover it: patching an entry site under a sync that did not IPI
	 * (and wait for) every CPU is a protocol error, whatever the oracle saw.
	 */
	uint64_t entry_patches;
	uint64_t protocol_errors;
	uint64_t entry_violations; /* stale entry code run after its sync completed */
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
 * ---------------------------------------------------------------------------
 * Systematic exploration (model "sc")
 *
 * A small scenario - a patcher making 1-2 patches and 1-3 CPUs each taking
 * chosen EQS paths - is run one simulated thread at a time, switching only
 * at named steps, under a scheduler that picks who runs next: every
 * interleaving up to a preemption bound (depth-first, bound 0, 1, 2, ...),
 * or PCT's randomised priorities.  Memory is sequentially consistent, so it
 * finds logic races, not reorderings.  The same variant code runs; a
 * variant that blocks outside the step hooks (liburcu QSBR) is reported as
 * not explorable.
 * ---------------------------------------------------------------------------
 */
#define EQS_EXPLORE_MAX_CPUS  3
#define EQS_EXPLORE_MAX_PATHS 4
#define EQS_EXPLORE_TRACE_LEN 512
#define EQS_SCHEDULE_LEN      1024

enum eqs_explore_strategy {
	EQS_EXPLORE_DFS, /* exhaustive, iterative preemption bounding */
	EQS_EXPLORE_PCT, /* probabilistic concurrency testing */
};

struct eqs_explore_config {
	unsigned cpus;				    /* 1..EQS_EXPLORE_MAX_CPUS */
	enum eqs_path paths[EQS_EXPLORE_MAX_PATHS]; /* each CPU takes these, in order */
	unsigned nr_paths;			    /* 0: one scenario per path, each in turn */
	unsigned patches;			    /* 1 or 2 */
	enum eqs_explore_strategy strategy;
	unsigned preemptions;	/* DFS: highest bound; PCT: d - 1 change points */
	uint64_t runs;		/* PCT: schedules to try */
	uint64_t seed;		/* PCT */
	uint64_t max_schedules; /* DFS: give up (incomplete) after this many */
	double max_seconds;	/* give up (incomplete) after this long */
	const char *replay;	/* run exactly this schedule (from a report) */
	bool no_state_cache;	/* DFS: re-run every schedule (see explore_cache.c) */
};

void eqs_explore_config_default(struct eqs_explore_config *cfg);

/* One step of a counterexample: who ran which step, and what it read. */
struct eqs_explore_step {
	uint8_t thread; /* CPU number, or EQS_EXPLORE_PATCHER */
	uint16_t step;
	bool has_value;
	uint32_t value;	 /* counter word, generation fetched, or a result */
	uint32_t value2; /* exec_text: the synced generation */
};
#define EQS_EXPLORE_PATCHER 0xff

struct eqs_explore_report {
	const struct eqs_variant *variant;
	enum eqs_model model; /* EQS_MODEL_SC */
	enum eqs_expect expected;
	enum eqs_verdict verdict;
	bool explorable;
	bool complete;		   /* every schedule within the bound was run */
	unsigned preemption_bound; /* the bound reached (DFS) */
	uint64_t schedules;	   /* executions run (a cached state ends one early) */
	uint64_t states;	   /* DFS: distinct states at the last bound */
	uint64_t violations;	   /* schedules that showed a violation */
	double seconds;
	double pct_probability;	      /* PCT: lower bound of hitting a depth-d bug per run */
	uint64_t pct_runs_99;	      /* PCT: runs for 99% confidence */
	uint64_t first_violating_run; /* PCT: 1-based; 0 if none */
	/* The first violating schedule (fewest preemptions first), replayable. */
	unsigned cx_preemptions;
	enum eqs_path cx_path; /* with nr_paths 0: the scenario's path that showed it */
	char cx_schedule[EQS_SCHEDULE_LEN];
	struct eqs_violation cx_violation;
	unsigned cx_nr_steps;
	struct eqs_explore_step cx_steps[EQS_EXPLORE_TRACE_LEN];
	char message[EQS_ERRLEN];
};

/*
 * Explore variant v in cfg's scenario and judge it against its "sc"
 * expectation.  Returns 0 with *out filled, or a negative errno with err.
 */
int eqs_explore_run(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
		    struct eqs_explore_report *out, char *err, size_t errlen);

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
