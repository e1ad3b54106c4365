/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_aimed_races.c - aimed races (issue 12): the machine lets a driver
 * time the end of an EQS stay and counts the exit that follows as aimed,
 * and as landing in a window when a sync had written and not yet published;
 * stress aims its CPUs' exits at the patcher's next write, counts them, and
 * still judges variants as expected with aiming on and off.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clock.h"
#include "driver.h"
#include "error.h"
#include "eqssim.h"
#include "race.h"
#include "workload.h"
#include "sanitizer.h"

/* A driver that times every EQS stay to end `stretch` cycles after it begins. */
struct timing {
	uint64_t stretch;
	bool aim;
	unsigned calls, in_eqs_calls;
	uint64_t last_end;
};

static uint64_t timed_stay_end(struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed)
{
	struct timing *tm = t->sim->run.driver_data;
	struct eqs_cpu *c = &t->sim->cpus[t->id];

	(void)end;
	tm->calls++;
	tm->in_eqs_calls += !c->ctx.watching;
	*aimed = tm->aim;
	tm->last_end = now + tm->stretch;
	return tm->last_end;
}

static const struct sim_driver timing_driver = { .stay_end = timed_stay_end };

static struct sim *machine(struct timing *tm)
{
	struct sim *sim = sim_alloc(struct sim, 1);
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	assert_non_null(sim);
	eqs_config_default(&cfg);
	cfg.cpus = 1;
	cfg.user_ns = 100; /* the driver's stretch, not this, sets the stay */
	assert_int_equal(sim_init(sim, eqs_variant_find("eqs_exit_sync"), &cfg, &timing_driver, tm,
				  err, sizeof(err)),
			 0);
	return sim;
}

static void destroy(struct sim *sim)
{
	sim_destroy(sim);
	free(sim);
}

/* The stay lasts until the driver's end; the exit after it is counted as aimed. */
static void test_a_timed_stay_ends_where_the_driver_says(void **state)
{
	struct timing tm = { .aim = true };
	struct sim *sim;

	(void)state;
	tm.stretch = clock_ns_to_cycles(200000); /* 200 us: far beyond user_ns */
	sim = machine(&tm);
	struct eqs_cpu *c = &sim->cpus[0];

	uint64_t before = cycles_now();

	/* A syscall: the user-mode stay, then the user exit path. */
	workload_run(c, EQS_ACT_SYSCALL);
	assert_true(cycles_now() >= tm.last_end);
	assert_true(tm.last_end > before);
	assert_int_equal(tm.calls, 1); /* the user-mode stay; the kernel tail after it is not */
	assert_int_equal(tm.in_eqs_calls, 1);
	assert_int_equal(c->race.aimed_exits, 1);
	assert_int_equal(c->race.aimed_in_window, 0); /* no sync was in flight */
	assert_int_equal(c->oracle.violations, 0);
	destroy(sim);
}

/* Kernel work is not an EQS stay: the driver is never asked to time it. */
static void test_kernel_work_is_never_timed(void **state)
{
	struct timing tm = { .aim = true, .stretch = 1000 };
	struct sim *sim;

	(void)state;
	sim = machine(&tm);
	for (int i = 0; i < 10; i++)
		workload_run(&sim->cpus[0], EQS_ACT_KERNEL);
	assert_int_equal(tm.calls, 0);
	assert_int_equal(sim->cpus[0].race.aimed_exits, 0);
	destroy(sim);
}

/* An aimed exit whose update comes between a sync's write and its publication lands in it. */
static void test_an_exit_inside_a_sync_lands_in_its_window(void **state)
{
	struct timing tm = { .aim = true, .stretch = 1000 };
	struct sim *sim;

	(void)state;
	sim = machine(&tm);
	struct eqs_patcher *p = &sim->patcher;
	struct eqs_cpu *c = &sim->cpus[0];

	/* The patcher's half of a sync, by hand: begun and written, not published. */
	p->seq = p->race.sync_seq + 1;
	race_sync_begin(&p->race, p->seq);
	race_sync_written(&p->race, p->seq, 0, c->ctx.fetched[0] + 1);
	workload_run(c, EQS_ACT_SYSCALL);
	assert_int_equal(c->race.aimed_exits, 1);
	assert_int_equal(c->race.aimed_in_window, 1);

	/* The same exit not timed by the driver counts in neither. */
	tm.aim = false;
	workload_run(c, EQS_ACT_SYSCALL);
	assert_int_equal(c->race.aimed_exits, 1);
	assert_int_equal(c->race.aimed_in_window, 1);
	destroy(sim);
}

static void stress(const char *variant, bool aim, struct eqs_report *r)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.aim = aim;
	cfg.duration_s = 60; /* a maximum: the verdict ends it */
	assert_int_equal(eqs_stress_run(eqs_variant_find(variant), &cfg, r, err, sizeof(err)), 0);
	print_message("%-14s aim=%d %-12s %llu violations, %llu races, %llu aimed, %llu in a "
		      "window, %.2f s\n",
		      variant, aim, eqs_verdict_name(r->verdict), (unsigned long long)r->violations,
		      (unsigned long long)r->exercised_races, (unsigned long long)r->aimed_exits,
		      (unsigned long long)r->aimed_in_window, r->seconds);
}

/* Stress aims by default; with --no-aim nothing is; either way verdicts stand. */
static void test_stress_aims_and_counts(void **state)
{
	static struct eqs_report r;

	(void)state;
	stress("eqs_exit_sync", true, &r);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(r.aimed_exits > 0);
	assert_true(r.aimed_in_window > 0);
	assert_true(r.aimed_in_window <= r.aimed_exits);
	assert_true(r.aimed_exits <= r.eqs_exits);

	stress("eqs_exit_sync", false, &r);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_int_equal(r.aimed_exits, 0);
	assert_int_equal(r.aimed_in_window, 0);

	stress("early_isb", true, &r);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(r.violations > 0);
}

static void test_default_aims(void **state)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	assert_true(cfg.aim);
	assert_true(cfg.aim_spread_ns > 0);
	cfg.aim_spread_ns = 1000001;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "aim spread"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_timed_stay_ends_where_the_driver_says),
		cmocka_unit_test(test_kernel_work_is_never_timed),
		cmocka_unit_test(test_an_exit_inside_a_sync_lands_in_its_window),
		cmocka_unit_test(test_default_aims),
		cmocka_unit_test(test_stress_aims_and_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
