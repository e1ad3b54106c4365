/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clock.h - fence-free timestamps (rdtsc, cntvct_el0) and their conversion
 * to nanoseconds.  Calibration uses the system clock once, outside any run.
 */
#ifndef EQS_CLOCK_H
#define EQS_CLOCK_H

#include <stdint.h>

#include "barriers.h"

/*
 * CLOCK_MONOTONIC, a system call or vDSO read: for budgets and reports
 * only, never between protocol steps (it may serialise).
 */
uint64_t clock_mono_ns(void);
static inline double clock_mono_s(void)
{
	return (double)clock_mono_ns() * 1e-9;
}

/* Cycles of cycles_now() per second, measured or read once. */
uint64_t clock_cycles_hz(void);
uint64_t clock_ns_to_cycles(uint64_t ns);
uint64_t clock_cycles_to_ns(uint64_t cycles);

/*
 * A timed wait ends with a tight read of the counter alone (no pause, no
 * polling): its last clock_final_approach() cycles (about 300 ns), so it
 * ends within one counter read of its mark, not one pause.
 */
uint64_t clock_final_approach(void);
static inline void clock_spin_until(uint64_t end)
{
	while (cycles_now() < end)
		;
}

#endif /* EQS_CLOCK_H */
