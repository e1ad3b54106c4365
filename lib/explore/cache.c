/*
 * cache.c - the state cache of the depth-first search.  Every
 * execution is deterministic given its schedule, so two schedule prefixes
 * that reach the same state have the same futures: a state already
 * explored with no more preemptions spent need not be explored again.
 *
 * A state is everything that decides what happens next: the protocol's
 * shared memory (text, RCU words, IPI queues and messages, the patcher's
 * sync state), each CPU's context and fetched view, the scheduler's flags,
 * and each suspended thread's live stack (its locals and saved registers:
 * its place in the code).  Statistics, traces and timestamps are left out;
 * they never feed back.  Sound as long as a variant keeps its mutable state
 * in the simulation; a variant with mutable globals of its own must turn
 * the cache off (cfg.no_state_cache).
 */
#include <stdlib.h>
#include <string.h>

#include "explore.h"

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	return h ^ (h >> 32);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, b, n);
	return mix(h, w ^ n);
}

uint64_t explore_fingerprint(const struct explorer *x)
{
	const struct sim *sim = x->sim;
	const struct eqs_patcher *p = &sim->patcher;
	unsigned nr_sites = sim->text.nr_sites + sim->text.nr_entry_sites;
	uint64_t h = 0x5eed;

	h = hash_bytes(h, sim->text.gen, nr_sites * sizeof(uint32_t));
	h = hash_bytes(h, sim->text.synced, nr_sites * sizeof(uint32_t));
	for (unsigned i = 0; i < sim->ncpu; i++) {
		const struct eqs_cpu *c = &sim->cpus[i];

		h = hash_bytes(h, &c->rcu, sizeof(c->rcu));
		h = hash_bytes(h, &c->ipiq, sizeof(c->ipiq));
		h = mix(h, (uint64_t)c->irqs_on << 8 | (uint64_t)c->watching << 9 |
				   (uint64_t)c->last_exit_path << 16 | (uint64_t)c->cur_path << 24);
		h = hash_bytes(h, c->fetched, nr_sites * sizeof(uint32_t));
		h = hash_bytes(h, &p->msgs[i], sizeof(p->msgs[i]));
	}
	h = mix(h, p->ipis_in_flight);
	h = mix(h, p->ipis_waited);
	h = mix(h, (uint64_t)p->site << 32 | p->gen);
	h = mix(h, (uint64_t)(uint32_t)p->stop_machine_count.counter);
	h = mix(h, (uint64_t)sim->patcher_done << 1 | (uint64_t)sim->stop);
	h = mix(h, (uint64_t)(x->cur + 1));
	for (unsigned t = 0; t < x->nthreads; t++) {
		h = mix(h, (uint64_t)x->finished[t] | (uint64_t)x->blocked[t] << 1 |
				   (uint64_t)x->last_blocked[t] << 2 |
				   (uint64_t)x->pending_new[t] << 3 | (uint64_t)x->pending[t] << 8);
		if (!x->finished[t] && x->ctx[t].stack_top)
			h = hash_bytes(h, x->ctx[t].sp,
				       (size_t)(x->ctx[t].stack_top - (char *)x->ctx[t].sp));
	}
	return h;
}

/* Open addressing: fingerprint -> fewest preemptions it was reached with. */
struct state_cache {
	uint64_t *keys;
	uint8_t *preempts;
	size_t cap, used;
};

struct state_cache *state_cache_new(void)
{
	struct state_cache *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return NULL;
	sc->cap = 1 << 16;
	sc->keys = calloc(sc->cap, sizeof(*sc->keys));
	sc->preempts = calloc(sc->cap, sizeof(*sc->preempts));
	if (!sc->keys || !sc->preempts) {
		state_cache_free(sc);
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
	free(sc);
}

void state_cache_clear(struct state_cache *sc)
{
	memset(sc->keys, 0, sc->cap * sizeof(*sc->keys));
	sc->used = 0;
}

size_t state_cache_size(const struct state_cache *sc)
{
	return sc->used;
}

static size_t slot_for(const struct state_cache *sc, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (sc->cap - 1);

	while (sc->keys[i] && sc->keys[i] != key)
		i = (i + 1) & (sc->cap - 1);
	return i;
}

static bool grow(struct state_cache *sc)
{
	struct state_cache bigger = { .cap = sc->cap * 2 };

	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.preempts = calloc(bigger.cap, sizeof(*bigger.preempts));
	if (!bigger.keys || !bigger.preempts) {
		free(bigger.keys);
		free(bigger.preempts);
		return false;
	}
	for (size_t i = 0; i < sc->cap; i++) {
		if (!sc->keys[i])
			continue;
		size_t j = slot_for(&bigger, sc->keys[i]);

		bigger.keys[j] = sc->keys[i];
		bigger.preempts[j] = sc->preempts[i];
	}
	free(sc->keys);
	free(sc->preempts);
	sc->keys = bigger.keys;
	sc->preempts = bigger.preempts;
	sc->cap = bigger.cap;
	return true;
}

/*
 * Seen before with at most this many preemptions spent?  If not, remember
 * it.  A table that cannot grow answers "no": less pruning, never unsound.
 */
bool state_cache_seen(struct state_cache *sc, uint64_t key, unsigned preemptions)
{
	if (!key)
		key = 1;
	if (sc->used * 2 >= sc->cap && !grow(sc))
		return false;
	size_t i = slot_for(sc, key);

	if (sc->keys[i]) {
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
