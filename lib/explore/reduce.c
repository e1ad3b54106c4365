/*
 * reduce.c - partial-order reduction by sleep sets (Godefroid) over the
 * state-caching depth-first search.  After a choice c is explored from a
 * state, its later siblings put c to sleep: a sleeping choice is not
 * explored again until a step that does not commute with it runs (its
 * footprint, footprint.h, says which).  Every reachable state is still
 * reached; only orders of commuting steps that lead to states explored
 * already are left out.  With the state cache a state keeps the sleep set
 * it was explored with: reached again with a sleep set that lacks some of
 * those choices, it is explored once more with only them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fingerprint.h"
#include "reduce.h"
#include "scheduler.h"

int reduce_init(struct explorer *x)
{
	x->decision_fp = calloc(EXPLORE_MAX_STEPS, sizeof(*x->decision_fp));
	if (!x->decision_fp)
		return -ENOMEM;
	x->reduce = true;
	fp_recorder_init(&x->recorder);
	return 0;
}

void reduce_free(struct explorer *x)
{
	free(x->decision_fp);
	x->decision_fp = NULL;
	x->reduce = false;
}

void reduce_reset(struct explorer *x)
{
	x->sleep = 0;
	explore_shared_view(x, &x->shared_before);
}

/* Under sc, the port that notes each access; under a weak model its own port notes them. */
const struct mem_port *reduce_port(struct explorer *x)
{
	return x->mm ? &x->mm->port : &x->recorder.port;
}

void reduce_step_begin(struct explorer *x)
{
	fp_clear(&x->step_fp);
	x->recorder.fp = &x->step_fp;
	if (x->mm)
		x->mm->fp = &x->step_fp;
}

/* The choices in from (footprints in fps) that commute with the step just run. */
static void keep_commuting(struct explorer *x, uint64_t from, const struct footprint *fps,
			   unsigned choice)
{
	uint64_t keep = 0;

	from &= ~(1ull << choice);
	for (uint64_t m = from; m; m &= m - 1) {
		unsigned c = (unsigned)__builtin_ctzll(m);

		/* Two choices of one thread never commute: one runs its code, the other moves its stores. */
		if (choice_thread(c) == choice_thread(choice) || fp_dependent(&fps[c], &x->step_fp))
			continue;
		keep |= 1ull << c;
		if (fps != x->sleep_fp)
			x->sleep_fp[c] = fps[c];
	}
	x->sleep = keep;
}

void reduce_step_end(struct explorer *x, unsigned choice, int decision, uint64_t explored)
{
	unsigned t = choice_thread(choice);

	x->recorder.fp = NULL;
	if (x->mm)
		x->mm->fp = NULL;
	explore_shared_view(x, &x->shared_after);
	if (!explore_shared_view_equal(&x->shared_before, &x->shared_after)) {
		x->step_fp.global = true;
		/* Nothing but steps changes it: this "after" is the next step's "before". */
		x->shared_before = x->shared_after;
	}
	x->step_fp.global |= choice >= CHOICE_NMI_BASE; /* the scenario's NMIs are shared */
	x->step_fp.progress = x->step_woke;
	x->step_fp.blocked = t < x->nthreads && x->blocked[t];
	if (decision >= 0) {
		struct footprint *fps = x->decision_fp[decision];

		fps[choice] = x->step_fp;
		keep_commuting(x, explored, fps, choice);
	} else { /* the sleepers' footprints are where they stay: filter in place */
		keep_commuting(x, x->sleep, x->sleep_fp, choice);
	}
}

uint64_t reduce_enter_decision(struct explorer *x, unsigned index, uint64_t enabled)
{
	uint64_t sleep = x->sleep & enabled;

	for (uint64_t m = sleep; m; m &= m - 1) {
		unsigned c = (unsigned)__builtin_ctzll(m);

		x->decision_fp[index][c] = x->sleep_fp[c];
	}
	return sleep;
}
