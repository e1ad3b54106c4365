/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_cache.c - lib/explore/cache.c on its own: the state table of the
 * depth-first search, keyed by fingerprints made up here.  A state is
 * explored again only with fewer preemptions spent (bounded) or with
 * choices awake that were asleep (sleep sets); the table grows, and at
 * its memory limit says it is full rather than forget a state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cache.h"

static struct fingerprint key(uint64_t i)
{
	return (struct fingerprint){ .lo = i * 0x9e3779b97f4a7c15ull + 1, .hi = i };
}

/* Bounded: a state is new again only when reached with fewer preemptions. */
static void test_seen_with_preemptions(void **state)
{
	struct state_cache *sc = state_cache_new(0, false);

	(void)state;
	assert_non_null(sc);
	assert_int_equal(state_cache_size(sc), 0);
	assert_false(state_cache_seen(sc, key(1), 2)); /* new: remembered */
	assert_int_equal(state_cache_size(sc), 1);
	assert_true(state_cache_seen(sc, key(1), 2));
	assert_true(state_cache_seen(sc, key(1), 3));  /* with more to spend than before: pruned */
	assert_false(state_cache_seen(sc, key(1), 1)); /* fewer spent: more is reachable */
	assert_true(state_cache_seen(sc, key(1), 1));
	assert_true(state_cache_seen(sc, key(1), 2));
	assert_int_equal(state_cache_size(sc), 1);
	/* States differing in either half are distinct. */
	assert_false(state_cache_seen(sc, (struct fingerprint){ .lo = key(1).lo, .hi = 7 }, 0));
	assert_false(state_cache_seen(sc, (struct fingerprint){ .lo = 5, .hi = key(1).hi }, 0));
	assert_int_equal(state_cache_size(sc), 3);
	/* The all-zero fingerprint (an empty slot's mark) is a state like any other. */
	assert_false(state_cache_seen(sc, (struct fingerprint){ 0, 0 }, 0));
	assert_true(state_cache_seen(sc, (struct fingerprint){ 0, 0 }, 0));
	assert_false(state_cache_full(sc));
	state_cache_free(sc);
}

/* With sleep sets: new, pruned if explored with no more asleep, or again for the rest. */
static void test_visit_with_sleep_sets(void **state)
{
	struct state_cache *sc = state_cache_new(0, true);
	uint64_t before = 0;

	(void)state;
	assert_non_null(sc);
	assert_int_equal(state_cache_visit(sc, key(1), 0x6, &before), CACHE_NEW);
	assert_int_equal(before, 0x6);
	assert_int_equal(state_cache_size(sc), 1);
	/* Everything awake then is awake now, or asleep because explored: nothing new. */
	assert_int_equal(state_cache_visit(sc, key(1), 0x6, &before), CACHE_PRUNE);
	assert_int_equal(state_cache_visit(sc, key(1), 0x7, &before), CACHE_PRUNE);
	assert_int_equal(before, 0x6);
	/* Choice 2 was asleep there, is awake now: explore it (before says what was asleep). */
	assert_int_equal(state_cache_visit(sc, key(1), 0x2, &before), CACHE_AGAIN);
	assert_int_equal(before, 0x6);
	/* The state keeps what both had asleep: now it is explored with 0x2 asleep. */
	assert_int_equal(state_cache_visit(sc, key(1), 0x2, &before), CACHE_PRUNE);
	assert_int_equal(before, 0x2);
	assert_int_equal(state_cache_visit(sc, key(1), 0x0, &before), CACHE_AGAIN);
	assert_int_equal(before, 0x2);
	assert_int_equal(state_cache_visit(sc, key(1), 0x4, &before), CACHE_PRUNE);
	assert_int_equal(state_cache_size(sc), 1);
	assert_int_equal(state_cache_visit(sc, key(2), 0x0, &before), CACHE_NEW);
	assert_int_equal(state_cache_size(sc), 2);
	state_cache_free(sc);
}

