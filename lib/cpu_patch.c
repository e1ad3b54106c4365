/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu_patch.c - a CPU acting as the patch's master, as arm64's
 * stop_machine callbacks do (the first CPU to arrive in 3.x and 4.x, the
 * last in 6.x): its write of the text of the patch in flight, and cache
 * maintenance of that site from a CPU, which its own next dsb ish
 * completes (cpu_model.c's eqs_dsb).  The patcher publishes what the
 * master wrote when its sync returns, and the oracle judges it as any
 * other write.
 */
#include "cpu_model.h"

unsigned eqs_cpu_nr_cpus(const struct eqs_cpu *c)
{
	return sim_of(c)->ncpu;
}

/* The site of the patch in flight (or of the last one): written before its IPIs were sent. */
static unsigned patch_site(const struct eqs_cpu *c)
{
	return load_relaxed(&sim_of(c)->patcher.ctx.site);
}

void eqs_cpu_patch_write(struct eqs_cpu *c)
{
	struct sim *sim = sim_of(c);

	cpu_step(c, STEP_CPU_PATCH_WRITE);
	if (!(load_relaxed(&sim->patcher.race.sync_seq) & 1)) {
		error_log_note(&c->misuse, "eqs_cpu_patch_write() on cpu%u with no patch in flight",
			       c->t.id);
		return;
	}
	unsigned site = patch_site(c);
	uint32_t gen = text_write(&sim->text, site, &c->ctx.maint);

	step_value(&c->t, gen, site);
}

void eqs_cpu_dc_cvau(struct eqs_cpu *c)
{
	bool left_out = cpu_point_edit(c, STEP_CPU_DC_CVAU) != EQS_EDIT_NONE;

	cpu_step(c, STEP_CPU_DC_CVAU);
	if (left_out)
		return;
	text_dc_cvau(&sim_of(c)->text, patch_site(c), &c->ctx.maint);
}

void eqs_cpu_ic_ivau(struct eqs_cpu *c)
{
	bool left_out = cpu_point_edit(c, STEP_CPU_IC_IVAU) != EQS_EDIT_NONE;

	cpu_step(c, STEP_CPU_IC_IVAU);
	if (left_out)
		return;
	text_ic_ivau(&sim_of(c)->text, patch_site(c), &c->ctx.maint);
}

void eqs_cpu_cache_maint(struct eqs_cpu *c)
{
	eqs_cpu_dc_cvau(c);
	eqs_dsb(c); /* the clean completes before the invalidate */
	eqs_cpu_ic_ivau(c);
	eqs_dsb(c); /* the invalidate completes: the new text is fetchable */
}
