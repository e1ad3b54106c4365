/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_race.c - the library's account of exercised races (race.h), on a
 * struct race_sync and a struct race_cpu alone: an EQS exit during a sync
 * counts once, when that sync is published, as left out (only if the CPU's
 * text was stale) or waited; aimed exits apart; a published sync's slot
 * reused before the CPU looked drops the count rather than miscounting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "race.h"

#define CPU  2u
#define SITE 1u

struct race {
	struct race_sync rs;
	struct race_cpu rc;
	uint32_t fetched[EQS_MAX_SITES];
};

static uint64_t total(const uint64_t *counts)
{
	uint64_t n = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		n += counts[p];
	return n;
}

static void assert_counts(const struct race_cpu *rc, uint64_t left_out, uint64_t waited)
{
	assert_int_equal(total(rc->left_out), left_out);
	assert_int_equal(total(rc->waited), waited);
}

/* Sync seq begins and writes SITE's next generation, newer than the CPU's fetched one. */
static uint32_t sync_writes(struct race *r, uint64_t seq, uint32_t gen)
{
	race_sync_begin(&r->rs, seq);
	race_sync_written(&r->rs, seq, SITE, gen);
	return gen;
}

static struct race_seen exit_now(struct race *r, enum eqs_path path, bool aimed)
{
	return race_note_exit(&r->rc, &r->rs, CPU, r->fetched, path, aimed);
}

static const uint64_t all_but_cpu = ~(1ull << CPU);
static const uint64_t only_cpu = 1ull << CPU;

static void test_no_sync_in_flight(void **state)
{
	struct race r = { 0 };
	struct race_seen seen;

	(void)state;
	seen = exit_now(&r, EQS_PATH_USER, false);
	assert_int_equal(seen.seq, 0);
	assert_false(seen.written);
	assert_int_equal(r.rc.seq, 0);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 0, 0);
	/* Between syncs: the last one published, the next not begun. */
	sync_writes(&r, 1, 1);
	race_sync_published(&r.rs, 1, all_but_cpu);
	seen = exit_now(&r, EQS_PATH_USER, false);
	assert_int_equal(seen.seq, 2);
	assert_int_equal(r.rc.seq, 0);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 0, 0);
	assert_int_equal(r.rc.aimed_exits, 0);
}

static void test_left_out_stale_counts(void **state)
{
	struct race r = { 0 };
	struct race_seen seen;

	(void)state;
	sync_writes(&r, 1, 1); /* fetched[SITE] is 0: stale */
	seen = exit_now(&r, EQS_PATH_IDLE, false);
	assert_int_equal(seen.seq, 1);
	assert_false(seen.written); /* only an aimed exit says */
	assert_int_equal(r.rc.seq, 1);
	assert_true(r.rc.stale);
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.left_out[EQS_PATH_IDLE], 1);
	assert_counts(&r.rc, 1, 0);
	assert_int_equal(r.rc.seq, 0);
	/* Settled once: settling again counts nothing more. */
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 1, 0);
}

static void test_waited_counts(void **state)
{
	struct race r = { 0 };

	(void)state;
	sync_writes(&r, 1, 1);
	exit_now(&r, EQS_PATH_GUEST, false);
	race_sync_published(&r.rs, 1, only_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.waited[EQS_PATH_GUEST], 1);
	assert_counts(&r.rc, 0, 1);
}

static void test_up_to_date_left_out_counts_nothing(void **state)
{
	struct race r = { 0 };

	(void)state;
	r.fetched[SITE] = sync_writes(&r, 1, 1); /* the CPU already fetched the write */
	exit_now(&r, EQS_PATH_USER, false);
	assert_false(r.rc.stale);
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 0, 0);
}

/* Wrap-aware: a write of generation 0 after 0xffffffff is newer. */
static void test_stale_across_the_wrap(void **state)
{
	struct race r = { 0 };

	(void)state;
	r.fetched[SITE] = 0xffffffffu;
	sync_writes(&r, 1, 0);
	exit_now(&r, EQS_PATH_USER, false);
	assert_true(r.rc.stale);
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 1, 0);
}

static void test_before_the_write_is_not_stale(void **state)
{
	struct race r = { 0 };

	(void)state;
	race_sync_begin(&r.rs, 1); /* in flight, nothing written yet */
	exit_now(&r, EQS_PATH_USER, false);
	assert_int_equal(r.rc.seq, 1);
	assert_false(r.rc.stale);
	race_sync_written(&r.rs, 1, SITE, 1);
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 0, 0);
	/* An earlier sync's write is not this one's. */
	struct race o = { 0 };

	sync_writes(&o, 1, 1);
	race_sync_published(&o.rs, 1, all_but_cpu);
	race_sync_begin(&o.rs, 3);
	exit_now(&o, EQS_PATH_USER, false);
	assert_false(o.rc.stale);
}

static void test_two_exits_count_once(void **state)
{
	struct race r = { 0 };

	(void)state;
	sync_writes(&r, 1, 1);
	exit_now(&r, EQS_PATH_USER, false);
	exit_now(&r, EQS_PATH_IRQ, false);
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.left_out[EQS_PATH_USER], 1);
	assert_counts(&r.rc, 1, 0);
}

