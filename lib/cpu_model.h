/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu_model.h - what the CPU's files share (cpu_model.c: a CPU's steps,
 * CSEs and barrier blocks; cpu_paths.c: its paths, interrupts and stays;
 * sync.c: its side of a rendezvous).  Internal to the machine.
 */
#ifndef EQS_CPU_MODEL_H
#define EQS_CPU_MODEL_H

#include "state.h"

static inline struct sim *sim_of(const struct eqs_cpu *c)
{
	return c->t.sim;
}

static inline const struct rcu_layout *rcu_of(const struct eqs_cpu *c)
{
	return sim_of(c)->rcu;
}

/* A block an edit inserts before one of c's steps (step_insert_fn). */
void cpu_insert_block(struct sim_thread *t, enum eqs_edit_kind kind);

/* The slow path of cpu_step(), out of line: step_slow() with the CPU's inserted blocks. */
void cpu_step_slow(struct eqs_cpu *c, enum step s);

/*
 * Before step s of c: record it, and whatever the run does at a step
 * (thread.h's step_hook(), with the slow path's call kept to two arguments:
 * this is on every step of every path).
 */
static inline void cpu_step(struct eqs_cpu *c, enum step s)
{
	if (__builtin_expect(load_relaxed(&c->t.slow), 0))
		cpu_step_slow(c, s);
	else
		ring_record(&c->t, s, false);
}

/* What the run's edits do to c's block of step s about to act. */
static inline enum eqs_edit_kind cpu_point_edit(struct eqs_cpu *c, enum step s)
{
	return point_edit(&sim_of(c)->run.points, &c->t.st.points, &c->t.st.place, s);
}

/* A context synchronisation event recorded as step s: refetch the whole text. */
void cpu_cse(struct eqs_cpu *c, enum step s);

/* A CPU's first state (sim.c). */
void cpu_init(struct sim *sim, struct eqs_cpu *c, unsigned id);

#endif /* EQS_CPU_MODEL_H */
