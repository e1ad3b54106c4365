/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * choice.h - what the exploration scheduler can do next, one bit of a mask
 * each (run a thread, make a store visible, deliver an interrupt), what a
 * choice costs against a preemption bound, and a decision among them as
 * the depth-first search records it.
 */
#ifndef EQS_EXPLORE_CHOICE_H
#define EQS_EXPLORE_CHOICE_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "memory_model.h"

#define EXPLORE_MAX_THREADS (EQS_EXPLORE_MAX_CPUS + 1)
#define EXPLORE_MAX_STEPS   20000 /* an execution longer than this is cut off */

/*
 * What the scheduler can do next, one bit each: run a thread; under a weak
 * memory model, make one of a thread's pending stores visible, or all of
 * them; deliver an interrupt to a CPU between two of its steps (a pending
 * IPI where interrupts are on, or an NMI).  Threads take the low bits, so
 * the lowest choice is a thread whenever one can run.
 */
#define CHOICE_THREADS	     ((1ull << EXPLORE_MAX_THREADS) - 1)
#define CHOICE_DRAIN_BASE    8u
#define CHOICE_VISIBLE_BASE  16u
#define CHOICE_IRQ_BASE	     (CHOICE_VISIBLE_BASE + MM_THREADS * MM_BUFFER)
#define CHOICE_NMI_BASE	     (CHOICE_IRQ_BASE + EQS_EXPLORE_MAX_CPUS)
#define CHOICE_COUNT	     (CHOICE_NMI_BASE + EQS_EXPLORE_MAX_CPUS)
#define CHOICE_DRAIN(t)	     (CHOICE_DRAIN_BASE + (t))
#define CHOICE_VISIBLE(t, i) (CHOICE_VISIBLE_BASE + (t)*MM_BUFFER + (i))
#define CHOICE_IRQ(c)	     (CHOICE_IRQ_BASE + (c))
#define CHOICE_NMI(c)	     (CHOICE_NMI_BASE + (c))
_Static_assert(EXPLORE_MAX_THREADS <= CHOICE_DRAIN_BASE, "thread choices below the drains");
_Static_assert(CHOICE_COUNT <= 64, "every choice a bit of a uint64_t");
_Static_assert(EXPLORE_MAX_THREADS <= MM_THREADS, "a store buffer per thread");

static inline bool choice_is_store(unsigned c)
{
	return c >= CHOICE_DRAIN_BASE && c < CHOICE_IRQ_BASE;
}

static inline bool choice_is_drain(unsigned c)
{
	return c >= CHOICE_DRAIN_BASE && c < CHOICE_VISIBLE_BASE;
}

static inline bool choice_is_interrupt(unsigned c)
{
	return c >= CHOICE_IRQ_BASE;
}

/* The thread a choice is about: itself, the owner of the stores, the CPU interrupted. */
static inline unsigned choice_thread(unsigned c)
{
	if (c < CHOICE_DRAIN_BASE)
		return c;
	if (c < CHOICE_VISIBLE_BASE)
		return c - CHOICE_DRAIN_BASE;
	if (c < CHOICE_IRQ_BASE)
		return (c - CHOICE_VISIBLE_BASE) / MM_BUFFER;
	return c >= CHOICE_NMI_BASE ? c - CHOICE_NMI_BASE : c - CHOICE_IRQ_BASE;
}

/*
 * What a choice costs against the preemption bound: running another
 * thread while the last one could go on; an interrupt delivered where the
 * CPU's code does not poll for it costs one more (it preempts that code).
 * Making a store visible is free, so within a bound every order in which
 * stores become visible is explored.
 */
static inline unsigned choice_cost(int cur, uint64_t enabled, unsigned c)
{
	if (choice_is_store(c))
		return 0;
	unsigned t = choice_thread(c);

	return choice_is_interrupt(c) + (cur >= 0 && (int)t != cur && (enabled >> cur & 1));
}

/* A scheduling decision with more than one choice (DFS records them). */
struct explore_choice {
	uint64_t enabled; /* choices that were open */
	uint64_t tried;	  /* alternatives already explored (kept across runs) */
	uint8_t chosen;
	int8_t cur;		 /* the thread that ran last (-1 at the start) */
	uint8_t preempts_before; /* preemptions before this decision */
	/* Reduction: asleep on arrival (they commute with the way here), and left out
	 * because an earlier visit of this state explored them. */
	uint64_t sleep, skip;
};

#endif /* EQS_EXPLORE_CHOICE_H */
