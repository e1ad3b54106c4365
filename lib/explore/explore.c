/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explore.c - eqs_explore_run(): a scenario explored by a strategy
 * (strategy.h) over the scheduler of sched.c: exhaustive depth-first
 * search with iterative preemption bounding (bound 0, 1, 2, ... so the
 * first counterexample has the fewest preemptions), PCT (random
 * priorities with d-1 change points), or the replay of a schedule string;
 * each execution's outcome in the report, judged against the variant's
 * expectation for the model explored (sc, tso, arm-ifetch).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "cache.h"
#include "scheduler.h"
#include "strategy.h"

void eqs_explore_config_default(struct eqs_explore_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->cpus = 2;
	cfg->nr_paths = 0; /* each path in turn */
	cfg->patches = 1;
	cfg->strategy = EQS_EXPLORE_DFS;
	cfg->preemptions = 2;
	cfg->runs = 10000;
	cfg->seed = 1;
	cfg->max_schedules = 2000000;
	cfg->max_seconds = 120;
	cfg->model = EQS_MODEL_SC;
	cfg->nmis = 0;
	cfg->max_memory = 4ull << 30;
}

/* Keep the first counterexample: its schedule, trace and violation. */
static void capture(struct explorer *x, struct eqs_explore_report *r)
{
	if (r->violations++)
		return;
	explore_violations(x, &r->cx_violation);
	r->cx_preemptions = x->preemptions;
	explore_schedule_string(x, r->cx_schedule, sizeof(r->cx_schedule));
	r->cx_nr_steps = x->nr_log;
	memcpy(r->cx_steps, x->log, x->nr_log * sizeof(x->log[0]));
}

/*
 * The errors that end an exploration whatever else it shows (verdict.c):
 * text executed in EQS, a variant's path that never told RCU, entry code
 * patched under a sync that did not interrupt every CPU, stale entry code.
 * False (message set) if any.
 */
static bool simulator_clean(struct explorer *x, struct eqs_explore_report *r)
{
	struct verdict_facts f = { 0 };
	char sched[EQS_SCHEDULE_LEN], where[EQS_SCHEDULE_LEN + 16];

	sim_facts(x->sim, &f); /* violations are judged across executions, by judge() */
	if (!verdict_has_error(&f))
		return true;
	explore_schedule_string(x, sched, sizeof(sched));
	snprintf(where, sizeof(where), ", in schedule %.60s", sched);
	const struct verdict_words words = { .where = where };

	verdict_judge(x->v, x->model, EQS_EXPECT_NA, &f, &words, r->message, sizeof(r->message));
	return false;
}

/*
 * A thread looped without reaching a step (sched.c's spin tick): not a
 * verdict on the protocol but on the variant, which must declare its
 * waits (eqs_cpu_wait_until, eqs_patcher_wait_until) for exploration to
 * run anything else meanwhile.
 */
static bool spun(struct explorer *x, struct eqs_explore_report *r)
{
	char sched[EQS_SCHEDULE_LEN], who[16];
	unsigned t = (unsigned)x->cur;

	explore_schedule_string(x, sched, sizeof(sched));
	if (t < x->ncpu)
		snprintf(who, sizeof(who), "cpu%u", t);
	else
		snprintf(who, sizeof(who), "the patcher");
	snprintf(r->message, sizeof(r->message),
		 "%s ran for over %.0f s of CPU time after its step %s, reaching no other: "
		 "a loop that declares no step (wait with eqs_*_wait_until), in schedule %.40s",
		 who, EXPLORE_SPIN_TICK_S, eqs_step_name((int)x->pending[t]), sched);
	r->verdict = EQS_VERDICT_ERROR;
	return false;
}

/* One execution and its book-keeping; false if it went wrong (message set). */
static bool run_one(struct explorer *x, struct explore_strategy *s, struct eqs_explore_report *r,
		    int *err)
{
	char sched[EQS_SCHEDULE_LEN], why[EQS_ERRLEN];

	*err = explore_execute(x, s, why, sizeof(why));
	if (*err) {
		snprintf(r->message, sizeof(r->message), "cannot start a simulation: %.200s", why);
		return false;
	}
	if (x->skipped) /* another shard's: nothing it showed is this shard's to report */
		return true;
	r->schedules++;
	r->pruned += x->pruned;
	if (explore_violations(x, NULL))
		capture(x, r);
	if (!simulator_clean(x, r))
		return false;
	if (x->spun)
		return spun(x, r);
	if (!x->deadlock && !x->cut_off && !x->diverged)
		return true;
	explore_schedule_string(x, sched, sizeof(sched)); /* only for what went wrong */
	/* The schedule that hangs, or livelocks, is the counterexample. */
	if ((x->deadlock || x->cut_off) && !r->hung) {
		r->hung = true;
		r->cx_preemptions = x->preemptions;
		snprintf(r->cx_schedule, sizeof(r->cx_schedule), "%s", sched);
		r->cx_nr_steps = x->nr_log;
		memcpy(r->cx_steps, x->log, x->nr_log * sizeof(x->log[0]));
	}
	if (x->deadlock || x->cut_off || x->diverged) {
		snprintf(
			r->message, sizeof(r->message), "%s in schedule %.120s",
			x->deadlock ? "hang: every live thread blocked on a wait nobody satisfies,"
			: x->cut_off
				? "hang: a livelock (a state came back, or no end in the step limit),"
				: "the schedule does not fit this scenario",
			sched);
		return false;
	}
	return true;
}

