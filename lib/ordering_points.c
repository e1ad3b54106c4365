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
	if (a->kind != EQS_POINT_BLOCK)
		return true;
	return a->patcher == b->patcher && a->step == b->step && a->nth == b->nth &&
	       (a->patcher || (a->path == b->path && a->on_entry == b->on_entry));
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

static void list_point(struct sim *sim, const struct eqs_point *pt)
{
	for (unsigned i = 0; i < sim->nr_points; i++)
		if (eqs_point_equal(&sim->points[i], pt))
			return;
	if (sim->nr_points < SIM_POINTS)
		sim->points[sim->nr_points++] = *pt;
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
		list_point(sim, &pt);
	if (sim->cfg.edit.kind != EQS_EDIT_NONE && eqs_point_equal(&sim->cfg.edit.point, &pt))
		return sim->cfg.edit.kind;
	return EQS_EDIT_NONE;
}

const char *eqs_edit_format(const struct eqs_edit *e, char *buf, size_t len)
{
	const char *how = e->kind == EQS_EDIT_WEAKEN ? "weaken" : "remove";
	const struct eqs_point *pt = &e->point;

	if (pt->kind == EQS_POINT_EXIT_ORDER || pt->kind == EQS_POINT_ENTER_ORDER)
		snprintf(buf, len, "%s=%s",
			 pt->kind == EQS_POINT_EXIT_ORDER ? "exit_order" : "enter_order", how);
	else if (pt->patcher)
		snprintf(buf, len, "patcher.%s.%u=%s", eqs_step_name(pt->step), pt->nth + 1, how);
	else
		snprintf(buf, len, "%s.%s.%s.%u=%s", eqs_path_name(pt->path),
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

int eqs_edit_parse(const char *spec, struct eqs_edit *out, char *err, size_t errlen)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	char point[96], word[32];
	struct eqs_edit e = { 0 };

	if (!eq || (size_t)(eq - spec) >= sizeof(point))
		return eqs_error(err, errlen, -EINVAL,
				 "an edit is POINT=remove or POINT=weaken, not '%.60s'",
				 spec ? spec : "");
	memcpy(point, spec, (size_t)(eq - spec));
	point[eq - spec] = '\0';
	if (!strcmp(eq + 1, "remove"))
		e.kind = EQS_EDIT_REMOVE;
	else if (!strcmp(eq + 1, "weaken"))
		e.kind = EQS_EDIT_WEAKEN;
	else
		return eqs_error(err, errlen, -EINVAL,
				 "edit '%.60s': remove or weaken, not '%.20s'", spec, eq + 1);
	if (!strcmp(point, "exit_order") || !strcmp(point, "enter_order")) {
		e.point.kind = point[1] == 'x' ? EQS_POINT_EXIT_ORDER : EQS_POINT_ENTER_ORDER;
		*out = e;
		return 0;
	}
	const char *s = point;
	unsigned long nth = 0;
	char *end;

	e.point.kind = EQS_POINT_BLOCK;
	if (!field(&s, word, sizeof(word)))
		goto bad;
	if (!strcmp(word, "patcher")) {
		e.point.patcher = true;
	} else {
		int p = 0;

		while (p < EQS_PATH_COUNT && strcmp(eqs_path_name((enum eqs_path)p), word))
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
	if (e.point.step < 0 || point_slot((enum step)e.point.step) < 0)
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
	*out = e;
	return 0;
bad:
	return eqs_error(
		err, errlen, -EINVAL,
		"edit '%.60s': POINT is PATH.exit|entry.STEP.N, patcher.STEP.N, exit_order "
		"or enter_order",
		spec);
}
