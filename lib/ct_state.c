/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ct_state.c - the 6.x context-tracking word: the RCU watching counter,
 * the deferred-work bits and the context state in one atomic int.
 */
#include "ct_state.h"
#include "eqssim.h"
#include "rcu_update.h"

void ct_init(struct ct_state *ct)
{
	kernel_atomic_set(&ct->state, CT_RCU_WATCHING | EQS_CT_STATE_KERNEL);
	ct->nmi_nesting = 0;
	ct->exit_order = ct->enter_order = EQS_ORDER_FULL;
}

/*
 * The work this entry saw, to be flushed now.  As the series has it, the
 * bits are not cleared here (no extra RMW, no barrier): the next kernel
 * exit clears them, ct_nmi_exit() included.
 */
static unsigned int take_work(unsigned int seq)
{
	return seq & CT_WORK_MASK;
}

/* The owner's cmpxchg loop of every kernel exit: clear the work, add delta to the rest. */
static void exit_clearing_work(struct ct_state *ct, unsigned int keep_mask, unsigned int add)
{
	unsigned int old, new_val;

	do {
		old = kernel_atomic_read(&ct->state);
		new_val = (old & keep_mask) + add;
	} while (!rcu_word_replace(&ct->state, old, new_val, ct->enter_order));
}

unsigned int ct_kernel_enter(struct ct_state *ct)
{
	int state = ct_word_state(kernel_atomic_read(&ct->state));
	/*
	 * Fully ordered (unless the variant weakened it): whatever this CPU
	 * does in the kernel is ordered after a remote reader's accesses that
	 * preceded its read of the EQS word.
	 */
	unsigned int seq = rcu_word_add(&ct->state,
					CT_RCU_WATCHING - (unsigned int)state + EQS_CT_STATE_KERNEL,
					ct->exit_order);

	return take_work(seq);
}

void ct_kernel_exit(struct ct_state *ct, int state)
{
	exit_clearing_work(ct, ~(CT_WORK_MASK | CT_STATE_MASK),
			   CT_RCU_WATCHING + (unsigned int)state);
}

unsigned int ct_nmi_enter(struct ct_state *ct, bool *exited_eqs)
{
	*exited_eqs = false;
	if (ct_word_watching(kernel_atomic_read(&ct->state))) {
		ct->nmi_nesting += 2;
		return 0;
	}
	unsigned int seq = rcu_word_add(&ct->state, CT_RCU_WATCHING, ct->exit_order);

	*exited_eqs = true;
	ct->nmi_nesting += 1;
	return take_work(seq);
}

void ct_nmi_exit(struct ct_state *ct)
{
	if (ct->nmi_nesting != 1) {
		ct->nmi_nesting -= 2;
		return;
	}
	ct->nmi_nesting = 0;
	exit_clearing_work(ct, ~CT_WORK_MASK, CT_RCU_WATCHING); /* the state bits stay */
}

bool ct_gate_bits(unsigned int word, void *arg)
{
	unsigned gate = *(const unsigned *)arg;
	unsigned states = gate & 0xf;

	if ((gate & EQS_CT_GATE_NOT_WATCHING) && ct_word_watching(word))
		return false;
	if (states && !(states & (1u << ct_word_state(word))))
		return false;
	return true;
}

bool ct_work_set(struct ct_state *ct, unsigned int work, eqs_ct_gate_fn gate, void *arg)
{
	unsigned int old;

	do {
		old = kernel_atomic_read(&ct->state);
		if (!gate(old, arg))
			return false;
	} while (kernel_atomic_cmpxchg(&ct->state, old, old | work) != old);
	return true;
}
