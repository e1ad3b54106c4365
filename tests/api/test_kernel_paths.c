/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_kernel_paths.c - the paths as the kernel has them, seen through the
 * public header: an interrupt in user mode is the full user exit (its own
 * path, uirq), NMIs leave EQS in wfi and in an interrupt's entry and nest
 * in its handler, on both RCU layouts.  A variant that leaves one path
 * unsynchronised is caught on that path and no other.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

static void skip_eqs_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap_full);
}

/* Exception entry, RCU's exit, an isb, the text: every path's fix but idle's. */
static void isb_after_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void isb_after_idle_exit(struct eqs_cpu *c)
{
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void isb_after_user_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_enable_irqs(c);
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

#define ALL(e)                                                                                     \
	{                                                                                          \
		[EQS_MODEL_TSO] = e, [EQS_MODEL_ARM64] = e, [EQS_MODEL_SC] = e,                    \
		[EQS_MODEL_ARM_IFETCH] = e, [EQS_MODEL_C11] = e                                    \
	}

/* The fix written out on every path except the one named gap (left as the kernel's). */
static struct eqs_variant gap_variant(const char *name, enum eqs_path gap)
{
	struct eqs_variant v = {
		.name = name,
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = isb_after_user_exit,
			  [EQS_PATH_IDLE] = isb_after_idle_exit,
			  [EQS_PATH_IRQ] = isb_after_exit,
			  [EQS_PATH_GUEST] = isb_after_user_exit,
			  [EQS_PATH_USER_IRQ] = isb_after_exit,
			  [EQS_PATH_NMI] = isb_after_exit },
		.broken_paths = EQS_PATH_BIT(gap),
		.expect = ALL(EQS_EXPECT_BUG),
	};

	v.exit[gap] = NULL;
	return v;
}

/* A stress run with one action only, for at most max_s. */
static struct eqs_report run_for(const struct eqs_variant *v, enum eqs_action only, double max_s)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	for (int a = 0; a < EQS_ACT_COUNT; a++)
		cfg.weights[a] = a == (int)only;
	cfg.duration_s = max_s;
	if (eqs_stress_run(v, &cfg, &r, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	return r;
}

/* ... for at most 60 s: the run ends once its verdict is earned. */
static struct eqs_report run_only(const struct eqs_variant *v, enum eqs_action only)
{
	return run_for(v, only, 60);
}

static void expect_caught_on(const struct eqs_report *r, enum eqs_path path)
{
	if (r->verdict != EQS_VERDICT_MATCH)
		fail_msg("%s: %s", r->variant->name, r->message);
	assert_true(r->violations > 0);
	assert_int_equal(r->violations_on_path[path], r->violations);
}

/* Correct variants stay clean on the NMI action: nesting never leaves a CPU in the wrong state. */
static void test_nmis_nest_on_both_layouts(void **state)
{
	static const char *const names[] = { "eqs_exit_sync", "ct_work", "special_flag" };

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		struct eqs_report r = run_only(eqs_variant_find(names[i]), EQS_ACT_NMI);

		if (r.verdict != EQS_VERDICT_MATCH)
			fail_msg("%s: %s", names[i], r.message);
		assert_int_equal(r.violations, 0);
		assert_true(r.eqs_exits_on_path[EQS_PATH_NMI] > 0);
		assert_true(r.eqs_exits_on_path[EQS_PATH_IRQ] > 0);
		assert_true(r.exercised_races_on_path[EQS_PATH_NMI] >= 30);
	}
}

static void test_nmi_path_is_its_own(void **state)
{
	struct eqs_variant v = gap_variant("test_nmi_gap", EQS_PATH_NMI);

	(void)state;
	struct eqs_report r = run_only(&v, EQS_ACT_NMI);

	expect_caught_on(&r, EQS_PATH_NMI);
}

/* The interrupt taken in user mode leaves EQS by uirq, not by rcu_irq_enter. */
static void test_user_mode_irq_is_a_full_user_exit(void **state)
{
	struct eqs_variant uirq_gap = gap_variant("test_uirq_gap", EQS_PATH_USER_IRQ);
	struct eqs_variant irq_gap = gap_variant("test_irq_gap", EQS_PATH_IRQ);

	(void)state;
	struct eqs_report r = run_only(&uirq_gap, EQS_ACT_IRQ);

	expect_caught_on(&r, EQS_PATH_USER_IRQ);
	/*
	 * The same action leaves the kernel-mode irq path all but untaken
	 * (only an IPI pending at a syscall's enable_daif takes it): uirq
	 * carries the interrupts' exits.
	 */
	r = run_for(&irq_gap, EQS_ACT_IRQ, 0.5);
	assert_true(r.eqs_exits_on_path[EQS_PATH_USER_IRQ] > r.eqs_exits_on_path[EQS_PATH_IRQ]);
	assert_int_equal(r.eqs_exits_on_path[EQS_PATH_NMI], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nmis_nest_on_both_layouts),
		cmocka_unit_test(test_nmi_path_is_its_own),
		cmocka_unit_test(test_user_mode_irq_is_a_full_user_exit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
