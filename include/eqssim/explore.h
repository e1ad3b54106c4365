/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eqssim/explore.h - systematic exploration of a small scenario, one
 * simulated thread at a time.
 * Part of the public API; include <eqssim.h>, not this file.
 */
#ifndef EQSSIM_EXPLORE_H
#define EQSSIM_EXPLORE_H

#ifndef EQSSIM_H
#error "include <eqssim.h>, not <eqssim/explore.h>"
#endif

/*
 * ---------------------------------------------------------------------------
 * Systematic exploration
 *
 * A small scenario - a patcher making 1-2 patches and 1-4 CPUs each taking
 * chosen EQS paths - is run one simulated thread at a time, switching only
 * at named steps, under a scheduler that picks who runs next: every
 * interleaving up to a preemption bound (depth-first, bound 0, 1, 2, ...),
 * or PCT's randomised priorities.  The same variant code runs; a variant
 * that blocks outside the step hooks (liburcu QSBR) is reported as not
 * explorable (n/a).
 *
 * Memory models.  Under "sc" memory is sequentially consistent: logic
 * races, not reorderings.  Under "tso" and "arm-ifetch" each thread's
 * stores wait in a buffer of its own until the scheduler makes them
 * visible (a choice like running a thread, but free: the preemption bound
 * counts thread switches, and every order in which stores become visible
 * is explored within it); a barrier or a load that must wait for them
 * makes them visible itself.  PCT makes stores visible only when they are
 * waited for or every thread is blocked.  tso: FIFO buffers drained by locked RMWs and
 * mfence (dmb, dsb), instruction fetch a data load.  arm-ifetch: stores
 * visible in any order their barriers allow (dmb, store-release and fully
 * ordered RMWs order data accesses; a dsb waits for every earlier store);
 * a CSE refetches from the point-of-unification view without waiting for
 * this CPU's stores (docs/model.md).  Loads are never reordered.
 * ---------------------------------------------------------------------------
 */
#define EQS_EXPLORE_MAX_CPUS	   4
#define EQS_EXPLORE_MAX_PATHS	   4
#define EQS_EXPLORE_TRACE_LEN	   512
#define EQS_SCHEDULE_LEN	   1024
#define EQS_EXPLORE_MAX_POINTS	   48
#define EQS_EXPLORE_MAX_BOUNDARIES 96

/* A running exploration's figures, for a status line (cfg.progress). */
struct eqs_explore_progress {
	const struct eqs_variant *variant;
	enum eqs_model model;
	enum eqs_path path; /* the scenario's first path */
	uint64_t schedules, states;
	uint64_t state_bytes; /* the state table's memory */
	unsigned bound;	      /* the preemption bound being explored (DFS, bounded) */
	double seconds;	      /* since this scenario's exploration began */
};

#define EQS_SHARD_DEPTH 6 /* choices that name a shard's subtree */

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
	bool no_state_cache;	/* DFS: re-run every schedule (see lib/explore/cache.c) */
	bool ctr_idc, ctr_dic;	/* Arm's cache type, as in eqs_config */
	/*
	 * The memory the scenario runs on: EQS_MODEL_SC (the default),
	 * EQS_MODEL_TSO or EQS_MODEL_ARM_IFETCH (see "Memory models" above).
	 */
	enum eqs_model model;
	/*
	 * Interrupts arrive where the hardware takes them: a pending IPI at
	 * any step of a CPU with interrupts on, and up to nmis NMIs (0..4,
	 * default 1) at any step of any CPU, each a scheduling choice that
	 * costs one preemption (it preempts the CPU's code), nesting as the
	 * kernel nests.  PCT takes IPIs only where the code polls.
	 */
	unsigned nmis;
	/*
	 * Up to two edits of the variant's ordering points (variant.h), made
	 * in this order where both apply at one boundary; zero: none.
	 */
	struct eqs_edit edit, edit2;
	/* Fill the report's points and boundaries (the ablation's baselines; costs ~15%). */
	bool list_points;
	/*
	 * DFS without a preemption bound: a stateful search that explores
	 * each distinct state once (the state cache is required), complete
	 * when every reachable state was explored.  preemptions is ignored.
	 */
	bool unbounded;
	/*
	 * Partial-order reduction (unbounded only): sleep sets.  Of two
	 * orders of steps that commute (different threads, no shared word
	 * that one of them writes, nothing changed outside the memory port)
	 * only one is explored on to states explored already; every
	 * reachable state is still explored, by fewer schedules.
	 */
	bool reduce;
	/*
	 * Bytes the state table may take (default 4 GiB; 0: no limit): past it
	 * an unbounded search stops incomplete, a bounded one prunes less.
	 */
	uint64_t max_memory;
	/*
	 * Run only shard shard_index of shard_count (0: no sharding): the
	 * search tree split by its first EQS_SHARD_DEPTH choices into
	 * disjoint subtrees, each owned by one shard.  The shards' union is
	 * the whole search; merge their reports (eqssim-merge).
	 */
	unsigned shard_index, shard_count;
	/*
	 * Called between executions, about every progress_seconds (0: 1 s)
	 * from the first progress_seconds on, with the figures so far.
	 */
	void (*progress)(const struct eqs_explore_progress *p, void *arg);
	void *progress_arg;
	double progress_seconds;
};

