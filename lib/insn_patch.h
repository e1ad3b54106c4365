/*
 * insn_patch.h - the simulated kernel text: sites whose content is a
 * generation, the patcher's write and cache maintenance, the "synced"
 * generation published when a sync completes, and a CPU's fetched view,
 * refreshed only at context synchronisation events.
 */
#ifndef EQS_INSN_PATCH_H
#define EQS_INSN_PATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"

struct text {
	/* What instruction fetch would see: written by the patcher. */
	uint32_t gen[EQS_MAX_SITES] __attribute__((aligned(128)));
	/* Last generation whose sync completed (release by the patcher). */
	uint32_t synced[EQS_MAX_SITES] __attribute__((aligned(128)));
	unsigned nr_sites;	 /* ordinary kernel text: [0, nr_sites) */
	unsigned nr_entry_sites; /* noinstr entry code: the next nr_entry_sites */
};

/* Wrap-aware: is generation a older than b? */
static inline bool gen_before(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

void text_init(struct text *t, unsigned nr_sites, unsigned nr_entry_sites);

/* aarch64_insn_patch_text() without the sync: write, then cache maintenance. */
uint32_t text_write(struct text *t, unsigned site);
void text_cache_maint(struct text *t, unsigned site);
/* The sync for gen has completed. */
void text_publish(struct text *t, unsigned site, uint32_t gen);
/* The oracle's read of synced[site] (acquire).  Inline: it is on every path. */
static inline uint32_t text_synced(struct text *t, unsigned site)
{
	return __atomic_load_n(&t->synced[site], __ATOMIC_ACQUIRE);
}

/*
 * Refetch every site into fetched[]: what a CSE (isb, exception entry or
 * return) does to the instruction stream.  Call only right after the CSE.
 */
static inline void text_refresh(struct text *t, uint32_t *fetched)
{
	unsigned n = t->nr_sites + t->nr_entry_sites;

	for (unsigned i = 0; i < n; i++)
		fetched[i] = __atomic_load_n(&t->gen[i], __ATOMIC_RELAXED);
}

#endif /* EQS_INSN_PATCH_H */
