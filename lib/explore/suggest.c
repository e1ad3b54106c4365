/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * suggest.c - the smallest fix of a buggy variant (eqssim/explore.h):
 * every single edit that adds ordering, cheapest first, explored under the
 * model asked for, then pairs of them if none will do; the cheapest that
 * leave it clean and complete are the fixes, each then explored under
 * every model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "driver.h"
#include "error.h"
#include "error.h"

#define MAX_CANDIDATES 512

struct candidate {
	struct eqs_edit edit;
	unsigned cost;
	unsigned order; /* ties: shared code first, then as met */
};

struct search {
	const struct eqs_variant *v;
	const struct eqs_explore_config *cfg;
	struct eqs_fixes *out;
	struct eqs_explore_report *r;
	struct candidate c[MAX_CANDIDATES];
	unsigned n;
};

static void add(struct search *s, enum eqs_edit_kind kind, const struct eqs_point *pt,
		unsigned cost, unsigned order)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->c[i].edit.kind == kind && eqs_point_equal(&s->c[i].edit.point, pt))
			return;
	if (s->n < MAX_CANDIDATES)
		s->c[s->n++] = (struct candidate){ .edit = { .kind = kind, .point = *pt },
						   .cost = cost,
						   .order = order };
}

/* Blocks at every boundary of the failing path and of the patcher; updates one step stronger. */
static void list_candidates(struct search *s, const struct eqs_explore_report *base)
{
	static const enum eqs_edit_kind blocks[] = { EQS_EDIT_INSERT_ISB, EQS_EDIT_INSERT_DMB,
						     EQS_EDIT_INSERT_DSB };
	const struct eqs_variant *v = s->v;

	for (unsigned i = 0; i < base->nr_boundaries; i++) {
		struct eqs_point pt = base->boundaries[i];

		if (!pt.patcher && pt.path != s->out->failing_path)
			continue;
		for (unsigned k = 0; k < 3; k++) {
			if (pt.patcher && blocks[k] == EQS_EDIT_INSERT_ISB)
				continue;  /* the patcher runs no text */
			if (!pt.patcher) { /* the same boundary in code every path shares */
				struct eqs_point every = pt;

				every.every_path = true;
				add(s, blocks[k], &every, k + 1, 0);
			}
			add(s, blocks[k], &pt, k + 1, 1 + i);
		}
	}
	for (unsigned k = 0; k < 2; k++) {
		struct eqs_point pt = { .kind = k ? EQS_POINT_ENTER_ORDER : EQS_POINT_EXIT_ORDER };
		enum eqs_order o = k ? v->enter_order : v->exit_order;

		if (o != EQS_ORDER_FULL)
			add(s, EQS_EDIT_STRENGTHEN, &pt, o == EQS_ORDER_RELAXED ? 2 : 3, 0);
	}
}

