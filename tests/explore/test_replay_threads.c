/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_replay_threads.c - replays on two OS threads at once: each
 * exploration parses its schedule into a buffer of its own, so two
 * replays side by side give what each gives alone (lib/explore/replay.c).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

#define ROUNDS 5000

/* One side: a scenario, its counterexample's schedule, what its replay gives alone. */
struct side {
	enum eqs_path path;
	struct eqs_explore_config cfg;
	char schedule[EQS_SCHEDULE_LEN];
	struct eqs_explore_report alone, *r;
	pthread_barrier_t *start;
	unsigned mismatches;
	char first[2 * EQS_ERRLEN];
};

static const struct eqs_variant *variant(void)
{
	return eqs_variant_find("early_isb");
}

/* The side's scenario: early_isb on one path, 2 CPUs. */
static void scenario(struct side *s, enum eqs_path path)
{
	eqs_explore_config_default(&s->cfg);
	s->path = path;
	s->cfg.cpus = 2;
	s->cfg.nr_paths = 1;
	s->cfg.paths[0] = path;
}

/* Explore the side's scenario, keep its counterexample, and replay it alone. */
static void prepare(struct side *s, enum eqs_path path)
{
	char err[EQS_ERRLEN];

	scenario(s, path);
	assert_int_equal(eqs_explore_run(variant(), &s->cfg, &s->alone, err, sizeof(err)), 0);
	assert_true(s->alone.violations > 0);
	snprintf(s->schedule, sizeof(s->schedule), "%s", s->alone.cx_schedule);
	s->cfg.replay = s->schedule;
	assert_int_equal(eqs_explore_run(variant(), &s->cfg, &s->alone, err, sizeof(err)), 0);
	assert_int_equal(s->alone.schedules, 1);
	assert_true(s->alone.violations > 0);
	assert_string_equal(s->alone.cx_schedule, s->schedule);
	s->r = malloc(sizeof(*s->r));
	assert_non_null(s->r);
}

/* A replay that did not give what it gives alone: noted (the first one said). */
static void mismatch(struct side *s, int ret, const char *err)
{
	if (!s->mismatches++)
		snprintf(s->first, sizeof(s->first),
			 "%s path: returned %d (%.150s), %llu violations, schedule '%.200s'",
			 eqs_path_name(s->path), ret, ret ? err : s->r->message,
			 (unsigned long long)s->r->violations, s->r->cx_schedule);
}

static void *replay_rounds(void *arg)
{
	struct side *s = arg;
	char err[EQS_ERRLEN];

	pthread_barrier_wait(s->start);
	for (unsigned i = 0; i < ROUNDS; i++) {
		int ret = eqs_explore_run(variant(), &s->cfg, s->r, err, sizeof(err));

		if (ret || s->r->violations != s->alone.violations ||
		    strcmp(s->r->cx_schedule, s->alone.cx_schedule) ||
		    s->r->cx_nr_steps != s->alone.cx_nr_steps ||
		    s->r->cx_violation.cpu != s->alone.cx_violation.cpu ||
		    s->r->verdict != s->alone.verdict)
			mismatch(s, ret, err);
	}
	return NULL;
}

static void test_two_replays_side_by_side(void **state)
{
	static struct side sides[2];
	pthread_barrier_t start;
	pthread_t th[2];

	(void)state;
	/* Two scenarios whose counterexamples differ: either read as the other's goes astray. */
	prepare(&sides[0], EQS_PATH_IRQ);
	prepare(&sides[1], EQS_PATH_USER);
	assert_true(strcmp(sides[0].schedule, sides[1].schedule) != 0);
	assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
	for (unsigned i = 0; i < 2; i++) {
		sides[i].start = &start;
		assert_int_equal(pthread_create(&th[i], NULL, replay_rounds, &sides[i]), 0);
	}
	for (unsigned i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (unsigned i = 0; i < 2; i++) {
		if (sides[i].mismatches)
			fail_msg("%u of %u replays differ from the replay alone; first: %s",
				 sides[i].mismatches, ROUNDS, sides[i].first);
		free(sides[i].r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_replays_side_by_side),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
