/*
 * ordering_points.h - a variant's ordering points as the machine meets
 * them (eqssim/variant.h): which call of a barrier block this is on the
 * thread's current path, what the run's edit does to it, and, when a
 * driver asks, the list of the points a run met.
 */
#ifndef EQS_ORDERING_POINTS_H
#define EQS_ORDERING_POINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "steps.h"

#define POINT_STEPS    10 /* the blocks that are ordering points */
#define SIM_POINTS     48 /* points a run can list */
#define SIM_BOUNDARIES 96 /* step boundaries a run can list */

/*
 * Since the thread's current path half (or patch) began: calls of each
 * ordering block, and steps of each kind (the boundaries before them).
 */
struct point_count {
	uint8_t seen[POINT_STEPS];
	uint8_t steps[EQS_MAX_STEPS];
	bool inserting; /* an inserted block runs: its own step is no boundary */
};

struct sim;
struct sim_thread;
struct eqs_cpu;

/* The block's slot in struct point_count, or -1 if step s is not an ordering block. */
int point_slot(enum step s);

/*
 * A block of a CPU (c) or of the patcher (c NULL) is about to act: count
 * it, list it if the driver asked, and say what the run's edit does to it.
 */
enum eqs_edit_kind point_meet(struct sim *sim, struct eqs_cpu *c, enum step s);

/*
 * Thread t is about to record step s: count the boundary before it, list
 * it if asked, and run the block the run's edit inserts there, if any.
 */
void point_boundary(struct sim_thread *t, enum step s);

/* Is edit e one the machine can make?  0, or -EINVAL with a message. */
int edit_check(const struct eqs_edit *e, char *err, size_t errlen);

#endif /* EQS_ORDERING_POINTS_H */
