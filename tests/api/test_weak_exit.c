/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_weak_exit.c - a variant that weakens the CPU's half of the
 * store-buffering pair (its EQS exit update relaxed, or a store-release)
 * is caught where the machine reorders.  A chance catch of the hardware's
 * store buffer: labelled "chance", it is left out of the test command's
 * stages (run it with ctest -L chance), because on this project's shared
 * VMs there are phases of minutes when the vCPUs rarely run in parallel
 * and eight 8 s runs miss it, quiet machine or not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

/*
 * The review's fix with the CPU's half of the store-buffering pair
 * weakened: the EQS exit update a plain store (or a store-release) instead
 * of the fully ordered atomic_add_return().  Its isb's refetch can then
 * pass the store, while the patcher's write; smp_mb(); read sees the CPU
 * still in EQS.  Buggy under tso and arm64 (sc alone forbids it).
 */
/*
 * It glances at every CPU's word first, as a patcher choosing whom to skip
 * might: harmless to the protocol, and it leaves the CPUs' lines shared,
 * so an exit's store has to wait in the store buffer for the line.  That
 * made the catch robust under load (beside two burners, 2 CPUs: 5 seeds
 * caught in 0.46 s at worst, where without the glance two of five went 8 s).
 */
static void plain_snap_patch(struct eqs_patcher *p)
{
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++)
		(void)eqs_snap(p, cpu);
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap); /* the series' plain reads */
}

static void test_weakened_exit_update_is_caught(void **state)
{
	static const enum eqs_order weak[] = { EQS_ORDER_RELAXED, EQS_ORDER_RELEASE };
	struct eqs_variant v = {
		.name = "test_weak_exit",
		.patch = plain_snap_patch,
		.rcu_exit_sync = eqs_isb,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_BUG,
			    [EQS_MODEL_ARM64] = EQS_EXPECT_BUG,
			    [EQS_MODEL_SC] = EQS_EXPECT_OK,
			    [EQS_MODEL_ARM_IFETCH] = EQS_EXPECT_BUG,
			    [EQS_MODEL_C11] = EQS_EXPECT_BUG },
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	if (eqs_host_model() != EQS_MODEL_TSO) {
		/*
		 * Under qemu-aarch64 the only reordering is the x86 host's,
		 * through an emulated isb: 60 s did not catch it.  A stress
		 * run can only catch what the machine does; on arm64 the
		 * weak-memory explorer is to judge it (issue 10).
		 */
		skip();
	}
	eqs_config_default(&cfg);
	cfg.duration_s = 8; /* a maximum: a run ends at its first violation */
	/*
	 * The catch is a chance one, with a heavy tail: beside two burners a
	 * run catches it in under a second most of the time, but one in five
	 * can go 10 s without, and misses come in streaks.  Fresh runs (new
	 * threads, seed and CPU count) are the cure, as they would be for a
	 * reviewer: up to eight of them.
	 */
	for (unsigned i = 0; i < 2; i++) {
		unsigned tries = 0;

		v.exit_order = weak[i];
		do {
			cfg.seed = ++tries;
			cfg.cpus = 2 + tries % 3;
			assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
			print_message(
				"exit update %s, seed %u, %u CPUs: %s in %.2f s, %llu violations\n",
				i ? "release" : "relaxed", tries, cfg.cpus,
				eqs_verdict_name(r.verdict), r.seconds,
				(unsigned long long)r.violations);
			/* Never judged correct: uncaught is a mismatch, not a clean run. */
			assert_true(r.verdict == EQS_VERDICT_MATCH ||
				    r.verdict == EQS_VERDICT_MISMATCH);
		} while (r.verdict != EQS_VERDICT_MATCH && tries < 8);
		assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
		assert_true(r.violations > 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weakened_exit_update_is_caught),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
