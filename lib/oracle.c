/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * oracle.c - the violation record.  All bookkeeping is the CPU's own plain
 * stores; the only shared access is the acquire read of synced[site] the
 * design prescribes (oracle.h).
 */
#include "clock.h"
#include "oracle.h"

void oracle_record_violation(struct oracle_stats *os, const struct sim_thread *t, unsigned site,
			     uint32_t fetched, uint32_t synced, enum eqs_path path)
{
	uint64_t now = cycles_now();

	if (!os->violations)
		store_relaxed(&os->first_violation_cycles, now);
	stat_inc(os->violations);
	stat_inc(os->violations_on_path[path]);
	if (os->nr_records >= EQS_MAX_VIOLATION_RECORDS)
		return;
	struct eqs_violation *r = &os->records[os->nr_records++];

	r->cpu = t->id;
	r->site = site;
	r->fetched = fetched;
	r->synced = synced;
	r->path = path;
	r->ns = clock_cycles_to_ns(now - t->run->t0);
	r->nr_trace = thread_copy_ring(t, r->trace);
}
