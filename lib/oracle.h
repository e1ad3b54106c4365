/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * oracle.h - judging each execution of the text against the last completed
 * sync.  A CPU keeps a struct oracle_stats; this module sees nothing else
 * of the run (the CPU records the step and calls it).
 */
#ifndef EQS_ORACLE_H
#define EQS_ORACLE_H

#include "insn_patch.h"
#include "thread.h"

struct oracle_stats {
	uint64_t violations;
	uint64_t violations_on_path[EQS_PATH_COUNT];
	uint64_t entry_violations; /* stale entry code run after its sync completed */
	uint64_t first_violation_cycles;
	unsigned nr_records;
	struct eqs_violation records[EQS_MAX_VIOLATION_RECORDS];
};

/* Record a violation of thread t (the cold path of oracle_check_text). */
void oracle_record_violation(struct oracle_stats *os, const struct sim_thread *t, unsigned site,
			     uint32_t fetched, uint32_t synced, enum eqs_path path);

/*
 * Judge an execution of every ordinary site from the fetched view of
 * thread t, which last left EQS by path.  For each site, synced[site] is
 * read (acquire) before the comparison: a fetched generation older than a
 * sync that had completed is a violation.  Reading synced after executing
 * would misreport legal stale executions during an unfinished sync.
 */
static inline void oracle_check_text(struct oracle_stats *os, struct sim_thread *t,
				     struct text *text, const uint32_t *fetched, enum eqs_path path)
{
	uint32_t synced[EQS_MAX_SITES];

	text_synced_all(text, synced); /* every synced[] read before any comparison */
	step_value(t, fetched[0], synced[0]);
	for (unsigned i = 0; i < text->nr_sites; i++)
		if (__builtin_expect(gen_before(fetched[i], synced[i]), 0))
			oracle_record_violation(os, t, i, fetched[i], synced[i], path);
}

/*
 * Judge an execution of the entry-code sites: legal in EQS (noinstr code
 * runs before RCU is told).  Stale entry code after a completed sync counts
 * apart, as evidence of a protocol error, not as a violation of an exit path.
 */
static inline void oracle_check_entry_text(struct oracle_stats *os, struct text *text,
					   const uint32_t *fetched)
{
	unsigned end = text->nr_sites + text->nr_entry_sites;

	for (unsigned i = text->nr_sites; i < end; i++)
		if (gen_before(fetched[i], text_synced(text, i)))
			stat_inc(os->entry_violations);
}

#endif /* EQS_ORACLE_H */
