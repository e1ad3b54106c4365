/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu_model.c - a simulated CPU: its steps, its context synchronisation
 * events, the barrier blocks variants are written with (and the ones a
 * run's edit inserts), and executing the text for the oracle to judge.
 * Its paths in and out of EQS and its interrupts are cpu_paths.c.
 */
#include <stddef.h>

#include "cpu_model.h"
#include "rng.h"

unsigned eqs_cpu_id(const struct eqs_cpu *c)
{
	return c->t.id;
}

void eqs_cpu_step(struct eqs_cpu *c, int step)
{
	cpu_step(c, step_checked(step));
}

void cpu_cse(struct eqs_cpu *c, enum step s)
{
	cpu_step(c, s);
	mem_isb();
	text_refresh(&sim_of(c)->text, c->ctx.fetched);
	c->t.in_exit_window = false;
	step_value(&c->t, c->ctx.fetched[0], 0);
}

void eqs_isb(struct eqs_cpu *c)
{
	if (cpu_point_edit(c, STEP_ISB) == EQS_EDIT_NONE)
		cpu_cse(c, STEP_ISB);
	else
		cpu_step(c, STEP_ISB); /* left out: recorded, no refetch */
}

bool eqs_rcu_is_watching(struct eqs_cpu *c)
{
	const struct rcu_layout *rcu = rcu_of(c);

	return rcu->watching ? rcu->watching(&c->rcu) : c->ctx.watching;
}

void eqs_isb_if_eqs(struct eqs_cpu *c)
{
	bool left_out = cpu_point_edit(c, STEP_ISB_IF_EQS) != EQS_EDIT_NONE;

	cpu_step(c, STEP_ISB_IF_EQS);
	if (!left_out && !eqs_rcu_is_watching(c)) {
		mem_isb();
		text_refresh(&sim_of(c)->text, c->ctx.fetched);
	}
}

void eqs_cpu_wait_until(struct eqs_cpu *c, int step, eqs_cond_fn cond, void *arg)
{
	enum step s = step_checked(step);

	cpu_step(c, s);
	while (!cond_holds(&c->t, cond, arg) && wait_turn(&c->t, s))
		;
}

/*
 * A barrier block: its step, then its instruction (steps.def's fence),
 * unless the run's edit removes it, or weakens it to the weaker one (a dsb
 * to the dmb of the same accesses; none: removed).
 */
static void barrier_block(struct eqs_cpu *c, enum step s)
{
	enum eqs_edit_kind e = cpu_point_edit(c, s);

	cpu_step(c, s);
	mem_fence_kind(step_fence_under(s, e));
}

/* A dsb ish also completes this CPU's own text write and maintenance (cpu_patch.c). */
void eqs_dsb(struct eqs_cpu *c)
{
	int fence = step_fence_under(STEP_DSB, cpu_point_edit(c, STEP_DSB));

	cpu_step(c, STEP_DSB);
	if (__builtin_expect(c->ctx.maint.issued | c->ctx.maint.written, 0) && fence == FENCE_DSB)
		text_complete(&sim_of(c)->text, &c->ctx.maint);
	mem_fence_kind(fence);
}

void eqs_dmb(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DMB);
}

void eqs_dsb_st(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DSB_ST);
}

void eqs_dmb_st(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DMB_ST);
}

void eqs_dmb_ld(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DMB_LD);
}

void eqs_smp_rmb(struct eqs_cpu *c)
{
	barrier_block(c, STEP_SMP_RMB);
}

void eqs_smp_wmb(struct eqs_cpu *c)
{
	barrier_block(c, STEP_SMP_WMB);
}

void eqs_smp_mb__before_atomic(struct eqs_cpu *c)
{
	barrier_block(c, STEP_MB_BEFORE_ATOMIC);
}

void eqs_smp_mb__after_atomic(struct eqs_cpu *c)
{
	barrier_block(c, STEP_MB_AFTER_ATOMIC);
}

void eqs_dsb_ld(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DSB_LD);
}

void cpu_insert_block(struct sim_thread *t, enum eqs_edit_kind kind)
{
	struct eqs_cpu *c = (struct eqs_cpu *)((char *)t - offsetof(struct eqs_cpu, t));

	if (kind == EQS_EDIT_INSERT_ISB)
		eqs_isb(c);
	else if (kind == EQS_EDIT_INSERT_DMB)
		eqs_dmb(c);
	else if (kind == EQS_EDIT_INSERT_DSB)
		eqs_dsb(c);
}

/* Out of line, as before the hook took its insert function: every path's steps stay lean. */
__attribute__((noinline, cold)) void cpu_step_slow(struct eqs_cpu *c, enum step s)
{
	step_slow(&c->t, s, false, cpu_insert_block);
}

void eqs_exec_text(struct eqs_cpu *c)
{
	cpu_step(c, STEP_EXEC_TEXT);
	if (__builtin_expect(!c->ctx.watching, 0)) {
		stat_inc(c->stats.text_in_eqs);
		return;
	}
	oracle_check_text(&c->oracle, &c->t, &sim_of(c)->text, c->ctx.fetched,
			  c->ctx.last_exit_path);
}

void cpu_init(struct sim *sim, struct eqs_cpu *c, unsigned id)
{
	struct point_run *pr = &sim->run.points;

	c->t.sim = sim;
	c->t.run = &sim->run;
	c->t.id = id;
	c->t.rng = rng_seed(sim->cfg.seed, id);
	sim->rcu->init(&c->rcu, point_edited_order(pr, EQS_POINT_EXIT_ORDER, sim->v->exit_order),
		       point_edited_order(pr, EQS_POINT_ENTER_ORDER, sim->v->enter_order));
	ipi_queue_init(&c->ipiq);
	c->ctx.irqs_on = true;
	c->ctx.watching = true;
	c->ctx.nohz_full = (sim->cfg.nohz_full >> id) & 1;
	text_refresh(&sim->text, c->ctx.fetched);
}
