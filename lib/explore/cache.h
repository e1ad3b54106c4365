/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.h - the state table of the depth-first search: the fingerprints
 * of the states explored, each with the fewest preemptions it was reached
 * with or, under partial-order reduction, the sleep set it was explored
 * with.
 */
#ifndef EQS_EXPLORE_CACHE_H
#define EQS_EXPLORE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fingerprint.h"

struct state_cache;

/* max_bytes 0: no limit; sleep_sets: keep a sleep set per state (state_cache_visit). */
struct state_cache *state_cache_new(size_t max_bytes, bool sleep_sets);
bool state_cache_full(const struct state_cache *sc);
void state_cache_free(struct state_cache *sc);
void state_cache_clear(struct state_cache *sc);
size_t state_cache_size(const struct state_cache *sc);	/* states */
size_t state_cache_bytes(const struct state_cache *sc); /* memory of the table */
bool state_cache_seen(struct state_cache *sc, struct fingerprint key, unsigned preemptions);
/*
 * With sleep sets (unbounded, a table made with sleep_sets): a new state
 * (remembered with sleep); one explored before with a sleep set inside
 * this one (prune); or one explored with a sleep set *before that holds
 * choices awake now (explore just those again; it keeps what both had).
 */
enum cache_visit {
	CACHE_NEW,
	CACHE_PRUNE,
	CACHE_AGAIN
};
enum cache_visit state_cache_visit(struct state_cache *sc, struct fingerprint key, uint64_t sleep,
				   uint64_t *before);

#endif /* EQS_EXPLORE_CACHE_H */
