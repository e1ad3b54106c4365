/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dfs.c - the exhaustive strategy: depth-first search over the decisions
 * of an execution (strategy.h).  Each execution follows the last one's
 * decisions up to the deepest with an untried alternative within the
 * preemption bound, takes it, then keeps running the thread that ran last.
 * With the state table it ends an execution at a state explored before
 * (or at one this execution was in: a livelock); sharded, it explores only
 * the subtrees its shard owns.
 */
#include <stdlib.h>
#include <urcu/compiler.h>

#include "cache.h"
#include "fingerprint.h"
#include "reduce.h"
#include "scheduler.h"
#include "strategy.h"

struct dfs {
	struct explore_strategy s;
	unsigned bound;
	struct explore_choice *choices; /* EXPLORE_MAX_STEPS of them */
	unsigned nr_choices, prefix_len;
	int decision;		   /* the decision the step running was the choice of, or -1 */
	struct state_cache *cache; /* prune states already explored (not ours) */
	/* This execution's states, by resume, to tell a cycle (a livelock) from a prune. */
	struct fingerprint *trail; /* EXPLORE_MAX_STEPS of them, with the cache */
	/* Partial-order reduction (cfg->reduce), and the state outside the port after a step. */
	struct reduce *reduce;
	struct shared_view view;
	uint64_t revisit_skip; /* the next decision's choices explored at an earlier visit */
	/* Sharding: only the subtrees whose first shard_depth choices hash to shard_index. */
	unsigned shard_index, shard_count, shard_depth;
};

static struct dfs *dfs_of(struct explore_strategy *s)
{
	return caa_container_of(s, struct dfs, s);
}

/* Which shard owns the subtree of these first choices. */
static unsigned shard_of(const struct explore_choice *choices, unsigned n, unsigned shard_count)
{
	uint64_t h = 0x243f6a8885a308d3ull ^ n;

	for (unsigned i = 0; i < n; i++) {
		h ^= choices[i].chosen + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h *= 0xbf58476d1ce4e5b9ull;
	}
	h ^= h >> 31;
	return (unsigned)(h % shard_count);
}

static bool other_shard(const struct dfs *d)
{
	return shard_of(d->choices, d->nr_choices, d->shard_count) != d->shard_index;
}

static const struct mem_port *dfs_begin(struct explore_strategy *s, struct explorer *x)
{
	struct dfs *d = dfs_of(s);

	d->nr_choices = 0;
	d->decision = -1;
	if (!d->reduce)
		return NULL;
	explore_shared_view(x, &d->view);
	reduce_reset(d->reduce, &d->view);
	d->revisit_skip = 0;
	return reduce_port(d->reduce);
}

/*
 * Was this execution in state fp before?  trail[i] is the state before
 * resume i.  A forced prefix replays the last execution's first resumes,
 * so their states are still on the trail from then (DFS only extends or
 * cuts the schedule at its last choice): only past the prefix is a
 * fingerprint taken.
 */
static bool on_trail(const struct dfs *d, const struct explorer *x, struct fingerprint fp)
{
	for (unsigned i = x->nr_resumes; i-- > 0;)
		if (d->trail[i].lo == fp.lo && d->trail[i].hi == fp.hi)
			return true;
	return false;
}

/*
 * Explored before (the caller ends the execution)?  Under reduction a
 * state explored with choices asleep that are awake now is explored again
 * for just those (revisit_skip says which to leave out at the decision).
 */
static bool seen_before(struct dfs *d, struct explorer *x, struct fingerprint fp, uint64_t enabled)
{
	uint64_t before;

	if (!d->reduce)
		return state_cache_seen(d->cache, fp, x->unbounded ? 0 : x->preemptions);
	switch (state_cache_visit(d->cache, fp, reduce_sleep(d->reduce) & enabled, &before)) {
	case CACHE_PRUNE:
		return true;
	case CACHE_AGAIN:
		d->revisit_skip = enabled & ~before;
		return false;
	case CACHE_NEW:
	default:
		return false;
	}
}

/*
 * Past the forced prefix, a state explored before ends this execution;
 * one this very execution was in is a cycle that the schedule can repeat
 * for ever: a livelock.  Only where there is a choice: from a state with
 * one, the next state follows, and is looked up in its turn.  (A cycle
 * with no choice in it is one thread alone, cut off at the step limit.)
 * Sharded, a state is looked up only inside a subtree: the shard explored
 * a state seen before only in its own subtrees.
 */
static enum strategy_stop dfs_visit(struct explore_strategy *s, struct explorer *x,
				    uint64_t enabled)
{
	struct dfs *d = dfs_of(s);
	bool choice = (enabled & (enabled - 1)) != 0;

	if (!d->cache)
		return STRATEGY_GO_ON;
	if (!choice) {
		d->trail[x->nr_resumes] = (struct fingerprint){ 0, 0 };
		return STRATEGY_GO_ON;
	}
	if (d->nr_choices < d->prefix_len || d->nr_choices < d->shard_depth)
		return STRATEGY_GO_ON;
	struct fingerprint fp = explore_fingerprint(x);

	if (seen_before(d, x, fp, enabled))
		return on_trail(d, x, fp) ? STRATEGY_CYCLE : STRATEGY_PRUNED;
	d->trail[x->nr_resumes] = fp;
	return STRATEGY_GO_ON;
}

