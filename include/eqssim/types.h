/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eqssim/types.h - limits, models, paths, verdicts and their names,
 * named steps, and the records of a violation.
 * Part of the public API; include <eqssim.h>, not this file.
 */
#ifndef EQSSIM_TYPES_H
#define EQSSIM_TYPES_H

#ifndef EQSSIM_H
#error "include <eqssim.h>, not <eqssim/types.h>"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The public API's functions; everything else in libeqssim is hidden. */
#if defined(__GNUC__)
#define EQS_API __attribute__((visibility("default")))
#else
#define EQS_API
#endif

/* Limits of one simulation. */
#define EQS_MAX_CPUS		  64
#define EQS_MAX_SITES		  16
#define EQS_RING_LEN		  32 /* steps kept per CPU for a violation trace */
#define EQS_MAX_VIOLATION_RECORDS 8
#define EQS_ERRLEN		  256
#define EQS_MAX_STEPS		  128
#define EQS_MAX_WORDS		  16 /* words a variant declares (struct eqs_word) */

/*
 * Models a verdict can be reached under.
 *  tso:        stress on x86_64 hardware, modelled fetch.
 *  arm64:      stress on aarch64 (silicon or qemu), modelled fetch.
 *  sc:         exploration with sequentially consistent memory.
 *              (tso is also an exploration model: x86's store buffers.)
 *  arm-ifetch: exploration under an operational model of Arm's
 *              instruction-fetch rules (eqssim/explore.h), checked against herd7.
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
	EQS_EXPECT_NA,	 /* not applicable to this model */
	EQS_EXPECT_OK,	 /* correct: no violation, enough exercised races */
	EQS_EXPECT_BUG,	 /* buggy: caught on one of its declared broken paths */
	EQS_EXPECT_HANG, /* never finishes: a wait nobody satisfies, a rendezvous never left */
};

/* The paths by which a CPU leaves an extended quiescent state. */
enum eqs_path {
	EQS_PATH_USER,	   /* el0_svc: exception entry, enable_daif, ct_user_exit */
	EQS_PATH_IDLE,	   /* wake irq, rcu_idle_exit, arch_cpu_idle_exit */
	EQS_PATH_IRQ,	   /* an interrupt taken in kernel-mode EQS: rcu_irq_enter / ct_irq_enter */
	EQS_PATH_GUEST,	   /* VHE guest exit: trap, irq enable, guest_exit */
	EQS_PATH_USER_IRQ, /* el0_irq: exception entry, enter_from_user_mode (ct_user_exit) */
	EQS_PATH_NMI,	   /* an NMI taken in kernel-mode EQS: rcu_nmi_enter / ct_nmi_enter */
	EQS_PATH_COUNT
};
#define EQS_PATH_BIT(p) (1u << (p))
#define EQS_PATHS_ALL	((1u << EQS_PATH_COUNT) - 1)

/* Workload actions a simulated CPU chooses between, by weight. */
enum eqs_action {
	EQS_ACT_KERNEL,	 /* kernel work: executes text, irqs enabled in windows */
	EQS_ACT_SYSCALL, /* return to user, run there, svc back in */
	EQS_ACT_IDLE,	 /* idle period ended by an interrupt */
	EQS_ACT_IRQ,	 /* an interrupt taken in user mode (the full user exit on nohz_full) */
	EQS_ACT_GUEST,	 /* a KVM guest run and a VHE guest exit */
	EQS_ACT_NMI,	 /* an idle period with NMIs: in wfi, in the wake irq's entry, nested */
	EQS_ACT_COUNT
};

/* Verdict of one variant against its expectation for the host's model. */
enum eqs_verdict {
	EQS_VERDICT_MATCH,
	EQS_VERDICT_MISMATCH,
	EQS_VERDICT_INCONCLUSIVE, /* correct variant, too few exercised races */
	EQS_VERDICT_ERROR,	  /* simulator error: violation on a safe path */
	EQS_VERDICT_NA,		  /* no expectation in this model (not explorable) */
	EQS_VERDICT_HANG,	  /* threads stopped making progress, and that was not expected */
};

/* The simulator's backend ("x86_64 (...)", "aarch64 (LSE ...)", ...). */
EQS_API const char *eqs_backend(void);
/* The model this host's stress runs are judged under. */
EQS_API enum eqs_model eqs_host_model(void);
EQS_API const char *eqs_model_name(enum eqs_model model);
EQS_API const char *eqs_path_name(enum eqs_path path);
EQS_API const char *eqs_action_name(enum eqs_action action);
EQS_API const char *eqs_verdict_name(enum eqs_verdict verdict);
EQS_API const char *eqs_expect_name(enum eqs_expect expect); /* "correct"/"buggy"/"hangs"/"n/a" */

/*
 * Named steps.  Every protocol step of every path (and of the patcher) has a
 * name; traces print them and --delay takes them.
 */
EQS_API int eqs_step_count(void);
EQS_API const char *eqs_step_name(int step);
/* Index of a step by name, or -ENOENT. */
EQS_API int eqs_step_lookup(const char *name);
/*
 * True for the patcher's built-in steps from the text write to its last
 * counter read: the harness never delays there, so it never closes a
 * store-buffering window by itself.  At run time the window is wider: any
 * step the patcher records between its text write and its first IPI send
 * (a registered one included) gets no delay, no jitter, no timestamp.
 */
EQS_API bool eqs_step_in_patch_window(int step);

/* One recorded step of a CPU's recent history. */
struct eqs_trace_entry {
	uint16_t step;
	uint16_t cpu;
	uint64_t ns; /* since the start of the run */
};

/*
 * The patcher's number wherever a thread is named by number (hang traces,
 * explored steps, a violation's trace): CPUs are numbered from 0.
 */
#define EQS_PATCHER 0xff

/* A thread's last steps when a run stopped making progress (a hang). */
#define EQS_HANG_STEPS	 8
#define EQS_HANG_PATCHER EQS_PATCHER /* the same number, by its older name */
struct eqs_hang_trace {
	unsigned thread; /* CPU number, or EQS_PATCHER */
	unsigned nr_steps;
	uint16_t steps[EQS_HANG_STEPS]; /* oldest first */
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

#endif /* EQSSIM_TYPES_H */