EQS_API void eqs_explore_config_default(struct eqs_explore_config *cfg);

/*
 * One step of a counterexample: who ran which step, and what it read.  A
 * "store_visible" step (tso, arm-ifetch) is a store of that thread
 * becoming visible to the others: value is what it wrote, value2 where
 * (EQS_EXPLORE_LOC: the kind of word, and the CPU or site it belongs to).
 */
struct eqs_explore_step {
	uint8_t thread; /* CPU number, or EQS_PATCHER */
	uint16_t step;
	bool has_value;
	uint32_t value;	 /* counter word, generation fetched, a result, a value stored */
	uint32_t value2; /* exec_text: the synced generation; store_visible: the word */
};
enum eqs_explore_location {
	EQS_LOC_OTHER,
	EQS_LOC_RCU_WORD, /* a CPU's RCU word (index: the CPU) */
	EQS_LOC_TEXT,	  /* a text site (index: the site) */
	EQS_LOC_SYNCED,	  /* a site's synced generation */
	EQS_LOC_IPI_ACK,  /* the ack of the IPI sent to a CPU */
};
#define EQS_EXPLORE_LOC(kind, index) ((uint32_t)(kind) << 16 | (uint32_t)(index))
#define EQS_EXPLORE_LOC_KIND(loc)    ((enum eqs_explore_location)((loc) >> 16))
#define EQS_EXPLORE_LOC_INDEX(loc)   ((unsigned)((loc)&0xffff))
#define EQS_EXPLORE_PATCHER	     EQS_PATCHER /* the same number, by its older name */

struct eqs_explore_report {
	const struct eqs_variant *variant;
	enum eqs_model model; /* the config's: sc, tso or arm-ifetch */
	enum eqs_expect expected;
	enum eqs_verdict verdict;
	bool explorable;
	bool complete; /* every schedule within the bound was run */
	/*
	 * A schedule hung (cx_* is that schedule): every live thread blocked on
	 * a wait nobody satisfies, or a livelock (no thread finished within the
	 * step limit, EXPLORE's 20,000 steps, where a scenario takes hundreds).
	 */
	bool hung;
	unsigned preemption_bound; /* the bound reached (DFS) */
	bool unbounded;		   /* DFS without a bound: complete means every state explored */
	uint64_t schedules;	   /* executions run (a cached state ends one early) */
	uint64_t states;	   /* DFS: distinct states at the last bound */
	uint64_t state_bytes;	   /* DFS: the state table's memory at its largest */
	uint64_t pruned;	   /* executions ended at a state already explored */
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
	/*
	 * With cfg.list_points: the variant's ordering points the explored
	 * schedules met (its blocks' calls).
	 */
	unsigned nr_points;
	struct eqs_point points[EQS_EXPLORE_MAX_POINTS];
	/* The step boundaries they met: where a block could be inserted. */
	unsigned nr_boundaries;
	struct eqs_point boundaries[EQS_EXPLORE_MAX_BOUNDARIES];
	char message[EQS_ERRLEN];
};

/*
 * Explore variant v in cfg's scenario under cfg->model and judge it
 * against its expectation for that model.  Returns 0 with *out filled, or a negative errno with err.
 *
 * A simulated thread that loops without reaching a step (a wait not
 * written with eqs_cpu_wait_until / eqs_patcher_wait_until) would run for
 * ever, since nothing else runs until it yields: after a second or two of
 * the calling thread's CPU time in one step, the exploration ends with
 * an error verdict naming the thread and its last step.  For that, the
 * calling thread gets a timer on its CPU clock that signals SIGXCPU, and
 * the process a SIGXCPU handler (installed at the first exploration;
 * signals not from such a timer go to the handler that was there before).
 * Not under ThreadSanitizer, which holds signals back from a spinning loop.
 */
EQS_API int eqs_explore_run(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			    struct eqs_explore_report *out, char *err, size_t errlen);

/*
 * v's EQS-exit shape on path as an AArch64 litmus test in herd7's syntax,
 * for "herd7 -variant ifetch": P1 is the CPU leaving EQS (its exit update:
 * LDADDAL, or STLR / STR for a variant's weaker exit_order; then the barriers and isb the variant runs
 * before the patched site), P0 the patcher (its write, cache maintenance,
 * barriers and read of P1's RCU word); the exists clause is the stale
 * outcome.  Found by one execution of a 1-CPU scenario: the CPU in EQS,
 * the patch, the CPU out.  0 with buf filled, or a negative errno with
 * err: -EINVAL when v does not have the shape (it never skips a CPU by
 * reading its RCU word, or does something between the update and the
 * site that is not expressed yet: an exception, a conditional isb),
 * -E2BIG past 16 instructions on a side, -ENOSPC if len is too small.
 */
EQS_API int eqs_explore_litmus(const struct eqs_variant *v, enum eqs_path path, char *buf,
			       size_t len, char *err, size_t errlen);

