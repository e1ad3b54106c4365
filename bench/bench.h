/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h - what eqssim-bench's parts share: options, timing, statistics
 * over repeated runs, and the SUMMARY / JSON output of one figure.
 */
#ifndef EQS_BENCH_H
#define EQS_BENCH_H

#include <stdbool.h>
#include <stdint.h>

struct bench_opts {
	bool quick; /* under 60 s on a 2-core machine */
	bool json;  /* JSON lines instead of SUMMARY lines */
	int repeats;
	unsigned host_cpus;
};

double bench_now_s(void);
/* Sort v[0..n) and return its q-quantile (0.5 median, 0.9 p90). */
double bench_quantile(double *v, int n, double q);
/*
 * One figure: name and then "key=value" pairs, as a SUMMARY line or a JSON
 * object.  Values that are JSON numbers are written as numbers, the rest as
 * strings.
 */
void bench_figure(const struct bench_opts *o, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void bench_round_trip(const struct bench_opts *o);
void bench_sync_latency(const struct bench_opts *o);
void bench_detection(const struct bench_opts *o);

#endif /* EQS_BENCH_H */
