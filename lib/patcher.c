/*
 * patcher.c - the patcher and the variants' syncs.  From the text write to
 * the last counter read the code runs back to back: the step hook is not
 * called there (only recorded), so the harness never closes a
 * store-buffering window by itself.
 */
#include <stdlib.h>

#include <urcu/urcu-qsbr.h>

#include "clock.h"
#include "patcher.h"
#include "rng.h"

static void send_and_wait(struct sim *sim, uint64_t mask)
{
	struct sim_patcher *p = &sim->patcher;

	if (!mask)
		return;
	step_hook(&p->t, STEP_IPI_SEND);
	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		if (!(mask >> cpu & 1))
			continue;
		ipi_send(&sim->cpus[cpu].ipiq, &p->msgs[cpu]);
		p->ipis_sent++;
	}
	step_hook(&p->t, STEP_IPI_WAIT);
	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		if (!(mask >> cpu & 1))
			continue;
		while (!ipi_acked(&p->msgs[cpu])) {
			step_blocked(&p->t, STEP_IPI_WAIT);
			cpu_relax();
		}
	}
}

/* CPUs this sync left out, for the CPUs' race accounting. */
static void mark_left_out(struct sim *sim, uint64_t mask, uint64_t seq, uint64_t *counter)
{
	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		if (!(mask >> cpu & 1))
			continue;
		store_relaxed(&sim->patcher.skip_mark[cpu], seq);
		(*counter)++;
	}
}

static uint64_t all_cpus(struct sim *sim)
{
	return sim->ncpu >= 64 ? ~0ull : (1ull << sim->ncpu) - 1;
}

/* Read each counter; IPI only the CPUs RCU sees outside EQS. */
static void sync_skip_eqs(struct sim *sim, uint64_t seq)
{
	struct sim_patcher *p = &sim->patcher;
	uint64_t ipi = 0, skip = 0;

	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		struct dynticks *dt = &sim->cpus[cpu].dt;

		step_window(&p->t, STEP_READ_DYNTICKS);
		int snap = sim->v->patcher.full_snap ? rcu_dynticks_snap(dt)
						     : rcu_dynticks_snap_plain(dt);

		if (rcu_dynticks_in_eqs(snap))
			skip |= 1ull << cpu;
		else
			ipi |= 1ull << cpu;
	}
	mark_left_out(sim, skip, seq, &p->ipis_skipped);
	send_and_wait(sim, ipi);
}

/* rcu_eqs_special_set() on each CPU: defer to those in EQS, IPI the rest. */
static void sync_special_flag(struct sim *sim, uint64_t seq)
{
	struct sim_patcher *p = &sim->patcher;
	uint64_t ipi = 0, deferred = 0;

	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		step_window(&p->t, STEP_SPECIAL_SET);
		if (rcu_eqs_special_set(&sim->cpus[cpu].dt))
			deferred |= 1ull << cpu;
		else
			ipi |= 1ull << cpu;
	}
	mark_left_out(sim, deferred, seq, &p->ipis_deferred);
	send_and_wait(sim, ipi);
}

static void run_sync(struct sim *sim, uint64_t seq)
{
	struct sim_patcher *p = &sim->patcher;

	if (sim->v->patcher.mb) {
		step_window(&p->t, STEP_SMP_MB);
		/* Text write before the counter reads; pairs with the exit increment. */
		smp_mb();
	}
	switch (sim->v->patcher.kind) {
	case SYNC_NONE:
		break;
	case SYNC_KICK_ALL:
		send_and_wait(sim, all_cpus(sim));
		break;
	case SYNC_SKIP_EQS:
		sync_skip_eqs(sim, seq);
		break;
	case SYNC_SPECIAL_FLAG:
		sync_special_flag(sim, seq);
		break;
	case SYNC_QSBR:
		step_hook(&p->t, STEP_SYNCHRONIZE_RCU);
		urcu_qsbr_synchronize_rcu();
		break;
	}
}

void patch_once(struct sim *sim, unsigned site)
{
	struct sim_patcher *p = &sim->patcher;
	uint64_t seq = p->sync_seq + 1;

	step_hook(&p->t, STEP_PATCH_WRITE);
	uint64_t start = cycles_now();

	store_relaxed(&p->sync_seq, seq); /* odd: a sync is in flight */
	uint32_t gen = text_write(&sim->text, site);

	step_window(&p->t, STEP_CACHE_MAINT);
	text_cache_maint(&sim->text, site);
	run_sync(sim, seq);
	step_hook(&p->t, STEP_PUBLISH);
	text_publish(&sim->text, site, gen);
	store_relaxed(&p->sync_seq, seq + 1);
	p->sync_cycles[p->nr_samples++ % SYNC_SAMPLES] = cycles_now() - start;
	store_relaxed(&p->patches, p->patches + 1);
}

void *patcher_thread(void *arg)
{
	struct sim *sim = arg;
	struct sim_patcher *p = &sim->patcher;
	uint64_t gap = clock_ns_to_cycles(sim->cfg.patch_gap_ns);

	if (sim->script) {
		script_thread_start(&p->t);
		for (const unsigned *s = p->script_sites; s && *s != SCRIPT_END_SITES; s++)
			patch_once(sim, *s);
		step_hook(&p->t, STEP_DONE);
	} else {
		while (!load_relaxed(&sim->stop)) {
			patch_once(sim, (unsigned)rng_below(&p->t.rng, sim->text.nr_sites));
			if (sim->cfg.patches && p->patches >= sim->cfg.patches)
				break;
			clock_spin_cycles(gap / 2 + rng_below(&p->t.rng, gap + 1));
		}
	}
	store_relaxed(&sim->patcher_done, 1);
	return NULL;
}

void patcher_init(struct sim *sim)
{
	struct sim_patcher *p = &sim->patcher;

	p->t.sim = sim;
	p->t.id = EQS_PATCHER_ID;
	p->t.rng = rng_seed(sim->cfg.seed, EQS_PATCHER_ID);
}
