/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync_latency.c - patch sync latency per variant as CPUs and the share of
 * CPUs in EQS grow, with IPIs sent and EQS CPUs disturbed per patch, and
 * membarrier(PRIVATE_EXPEDITED_SYNC_CORE) over as many busy threads as the
 * reference for a real broadcast sync.
 *
 * "CPUs" counts the patcher's own CPU, as in the kernel where the patching
 * CPU does not IPI itself: N CPUs are the patcher and N-1 simulated CPUs,
 * N threads in all.  Beyond the host's cores a run is flagged
 * oversubscribed: a descheduled thread turns latency into time slices.
 * The EQS share is the share of the other N-1 CPUs that only idle.
 */
#include <linux/membarrier.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "eqssim.h"

static const char *const variants[] = { "kick_all", "eqs_exit_sync", "special_flag", "ct_work",
					"urcu_qsbr" };
static const unsigned shares[] = { 0, 50, 90 };

/* Medians over repeated runs of each run's p50 and p99, and the p90 of the p50s. */
struct point {
	double p50, p50_p90, p99, ipis, disturbed;
};

static struct point measure(const struct bench_opts *o, const char *variant, unsigned cpus,
			    unsigned share)
{
	unsigned others = cpus - 1;
	unsigned eqs = (others * share + 50) / 100;
	double p50[16], p99[16], ipis = 0, disturbed = 0;
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];
	int n = o->repeats;

	eqs_config_default(&cfg);
	cfg.cpus = others;
	cfg.duration_s = o->quick ? 0.25 : 1.0;
	cfg.full_budget = true; /* latency over a fixed time, not until a verdict */
	cfg.jitter = 0;
	cfg.aim = false; /* EQS dwellers sleep their whole stay: no exit timed at a patch */
	cfg.entry_sites = 0;
	cfg.patch_gap_ns = 20000;
	cfg.idle_ns = 200000; /* EQS dwellers sleep long; only an IPI ends it early */
	memset(cfg.weights, 0, sizeof(cfg.weights));
	cfg.weights[EQS_ACT_KERNEL] = 1; /* the others stay in the kernel */
	cfg.idle_cpus = eqs >= 64 ? ~0ull : (1ull << eqs) - 1;
	for (int i = 0; i < n; i++) {
		cfg.seed = (uint64_t)i + 1;
		if (eqs_stress_run(eqs_variant_find(variant), &cfg, &r, err, sizeof(err))) {
			fprintf(stderr, "eqssim-bench: %s: %s\n", variant, err);
			exit(1);
		}
		p50[i] = (double)r.sync_ns_p50;
		p99[i] = (double)r.sync_ns_p99;
		ipis += r.patches ? (double)r.ipis_sent / (double)r.patches : 0;
		disturbed += r.patches ? (double)r.eqs_disturbed / (double)r.patches : 0;
	}
	double med = bench_quantile(p50, n, 0.5), spread = bench_quantile(p50, n, 0.9);

	return (struct point){ med, spread, bench_quantile(p99, n, 0.5), ipis / n, disturbed / n };
}

/* Threads that stay busy in user mode, as the CPUs membarrier must reach. */
static volatile int spin_stop;

static void *spinner(void *arg)
{
	(void)arg;
	while (!spin_stop)
		__asm__ __volatile__("" ::: "memory");
	return NULL;
}

static void membarrier_reference(const struct bench_opts *o, unsigned cpus)
{
	pthread_t th[64];
	double lat[4096];
	int n = o->quick ? 500 : 4000;

	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0)) {
		bench_figure(o, "membarrier_sync_core", "cpus=%u available=0", cpus);
		return;
	}
	spin_stop = 0;
	for (unsigned i = 0; i + 1 < cpus; i++)
		pthread_create(&th[i], NULL, spinner, NULL);
	for (int i = 0; i < n; i++) {
		double t0 = bench_now_s();

		syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0);
		lat[i] = (bench_now_s() - t0) * 1e9;
	}
	spin_stop = 1;
	for (unsigned i = 0; i + 1 < cpus; i++)
		pthread_join(th[i], NULL);
	double p50 = bench_quantile(lat, n, 0.5), p99 = bench_quantile(lat, n, 0.99);

	bench_figure(o, "membarrier_sync_core",
		     "cpus=%u available=1 oversubscribed=%d ns_p50=%.0f "
		     "ns_p99=%.0f",
		     cpus, cpus > o->host_cpus, p50, p99);
}

void bench_sync_latency(const struct bench_opts *o)
{
	unsigned max_cpus = o->host_cpus * 2 > 64 ? 64 : o->host_cpus * 2;
	double kick_all_90 = 0, eqs_exit_sync_90 = 0;

	for (unsigned cpus = 2; cpus <= max_cpus; cpus *= 2) {
		for (unsigned s = 0; s < sizeof(shares) / sizeof(shares[0]); s++) {
			for (unsigned v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
				struct point pt = measure(o, variants[v], cpus, shares[s]);

				bench_figure(o, "sync_latency",
					     "variant=%s cpus=%u eqs_share=%u oversubscribed=%d "
					     "ns_p50=%.0f ns_p99=%.0f ipis_per_patch=%.2f "
					     "disturbed_per_patch=%.2f",
					     variants[v], cpus, shares[s], cpus > o->host_cpus,
					     pt.p50, pt.p99, pt.ipis, pt.disturbed);
				if (cpus == o->host_cpus && shares[s] == 90) {
					if (!strcmp(variants[v], "kick_all"))
						kick_all_90 = pt.p50;
					if (!strcmp(variants[v], "eqs_exit_sync"))
						eqs_exit_sync_90 = pt.p50;
				}
			}
		}
		membarrier_reference(o, cpus);
	}
	if (kick_all_90 > 0)
		bench_figure(o, "sync_latency_target",
			     "cpus=%u eqs_share=90 eqs_exit_sync_ns_p50=%.0f kick_all_ns_p50=%.0f "
			     "ratio=%.3f target=0.2",
			     o->host_cpus, eqs_exit_sync_90, kick_all_90,
			     eqs_exit_sync_90 / kick_all_90);
}
