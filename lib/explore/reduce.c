/* SPDX-License-Identifier: LGPL-2.1-or-later */
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
#include <stdlib.h>

#include "reduce.h"

struct reduce {
	/* The sleep set as the execution goes, with the footprint each sleeper had when explored. */
	uint64_t sleep;
	struct footprint sleep_fp[CHOICE_COUNT];
	/* Each decision's footprints of the choices it explored (and of its sleepers). */
	struct footprint (*decision_fp)[CHOICE_COUNT]; /* EXPLORE_MAX_STEPS of them */
	struct footprint step_fp;		       /* the step running now */
	struct shared_view shared;		       /* the state outside the port before it */
	struct fp_recorder recorder;		       /* under sc: notes the accesses */
	struct mem_model *mm;			       /* under a weak model: it notes them */
};

struct reduce *reduce_new(struct mem_model *mm)
{
	struct reduce *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->decision_fp = calloc(EXPLORE_MAX_STEPS, sizeof(*r->decision_fp));
	if (!r->decision_fp) {
		free(r);
		return NULL;
	}
	r->mm = mm;
	fp_recorder_init(&r->recorder);
	return r;
}

void reduce_free(struct reduce *r)
{
	if (!r)
		return;
	free(r->decision_fp);
	free(r);
}

const struct mem_port *reduce_port(struct reduce *r)
{
	return r->mm ? &r->mm->port : &r->recorder.port;
}

void reduce_reset(struct reduce *r, const struct shared_view *shared)
{
	r->sleep = 0;
	r->shared = *shared;
}

uint64_t reduce_sleep(const struct reduce *r)
{
	return r->sleep;
}

uint64_t reduce_enter_decision(struct reduce *r, unsigned index, uint64_t enabled)
{
	uint64_t sleep = r->sleep & enabled;

	for (uint64_t m = sleep; m; m &= m - 1) {
		unsigned c = (unsigned)__builtin_ctzll(m);

		r->decision_fp[index][c] = r->sleep_fp[c];
	}
	return sleep;
}

void reduce_step_begin(struct reduce *r)
{
	fp_clear(&r->step_fp);
	r->recorder.fp = &r->step_fp;
	if (r->mm)
		r->mm->fp = &r->step_fp;
}

/* The choices in from (footprints in fps) that commute with the step just run. */
static void keep_commuting(struct reduce *r, uint64_t from, const struct footprint *fps,
			   unsigned choice)
{
	uint64_t keep = 0;

	from &= ~(1ull << choice);
	for (uint64_t m = from; m; m &= m - 1) {
		unsigned c = (unsigned)__builtin_ctzll(m);

		/* Two choices of one thread never commute: one runs its code, the other moves its stores. */
		if (choice_thread(c) == choice_thread(choice) || fp_dependent(&fps[c], &r->step_fp))
			continue;
		keep |= 1ull << c;
		if (fps != r->sleep_fp)
			r->sleep_fp[c] = fps[c];
	}
	r->sleep = keep;
}

void reduce_step_end(struct reduce *r, const struct reduce_step *st)
{
	r->recorder.fp = NULL;
	if (r->mm)
		r->mm->fp = NULL;
	if (!explore_shared_view_equal(&r->shared, st->shared)) {
		r->step_fp.global = true;
		/* Nothing but steps changes it: this "after" is the next step's "before". */
		r->shared = *st->shared;
	}
	r->step_fp.global |= st->choice >= CHOICE_NMI_BASE; /* the scenario's NMIs are shared */
	r->step_fp.progress = st->woke;
	r->step_fp.blocked = st->blocked;
	if (st->decision >= 0) {
		struct footprint *fps = r->decision_fp[st->decision];

		fps[st->choice] = r->step_fp;
		keep_commuting(r, st->explored, fps, st->choice);
	} else { /* the sleepers' footprints are where they stay: filter in place */
		keep_commuting(r, r->sleep, r->sleep_fp, st->choice);
	}
}

void reduce_not_run(struct reduce *r, unsigned decision, unsigned choice)
{
	r->decision_fp[decision][choice].global = true;
}
