/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pct.c - PCT, probabilistic concurrency testing (strategy.h): each run
 * gives the threads distinct random priorities and always runs the
 * highest enabled one; at each of d - 1 random steps the thread running
 * drops below every other.  A bug of depth d is found by a run with
 * probability at least 1 / (n k^(d-1)) for n threads and k steps.
 */
#include <stdlib.h>
#include <urcu/compiler.h>

#include "rng.h"
#include "scheduler.h"
#include "strategy.h"

#define MAX_CHANGES 16

struct pct {
	struct explore_strategy s;
	uint64_t rng;
	unsigned d;	      /* the depth: d - 1 change points */
	unsigned nthreads, k; /* threads, and steps in an execution (pct_start) */
	bool started;	      /* priorities drawn: else no preemption at all */
	int prio[EXPLORE_MAX_THREADS];
	unsigned change_at[MAX_CHANGES], nr_change;
};

static struct pct *pct_of(struct explore_strategy *s)
{
	return caa_container_of(s, struct pct, s);
}

/* The highest-priority enabled thread; at a change point the runner drops low. */
static int pct_pick(struct explore_strategy *s, struct explorer *x, uint64_t enabled)
{
	struct pct *p = pct_of(s);

	if (!p->started) /* measuring k: no preemption */
		return strategy_keep_running(x->cur, enabled);
	if (!(enabled & CHOICE_THREADS)) /* every thread waits: a store becomes visible */
		return __builtin_ctzll(enabled);
	for (unsigned i = 0; i < p->nr_change; i++)
		if (p->change_at[i] == x->steps && x->cur >= 0)
			p->prio[x->cur] = -(int)(i + 1);
	int best = -1;

	for (unsigned t = 0; t < x->nthreads; t++)
		if ((enabled >> t & 1) && (best < 0 || p->prio[t] > p->prio[best]))
			best = (int)t;
	return best;
}

/* The next run: distinct initial priorities d..d+n-1 in random order, and the change points. */
static bool pct_next(struct explore_strategy *s)
{
	struct pct *p = pct_of(s);

	for (unsigned t = 0; t < p->nthreads; t++)
		p->prio[t] = (int)(p->d + t);
	for (unsigned t = p->nthreads; t > 1; t--) {
		unsigned j = (unsigned)rng_below(&p->rng, t);
		int tmp = p->prio[t - 1];

		p->prio[t - 1] = p->prio[j];
		p->prio[j] = tmp;
	}
	p->nr_change = p->d - 1 < MAX_CHANGES ? p->d - 1 : MAX_CHANGES;
	for (unsigned i = 0; i < p->nr_change; i++)
		p->change_at[i] = 1 + (unsigned)rng_below(&p->rng, p->k);
	return true;
}

static void pct_free(struct explore_strategy *s)
{
	free(pct_of(s));
}

static const struct strategy_ops pct_ops = {
	.pick = pct_pick,
	.next = pct_next,
	.free = pct_free,
};

struct explore_strategy *pct_new(uint64_t seed, unsigned d)
{
	struct pct *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->s.ops = &pct_ops;
	p->rng = rng_seed(seed, 0xec7);
	p->d = d;
	return &p->s;
}

void pct_start(struct explore_strategy *s, unsigned nthreads, unsigned k)
{
	struct pct *p = pct_of(s);

	p->nthreads = nthreads;
	p->k = k;
	p->started = true;
}
