/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eqssim/stress.h - stress runs: the configuration, the report and the
 * run that judges a variant on this host's real instructions.
 * Part of the public API; include <eqssim.h>, not this file.
 */
#ifndef EQSSIM_STRESS_H
#define EQSSIM_STRESS_H

#ifndef EQSSIM_H
#error "include <eqssim.h>, not <eqssim/stress.h>"
#endif

/* Configuration of one stress run.  Start from eqs_config_default(). */
struct eqs_config {
	unsigned cpus;	    /* simulated CPUs (threads); >= 1 */
	uint64_t nohz_full; /* bit n: CPU n is nohz_full (user mode is EQS) */
	uint64_t idle_cpus; /* bit n: CPU n only idles, an EQS dweller woken by interrupts */
	/*
	 * Wall-clock budget per variant, a maximum: a run ends as soon as its
	 * verdict is earned (a violation; or, for a correct variant, at least
	 * min_duration_s and min_races on every path taken), unless full_budget.
	 */
	double duration_s;
	double min_duration_s;
	uint64_t patches;	      /* stop after this many patches; 0: no limit */
	uint64_t seed;		      /* fixes the workload's choices, not the interleaving */
	unsigned min_races;	      /* exercised races a correct variant needs */
	bool full_budget;	      /* run the whole duration even once the verdict is earned */
	bool stop_on_violation;	      /* with full_budget: still end at the first violation */
	unsigned sites;		      /* text sites; a path executes all of them */
	unsigned entry_sites;	      /* noinstr entry-code sites, run before RCU exit */
	unsigned entry_patch_percent; /* share of patches that hit an entry site */
	unsigned weights[EQS_ACT_COUNT]; /* relative weights of the actions */
	uint32_t kernel_ns;		 /* length of one kernel work action */
	uint32_t user_ns;		 /* time spent in user mode per syscall */
	uint32_t idle_ns;		 /* idle period before the wake interrupt */
	uint32_t guest_ns;		 /* guest run before the guest exit */
	uint32_t patch_gap_ns;		 /* patcher pause between two patches */
	uint32_t jitter;		 /* max cpu_relax() spins at a step boundary; 0: none */
	/*
	 * Aimed races (default on): the patcher publishes the cycle-counter
	 * time its next text write starts, and a CPU whose EQS stay (user
	 * mode, wfi, a guest run) begins before it ends that stay at that
	 * time plus a seeded offset, uniform in [-aim_spread_ns,
	 * +aim_spread_ns], so that its exit's RCU update meets the patcher's
	 * window in every relative order.  The waits are the stays' own
	 * spins, before either side's window; no jitter is added on the way
	 * to an aimed race.  A stay is lengthened by at most one and a half
	 * patch gaps to meet an aim.
	 */
	bool aim;
	uint32_t aim_spread_ns;
	bool trace_time; /* timestamp every step in traces (an rdtsc or cntvct read each) */
	/*
	 * Arm's cache type (CTR_EL0), for the modelled fetch on a host whose
	 * I-cache is not coherent (arm64 stress): IDC, the dc cvau may be
	 * dropped; DIC, the ic ivau too.  Default 0, 0.
	 */
	bool ctr_idc, ctr_dic;
	uint32_t delay_ns[EQS_MAX_STEPS]; /* per step: up to this many ns, seeded */
	/*
	 * Up to two edits of the variant's ordering points (variant.h), made
	 * in this order where both apply at one boundary; zero: none.
	 */
	struct eqs_edit edit, edit2;
};

EQS_API void eqs_config_default(struct eqs_config *cfg);
/*
 * Parse "STEP=NS" into cfg->delay_ns.  Rejects unknown steps, steps inside
 * the patcher's write/barrier/read window, and malformed or zero values.
 */
EQS_API int eqs_config_set_delay(struct eqs_config *cfg, const char *spec, char *err,
				 size_t errlen);
/* Check a configuration; fills err and returns -EINVAL when it is unusable. */
EQS_API int eqs_config_check(const struct eqs_config *cfg, char *err, size_t errlen);

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
	/*
	 * Exercised races, derived by the library: EQS exits whose RCU update
	 * landed while a sync was in flight, once per CPU and sync.  When some
	 * sync of the run left CPUs out (did not wait for them: skipped, or
	 * given deferred work), only exits of a CPU that sync left out, with
	 * its fetched text older than the sync's write, count; otherwise (the
	 * variant waits for every CPU) every such exit does.  A correct
	 * variant is judged clean only with min_races on every exit path the
	 * workload took.
	 */
	uint64_t exercised_races;
	uint64_t exercised_races_on_path[EQS_PATH_COUNT];
	uint64_t syncs_leaving_out; /* syncs that did not wait for every CPU */
	uint64_t patches;
	uint64_t ipis_sent;
	uint64_t ipis_skipped;	/* CPUs a sync neither waited for nor gave deferred work */
	uint64_t ipis_deferred; /* CPUs a sync gave deferred work instead of waiting */
	uint64_t eqs_disturbed; /* IPIs taken by a CPU in EQS */
	uint64_t eqs_exits;	/* EQS exits, all CPUs */
	uint64_t eqs_exits_on_path[EQS_PATH_COUNT];
	/*
	 * Aimed races (cfg.aim): EQS exits timed at the patcher's next window,
	 * and those whose RCU update landed inside a sync's racy window
	 * (between its text write and its publication).
	 */
	uint64_t aimed_exits;
	uint64_t aimed_in_window;
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
	/*
	 * A hang: the run was ended because a thread finished no unit of work
	 * (a CPU action, a patch) while every live thread ran for two seconds
	 * (and what the configured delays and stays may take) of its own CPU
	 * time: stuck in a wait nobody satisfies, or looping without getting
	 * anywhere (a livelock).  A thread the host does not run is starved,
	 * not hung: load lengthens a run, and does not make it a hang.  The
	 * one wall-clock rule is a backstop for a thread blocked outside the
	 * simulation (asleep in a system call): no unit of work for a minute.
	 * hung_thread: the first one seen so (a CPU number, or
	 * EQS_HANG_PATCHER); every thread's last steps.  threads_left: threads
	 * that kept looping outside the library's waits after the waits gave
	 * up; they are parked for good (a process-lifetime leak of their run),
	 * or still looping in the variant's code: the variant (and whatever its
	 * hooks use) must then stay valid until the process ends.
	 */
	bool hung;
	unsigned hung_thread;
	unsigned threads_left;
	unsigned nr_hang_threads;
	struct eqs_hang_trace hang[EQS_MAX_CPUS + 1];
	char message[EQS_ERRLEN]; /* why the verdict is what it is */
};

/*
 * Run one variant under stress for cfg's budget and judge it against its
 * expectation for the host model.  Returns 0 with *out filled (whatever the
 * verdict), or a negative errno with err filled.
 */
EQS_API int eqs_stress_run(const struct eqs_variant *v, const struct eqs_config *cfg,
			   struct eqs_report *out, char *err, size_t errlen);

#endif /* EQSSIM_STRESS_H */
