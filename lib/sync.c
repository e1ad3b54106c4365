/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync.c - the syncs a patcher is made of, built on the IPI bus:
 * smp_call_function_many() with or without a handler, skipping the CPUs in
 * EQS, deferring work to them, liburcu's synchronize_rcu(), and arm64's
 * stop_machine rendezvous (its CPU side included); and the patcher's last
 * wait before the CPUs may finish.
 */
#include "cpu_model.h"
#include "patcher.h"
#include "sync.h"
#include "words.h"

static void wait_acked(struct eqs_patcher *p, unsigned cpu)
{
	while (!ipi_acked(&patcher_sim(p)->cpus[cpu].msg) && wait_turn(&p->t, STEP_IPI_WAIT))
		;
	p->ctx.ipis_in_flight &= ~(1ull << cpu);
	/* Only an IPI of this patch's counts: one an earlier patch sent synced nothing of this one. */
	p->ctx.ipis_waited |= p->ctx.ipis_sent_now & 1ull << cpu;
}

/*
 * Send each CPU in mask an IPI that runs func, and, with call, the
 * variant's function and data (each CPU's own copy, written once its last
 * message is acked: a later call never changes what an earlier one runs).
 */
static void send_many(struct eqs_patcher *p, uint64_t mask, void (*func)(void *),
		      const struct ipi_call *call)
{
	struct sim *sim = patcher_sim(p);

	mask &= eqs_all_cpus(p);
	if (!mask)
		return;
	patcher_window_close(p);
	patcher_step(p, STEP_IPI_SEND);
	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		struct eqs_cpu *c = &sim->cpus[cpu];

		if (!(mask >> cpu & 1))
			continue;
		if (p->ctx.ipis_in_flight >> cpu & 1)
			wait_acked(p,
				   cpu); /* its message is still queued: reuse it only once acked */
		if (call) {		 /* the enqueue after it is a full barrier */
			store_relaxed(&c->call.fn, call->fn);
			store_relaxed(&c->call.info, call->info);
		}
		ipi_send(&c->ipiq, &c->msg, func, c);
		p->ctx.ipis_in_flight |= 1ull << cpu;
		p->ctx.ipis_sent_now |= 1ull << cpu;
		p->ipis_sent++;
	}
}

static void wait_many(struct eqs_patcher *p, uint64_t mask)
{
	mask &= p->ctx.ipis_in_flight;
	if (!mask)
		return;
	patcher_window_close(p);
	patcher_step(p, STEP_IPI_WAIT);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++)
		if (mask >> cpu & 1)
			wait_acked(p, cpu);
}

void eqs_ipi_wait(struct eqs_patcher *p, uint64_t mask)
{
	wait_many(p, mask);
}

void eqs_smp_call_many(struct eqs_patcher *p, uint64_t mask, bool wait)
{
	send_many(p, mask, NULL, NULL);
	if (wait)
		wait_many(p, mask);
}

void eqs_skip_eqs_cpus(struct eqs_patcher *p, eqs_snap_fn snap)
{
	uint64_t ipi = 0;

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (!eqs_snap_in_eqs(p, snap(p, cpu)))
			ipi |= 1ull << cpu; /* RCU watches it: IPI; else skip it */
	}
	eqs_smp_call_many(p, ipi, true);
}

void eqs_defer_or_ipi(struct eqs_patcher *p, eqs_offer_fn offer)
{
	uint64_t ipi = 0;

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (!offer(p, cpu))
			ipi |= 1ull << cpu; /* refused: IPI; else it runs the work itself */
	}
	eqs_smp_call_many(p, ipi, true);
}

void eqs_patcher_wait_until(struct eqs_patcher *p, int step, eqs_cond_fn cond, void *arg)
{
	eqs_patcher_step(p, step);
	while (!cond_holds(&p->t, cond, arg) && wait_turn(&p->t, step_checked(step)))
		;
}

/* The IPI handler of eqs_smp_call_func_many(): the function sent to this CPU, with its data. */
static void call_ipi_fn(void *info)
{
	struct eqs_cpu *c = info;

	load_relaxed (&c->call.fn)(c, load_relaxed(&c->call.info));
}

void eqs_smp_call_func_many(struct eqs_patcher *p, uint64_t mask, eqs_call_fn fn, void *info,
			    bool wait)
{
	const struct ipi_call call = { fn, info };

	send_many(p, mask, fn ? call_ipi_fn : NULL, fn ? &call : NULL);
	if (wait)
		wait_many(p, mask);
}

void eqs_synchronize_rcu(struct eqs_patcher *p)
{
	const struct rcu_layout *rcu = patcher_sim(p)->rcu;

	patcher_window_close(p);
	patcher_step(p, STEP_SYNCHRONIZE_RCU);
	if (rcu->synchronize)
		rcu->synchronize();
}

/*
 * A CPU's part of the rendezvous, in its IPI handler: arrive, spin until
 * the patcher has patched and added its own 1, then isb before leaving.
 */
static void stop_machine_cpu(void *info)
{
	struct eqs_cpu *c = info;
	const unsigned count = WORD_STOP_MACHINE_COUNT;
	unsigned int total = sim_of(c)->ncpu + 1;

	cpu_step(c, STEP_STOP_MACHINE_WAIT);
	lib_word_cpu(c, count, EQS_WORD_ADD, EQS_ORDER_FULL, 1, true);
	while (lib_word_cpu(c, count, EQS_WORD_LOAD, EQS_ORDER_RELAXED, 0, false) < total &&
	       wait_turn(&c->t, STEP_STOP_MACHINE_WAIT))
		;
	/* The read of the count feeds the branch above; the isb orders the refetch after it. */
	eqs_isb(c);
}

void eqs_stop_machine_patch(struct eqs_patcher *p)
{
	const unsigned count = WORD_STOP_MACHINE_COUNT;
	unsigned int ncpu = eqs_nr_cpus(p);

	patcher_window_close(p);
	patcher_step(p, STEP_STOP_MACHINE);
	lib_word_patcher(p, count, EQS_WORD_STORE, EQS_ORDER_RELAXED, 0, true);
	send_many(p, eqs_all_cpus(p), stop_machine_cpu, NULL);
	while (lib_word_patcher(p, count, EQS_WORD_LOAD, EQS_ORDER_RELAXED, 0, false) < ncpu &&
	       wait_turn(&p->t, STEP_STOP_MACHINE))
		;
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* Fully ordered: the write is visible before any CPU sees the release. */
	lib_word_patcher(p, count, EQS_WORD_ADD, EQS_ORDER_FULL, 1, true);
	wait_many(p, eqs_all_cpus(p));
}

void patcher_finish(struct sim *sim)
{
	struct eqs_patcher *p = &sim->patcher;

	wait_many(p, p->ctx.ipis_in_flight); /* the CPUs run until patcher_done */
	store_relaxed(&sim->flags.patcher_done, 1);
}
