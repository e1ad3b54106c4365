/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memory_model.h - weak memory for exploration, behind the memory port
 * (mem_port.h): each simulated thread's stores wait in a buffer of its own
 * until they become visible to the others, which is a scheduling choice.
 *
 *  tso:        the buffer is FIFO; a locked RMW and mfence (dmb, dsb)
 *              drain it; a load reads its own buffer first, then memory;
 *              instruction fetch is a data load (x86's I-cache is coherent).
 *  arm-ifetch: stores become visible in any order their barriers allow:
 *              a dmb, a store-release and a fully ordered RMW order the
 *              stores before them against those after, and a dmb or a
 *              fully ordered RMW makes a later data load wait for the
 *              stores before it; a dsb waits until every store of this
 *              thread is visible; a CSE refetches from the point-of-
 *              unification view without waiting for any of them.
 * Loads are performed in program order in both (no load is reordered).
 */
#ifndef EQS_MEMORY_MODEL_H
#define EQS_MEMORY_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "footprint.h"
#include "mem_port.h"

#define MM_THREADS 5 /* EXPLORE_MAX_THREADS */
#define MM_BUFFER  6 /* pending stores per thread; one more makes the oldest visible */

/*
 * A store not yet visible to other threads.  ss and sl are the thread's
 * barrier counts when it was made: a store may become visible only after
 * every older one with a smaller ss (a store-store barrier between them)
 * and every older one to the same word; a load waits for every store with
 * an sl smaller than the thread's (a store-load barrier between them).
 */
struct mm_store {
	uint32_t *addr;
	uint32_t val;
	uint32_t ss, sl;
	bool rmw; /* the write of an atomic RMW */
};

struct mm_thread {
	struct mm_store buf[MM_BUFFER];
	unsigned n;
	uint32_t ss, sl; /* barriers so far */
};

struct mem_model {
	enum eqs_model kind; /* EQS_MODEL_TSO or EQS_MODEL_ARM_IFETCH */
	unsigned cur;	     /* the thread the port acts for: set by the scheduler */
	struct mm_thread th[MM_THREADS];
	struct mem_port port;
	/* Under reduction: the running step's footprint, where every access is noted. */
	struct footprint *fp;
};

void mm_init(struct mem_model *m, enum eqs_model kind);
/* Empty buffers, for a new execution. */
void mm_reset(struct mem_model *m);
/* Stores of thread t that may become visible now, as a mask over its buffer. */
unsigned mm_visible_next(const struct mem_model *m, unsigned t);
/* Make entry i of t's buffer visible; *addr and val say what it wrote. */
void mm_make_visible(struct mem_model *m, unsigned t, unsigned i, uint32_t **addr, uint32_t *val);
static inline unsigned mm_pending(const struct mem_model *m, unsigned t)
{
	return m->th[t].n;
}
/* Fingerprint words: the buffers with their barrier counts as ranks, not totals. */
typedef void (*mm_mix_fn)(void *h, uint64_t word);
void mm_hash(const struct mem_model *m, unsigned nthreads, mm_mix_fn mix, void *h);

#endif /* EQS_MEMORY_MODEL_H */
