/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cache.c - the state table of the depth-first search (cache.h): open
 * addressing from a state's fingerprint (fingerprint.c) to the fewest
 * preemptions it was reached with, or the sleep set it was explored with.
 * A state already explored with no more preemptions spent, or no fewer
 * choices awake, need not be explored again.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"

/* Open addressing: fingerprint -> fewest preemptions it was reached with. */
struct state_cache {
	struct fingerprint *keys; /* { 0, 0 }: an empty slot */
	uint8_t *preempts;
	uint64_t *sleeps; /* with sleep sets: the one each state was explored with */
	size_t cap, used;
	size_t max_bytes; /* 0: no limit */
	bool full;	  /* it could not grow: a state was not remembered */
};

static bool empty(struct fingerprint k)
{
	return !k.lo && !k.hi;
}

static bool same(struct fingerprint a, struct fingerprint b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

static bool alloc_table(struct state_cache *sc, size_t cap, bool sleep_sets)
{
	sc->cap = cap;
	sc->keys = calloc(cap, sizeof(*sc->keys));
	sc->preempts = calloc(cap, sizeof(*sc->preempts));
	sc->sleeps = sleep_sets ? calloc(cap, sizeof(*sc->sleeps)) : NULL;
	if (sc->keys && sc->preempts && (sc->sleeps || !sleep_sets))
		return true;
	free(sc->keys);
	free(sc->preempts);
	free(sc->sleeps);
	return false;
}

struct state_cache *state_cache_new(size_t max_bytes, bool sleep_sets)
{
	struct state_cache *sc = calloc(1, sizeof(*sc));

	if (sc)
		sc->max_bytes = max_bytes;
	if (sc && !alloc_table(sc, 1 << 16, sleep_sets)) {
		free(sc);
		return NULL;
	}
	return sc;
}

void state_cache_free(struct state_cache *sc)
{
	if (!sc)
		return;
	free(sc->keys);
	free(sc->preempts);
	free(sc->sleeps);
	free(sc);
}

void state_cache_clear(struct state_cache *sc)
{
	memset(sc->keys, 0, sc->cap * sizeof(*sc->keys));
	sc->used = 0;
	sc->full = false;
}

bool state_cache_full(const struct state_cache *sc)
{
	return sc->full;
}

size_t state_cache_size(const struct state_cache *sc)
{
	return sc->used;
}

size_t state_cache_bytes(const struct state_cache *sc)
{
	return sc->cap *
	       (sizeof(*sc->keys) + sizeof(*sc->preempts) + (sc->sleeps ? sizeof(*sc->sleeps) : 0));
}

static size_t slot_for(const struct state_cache *sc, struct fingerprint key)
{
	size_t i = (size_t)(key.lo * 0x9e3779b97f4a7c15ull) & (sc->cap - 1);

	while (!empty(sc->keys[i]) && !same(sc->keys[i], key))
		i = (i + 1) & (sc->cap - 1);
	return i;
}

static bool grow(struct state_cache *sc)
{
	struct state_cache bigger;

	if (sc->max_bytes && 2 * state_cache_bytes(sc) > sc->max_bytes)
		return false;
	if (!alloc_table(&bigger, sc->cap * 2, sc->sleeps != NULL))
		return false;
	for (size_t i = 0; i < sc->cap; i++) {
		if (empty(sc->keys[i]))
			continue;
		size_t j = slot_for(&bigger, sc->keys[i]);

		bigger.keys[j] = sc->keys[i];
		bigger.preempts[j] = sc->preempts[i];
		if (sc->sleeps)
			bigger.sleeps[j] = sc->sleeps[i];
	}
	free(sc->keys);
	free(sc->preempts);
	free(sc->sleeps);
	sc->keys = bigger.keys;
	sc->preempts = bigger.preempts;
	sc->sleeps = bigger.sleeps;
	sc->cap = bigger.cap;
	return true;
}

/*
 * Seen before with at most this many preemptions spent?  If not, remember
 * it.  A table that cannot grow (out of memory, or at its limit) answers
 * "no" and says it is full: less pruning, never unsound.
 */
bool state_cache_seen(struct state_cache *sc, struct fingerprint key, unsigned preemptions)
{
	if (empty(key))
		key.lo = 1;
	if (sc->used * 2 >= sc->cap && !grow(sc)) {
		size_t i = slot_for(sc, key);

		if (!empty(sc->keys[i]) && sc->preempts[i] <= preemptions)
			return true;
		sc->full = true;
		return false;
	}
	size_t i = slot_for(sc, key);

	if (!empty(sc->keys[i])) {
		if (sc->preempts[i] <= preemptions)
			return true;
		sc->preempts[i] = (uint8_t)preemptions;
		return false;
	}
	sc->keys[i] = key;
	sc->preempts[i] = (uint8_t)(preemptions > 255 ? 255 : preemptions);
	sc->used++;
	return false;
}

enum cache_visit state_cache_visit(struct state_cache *sc, struct fingerprint key, uint64_t sleep,
				   uint64_t *before)
{
	size_t i;

	if (empty(key))
		key.lo = 1;
	*before = sleep;
	if (sc->used * 2 >= sc->cap && !grow(sc)) {
		i = slot_for(sc, key);
		if (empty(sc->keys[i])) {
			sc->full = true; /* not remembered: explored as new, which is sound */
			return CACHE_NEW;
		}
	} else {
		i = slot_for(sc, key);
		if (empty(sc->keys[i])) {
			sc->keys[i] = key;
			sc->sleeps[i] = sleep;
			sc->used++;
			return CACHE_NEW;
		}
	}
	*before = sc->sleeps[i];
	if (!(sc->sleeps[i] & ~sleep)) /* explored with no more asleep than now: all done */
		return CACHE_PRUNE;
	sc->sleeps[i] &= sleep;
	return CACHE_AGAIN;
}