static int by_cost(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Explore v edited by e (and e2) under model; 1 clean and complete, 0 buggy or incomplete. */
static int clean_under(struct search *s, const struct eqs_edit *e, const struct eqs_edit *e2,
		       enum eqs_model model, char *err, size_t errlen)
{
	struct eqs_explore_config cfg = *s->cfg;

	cfg.model = model;
	cfg.edit = *e;
	if (e2)
		cfg.edit2 = *e2;
	int ret = eqs_explore_run(s->v, &cfg, s->r, err, errlen);

	if (ret)
		return ret;
	s->out->explorations++;
	return !s->r->violations && !s->r->hung && s->r->complete;
}

static void name_edit(const struct eqs_edit *e, char *buf, size_t len)
{
	static const char *const what[] = {
		[EQS_EDIT_INSERT_ISB] = "isb",
		[EQS_EDIT_INSERT_DMB] = "dmb",
		[EQS_EDIT_INSERT_DSB] = "dsb",
		[EQS_EDIT_STRENGTHEN] = "one step stronger:",
	};
	char where[64];

	eqs_point_name(&e->point, where, sizeof(where));
	snprintf(buf, len, "%s %s", what[e->kind], where);
}

static void name_fix(struct eqs_fix *f)
{
	char one[96], two[96];

	name_edit(&f->edit, one, sizeof(one));
	if (f->edit2.kind == EQS_EDIT_NONE) {
		snprintf(f->name, sizeof(f->name), "%s", one);
		return;
	}
	name_edit(&f->edit2, two, sizeof(two));
	snprintf(f->name, sizeof(f->name), "%s, then %s", one, two);
}

/* Record a fix and explore it under every model. */
static int keep_fix(struct search *s, const struct eqs_edit *e, const struct eqs_edit *e2,
		    unsigned cost, char *err, size_t errlen)
{
	static const enum eqs_model all[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };
	struct eqs_fix *f = &s->out->fixes[s->out->nr_fixes++];

	f->edit = *e;
	if (e2)
		f->edit2 = *e2;
	f->cost = cost;
	name_fix(f);
	for (unsigned m = 0; m < 3; m++) {
		int ret = clean_under(s, e, e2, all[m], err, errlen);

		if (ret < 0)
			return ret;
		f->clean[all[m]] = ret ? EQS_NEED_NOT_NEEDED : EQS_NEED_NEEDED;
	}
	return 0;
}

/*
 * No single edit fixes it: pairs, cheapest first, two blocks at one
 * boundary in either order.  Within the config's time budget.
 */
static int search_pairs(struct search *s, enum eqs_model model, double start, char *err,
			size_t errlen)
{
	struct eqs_fixes *out = s->out;
	unsigned best = 0;

	out->pairs_complete = true;
	for (unsigned cost = 2; cost <= 6 && !best; cost++) {
		for (unsigned i = 0; i < s->n; i++) {
			for (unsigned j = 0; j < s->n; j++) {
				const struct candidate *a = &s->c[i], *b = &s->c[j];

				if (i == j || a->cost + b->cost != cost)
					continue;
				/* Order matters only for two blocks at one boundary. */
				if (j < i && !eqs_point_equal(&a->edit.point, &b->edit.point))
					continue;
				if (s->cfg->max_seconds > 0 &&
				    clock_mono_s() - start > s->cfg->max_seconds) {
					out->pairs_complete = false;
					return 0;
				}
				out->pairs_tried++;
				int ret = clean_under(s, &a->edit, &b->edit, model, err, errlen);

				if (ret < 0)
					return ret;
				if (!ret || out->nr_fixes == EQS_MAX_FIXES)
					continue;
				best = cost;
				ret = keep_fix(s, &a->edit, &b->edit, cost, err, errlen);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

static int search(struct search *s, enum eqs_model model, double start, char *err, size_t errlen)
{
	struct eqs_fixes *out = s->out;
	struct eqs_explore_config cfg = *s->cfg;
	int ret;

	cfg.model = model;
	cfg.edit = cfg.edit2 = (struct eqs_edit){ 0 };
	cfg.list_points = true; /* the boundaries a block can be inserted at */
	ret = eqs_explore_run(s->v, &cfg, s->r, err, errlen);
	if (ret)
		return ret;
	out->explorations++;
	if (!s->r->violations && !s->r->hung) {
		snprintf(out->message, sizeof(out->message),
			 "clean as written under %s (%s): nothing to fix", eqs_model_name(model),
			 s->r->complete ? "complete" : "incomplete");
		return 0;
	}
	out->baseline.need = EQS_NEED_NEEDED;
	out->failing_path = s->r->cx_violation.path; /* whose exit ran the stale text */
	snprintf(out->baseline.summary, sizeof(out->baseline.summary),
		 "cpu%u ran generation %u after the sync of %u (%s path)", s->r->cx_violation.cpu,
		 s->r->cx_violation.fetched, s->r->cx_violation.synced,
		 eqs_path_name(s->r->cx_violation.path));
	snprintf(out->baseline.replay, sizeof(out->baseline.replay), "%s", s->r->cx_schedule);
	list_candidates(s, s->r);
	qsort(s->c, s->n, sizeof(s->c[0]), by_cost);
	out->candidates = s->n;
	unsigned found_cost = 0;

	for (unsigned i = 0; i < s->n && out->nr_fixes < EQS_MAX_FIXES; i++) {
		if (found_cost && s->c[i].cost > found_cost)
			break; /* the cheapest fixes only */
		ret = clean_under(s, &s->c[i].edit, NULL, model, err, errlen);
		if (ret < 0)
			return ret;
		if (!ret)
			continue;
		found_cost = s->c[i].cost;
		ret = keep_fix(s, &s->c[i].edit, NULL, found_cost, err, errlen);
		if (ret)
			return ret;
	}
	if (out->nr_fixes)
		return 0;
	ret = search_pairs(s, model, start, err, errlen);
	if (ret)
		return ret;
	if (!out->nr_fixes)
		snprintf(out->message, sizeof(out->message),
			 "no edit and no pair of edits fixes it under %s (%llu edits, %llu pairs "
			 "tried%s: blocks at each boundary of the %s path and the patcher, updates "
			 "one step stronger)",
			 eqs_model_name(model), (unsigned long long)s->n,
			 (unsigned long long)out->pairs_tried,
			 out->pairs_complete ? "" : ", stopped at max_seconds",
			 eqs_path_name(out->failing_path));
	else
		snprintf(out->message, sizeof(out->message),
			 "no single edit fixes it under %s (%llu tried); the cheapest pairs do",
			 eqs_model_name(model), (unsigned long long)s->n);
	return 0;
}

int eqs_explore_suggest_fix(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			    enum eqs_model model, struct eqs_fixes *out, char *err, size_t errlen)
{
	double start = clock_mono_s();
	struct search *s;
	int ret;

	if (!cfg || !out)
		return eqs_error(err, errlen, -EINVAL, "a config and a report are required");
	if (model != EQS_MODEL_SC && model != EQS_MODEL_TSO && model != EQS_MODEL_ARM_IFETCH)
		return eqs_error(err, errlen, -EINVAL,
				 "a fix is searched under sc, tso or arm-ifetch, not model %d",
				 (int)model);
	if (cfg->replay || cfg->edit.kind != EQS_EDIT_NONE || cfg->edit2.kind != EQS_EDIT_NONE)
		return eqs_error(err, errlen, -EINVAL,
				 "a fix search makes its own edits and replays nothing");
	ret = eqs_variant_check(v, err, errlen);
	if (ret)
		return ret;
	s = calloc(1, sizeof(*s));
	if (s)
		s->r = malloc(sizeof(*s->r));
	if (!s || !s->r) {
		free(s);
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	}
	memset(out, 0, sizeof(*out));
	out->variant = v;
	out->model = model;
	s->v = v;
	s->cfg = cfg;
	s->out = out;
	ret = search(s, model, start, err, errlen);
	out->seconds = clock_mono_s() - start;
	free(s->r);
	free(s);
	return ret;
}
