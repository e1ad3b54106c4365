/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_layout_dynticks.c - the 4.16 dynticks counter (rcu_dynticks.c) as
 * the machine sees an RCU word: its ops table (rcu_layout.h).
 */
#include "rcu_dynticks.h"
#include "rcu_layout.h"

static void dt_init(union rcu_word *w, enum eqs_order exit_order, enum eqs_order enter_order)
{
	rcu_dynticks_init(&w->dt);
	w->dt.exit_order = exit_order;
	w->dt.enter_order = enter_order;
}

static bool dt_watching(union rcu_word *w)
{
	return rcu_dynticks_watching(&w->dt);
}

static bool dt_eqs_exit(union rcu_word *w)
{
	return rcu_eqs_exit(&w->dt);
}

static void dt_eqs_enter(union rcu_word *w, int ct_state)
{
	(void)ct_state;
	rcu_eqs_enter(&w->dt);
}

static bool dt_irq_enter(union rcu_word *w, bool in_eqs, bool *exited)
{
	bool work;

	(void)in_eqs; /* the counter itself says */
	rcu_nmi_enter(&w->dt, exited, &work);
	return work;
}

static void dt_irq_exit(union rcu_word *w, bool to_eqs)
{
	(void)to_eqs; /* the nesting says */
	rcu_nmi_exit(&w->dt);
}

static unsigned int dt_snap(union rcu_word *w)
{
	return rcu_dynticks_snap_plain(&w->dt);
}

static unsigned int dt_snap_full(union rcu_word *w)
{
	return rcu_dynticks_snap(&w->dt);
}

static bool dt_special_set(union rcu_word *w)
{
	return rcu_eqs_special_set(&w->dt);
}

const struct rcu_layout rcu_layout_dynticks = {
	.init = dt_init,
	.watching = dt_watching,
	.eqs_exit = dt_eqs_exit,
	.eqs_enter = dt_eqs_enter,
	.irq_enter = dt_irq_enter,
	.irq_exit = dt_irq_exit,
	.snap = dt_snap,
	.snap_full = dt_snap_full,
	.snap_in_eqs = rcu_dynticks_in_eqs,
	.special_set = dt_special_set,
};