static bool out_of_budget(const struct eqs_explore_config *cfg, const struct eqs_explore_report *r,
			  double start)
{
	return (cfg->max_schedules && r->schedules >= cfg->max_schedules) ||
	       (cfg->max_seconds > 0 && clock_mono_s() - start > cfg->max_seconds);
}

/* The figures so far, to cfg's progress callback, about every progress_seconds after the first. */
static void report_progress(struct explorer *x, const struct eqs_explore_config *cfg,
			    const struct eqs_explore_report *r, const struct state_cache *cache,
			    unsigned bound, double start, double *next)
{
	double now = clock_mono_s();

	if (now < *next)
		return;
	*next = now + (cfg->progress_seconds > 0 ? cfg->progress_seconds : 1.0);
	struct eqs_explore_progress p = {
		.variant = x->v,
		.model = x->model,
		.path = cfg->paths[0],
		.schedules = r->schedules,
		.states = cache ? state_cache_size(cache) : 0,
		.state_bytes = cache ? state_cache_bytes(cache) : 0,
		.bound = bound,
		.seconds = now - start,
	};
	cfg->progress(&p, cfg->progress_arg);
}

/* The state table's figures, kept at their largest over the bounds. */
static void note_states(const struct state_cache *cache, struct eqs_explore_report *r)
{
	if (!cache)
		return;
	r->states = state_cache_size(cache);
	if (state_cache_bytes(cache) > r->state_bytes)
		r->state_bytes = state_cache_bytes(cache);
}

/*
 * Bounded: bound 0, 1, ... cfg->preemptions, the state cache cleared
 * between (a state's budget depends on the bound).  Unbounded: one pass
 * that explores each state once, complete only if the table held them all.
 */
static int dfs_bounds(struct explorer *x, struct explore_strategy *s, struct state_cache *cache,
		      const struct eqs_explore_config *cfg, struct eqs_explore_report *r,
		      double start)
{
	unsigned last_bound = cfg->unbounded ? 0 : cfg->preemptions;
	double next_progress = start + (cfg->progress_seconds > 0 ? cfg->progress_seconds : 1.0);
	uint64_t runs = 0;
	int err = 0;

	r->complete = true;
	for (unsigned bound = 0; bound <= last_bound; bound++) {
		unsigned limit = cfg->unbounded ? UINT_MAX : bound;

		dfs_restart(s, limit);
		if (cache)
			state_cache_clear(cache);
		r->preemption_bound = bound;
		do {
			if (!run_one(x, s, r, &err))
				return err ? err : 1;
			if (r->violations) {
				note_states(cache, r);
				return 0;
			}
			if (out_of_budget(cfg, r, start)) {
				r->complete = false;
				note_states(cache, r);
				return 0;
			}
			if (cfg->progress && !(++runs & 255))
				report_progress(x, cfg, r, cache, limit, start, &next_progress);
			/*
			 * Unbounded, a state it cannot remember is explored again
			 * each time it is reached: the search would not end.
			 */
			if (cfg->unbounded && cache && state_cache_full(cache)) {
				r->complete = false;
				note_states(cache, r);
				snprintf(r->message, sizeof(r->message),
					 "the state table is full at %zu states (%zu bytes): raise "
					 "the memory limit",
					 state_cache_size(cache), state_cache_bytes(cache));
				return 0;
			}
		} while (strategy_next(s));
		note_states(cache, r);
	}
	return 0;
}

static int explore_dfs(struct explorer *x, const struct eqs_explore_config *cfg,
		       struct eqs_explore_report *r, double start)
{
	struct state_cache *cache = NULL;
	struct explore_strategy *s;
	int ret;

