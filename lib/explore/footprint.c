/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * footprint.c - the memory port of reduced exploration under sc: each
 * access is performed as the unplugged wrappers would (one OS thread runs
 * every simulated thread, so plain accesses are sequentially consistent)
 * and noted in the running step's footprint.
 */
#include "footprint.h"

static uint32_t rec_load(void *model, const uint32_t *p, enum mem_order order)
{
	struct fp_recorder *r = model;

	(void)order;
	fp_note(r->fp, p, false);
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void rec_store(void *model, uint32_t *p, uint32_t val, enum mem_order order)
{
	struct fp_recorder *r = model;

	(void)order;
	fp_note(r->fp, p, true);
	__atomic_store_n(p, val, __ATOMIC_RELAXED);
}

static uint32_t rec_rmw(void *model, uint32_t *p, enum mem_rmw op, uint32_t a, uint32_t b,
			enum mem_order order)
{
	struct fp_recorder *r = model;
	uint32_t old = *p;

	(void)order;
	fp_note(r->fp, p, false);
	fp_note(r->fp, p, true); /* a failed cmpxchg writes nothing, but is ordered as if */
	switch (op) {
	case RMW_ADD:
		*p = old + a;
		return old + a;
	case RMW_CMPXCHG:
		if (old == a)
			*p = b;
		return old;
	case RMW_XCHG:
		*p = a;
		return old;
	case RMW_ANDNOT:
	default:
		*p = old & ~a;
		return old;
	}
}

static uint32_t rec_fetch(void *model, const uint32_t *p)
{
	struct fp_recorder *r = model;

	fp_note(r->fp, p, false);
	return *p;
}

static void rec_fence(void *model, enum mem_fence fence)
{
	(void)model;
	(void)fence; /* sequentially consistent: nothing to order */
}

void fp_recorder_init(struct fp_recorder *r)
{
	r->port = (struct mem_port){
		.load = rec_load,
		.store = rec_store,
		.rmw = rec_rmw,
		.fetch = rec_fetch,
		.peek = rec_fetch,
		.fence = rec_fence,
		.model = r,
	};
	r->fp = 0;
}
