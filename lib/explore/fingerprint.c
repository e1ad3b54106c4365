/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fingerprint.c - an exploration's state as a fingerprint, for the state
 * cache (cache.c).  Every execution is deterministic given its schedule,
 * so two schedule prefixes that reach the same state have the same
 * futures.
 *
 * A state is everything that decides what happens next: the protocol's
 * shared memory (text, its PoU view and pending maintenance, RCU words, IPI queues and messages, the patcher's
 * sync state), each CPU's context and fetched view, under a weak model the
 * stores not yet visible and the barriers between them, the scheduler's flags,
 * and each suspended thread's live stack (its locals and saved registers:
 * its place in the code).  Statistics, traces and timestamps are left out;
 * they never feed back.  Sound as long as a variant keeps its mutable state
 * in the simulation; a variant with mutable globals of its own must turn
 * the cache off (cfg.no_state_cache).
 */
#include <string.h>

#include "fingerprint.h"
#include "sanitizer.h"
#include "scheduler.h"

/*
 * Two independent 64-bit lanes, each word mixed into both with different
 * multipliers and rotations: a 128-bit fingerprint, so that two distinct
 * states collide with odds of about 2^-128 per pair, not 2^-64.
 */
static inline uint64_t rotl(uint64_t v, int r)
{
	return v << r | v >> (64 - r);
}

static void mix(struct fingerprint *f, uint64_t v)
{
	uint64_t h = f->lo;

	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdull;
	f->lo = h ^ (h >> 32);
	f->hi = rotl(f->hi ^ (v * 0xc2b2ae3d27d4eb4full), 31) * 0x94d049bb133111ebull +
		0x165667b19e3779f9ull;
}

/*
 * A suspended coroutine's live stack, word by word.  Under AddressSanitizer
 * a frame keeps redzones between its locals; they are never written, so
 * they hold whatever an earlier, deeper call left there: history, not
 * state.  Hashing them would split one state into many (a bound-2 search
 * of kick_all grew from 115 thousand states to 15 million), so a poisoned
 * byte is hashed as zero.  Reading the redzones is what this function is
 * for: it is not instrumented.
 */
#ifdef EQS_ASAN
#include <sanitizer/asan_interface.h>

__attribute__((no_sanitize_address)) static uint64_t live_bytes(const volatile uint64_t *w)
{
	uint64_t v = *w;

	for (unsigned b = 0; b < 8; b++)
		if (__asan_address_is_poisoned((const char *)w + b))
			v &= ~((uint64_t)0xff << (8 * b));
	return v;
}
#else
static inline uint64_t live_bytes(const volatile uint64_t *w)
{
	return *w;
}
#endif

__attribute__((no_sanitize_address)) static void hash_stack(struct fingerprint *f, const char *from,
							    const char *top)
{
	for (const volatile uint64_t *w = (const volatile uint64_t *)from;
	     (const char *)(w + 1) <= top; w++)
		mix(f, live_bytes(w));
	mix(f, (uint64_t)(top - from));
}

static void hash_bytes(struct fingerprint *f, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		mix(f, w);
	}
	w = 0;
	memcpy(&w, b, n);
	mix(f, w ^ n);
}

static void mix_word(void *h, uint64_t word)
{
	mix(h, word);
}

static void mix_region(void *h, const void *p, size_t n)
{
	hash_bytes(h, p, n);
}

struct fingerprint explore_fingerprint(const struct explorer *x)
{
	struct fingerprint fp = { 0x5eed, 0x7e57 };
	struct fingerprint *h = &fp;

	sim_state_regions(x->sim, mix_region, h); /* the machine's state, as declared */
	/* Who ran last matters only to what the next choice costs against a bound. */
	mix(h, (uint64_t)(x->unbounded ? 0 : x->cur + 1) | (uint64_t)x->nmis_left << 8);
	if (x->mm) /* the stores not yet visible, and the barriers between them */
		mm_hash(x->mm, x->nthreads, mix_word, h);
	for (unsigned t = 0; t < x->nthreads; t++) {
		mix(h, (uint64_t)x->finished[t] | (uint64_t)x->blocked[t] << 1 |
			       (uint64_t)x->last_blocked[t] << 2 |
			       (uint64_t)x->pending_new[t] << 3 | (uint64_t)x->started[t] << 4 |
			       (uint64_t)x->pending[t] << 8);
		if (!x->finished[t] && x->ctx[t].stack_top)
			hash_stack(h, x->ctx[t].sp, x->ctx[t].stack_top);
	}
	return fp;
}

/*
 * The part of the state that the memory port does not see: the text's
 * fetch view and maintenance, the IPI queues and messages, the end of the
 * run, and the scenario's NMIs still to come (with the text and synced,
 * which the port sees too, for good measure), copied byte for byte: a
 * step that changes any of it depends on every other step (reduce.c).
 * The CPUs' own fields and the patcher's book-keeping are no other
 * thread's business.
 */
static void put(struct shared_view *v, const void *p, size_t n)
{
	if (v->n + n > sizeof(v->bytes)) {
		v->overflow = true;
		return;
	}
	memcpy(v->bytes + v->n, p, n);
	v->n += n;
}

void explore_shared_view(const struct explorer *x, struct shared_view *v)
{
	const struct sim *sim = x->sim;
	size_t nr_sites = sim->text.nr_sites + sim->text.nr_entry_sites;
	uint32_t flags[4] = { sim->text.patcher.issued, sim->text.patcher.written,
			      (uint32_t)sim->flags.patcher_done << 1 | (uint32_t)sim->flags.stop,
			      x->nmis_left };

	v->n = 0;
	v->overflow = false;
	put(v, sim->text.gen, nr_sites * sizeof(uint32_t));
	put(v, sim->text.synced, nr_sites * sizeof(uint32_t));
	put(v, sim->text.pou, nr_sites * sizeof(uint32_t));
	put(v, sim->text.patcher.site, nr_sites * sizeof(sim->text.patcher.site[0]));
	put(v, sim->text.cleaned, nr_sites * sizeof(uint32_t));
	put(v, flags, sizeof(flags));
	for (unsigned i = 0; i < sim->ncpu; i++) {
		put(v, &sim->cpus[i].ipiq, sizeof(sim->cpus[i].ipiq));
		put(v, &sim->cpus[i].msg, sizeof(sim->cpus[i].msg));
	}
}

bool explore_shared_view_equal(const struct shared_view *a, const struct shared_view *b)
{
	/* A view too big to copy is taken as changed: the step depends on everything. */
	return !a->overflow && !b->overflow && a->n == b->n && !memcmp(a->bytes, b->bytes, a->n);
}
