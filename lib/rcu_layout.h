/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_layout.h - RCU's per-CPU state as the machine sees it: one const ops
 * table per layout (the 4.16 dynticks counter, the 6.x context-tracking
 * word, the liburcu QSBR mapping), as liburcu has one per flavour.  The
 * CPUs and the patcher call the table of the variant's layout and never
 * ask which layout it is.
 */
#ifndef EQS_RCU_LAYOUT_H
#define EQS_RCU_LAYOUT_H

#include <stdbool.h>

#include "ct_state.h"
#include "eqssim.h"
#include "rcu_dynticks.h"

/* One CPU's RCU word, in whichever layout the run uses. */
union rcu_word {
	struct dynticks dt;
	struct ct_state ct;
};

struct rcu_layout {
	/* A CPU's word at the start, its exits and entries updating it with these orderings. */
	void (*init)(union rcu_word *w, enum eqs_order exit_order, enum eqs_order enter_order);
	/* The owner's thread joins / leaves RCU (QSBR registration); NULL: nothing. */
	void (*thread_start)(void);
	void (*thread_end)(void);
	/* rcu_is_watching() on the owner; NULL: the layout keeps no such word (QSBR). */
	bool (*watching)(union rcu_word *w);
	/*
	 * Process-level EQS exit (user, idle, guest) and entry.  Exit returns
	 * true when deferred work was set: it has been taken, and the caller
	 * runs the variant's deferred hook.  ct_state: the context entered.
	 */
	bool (*eqs_exit)(union rcu_word *w);
	void (*eqs_enter)(union rcu_word *w, int ct_state);
	/*
	 * Interrupt entry and exit, nesting.  in_eqs: the CPU's own view before
	 * the entry; *exited: this entry took it out of EQS.  Returns the
	 * deferred work as eqs_exit() does.
	 */
	bool (*irq_enter)(union rcu_word *w, bool in_eqs, bool *exited);
	void (*irq_exit)(union rcu_word *w, bool to_eqs);
	/* The patcher's remote reads, plain and fully ordered, and their meaning. */
	unsigned int (*snap)(union rcu_word *w);
	unsigned int (*snap_full)(union rcu_word *w);
	bool (*snap_in_eqs)(unsigned int snap);
	/* Remote deferral, by fully ordered cmpxchg; NULL where the layout has none. */
	bool (*special_set)(union rcu_word *w);
	bool (*ct_work_set)(union rcu_word *w, eqs_ct_gate_fn gate, void *arg);
	/* Kernel work reports a quiescent state; NULL: RCU needs no report. */
	void (*quiescent_state)(void);
	/* synchronize_rcu(); NULL where the patcher cannot wait on RCU itself. */
	void (*synchronize)(void);
	/* It blocks outside the step hooks (inside liburcu): not explorable. */
	bool blocks_outside_steps;
};

extern const struct rcu_layout rcu_layout_dynticks;
extern const struct rcu_layout rcu_layout_ct_state;
extern const struct rcu_layout rcu_layout_qsbr;

/* The table of a layout; NULL for an unknown one. */
const struct rcu_layout *rcu_layout_of(enum eqs_rcu_layout layout);

#endif /* EQS_RCU_LAYOUT_H */
