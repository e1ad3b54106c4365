/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * insn_patch.h - the simulated kernel text: sites whose content is a
 * generation, the patcher's write and cache maintenance, the "synced"
 * generation published when a sync completes, and a CPU's fetched view,
 * refreshed only at context synchronisation events.
 *
 * A write is not yet fetchable.  Each site has a point-of-unification
 * view, what instruction fetch sees, which only the patcher's cache
 * maintenance advances, as Arm has it: dc cvau cleans the line to the PoU
 * and ic ivau invalidates the I-cache, each completed by the next dsb ish.
 * The cache type is CTR_EL0's: with IDC the data is at the PoU once the
 * store completes (no dc needed); with DIC the I-cache is coherent too (no
 * ic either; this model takes DIC to imply IDC).  A dsb is always needed.
 * On a host whose I-cache is coherent (x86) a CSE fetches the text as
 * written, and cache maintenance changes nothing.
 */
#ifndef EQS_INSN_PATCH_H
#define EQS_INSN_PATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "barriers.h"
#include "eqssim.h"

/* One thread's cache maintenance of one site, issued but not yet completed. */
struct site_maint {
	uint32_t dc_gen; /* what an issued dc cvau cleans */
	uint32_t ic_gen; /* what an issued ic ivau makes fetchable */
	bool dc_issued, ic_issued;
};

/*
 * What one thread (the patcher, or a CPU acting as master) has written and
 * maintained and its own next dsb ish completes: another thread's dsb does
 * not.  Each thread keeps its own, written by it alone.
 */
struct text_maint {
	struct site_maint site[EQS_MAX_SITES];
	uint32_t issued, written; /* sites with work for the next dsb */
};

struct text {
	/* The data view: written by the patcher. */
	uint32_t gen[EQS_MAX_SITES] __attribute__((aligned(128)));
	/* What instruction fetch sees: advanced by completed cache maintenance. */
	uint32_t pou[EQS_MAX_SITES] __attribute__((aligned(128)));
	/* Last generation whose sync completed (release by the patcher). */
	uint32_t synced[EQS_MAX_SITES] __attribute__((aligned(128)));
	const uint32_t *fetch_from; /* pou, or gen for a coherent I-cache */
	/*
	 * The newest generation written to each site, by whoever wrote it (the
	 * patcher, or a CPU acting as master): the machine's record, not
	 * memory, so that a writer numbers its generation after one still in
	 * another thread's store buffer.  Relaxed: one writer at a time.
	 */
	uint32_t newest[EQS_MAX_SITES];
	uint32_t writes; /* writes so far, of every site: did anyone write during a patch? */
	/* The generation at the PoU, data side: advanced (relaxed) by any thread's completed clean. */
	uint32_t cleaned[EQS_MAX_SITES];
	struct text_maint patcher; /* the patcher's pending work (a CPU's is in its context) */
	bool idc, dic;		   /* CTR_EL0 */
	unsigned nr_sites;	   /* ordinary kernel text: [0, nr_sites) */
	unsigned nr_entry_sites;   /* noinstr entry code: the next nr_entry_sites */
};

/* Wrap-aware: is generation a older than b? */
static inline bool gen_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void text_init(struct text *t, unsigned nr_sites, unsigned nr_entry_sites, bool idc, bool dic);
/* A coherent I-cache (x86): a CSE fetches gen[], cache maintenance is moot. */
void text_set_coherent_icache(struct text *t, bool coherent);

/*
 * A write of a new generation by the thread whose pending work is mine
 * (&t->patcher, or a CPU's); returns it.
 */
uint32_t text_write(struct text *t, unsigned site, struct text_maint *mine);
/*
 * Cache maintenance, one instruction each: dc cvau, ic ivau (of a site),
 * and dsb ish, which completes the work in mine (that thread's own
 * maintenance, and with IDC its own writes), not another thread's.
 */
void text_dc_cvau(struct text *t, unsigned site, struct text_maint *mine);
void text_ic_ivau(struct text *t, unsigned site, struct text_maint *mine);
void text_dsb(struct text *t, struct text_maint *mine);
/* What a dsb completes of mine, without the barrier itself (a CPU's dsb runs its own). */
void text_complete(struct text *t, struct text_maint *mine);
/* The sync for gen has completed. */
void text_publish(struct text *t, unsigned site, uint32_t gen);
/* The oracle's read of synced[site] (acquire).  Inline: it is on every path. */
static inline uint32_t text_synced(struct text *t, unsigned site)
{
	return mem_load(&t->synced[site], MEM_ACQUIRE);
}

/* synced[] of every ordinary site (acquire), as executing the text reads them. */
static inline void text_synced_all(struct text *t, uint32_t *out)
{
	mem_load_acquire_n(out, t->synced, t->nr_sites);
}

/*
 * Refetch every site into fetched[]: what a CSE (isb, exception entry or
 * return) does to the instruction stream.  Call only right after the CSE.
 */
static inline void text_refresh(struct text *t, uint32_t *fetched)
{
	mem_fetch_n(fetched, t->fetch_from, t->nr_sites + t->nr_entry_sites);
}

/* Is the I-cache coherent (x86)?  Then there is no cache maintenance to model. */
static inline bool text_coherent(const struct text *t)
{
	return t->fetch_from == t->gen;
}

#endif /* EQS_INSN_PATCH_H */
