/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rng.h - the seeded per-thread random generator (splitmix64 to seed,
 * xorshift64* to draw).  One state per thread; no sharing, no locks.
 */
#ifndef EQS_RNG_H
#define EQS_RNG_H

#include <stdint.h>

static inline uint64_t rng_seed(uint64_t seed, uint64_t stream)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull * (stream + 1);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return z ? z : 0x2545f4914f6cdd1dull;
}

static inline uint64_t rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* Uniform in [0, bound); bound 0 gives 0. */
static inline uint64_t rng_below(uint64_t *state, uint64_t bound)
{
	return bound ? rng_next(state) % bound : 0;
}

#endif /* EQS_RNG_H */
