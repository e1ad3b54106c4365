/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * patcher.h - what the patcher's files share (patcher.c: its steps, text
 * write, cache maintenance, barrier and remote reads; sync.c: the syncs
 * built on IPIs).  Internal to the machine.
 */
#ifndef EQS_PATCHER_H
#define EQS_PATCHER_H

#include "state.h"

static inline struct sim *patcher_sim(const struct eqs_patcher *p)
{
	return p->t.sim;
}

/*
 * Step s of the patcher, with the blocks an edit inserts before it; in the
 * patch window (in_window) a step is recorded only: no delay, no jitter.
 */
void patcher_step_slow(struct eqs_patcher *p, enum step s, bool in_window);
static inline void patcher_step_at(struct eqs_patcher *p, enum step s, bool in_window)
{
	if (__builtin_expect(load_relaxed(&p->t.slow), 0))
		patcher_step_slow(p, s, in_window);
	else
		ring_record(&p->t, s, false);
}

static inline void patcher_step(struct eqs_patcher *p, enum step s)
{
	patcher_step_at(p, s, false);
}

/* What the run's edits do to the patcher's block of step s about to act. */
static inline enum eqs_edit_kind patcher_point_edit(struct eqs_patcher *p, enum step s)
{
	return point_edit(&patcher_sim(p)->run.points, &p->t.st.points, &p->t.st.place, s);
}

/* A step that lies inside the patch window. */
static inline void patcher_window_step(struct eqs_patcher *p, enum step s)
{
	patcher_step_at(p, s, true);
}

/*
 * The patch window runs from the text write to the first IPI send (or
 * wait, or publication): the counter reads of a store-buffering shape lie
 * in it.  Any step recorded there is recorded only: no delay, no jitter,
 * no timestamp.
 */
static inline void patcher_window_close(struct eqs_patcher *p)
{
	p->ctx.in_window = false;
}

/* The patcher thread's first act: the driver's thread_start. */
void patcher_thread_begin(struct eqs_patcher *p);
/* Patch one site and run the variant's sync to completion. */
void patch_once(struct sim *sim, unsigned site);

/* The patcher's first state (sim.c). */
void patcher_init(struct sim *sim);

#endif /* EQS_PATCHER_H */
