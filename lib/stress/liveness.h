/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liveness.h - when is a stress run hung?  The watchdog's rule, on numbers
 * it is handed (each thread's units of work and its own CPU time), so that
 * it can be tested without threads.
 *
 * A thread is hung when it finished no unit of work while it ran for
 * hang_s of its own CPU time and every other live thread ran for as long
 * over the same stretch: each had its chance and none freed it.  A thread
 * the host did not run is starved, not hung, and neither is one waiting
 * for it, however long the wall clock says.  Waits in the simulation spin,
 * so a thread in a real hang keeps using CPU time.  The wall clock stands
 * in for a thread whose clock cannot be read, and is the backstop for a
 * thread blocked outside the simulation (a variant that sleeps, a futex
 * inside liburcu): a thread that finished no unit of work for backstop_s
 * (a minute, or thirty times hang_s) is hung whatever the others did.
 */
#ifndef EQS_STRESS_LIVENESS_H
#define EQS_STRESS_LIVENESS_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"

#define LIVENESS_MAX_THREADS (EQS_MAX_CPUS + 1)

struct liveness {
	unsigned n;
	double hang_s, backstop_s;
	uint32_t seen[LIVENESS_MAX_THREADS];
	/* cpu_at_move[i][j]: thread j's CPU time when thread i last moved (< 0: unknown). */
	double cpu_at_move[LIVENESS_MAX_THREADS][LIVENESS_MAX_THREADS];
	double wall_at_move[LIVENESS_MAX_THREADS]; /* when thread i last moved */
};

/* What the watchdog sees of one thread at one look. */
struct liveness_look {
	uint32_t units; /* units of work finished */
	bool exited;
	double cpu_s; /* its CPU time; < 0 when it cannot be read */
};

void liveness_init(struct liveness *l, unsigned n, double hang_s, double wall_now,
		   const struct liveness_look *look);
/* One look at every thread: the index of a hung thread, or -1. */
int liveness_check(struct liveness *l, const struct liveness_look *look, double wall_now);

#endif /* EQS_STRESS_LIVENESS_H */
