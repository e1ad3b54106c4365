/*
 * reduce.h - partial-order reduction by sleep sets over the state-caching
 * depth-first search (reduce.c).
 */
#ifndef EQS_EXPLORE_REDUCE_H
#define EQS_EXPLORE_REDUCE_H

#include "scheduler.h"

int reduce_init(struct explorer *x);
void reduce_free(struct explorer *x);
void reduce_reset(struct explorer *x);
const struct mem_port *reduce_port(struct explorer *x);
void reduce_step_begin(struct explorer *x);
/*
 * After a step: decision is the index of the decision it was the choice
 * of, or -1; explored, that decision's choices asleep or explored already.
 */
void reduce_step_end(struct explorer *x, unsigned choice, int decision, uint64_t explored);
/* A new decision's sleep set (returned), and the footprints of what sleeps there. */
uint64_t reduce_enter_decision(struct explorer *x, unsigned index, uint64_t enabled);

#endif /* EQS_EXPLORE_REDUCE_H */
