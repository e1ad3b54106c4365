/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * aim.h - aimed races under stress: the patcher publishes the cycle its
 * next text write starts, and CPUs end their EQS stays around it, so that
 * an RCU update meets the patcher's write-to-read window in every order
 * (docs/model.md, "Aimed races").  The waits are the stays' own spins and
 * the patcher's gap, before either side's window.
 */
#ifndef EQS_STRESS_AIM_H
#define EQS_STRESS_AIM_H

#include <stdbool.h>
#include <stdint.h>

#include "stress_thread.h"

/*
 * How long one thread's way from the end of a wait to its race (a CPU's
 * RCU update, the patcher's text write) takes: an average over the last
 * few of the machine's stamps.
 */
struct aim_lead {
	int64_t cycles;
	uint64_t waited_until; /* the end of the last aimed wait; 0: no sample due */
};

/*
 * One CPU's aim: its offsets (a generator of its own, apart from the
 * workload's), its lead, and its edge: a correction by what each aimed
 * update found just before it, the sync aimed at not yet written (early:
 * the next aim a step later) or written (a step earlier).  The edge settles
 * where half the updates land before the write is visible and half after,
 * which the offsets then sweep.
 */
struct aim_cpu {
	uint64_t rng __attribute__((aligned(CACHELINE)));
	struct aim_lead lead;
	int64_t edge;
	uint64_t seq; /* the sync the last aimed stay aimed at */
};

struct aim {
	uint64_t spread_cycles;	     /* offsets in [-spread, +spread] */
	uint64_t max_stretch_cycles; /* a stay grows by at most this to meet an aim */
	uint64_t max_lead_cycles;    /* a longer way was interrupted: not a sample */
	int64_t edge_step, edge_max;
	struct aim_lead patcher_lead; /* the patcher's own */
	/*
	 * The patcher's next text write, in cycles (0: none yet), and the sync
	 * that makes it; relaxed, patcher-written (a pair read torn now and
	 * then costs one sample of the edge, nothing else).
	 */
	uint64_t at __attribute__((aligned(CACHELINE)));
	uint64_t seq;
	struct aim_cpu cpu[EQS_MAX_CPUS];
};

void aim_init(struct aim *a, const struct eqs_config *cfg);
/* A CPU's EQS stay begins at now and would end at end: where it ends (sim_driver.stay_end). */
uint64_t aim_stay_end(struct aim *a, struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed);
/*
 * The patcher's next text write is to start at cycle at: publish it; returns
 * the cycle its wait ends (at less its lead).  After the patch, aim_patched().
 */
uint64_t aim_publish(struct aim *a, struct eqs_patcher *p, uint64_t at);
void aim_patched(struct aim *a, struct eqs_patcher *p);

#endif /* EQS_STRESS_AIM_H */
