/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim.h - one run: build it around a driver, start it over, tear it down,
 * and read its explored state (sim.c).  Drivers reach it through driver.h.
 */
#ifndef EQS_SIM_H
#define EQS_SIM_H

#include "state.h"

/*
 * Build a simulation of v under cfg, run by driver (NULL: record steps
 * only).  0, or a negative errno with err filled.
 */
int sim_init(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
	     const struct sim_driver *driver, void *driver_data, char *err, size_t errlen);
void sim_destroy(struct sim *sim);
/*
 * Start a simulation built by sim_init over from its first state, in the
 * same memory.  A driver that runs one scenario many times gets the same
 * addresses in every run: exploration's fingerprints hash the IPI queues'
 * links and the threads' stacks, which point into it (a fresh allocation
 * each run made every state new under an allocator that does not hand the
 * same block back, such as ASan's).
 */
void sim_restart(struct sim *sim);
/* List the ordering points this run meets in sim->run.points (after sim_init / sim_restart). */
void sim_list_points(struct sim *sim);
/* Each thread's fast-path flag, from what the run's steps must do beyond their record. */
void sim_set_slow(struct sim *sim);
/*
 * The run stopped making progress: every wait gives up from now on, and
 * the driver's step hook runs at every step (to stop a thread that loops
 * outside the waits).  Called by the driver's controller only.
 */
void sim_declare_hung(struct sim *sim);
/*
 * Memory for a simulation (or any of its parts) at the alignment its type
 * asks for, zeroed: its padded cache lines then fall where they were
 * meant to, whatever the heap held before.  NULL if out of memory.
 */
void *sim_alloc_aligned(size_t align, size_t size);
#define sim_alloc(type, n) ((type *)sim_alloc_aligned(_Alignof(type), sizeof(type) * (n)))

/*
 * The run's explored state, region by region, as state.h declares it: the
 * text, the run's flags, the patcher's and each CPU's context structs,
 * RCU words, IPI queues and messages, each thread's struct thread_state.
 * What decides what a thread does next and is not here is its stack (a
 * driver that suspends threads owns those) or a memory model's buffers.
 */
typedef void (*sim_region_fn)(void *arg, const void *p, size_t n);
void sim_state_regions(const struct sim *sim, sim_region_fn fn, void *arg);

#endif /* EQS_SIM_H */
