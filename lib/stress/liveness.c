/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liveness.c - the stress watchdog's rule (liveness.h): hung is stuck
 * while every live thread ran, judged by the threads' own CPU time.
 */
#include <string.h>

#include "liveness.h"

static void moved(struct liveness *l, unsigned i, const struct liveness_look *look, double wall)
{
	for (unsigned j = 0; j < l->n; j++)
		l->cpu_at_move[i][j] = look[j].cpu_s;
	l->wall_at_move[i] = wall;
}

void liveness_init(struct liveness *l, unsigned n, double hang_s, double wall_now,
		   const struct liveness_look *look)
{
	memset(l, 0, sizeof(*l));
	l->n = n > LIVENESS_MAX_THREADS ? LIVENESS_MAX_THREADS : n;
	l->hang_s = hang_s;
	l->backstop_s = 30 * hang_s > 60 ? 30 * hang_s : 60;
	for (unsigned i = 0; i < l->n; i++) {
		l->seen[i] = look[i].units;
		moved(l, i, look, wall_now);
	}
}

/*
 * How long thread j ran since thread i last moved: its CPU time, or, when
 * its clock cannot be read (then or now), the wall time: as before there
 * were thread clocks, assume it ran.
 */
static double ran(const struct liveness *l, unsigned i, unsigned j,
		  const struct liveness_look *look, double wall_now)
{
	if (look[j].cpu_s < 0 || l->cpu_at_move[i][j] < 0)
		return wall_now - l->wall_at_move[i];
	return look[j].cpu_s - l->cpu_at_move[i][j];
}

/* Every live thread ran for hang_s since thread i last moved (i included). */
static bool all_ran_since(const struct liveness *l, unsigned i, const struct liveness_look *look,
			  double wall_now)
{
	for (unsigned j = 0; j < l->n; j++)
		if (!look[j].exited && ran(l, i, j, look, wall_now) < l->hang_s)
			return false;
	return true;
}

int liveness_check(struct liveness *l, const struct liveness_look *look, double wall_now)
{
	for (unsigned i = 0; i < l->n; i++) {
		if (look[i].units != l->seen[i] || look[i].exited) {
			l->seen[i] = look[i].units;
			moved(l, i, look, wall_now);
		}
	}
	for (unsigned i = 0; i < l->n; i++)
		if (!look[i].exited && all_ran_since(l, i, look, wall_now))
			return (int)i;
	/* The backstop: a thread blocked outside the simulation uses no CPU time. */
	for (unsigned i = 0; i < l->n; i++)
		if (!look[i].exited && wall_now - l->wall_at_move[i] > l->backstop_s)
			return (int)i;
	return -1;
}
