/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clock.c - the monotonic clock, and the calibration of the fence-free
 * cycle counter against it, done once per process before any simulated
 * thread runs.
 */
#include <pthread.h>
#include <time.h>

#include "clock.h"

static uint64_t cycles_hz;
static pthread_once_t calibrated = PTHREAD_ONCE_INIT;

uint64_t clock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void calibrate(void)
{
#ifdef EQS_HAVE_CYCLES_FREQ
	cycles_hz = cycles_freq_hz();
	if (cycles_hz)
		return;
#endif
	uint64_t n0 = clock_mono_ns(), c0 = cycles_now();
	uint64_t n1;

	do
		n1 = clock_mono_ns();
	while (n1 - n0 < 20000000u);
	uint64_t c1 = cycles_now();

	cycles_hz = (uint64_t)((double)(c1 - c0) * 1e9 / (double)(n1 - n0));
	if (!cycles_hz)
		cycles_hz = 1000000000u;
}

uint64_t clock_cycles_hz(void)
{
	pthread_once(&calibrated, calibrate);
	return cycles_hz;
}

uint64_t clock_ns_to_cycles(uint64_t ns)
{
	return (uint64_t)((double)ns * (double)clock_cycles_hz() / 1e9);
}

uint64_t clock_cycles_to_ns(uint64_t cycles)
{
	return (uint64_t)((double)cycles * 1e9 / (double)clock_cycles_hz());
}

uint64_t clock_final_approach(void)
{
	static uint64_t cycles; /* a race to fill it writes the same value */

	if (!__atomic_load_n(&cycles, __ATOMIC_RELAXED))
		__atomic_store_n(&cycles, clock_ns_to_cycles(300), __ATOMIC_RELAXED);
	return __atomic_load_n(&cycles, __ATOMIC_RELAXED);
}
