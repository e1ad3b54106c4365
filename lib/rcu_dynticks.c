/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_dynticks.c - the dynticks counter (Linux 4.16 encoding): steps of
 * RCU_DYNTICK_CTRL_CTR, bit 0 the special flag, EQS iff the CTR bit is
 * clear.  Entry and exit are fully ordered atomic_add_return()s.
 */
#include "rcu_dynticks.h"
#include "rcu_update.h"

void rcu_dynticks_init(struct dynticks *dt)
{
	kernel_atomic_set(&dt->dynticks, RCU_DYNTICK_CTRL_CTR);
	dt->dynticks_nmi_nesting = DYNTICK_IRQ_NONIDLE;
	dt->exit_order = dt->enter_order = EQS_ORDER_FULL;
}

unsigned int rcu_dynticks_snap_plain(struct dynticks *dt)
{
	return kernel_atomic_read(&dt->dynticks);
}

/* Fully ordered: pairs with the owner's fully ordered entry and exit. */
unsigned int rcu_dynticks_snap(struct dynticks *dt)
{
	return kernel_atomic_add_return(0, &dt->dynticks);
}

bool rcu_dynticks_watching(struct dynticks *dt)
{
	return !rcu_dynticks_in_eqs(kernel_atomic_read(&dt->dynticks));
}

/*
 * Counter increment on entry: fully ordered, so that a CPU that reads the
 * new value sees everything this CPU did before entering EQS.
 */
static void dynticks_eqs_enter(struct dynticks *dt)
{
	rcu_word_add(&dt->dynticks, RCU_DYNTICK_CTRL_CTR, dt->enter_order);
}

/*
 * Counter increment on exit: fully ordered, so that everything this CPU
 * does after leaving EQS is ordered after a remote reader's accesses that
 * preceded its read of the EQS value (the store-buffering pair with the
 * patcher's write; smp_mb(); read).
 */
static bool dynticks_eqs_exit(struct dynticks *dt)
{
	unsigned int seq = rcu_word_add(&dt->dynticks, RCU_DYNTICK_CTRL_CTR, dt->exit_order);

	if (seq & RCU_DYNTICK_CTRL_MASK) {
		kernel_atomic_andnot(RCU_DYNTICK_CTRL_MASK, &dt->dynticks);
		/* The deferred work runs after the flag is seen cleared. */
		smp_mb__after_atomic();
		return true;
	}
	return false;
}

void rcu_eqs_enter(struct dynticks *dt)
{
	dt->dynticks_nmi_nesting = 0;
	dynticks_eqs_enter(dt);
}

bool rcu_eqs_exit(struct dynticks *dt)
{
	bool special = dynticks_eqs_exit(dt);

	dt->dynticks_nmi_nesting = DYNTICK_IRQ_NONIDLE;
	return special;
}

/*
 * The outermost interrupt taken in EQS adds 1 to the nesting, any other
 * adds 2; so on the way out a nesting of 1 means "return to EQS".
 */
void rcu_nmi_enter(struct dynticks *dt, bool *exited_eqs, bool *special)
{
	long incby = 2;

	*exited_eqs = false;
	*special = false;
	if (rcu_dynticks_in_eqs(kernel_atomic_read(&dt->dynticks))) {
		*special = dynticks_eqs_exit(dt);
		*exited_eqs = true;
		incby = 1;
	}
	dt->dynticks_nmi_nesting += incby;
}

void rcu_nmi_exit(struct dynticks *dt)
{
	if (dt->dynticks_nmi_nesting != 1) {
		dt->dynticks_nmi_nesting -= 2;
		return;
	}
	dt->dynticks_nmi_nesting = 0;
	dynticks_eqs_enter(dt);
}

bool rcu_eqs_special_set(struct dynticks *dt)
{
	unsigned int old, new_val;

	do {
		old = kernel_atomic_read(&dt->dynticks);
		if (!rcu_dynticks_in_eqs(old))
			return false;
		new_val = old | RCU_DYNTICK_CTRL_MASK;
	} while (kernel_atomic_cmpxchg(&dt->dynticks, old, new_val) != old);
	return true;
}
