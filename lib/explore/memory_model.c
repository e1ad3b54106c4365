/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * memory_model.c - the store buffers of exploration's weak memory models
 * (memory_model.h) and the memory port that puts the protocol's accesses
 * through them.  Every simulated thread runs on one OS thread, one at a
 * time, so "memory" is the words themselves: a store becomes visible when
 * it is written to its word.
 */
#include <string.h>

#include "memory_model.h"

static bool is_tso(const struct mem_model *m)
{
	return m->kind == EQS_MODEL_TSO;
}

static void remove_entry(struct mm_thread *th, unsigned i)
{
	memmove(&th->buf[i], &th->buf[i + 1], (th->n - i - 1) * sizeof(th->buf[0]));
	th->n--;
}

unsigned mm_visible_next(const struct mem_model *m, unsigned t)
{
	const struct mm_thread *th = &m->th[t];
	unsigned mask = 0;

	for (unsigned i = 0; i < th->n; i++) {
		bool free =
			th->buf[i].ss == th->buf[0].ss; /* ss never decreases along the buffer */

		for (unsigned j = 0; j < i && free; j++)
			free = th->buf[j].addr != th->buf[i].addr;
		mask |= (unsigned)free << i;
	}
	return mask;
}

void mm_make_visible(struct mem_model *m, unsigned t, unsigned i, uint32_t **addr, uint32_t *val)
{
	struct mm_thread *th = &m->th[t];
	struct mm_store s = th->buf[i];

	fp_note(m->fp, s.addr, true);
	*s.addr = s.val;
	remove_entry(th, i);
	if (addr)
		*addr = s.addr;
	if (val)
		*val = s.val;
}

/* Make the first n stores of t's buffer visible, oldest first: always allowed. */
static void settle(struct mem_model *m, unsigned t, unsigned n)
{
	/* Another thread's buffer changes under it: its store choices are renumbered. */
	if (m->fp && n && t != m->cur)
		m->fp->global = true;
	while (n--)
		mm_make_visible(m, t, 0, NULL, NULL);
}

/* A data load or store must wait for the stores before a store-load barrier. */
static void wait_store_load(struct mem_model *m, unsigned t)
{
	struct mm_thread *th = &m->th[t];
	unsigned n = 0;

	while (n < th->n && th->buf[n].sl < th->sl)
		n++;
	settle(m, t, n);
}

/*
 * An RMW is atomic: its write follows the value it read in the word's
 * coherence order, nothing between.  Another thread's pending RMW write to
 * the word read the same memory, so it goes first.  Another thread's
 * pending plain store may go before the RMW (the scheduler could have made
 * it visible at the step before) or after it: then the RMW's write must be
 * visible at once, and the plain store overwrites it later (a flag set by
 * cmpxchg, lost to a plain store of a stale value).  True in that case.
 */
static bool others_settle_word(struct mem_model *m, unsigned t, const uint32_t *p)
{
	bool plain_after = false;

	for (unsigned u = 0; u < MM_THREADS; u++) {
		const struct mm_thread *th = &m->th[u];
		unsigned last = 0;

		if (u == t)
			continue;
		for (unsigned i = 0; i < th->n; i++)
			if (th->buf[i].addr == p && th->buf[i].rmw)
				last = i + 1;
		settle(m, u, last);
		for (unsigned i = 0; i < th->n; i++)
			plain_after |= th->buf[i].addr == p;
	}
	return plain_after;
}

static uint32_t own_value(const struct mem_model *m, unsigned t, const uint32_t *p)
{
	const struct mm_thread *th = &m->th[t];

	fp_note(m->fp, p, false);
	for (unsigned i = th->n; i-- > 0;)
		if (th->buf[i].addr == p)
			return th->buf[i].val;
	return *p;
}

static void buffer(struct mem_model *m, unsigned t, uint32_t *p, uint32_t val, bool rmw)
{
	struct mm_thread *th = &m->th[t];

	if (th->n == MM_BUFFER)
		settle(m, t, 1);
	fp_note(m->fp, p, true);
	if (is_tso(m))
		th->ss++; /* FIFO: each store after every older one */
	th->buf[th->n++] =
		(struct mm_store){ .addr = p, .val = val, .ss = th->ss, .sl = th->sl, .rmw = rmw };
}

static uint32_t port_load(void *model, const uint32_t *p, enum mem_order order)
{
	struct mem_model *m = model;

	(void)order; /* loads are performed in program order: acquire adds nothing */
	wait_store_load(m, m->cur);
	return own_value(m, m->cur, p);
}

static void port_store(void *model, uint32_t *p, uint32_t val, enum mem_order order)
{
	struct mem_model *m = model;
	struct mm_thread *th = &m->th[m->cur];

	/* A store waits for nothing: a barrier before it only keeps it behind the older ones. */
	if (order == MEM_RELEASE || order == MEM_FULL)
		th->ss++; /* after every earlier store */
	buffer(m, m->cur, p, val, false);
}

