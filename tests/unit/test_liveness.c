/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_liveness.c - the stress watchdog's rule (lib/stress/liveness.h) on
 * made-up looks: a thread the host starves is not hung however long the
 * wall clock runs, nor is the thread spinning for it; a wait nobody
 * satisfies, with every thread running, is; work done, or a thread that
 * exited, resets or drops the count; a clock that cannot be read falls
 * back to the wall clock; the wall-clock backstop catches threads blocked
 * outside the simulation, even while others work.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "liveness.h"

#define HANG_S 2.0

/* Thread 0 the patcher, 1 and 2 CPUs. */
static struct liveness_look look[3];
static struct liveness l;

static void start(unsigned n)
{
	memset(look, 0, sizeof(look));
	liveness_init(&l, n, HANG_S, 0, look);
}

/* Advance the wall clock by wall seconds and each thread's CPU time by cpu[i]. */
static int after(double *wall, double wall_s, const double *cpu, unsigned n)
{
	*wall += wall_s;
	for (unsigned i = 0; i < n; i++)
		look[i].cpu_s += cpu[i];
	return liveness_check(&l, look, *wall);
}

static void a_starved_thread_is_not_hung(void **state)
{
	double wall = 0;
	const double spin_alone[3] = { 0.5, 0, 0.5 }; /* cpu1 never scheduled */
	(void)state;

	start(3);
	/* Twenty wall seconds: the old wall-clock rule called this a hang at two. */
	for (int k = 0; k < 40; k++)
		assert_int_equal(after(&wall, 0.5, spin_alone, 3), -1);
	/* cpu1 gets the host at last, and its action finishes: the others go on. */
	look[1].cpu_s += 0.1;
	look[1].units++;
	look[0].units++;
	look[2].units++;
	assert_int_equal(liveness_check(&l, look, wall += 0.1), -1);
}

static void a_wait_nobody_satisfies_is_a_hang(void **state)
{
	double wall = 0;
	const double all_spin[3] = { 0.25, 0.25, 0.25 };
	int hung = -1, checks = 0;
	(void)state;

	start(3);
	while (hung < 0 && checks < 100) {
		hung = after(&wall, 0.5, all_spin, 3);
		checks++;
	}
	assert_int_equal(hung, 0);
	/* At two seconds of each thread's own CPU time, not before. */
	assert_int_equal(checks, 8);
}

static void work_done_resets_the_count(void **state)
{
	double wall = 0;
	const double all_spin[3] = { 0.5, 0.5, 0.5 };
	(void)state;

	start(3);
	for (int k = 0; k < 20; k++) {
		for (unsigned i = 0; i < 3; i++)
			look[i].units++;
		assert_int_equal(after(&wall, 0.5, all_spin, 3), -1);
	}
	/* cpu2 keeps working while the patcher and cpu1 wait on each other: still a hang. */
	int hung = -1;

	for (int k = 0; k < 20 && hung < 0; k++) {
		look[2].units++;
		hung = after(&wall, 0.5, all_spin, 3);
	}
	assert_int_equal(hung, 0);
}

static void an_exited_thread_is_left_out(void **state)
{
	double wall = 0;
	const double cpus_gone[3] = { 0.5, 0, 0 };
	int hung = -1;
	(void)state;

	start(3);
	look[1].exited = true;
	look[2].cpu_s = -1; /* its clock cannot be read: the wall clock stands in */
	for (int k = 0; k < 20 && hung < 0; k++)
		hung = after(&wall, 0.5, cpus_gone, 3);
	assert_int_equal(hung, 0);
	assert_true(wall <= 2.5);
}

/*
 * The patcher asleep on a futex (liburcu's synchronize_rcu waiting for a
 * CPU that waits on it), one CPU spinning, the other still working: no
 * CPU-time rule can fire, since the sleeper never runs; the backstop
 * must, or the run never returns.
 */
static void a_sleeper_among_workers_hits_the_backstop(void **state)
{
	double wall = 0;
	const double one_sleeps[3] = { 0, 0.5, 0.5 };
	int hung = -1;
	(void)state;

	start(3);
	while (hung < 0 && wall < 1000) {
		look[2].units++;
		hung = after(&wall, 0.5, one_sleeps, 3);
	}
	assert_true(hung == 0 || hung == 1);
	assert_true(wall > 59 && wall < 62);
}

static void threads_blocked_outside_the_simulation_hit_the_backstop(void **state)
{
	double wall = 0;
	const double blocked[2] = { 0, 0 };
	int hung = -1;
	(void)state;

	start(2);
	while (hung < 0 && wall < 1000)
		hung = after(&wall, 1, blocked, 2);
	assert_int_equal(hung, 0);
	assert_true(wall > 59 && wall < 62);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_starved_thread_is_not_hung),
		cmocka_unit_test(a_wait_nobody_satisfies_is_a_hang),
		cmocka_unit_test(work_done_resets_the_count),
		cmocka_unit_test(an_exited_thread_is_left_out),
		cmocka_unit_test(threads_blocked_outside_the_simulation_hit_the_backstop),
		cmocka_unit_test(a_sleeper_among_workers_hits_the_backstop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
