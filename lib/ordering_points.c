/*
 * ordering_points.c - finding a block's ordering point on the path that
 * runs it, and the edit a run makes there.  Nothing here runs unless the
 * run has an edit or lists its points (sim->points_on).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

int point_slot(enum step s)
{
	switch (s) {
	case STEP_ISB:
		return 0;
	case STEP_ISB_IF_EQS:
		return 1;
	case STEP_DSB:
		return 2;
	case STEP_DMB:
		return 3;
	case STEP_DSB_ST:
		return 4;
	case STEP_DSB_LD:
		return 5;
	case STEP_SMP_MB:
		return 6;
	case STEP_DC_CVAU:
		return 7;
	case STEP_IC_IVAU:
		return 8;
	case STEP_PATCH_DSB:
		return 9;
	default:
		return -1;
	}
}

bool eqs_point_equal(const struct eqs_point *a, const struct eqs_point *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind != EQS_POINT_BLOCK && a->kind != EQS_POINT_BOUNDARY)
		return true;
	if (a->patcher != b->patcher || a->step != b->step || a->nth != b->nth)
		return false;
	if (a->patcher)
		return true;
	return a->on_entry == b->on_entry && a->every_path == b->every_path &&
	       (a->every_path || a->path == b->path);
}

/* Does point pt (a boundary, maybe on every path) name the place where here is? */
static bool boundary_matches(const struct eqs_point *pt, const struct eqs_point *here)
{
	if (pt->kind != EQS_POINT_BOUNDARY || pt->patcher != here->patcher ||
	    pt->step != here->step || pt->nth != here->nth)
		return false;
	return pt->patcher ||
	       (pt->on_entry == here->on_entry && (pt->every_path || pt->path == here->path));
}

const char *eqs_point_name(const struct eqs_point *pt, char *buf, size_t len)
{
	switch (pt->kind) {
	case EQS_POINT_BLOCK:
		if (pt->patcher)
			snprintf(buf, len, "patcher: %s #%u", eqs_step_name(pt->step), pt->nth + 1);
		else
			snprintf(buf, len, "%s %s: %s #%u", eqs_path_name(pt->path),
				 pt->on_entry ? "entry" : "exit", eqs_step_name(pt->step),
				 pt->nth + 1);
		break;
	case EQS_POINT_BOUNDARY:
		if (pt->patcher)
			snprintf(buf, len, "before patcher: %s #%u", eqs_step_name(pt->step),
				 pt->nth + 1);
		else
			snprintf(buf, len, "before %s %s: %s #%u",
				 pt->every_path ? "every" : eqs_path_name(pt->path),
				 pt->on_entry ? "entry" : "exit", eqs_step_name(pt->step),
				 pt->nth + 1);
		break;
	case EQS_POINT_EXIT_ORDER:
		snprintf(buf, len, "EQS exit's RCU update");
		break;
	case EQS_POINT_ENTER_ORDER:
		snprintf(buf, len, "EQS entry's RCU update");
		break;
	case EQS_POINT_NONE:
	default:
		snprintf(buf, len, "no point");
		break;
	}
	return buf;
}

static void list_point(struct eqs_point *list, unsigned *n, unsigned max,
		       const struct eqs_point *pt)
{
	for (unsigned i = 0; i < *n; i++)
		if (eqs_point_equal(&list[i], pt))
			return;
	if (*n < max)
		list[(*n)++] = *pt;
}

enum eqs_edit_kind point_meet(struct sim *sim, struct eqs_cpu *c, enum step s)
{
	int slot = point_slot(s);
	struct point_count *count = c ? &c->points : &sim->patcher.points;

	if (slot < 0)
		return EQS_EDIT_NONE;
	struct eqs_point pt = {
		.kind = EQS_POINT_BLOCK,
		.patcher = !c,
		.on_entry = c && c->on_entry,
		.path = c ? c->cur_path : EQS_PATH_USER,
		.step = (int)s,
		.nth = count->seen[slot],
	};

	if (count->seen[slot] < 255)
		count->seen[slot]++;
	if (sim->record_points)
		list_point(sim->points, &sim->nr_points, SIM_POINTS, &pt);
	if (sim->cfg.edit.kind != EQS_EDIT_NONE && eqs_point_equal(&sim->cfg.edit.point, &pt))
		return sim->cfg.edit.kind;
	if (sim->cfg.edit2.kind != EQS_EDIT_NONE && eqs_point_equal(&sim->cfg.edit2.point, &pt))
		return sim->cfg.edit2.kind;
	return EQS_EDIT_NONE;
}

