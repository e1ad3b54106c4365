/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ablate.c - "is this barrier needed?": the variant explored as written,
 * listing the ordering points its schedules meet, then once per point and
 * model with the point removed or weakened one step (eqssim/explore.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "scheduler.h"

/* One scenario of the ablation: a path alone, or the config's own paths. */
struct scenario {
	struct eqs_explore_config cfg;
	unsigned nr_points;
	struct eqs_point points[EQS_EXPLORE_MAX_POINTS];
};

struct ablation_run {
	const struct eqs_variant *v;
	struct eqs_ablation *out;
	struct scenario sc[EQS_PATH_COUNT];
	unsigned nr_sc;
	struct eqs_explore_report *r; /* scratch: large */
};

const char *eqs_need_name(enum eqs_need need)
{
	switch (need) {
	case EQS_NEED_NEEDED:
		return "needed";
	case EQS_NEED_NOT_NEEDED:
		return "not needed";
	case EQS_NEED_UNKNOWN:
	default:
		return "unknown";
	}
}

static bool has_point(const struct scenario *s, const struct eqs_point *pt)
{
	if (pt->kind != EQS_POINT_BLOCK) /* an update's ordering: every scenario has one */
		return true;
	for (unsigned i = 0; i < s->nr_points; i++)
		if (eqs_point_equal(&s->points[i], pt))
			return true;
	return false;
}

/*
 * Explore the variant (edited by e) in every scenario that met the point,
 * under model; fill cell.  Stops at the first violation.
 */
static int explore_cell(struct ablation_run *a, const struct eqs_edit *e, enum eqs_model model,
			struct eqs_ablation_cell *cell, char *err, size_t errlen)
{
	bool complete = true, ran = false;

	memset(cell, 0, sizeof(*cell));
	for (unsigned i = 0; i < a->nr_sc; i++) {
		struct scenario *s = &a->sc[i];
		struct eqs_explore_config cfg = s->cfg;

		if (e && !has_point(s, &e->point))
			continue;
		cfg.model = model;
		cfg.list_points = !e; /* the baseline lists what the edits aim at */
		if (e)
			cfg.edit = *e;
		int ret = eqs_explore_run(a->v, &cfg, a->r, err, errlen);

		if (ret)
			return ret;
		a->out->explorations++;
		ran = true;
		cell->schedules += a->r->schedules;
		if (a->r->preemption_bound > cell->preemption_bound)
			cell->preemption_bound = a->r->preemption_bound;
		if (!e) /* the baseline lists the points each scenario meets */
			explore_add_points(s->points, &s->nr_points, EQS_EXPLORE_MAX_POINTS,
					   a->r->points, a->r->nr_points);
		if ((a->r->violations || a->r->hung) && cell->need != EQS_NEED_NEEDED) {
			const struct eqs_violation *cx = &a->r->cx_violation;

			cell->need = EQS_NEED_NEEDED;
			cell->path = cfg.paths[0];
			cell->complete = true;
			if (a->r->hung)
				snprintf(cell->summary, sizeof(cell->summary), "hangs: %.100s",
					 a->r->message);
			else
				snprintf(
					cell->summary, sizeof(cell->summary),
					"cpu%u ran generation %u after the sync of %u (%s path, %u "
					"preemption%s)",
					cx->cpu, cx->fetched, cx->synced, eqs_path_name(cx->path),
					a->r->cx_preemptions, a->r->cx_preemptions == 1 ? "" : "s");
			snprintf(cell->replay, sizeof(cell->replay), "%s", a->r->cx_schedule);
			if (e)
				return 0;
			continue; /* the baseline goes on: it lists every scenario's points */
		}
		complete &= a->r->complete;
	}
	if (cell->need == EQS_NEED_NEEDED)
		return 0;
	cell->complete = complete && ran;
	cell->need = cell->complete ? EQS_NEED_NOT_NEEDED : EQS_NEED_UNKNOWN;
	if (!ran)
		snprintf(cell->summary, sizeof(cell->summary), "no scenario meets this point");
	else if (!complete)
		snprintf(cell->summary, sizeof(cell->summary),
			 "clean so far, but the exploration was not complete (budget)");
	return 0;
}

/* Does the block of this step have a weaker form (steps.def: a dsb, its dmb)? */
static bool has_weaker(int step)
{
	const struct step_info *info = step_info((enum step)step);

	return info && info->weaker != FENCE_NONE;
}

static void add_row(struct eqs_ablation *out, enum eqs_edit_kind kind, const struct eqs_point *pt,
		    const char *what)
{
	char name[64];

	if (out->nr_rows == EQS_ABLATE_MAX_ROWS)
		return;
	struct eqs_ablation_row *row = &out->rows[out->nr_rows++];

	row->edit = (struct eqs_edit){ .kind = kind, .point = *pt };
	snprintf(row->name, sizeof(row->name), "%s %s", eqs_point_name(pt, name, sizeof(name)),
		 what);
}

/* An update's ordering, each step weaker than the variant's down to relaxed. */
static void add_order_rows(struct eqs_ablation *out, enum eqs_point_kind kind, enum eqs_order o)
{
	struct eqs_point pt = { .kind = kind };

	if (o == EQS_ORDER_FULL)
		add_row(out, EQS_EDIT_WEAKEN, &pt, "fully ordered -> release");
	if (o != EQS_ORDER_RELAXED)
		add_row(out, EQS_EDIT_REMOVE, &pt,
			o == EQS_ORDER_FULL ? "fully ordered -> relaxed" : "release -> relaxed");
}

/* The rows: every block point met anywhere (removed; a dsb also weakened), then the updates. */
static void list_rows(struct ablation_run *a)
{
	struct eqs_point all[EQS_EXPLORE_MAX_POINTS];
	unsigned n = 0;

	for (unsigned i = 0; i < a->nr_sc; i++)
		explore_add_points(all, &n, EQS_EXPLORE_MAX_POINTS, a->sc[i].points,
				   a->sc[i].nr_points);
	for (unsigned i = 0; i < n; i++) {
		if (has_weaker(all[i].step))
			add_row(a->out, EQS_EDIT_WEAKEN, &all[i], "-> dmb");
		add_row(a->out, EQS_EDIT_REMOVE, &all[i], "removed");
	}
	add_order_rows(a->out, EQS_POINT_EXIT_ORDER, a->v->exit_order);
	add_order_rows(a->out, EQS_POINT_ENTER_ORDER, a->v->enter_order);
}

static int check_models(const enum eqs_model *models, unsigned n, char *err, size_t errlen)
{
	if (!models || n < 1 || n > 3)
		return eqs_error(err, errlen, -EINVAL, "ablation takes 1..3 models");
	for (unsigned i = 0; i < n; i++)
		if (models[i] != EQS_MODEL_SC && models[i] != EQS_MODEL_TSO &&
		    models[i] != EQS_MODEL_ARM_IFETCH)
			return eqs_error(
				err, errlen, -EINVAL,
				"ablation explores under sc, tso or arm-ifetch, not model %d",
				(int)models[i]);
	return 0;
}

/* The scenarios, and the variant as written explored in each under each model. */
static int scenarios_and_baseline(struct ablation_run *a, const struct eqs_explore_config *cfg,
				  char *err, size_t errlen)
{
	struct eqs_ablation *out = a->out;
	int ret;

	/* The scenarios: the config's paths, or each path alone as the explorer takes them. */
	if (cfg->nr_paths) {
		a->sc[0].cfg = *cfg;
		a->nr_sc = 1;
	} else {
		for (unsigned p = 0; p < EQS_PATH_COUNT; p++) {
			a->sc[p].cfg = *cfg;
			a->sc[p].cfg.nr_paths = 1;
			a->sc[p].cfg.paths[0] = (enum eqs_path)p;
		}
		a->nr_sc = EQS_PATH_COUNT;
	}
	for (unsigned i = 0; i < a->nr_sc; i++)
		a->sc[i].cfg.edit = a->sc[i].cfg.edit2 = (struct eqs_edit){ 0 };
	for (unsigned m = 0; m < out->nr_models; m++) {
		ret = explore_cell(a, NULL, out->models[m], &out->baseline[out->models[m]], err,
				   errlen);
		if (ret)
			return ret;
	}
	return 0;
}

static int ablate(struct ablation_run *a, const struct eqs_explore_config *cfg, char *err,
		  size_t errlen)
{
	struct eqs_ablation *out = a->out;
	int ret = scenarios_and_baseline(a, cfg, err, errlen);

	if (ret)
		return ret;
	list_rows(a);
	for (unsigned i = 0; i < out->nr_rows; i++) {
		struct eqs_ablation_row *row = &out->rows[i];

		for (unsigned m = 0; m < out->nr_models; m++) {
			enum eqs_model model = out->models[m];
			const struct eqs_ablation_cell *base = &out->baseline[model];

			if (base->need !=
			    EQS_NEED_NOT_NEEDED) { /* buggy or incomplete as written */
				row->cell[model].need = EQS_NEED_UNKNOWN;
				snprintf(
					row->cell[model].summary, sizeof(row->cell[model].summary),
					"%s",
					base->need == EQS_NEED_NEEDED
						? "the variant is buggy as written here"
						: "the variant as written: exploration incomplete");
				continue;
			}
			ret = explore_cell(a, &row->edit, model, &row->cell[model], err, errlen);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* The run's scratch and a cleared report for v under models; NULL (err set) if out of memory. */
static struct ablation_run *ablation_begin(const struct eqs_variant *v, struct eqs_ablation *out,
					   const enum eqs_model *models, unsigned nr_models,
					   char *err, size_t errlen)
{
	struct ablation_run *a = calloc(1, sizeof(*a));

	if (a)
		a->r = malloc(sizeof(*a->r));
	if (!a || !a->r) {
		free(a);
		eqs_error(err, errlen, -ENOMEM, "out of memory");
		return NULL;
	}
	memset(out, 0, sizeof(*out));
	out->variant = v;
	out->nr_models = nr_models;
	memcpy(out->models, models, nr_models * sizeof(models[0]));
	a->v = v;
	a->out = out;
	return a;
}

static void ablation_end(struct ablation_run *a)
{
	free(a->r);
	free(a);
}

int eqs_explore_ablation_rows(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
			      struct eqs_ablation *out, char *err, size_t errlen)
{
	static const enum eqs_model sc = EQS_MODEL_SC;
	struct eqs_explore_config scan;
	struct ablation_run *a;
	int ret;

	if (!cfg || !out)
		return eqs_error(err, errlen, -EINVAL, "a config and a report are required");
	scan = *cfg;

	ret = eqs_variant_check(v, err, errlen);
	if (ret)
		return ret;
	a = ablation_begin(v, out, &sc, 1, err, errlen);
	if (!a)
		return -ENOMEM;
	/* A short look is enough to meet the points: every schedule at bound 1, under sc. */
	scan.model = EQS_MODEL_SC;
	scan.replay = NULL;
	scan.edit = scan.edit2 = (struct eqs_edit){ 0 };
	if (scan.preemptions > 1)
		scan.preemptions = 1;
	ret = scenarios_and_baseline(a, &scan, err, errlen);
	if (!ret)
		list_rows(a);
	ablation_end(a);
	return ret;
}

int eqs_explore_ablate(const struct eqs_variant *v, const struct eqs_explore_config *cfg,
		       const enum eqs_model *models, unsigned nr_models, struct eqs_ablation *out,
		       char *err, size_t errlen)
{
	struct ablation_run *a;
	double start = clock_mono_s();
	int ret;

	if (!cfg || !out)
		return eqs_error(err, errlen, -EINVAL, "a config and a report are required");
	ret = eqs_variant_check(v, err, errlen);
	if (!ret)
		ret = check_models(models, nr_models, err, errlen);
	if (!ret && cfg->replay)
		ret = eqs_error(err, errlen, -EINVAL, "an ablation explores; it replays nothing");
	if (ret)
		return ret;
	a = ablation_begin(v, out, models, nr_models, err, errlen);
	if (!a)
		return -ENOMEM;
	ret = ablate(a, cfg, err, errlen);
	out->seconds = clock_mono_s() - start;
	ablation_end(a);
	return ret;
}