	if (!cfg->no_state_cache) {
		cache = state_cache_new(cfg->max_memory, cfg->reduce);
		if (!cache) {
			snprintf(r->message, sizeof(r->message),
				 "out of memory for the state table");
			return -ENOMEM;
		}
	}
	s = dfs_new(cfg, cache, x->mm);
	if (!s) {
		state_cache_free(cache);
		snprintf(r->message, sizeof(r->message), "out of memory");
		return -ENOMEM;
	}
	ret = dfs_bounds(x, s, cache, cfg, r, start);
	strategy_free(s);
	state_cache_free(cache);
	return ret;
}

/* PCT's guarantee per run for n threads, k steps and d - 1 change points. */
static void pct_bound(struct eqs_explore_report *r, unsigned n, unsigned k, unsigned d)
{
	double p = 1.0 / ((double)n * pow((double)k, (double)(d - 1)));

	r->pct_probability = p;
	r->pct_runs_99 = p >= 1.0 ? 1 : (uint64_t)ceil(log(0.01) / log1p(-p));
}

static int explore_pct(struct explorer *x, const struct eqs_explore_config *cfg,
		       struct eqs_explore_report *r, double start)
{
	unsigned d = cfg->preemptions + 1;
	struct explore_strategy *s = pct_new(cfg->seed, d);
	int ret = 0, err = 0;

	if (!s) {
		snprintf(r->message, sizeof(r->message), "out of memory");
		return -ENOMEM;
	}
	/* k: the length of an execution, from one non-preemptive run. */
	if (!run_one(x, s, r, &err)) {
		ret = err ? err : 1;
		goto out;
	}
	unsigned k = x->steps ? x->steps : 1;

	r->schedules = 0;
	r->violations = 0;
	pct_bound(r, x->nthreads, k, d);
	pct_start(s, x->nthreads, k);
	for (uint64_t run = 1; run <= cfg->runs && strategy_next(s); run++) {
		if (!run_one(x, s, r, &err)) {
			ret = err ? err : 1;
			break;
		}
		if (r->violations) {
			r->first_violating_run = run;
			break;
		}
		if (out_of_budget(cfg, r, start))
			break;
	}
out:
	strategy_free(s);
	return ret;
}

/* A replay that cannot run says why in the report's message (-EINVAL: bad input). */
static int explore_replay(struct explorer *x, const struct eqs_explore_config *cfg,
			  struct eqs_explore_report *r)
{
	struct explore_strategy *s;
	int ret = replay_new(&s, cfg->replay, x->nthreads);
	int err = 0;

	if (ret == -ENOMEM) {
		snprintf(r->message, sizeof(r->message), "out of memory");
		return ret;
	}
	if (ret < 0) {
		snprintf(r->message, sizeof(r->message),
			 "bad schedule '%.60s': want THREAD:COUNT,... with THREAD a CPU number "
			 "below %u or P, COUNT at least 1, at most %u steps in all",
			 cfg->replay, x->ncpu, EXPLORE_MAX_STEPS);
		return -EINVAL;
	}
	bool ok = run_one(x, s, r, &err);

	strategy_free(s);
	if (x->diverged) { /* a schedule for another scenario: bad input, not a verdict */
		snprintf(r->message, sizeof(r->message),
			 "schedule '%.60s' does not fit this scenario: at step %u it runs a "
			 "thread that cannot run there",
			 cfg->replay, x->nr_resumes + 1);
		return -EINVAL;
	}
	if (!ok)
		return err ? err : 1;
	return 0;
}

/* The verdict of an exploration (verdict.c), in exploration's words. */
static void judge(struct eqs_explore_report *r)
{
	char why[sizeof(r->message)], short_of[sizeof(r->message) + 64];
	struct verdict_facts f = {
		.violations = r->violations,
		.violated_paths = r->violations ? EQS_PATH_BIT(r->cx_violation.path) : 0,
		.hung = r->hung,
		.earned = r->complete,
	};

	snprintf(why, sizeof(why), "%s", r->message); /* what stopped it, or went wrong */
	if (r->verdict == EQS_VERDICT_ERROR)
		f.error = why;
	if (why[0])
		snprintf(short_of, sizeof(short_of),
			 "clean so far, but the exploration is not complete: %.200s", why);
	else
		snprintf(short_of, sizeof(short_of),
			 "clean so far, but the exploration is not complete");

	const struct verdict_words words = {
		.hang = why,
		.caught = "caught, as expected",
		.not_caught = "expected buggy, no violating schedule found",
		.violated = "expected correct, a schedule violates",
		.clean = r->unbounded ? "every reachable state explored, all clean"
				      : "every schedule within the bound is clean",
		.short_of = short_of,
		.finished = "expected to hang, every schedule within the bound finished",
		.no_expectation = why,
		.na = EQS_VERDICT_NA,
	};

	r->verdict = verdict_judge(r->variant, r->model, r->expected, &f, &words, r->message,
				   sizeof(r->message));
}

