/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * steps.h - the named steps of every path and of the patcher, made from
 * the one table of steps.def: the enum, and what each step is (its side,
 * whether it is an ordering point, the fence it runs and its weaker form,
 * whether it lies in the patcher's window, its litmus instruction).  Users'
 * variants register steps of their own after the built-in ones.
 */
#ifndef EQS_STEPS_H
#define EQS_STEPS_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "mem_port.h"

enum step {
#define STEP(id, name, side, point, fence, weaker, window, litmus) STEP_##id,
#include "steps.def"
#undef STEP
	STEP_COUNT /* registered steps follow, up to EQS_MAX_STEPS */
};
_Static_assert(STEP_COUNT <= EQS_MAX_STEPS, "raise EQS_MAX_STEPS");

enum step_side {
	STEP_SIDE_CPU,
	STEP_SIDE_PATCHER,
	STEP_SIDE_SCHED, /* the scheduler's own, or either thread's */
};

#define FENCE_NONE (-1)

/* What a built-in step is: one row of steps.def. */
struct step_info {
	const char *name;
	enum step_side side;
	bool point;	    /* an ordering block: an edit can remove or weaken it */
	int fence;	    /* enum mem_fence it executes, or FENCE_NONE */
	int weaker;	    /* what it executes weakened, or FENCE_NONE */
	bool window;	    /* inside the patcher's write/barrier/read window */
	const char *litmus; /* its AArch64 instruction in a litmus test, or NULL */
};

static const struct step_info step_table[STEP_COUNT] = {
#define STEP(id, nm, sd, pt, fn, wk, win, lit)                                                     \
	[STEP_##id] = { .name = nm,                                                                \
			.side = STEP_SIDE_##sd,                                                    \
			.point = pt,                                                               \
			.fence = FENCE_##fn,                                                       \
			.weaker = FENCE_##wk,                                                      \
			.window = win,                                                             \
			.litmus = lit },
#include "steps.def"
#undef STEP
};

/* The row of a built-in step; NULL for a registered one or an unknown number. */
static inline const struct step_info *step_info(enum step s)
{
	return (unsigned)s < STEP_COUNT ? &step_table[s] : NULL;
}

/* Is s a registered step that names a variant's word (step_register_word())? */
bool step_is_word(enum step s);

/* Is step s an ordering point an edit can act on: a barrier block, or a word's access? */
static inline bool step_is_point(enum step s)
{
	return (unsigned)s < STEP_COUNT ? step_table[s].point : step_is_word(s);
}

/*
 * What barrier block s executes under edit e (steps.def's fence, or its
 * weaker one; FENCE_NONE when removed): the rule both sides run by.
 */
static inline int step_fence_under(enum step s, enum eqs_edit_kind e)
{
	if (e == EQS_EDIT_NONE)
		return step_table[s].fence;
	return e == EQS_EDIT_WEAKEN ? step_table[s].weaker : FENCE_NONE;
}

const char *step_name(enum step s);
/*
 * The step of a variant's word called name (its accesses are ordering
 * points), registered once: the step, or a negative errno with err (a
 * name taken by a step that is no word's, no room).
 */
int step_register_word(const char *name, char *err, size_t errlen);
/* A step number from a user: itself if registered, else STEP_UNKNOWN. */
enum step step_checked(int step);

#endif /* EQS_STEPS_H */