/* The inserted block: the one a variant would have written there, its own step. */
static void insert_block(struct sim *sim, struct eqs_cpu *c, enum eqs_edit_kind kind)
{
	struct point_count *count = c ? &c->points : &sim->patcher.points;

	count->inserting = true;
	if (c && kind == EQS_EDIT_INSERT_ISB)
		eqs_isb(c);
	else if (c && kind == EQS_EDIT_INSERT_DMB)
		eqs_dmb(c);
	else if (c && kind == EQS_EDIT_INSERT_DSB)
		eqs_dsb(c);
	else if (!c && kind == EQS_EDIT_INSERT_DMB)
		eqs_smp_mb(&sim->patcher);
	else if (!c && kind == EQS_EDIT_INSERT_DSB)
		eqs_patch_dsb(&sim->patcher);
	count->inserting = false;
}

void point_boundary(struct sim_thread *t, enum step s)
{
	struct sim *sim = t->sim;
	struct eqs_cpu *c = t->id == EQS_PATCHER_ID ? NULL : &sim->cpus[t->id];
	struct point_count *count = c ? &c->points : &sim->patcher.points;
	const struct eqs_edit *e = &sim->cfg.edit, *e2 = &sim->cfg.edit2;

	if (count->inserting || (unsigned)s >= EQS_MAX_STEPS)
		return;
	struct eqs_point here = {
		.kind = EQS_POINT_BOUNDARY,
		.patcher = !c,
		.on_entry = c && c->on_entry,
		.path = c ? c->cur_path : EQS_PATH_USER,
		.step = (int)s,
		.nth = count->steps[s],
	};

	if (count->steps[s] < 255)
		count->steps[s]++;
	if (sim->record_points)
		list_point(sim->boundaries, &sim->nr_boundaries, SIM_BOUNDARIES, &here);
	if (e->kind >= EQS_EDIT_INSERT_ISB && boundary_matches(&e->point, &here))
		insert_block(sim, c, e->kind);
	if (e2->kind >= EQS_EDIT_INSERT_ISB && boundary_matches(&e2->point, &here))
		insert_block(sim, c, e2->kind);
}

static const char *edit_word(enum eqs_edit_kind k)
{
	static const char *const words[] = {
		[EQS_EDIT_NONE] = "none",      [EQS_EDIT_REMOVE] = "remove",
		[EQS_EDIT_WEAKEN] = "weaken",  [EQS_EDIT_STRENGTHEN] = "strengthen",
		[EQS_EDIT_INSERT_ISB] = "isb", [EQS_EDIT_INSERT_DMB] = "dmb",
		[EQS_EDIT_INSERT_DSB] = "dsb",
	};

	return (unsigned)k <= EQS_EDIT_INSERT_DSB ? words[k] : "?";
}

const char *eqs_edit_format(const struct eqs_edit *e, char *buf, size_t len)
{
	const char *how = edit_word(e->kind);
	const struct eqs_point *pt = &e->point;
	const char *before = pt->kind == EQS_POINT_BOUNDARY ? "before:" : "";

	if (pt->kind == EQS_POINT_EXIT_ORDER || pt->kind == EQS_POINT_ENTER_ORDER)
		snprintf(buf, len, "%s=%s",
			 pt->kind == EQS_POINT_EXIT_ORDER ? "exit_order" : "enter_order", how);
	else if (pt->patcher)
		snprintf(buf, len, "%spatcher.%s.%u=%s", before, eqs_step_name(pt->step),
			 pt->nth + 1, how);
	else
		snprintf(buf, len, "%s%s.%s.%s.%u=%s", before,
			 pt->every_path ? "any" : eqs_path_name(pt->path),
			 pt->on_entry ? "entry" : "exit", eqs_step_name(pt->step), pt->nth + 1,
			 how);
	return buf;
}

/* The next dot-separated field of *s into buf; false if too long or empty. */
static bool field(const char **s, char *buf, size_t len)
{
	size_t n = strcspn(*s, ".");

	if (!n || n >= len)
		return false;
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*s += n + ((*s)[n] == '.');
	return true;
}

