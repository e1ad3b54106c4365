/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_layout_ct_state.c - the 6.x context-tracking word (ct_state.c) as
 * the machine sees an RCU word: its ops table (rcu_layout.h).
 */
#include "ct_state.h"
#include "rcu_layout.h"

static void ct_layout_init(union rcu_word *w, enum eqs_order exit_order, enum eqs_order enter_order)
{
	ct_init(&w->ct);
	w->ct.exit_order = exit_order;
	w->ct.enter_order = enter_order;
}

static bool ct_watching(union rcu_word *w)
{
	return ct_word_watching(kernel_atomic_read(&w->ct.state));
}

static bool ct_eqs_exit(union rcu_word *w)
{
	return ct_kernel_enter(&w->ct) != 0;
}

static void ct_eqs_enter(union rcu_word *w, int ct_state)
{
	ct_kernel_exit(&w->ct, ct_state);
}

static bool ct_irq_enter(union rcu_word *w, bool in_eqs, bool *exited)
{
	(void)in_eqs; /* the word itself says */
	return ct_nmi_enter(&w->ct, exited) != 0;
}

static void ct_irq_exit(union rcu_word *w, bool to_eqs)
{
	(void)to_eqs; /* the nesting says */
	ct_nmi_exit(&w->ct);
}

static unsigned int ct_snap(union rcu_word *w)
{
	return kernel_atomic_read(&w->ct.state);
}

static unsigned int ct_snap_full(union rcu_word *w)
{
	return kernel_atomic_add_return(0, &w->ct.state);
}

static bool ct_snap_in_eqs(unsigned int snap)
{
	return !ct_word_watching(snap);
}

static bool ct_sync_core_work_set(union rcu_word *w, eqs_ct_gate_fn gate, void *arg)
{
	return ct_work_set(&w->ct, CT_WORK_SYNC_CORE, gate, arg);
}

const struct rcu_layout rcu_layout_ct_state = {
	.init = ct_layout_init,
	.watching = ct_watching,
	.eqs_exit = ct_eqs_exit,
	.eqs_enter = ct_eqs_enter,
	.irq_enter = ct_irq_enter,
	.irq_exit = ct_irq_exit,
	.snap = ct_snap,
	.snap_full = ct_snap_full,
	.snap_in_eqs = ct_snap_in_eqs,
	.ct_work_set = ct_sync_core_work_set,
};
