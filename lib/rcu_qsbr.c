/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_qsbr.c - the liburcu QSBR mapping: every EQS is offline, every exit
 * goes online (an interrupt taken in EQS for its handler only), and kernel
 * work reports a quiescent state.  There is no word the patcher can read:
 * a snapshot always says "watching", and the patcher waits with
 * synchronize_rcu() instead.
 */
#include <urcu/urcu-qsbr.h>

#include "rcu_layout.h"

static bool qsbr_eqs_exit(union rcu_word *w)
{
	(void)w;
	urcu_qsbr_thread_online();
	return false;
}

static void qsbr_eqs_enter(union rcu_word *w, int ct_state)
{
	(void)w;
	(void)ct_state;
	urcu_qsbr_thread_offline();
}

static bool qsbr_irq_enter(union rcu_word *w, bool in_eqs, bool *exited)
{
	(void)w;
	*exited = in_eqs;
	if (in_eqs)
		urcu_qsbr_thread_online();
	return false;
}

static void qsbr_irq_exit(union rcu_word *w, bool to_eqs)
{
	(void)w;
	if (to_eqs)
		urcu_qsbr_thread_offline();
}

static unsigned int qsbr_snap(union rcu_word *w)
{
	(void)w;
	return 1;
}

static bool qsbr_snap_in_eqs(unsigned int snap)
{
	(void)snap;
	return false;
}

/* liburcu orders online / offline itself: a variant's ordering does not apply. */
static void qsbr_init(union rcu_word *w, enum eqs_order exit_order, enum eqs_order enter_order)
{
	(void)w;
	(void)exit_order;
	(void)enter_order;
}

const struct rcu_layout rcu_layout_qsbr = {
	.init = qsbr_init,
	.thread_start = urcu_qsbr_register_thread,
	.thread_end = urcu_qsbr_unregister_thread,
	.eqs_exit = qsbr_eqs_exit,
	.eqs_enter = qsbr_eqs_enter,
	.irq_enter = qsbr_irq_enter,
	.irq_exit = qsbr_irq_exit,
	.snap = qsbr_snap,
	.snap_full = qsbr_snap,
	.snap_in_eqs = qsbr_snap_in_eqs,
	.quiescent_state = urcu_qsbr_quiescent_state,
	.synchronize = urcu_qsbr_synchronize_rcu,
	.blocks_outside_steps = true,
};
