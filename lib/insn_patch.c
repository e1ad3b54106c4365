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
uint32_t text_write(struct text *t, unsigned site, struct text_maint *mine)
{
	uint32_t gen = load_relaxed(&t->newest[site]) + 1;

	store_relaxed(&t->newest[site], gen);
	store_relaxed(&t->writes, load_relaxed(&t->writes) + 1);
	mem_store(&t->gen[site], gen, MEM_RELAXED);
	mine->written |= 1u << site;
	return gen;
}

void text_dc_cvau(struct text *t, unsigned site, struct text_maint *mine)
{
	struct site_maint *m = &mine->site[site];

	m->dc_gen = mem_peek(&t->gen[site]); /* ordered after the write to the same line */
	m->dc_issued = true;
	mine->issued |= 1u << site;
	dc_cvau(&t->gen[site]);
}

/* The invalidate makes fetchable what is at the PoU when it is issued. */
void text_ic_ivau(struct text *t, unsigned site, struct text_maint *mine)
{
	struct site_maint *m = &mine->site[site];

	m->ic_gen = load_relaxed(&t->cleaned[site]);
	m->ic_issued = true;
	mine->issued |= 1u << site;
	ic_ivau(&t->gen[site]);
}

/* The PoU views only move forward, whichever thread completes what. */
static void advance(uint32_t *view, uint32_t gen)
{
	if (gen_before(load_relaxed(view), gen))
		store_relaxed(view, gen);
}

/*
 * dsb ish completes the maintenance issued before it.  The view's stores
 * come first, so that on arm64 the real dsb orders them before whatever
 * the patcher reads next (its counter reads), as it orders the clean.
 */
void text_complete(struct text *t, struct text_maint *mine)
{
	/*
	 * Only the sites with maintenance issued (IDC/DIC: the written ones);
	 * with a coherent I-cache there is nothing to model.  Few instructions
	 * here: this runs inside the patcher's store-buffering window.
	 */
	uint32_t sites = mine->issued | (t->idc ? mine->written : 0);

	mine->issued = 0;
	mine->written = 0;
	if (t->fetch_from == t->gen)
		sites = 0;
	for (unsigned i; sites; sites &= sites - 1) {
		i = (unsigned)__builtin_ctz(sites);
		struct site_maint *m = &mine->site[i];

		if (m->dc_issued)
			advance(&t->cleaned[i], m->dc_gen);
		if (t->idc) /* the completed store itself is at the PoU */
			advance(&t->cleaned[i], mem_peek(&t->gen[i]));
		if (m->ic_issued)
			advance(&t->pou[i], m->ic_gen);
		if (t->dic) /* the I-cache snoops: what is at the PoU is fetched */
			advance(&t->pou[i], load_relaxed(&t->cleaned[i]));
		m->dc_issued = m->ic_issued = false;
	}
}

void text_dsb(struct text *t, struct text_maint *mine)
{
	text_complete(t, mine);
	mem_dsb_maint(); /* and under a model: the text write is visible from here on */
}

void text_publish(struct text *t, unsigned site, uint32_t gen)
{
	mem_store(&t->synced[site], gen, MEM_RELEASE);
}
