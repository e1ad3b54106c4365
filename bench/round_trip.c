/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * round_trip.c - the cost of one EQS exit + enter: the simulator's
 * eqs_exit_sync user path (no delay, no jitter) against the bare
 * instruction sequence that path executes, written out by hand, and
 * against liburcu QSBR offline + online.  All three in this process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <urcu/urcu-qsbr.h>

#include "barriers.h"
#include "bench.h"
#include "driver.h"
#include "error.h"
#include "ipi_bus.h"

#define SITES	    4
#define ENTRY_SITES 1

/* What the path touches: the counter, the text, the fetched view, the IPI queue. */
struct bare {
	kernel_atomic_t dynticks __attribute__((aligned(128)));
	uint32_t gen[SITES + ENTRY_SITES] __attribute__((aligned(128)));
	uint32_t synced[SITES + ENTRY_SITES] __attribute__((aligned(128)));
	uint32_t fetched[SITES + ENTRY_SITES];
	struct ipi_queue q __attribute__((aligned(128)));
	uint64_t stale;
};

static inline void refetch(struct bare *b)
{
	isb();
	for (int i = 0; i < SITES + ENTRY_SITES; i++)
		b->fetched[i] = __atomic_load_n(&b->gen[i], __ATOMIC_RELAXED);
}

static inline void execute(struct bare *b, int from, int to)
{
	for (int i = from; i < to; i++)
		b->stale += (int32_t)(b->fetched[i] -
				      __atomic_load_n(&b->synced[i], __ATOMIC_ACQUIRE)) < 0;
}

/* ct_user_enter, eret, svc, enable_daif, entry code, ct_user_exit + isb, the syscall's text. */
static __attribute__((noinline)) void bare_round_trip(struct bare *b)
{
	kernel_atomic_add_return(2, &b->dynticks); /* rcu_eqs_enter */
	refetch(b);				   /* exception return */
	refetch(b);				   /* exception entry */
	if (ipi_pending(&b->q))			   /* enable_daif: an interrupt? */
		abort();
	execute(b, SITES, SITES + ENTRY_SITES);		   /* noinstr entry code */
	if (kernel_atomic_add_return(2, &b->dynticks) & 1) /* rcu_eqs_exit */
		abort();
	refetch(b);	      /* rcu_dynticks_eqs_exit_sync(): isb */
	execute(b, 0, SITES); /* exec_text */
}

static double time_bare(uint64_t iters)
{
	struct bare *b = aligned_alloc(128, sizeof(*b));

	memset(b, 0, sizeof(*b));
	kernel_atomic_set(&b->dynticks, 2);
	ipi_queue_init(&b->q);
	double t0 = bench_now_s();

	for (uint64_t i = 0; i < iters; i++)
		bare_round_trip(b);
	double ns = (bench_now_s() - t0) * 1e9 / (double)iters;

	if (b->stale)
		abort();
	free(b);
	return ns;
}

static double time_sim(uint64_t iters)
{
	struct sim *sim = aligned_alloc(CACHELINE, sizeof(*sim));
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.cpus = 1;
	cfg.sites = SITES;
	cfg.entry_sites = ENTRY_SITES;
	cfg.jitter = 0;
	if (!sim ||
	    sim_init(sim, eqs_variant_find("eqs_exit_sync"), &cfg, NULL, NULL, err, sizeof(err))) {
		fprintf(stderr, "eqssim-bench: %s\n", err);
		exit(1);
	}
	struct eqs_cpu *c = &sim->cpus[0];
	double t0 = bench_now_s();

	for (uint64_t i = 0; i < iters; i++) {
		cpu_do(c, CPU_OP_USER_ENTER);
		cpu_do(c, CPU_OP_USER_EXIT);
	}
	double ns = (bench_now_s() - t0) * 1e9 / (double)iters;

	if (c->oracle.violations || c->stats.eqs_exits != iters)
		abort();
	sim_destroy(sim);
	free(sim);
	return ns;
}

static double time_qsbr(uint64_t iters)
{
	urcu_qsbr_register_thread();
	double t0 = bench_now_s();

	for (uint64_t i = 0; i < iters; i++) {
		urcu_qsbr_thread_offline();
		urcu_qsbr_thread_online();
	}
	double ns = (bench_now_s() - t0) * 1e9 / (double)iters;

	urcu_qsbr_unregister_thread();
	return ns;
}

void bench_round_trip(const struct bench_opts *o)
{
	uint64_t iters = o->quick ? 200000 : 1000000;
	double sim[64], bare[64], qsbr[64], ratio[64];
	int n = o->repeats;

	time_sim(iters / 10); /* warm up caches and the branch predictors */
	time_bare(iters / 10);
	for (int r = 0; r < n; r++) {
		/* Interleaved, so drift in the machine hits all three alike. */
		bare[r] = time_bare(iters);
		sim[r] = time_sim(iters);
		qsbr[r] = time_qsbr(iters);
		ratio[r] = sim[r] / bare[r];
	}
	double sim50 = bench_quantile(sim, n, 0.5), sim90 = bench_quantile(sim, n, 0.9);
	double bare50 = bench_quantile(bare, n, 0.5), bare90 = bench_quantile(bare, n, 0.9);
	double qsbr50 = bench_quantile(qsbr, n, 0.5), qsbr90 = bench_quantile(qsbr, n, 0.9);
	double ratio50 = bench_quantile(ratio, n, 0.5), ratio90 = bench_quantile(ratio, n, 0.9);

	bench_figure(
		o, "eqs_round_trip",
		"variant=eqs_exit_sync path=user sim_ns_p50=%.1f sim_ns_p90=%.1f bare_ns_p50=%.1f "
		"bare_ns_p90=%.1f qsbr_ns_p50=%.1f qsbr_ns_p90=%.1f sim_over_bare_p50=%.2f "
		"sim_over_bare_p90=%.2f target=1.2 sim_over_qsbr_p50=%.2f",
		sim50, sim90, bare50, bare90, qsbr50, qsbr90, ratio50, ratio90, sim50 / qsbr50);
}
