/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * workload.c - the seeded workload of a stress run (workload.h), strung
 * from the machine's path halves and stays.  A seed fixes its choices,
 * not the interleaving.
 */
#include "rng.h"
#include "workload.h"

enum eqs_action workload_pick(struct eqs_cpu *c)
{
	const struct eqs_config *cfg = &c->t.sim->cfg;
	const unsigned *w = cfg->weights;
	uint64_t total = 0;

	if (cfg->idle_cpus >> c->t.id & 1)
		return EQS_ACT_IDLE;

	for (int a = 0; a < EQS_ACT_COUNT; a++)
		total += w[a];
	uint64_t r = rng_below(&c->t.rng, total);

	for (int a = 0; a < EQS_ACT_COUNT; a++) {
		if (r < w[a])
			return (enum eqs_action)a;
		r -= w[a];
	}
	return EQS_ACT_KERNEL;
}

void workload_run(struct eqs_cpu *c, enum eqs_action a)
{
	const struct eqs_config *cfg = &c->t.sim->cfg;

	switch (a) {
	case EQS_ACT_KERNEL:
	case EQS_ACT_COUNT:
		cpu_kernel_work(c, cfg->kernel_ns);
		return;
	case EQS_ACT_SYSCALL:
		cpu_user_enter(c);
		cpu_stay(c, STEP_USER_RUN, cfg->user_ns);
		cpu_user_exit(c);
		break;
	case EQS_ACT_IDLE:
		cpu_idle_enter(c, cfg->idle_ns);
		cpu_idle_exit(c);
		break;
	case EQS_ACT_IRQ:
		cpu_user_enter(c);
		cpu_stay(c, STEP_USER_RUN, cfg->user_ns / 2);
		cpu_do(c, CPU_OP_IRQ);
		cpu_stay(c, STEP_USER_RUN, cfg->user_ns / 2);
		cpu_user_exit(c);
		break;
	case EQS_ACT_GUEST:
		cpu_guest_enter(c);
		cpu_stay(c, STEP_GUEST_RUN, cfg->guest_ns);
		cpu_guest_exit(c);
		break;
	case EQS_ACT_NMI: {
		/* Each point by a coin; at least one NMI that leaves EQS. */
		unsigned at = (unsigned)rng_below(&c->t.rng, 8);

		cpu_arm_nmis(c, at & (NMI_IN_WFI | NMI_IN_IRQ_ENTRY) ? at : at | NMI_IN_WFI);
		cpu_idle_enter(c, cfg->idle_ns);
		cpu_idle_exit(c);
		cpu_arm_nmis(c, 0);
		break;
	}
	}
	/*
	 * After every exit the kernel goes on running text (the syscall body,
	 * the handler's caller, the scheduler, KVM's exit handling) before its
	 * next CSE.
	 */
	cpu_kernel_work(c, cfg->kernel_ns / 4);
}

unsigned workload_pick_site(struct sim *sim)
{
	struct text *t = &sim->text;
	uint64_t *rng = &sim->patcher.t.rng;

	if (t->nr_entry_sites && rng_below(rng, 100) < sim->cfg.entry_patch_percent)
		return t->nr_sites + (unsigned)rng_below(rng, t->nr_entry_sites);
	return (unsigned)rng_below(rng, t->nr_sites);
}
