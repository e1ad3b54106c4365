/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stress_thread.h - what the stress driver keeps per simulated thread,
 * reached through sim_thread.driver_thread: the watchdog's counters and the
 * stamps aimed races learn from.  None of it is the machine's.
 */
#ifndef EQS_STRESS_THREAD_H
#define EQS_STRESS_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"

struct stress_thread {
	/*
	 * Liveness, for the watchdog: units of work finished (a CPU's actions,
	 * the patcher's patches), counted by the thread loops; the thread has
	 * returned; it kept stepping after the run was declared hung and is
	 * parked for good.  Owner-written, read relaxed.
	 */
	uint32_t units_done __attribute__((aligned(CACHELINE)));
	int exited, parked;
	uint32_t steps_after_hang;
	/*
	 * When the thread's last aimed race began, in cycles, stamped just
	 * before it (race_begins, outside every window): how long the way from
	 * the end of a wait to the race takes.  For a CPU, what that race found
	 * just before its update: the sync number in flight (odd) or last
	 * published (even), and whether that sync had written, so the aim
	 * learns on which side of the window the update landed.
	 */
	uint64_t aimed_began;
	uint64_t aimed_saw_seq;
	bool aimed_saw_written;
};

static inline struct stress_thread *stress_thread_of(const struct sim_thread *t)
{
	return t->driver_thread;
}

#endif /* EQS_STRESS_THREAD_H */
