/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ordering_points.c - finding a block's ordering point on the path that
 * runs it, and deciding what the run's edits do there.  Nothing here runs
 * unless the run has an edit or lists its points (point_run.on), and
 * nothing here runs a block: the caller acts on the decision.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ordering_points.h"

void points_init(struct point_run *pr, const struct eqs_edit *e1, const struct eqs_edit *e2)
{
	const struct eqs_edit *e[SIM_EDITS] = { e1, e2 };

	memset(pr, 0, sizeof(*pr));
	for (unsigned i = 0; i < SIM_EDITS; i++) {
		pr->edits[i] = *e[i];
		if (e[i]->kind == EQS_EDIT_NONE)
			continue;
		pr->on = true;
		pr->count_boundaries |= e[i]->kind >= EQS_EDIT_INSERT_ISB;
		/* The step whose ordering blocks the edit acts on. */
		if (e[i]->point.kind == EQS_POINT_BLOCK &&
		    (unsigned)e[i]->point.step < EQS_MAX_STEPS)
			pr->edited_steps[e[i]->point.step] = true;
	}
}

void points_list(struct point_run *pr)
{
	pr->record = true;
	pr->on = true;
	pr->count_boundaries = true;
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

/* The point at place at for step s, the nth there. */
static struct eqs_point point_at(enum eqs_point_kind kind, const struct point_place *at,
				 enum step s, unsigned nth)
{
	return (struct eqs_point){
		.kind = kind,
		.patcher = at->patcher,
		.on_entry = !at->patcher && at->on_entry,
		.path = at->patcher ? EQS_PATH_USER : at->path,
		.step = (int)s,
		.nth = nth,
	};
}

enum eqs_edit_kind point_meet(struct point_run *pr, struct point_count *count,
			      const struct point_place *at, enum step s)
{
	if (!step_is_point(s))
		return EQS_EDIT_NONE;
	struct eqs_point pt = point_at(EQS_POINT_BLOCK, at, s, count->seen[s]);

	if (count->seen[s] < 255)
		count->seen[s]++;
	if (pr->record)
		list_point(pr->points, &pr->nr_points, SIM_POINTS, &pt);
	for (unsigned i = 0; i < SIM_EDITS; i++)
		if (pr->edits[i].kind != EQS_EDIT_NONE && eqs_point_equal(&pr->edits[i].point, &pt))
			return pr->edits[i].kind;
	return EQS_EDIT_NONE;
}

unsigned point_boundary(struct point_run *pr, struct point_count *count,
			const struct point_place *at, enum step s)
{
	unsigned inserts = 0, n = 0;

	if (count->inserting || (unsigned)s >= EQS_MAX_STEPS)
		return 0;
	struct eqs_point here = point_at(EQS_POINT_BOUNDARY, at, s, count->steps[s]);

	if (count->steps[s] < 255)
		count->steps[s]++;
	if (pr->record)
		list_point(pr->boundaries, &pr->nr_boundaries, SIM_BOUNDARIES, &here);
	for (unsigned i = 0; i < SIM_EDITS; i++) {
		const struct eqs_edit *e = &pr->edits[i];

		if (e->kind >= EQS_EDIT_INSERT_ISB && boundary_matches(&e->point, &here))
			inserts |= (unsigned)e->kind << (POINT_INSERT_BITS * n++);
	}
	return inserts;
}

/* An update's ordering as edit e leaves it: one step weaker, or removed to relaxed. */
static enum eqs_order edit_order(const struct eqs_edit *e, enum eqs_point_kind kind,
				 enum eqs_order order)
{
	if (e->kind == EQS_EDIT_NONE || e->point.kind != kind)
		return order;
	if (e->kind == EQS_EDIT_STRENGTHEN)
		return order == EQS_ORDER_RELAXED ? EQS_ORDER_RELEASE : EQS_ORDER_FULL;
	if (e->kind == EQS_EDIT_REMOVE || order == EQS_ORDER_RELEASE)
		return EQS_ORDER_RELAXED;
	return order == EQS_ORDER_FULL ? EQS_ORDER_RELEASE : EQS_ORDER_RELAXED;
}

enum eqs_order point_edited_order(const struct point_run *pr, enum eqs_point_kind kind,
				  enum eqs_order order)
{
	for (unsigned i = 0; i < SIM_EDITS; i++)
		order = edit_order(&pr->edits[i], kind, order);
	return order;
}

/* The ordering blocks' names, as steps.def lists them: "isb, isb_if_eqs, ...". */
static const char *point_names(char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int s = 0; s < STEP_COUNT; s++)
		if (step_table[s].point && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
					      step_table[s].name);
	return buf;
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
	    (!step_is_point(step_checked(e->point.step)) || bad_path || e->point.every_path))
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
	if (e.point.step < 0 || (!before && !step_is_point((enum step)e.point.step))) {
		char blocks[160];

		return eqs_error(err, errlen, -EINVAL,
				 "edit '%.60s': '%.20s' is no ordering block (%s)", spec, word,
				 point_names(blocks, sizeof(blocks)));
	}
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
