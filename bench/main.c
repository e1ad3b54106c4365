/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * main.c - eqssim-bench: eqssim measured against the references that
 * bound it, each baseline measured in the same run.  Prints one SUMMARY
 * line (or JSON line) per figure.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "cli.h"
#include "eqssim.h"

const char *cli_prog = "eqssim-bench";

static void usage(FILE *f)
{
	fprintf(f, "Usage: eqssim-bench [--quick] [--json] [--only round_trip|sync|detection]\n"
		   "Benchmarks: EQS round trip against the bare sequence and liburcu QSBR; patch\n"
		   "sync latency by variant, CPUs and EQS share, with membarrier as reference;\n"
		   "time to first violation.  --quick finishes in under a minute on 2 cores.\n");
}

int main(int argc, char **argv)
{
	struct bench_opts o = { .repeats = 7 };
	const char *only = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			o.quick = true;
		else if (!strcmp(argv[i], "--json"))
			o.json = true;
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (!strcmp(argv[i], "--only"))
			cli_bad_usage("--only wants a figure: round_trip, sync or detection");
		else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			cli_bad_usage("unknown option '%s'", argv[i]);
		}
	}
	if (only && strcmp(only, "round_trip") && strcmp(only, "sync") && strcmp(only, "detection"))
		cli_bad_usage("--only: unknown figure '%s' (round_trip, sync or detection)", only);
	if (o.quick)
		o.repeats = 3;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	o.host_cpus = n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
	double t0 = bench_now_s();

	bench_figure(&o, "machine", "arch=%s model=%s host_cpus=%u quick=%d repeats=%d",
		     cli_arch_name(), eqs_model_name(eqs_host_model()), o.host_cpus, o.quick,
		     o.repeats);
	if (!only || !strcmp(only, "round_trip"))
		bench_round_trip(&o);
	if (!only || !strcmp(only, "sync"))
		bench_sync_latency(&o);
	if (!only || !strcmp(only, "detection"))
		bench_detection(&o);
	bench_figure(&o, "duration", "seconds=%.1f", bench_now_s() - t0);
	return 0;
}
