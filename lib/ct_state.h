/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ct_state.h - the 6.x context-tracking word as one atomic int:
 * [ RCU watching counter | work bits | context state ].  Work bits are how
 * the 2023-2026 deferral patches postpone a text_poke sync IPI to the CPU's
 * next kernel entry.  The owner enters and leaves EQS; the patcher reads
 * the word and sets work remotely.
 */
#ifndef EQS_CT_STATE_H
#define EQS_CT_STATE_H

#include <stdbool.h>

#include "barriers.h"
#include "eqssim.h"

/* The layout is public (eqssim/variant.h): variants decode eqs_snap() with it. */
#define CT_STATE_MASK	  EQS_CT_STATE_MASK
#define CT_WORK_SYNC_CORE EQS_CT_WORK_SYNC_CORE
#define CT_WORK_MASK	  EQS_CT_WORK_MASK
#define CT_RCU_WATCHING	  EQS_CT_RCU_WATCHING

struct ct_state {
	kernel_atomic_t state; /* shared: the word itself */
	long nmi_nesting;      /* private: interrupts taken, 1-vs-2 trick */
	/* How this CPU's exits and entries update the word (the variant's). */
	enum eqs_order exit_order, enter_order;
};

/* A CPU starts in the kernel, watched. */
void ct_init(struct ct_state *ct);

static inline bool ct_word_watching(unsigned int word)
{
	return word & CT_RCU_WATCHING;
}

static inline int ct_word_state(unsigned int word)
{
	return (int)(word & CT_STATE_MASK);
}

/*
 * Leave EQS to the kernel (user, idle or guest exit): add to the counter
 * and set the state to kernel in one fully ordered atomic, then clear the
 * work bits it read.  Returns them: the caller runs the work.
 */
unsigned int ct_kernel_enter(struct ct_state *ct);
/* Enter EQS in state (idle, user, guest): clear the work bits and add, by cmpxchg. */
void ct_kernel_exit(struct ct_state *ct, int state);
/*
 * Interrupt/NMI entry and exit: taken in EQS it adds to the counter only,
 * so the state bits keep saying idle/user/guest while the CPU runs kernel
 * code.  *exited_eqs and the returned work as for ct_kernel_enter().
 */
unsigned int ct_nmi_enter(struct ct_state *ct, bool *exited_eqs);
void ct_nmi_exit(struct ct_state *ct);

/*
 * Remote: set work on a CPU whose word gate(word, arg) accepts, by a fully
 * ordered cmpxchg (the gate sees each word the cmpxchg is tried on).  False:
 * the gate refused.
 */
bool ct_work_set(struct ct_state *ct, unsigned int work, eqs_ct_gate_fn gate, void *arg);
/* The gate of eqs_ct_work_set(): arg points to its EQS_CT_GATE_* bits. */
bool ct_gate_bits(unsigned int word, void *arg);

static inline bool ct_work_set_bits(struct ct_state *ct, unsigned int work, unsigned gate)
{
	return ct_work_set(ct, work, ct_gate_bits, &gate);
}

#endif /* EQS_CT_STATE_H */