static int check_config(const struct eqs_explore_config *cfg, char *err, size_t errlen)
{
	if (cfg->cpus < 1 || cfg->cpus > EQS_EXPLORE_MAX_CPUS)
		return eqs_error(err, errlen, -EINVAL, "exploration takes 1..%d CPUs, not %u",
				 EQS_EXPLORE_MAX_CPUS, cfg->cpus);
	if (cfg->nr_paths > EQS_EXPLORE_MAX_PATHS)
		return eqs_error(err, errlen, -EINVAL, "give at most %d paths (0: each in turn)",
				 EQS_EXPLORE_MAX_PATHS);
	if (cfg->replay && !cfg->nr_paths)
		return eqs_error(err, errlen, -EINVAL, "a replay needs the scenario's paths");
	for (unsigned i = 0; i < cfg->nr_paths; i++)
		if ((unsigned)cfg->paths[i] >= EQS_PATH_COUNT)
			return eqs_error(err, errlen, -EINVAL, "unknown path %d",
					 (int)cfg->paths[i]);
	if (cfg->patches < 1 || cfg->patches > 2)
		return eqs_error(err, errlen, -EINVAL, "exploration makes 1 or 2 patches, not %u",
				 cfg->patches);
	int ret = edit_check(&cfg->edit, err, errlen);

	if (!ret)
		ret = edit_check(&cfg->edit2, err, errlen);
	if (ret)
		return ret;
	if (cfg->nmis > 4)
		return eqs_error(err, errlen, -EINVAL, "at most 4 NMIs per scenario, not %u",
				 cfg->nmis);
	if (cfg->preemptions > 8 && !cfg->unbounded)
		return eqs_error(err, errlen, -EINVAL,
				 "at most 8 preemptions (or unbounded: each state once)");
	if (cfg->reduce && !cfg->unbounded)
		return eqs_error(err, errlen, -EINVAL,
				 "partial-order reduction runs in the unbounded search only");
	if (cfg->unbounded && (cfg->strategy != EQS_EXPLORE_DFS || cfg->no_state_cache))
		return eqs_error(err, errlen, -EINVAL,
				 "an unbounded search is a DFS with the state cache (not PCT, not "
				 "--no-state-cache)");
	if (cfg->shard_count > 1000000 ||
	    (cfg->shard_count && cfg->shard_index >= cfg->shard_count))
		return eqs_error(err, errlen, -EINVAL,
				 "shard %u of %u: want index < count, count at most 1000000",
				 cfg->shard_index, cfg->shard_count);
	if (cfg->shard_count > 1 && (cfg->strategy != EQS_EXPLORE_DFS || cfg->replay))
		return eqs_error(err, errlen, -EINVAL,
				 "sharding splits the DFS's tree: not PCT, not a replay");
	if (!(cfg->progress_seconds >= 0))
		return eqs_error(err, errlen, -EINVAL, "progress_seconds must be >= 0");
	if (cfg->strategy != EQS_EXPLORE_DFS && cfg->strategy != EQS_EXPLORE_PCT)
		return eqs_error(err, errlen, -EINVAL, "unknown strategy %d (DFS or PCT)",
				 (int)cfg->strategy);
	if (!(cfg->max_seconds >= 0) || cfg->max_seconds > 86400)
		return eqs_error(err, errlen, -EINVAL,
				 "max_seconds must be 0 (no limit)..86400, not %g",
				 cfg->max_seconds);
	if (cfg->model != EQS_MODEL_SC && cfg->model != EQS_MODEL_TSO &&
	    cfg->model != EQS_MODEL_ARM_IFETCH)
		return eqs_error(err, errlen, -EINVAL,
				 "exploration runs under sc, tso or arm-ifetch, not model %d",
				 (int)cfg->model);
	if (cfg->strategy == EQS_EXPLORE_PCT && !cfg->runs)
		return eqs_error(err, errlen, -EINVAL, "PCT needs runs > 0");
	return 0;
}

