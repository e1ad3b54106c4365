/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_oracle.c - the oracle (oracle.h) on a struct text, a struct
 * oracle_stats and a bare struct sim_thread: a fetched generation older
 * than a completed sync is a violation, recorded with the thread's recent
 * steps while records last; an unfinished sync is not; generations compare
 * across the wrap; stale entry code counts apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "oracle.h"

#define NR_SITES       3
#define NR_ENTRY_SITES 2

struct fixture {
	struct text text;
	struct sim_run run;
	struct sim_thread t;
	struct oracle_stats os;
	uint32_t fetched[EQS_MAX_SITES];
};

/* Static: struct text is aligned beyond what malloc promises. */
static struct fixture fixture;

static int setup(void **state)
{
	struct fixture *f = &fixture;

	memset(f, 0, sizeof(*f));
	text_init(&f->text, NR_SITES, NR_ENTRY_SITES, false, false);
	f->t.run = &f->run;
	f->t.id = 5;
	*state = f;
	return 0;
}

/* site's sync completes: written and published (the CPU does not refetch). */
static uint32_t synced_write(struct fixture *f, unsigned site)
{
	uint32_t gen = text_write(&f->text, site, &f->text.patcher);

	text_publish(&f->text, site, gen);
	return gen;
}

static void check(struct fixture *f, enum eqs_path path)
{
	oracle_check_text(&f->os, &f->t, &f->text, f->fetched, path);
}

static void assert_clean(const struct oracle_stats *os)
{
	assert_int_equal(os->violations, 0);
	assert_int_equal(os->nr_records, 0);
	assert_int_equal(os->first_violation_cycles, 0);
	for (int p = 0; p < EQS_PATH_COUNT; p++)
		assert_int_equal(os->violations_on_path[p], 0);
}

static void test_up_to_date_is_no_violation(void **state)
{
	struct fixture *f = *state;

	check(f, EQS_PATH_USER); /* nothing patched yet */
	f->fetched[1] = synced_write(f, 1);
	f->fetched[2] = synced_write(f, 2);
	f->fetched[2] = synced_write(f, 2);
	check(f, EQS_PATH_USER);
	check(f, EQS_PATH_IDLE);
	assert_clean(&f->os);
	/* Fetched newer than synced (a sync in flight, already fetched): fine too. */
	f->fetched[0] = text_write(&f->text, 0, &f->text.patcher);
	check(f, EQS_PATH_USER);
	assert_clean(&f->os);
}

static void test_stale_after_sync_is_a_violation(void **state)
{
	struct fixture *f = *state;
	uint32_t gen;

	f->fetched[1] = synced_write(f, 1); /* generation 1, fetched */
	gen = synced_write(f, 1);	    /* generation 2, not fetched */
	check(f, EQS_PATH_GUEST);
	assert_int_equal(f->os.violations, 1);
	assert_int_equal(f->os.violations_on_path[EQS_PATH_GUEST], 1);
	assert_int_equal(f->os.violations_on_path[EQS_PATH_USER], 0);
	assert_int_equal(f->os.nr_records, 1);
	assert_int_equal(f->os.records[0].cpu, 5);
	assert_int_equal(f->os.records[0].site, 1);
	assert_int_equal(f->os.records[0].fetched, 1);
	assert_int_equal(f->os.records[0].synced, gen);
	assert_int_equal(f->os.records[0].path, EQS_PATH_GUEST);
	assert_true(f->os.first_violation_cycles != 0);
	assert_int_equal(f->os.entry_violations, 0);
}

/* Every stale site of one execution is a violation of its own. */
static void test_each_stale_site_counts(void **state)
{
	struct fixture *f = *state;

	synced_write(f, 0);
	synced_write(f, 2);
	check(f, EQS_PATH_IRQ);
	assert_int_equal(f->os.violations, 2);
	assert_int_equal(f->os.violations_on_path[EQS_PATH_IRQ], 2);
	assert_int_equal(f->os.nr_records, 2);
	assert_int_equal(f->os.records[0].site, 0);
	assert_int_equal(f->os.records[1].site, 2);
}

static void test_records_stop_counts_go_on(void **state)
{
	struct fixture *f = *state;
	const unsigned n = EQS_MAX_VIOLATION_RECORDS + 3;

	synced_write(f, 0);
	for (unsigned i = 0; i < n; i++) {
		check(f, (enum eqs_path)(i % EQS_PATH_COUNT));
		assert_int_equal(f->os.violations, i + 1);
		assert_int_equal(f->os.nr_records,
				 i < EQS_MAX_VIOLATION_RECORDS ? i + 1 : EQS_MAX_VIOLATION_RECORDS);
		if (i == 0)
			f->os.first_violation_cycles =
				12345; /* a later violation must not move it */
	}
	assert_int_equal(f->os.first_violation_cycles, 12345);
	for (unsigned i = 0; i < EQS_MAX_VIOLATION_RECORDS; i++)
		assert_int_equal(f->os.records[i].path, (enum eqs_path)(i % EQS_PATH_COUNT));
	uint64_t on_paths = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		on_paths += f->os.violations_on_path[p];
	assert_int_equal(on_paths, n);
}

