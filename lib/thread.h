/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * thread.h - what every simulated thread (a CPU or the patcher) carries
 * for the step hook, what the run shares with the hook, and the table a
 * driver (stress, exploration, a test's scripted interleaving) plugs in.
 * The hook's fast path is inline here; its slow path is hook.c.
 *
 * Ownership rule (DESIGN §3): every field is written by one thread only.
 * Fields read by another thread while the run goes are accessed with
 * relaxed atomics, never with a read-modify-write.
 */
#ifndef EQS_THREAD_H
#define EQS_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "atomic_ops.h"
#include "barriers.h"
#include "eqssim.h"
#include "ordering_points.h"
#include "steps.h"

struct sim;
struct sim_thread;

/*
 * A driver takes part in a run only through this table, held by the run.
 * Any entry may be NULL.
 */
struct sim_driver {
	/* Before a step; in_window: inside the patcher's write-to-read window. */
	void (*step)(struct sim_thread *t, enum step s, bool in_window);
	/* One turn of a wait whose condition was still false (recorded as s). */
	void (*blocked)(struct sim_thread *t, enum step s);
	/* What the step just recorded read (a counter word, a generation, ...). */
	void (*value)(struct sim_thread *t, uint32_t value, uint32_t value2);
	/* A simulated thread starts, before its first step. */
	void (*thread_start)(struct sim_thread *t);
	/*
	 * A CPU's EQS stay (user mode, wfi, a guest run) begins at cycle now
	 * and would end at end: the driver may move the end, to time the exit
	 * that follows (stress aims it at the patcher's next window).  Return
	 * the end; set *aimed when it was timed so (the exit is counted as
	 * aimed).  Runs before the stay's spin, outside every window.
	 */
	uint64_t (*stay_end)(struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed);
	/*
	 * A timed race begins (t->aimed was set): a CPU's RCU update on EQS
	 * exit, or the patcher's text write, comes next.  For a CPU, what it
	 * found just before: the sync number in flight (odd) or last published
	 * (even), and whether that sync had written.  Called outside every
	 * window, as close to the race as can be: the driver stamps it.
	 */
	void (*race_begins)(struct sim_thread *t, uint64_t saw_seq, bool saw_written);
	/* step is wanted only once the run was declared hung (sim_declare_hung()). */
	bool step_only_after_hang;
	/*
	 * step is not wanted inside a window: the patcher's (its text write to
	 * its first IPI) or a CPU's (its RCU update on EQS exit to the refetch
	 * after it), until the run is declared hung.  A store-buffering window
	 * lasts a few tens of instructions on x86: a call there per step is
	 * enough to close it, and stress does nothing there anyway.
	 */
	bool quiet_in_patch_window, quiet_in_exit_window;
};

/* What the step hook reads of the run: one per run, shared by its threads. */
struct sim_run {
	const struct sim_driver *driver;
	void *driver_data;
	bool trace_time; /* timestamp every step (costs an rdtsc / cntvct read each) */
	int hook_slow;	 /* the driver has a step hook: leave the fast path (read relaxed) */
	/* The driver's quiet_in_* (read relaxed): cleared when the run is declared hung. */
	int quiet_patch_window, quiet_exit_window;
	int abort_waits; /* the run was declared hung: every wait gives up (read relaxed) */
	uint64_t t0;	 /* cycles at the start of the run */
	struct point_run points;
};

/*
 * A thread's explored state kept here because the hook reads it: where it
 * meets its ordering blocks, and how many it met.  Part of the state an
 * exploration tells apart (hashed whole).
 */
struct thread_state {
	struct point_place place;
	struct point_count points;
};

struct sim_thread {
	struct sim *sim; /* the run, for drivers; the hook uses run */
	struct sim_run *run;
	void *driver_thread; /* the driver's own per-thread data */
	unsigned id;	     /* a CPU's number, or EQS_PATCHER (eqssim/types.h) */
	uint64_t rng;	     /* the thread's seeded generator (a driver's workload) */
	uint32_t ring_next;  /* total steps recorded; ring index = next % len */
	/*
	 * A CPU between its RCU update on EQS exit and its next refetch: the
	 * CPU's side of the store-buffering shape.  The harness adds no jitter
	 * there (an asked-for --delay still applies).
	 */
	bool in_exit_window;
	/*
	 * The driver timed this thread's next race (stay_end, or the patcher's
	 * next window): the harness adds no jitter until the race begins, the
	 * CPU's RCU update or the patcher's text write, where the machine
	 * clears it and calls the driver's race_begins.
	 */
	bool aimed;
	/*
	 * A wait's condition is being evaluated: a word access there records
	 * no step (each false turn is the wait's blocked step).
	 */
	bool in_cond;
	/*
	 * The step hook leaves its fast path (a record only): ordering points
	 * on, timestamps, a driver step or value hook.  Set by sim_set_slow();
	 * the controller sets it once a run is declared hung (read relaxed).
	 */
	int slow;
	struct thread_state st;
	uint16_t ring_step[EQS_RING_LEN];
	uint64_t ring_cycles[EQS_RING_LEN]; /* only with trace_time */
};

/*
 * Record step s in t's ring: plain stores to the thread's own memory, and a
 * fence-free timestamp only when asked (stamp, and trace_time).  Inside the
 * patcher's window there is no timestamp: under qemu the counter read is an
 * emulated helper slow enough to let a store drain, which would close the
 * very store-buffering window the window must leave open.
 */
static inline void ring_record(struct sim_thread *t, enum step s, bool stamp)
{
	uint32_t n = t->ring_next;
	unsigned i = n % EQS_RING_LEN;

	/* Relaxed (plain moves): the stress watchdog reads a hung thread's ring as it runs. */
	store_relaxed(&t->ring_next, n + 1);
	store_relaxed(&t->ring_step[i], (uint16_t)s);
	if (__builtin_expect(stamp && t->run->trace_time, 0))
		store_relaxed(&t->ring_cycles[i], cycles_now());
}

/* Copy t's ring, oldest first, with times in ns since the run began. */
unsigned thread_copy_ring(const struct sim_thread *t, struct eqs_trace_entry *out);

/*
 * How a thread runs a block an edit inserts (EQS_EDIT_INSERT_*): each side
 * runs its own (the CPU's isb, dmb, dsb; the patcher's smp_mb, dsb).
 */
typedef void (*step_insert_fn)(struct sim_thread *t, enum eqs_edit_kind kind);

/*
 * The slow path of a step (t->slow): the boundary before step s is counted
 * and the blocks the run's edits insert there (point_boundary()) are run by
 * insert (NULL: a thread that runs no blocks); then s is recorded and the
 * driver called (in_window: the patcher's window).
 */
void step_slow(struct sim_thread *t, enum step s, bool in_window, step_insert_fn insert);
/* What a step read, for a driver that wants it (t->slow). */
void step_value_slow(struct sim_thread *t, uint32_t value, uint32_t value2);

/*
 * Before step s of t: record it; then whatever the run does at a step.  The
 * common case (stress without jitter, benchmarks) is the record alone: one
 * flag read, two plain stores.
 */
static inline void step_hook(struct sim_thread *t, enum step s, bool in_window,
			     step_insert_fn insert)
{
	if (__builtin_expect(load_relaxed(&t->slow), 0))
		step_slow(t, s, in_window, insert);
	else
		ring_record(t, s, false);
}

/* One turn of a wait loop already recorded as s: the driver may switch threads. */
static inline void step_blocked(struct sim_thread *t, enum step s)
{
	const struct sim_driver *d = t->run->driver;

	if (d && d->blocked)
		d->blocked(t, s);
}

/*
 * One turn of a wait whose condition was false: the driver's blocked step,
 * then a local spin.  False once the run was declared hung: the wait must
 * give up so the threads can be joined.
 */
/* A wait's condition, its word accesses recording no step (each false turn is the wait's step). */
static inline bool cond_holds(struct sim_thread *t, bool (*cond)(void *arg), void *arg)
{
	t->in_cond = true;
	bool ok = cond(arg);

	t->in_cond = false;
	return ok;
}

static inline bool wait_turn(struct sim_thread *t, enum step s)
{
	if (load_relaxed(&t->run->abort_waits))
		return false;
	step_blocked(t, s);
	cpu_relax();
	return true;
}

/* What the last step read: exploration traces show it; a no-op otherwise. */
static inline void step_value(struct sim_thread *t, uint32_t value, uint32_t value2)
{
	if (__builtin_expect(load_relaxed(&t->slow), 0))
		step_value_slow(t, value, value2);
}

/* A timed race begins: no jitter after it; the driver stamps it. */
static inline void race_begins(struct sim_thread *t, uint64_t saw_seq, bool saw_written)
{
	const struct sim_driver *d = t->run->driver;

	t->aimed = false;
	if (d && d->race_begins)
		d->race_begins(t, saw_seq, saw_written);
}

#endif /* EQS_THREAD_H */
