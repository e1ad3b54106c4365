/*
 * race.h - exercised races, as the library accounts them itself: an EQS
 * exit whose RCU update comes while a sync is in flight (seen just before
 * the update), counted once per CPU and sync, and split by whether that
 * sync waited for the CPU.  An exit that a sync left out (did not wait
 * for), with the CPU's fetched text older than what the sync had written,
 * is the race deferral protocols must win; no variant has to say whom it
 * skipped.
 *
 * All of it is relaxed loads and stores of single-writer data: no barrier
 * is added between protocol steps.
 */
#ifndef EQS_RACE_H
#define EQS_RACE_H

#include "sim.h"

/* Patcher: a sync starts, has written (site, gen), has been published. */
void race_sync_begin(struct eqs_patcher *p);
void race_sync_written(struct eqs_patcher *p, unsigned site, uint32_t gen);
void race_sync_published(struct eqs_patcher *p);

/*
 * CPU: just before its RCU update on EQS exit (never between the update and
 * the refetch after it: a load there would lengthen the CPU's side of the
 * store-buffering window and hide the very bug), and to settle what is
 * pending.
 */
void race_note_exit(struct eqs_cpu *c);
void race_settle(struct eqs_cpu *c);

#endif /* EQS_RACE_H */
