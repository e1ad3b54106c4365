/*
 * ct_state.c - the 6.x context-tracking word: the RCU watching counter,
 * the deferred-work bits and the context state in one atomic int.
 */
#include "ct_state.h"
#include "eqssim.h"
#include "rcu_layout.h"
#include "rcu_update.h"

void ct_init(struct ct_state *ct)
{
	eqs_atomic_set(&ct->state, CT_RCU_WATCHING | EQS_CT_STATE_KERNEL);
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
		old = eqs_atomic_read(&ct->state);
		new_val = (old & keep_mask) + add;
	} while (!rcu_word_replace(&ct->state, old, new_val, ct->enter_order));
}

unsigned int ct_kernel_enter(struct ct_state *ct)
{
	int state = ct_word_state(eqs_atomic_read(&ct->state));
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
	if (ct_word_watching(eqs_atomic_read(&ct->state))) {
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
		old = eqs_atomic_read(&ct->state);
		if (!gate(old, arg))
			return false;
	} while (eqs_atomic_cmpxchg(&ct->state, old, old | work) != old);
	return true;
}

/* ---- the layout's ops table (rcu_layout.h) ----------------------------- */

static void ct_layout_init(union rcu_word *w, enum eqs_order exit_order, enum eqs_order enter_order)
{
	ct_init(&w->ct);
	w->ct.exit_order = exit_order;
	w->ct.enter_order = enter_order;
}

static bool ct_watching(union rcu_word *w)
{
	return ct_word_watching(eqs_atomic_read(&w->ct.state));
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
	return eqs_atomic_read(&w->ct.state);
}

static unsigned int ct_snap_full(union rcu_word *w)
{
	return eqs_atomic_add_return(0, &w->ct.state);
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