/* Past half full the table doubles, and remembers every state it held. */
static void test_growth(void **state)
{
	struct state_cache *sc = state_cache_new(0, false);
	size_t first, n = 0;

	(void)state;
	assert_non_null(sc);
	first = state_cache_bytes(sc);
	assert_true(first > 0);
	while (state_cache_bytes(sc) == first) {
		assert_false(state_cache_seen(sc, key(n), 3));
		n++;
		assert_true(n < 10000000);
	}
	assert_int_equal(state_cache_bytes(sc), 2 * first);
	assert_int_equal(state_cache_size(sc), n);
	/* Each kept what it was reached with: 3 preemptions, no more. */
	for (size_t i = 0; i < n; i++)
		assert_true(state_cache_seen(sc, key(i), 3));
	for (size_t i = 0; i < n; i += 97)
		assert_false(state_cache_seen(sc, key(i), 2));
	assert_int_equal(state_cache_size(sc), n);
	assert_false(state_cache_full(sc));
	/* A sleep set per state costs memory of its own. */
	struct state_cache *with = state_cache_new(0, true);

	assert_non_null(with);
	assert_true(state_cache_bytes(with) > first);
	state_cache_free(with);
	state_cache_free(sc);
}

/* At its memory limit the table cannot grow: it says so, and keeps what it has. */
static void test_memory_limit_full(void **state)
{
	struct state_cache *probe = state_cache_new(0, true);
	size_t initial = state_cache_bytes(probe), n = 0;
	uint64_t before;

	(void)state;
	state_cache_free(probe);
	struct state_cache *sc = state_cache_new(initial, true);

	assert_non_null(sc);
	while (!state_cache_full(sc)) {
		assert_int_equal(state_cache_visit(sc, key(n), 0, &before), CACHE_NEW);
		n++;
		assert_true(n < 10000000);
	}
	/* The state that found it full was not remembered: explored again as new (sound). */
	size_t held = state_cache_size(sc);

	assert_int_equal(held, n - 1);
	assert_int_equal(state_cache_bytes(sc), initial);
	assert_int_equal(state_cache_visit(sc, key(n - 1), 0, &before), CACHE_NEW);
	assert_int_equal(state_cache_visit(sc, key(0), 0, &before), CACHE_PRUNE);
	assert_int_equal(state_cache_size(sc), held);

	/* The same without sleep sets: seen answers "no" for what it cannot hold. */
	struct state_cache *bounded = state_cache_new(initial / 2, false);

	assert_non_null(bounded);
	for (n = 0; !state_cache_full(bounded); n++)
		assert_false(state_cache_seen(bounded, key(n), 0));
	assert_false(state_cache_seen(bounded, key(n - 1), 0));
	assert_true(state_cache_seen(bounded, key(0), 0));
	assert_int_equal(state_cache_size(bounded), n - 1);
	/* Cleared (the next bound), it has room again. */
	state_cache_clear(bounded);
	assert_false(state_cache_full(bounded));
	assert_int_equal(state_cache_size(bounded), 0);
	assert_false(state_cache_seen(bounded, key(n), 0));
	assert_true(state_cache_seen(bounded, key(n), 0));
	assert_false(state_cache_full(bounded));
	state_cache_free(bounded);
	state_cache_free(sc);
}

/* Cleared (a new bound), every state is new again; the table keeps its memory. */
static void test_clear(void **state)
{
	struct state_cache *sc = state_cache_new(0, false);

	(void)state;
	assert_non_null(sc);
	for (uint64_t i = 0; i < 100000; i++)
		assert_false(state_cache_seen(sc, key(i), 0));
	size_t bytes = state_cache_bytes(sc);

	assert_int_equal(state_cache_size(sc), 100000);
	state_cache_clear(sc);
	assert_int_equal(state_cache_size(sc), 0);
	assert_int_equal(state_cache_bytes(sc), bytes);
	assert_false(state_cache_full(sc));
	assert_false(state_cache_seen(sc, key(5), 0));
	assert_true(state_cache_seen(sc, key(5), 0));
	assert_int_equal(state_cache_size(sc), 1);
	state_cache_free(sc);
	state_cache_free(NULL); /* as free() */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seen_with_preemptions),
		cmocka_unit_test(test_visit_with_sleep_sets),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_memory_limit_full),
		cmocka_unit_test(test_clear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
