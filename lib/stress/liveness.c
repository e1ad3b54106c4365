/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liveness.c - the stress watchdog's rule (liveness.h): hung is stuck
 * while every live thread ran, judged by the threads' own CPU time.
 */
#include <string.h>

#include "liveness.h"

static void moved(struct liveness *l, unsigned i, const struct liveness_look *look)
{
	for (unsigned j = 0; j < l->n; j++)
		l->cpu_at_move[i][j] = look[j].cpu_s;
}

void liveness_init(struct liveness *l, unsigned n, double hang_s, double wall_now,
		   const struct liveness_look *look)
{
	memset(l, 0, sizeof(*l));
	l->n = n > LIVENESS_MAX_THREADS ? LIVENESS_MAX_THREADS : n;
	l->hang_s = hang_s;
	l->backstop_s = 30 * hang_s > 60 ? 30 * hang_s : 60;
	l->wall_moved = wall_now;
	for (unsigned i = 0; i < l->n; i++) {
		l->seen[i] = look[i].units;
		moved(l, i, look);
	}
}

static bool gone(const struct liveness_look *t)
{
	return t->exited || t->cpu_s < 0;
}

/* Every live thread ran for hang_s since thread i last moved (i included). */
static bool all_ran_since(const struct liveness *l, unsigned i, const struct liveness_look *look)
{
	for (unsigned j = 0; j < l->n; j++) {
		if (gone(&look[j]))
			continue;
		/* A thread unreadable when i moved (not started yet) is measured from 0. */
		double from = l->cpu_at_move[i][j] < 0 ? 0 : l->cpu_at_move[i][j];

		if (look[j].cpu_s - from < l->hang_s)
			return false;
	}
	return true;
}

int liveness_check(struct liveness *l, const struct liveness_look *look, double wall_now)
{
	int stuck = -1;

	for (unsigned i = 0; i < l->n; i++) {
		if (look[i].units != l->seen[i] || gone(&look[i])) {
			if (look[i].units != l->seen[i])
				l->wall_moved = wall_now;
			l->seen[i] = look[i].units;
			moved(l, i, look);
		}
	}
	for (unsigned i = 0; i < l->n && stuck < 0; i++)
		if (!gone(&look[i]) && all_ran_since(l, i, look))
			stuck = (int)i;
	if (stuck < 0 && wall_now - l->wall_moved > l->backstop_s)
		for (unsigned i = 0; i < l->n && stuck < 0; i++)
			if (!gone(&look[i]))
				stuck = (int)i;
	return stuck;
}
