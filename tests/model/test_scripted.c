/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_scripted.c - scripted interleavings: CPU 0 and the patcher run one
 * at a time in a fixed order.  The seed's race is a patch that lands while
 * the CPU is past its last CSE but RCU still sees it in EQS; the same
 * script must give a violation for early_isb and none for eqs_exit_sync.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "script.h"

static const unsigned one_patch[] = { 0, SCRIPT_END_SITES };

struct scenario {
	enum cpu_op actions[4];
	enum step cpu_stops_before; /* where the patch lands */
	enum eqs_path path;
};

/* User exit: the patch lands between exception entry (and isb_if_eqs) and enable_daif. */
static const struct scenario user_exit = { { CPU_OP_USER_ENTER, CPU_OP_USER_EXIT, CPU_OP_END },
					   STEP_ENABLE_DAIF,
					   EQS_PATH_USER };
/* Idle exit: after the wake interrupt has returned, before rcu_idle_exit. */
static const struct scenario idle_exit = { { CPU_OP_IDLE_ENTER, CPU_OP_IDLE_EXIT, CPU_OP_END },
					   STEP_RCU_IDLE_EXIT,
					   EQS_PATH_IDLE };
/* Interrupt in user mode: the full user exit, after exception entry, before ct_user_exit. */
static const struct scenario user_irq = { { CPU_OP_USER_ENTER, CPU_OP_IRQ, CPU_OP_USER_EXIT,
					    CPU_OP_END },
					  STEP_CT_USER_EXIT,
					  EQS_PATH_USER_IRQ };
/* Interrupt in idle (kernel-mode EQS): after exception entry, before rcu_irq_enter. */
static const struct scenario irq_in_eqs = { { CPU_OP_IDLE_ENTER, CPU_OP_IRQ, CPU_OP_IDLE_EXIT,
					      CPU_OP_END },
					    STEP_RCU_IRQ_ENTER,
					    EQS_PATH_IRQ };
/* NMI in wfi, interrupts masked: after exception entry, before rcu_nmi_enter. */
static const struct scenario nmi_in_eqs = { { CPU_OP_IDLE_ENTER, CPU_OP_NMI, CPU_OP_IDLE_EXIT,
					      CPU_OP_END },
					    STEP_RCU_NMI_ENTER,
					    EQS_PATH_NMI };
/* VHE guest exit: after the trap, before local_irq_enable and guest_exit. */
static const struct scenario guest_exit = { { CPU_OP_GUEST_ENTER, CPU_OP_GUEST_EXIT, CPU_OP_END },
					    STEP_LOCAL_IRQ_ENABLE,
					    EQS_PATH_GUEST };

static struct script_result run(const char *variant, const struct scenario *sc)
{
	const enum cpu_op *actions[1] = { sc->actions };
	const struct script_entry entries[] = {
		{ 0, sc->cpu_stops_before },
		{ SCRIPT_PATCHER, STEP_DONE },
		{ 0, STEP_DONE },
	};
	struct script_result res;
	const struct eqs_variant *v = eqs_variant_find(variant);

	assert_non_null(v);
	int ret = script_run(v, 1, actions, one_patch, entries, 3, &res);

	if (ret)
		fail_msg("%s: %s", variant, res.message);
	return res;
}

static void expect_violation(const char *variant, const struct scenario *sc)
{
	struct script_result res = run(variant, sc);

	assert_true(res.violations > 0);
	assert_int_equal(res.violations_on_path[sc->path], res.violations);
	assert_int_equal(res.first.path, sc->path);
	assert_int_equal(res.first.fetched, 0);
	assert_int_equal(res.first.synced, 1);
}

static void expect_clean(const char *variant, const struct scenario *sc)
{
	struct script_result res = run(variant, sc);

	assert_int_equal(res.violations, 0);
}

/* The seed's race, one script, two variants. */
static void test_same_script_early_isb_vs_fix(void **state)
{
	(void)state;
	expect_violation("early_isb", &user_exit);
	expect_clean("eqs_exit_sync", &user_exit);
	expect_clean("eqs_exit_sync_dsb", &user_exit);
	expect_clean("special_flag", &user_exit);
}

/* A patch that lands before the CPU's exception entry is harmless even for early_isb. */
static void test_patch_before_entry_is_harmless(void **state)
{
	const struct scenario before_entry = { { CPU_OP_USER_ENTER, CPU_OP_USER_EXIT, CPU_OP_END },
					       STEP_EXC_ENTRY,
					       EQS_PATH_USER };

	(void)state;
	expect_clean("early_isb", &before_entry);
}

static void test_early_isb_user(void **state)
{
	(void)state;
	expect_violation("early_isb", &user_exit);
}

static void test_early_isb_idle(void **state)
{
	(void)state;
	expect_violation("early_isb", &idle_exit);
	expect_clean("eqs_exit_sync", &idle_exit);
}

static void test_early_isb_irq(void **state)
{
	(void)state;
	expect_violation("early_isb", &irq_in_eqs);
	expect_clean("eqs_exit_sync", &irq_in_eqs);
	expect_violation("early_isb", &user_irq);
	expect_clean("eqs_exit_sync", &user_irq);
	expect_violation("early_isb", &nmi_in_eqs);
	expect_clean("eqs_exit_sync", &nmi_in_eqs);
}

static void test_early_isb_guest(void **state)
{
	(void)state;
	expect_violation("early_isb", &guest_exit);
	expect_clean("eqs_exit_sync", &guest_exit);
}

/* vhe_guest_gap: broken on the guest exit only. */
static void test_vhe_guest_gap(void **state)
{
	(void)state;
	expect_violation("vhe_guest_gap", &guest_exit);
	expect_clean("vhe_guest_gap", &user_exit);
	expect_clean("vhe_guest_gap", &idle_exit);
	expect_clean("vhe_guest_gap", &irq_in_eqs);
	expect_clean("vhe_guest_gap", &user_irq);
	expect_clean("vhe_guest_gap", &nmi_in_eqs);
}

/* A script that names a step the thread never reaches is reported, not hung. */
static void test_bad_script_is_reported(void **state)
{
	const enum cpu_op actions0[] = { CPU_OP_USER_ENTER, CPU_OP_USER_EXIT, CPU_OP_END };
	const enum cpu_op *actions[1] = { actions0 };
	const struct script_entry entries[] = { { 0, STEP_GUEST_EXIT } };
	struct script_result res;

	(void)state;
	assert_int_equal(
		script_run(eqs_variant_find("early_isb"), 1, actions, one_patch, entries, 1, &res),
		-EPROTO);
	assert_non_null(strstr(res.message, "guest_exit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_script_early_isb_vs_fix),
		cmocka_unit_test(test_patch_before_entry_is_harmless),
		cmocka_unit_test(test_early_isb_user),
		cmocka_unit_test(test_early_isb_idle),
		cmocka_unit_test(test_early_isb_irq),
		cmocka_unit_test(test_early_isb_guest),
		cmocka_unit_test(test_vhe_guest_gap),
		cmocka_unit_test(test_bad_script_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