/* One scenario, explored with cfg's strategy; 0, >0 for a bad execution, <0 errno. */
static int explore_scenario(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			    struct eqs_explore_report *out, char *err, size_t errlen)
{
	struct explorer *x = calloc(1, sizeof(*x));
	int ret;

	if (!x)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	ret = explore_init(x, v, cfg);
	if (ret) {
		explore_destroy(x);
		free(x);
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	}
	double start = clock_mono_s();

	if (cfg->replay)
		ret = explore_replay(x, cfg, out);
	else if (cfg->strategy == EQS_EXPLORE_PCT)
		ret = explore_pct(x, cfg, out, start);
	else
		ret = explore_dfs(x, cfg, out, start);
	out->seconds += clock_mono_s() - start;
	explore_add_points(out->points, &out->nr_points, EQS_EXPLORE_MAX_POINTS, x->points,
			   x->nr_points);
	explore_add_points(out->boundaries, &out->nr_boundaries, EQS_EXPLORE_MAX_BOUNDARIES,
			   x->boundaries, x->nr_boundaries);
	explore_destroy(x);
	free(x);
	if (ret < 0) /* the report says why */
		return eqs_error(err, errlen, ret, "%s", out->message);
	return ret;
}

/* No paths given: each path alone, in turn, until one shows a violation. */
static int explore_each_path(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			     struct eqs_explore_report *out, char *err, size_t errlen)
{
	struct eqs_explore_config one = *cfg;
	struct eqs_explore_report *part = malloc(sizeof(*part));
	int ret = 0;

	if (!part)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	out->complete = true;
	one.nr_paths = 1;
	for (int p = 0; p < EQS_PATH_COUNT && !ret && !out->violations; p++) {
		one.paths[0] = (enum eqs_path)p;
		memset(part, 0, sizeof(*part));
		ret = explore_scenario(v, &one, part, err, errlen);
		explore_add_points(out->points, &out->nr_points, EQS_EXPLORE_MAX_POINTS,
				   part->points, part->nr_points);
		explore_add_points(out->boundaries, &out->nr_boundaries, EQS_EXPLORE_MAX_BOUNDARIES,
				   part->boundaries, part->nr_boundaries);
		out->schedules += part->schedules;
		out->states += part->states;
		out->pruned += part->pruned;
		if (part->state_bytes > out->state_bytes)
			out->state_bytes = part->state_bytes;
		out->seconds += part->seconds;
		out->complete &= part->complete;
		if (part->preemption_bound > out->preemption_bound || p == 0)
			out->preemption_bound = part->preemption_bound;
		if (part->violations || ret) {
			struct eqs_explore_report keep = *out;

			*out = *part;
			out->variant = keep.variant;
			out->model = keep.model;
			out->expected = keep.expected;
			out->explorable = keep.explorable;
			out->cx_path = (enum eqs_path)p;
			out->schedules = keep.schedules;
			out->states = keep.states;
			out->pruned = keep.pruned;
			out->state_bytes = keep.state_bytes;
			out->nr_points = keep.nr_points;
			memcpy(out->points, keep.points, sizeof(out->points));
			out->nr_boundaries = keep.nr_boundaries;
			memcpy(out->boundaries, keep.boundaries, sizeof(out->boundaries));
			out->seconds = keep.seconds;
			out->complete = keep.complete;
			out->unbounded = keep.unbounded;
		}
	}
	free(part);
	return ret;
}

int eqs_explore_run(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
		    struct eqs_explore_report *out, char *err, size_t errlen)
{
	int ret;

	if (!cfg || !out)
		return eqs_error(err, errlen, -EINVAL, "a config and a report are required");
	ret = eqs_variant_check(v, err, errlen);
	if (!ret)
		ret = check_config(cfg, err, errlen);
	if (ret)
		return ret;
	if (!coro_available())
		return eqs_error(
			err, errlen, -ENOSYS,
			"exploration needs a context switch written for x86_64 or aarch64");
	memset(out, 0, sizeof(*out));
	out->variant = v;
	out->model = cfg->model;
	out->unbounded = cfg->unbounded;
	/* An edited variant is not the one its expectations are about. */
	out->expected = cfg->edit.kind != EQS_EDIT_NONE || cfg->edit2.kind != EQS_EDIT_NONE
				? EQS_EXPECT_NA
				: eqs_variant_expect(v, cfg->model);
	out->explorable = !rcu_layout_of(v->rcu)->blocks_outside_steps;
	if (!out->explorable) {
		out->verdict = EQS_VERDICT_NA; /* no verdict, whatever it expects */
		snprintf(
			out->message, sizeof(out->message),
			"not explorable: it blocks inside liburcu's synchronize_rcu(), outside the "
			"step hooks");
		return 0;
	}
	if (cfg->nr_paths)
		ret = explore_scenario(v, cfg, out, err, errlen);
	else
		ret = explore_each_path(v, cfg, out, err, errlen);
	if (ret < 0)
		return ret;
	if (ret > 0)
		out->verdict = EQS_VERDICT_ERROR;
	judge(out);
	return 0;
}
