/*
 * insn_patch.c - text sites, their generations and the modelled fetch.
 * Executing a site uses the CPU's fetched copy, never the text itself, so a
 * missing CSE shows as a stale generation on any host.
 */
#include <string.h>

#include "barriers.h"
#include "insn_patch.h"

void text_init(struct text *t, unsigned nr_sites, unsigned nr_entry_sites)
{
	memset(t, 0, sizeof(*t));
	t->nr_sites = nr_sites;
	t->nr_entry_sites = nr_entry_sites;
}

/* The patcher is the only writer of gen[], so a plain read-then-store. */
uint32_t text_write(struct text *t, unsigned site)
{
	uint32_t gen = __atomic_load_n(&t->gen[site], __ATOMIC_RELAXED) + 1;

	__atomic_store_n(&t->gen[site], gen, __ATOMIC_RELAXED);
	return gen;
}

void text_cache_maint(struct text *t, unsigned site)
{
	cache_sync_insn(&t->gen[site]);
}

void text_publish(struct text *t, unsigned site, uint32_t gen)
{
	__atomic_store_n(&t->synced[site], gen, __ATOMIC_RELEASE);
}
