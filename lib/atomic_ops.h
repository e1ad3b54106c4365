/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * atomic_ops.h - the accesses the simulator's own bookkeeping uses: relaxed
 * loads and stores of single-writer data, and acquire/release where a
 * reader must see a record whole.  Never a read-modify-write: on x86 every
 * locked instruction is a full fence, and bookkeeping must add none to the
 * protocol it watches (DESIGN §3).  The protocol's own accesses go through
 * barriers.h instead, where a memory model can stand in for them.
 */
#ifndef EQS_ATOMIC_OPS_H
#define EQS_ATOMIC_OPS_H

#define CACHELINE 128 /* the widest line of the hosts we run on (with its pair prefetch) */

#define load_relaxed(p)	    __atomic_load_n((p), __ATOMIC_RELAXED)
#define store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define load_acquire(p)	    __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* Single-writer statistic: a plain load and a plain store, never an RMW. */
#define stat_inc(x)	    store_relaxed(&(x), (x) + 1)

#endif /* EQS_ATOMIC_OPS_H */