/* Follow the prefix, then keep running; record every real choice. */
static int dfs_pick(struct explore_strategy *s, struct explorer *x, uint64_t enabled)
{
	struct dfs *d = dfs_of(s);

	d->decision = -1;
	if (!(enabled & (enabled - 1))) /* one choice only */
		return d->reduce && (reduce_sleep(d->reduce) & enabled) ? PICK_ASLEEP
									: __builtin_ctzll(enabled);
	if (d->nr_choices >= EXPLORE_MAX_STEPS)
		return strategy_keep_running(x->cur, enabled);
	struct explore_choice *ch = &d->choices[d->nr_choices];
	int pick;

	if (d->nr_choices < d->prefix_len) {
		pick = ch->chosen;
	} else {
		ch->tried = 0; /* a new decision: nothing tried yet */
		ch->sleep = ch->skip = 0;
		if (d->reduce) {
			ch->sleep = reduce_enter_decision(d->reduce, d->nr_choices, enabled);
			ch->skip = d->revisit_skip & ~ch->sleep;
			d->revisit_skip = 0;
		}
		uint64_t awake = enabled & ~(ch->sleep | ch->skip);

		if (!awake)
			return PICK_ASLEEP;
		pick = strategy_keep_running(x->cur, awake);
	}
	ch->enabled = enabled;
	ch->chosen = (uint8_t)pick;
	ch->cur = (int8_t)x->cur;
	ch->preempts_before = (uint8_t)(x->preemptions > 255 ? 255 : x->preemptions);
	d->decision = (int)d->nr_choices++;
	return pick;
}

static enum strategy_stop dfs_step_begin(struct explore_strategy *s, struct explorer *x,
					 uint64_t enabled, unsigned choice)
{
	struct dfs *d = dfs_of(s);

	(void)x;
	if ((enabled & (enabled - 1)) && d->shard_depth && d->nr_choices == d->shard_depth &&
	    other_shard(d)) {
		/* Not run: what it touches is unknown, so nothing sleeps past it. */
		if (d->reduce && d->decision >= 0)
			reduce_not_run(d->reduce, (unsigned)d->decision, choice);
		return STRATEGY_SKIPPED;
	}
	if (d->reduce)
		reduce_step_begin(d->reduce);
	return STRATEGY_GO_ON;
}

static void dfs_step_end(struct explore_strategy *s, struct explorer *x, unsigned choice)
{
	struct dfs *d = dfs_of(s);
	unsigned t = choice_thread(choice);

	if (!d->reduce)
		return;
	explore_shared_view(x, &d->view);
	struct reduce_step st = {
		.choice = choice,
		.decision = d->decision,
		.woke = x->step_woke,
		.blocked = t < x->nthreads && x->blocked[t],
		.shared = &d->view,
	};

	if (d->decision >= 0)
		st.explored = d->choices[d->decision].sleep | d->choices[d->decision].tried;
	reduce_step_end(d->reduce, &st);
}

/* An execution that ended within the first choices belongs to one shard too. */
static enum strategy_stop dfs_end(struct explore_strategy *s, struct explorer *x)
{
	struct dfs *d = dfs_of(s);

	(void)x;
	if (d->shard_depth && d->nr_choices < d->shard_depth && other_shard(d))
		return STRATEGY_SKIPPED;
	return STRATEGY_GO_ON;
}

/*
 * Next schedule within the bound: at the deepest decision with an untried
 * alternative that keeps preemptions <= bound, take it.  False when done.
 */
static bool dfs_backtrack(struct explore_strategy *s)
{
	struct dfs *d = dfs_of(s);

	for (unsigned i = d->nr_choices; i-- > 0;) {
		struct explore_choice *ch = &d->choices[i];

		ch->tried |= 1ull << ch->chosen;
		for (unsigned t = 0; t < CHOICE_COUNT; t++) {
			if (!(ch->enabled >> t & 1) || (ch->tried >> t & 1) ||
			    ((ch->sleep | ch->skip) >> t & 1))
				continue;
			unsigned cost = choice_cost(ch->cur, ch->enabled, t);

			if ((unsigned)ch->preempts_before + cost > d->bound) {
				ch->tried |= 1ull << t;
				continue;
			}
			ch->chosen = (uint8_t)t;
			d->prefix_len = i + 1;
			return true;
		}
	}
	return false;
}

static void dfs_free(struct explore_strategy *s)
{
	struct dfs *d = dfs_of(s);

	reduce_free(d->reduce);
	free(d->choices);
	free(d->trail);
	free(d);
}

static const struct strategy_ops dfs_ops = {
	.begin = dfs_begin,
	.visit = dfs_visit,
	.pick = dfs_pick,
	.step_begin = dfs_step_begin,
	.step_end = dfs_step_end,
	.end = dfs_end,
	.next = dfs_backtrack,
	.free = dfs_free,
};

struct explore_strategy *dfs_new(const struct eqs_explore_config *cfg, struct state_cache *cache,
				 struct mem_model *mm)
{
	struct dfs *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->s.ops = &dfs_ops;
	d->cache = cache;
	d->choices = calloc(EXPLORE_MAX_STEPS, sizeof(*d->choices));
	if (cache)
		d->trail = calloc(EXPLORE_MAX_STEPS, sizeof(*d->trail));
	if (cfg->reduce)
		d->reduce = reduce_new(mm);
	if (!d->choices || (cache && !d->trail) || (cfg->reduce && !d->reduce)) {
		dfs_free(&d->s);
		return NULL;
	}
	if (cfg->shard_count > 1) {
		d->shard_index = cfg->shard_index;
		d->shard_count = cfg->shard_count;
		d->shard_depth = EQS_SHARD_DEPTH;
	}
	return &d->s;
}

void dfs_restart(struct explore_strategy *s, unsigned bound)
{
	struct dfs *d = dfs_of(s);

	d->bound = bound;
	d->prefix_len = 0;
}
