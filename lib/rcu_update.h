/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_update.h - how the owner moves its RCU word on EQS exit and entry:
 * the kernel's fully ordered atomic_add_return(), or the weaker update a
 * variant chose (enum eqs_order): a store-release or a plain store of the
 * new value, which a remote cmpxchg in between can be lost to.
 */
#ifndef EQS_RCU_UPDATE_H
#define EQS_RCU_UPDATE_H

#include "barriers.h"
#include "eqssim.h"

/* Add delta to *v with the given ordering; returns the new value. */
static inline unsigned int rcu_word_add(kernel_atomic_t *v, unsigned int delta,
					enum eqs_order order)
{
	unsigned int val;

	switch (order) {
	case EQS_ORDER_RELEASE:
		val = kernel_atomic_read(v) + delta;
		kernel_atomic_set_release(v, val);
		return val;
	case EQS_ORDER_RELAXED:
		val = kernel_atomic_read(v) + delta;
		kernel_atomic_set(v, val);
		return val;
	case EQS_ORDER_FULL:
	case EQS_ORDER_ACQUIRE: /* no update is acquire (eqs_variant_check): as full */
		break;
	}
	return kernel_atomic_add_return(delta, v);
}

/* Set *v to val, as the update of that ordering would (the full one by cmpxchg). */
static inline bool rcu_word_replace(kernel_atomic_t *v, unsigned int old, unsigned int val,
				    enum eqs_order order)
{
	switch (order) {
	case EQS_ORDER_RELEASE:
		kernel_atomic_set_release(v, val);
		return true;
	case EQS_ORDER_RELAXED:
		kernel_atomic_set(v, val);
		return true;
	case EQS_ORDER_FULL:
	case EQS_ORDER_ACQUIRE: /* no update is acquire (eqs_variant_check): as full */
		break;
	}
	return kernel_atomic_cmpxchg(v, old, val) == old;
}

#endif /* EQS_RCU_UPDATE_H */
