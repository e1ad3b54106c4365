/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * footprint.h - what one step of exploration touched, for partial-order
 * reduction: the shared words it read and wrote (as bits of a 64-bit
 * filter: two words on one bit only make steps look dependent, never
 * independent), and what the filter cannot say.  Two steps of different
 * threads commute when neither writes what the other touches, neither
 * changed shared state outside the memory port (global), and neither
 * ended blocked while the other made progress (which wakes blocked
 * threads: the scheduler's flags are state too).
 */
#ifndef EQS_FOOTPRINT_H
#define EQS_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "mem_port.h"

struct footprint {
	uint64_t reads, writes; /* filters of the words touched through the memory port */
	bool global;		/* changed state the filters do not cover: depends on everything */
	bool blocked;		/* the thread ended the step blocked on a wait */
	bool progress;		/* the step woke blocked threads */
};

static inline void fp_clear(struct footprint *f)
{
	*f = (struct footprint){ 0 };
}

static inline uint64_t fp_bit(const void *addr)
{
	uint64_t a = (uint64_t)(uintptr_t)addr >> 2;

	a *= 0x9e3779b97f4a7c15ull;
	return 1ull << (a >> 58);
}

static inline void fp_note(struct footprint *f, const void *addr, bool write)
{
	if (!f)
		return;
	if (write)
		f->writes |= fp_bit(addr);
	else
		f->reads |= fp_bit(addr);
}

/* May a and b (steps of different threads) fail to commute? */
static inline bool fp_dependent(const struct footprint *a, const struct footprint *b)
{
	return a->global || b->global || (a->writes & (b->reads | b->writes)) ||
	       (b->writes & a->reads) || (a->blocked && b->progress) || (b->blocked && a->progress);
}

/*
 * Sequentially consistent memory that notes every access in *fp: the
 * port exploration plugs in under sc when it reduces (under tso and
 * arm-ifetch the memory model notes them).
 */
struct fp_recorder {
	struct mem_port port;
	struct footprint *fp; /* the step running now */
};

void fp_recorder_init(struct fp_recorder *r);

#endif /* EQS_FOOTPRINT_H */