static void test_unfinished_sync_is_no_violation(void **state)
{
	struct fixture *f = *state;

	text_write(&f->text, 1, &f->text.patcher); /* written, the sync not complete */
	text_write(&f->text, 1, &f->text.patcher);
	check(f, EQS_PATH_USER);
	assert_clean(&f->os);
	/* An earlier completed sync still judges: its generation was fetched. */
	f->fetched[2] = synced_write(f, 2);
	text_write(&f->text, 2, &f->text.patcher);
	check(f, EQS_PATH_USER);
	assert_clean(&f->os);
}

static void test_generations_wrap(void **state)
{
	struct fixture *f = *state;

	/* 0 comes after 0xffffffff: a CPU still at 0xffffffff is stale. */
	f->fetched[0] = 0xffffffffu;
	text_publish(&f->text, 0, 0);
	check(f, EQS_PATH_USER);
	assert_int_equal(f->os.violations, 1);
	assert_int_equal(f->os.records[0].fetched, 0xffffffffu);
	assert_int_equal(f->os.records[0].synced, 0);
	/* And a CPU at 0 is ahead of a sync of 0xffffffff, not 4 billion behind. */
	f->fetched[1] = 0;
	text_publish(&f->text, 1, 0xffffffffu);
	f->fetched[0] = 0;
	check(f, EQS_PATH_USER);
	assert_int_equal(f->os.violations, 1);
}

static void test_entry_sites_count_apart(void **state)
{
	struct fixture *f = *state;
	unsigned entry = NR_SITES + 1; /* the second entry site */

	oracle_check_entry_text(&f->os, &f->text, f->fetched);
	assert_int_equal(f->os.entry_violations, 0);
	text_write(&f->text, entry, &f->text.patcher); /* unfinished: legal */
	oracle_check_entry_text(&f->os, &f->text, f->fetched);
	assert_int_equal(f->os.entry_violations, 0);
	text_publish(&f->text, entry, 1);
	oracle_check_entry_text(&f->os, &f->text, f->fetched);
	assert_int_equal(f->os.entry_violations, 1);
	/* The ordinary text's check does not look at entry sites. */
	check(f, EQS_PATH_USER);
	assert_clean(&f->os);
	/* Nor the entry check at ordinary sites. */
	synced_write(f, 0);
	f->fetched[entry] = 1;
	oracle_check_entry_text(&f->os, &f->text, f->fetched);
	assert_int_equal(f->os.entry_violations, 1);
}

static void test_record_trace_is_the_ring(void **state)
{
	struct fixture *f = *state;
	const struct eqs_violation *r;

	ring_record(&f->t, STEP_EXC_ENTRY, false);
	ring_record(&f->t, STEP_ISB, false);
	ring_record(&f->t, STEP_EXEC_TEXT, false);
	synced_write(f, 0);
	check(f, EQS_PATH_USER);
	r = &f->os.records[0];
	assert_int_equal(r->nr_trace, 3);
	assert_int_equal(r->trace[0].step, STEP_EXC_ENTRY);
	assert_int_equal(r->trace[1].step, STEP_ISB);
	assert_int_equal(r->trace[2].step, STEP_EXEC_TEXT);
	assert_int_equal(r->trace[2].cpu, 5);
	/* A full ring: the last EQS_RING_LEN steps, oldest first. */
	for (unsigned i = 0; i < EQS_RING_LEN + 4; i++)
		ring_record(&f->t, i % 2 ? STEP_DSB : STEP_DMB, false);
	ring_record(&f->t, STEP_WFI, false);
	oracle_record_violation(&f->os, &f->t, 2, 0, 1, EQS_PATH_IDLE);
	r = &f->os.records[1];
	assert_int_equal(r->site, 2);
	assert_int_equal(r->path, EQS_PATH_IDLE);
	assert_int_equal(r->nr_trace, EQS_RING_LEN);
	assert_int_equal(r->trace[EQS_RING_LEN - 1].step, STEP_WFI);
	/* EQS_RING_LEN + 8 steps in all: the oldest kept is the 9th, the loop's i = 5. */
	assert_int_equal(r->trace[0].step, STEP_DSB);
	assert_int_equal(r->trace[1].step, STEP_DMB);
	assert_int_equal(r->trace[EQS_RING_LEN - 2].step, STEP_DSB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_up_to_date_is_no_violation, setup),
		cmocka_unit_test_setup(test_stale_after_sync_is_a_violation, setup),
		cmocka_unit_test_setup(test_each_stale_site_counts, setup),
		cmocka_unit_test_setup(test_records_stop_counts_go_on, setup),
		cmocka_unit_test_setup(test_unfinished_sync_is_no_violation, setup),
		cmocka_unit_test_setup(test_generations_wrap, setup),
		cmocka_unit_test_setup(test_entry_sites_count_apart, setup),
		cmocka_unit_test_setup(test_record_trace_is_the_ring, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
