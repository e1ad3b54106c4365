/*
 * oracle.h - executing the text sites and judging each execution against
 * the last completed sync.
 */
#ifndef EQS_ORACLE_H
#define EQS_ORACLE_H

#include "sim.h"

/* Record a violation (the cold path of oracle_exec_text). */
void oracle_record_violation(struct eqs_cpu *c, unsigned site, uint32_t fetched, uint32_t synced);

/*
 * Execute every site from c's fetched view.  For each, synced[site] is read
 * (acquire) before the comparison: a fetched generation older than a sync
 * that had completed is a violation.  Reading synced after executing would
 * misreport legal stale executions during an unfinished sync.
 */
static inline void oracle_exec_text(struct eqs_cpu *c)
{
	struct text *text = &c->t.sim->text;

	step_hook(&c->t, STEP_EXEC_TEXT);
	if (__builtin_expect(!c->watching, 0)) {
		stat_inc(c->stats.text_in_eqs);
		return;
	}
	uint32_t synced[EQS_MAX_SITES];

	text_synced_all(text, synced); /* every synced[] read before any comparison */
	step_value(&c->t, c->fetched[0], synced[0]);
	for (unsigned i = 0; i < text->nr_sites; i++)
		if (__builtin_expect(gen_before(c->fetched[i], synced[i]), 0))
			oracle_record_violation(c, i, c->fetched[i], synced[i]);
}

/*
 * Execute the entry-code sites: legal in EQS (noinstr code runs before RCU
 * is told).  Stale entry code after a completed sync counts apart, as
 * evidence of a protocol error, not as a violation of an exit path.
 */
static inline void oracle_exec_entry_text(struct eqs_cpu *c)
{
	struct text *text = &c->t.sim->text;
	unsigned end = text->nr_sites + text->nr_entry_sites;

	if (!text->nr_entry_sites)
		return;
	step_hook(&c->t, STEP_ENTRY_TEXT);
	for (unsigned i = text->nr_sites; i < end; i++)
		if (gen_before(c->fetched[i], text_synced(text, i)))
			stat_inc(c->stats.entry_violations);
}

/* Copy thread t's ring, oldest first, with times in ns since t0. */
unsigned oracle_copy_ring(const struct sim_thread *t, uint64_t t0, struct eqs_trace_entry *out);

#endif /* EQS_ORACLE_H */
