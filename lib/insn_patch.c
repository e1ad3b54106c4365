/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * insn_patch.c - text sites, their generations, the point-of-unification
 * view that cache maintenance advances, and the modelled fetch.  Executing
 * a site uses the CPU's fetched copy, never the text itself, so a missing
 * CSE or missing cache maintenance shows as a stale generation on any host.
 */
#include <string.h>

#include "atomic_ops.h"
#include "barriers.h"
#include "insn_patch.h"

void text_init(struct text *t, unsigned nr_sites, unsigned nr_entry_sites, bool idc, bool dic)
{
	memset(t, 0, sizeof(*t));
	t->nr_sites = nr_sites;
	t->nr_entry_sites = nr_entry_sites;
	t->idc = idc || dic;
	t->dic = dic;
	t->fetch_from = t->pou;
}

void text_set_coherent_icache(struct text *t, bool coherent)
{
	t->fetch_from = coherent ? t->gen : t->pou;
}

/* One writer at a time (the protocol's), so a plain read-then-store. */
uint32_t text_write(struct text *t, unsigned site, uint8_t who)
{
	uint32_t gen = load_relaxed(&t->newest[site]) + 1;

	store_relaxed(&t->newest[site], gen);
	store_relaxed(&t->writes, t->writes + 1);
	mem_store(&t->gen[site], gen, MEM_RELAXED);
	t->written |= 1u << site;
	t->by[site] = who;
	return gen;
}

void text_dc_cvau(struct text *t, unsigned site, uint8_t who)
{
	struct site_maint *m = &t->maint[site];

	t->by[site] = who;
	m->dc_gen = mem_peek(&t->gen[site]); /* ordered after the write to the same line */
	m->dc_issued = true;
	t->maint_issued |= 1u << site;
	dc_cvau(&t->gen[site]);
}

/* The invalidate makes fetchable what is at the PoU when it is issued. */
void text_ic_ivau(struct text *t, unsigned site, uint8_t who)
{
	struct site_maint *m = &t->maint[site];

	t->by[site] = who;
	m->ic_gen = m->cleaned;
	m->ic_issued = true;
	t->maint_issued |= 1u << site;
	ic_ivau(&t->gen[site]);
}

static void advance_pou(struct text *t, unsigned site, uint32_t gen)
{
	if (gen_before(t->pou[site], gen))
		__atomic_store_n(&t->pou[site], gen, __ATOMIC_RELAXED);
}

/*
 * dsb ish completes the maintenance issued before it.  The view's stores
 * come first, so that on arm64 the real dsb orders them before whatever
 * the patcher reads next (its counter reads), as it orders the clean.
 */
void text_complete(struct text *t, uint8_t who)
{
	/*
	 * Only the sites with maintenance issued (IDC/DIC: the written ones);
	 * with a coherent I-cache there is nothing to model.  Few instructions
	 * here: this runs inside the patcher's store-buffering window.
	 */
	uint32_t sites = t->maint_issued | (t->idc ? t->written : 0);

	for (uint32_t s = sites; s; s &= s - 1) /* another thread's work is not this dsb's */
		if (t->by[__builtin_ctz(s)] != who)
			sites &= ~(1u << __builtin_ctz(s));
	t->maint_issued &= ~sites;
	t->written &= ~sites;
	if (t->fetch_from == t->gen)
		sites = 0;
	for (unsigned i; sites; sites &= sites - 1) {
		i = (unsigned)__builtin_ctz(sites);
		struct site_maint *m = &t->maint[i];

		if (m->dc_issued)
			m->cleaned = m->dc_gen;
		if (t->idc) /* the completed store itself is at the PoU */
			m->cleaned = mem_peek(&t->gen[i]);
		if (m->ic_issued)
			advance_pou(t, i, m->ic_gen);
		if (t->dic) /* the I-cache snoops: what is at the PoU is fetched */
			advance_pou(t, i, m->cleaned);
		m->dc_issued = m->ic_issued = false;
	}
}

void text_dsb(struct text *t, uint8_t who)
{
	text_complete(t, who);
	mem_dsb_maint(); /* and under a model: the text write is visible from here on */
}

void text_publish(struct text *t, unsigned site, uint32_t gen)
{
	mem_store(&t->synced[site], gen, MEM_RELEASE);
}
