/*
 * oracle.h - executing the text sites and judging each execution against
 * the last completed sync.
 */
#ifndef EQS_ORACLE_H
#define EQS_ORACLE_H

#include "sim.h"

/*
 * Execute every site from c's fetched view.  For each, synced[site] is read
 * (acquire) before the comparison: a fetched generation older than a sync
 * that had completed is a violation.  Reading synced after executing would
 * misreport legal stale executions during an unfinished sync.
 */
void oracle_exec_text(struct eqs_cpu *c);

/*
 * Execute the entry-code sites: legal in EQS (noinstr code runs before RCU
 * is told).  Stale entry code after a completed sync counts apart, as
 * evidence of a protocol error, not as a violation of an exit path.
 */
void oracle_exec_entry_text(struct eqs_cpu *c);

/* Copy thread t's ring, oldest first, with times in ns since t0. */
unsigned oracle_copy_ring(const struct sim_thread *t, uint64_t t0, struct eqs_trace_entry *out);

#endif /* EQS_ORACLE_H */
