/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * reduce.h - partial-order reduction by sleep sets over the state-caching
 * depth-first search (reduce.c).  The search tells it what it needs, as
 * arguments: each new decision (its index and the choices enabled there),
 * and each step as it begins and ends (the choice, the decision it was
 * the choice of, what that decision explored already, and what the
 * scheduler saw of it).  The step's accesses are noted through the port
 * reduce_port() gives, plugged for the execution.
 */
#ifndef EQS_EXPLORE_REDUCE_H
#define EQS_EXPLORE_REDUCE_H

#include <stdbool.h>
#include <stdint.h>

#include "choice.h"
#include "fingerprint.h"
#include "footprint.h"
#include "mem_port.h"
#include "memory_model.h"

struct reduce;

/* Sleep sets for executions of up to EXPLORE_MAX_STEPS decisions; mm NULL under sc. */
struct reduce *reduce_new(struct mem_model *mm);
void reduce_free(struct reduce *r);
/* The port that notes each access: under sc its own, under a weak model mm's. */
const struct mem_port *reduce_port(struct reduce *r);
/* A new execution: nothing asleep; shared, the state outside the port at its start. */
void reduce_reset(struct reduce *r, const struct shared_view *shared);
/* The choices asleep now. */
uint64_t reduce_sleep(const struct reduce *r);
/* A new decision's sleep set (returned), and the footprints of what sleeps there. */
uint64_t reduce_enter_decision(struct reduce *r, unsigned index, uint64_t enabled);

/* A step begins: its accesses are noted from now on. */
void reduce_step_begin(struct reduce *r);

/* The step just run, as the search and the scheduler saw it. */
struct reduce_step {
	unsigned choice;
	int decision;			  /* the decision it was the choice of, or -1 */
	uint64_t explored;		  /* that decision's choices asleep or explored already */
	bool woke;			  /* it woke blocked threads */
	bool blocked;			  /* its thread ended it blocked on a wait */
	const struct shared_view *shared; /* the state outside the port after it */
};

/* It ended: what stays asleep past it (what commutes with it). */
void reduce_step_end(struct reduce *r, const struct reduce_step *st);
/* The choice of a decision was not run: what it touches is unknown, nothing sleeps past it. */
void reduce_not_run(struct reduce *r, unsigned decision, unsigned choice);

#endif /* EQS_EXPLORE_REDUCE_H */