static uint32_t port_rmw(void *model, uint32_t *p, enum mem_rmw op, uint32_t a, uint32_t b,
			 enum mem_order order)
{
	struct mem_model *m = model;
	unsigned t = m->cur;
	struct mm_thread *th = &m->th[t];
	bool full = order == MEM_FULL;
	bool release = full || order == MEM_RELEASE; /* earlier accesses before its write */
	uint32_t old, val;

	if (full || is_tso(m)) /* a locked instruction on x86, whatever Linux asks of it */
		settle(m, t, th->n);
	else
		wait_store_load(m, t);
	bool plain_after = others_settle_word(m, t, p);

	old = own_value(m, t, p);
	switch (op) {
	case RMW_ADD:
		val = old + a;
		break;
	case RMW_CMPXCHG:
		if (old != a)
			return old; /* no write */
		val = b;
		break;
	case RMW_XCHG:
		val = a;
		break;
	case RMW_ANDNOT:
	default:
		val = old & ~a;
		break;
	}
	if (is_tso(m) || plain_after) {
		unsigned own = 0;

		for (unsigned i = 0; i < th->n; i++) /* this thread's older stores to *p go first */
			if (th->buf[i].addr == p || release) /* every older one, for a release */
				own = i + 1;
		settle(m, t, own);
		fp_note(m->fp, p, true);
		*p = val; /* locked on x86: visible at once; or before another's pending store */
		if (full && !is_tso(m)) {
			th->ss++;
			th->sl++;
		}
	} else {
		/*
		 * Arm: the write may stay invisible (an instruction fetch is not
		 * ordered after it), but a fully ordered RMW orders every later
		 * data access after it.
		 */
		if (release)
			th->ss++;
		buffer(m, t, p, val, true);
		if (full) {
			th->ss++;
			th->sl++;
		}
	}
	return op == RMW_ADD ? val : old;
}

static uint32_t port_fetch(void *model, const uint32_t *p)
{
	struct mem_model *m = model;

	/* x86 fetches as a load would; Arm from the PoU view, which no store buffer holds. */
	fp_note(m->fp, p, false);
	return is_tso(m) ? own_value(m, m->cur, p) : *p;
}

static uint32_t port_peek(void *model, const uint32_t *p)
{
	struct mem_model *m = model;

	return own_value(m, m->cur, p);
}

static void port_fence(void *model, enum mem_fence fence)
{
	struct mem_model *m = model;
	unsigned t = m->cur;
	struct mm_thread *th = &m->th[t];

	switch (fence) {
	case FENCE_ISB:
	case FENCE_DMB_LD:
	case FENCE_DSB_LD:
		break; /* loads are in order already; a CSE waits for no store */
	case FENCE_DMB:
		if (is_tso(m)) {
			settle(m, t, th->n); /* mfence */
		} else {
			th->ss++;
			th->sl++;
		}
		break;
	case FENCE_DMB_ST:
		th->ss++; /* x86 orders stores anyway */
		break;
	case FENCE_DSB:
	case FENCE_DSB_ST:
		settle(m, t, th->n);
		break;
	case FENCE_DSB_MAINT:
		if (!is_tso(m)) /* x86's patch path has no such barrier */
			settle(m, t, th->n);
		break;
	case FENCE_MB_ATOMIC:
		if (!is_tso(m)) { /* a dmb ish; under x86 the locked atomic beside it orders */
			th->ss++;
			th->sl++;
		}
		break;
	}
}

void mm_init(struct mem_model *m, enum eqs_model kind)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->port = (struct mem_port){
		.load = port_load,
		.store = port_store,
		.rmw = port_rmw,
		.fetch = port_fetch,
		.peek = port_peek,
		.fence = port_fence,
		.model = m,
	};
}

void mm_reset(struct mem_model *m)
{
	memset(m->th, 0, sizeof(m->th));
	m->cur = 0;
}

/* Entry k's barrier count, or the thread's own past the last entry. */
static uint32_t count_at(const struct mm_thread *th, unsigned k, bool ss)
{
	if (k < th->n)
		return ss ? th->buf[k].ss : th->buf[k].sl;
	return ss ? th->ss : th->sl;
}

/* A barrier count as its rank along the buffer (how many barriers lie before it): history drops out. */
static uint64_t rank(const struct mm_thread *th, unsigned i, bool ss)
{
	uint64_t r = 0;

	for (unsigned k = 1; k <= i; k++)
		r += count_at(th, k, ss) != count_at(th, k - 1, ss);
	return r;
}

void mm_hash(const struct mem_model *m, unsigned nthreads, mm_mix_fn mix, void *h)
{
	for (unsigned t = 0; t < nthreads && t < MM_THREADS; t++) {
		const struct mm_thread *th = &m->th[t];

		mix(h, th->n);
		for (unsigned i = 0; i <= th->n; i++) {
			if (i < th->n)
				mix(h, ((uint64_t)(uintptr_t)th->buf[i].addr | th->buf[i].rmw) ^
					       (uint64_t)th->buf[i].val << 32);
			if (th->n)
				mix(h, rank(th, i, true) << 32 | rank(th, i, false));
		}
	}
}