/*
 * ---------------------------------------------------------------------------
 * Ablation: is each ordering point needed, and under which model?
 *
 * The variant is explored as written under each model, listing the
 * ordering points its schedules meet (variant.h); then once per point and
 * model with that point removed, or weakened one step (a dsb to a dmb;
 * fully ordered to release, release to relaxed).  A point is needed under
 * a model when the variant is clean and complete there as written and
 * buggy without it; not needed when it stays clean and complete without
 * it; unknown when either exploration was incomplete, or the variant is
 * buggy as written (nothing to learn).  Each edited variant is explored
 * only in the scenarios (paths) whose schedules met the point.
 * ---------------------------------------------------------------------------
 */
#define EQS_ABLATE_MAX_ROWS 48

enum eqs_need {
	EQS_NEED_UNKNOWN,
	EQS_NEED_NEEDED,     /* buggy without it */
	EQS_NEED_NOT_NEEDED, /* clean and complete without it */
};

struct eqs_ablation_cell {
	enum eqs_need need;
	bool complete;
	uint64_t schedules;
	unsigned preemption_bound;
	enum eqs_path path; /* needed: the scenario's path that showed the bug */
	char summary[128];  /* needed: the violation in a line; unknown: why */
	char replay[EQS_SCHEDULE_LEN];
};

struct eqs_ablation_row {
	struct eqs_edit edit;
	char name[96]; /* the point and the edit: "user exit: dsb #1 -> dmb" */
	struct eqs_ablation_cell cell[EQS_MODEL_COUNT];
};

struct eqs_ablation {
	const struct eqs_variant *variant;
	unsigned nr_models;
	enum eqs_model models[3];
	/*
	 * The variant as written, per model: "not needed" means clean and
	 * complete there (the rows mean something), "needed" buggy (the
	 * summary and replay say how), "unknown" incomplete.
	 */
	struct eqs_ablation_cell baseline[EQS_MODEL_COUNT];
	unsigned nr_rows;
	struct eqs_ablation_row rows[EQS_ABLATE_MAX_ROWS];
	uint64_t explorations; /* eqs_explore_run() calls, baseline included */
	double seconds;
};

/*
 * Ablate v in cfg's scenario (its paths, CPUs, bound; cfg->model and
 * cfg->edit are ignored) under each of models.  0 with *out filled (it is
 * large: allocate it), or a negative errno with err.
 */
EQS_API int eqs_explore_ablate(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			       const enum eqs_model *models, unsigned nr_models,
			       struct eqs_ablation *out, char *err, size_t errlen);
EQS_API const char *eqs_need_name(enum eqs_need need); /* "needed", "not needed", "unknown" */
/*
 * Only the rows: the edits an ablation of v would make (its points met in
 * every schedule at bound 1 under sc, in cfg's scenario), with no cell
 * filled; for running them elsewhere (eqssim-stress --ablate).
 */
EQS_API int eqs_explore_ablation_rows(const struct eqs_variant *v,
				      const struct eqs_explore_config *cfg,
				      struct eqs_ablation *out, char *err, size_t errlen);

/*
 * ---------------------------------------------------------------------------
 * The smallest fix of a buggy variant
 *
 * Under the model asked for, every single edit that adds ordering is tried,
 * cheapest first (isb < dmb < dsb; relaxed < release < fully ordered): a
 * block inserted at each step boundary of the failing path's halves (on
 * that path, and the same boundary on every path: code the paths share)
 * and of the patcher's sync, and each update's ordering strengthened one
 * step.  The fixes are the cheapest edits under which the variant explores
 * clean and complete; each is then explored under every model.  When no
 * single edit fixes it, pairs of edits are tried, cheapest pair first (two
 * blocks at one boundary in either order), within max_seconds; when no
 * pair fixes it either, the report says so (pairs_tried, pairs_complete).
 * ---------------------------------------------------------------------------
 */
#define EQS_MAX_FIXES 16

struct eqs_fix {
	struct eqs_edit edit, edit2;	      /* edit2: the second of a pair, or none */
	char name[208];			      /* "dsb before every exit: isb #1" */
	unsigned cost;			      /* 1 isb, 2 dmb or release, 3 dsb or fully ordered */
	enum eqs_need clean[EQS_MODEL_COUNT]; /* per model: not needed = clean and complete */
};

struct eqs_fixes {
	const struct eqs_variant *variant;
	enum eqs_model model;
	struct eqs_ablation_cell baseline; /* "needed": buggy as written, as it must be */
	enum eqs_path failing_path;
	unsigned nr_fixes;
	struct eqs_fix fixes[EQS_MAX_FIXES];
	uint64_t candidates, pairs_tried, explorations;
	bool pairs_complete; /* every pair up to the cheapest fix was tried */
	double seconds;
	char message[EQS_ERRLEN];
};

EQS_API int eqs_explore_suggest_fix(const struct eqs_variant *v,
				    const struct eqs_explore_config *cfg, enum eqs_model model,
				    struct eqs_fixes *out, char *err, size_t errlen);

#endif /* EQSSIM_EXPLORE_H */
