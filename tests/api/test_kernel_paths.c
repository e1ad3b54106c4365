/*
 * test_kernel_paths.c - the paths as the kernel has them, seen through the
 * public header: an interrupt in user mode is the full user exit (its own
 * path, uirq), NMIs leave EQS in wfi and in an interrupt's entry and nest
 * in its handler, on both RCU layouts.  A variant that leaves one path
 * unsynchronised is caught on that path and no other; one that weakens the
 * CPU's EQS exit update is caught where the machine reorders.
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
		cmocka_unit_test(test_nmis_nest_on_both_layouts),
		cmocka_unit_test(test_nmi_path_is_its_own),
		cmocka_unit_test(test_user_mode_irq_is_a_full_user_exit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
