/*
 * ct_state.c - the 6.x context-tracking word: the RCU watching counter,
 * the deferred-work bits and the context state in one atomic int.
 */
#include "ct_state.h"
#include "eqssim.h"

void ct_init(struct ct_state *ct)
{
	eqs_atomic_set(&ct->state, CT_RCU_WATCHING | EQS_CT_STATE_KERNEL);
	ct->nmi_nesting = 0;
}

/* Clear the work we saw; the work itself runs after the clear is ordered. */
static int take_work(struct ct_state *ct, int seq)
{
	int work = seq & CT_WORK_MASK;

	if (work) {
		eqs_atomic_andnot(work, &ct->state);
		smp_mb__after_atomic();
	}
	return work;
}

int ct_kernel_enter(struct ct_state *ct)
{
	int state = ct_word_state(eqs_atomic_read(&ct->state));
	/*
	 * Fully ordered: whatever this CPU does in the kernel is ordered after
	 * a remote reader's accesses that preceded its read of the EQS word.
	 */
	int seq = eqs_atomic_add_return(CT_RCU_WATCHING - state + EQS_CT_STATE_KERNEL, &ct->state);

	return take_work(ct, seq);
}

void ct_kernel_exit(struct ct_state *ct, int state)
{
	int old, new_val;

	do {
		old = eqs_atomic_read(&ct->state);
		new_val = (old & ~(CT_WORK_MASK | CT_STATE_MASK)) + CT_RCU_WATCHING + state;
	} while (eqs_atomic_cmpxchg(&ct->state, old, new_val) != old);
}

int ct_nmi_enter(struct ct_state *ct, bool *exited_eqs)
{
	*exited_eqs = false;
	if (ct_word_watching(eqs_atomic_read(&ct->state))) {
		ct->nmi_nesting += 2;
		return 0;
	}
	int seq = eqs_atomic_add_return(CT_RCU_WATCHING, &ct->state);

	*exited_eqs = true;
	ct->nmi_nesting += 1;
	return take_work(ct, seq);
}

void ct_nmi_exit(struct ct_state *ct)
{
	if (ct->nmi_nesting != 1) {
		ct->nmi_nesting -= 2;
		return;
	}
	ct->nmi_nesting = 0;
	eqs_atomic_add_return(CT_RCU_WATCHING, &ct->state);
}

static bool gate_passes(int word, unsigned gate)
{
	unsigned states = gate & 0xf;

	if ((gate & EQS_CT_GATE_NOT_WATCHING) && ct_word_watching(word))
		return false;
	if (states && !(states & (1u << ct_word_state(word))))
		return false;
	return true;
}

bool ct_work_set(struct ct_state *ct, int work, unsigned gate)
{
	int old;

	do {
		old = eqs_atomic_read(&ct->state);
		if (!gate_passes(old, gate))
			return false;
	} while (eqs_atomic_cmpxchg(&ct->state, old, old | work) != old);
	return true;
}
