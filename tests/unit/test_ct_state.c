/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_ct_state.c - the 6.x context-tracking word: its encoding, kernel
 * entry and exit, irq/NMI nesting (an IRQ taken in idle leaves the state
 * bits saying idle), and setting, flushing and clearing deferred work
 * under each gate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ct_state.h"
#include "eqssim.h"

static unsigned int word(struct ct_state *ct)
{
	return kernel_atomic_read(&ct->state);
}

static void test_encoding(void **state)
{
	struct ct_state ct;

	(void)state;
	ct_init(&ct);
	/* [ counter | work | state ]: starts watching, in the kernel, no work. */
	assert_int_equal(word(&ct), CT_RCU_WATCHING | EQS_CT_STATE_KERNEL);
	assert_true(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_KERNEL);
	assert_int_equal(word(&ct) & CT_WORK_MASK, 0);
	assert_int_equal(CT_WORK_MASK & (CT_STATE_MASK | CT_RCU_WATCHING), 0);
}

static void test_user_round_trip(void **state)
{
	struct ct_state ct;

	(void)state;
	ct_init(&ct);
	ct_kernel_exit(&ct, EQS_CT_STATE_USER);
	assert_false(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_USER);
	assert_int_equal(word(&ct) >> 4, 2); /* the counter moved one step */
	assert_int_equal(ct_kernel_enter(&ct), 0);
	assert_true(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_KERNEL);
	assert_int_equal(word(&ct) >> 4, 3);
}

static void test_irq_in_idle_keeps_idle_state(void **state)
{
	struct ct_state ct;
	bool exited;

	(void)state;
	ct_init(&ct);
	ct_kernel_exit(&ct, EQS_CT_STATE_IDLE);
	assert_int_equal(ct_nmi_enter(&ct, &exited), 0);
	assert_true(exited);
	/* Watching now, but the state bits still say idle. */
	assert_true(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_IDLE);
	/* A nested NMI does not move the counter. */
	int before = word(&ct);

	assert_int_equal(ct_nmi_enter(&ct, &exited), 0);
	assert_false(exited);
	assert_int_equal(word(&ct), before);
	ct_nmi_exit(&ct);
	assert_true(ct_word_watching(word(&ct)));
	ct_nmi_exit(&ct);
	assert_false(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_IDLE);
}

static void test_irq_in_kernel_nests(void **state)
{
	struct ct_state ct;
	bool exited;

	(void)state;
	ct_init(&ct);
	int before = word(&ct);

	ct_nmi_enter(&ct, &exited);
	assert_false(exited);
	ct_nmi_exit(&ct);
	assert_int_equal(word(&ct), before);
}

static void test_work_set_flush_clear(void **state)
{
	struct ct_state ct;

	(void)state;
	ct_init(&ct);
	/* Watching: the not-watching gate refuses (the patcher must IPI). */
	assert_false(ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_NOT_WATCHING));
	ct_kernel_exit(&ct, EQS_CT_STATE_USER);
	assert_true(ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_NOT_WATCHING));
	assert_int_equal(word(&ct) & CT_WORK_MASK, CT_WORK_SYNC_CORE);
	/* The kernel entry returns the work to flush and leaves the bits: no extra RMW. */
	assert_int_equal(ct_kernel_enter(&ct), CT_WORK_SYNC_CORE);
	assert_int_equal(word(&ct) & CT_WORK_MASK, CT_WORK_SYNC_CORE);
	assert_true(ct_word_watching(word(&ct)));
	/* The next kernel exit clears them. */
	ct_kernel_exit(&ct, EQS_CT_STATE_USER);
	assert_int_equal(word(&ct) & CT_WORK_MASK, 0);
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_USER);
}

static void test_work_flushed_by_irq_from_eqs(void **state)
{
	struct ct_state ct;
	bool exited;

	(void)state;
	ct_init(&ct);
	ct_kernel_exit(&ct, EQS_CT_STATE_IDLE);
	assert_true(ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_NOT_WATCHING));
	assert_int_equal(ct_nmi_enter(&ct, &exited), CT_WORK_SYNC_CORE);
	assert_true(exited);
	assert_int_equal(word(&ct) & CT_WORK_MASK, CT_WORK_SYNC_CORE);
	/* ct_nmi_exit() is a kernel exit too: it clears the work, the state bits stay. */
	ct_nmi_exit(&ct);
	assert_int_equal(word(&ct) & CT_WORK_MASK, 0);
	assert_false(ct_word_watching(word(&ct)));
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_IDLE);
}

/* A gate on the state bits alone lets work in while an IRQ runs in idle. */
static void test_state_gate_passes_during_irq(void **state)
{
	struct ct_state ct;
	bool exited;

	(void)state;
	ct_init(&ct);
	ct_kernel_exit(&ct, EQS_CT_STATE_IDLE);
	ct_nmi_enter(&ct, &exited);
	assert_false(ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_NOT_WATCHING));
	assert_true(ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_STATE(EQS_CT_STATE_IDLE)));
	/* ...and the interrupt's exit clears it unflushed: the work is lost. */
	ct_nmi_exit(&ct);
	assert_int_equal(word(&ct) & CT_WORK_MASK, 0);
	assert_int_equal(ct_kernel_enter(&ct), 0);
	/* In the kernel the state gate refuses. */
	assert_false(
		ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_STATE(EQS_CT_STATE_IDLE)));
}

static void test_entering_eqs_clears_stale_work(void **state)
{
	struct ct_state ct;

	(void)state;
	ct_init(&ct);
	assert_true(
		ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_STATE(EQS_CT_STATE_KERNEL)));
	ct_kernel_exit(&ct, EQS_CT_STATE_GUEST);
	assert_int_equal(word(&ct) & CT_WORK_MASK, 0);
	assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_GUEST);
}

/*
 * The counter wraps: started just below 2^32, kernel exits and entries
 * keep their meaning across the wrap (unsigned arithmetic, no signed
 * overflow: this test is built to trap on one).
 */
static void test_counter_wraps(void **state)
{
	/* Below the signed wrap (where the old int arithmetic was undefined) and the unsigned one. */
	static const unsigned int starts[] = { 0x7ffffff0u, 0xfffffff0u };
	struct ct_state ct;

	(void)state;
	for (unsigned s = 0; s < 2; s++) {
		ct_init(&ct);
		kernel_atomic_set(&ct.state, starts[s] | EQS_CT_STATE_KERNEL); /* watching */
		for (int i = 0; i < 4; i++) {
			assert_true(ct_word_watching(word(&ct)));
			ct_kernel_exit(&ct, EQS_CT_STATE_USER);
			assert_false(ct_word_watching(word(&ct)));
			assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_USER);
			assert_true(
				ct_work_set_bits(&ct, CT_WORK_SYNC_CORE, EQS_CT_GATE_NOT_WATCHING));
			assert_int_equal(ct_kernel_enter(&ct), CT_WORK_SYNC_CORE);
			assert_int_equal(ct_word_state(word(&ct)), EQS_CT_STATE_KERNEL);
		}
		/* It went past the wrap point. */
		assert_true(word(&ct) - starts[s] - 0x10u < 0xf0u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_user_round_trip),
		cmocka_unit_test(test_irq_in_idle_keeps_idle_state),
		cmocka_unit_test(test_irq_in_kernel_nests),
		cmocka_unit_test(test_work_set_flush_clear),
		cmocka_unit_test(test_work_flushed_by_irq_from_eqs),
		cmocka_unit_test(test_state_gate_passes_during_irq),
		cmocka_unit_test(test_entering_eqs_clears_stale_work),
		cmocka_unit_test(test_counter_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
