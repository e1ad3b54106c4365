/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strategy.h - what the scheduler (sched.c) asks of an exploration
 * strategy, through an ops struct and nothing else: which choice to take,
 * and whether to go on, around each step.  Each strategy keeps its own
 * state behind its struct explore_strategy: the depth-first search
 * (dfs.c), PCT (pct.c) and a schedule's replay (replay.c, with the
 * schedule strings); litmus.c has a fixed pick of its own.
 */
#ifndef EQS_EXPLORE_STRATEGY_H
#define EQS_EXPLORE_STRATEGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "choice.h"
#include "eqssim.h"

struct explorer;
struct mem_model;
struct mem_port;
struct state_cache;

/* How a hook would have the execution end. */
enum strategy_stop {
	STRATEGY_GO_ON,
	STRATEGY_PRUNED,  /* nothing new this way: a state explored before */
	STRATEGY_CYCLE,	  /* a state this execution was in: a livelock */
	STRATEGY_SKIPPED, /* another shard's subtree */
};

/* pick's answer when every enabled choice is asleep: nothing new this way. */
#define PICK_ASLEEP (-2)

struct explore_strategy;

/* The hooks, in the order they are called; any but pick may be NULL. */
struct strategy_ops {
	/* A new execution, x reset: the memory port to plug (NULL: the model's own). */
	const struct mem_port *(*begin)(struct explore_strategy *s, struct explorer *x);
	/* Before each step, with the choices open: end the execution here? */
	enum strategy_stop (*visit)(struct explore_strategy *s, struct explorer *x,
				    uint64_t enabled);
	/* The choice to take among enabled; -1 if there is none it can take, or PICK_ASLEEP. */
	int (*pick)(struct explore_strategy *s, struct explorer *x, uint64_t enabled);
	/* The choice picked is about to run: run it, or end the execution here. */
	enum strategy_stop (*step_begin)(struct explore_strategy *s, struct explorer *x,
					 uint64_t enabled, unsigned choice);
	/* ... and it has run. */
	void (*step_end)(struct explore_strategy *s, struct explorer *x, unsigned choice);
	/* The execution is over: SKIPPED if it is another shard's. */
	enum strategy_stop (*end)(struct explore_strategy *s, struct explorer *x);
	/* Between executions (explore.c): set up the next; false when there is none. */
	bool (*next)(struct explore_strategy *s);
	void (*free)(struct explore_strategy *s);
};

struct explore_strategy {
	const struct strategy_ops *ops;
};

static inline bool strategy_next(struct explore_strategy *s)
{
	return s->ops->next && s->ops->next(s);
}

static inline void strategy_free(struct explore_strategy *s)
{
	if (s && s->ops->free)
		s->ops->free(s);
}

/* Without a reason to switch, keep running the thread that ran last. */
static inline int strategy_keep_running(int cur, uint64_t enabled)
{
	return cur >= 0 && (enabled >> cur & 1) ? cur : __builtin_ctzll(enabled);
}

/*
 * dfs.c: depth-first search within a preemption bound, recording every
 * decision and taking the untried alternatives in turn; with a state
 * table (cache, may be NULL) it prunes states explored already, under
 * cfg->reduce with sleep sets (mm: the weak model's memory, NULL under
 * sc); cfg->shard_count > 1 explores one shard's subtrees only.  NULL if
 * out of memory.
 */
struct explore_strategy *dfs_new(const struct eqs_explore_config *cfg, struct state_cache *cache,
				 struct mem_model *mm);
/* A new search from the root, within bound preemptions (UINT_MAX: none). */
void dfs_restart(struct explore_strategy *s, unsigned bound);

/*
 * pct.c: PCT with depth d (d - 1 priority change points), seeded.  Until
 * pct_start it runs each thread as long as it can (no preemption), which
 * tells the length k of an execution; next then draws each run's
 * priorities and change points.  NULL if out of memory.
 */
struct explore_strategy *pct_new(uint64_t seed, unsigned d);
void pct_start(struct explore_strategy *s, unsigned nthreads, unsigned k);

/*
 * replay.c: run one schedule string as printed, then each thread as long
 * as it can.  0, -EINVAL for a string that is no schedule of nthreads
 * threads, or -ENOMEM.
 */
int replay_new(struct explore_strategy **s, const char *schedule, unsigned nthreads);
/* The execution's resumes as "0:5,P:7,..."; parse one back (the count, or -EINVAL). */
void explore_schedule_string(const struct explorer *x, char *buf, size_t len);
int explore_parse_schedule(const char *s, unsigned nthreads, uint8_t *out, unsigned max);

#endif /* EQS_EXPLORE_STRATEGY_H */
