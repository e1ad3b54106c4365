/*
 * detection.c - time to first violation, default settings, 20 seeds: how
 * long stress takes to catch the reviewed patch and a missing sync.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "eqssim.h"

static void detect(const struct bench_opts *o, const char *variant)
{
	double ms[20];
	int caught = 0;

	for (int seed = 1; seed <= 20; seed++) {
		struct eqs_config cfg;
		struct eqs_report r;
		char err[EQS_ERRLEN];

		eqs_config_default(&cfg);
		cfg.seed = (uint64_t)seed;
		cfg.stop_on_violation = true;
		cfg.duration_s = 10;
		if (eqs_stress_run(eqs_variant_find(variant), &cfg, &r, err, sizeof(err))) {
			fprintf(stderr, "eqssim-bench: %s: %s\n", variant, err);
			exit(1);
		}
		caught += r.first_violation_ns >= 0;
		ms[seed - 1] = r.first_violation_ns >= 0 ? (double)r.first_violation_ns / 1e6 : 1e9;
	}
	bench_figure(
		o, "first_violation",
		"variant=%s seeds=20 caught=%d ms_p50=%.2f ms_p90=%.2f ms_max=%.2f target_ms=100",
		variant, caught, bench_quantile(ms, 20, 0.5), bench_quantile(ms, 20, 0.9),
		bench_quantile(ms, 20, 1.0));
}

void bench_detection(const struct bench_opts *o)
{
	detect(o, "early_isb");
	detect(o, "no_sync");
}
