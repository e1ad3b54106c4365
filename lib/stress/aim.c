/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * aim.c - aimed races under stress (see aim.h): the published aim, each
 * side's learnt lead, each CPU's edge and seeded offsets.
 */
#include "aim.h"
#include "clock.h"
#include "rng.h"

#define AIM_LEAD_MAX_NS	 4000
#define AIM_EDGE_STEP_NS 2
#define AIM_EDGE_MAX_NS	 2000

void aim_init(struct aim *a, const struct eqs_config *cfg)
{
	a->spread_cycles = clock_ns_to_cycles(cfg->aim_spread_ns);
	a->max_stretch_cycles = clock_ns_to_cycles(cfg->patch_gap_ns) * 3 / 2;
	a->max_lead_cycles = clock_ns_to_cycles(AIM_LEAD_MAX_NS);
	a->edge_step = (int64_t)clock_ns_to_cycles(AIM_EDGE_STEP_NS) + 1;
	a->edge_max = (int64_t)clock_ns_to_cycles(AIM_EDGE_MAX_NS);
	for (unsigned i = 0; i < EQS_MAX_CPUS; i++)
		a->cpu[i].rng =
			rng_seed(cfg->seed, EQS_MAX_CPUS + 1 + i); /* streams no thread uses */
}

/* The stamp of the race after the last aimed wait, if it came: one more sample of the lead. */
static void lead_learn(struct aim_lead *l, uint64_t began, uint64_t max_cycles)
{
	uint64_t until = l->waited_until;

	l->waited_until = 0;
	if (!until || began < until || began - until > max_cycles)
		return;
	l->cycles += ((int64_t)(began - until) - l->cycles) / 8;
}

/* Where the last aimed update of c landed, as the machine saw it: move the edge a step. */
static void edge_learn(struct aim_cpu *c, const struct stress_thread *t, int64_t step, int64_t max)
{
	bool early =
		t->aimed_saw_seq < c->seq || (t->aimed_saw_seq == c->seq && !t->aimed_saw_written);

	c->edge += early ? step : -step;
	c->edge = c->edge > max ? max : c->edge < -max ? -max : c->edge;
}

/*
 * If the patcher's next write is ahead, and no further than the stay may
 * stretch, end the stay at it (less the lead, plus the edge) plus this
 * CPU's next offset.  The offset is drawn whether or not it is used.
 */
uint64_t aim_stay_end(struct aim *a, struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed)
{
	struct aim_cpu *c = &a->cpu[t->id];
	const struct stress_thread *st = stress_thread_of(t);
	uint64_t at = load_relaxed(&a->at), seq = load_relaxed(&a->seq);

	if (c->lead.waited_until && st->aimed_began >= c->lead.waited_until)
		edge_learn(c, st, a->edge_step, a->edge_max); /* the last aimed update came */
	lead_learn(&c->lead, st->aimed_began, a->max_lead_cycles);
	uint64_t want = at - (uint64_t)c->lead.cycles + (uint64_t)c->edge - a->spread_cycles +
			rng_below(&c->rng, 2 * a->spread_cycles + 1);

	if (!at || want <= now || want > end + a->max_stretch_cycles)
		return end;
	*aimed = true;
	c->lead.waited_until = want;
	c->seq = seq;
	return want;
}

uint64_t aim_publish(struct aim *a, struct eqs_patcher *p, uint64_t at)
{
	uint64_t until = at - (uint64_t)a->patcher_lead.cycles; /* the write itself at at */

	store_relaxed(&a->seq, p->race.sync_seq + 1); /* patch_once's sync */
	store_relaxed(&a->at, at);
	p->t.aimed = true; /* no jitter until the write */
	a->patcher_lead.waited_until = until;
	return until;
}

void aim_patched(struct aim *a, struct eqs_patcher *p)
{
	lead_learn(&a->patcher_lead, stress_thread_of(&p->t)->aimed_began, a->max_lead_cycles);
}