int edit_check(const struct eqs_edit *e, char *err, size_t errlen)
{
	if ((unsigned)e->kind > EQS_EDIT_INSERT_DSB)
		return eqs_error(err, errlen, -EINVAL, "unknown edit kind %d", (int)e->kind);
	if (e->kind == EQS_EDIT_NONE)
		return 0;
	if (e->point.kind == EQS_POINT_NONE || (unsigned)e->point.kind > EQS_POINT_BOUNDARY)
		return eqs_error(err, errlen, -EINVAL, "an edit needs a point");
	if ((e->kind >= EQS_EDIT_INSERT_ISB) != (e->point.kind == EQS_POINT_BOUNDARY))
		return eqs_error(err, errlen, -EINVAL,
				 "a block is inserted at a boundary, and only there");
	if (e->kind == EQS_EDIT_INSERT_ISB && e->point.patcher)
		return eqs_error(err, errlen, -EINVAL, "the patcher runs no text: no isb there");
	bool bad_path = !e->point.patcher && !e->point.every_path &&
			(unsigned)e->point.path >= EQS_PATH_COUNT;

	if (e->point.kind == EQS_POINT_BOUNDARY &&
	    (step_checked(e->point.step) == STEP_UNKNOWN || bad_path))
		return eqs_error(err, errlen, -EINVAL,
				 "an edit aims before step %d, which is unknown", e->point.step);
	if (e->point.kind == EQS_POINT_BLOCK &&
	    (point_slot(step_checked(e->point.step)) < 0 || bad_path || e->point.every_path))
		return eqs_error(err, errlen, -EINVAL,
				 "an edit aims at step %d, which is no ordering block",
				 e->point.step);
	if ((e->point.kind == EQS_POINT_EXIT_ORDER || e->point.kind == EQS_POINT_ENTER_ORDER) &&
	    e->kind >= EQS_EDIT_INSERT_ISB)
		return eqs_error(err, errlen, -EINVAL, "an update is weakened or strengthened");
	return 0;
}

int eqs_edit_parse(const char *spec, struct eqs_edit *out, char *err, size_t errlen)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	char point[96], word[32];
	struct eqs_edit e = { 0 };

	bool before = spec && !strncmp(spec, "before:", 7);
	size_t skip = before ? 7 : 0;

	if (!eq || (size_t)(eq - spec) - skip >= sizeof(point))
		return eqs_error(
			err, errlen, -EINVAL,
			"an edit is POINT=remove|weaken|strengthen or before:POINT=isb|dmb|dsb, "
			"not '%.60s'",
			spec ? spec : "");
	memcpy(point, spec + skip, (size_t)(eq - spec) - skip);
	point[(size_t)(eq - spec) - skip] = '\0';
	for (int k = EQS_EDIT_REMOVE; k <= EQS_EDIT_INSERT_DSB; k++)
		if (!strcmp(eq + 1, edit_word((enum eqs_edit_kind)k)))
			e.kind = (enum eqs_edit_kind)k;
	if (e.kind == EQS_EDIT_NONE || before != (e.kind >= EQS_EDIT_INSERT_ISB))
		return eqs_error(
			err, errlen, -EINVAL,
			"edit '%.60s': POINT=remove|weaken|strengthen, before:POINT=isb|dmb|dsb",
			spec);
	if (!before && (!strcmp(point, "exit_order") || !strcmp(point, "enter_order"))) {
		e.point.kind = point[1] == 'x' ? EQS_POINT_EXIT_ORDER : EQS_POINT_ENTER_ORDER;
		*out = e;
		return 0;
	}
	const char *s = point;
	unsigned long nth = 0;
	char *end;

	e.point.kind = before ? EQS_POINT_BOUNDARY : EQS_POINT_BLOCK;
	if (!field(&s, word, sizeof(word)))
		goto bad;
	if (!strcmp(word, "patcher")) {
		e.point.patcher = true;
	} else {
		int p = 0;

		e.point.every_path = before && !strcmp(word, "any");
		while (!e.point.every_path && p < EQS_PATH_COUNT &&
		       strcmp(eqs_path_name((enum eqs_path)p), word))
			p++;
		if (p == EQS_PATH_COUNT || !field(&s, word, sizeof(word)))
			goto bad;
		e.point.path = (enum eqs_path)p;
		if (strcmp(word, "exit") && strcmp(word, "entry"))
			goto bad;
		e.point.on_entry = word[1] == 'n';
	}
	if (!field(&s, word, sizeof(word)))
		goto bad;
	e.point.step = eqs_step_lookup(word);
	if (e.point.step < 0 || (!before && point_slot((enum step)e.point.step) < 0))
		return eqs_error(
			err, errlen, -EINVAL,
			"edit '%.60s': '%.20s' is no ordering block (isb, isb_if_eqs, dsb, "
			"dmb, dsb_st, dsb_ld, smp_mb, dc_cvau, ic_ivau, patch_dsb)",
			spec, word);
	if (*s < '1' || *s > '9')
		goto bad;
	nth = strtoul(s, &end, 10);
	if (*end || nth > 255)
		goto bad;
	e.point.nth = (unsigned)nth - 1;
	if (edit_check(&e, err, errlen))
		return -EINVAL;
	*out = e;
	return 0;
bad:
	return eqs_error(
		err, errlen, -EINVAL,
		"edit '%.60s': POINT is PATH.exit|entry.STEP.N, patcher.STEP.N, exit_order "
		"or enter_order",
		spec);
}
