/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scale.c - exploration at scale through the public API: the
 * unbounded search agrees with the bounded one and says so only when it
 * saw every state; partial-order reduction gives the verdicts and the
 * counterexamples the unreduced search gives, on every built-in and path
 * at 2 CPUs; four CPUs run under every model; the shards of a search
 * together find what the whole search finds; a state table at its memory
 * limit makes a search incomplete, never clean; long runs report progress.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

static struct eqs_explore_report report, other;

static void scenario(struct eqs_explore_config *cfg, enum eqs_model model, unsigned cpus,
		     enum eqs_path path)
{
	eqs_explore_config_default(cfg);
	cfg->model = model;
	cfg->cpus = cpus;
	cfg->nr_paths = 1;
	cfg->paths[0] = path;
	cfg->max_seconds = 0;
	cfg->max_schedules = 0;
}

static void explore(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
		    struct eqs_explore_report *r)
{
	char err[EQS_ERRLEN];

	if (eqs_explore_run(v, cfg, r, err, sizeof(err)))
		fail_msg("%s: %s", eqs_variant_name(v), err);
}

/* The counterexample of r, replayed under cfg's scenario, shows a violation. */
static void assert_replays(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			   const struct eqs_explore_report *r)
{
	static struct eqs_explore_report replayed;
	struct eqs_explore_config one = *cfg;

	one.unbounded = one.reduce = false;
	one.shard_index = one.shard_count = 0;
	one.replay = r->cx_schedule;
	explore(v, &one, &replayed);
	if (!replayed.violations)
		fail_msg("%s on %s: counterexample %s does not replay", eqs_variant_name(v),
			 eqs_path_name(cfg->paths[0]), r->cx_schedule);
}

/* Unbounded, complete; the bounded search at 2 finds the same verdict (the review's fix, its bug). */
static void test_unbounded_agrees_with_bounded(void **state)
{
	static const char *const names[] = { "eqs_exit_sync", "early_isb", "no_sync" };
	struct eqs_explore_config cfg;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		const struct eqs_variant *v = eqs_variant_find(names[i]);

		scenario(&cfg, EQS_MODEL_SC, 2, EQS_PATH_USER);
		cfg.unbounded = true;
		explore(v, &cfg, &report);
		assert_true(report.unbounded);
		assert_true(report.complete);
		assert_int_equal(report.verdict, EQS_VERDICT_MATCH);
		assert_true(report.state_bytes > 0);
		cfg.unbounded = false;
		explore(v, &cfg, &other);
		assert_int_equal(other.verdict, report.verdict);
		assert_int_equal(!!other.violations, !!report.violations);
		/* The bound's states: a state reached by two threads last counts twice there. */
		if (!report.violations)
			assert_true(report.states > 1000);
	}
}

/*
 * Every built-in, each path alone, 2 CPUs, under sc: reduced and
 * unreduced agree on the verdict; each counterexample replays; the
 * reduction leaves schedules out on the bigger searches.  With
 * EQS_TEST_QUICK (the sanitizer and qemu stages: 5-8 times slower) the
 * user path only.
 */
static void test_reduction_agrees(void **state)
{
	const char *only = getenv("EQS_TEST_VARIANT");
	int paths = getenv("EQS_TEST_QUICK") ? 1 : EQS_PATH_COUNT;
	struct eqs_explore_config cfg;
	unsigned compared = 0, fewer = 0, big = 0;

	(void)state;
	for (int i = 0; i < eqs_variant_count(); i++) {
		const struct eqs_variant *v = eqs_variant_at(i);

		if (only && strcmp(only, eqs_variant_name(v)))
			continue;
		if (eqs_variant_expect(v, EQS_MODEL_SC) == EQS_EXPECT_NA)
			continue;
		for (int p = 0; p < paths; p++) {
			scenario(&cfg, EQS_MODEL_SC, 2, (enum eqs_path)p);
			cfg.unbounded = true;
			explore(v, &cfg, &report);
			if (!report.explorable)
				break;
			cfg.reduce = true;
			explore(v, &cfg, &other);
			if (other.verdict != report.verdict ||
			    !other.violations != !report.violations ||
			    other.complete != report.complete)
				fail_msg(
					"%s on %s: reduced %s (%llu violations), unreduced %s (%llu)",
					eqs_variant_name(v), eqs_path_name((enum eqs_path)p),
					eqs_verdict_name(other.verdict),
					(unsigned long long)other.violations,
					eqs_verdict_name(report.verdict),
					(unsigned long long)report.violations);
			if (report.violations) {
				assert_int_equal(other.cx_violation.path, report.cx_violation.path);
				assert_replays(v, &cfg, &other);
				assert_replays(v, &cfg, &report);
			} else if (report.schedules > 10000) {
				big++;
				fewer += other.schedules < report.schedules;
			}
			compared++;
		}
	}
	assert_true(compared >= (only ? 1u : paths == 1 ? 8u : 40u));
	assert_int_equal(fewer, big);
}