/* Of two exits in one sync, the stale one is the one counted, on its path. */
static void test_two_exits_keep_the_stale_one(void **state)
{
	struct race r = { 0 };

	(void)state;
	race_sync_begin(&r.rs, 1);
	exit_now(&r, EQS_PATH_USER, false); /* before the write: not stale */
	race_sync_written(&r.rs, 1, SITE, 1);
	exit_now(&r, EQS_PATH_NMI, false); /* after it: stale */
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.left_out[EQS_PATH_NMI], 1);
	assert_counts(&r.rc, 1, 0);
}

static void test_aimed_exits(void **state)
{
	struct race r = { 0 };
	struct race_seen seen;

	(void)state;
	seen = exit_now(&r, EQS_PATH_USER, true); /* no sync */
	assert_int_equal(r.rc.aimed_exits, 1);
	assert_int_equal(r.rc.aimed_in_window, 0);
	assert_false(seen.written);
	race_sync_begin(&r.rs, 1);
	seen = exit_now(&r, EQS_PATH_USER, true); /* in flight, not written */
	assert_int_equal(seen.seq, 1);
	assert_false(seen.written);
	assert_int_equal(r.rc.aimed_exits, 2);
	assert_int_equal(r.rc.aimed_in_window, 0);
	race_sync_written(&r.rs, 1, SITE, 1);
	seen = exit_now(&r, EQS_PATH_USER, true); /* written, not published: the window */
	assert_int_equal(seen.seq, 1);
	assert_true(seen.written);
	assert_int_equal(r.rc.aimed_exits, 3);
	assert_int_equal(r.rc.aimed_in_window, 1);
	seen = exit_now(&r, EQS_PATH_USER, false); /* not aimed: neither count */
	assert_int_equal(r.rc.aimed_exits, 3);
	assert_int_equal(r.rc.aimed_in_window, 1);
	assert_false(seen.written);
	/* Still one exit of sync 1, counted once. */
	race_sync_published(&r.rs, 1, all_but_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 1, 0);
}

static void test_settle_before_publication_waits(void **state)
{
	struct race r = { 0 };

	(void)state;
	sync_writes(&r, 1, 1);
	exit_now(&r, EQS_PATH_USER, false);
	race_settle(&r.rc, &r.rs, CPU); /* not published: still pending */
	assert_int_equal(r.rc.seq, 1);
	assert_counts(&r.rc, 0, 0);
	race_sync_published(&r.rs, 1, only_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.waited[EQS_PATH_USER], 1);
	assert_counts(&r.rc, 0, 1);
}

/* The next sync's exit settles the one still pending from the last. */
static void test_next_exit_settles_the_pending_one(void **state)
{
	struct race r = { 0 };

	(void)state;
	sync_writes(&r, 1, 1);
	exit_now(&r, EQS_PATH_GUEST, false);
	race_sync_published(&r.rs, 1, all_but_cpu);
	sync_writes(&r, 3, 2);
	exit_now(&r, EQS_PATH_IDLE, false);
	assert_int_equal(r.rc.left_out[EQS_PATH_GUEST], 1);
	assert_int_equal(r.rc.seq, 3);
	race_sync_published(&r.rs, 3, only_cpu);
	race_settle(&r.rc, &r.rs, CPU);
	assert_int_equal(r.rc.waited[EQS_PATH_IDLE], 1);
	assert_counts(&r.rc, 1, 1);
}

/*
 * The exit's sync is published, then SYNC_RING syncs later one is
 * published in the same slot before the CPU settles: that one waited for
 * the CPU, the exit's did not.  Counting from the slot would say waited.
 */
static void test_reused_slot_drops_the_count(void **state)
{
	struct race r = { 0 };
	uint64_t seq;

	(void)state;
	sync_writes(&r, 1, 1);
	exit_now(&r, EQS_PATH_USER, false);
	race_sync_published(&r.rs, 1, all_but_cpu);
	for (seq = 3; seq <= 1 + 2 * SYNC_RING; seq += 2) {
		race_sync_begin(&r.rs, seq);
		race_sync_published(&r.rs, seq, only_cpu);
	}
	race_settle(&r.rc, &r.rs, CPU);
	assert_counts(&r.rc, 0, 0);
	assert_int_equal(r.rc.seq, 0); /* dropped, not pending for ever */
	/* One sync fewer and the slot still holds the exit's sync: it counts. */
	struct race o = { 0 };

	sync_writes(&o, 1, 1);
	exit_now(&o, EQS_PATH_USER, false);
	race_sync_published(&o.rs, 1, all_but_cpu);
	for (seq = 3; seq < 1 + 2 * SYNC_RING; seq += 2) {
		race_sync_begin(&o.rs, seq);
		race_sync_published(&o.rs, seq, only_cpu);
	}
	race_settle(&o.rc, &o.rs, CPU);
	assert_int_equal(o.rc.left_out[EQS_PATH_USER], 1);
	assert_counts(&o.rc, 1, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_sync_in_flight),
		cmocka_unit_test(test_left_out_stale_counts),
		cmocka_unit_test(test_waited_counts),
		cmocka_unit_test(test_up_to_date_left_out_counts_nothing),
		cmocka_unit_test(test_stale_across_the_wrap),
		cmocka_unit_test(test_before_the_write_is_not_stale),
		cmocka_unit_test(test_two_exits_count_once),
		cmocka_unit_test(test_two_exits_keep_the_stale_one),
		cmocka_unit_test(test_aimed_exits),
		cmocka_unit_test(test_settle_before_publication_waits),
		cmocka_unit_test(test_next_exit_settles_the_pending_one),
		cmocka_unit_test(test_reused_slot_drops_the_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
