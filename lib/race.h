/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * race.h - exercised races, as the library accounts them itself: an EQS
 * exit whose RCU update comes while a sync is in flight (seen just before
 * the update), counted once per CPU and sync, and split by whether that
 * sync waited for the CPU.  An exit that a sync left out (did not wait
 * for), with the CPU's fetched text older than what the sync had written,
 * is the race deferral protocols must win; no variant has to say whom it
 * skipped.
 *
 * The patcher keeps a struct race_sync, each CPU a struct race_cpu; this
 * module sees nothing else of the run.  All of it is relaxed loads and
 * stores of single-writer data: no barrier is added between protocol steps.
 */
#ifndef EQS_RACE_H
#define EQS_RACE_H

#include <stdbool.h>
#include <stdint.h>

#include "atomic_ops.h"
#include "eqssim.h"

#define SYNC_RING 64 /* published syncs the CPUs can still look up */

/* A published sync: which CPUs it waited for (an acked IPI). */
struct sync_done {
	uint64_t seq;
	uint64_t waited;
};

/* The patcher's side, read by the CPUs (relaxed). */
struct race_sync {
	uint64_t sync_seq;    /* the sync in flight (odd), or the last published (even) */
	uint64_t written_seq; /* the sync that wrote site / gen */
	unsigned site;
	uint32_t gen;
	struct sync_done done[SYNC_RING];
};

/* A CPU's side: the exit pending its sync's publication, and its counts. */
struct race_cpu {
	uint64_t seq; /* the sync an exit was seen in; 0: none pending */
	bool stale;   /* our fetched text was older than that sync's write */
	enum eqs_path path;
	/* Exits in a sync's racy window: syncs that left us out, and the others. */
	uint64_t left_out[EQS_PATH_COUNT];
	uint64_t waited[EQS_PATH_COUNT];
	uint64_t aimed_exits;	  /* exits timed by the driver (stay_end) */
	uint64_t aimed_in_window; /* ... whose update found a sync between write and publication */
};

/* Patcher: sync seq (odd) starts, has written (site, gen), has been published. */
void race_sync_begin(struct race_sync *rs, uint64_t seq);
void race_sync_written(struct race_sync *rs, uint64_t seq, unsigned site, uint32_t gen);
void race_sync_published(struct race_sync *rs, uint64_t seq, uint64_t waited);

/* What a CPU's exit saw of the syncs just before its update. */
struct race_seen {
	uint64_t seq; /* in flight (odd) or last published (even) */
	bool written; /* that sync had written */
};

/*
 * CPU cpu is about to make its RCU update on EQS exit, by path, with its
 * fetched text (aimed: the driver timed it).  Called just before the update,
 * never between the update and the refetch after it: a load there would
 * lengthen the CPU's side of the store-buffering window and hide the bug.
 */
struct race_seen race_note_exit_slow(struct race_cpu *rc, const struct race_sync *rs, unsigned cpu,
				     const uint32_t *fetched, enum eqs_path path, bool aimed,
				     uint64_t seq);
static inline struct race_seen race_note_exit(struct race_cpu *rc, const struct race_sync *rs,
					      unsigned cpu, const uint32_t *fetched,
					      enum eqs_path path, bool aimed)
{
	uint64_t seq = load_relaxed(&rs->sync_seq);

	if (__builtin_expect(!(seq & 1) && !aimed, 1)) /* no sync in flight: nothing to note */
		return (struct race_seen){ .seq = seq };
	return race_note_exit_slow(rc, rs, cpu, fetched, path, aimed, seq);
}
/* Count the pending exit if its sync has been published by now. */
void race_settle(struct race_cpu *rc, const struct race_sync *rs, unsigned cpu);

#endif /* EQS_RACE_H */