/* Four CPUs, under every model: a missing sync is caught; under sc the dsb fix is clean at bound 0. */
static void test_four_cpus(void **state)
{
	static const enum eqs_model models[] = { EQS_MODEL_SC, EQS_MODEL_TSO,
						 EQS_MODEL_ARM_IFETCH };
	struct eqs_explore_config cfg;

	(void)state;
	for (unsigned m = 0; m < 3; m++) {
		scenario(&cfg, models[m], 4, EQS_PATH_USER);
		cfg.preemptions = 1;
		explore(eqs_variant_find("no_sync"), &cfg, &report);
		assert_int_equal(report.verdict, EQS_VERDICT_MATCH);
		assert_true(report.violations > 0);
		assert_true(report.cx_violation.cpu < 4);
		assert_replays(eqs_variant_find("no_sync"), &cfg, &report);
	}
	scenario(&cfg, EQS_MODEL_SC, 4, EQS_PATH_USER);
	cfg.preemptions = 0;
	explore(eqs_variant_find("eqs_exit_sync_dsb"), &cfg, &report);
	assert_int_equal(report.verdict, EQS_VERDICT_MATCH);
	assert_true(report.complete);
	scenario(&cfg, EQS_MODEL_SC, 5, EQS_PATH_USER);
	char err[EQS_ERRLEN];

	assert_int_equal(
		eqs_explore_run(eqs_variant_find("early_isb"), &cfg, &report, err, sizeof(err)),
		-EINVAL);
}

/*
 * Three shards of one search: each is complete; a bug the whole search
 * finds, some shard finds, and a clean variant is clean in every shard.
 */
static void test_shards_cover_the_search(void **state)
{
	static const char *const names[] = { "early_isb", "eqs_exit_sync", "vhe_guest_gap" };
	struct eqs_explore_config cfg;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		const struct eqs_variant *v = eqs_variant_find(names[i]);
		uint64_t found = 0, schedules = 0;
		bool all_complete = true;

		scenario(&cfg, EQS_MODEL_SC, 2, EQS_PATH_USER);
		cfg.preemptions = 1;
		explore(v, &cfg, &other);
		for (unsigned s = 0; s < 3; s++) {
			cfg.shard_index = s;
			cfg.shard_count = 3;
			explore(v, &cfg, &report);
			found += report.violations;
			schedules += report.schedules;
			all_complete &= report.complete;
			if (report.violations)
				assert_replays(v, &cfg, &report);
		}
		assert_true(all_complete);
		assert_int_equal(!!found, !!other.violations);
		assert_true(schedules > 0);
	}
	cfg.shard_index = 3; /* not below the count */
	char err[EQS_ERRLEN];

	assert_int_equal(
		eqs_explore_run(eqs_variant_find("early_isb"), &cfg, &report, err, sizeof(err)),
		-EINVAL);
}

/* A table that cannot hold every state: an unbounded search is incomplete, never clean. */
static void test_memory_limit_is_incomplete(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	scenario(&cfg, EQS_MODEL_SC, 2, EQS_PATH_USER);
	cfg.unbounded = true;
	cfg.max_memory = 1; /* the first table is over it already: it never grows */
	explore(eqs_variant_find("eqs_exit_sync"), &cfg, &report);
	assert_false(report.complete);
	assert_int_equal(report.verdict, EQS_VERDICT_INCONCLUSIVE);
	assert_non_null(strstr(report.message, "state table is full"));
}

static unsigned progress_calls;
static uint64_t progress_schedules;

static void count_progress(const struct eqs_explore_progress *p, void *arg)
{
	assert_ptr_equal(arg, &progress_calls);
	assert_true(p->schedules >= progress_schedules);
	assert_true(p->states > 0);
	progress_schedules = p->schedules;
	progress_calls++;
}

static void test_progress_is_reported(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	scenario(&cfg, EQS_MODEL_SC, 2, EQS_PATH_USER);
	cfg.unbounded = true;
	cfg.progress = count_progress;
	cfg.progress_arg = &progress_calls;
	cfg.progress_seconds = 1e-6;
	explore(eqs_variant_find("eqs_exit_sync"), &cfg, &report);
	assert_true(progress_calls > 0);
	assert_true(progress_schedules <= report.schedules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbounded_agrees_with_bounded),
		cmocka_unit_test(test_reduction_agrees),
		cmocka_unit_test(test_four_cpus),
		cmocka_unit_test(test_shards_cover_the_search),
		cmocka_unit_test(test_memory_limit_is_incomplete),
		cmocka_unit_test(test_progress_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
