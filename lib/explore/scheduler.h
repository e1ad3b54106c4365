/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scheduler.h - the exploration scheduler (sched.c): simulated threads as
 * coroutines on one OS thread, resumed one step at a time by a scheduler
 * whose choices a strategy (DFS, PCT, replay) makes.  One call runs one
 * execution.  (Not sched.h: on this include path that would hide the C
 * library's <sched.h>.)
 */
#ifndef EQS_EXPLORE_SCHEDULER_H
#define EQS_EXPLORE_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include "choice.h"
#include "coro.h"
#include "driver.h"
#include "error.h"
#include "eqssim.h"
#include "memory_model.h"
#include "spin_watch.h"

#define EXPLORE_STACK	    (128 * 1024)
#define EXPLORE_SPIN_TICK_S 1.0 /* CPU seconds between looks for a thread that never yields */
#define EXPLORE_STACK_SLACK (8 * 1024) /* below the deepest yield: calls that never yield */

struct explore_strategy;

struct explorer {
	const struct eqs_variant *v;
	enum eqs_model model;	 /* sc, tso or arm-ifetch */
	bool list_points;	 /* fill points[] and boundaries[] (cfg.list_points) */
	bool unbounded;		 /* no preemption bound: who ran last is not state */
	struct mem_model *mm;	 /* NULL under sc */
	unsigned ncpu, nthreads; /* the patcher is thread ncpu */
	enum cpu_op actions[EQS_EXPLORE_MAX_CPUS][3 * EQS_EXPLORE_MAX_PATHS + 1];
	unsigned nr_patches; /* each patches site 0 again: generations 1, 2 */
	struct sim *sim;
	struct eqs_config sim_cfg;

	struct coro main_ctx;
	struct coro ctx[EXPLORE_MAX_THREADS];
	char *stacks[EXPLORE_MAX_THREADS];
	char *stack_low[EXPLORE_MAX_THREADS]; /* the deepest a suspension left it (sp) */
	bool finished[EXPLORE_MAX_THREADS];
	bool started[EXPLORE_MAX_THREADS];	/* has yielded once: it can be interrupted */
	uint8_t interrupt[EXPLORE_MAX_THREADS]; /* to deliver on resume: 1 an IPI, 2 an NMI */
	unsigned nmis_left;			/* this execution's NMIs still to come */
	unsigned nmi_budget;
	bool blocked[EXPLORE_MAX_THREADS];
	bool last_blocked[EXPLORE_MAX_THREADS];
	enum step pending[EXPLORE_MAX_THREADS]; /* the step each will run when resumed */
	bool pending_new[EXPLORE_MAX_THREADS];	/* ... and it is not a repeated wait */
	int cur;
	unsigned steps, preemptions;
	bool cut_off, deadlock, diverged;
	bool pruned;  /* the strategy ended it: nothing new this way */
	bool skipped; /* the strategy ended it: another shard's subtree */

	/* This execution: every choice taken, and the steps with what they read. */
	uint8_t resumes[EXPLORE_MAX_STEPS];
	unsigned nr_resumes;
	struct eqs_explore_step log[EQS_EXPLORE_TRACE_LEN];
	unsigned nr_log;

	bool step_woke; /* the step running woke the blocked threads */
	/*
	 * A thread that loops without reaching a step never yields: a tick of
	 * CPU time (spin_watch.h) finds it there two looks in a row with no
	 * yield between, abandons it and ends the execution (spun).  Read and
	 * written by that tick's signal handler: volatile, never cached.
	 */
	struct spin_watch spin;
	volatile bool in_thread; /* a simulated thread runs, not the scheduler */
	volatile bool spun;
	volatile unsigned switches, switches_seen,
		quiet_ticks; /* switches: the scheduler's count */
	/* The ordering points every execution so far met (sim_list_points). */
	unsigned nr_points, nr_boundaries;
	struct eqs_point points[EQS_EXPLORE_MAX_POINTS];
	struct eqs_point boundaries[EQS_EXPLORE_MAX_BOUNDARIES];
};

/* Set up the scenario; 0 or -ENOMEM. */
int explore_init(struct explorer *x, const struct eqs_variant *v,
		 const struct eqs_explore_config *cfg);
void explore_destroy(struct explorer *x);
/*
 * One execution, its choices made by s.  0, or a negative errno with err
 * set if the simulation cannot start (sim_init's message).
 */
int explore_execute(struct explorer *x, struct explore_strategy *s, char *err, size_t errlen);
/* Violations the execution saw (all CPUs). */
uint64_t explore_violations(struct explorer *x, struct eqs_violation *first);
/* Add the points of add[] not in set[] yet (at most max in all). */
void explore_add_points(struct eqs_point *set, unsigned *n, unsigned max,
			const struct eqs_point *add, unsigned nr_add);

#endif /* EQS_EXPLORE_SCHEDULER_H */
