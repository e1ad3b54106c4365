/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * hook.c - the step hook's slow path: boundaries for the blocks an edit
 * inserts, timestamps, the driver's step and value hooks; and reading a
 * thread's ring of recent steps.  Below the CPUs and the patcher: the
 * blocks an edit inserts are run by the thread's own insert function.
 */
#include "clock.h"
#include "thread.h"

/* The blocks the run's edits insert before step s, run by the thread's side. */
static void insert_blocks(struct sim_thread *t, enum step s, step_insert_fn insert)
{
	struct point_count *count = &t->st.points;
	unsigned inserts = point_boundary(&t->run->points, count, &t->st.place, s);
	enum eqs_edit_kind kind;

	while ((kind = point_insert_pop(&inserts)) != EQS_EDIT_NONE) {
		count->inserting = true; /* the inserted block's own step is no boundary */
		insert(t, kind);
		count->inserting = false;
	}
}

void step_slow(struct sim_thread *t, enum step s, bool in_window, step_insert_fn insert)
{
	struct sim_run *run = t->run;
	bool quiet = in_window ? load_relaxed(&run->quiet_patch_window)
			       : t->in_exit_window && load_relaxed(&run->quiet_exit_window);

	if (insert && run->points.count_boundaries)
		insert_blocks(t, s, insert);
	ring_record(t, s, !in_window);
	if (load_relaxed(&run->hook_slow) && !quiet)
		run->driver->step(t, s, in_window);
}

void step_value_slow(struct sim_thread *t, uint32_t value, uint32_t value2)
{
	const struct sim_driver *d = t->run->driver;

	if (d && d->value)
		d->value(t, value, value2);
}

unsigned thread_copy_ring(const struct sim_thread *t, struct eqs_trace_entry *out)
{
	/* The owner may still be writing (a hung thread): relaxed reads, a snapshot. */
	uint32_t next = load_relaxed(&t->ring_next);
	unsigned n = next < EQS_RING_LEN ? next : EQS_RING_LEN;
	uint32_t first = next - n;
	uint64_t t0 = t->run->t0;

	for (unsigned i = 0; i < n; i++) {
		unsigned k = (first + i) % EQS_RING_LEN;
		uint64_t cycles = t->run->trace_time ? load_relaxed(&t->ring_cycles[k]) : 0;

		out[i].step = load_relaxed(&t->ring_step[k]);
		out[i].cpu = (uint16_t)t->id;
		out[i].ns = cycles > t0 ? clock_cycles_to_ns(cycles - t0) : 0;
	}
	return n;
}
