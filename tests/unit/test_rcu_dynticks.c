/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_rcu_dynticks.c - the 4.16 counter encoding, EQS entry and exit,
 * irq/NMI nesting, and the special flag.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rcu_dynticks.h"

static void test_starts_watching(void **state)
{
	struct dynticks dt;

	(void)state;
	rcu_dynticks_init(&dt);
	assert_int_equal(rcu_dynticks_snap_plain(&dt), RCU_DYNTICK_CTRL_CTR);
	assert_true(rcu_dynticks_watching(&dt));
	assert_false(rcu_dynticks_in_eqs(rcu_dynticks_snap(&dt)));
}

static void test_enter_exit_steps_of_two(void **state)
{
	struct dynticks dt;

	(void)state;
	rcu_dynticks_init(&dt);
	rcu_eqs_enter(&dt);
	assert_int_equal(rcu_dynticks_snap_plain(&dt), 2 * RCU_DYNTICK_CTRL_CTR);
	assert_true(rcu_dynticks_in_eqs(rcu_dynticks_snap_plain(&dt)));
	assert_false(rcu_dynticks_watching(&dt));
	assert_false(rcu_eqs_exit(&dt));
	assert_int_equal(rcu_dynticks_snap_plain(&dt), 3 * RCU_DYNTICK_CTRL_CTR);
	assert_true(rcu_dynticks_watching(&dt));
	/* The fully ordered snapshot reads the same value and changes nothing. */
	assert_int_equal(rcu_dynticks_snap(&dt), 3 * RCU_DYNTICK_CTRL_CTR);
	assert_int_equal(rcu_dynticks_snap_plain(&dt), 3 * RCU_DYNTICK_CTRL_CTR);
}

static void test_irq_from_eqs_leaves_eqs(void **state)
{
	struct dynticks dt;
	bool exited, special;

	(void)state;
	rcu_dynticks_init(&dt);
	rcu_eqs_enter(&dt);
	rcu_nmi_enter(&dt, &exited, &special);
	assert_true(exited);
	assert_false(special);
	assert_true(rcu_dynticks_watching(&dt));
	assert_int_equal(dt.dynticks_nmi_nesting, 1);
	/* A nested NMI adds 2 and does not touch the counter. */
	int before = rcu_dynticks_snap_plain(&dt);

	rcu_nmi_enter(&dt, &exited, &special);
	assert_false(exited);
	assert_int_equal(dt.dynticks_nmi_nesting, 3);
	assert_int_equal(rcu_dynticks_snap_plain(&dt), before);
	rcu_nmi_exit(&dt);
	assert_int_equal(dt.dynticks_nmi_nesting, 1);
	assert_true(rcu_dynticks_watching(&dt));
	/* The outermost exit (nesting 1) goes back to EQS. */
	rcu_nmi_exit(&dt);
	assert_int_equal(dt.dynticks_nmi_nesting, 0);
	assert_false(rcu_dynticks_watching(&dt));
}

static void test_irq_in_kernel_keeps_watching(void **state)
{
	struct dynticks dt;
	bool exited, special;

	(void)state;
	rcu_dynticks_init(&dt);
	int before = rcu_dynticks_snap_plain(&dt);

	rcu_nmi_enter(&dt, &exited, &special);
	assert_false(exited);
	assert_int_equal(dt.dynticks_nmi_nesting, DYNTICK_IRQ_NONIDLE + 2);
	rcu_nmi_exit(&dt);
	assert_int_equal(dt.dynticks_nmi_nesting, DYNTICK_IRQ_NONIDLE);
	assert_int_equal(rcu_dynticks_snap_plain(&dt), before);
	assert_true(rcu_dynticks_watching(&dt));
}

static void test_special_set_only_in_eqs(void **state)
{
	struct dynticks dt;

	(void)state;
	rcu_dynticks_init(&dt);
	assert_false(rcu_eqs_special_set(&dt)); /* watching: refused */
	assert_int_equal(rcu_dynticks_snap_plain(&dt) & RCU_DYNTICK_CTRL_MASK, 0);
	rcu_eqs_enter(&dt);
	assert_true(rcu_eqs_special_set(&dt));
	assert_int_equal(rcu_dynticks_snap_plain(&dt) & RCU_DYNTICK_CTRL_MASK, 1);
	/* Setting twice keeps one flag. */
	assert_true(rcu_eqs_special_set(&dt));
	assert_true(rcu_dynticks_in_eqs(rcu_dynticks_snap_plain(&dt)));
	/* Exit reports it once, clears it, and the counter still moved by CTR. */
	assert_true(rcu_eqs_exit(&dt));
	assert_int_equal(rcu_dynticks_snap_plain(&dt), 3 * RCU_DYNTICK_CTRL_CTR);
	rcu_eqs_enter(&dt);
	assert_false(rcu_eqs_exit(&dt));
}

static void test_special_seen_by_irq_exit_from_eqs(void **state)
{
	struct dynticks dt;
	bool exited, special;

	(void)state;
	rcu_dynticks_init(&dt);
	rcu_eqs_enter(&dt);
	assert_true(rcu_eqs_special_set(&dt));
	rcu_nmi_enter(&dt, &exited, &special);
	assert_true(exited);
	assert_true(special);
	assert_int_equal(rcu_dynticks_snap_plain(&dt) & RCU_DYNTICK_CTRL_MASK, 0);
	rcu_nmi_exit(&dt);
	assert_false(rcu_dynticks_watching(&dt));
}

/*
 * The counter wraps (after 2^31 exits, some minutes of a busy run): started
 * just below 2^32, EQS entry, exit, the special flag and irq nesting keep
 * their meaning across the wrap (this test is built to trap on a signed
 * overflow).
 */
static void test_counter_wraps(void **state)
{
	/* Below the signed wrap (where the old int arithmetic was undefined) and the unsigned one. */
	static const unsigned int starts[] = { 0x7ffffffeu, 0xfffffffeu };
	struct dynticks dt;
	bool exited, special;

	(void)state;
	for (unsigned s = 0; s < 2; s++) {
		rcu_dynticks_init(&dt);
		kernel_atomic_set(&dt.dynticks, starts[s]); /* CTR set: watching */
		for (int i = 0; i < 4; i++) {
			assert_true(rcu_dynticks_watching(&dt));
			rcu_eqs_enter(&dt);
			assert_true(rcu_dynticks_in_eqs(rcu_dynticks_snap(&dt)));
			assert_true(rcu_eqs_special_set(&dt));
			rcu_nmi_enter(&dt, &exited, &special);
			assert_true(exited && special);
			rcu_nmi_exit(&dt);
			assert_false(rcu_dynticks_watching(&dt));
			assert_false(rcu_eqs_exit(&dt));
		}
		/* It went past the wrap point. */
		assert_true((unsigned int)rcu_dynticks_snap_plain(&dt) - starts[s] - 0x10u < 0xf0u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_starts_watching),
		cmocka_unit_test(test_enter_exit_steps_of_two),
		cmocka_unit_test(test_irq_from_eqs_leaves_eqs),
		cmocka_unit_test(test_irq_in_kernel_keeps_watching),
		cmocka_unit_test(test_special_set_only_in_eqs),
		cmocka_unit_test(test_special_seen_by_irq_exit_from_eqs),
		cmocka_unit_test(test_counter_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
