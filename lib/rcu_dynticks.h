/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_dynticks.h - RCU's per-CPU dynticks counter in its Linux 4.16
 * encoding, and the irq/NMI nesting that decides when an interrupt leaves
 * EQS.  Only the owning CPU calls the enter/exit functions; the patcher
 * reads the counter and sets the special flag remotely.
 */
#ifndef EQS_RCU_DYNTICKS_H
#define EQS_RCU_DYNTICKS_H

#include <stdbool.h>

#include "barriers.h"
#include "eqssim.h"

/* The layout is public (eqssim/variant.h): variants decode eqs_snap() with it. */
#define RCU_DYNTICK_CTRL_MASK EQS_DYNTICKS_SPECIAL
#define RCU_DYNTICK_CTRL_CTR  EQS_DYNTICKS_CTR
/* dynticks_nmi_nesting while in the kernel at process level. */
#define DYNTICK_IRQ_NONIDLE   ((long)(((unsigned long)-1 >> 1) / 2 + 1))

struct dynticks {
	kernel_atomic_t dynticks;  /* shared: the counter itself */
	long dynticks_nmi_nesting; /* private: irq/NMI nesting, 1-vs-2 trick */
	/* How this CPU's exits and entries update the counter (the variant's). */
	enum eqs_order exit_order, enter_order;
};

/* A CPU starts in the kernel, watched by RCU; updates fully ordered, as the kernel's. */
void rcu_dynticks_init(struct dynticks *dt);

/* Is a counter value (a snapshot) in EQS? */
static inline bool rcu_dynticks_in_eqs(unsigned int snap)
{
	return !(snap & RCU_DYNTICK_CTRL_CTR);
}

/* Remote reads: plain (as the reviewed patcher did) and fully ordered. */
unsigned int rcu_dynticks_snap_plain(struct dynticks *dt);
unsigned int rcu_dynticks_snap(struct dynticks *dt);

/* Owner's view: rcu_is_watching(). */
bool rcu_dynticks_watching(struct dynticks *dt);

/*
 * Process-level EQS entry (user, idle, guest) and exit.  Exit returns true
 * when the special flag was set: it has been cleared and a full barrier
 * executed, and the caller must now run the deferred work.
 */
void rcu_eqs_enter(struct dynticks *dt);
bool rcu_eqs_exit(struct dynticks *dt);

/*
 * Interrupt or NMI entry and exit, nesting.  *exited_eqs tells whether this
 * entry took the CPU out of EQS (the outermost interrupt taken in EQS);
 * *special as for rcu_eqs_exit().
 */
void rcu_nmi_enter(struct dynticks *dt, bool *exited_eqs, bool *special);
void rcu_nmi_exit(struct dynticks *dt);

/*
 * rcu_eqs_special_set(): set the special flag only if the CPU is in EQS,
 * with a fully ordered cmpxchg.  False if the CPU was watching.
 */
bool rcu_eqs_special_set(struct dynticks *dt);

#endif /* EQS_RCU_DYNTICKS_H */
