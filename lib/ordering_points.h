/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ordering_points.h - a variant's ordering points as the machine meets
 * them (eqssim/variant.h): which call of a barrier block this is on the
 * thread's current path half, what the run's edits do to it, which
 * blocks they insert at a step boundary, and, when a driver asks, the list
 * of the points a run met.  This module only decides: the side that runs
 * the step (a CPU, the patcher) acts on the decision.
 */
#ifndef EQS_ORDERING_POINTS_H
#define EQS_ORDERING_POINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "steps.h"

#define SIM_POINTS     48 /* points a run can list */
#define SIM_BOUNDARIES 96 /* step boundaries a run can list */
#define SIM_EDITS      2  /* edits a run makes at once (cfg.edit, cfg.edit2) */

/* Where a thread meets its blocks: the patcher's sync, or a CPU's path half. */
struct point_place {
	bool patcher;
	bool on_entry;	    /* a CPU on its path's EQS entry half */
	enum eqs_path path; /* the path whose code a CPU runs */
};

/*
 * Since the thread's current path half (or patch) began: calls of each
 * ordering block, and steps of each kind (the boundaries before them).
 */
struct point_count {
	uint8_t seen[EQS_MAX_STEPS];
	uint8_t steps[EQS_MAX_STEPS];
	bool inserting; /* an inserted block runs: its own step is no boundary */
};

/* A run's edits, and the points it met when asked to list them. */
struct point_run {
	struct eqs_edit edits[SIM_EDITS];
	bool on;			  /* an edit acts, or points are listed */
	bool record;			  /* list the points met */
	bool count_boundaries;		  /* an edit inserts a block, or listing */
	bool edited_steps[EQS_MAX_STEPS]; /* an edit acts on the blocks of step s */
	unsigned nr_points, nr_boundaries;
	struct eqs_point points[SIM_POINTS];
	struct eqs_point boundaries[SIM_BOUNDARIES];
};

/* A run with the edits e1, e2 (EQS_EDIT_NONE: none). */
void points_init(struct point_run *pr, const struct eqs_edit *e1, const struct eqs_edit *e2);
/* List every point and boundary the run meets from now on. */
void points_list(struct point_run *pr);

enum eqs_edit_kind point_meet(struct point_run *pr, struct point_count *count,
			      const struct point_place *at, enum step s);

/*
 * A block of step s is about to act at place at: count it, list it if
 * asked, and say what the run's edits do to it (EQS_EDIT_NONE: act).
 */
static inline enum eqs_edit_kind point_edit(struct point_run *pr, struct point_count *count,
					    const struct point_place *at, enum step s)
{
	if (__builtin_expect(!pr->on, 1))
		return EQS_EDIT_NONE;
	if (!pr->record && !((unsigned)s < EQS_MAX_STEPS && pr->edited_steps[s]))
		return EQS_EDIT_NONE; /* not this block's kind: nothing to count */
	return point_meet(pr, count, at, s);
}

/*
 * A thread at place at is about to record step s: count the boundary
 * before it, list it if asked, and return the blocks the run's edits insert
 * there, in order (EQS_EDIT_INSERT_*), as point_inserts: 4 bits each, the
 * first lowest; 0 when none.
 */
unsigned point_boundary(struct point_run *pr, struct point_count *count,
			const struct point_place *at, enum step s);
#define POINT_INSERT_BITS 4

/* The next block of what point_boundary() returned (EQS_EDIT_NONE: no more), taken off it. */
static inline enum eqs_edit_kind point_insert_pop(unsigned *inserts)
{
	enum eqs_edit_kind kind = (enum eqs_edit_kind)(*inserts & ((1u << POINT_INSERT_BITS) - 1));

	*inserts >>= POINT_INSERT_BITS;
	return kind;
}

/* An update's ordering as the run's edits leave it (EQS_POINT_EXIT_ORDER / _ENTER_ORDER). */
enum eqs_order point_edited_order(const struct point_run *pr, enum eqs_point_kind kind,
				  enum eqs_order order);

/* Is edit e one the machine can make?  0, or -EINVAL with a message. */
int edit_check(const struct eqs_edit *e, char *err, size_t errlen);

#endif /* EQS_ORDERING_POINTS_H */
