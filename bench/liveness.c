/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * liveness.c - eqssim-bench-liveness: does machine load ever turn into a
 * hang verdict?  Starts BURNERS processes that only spin (two by default,
 * on a 2-core machine: every simulated thread then waits for a core), and
 * runs, RUNS times each with the default configuration and a fresh seed:
 *  - kick_all and stop_machine, built in;
 *  - a rendezvous written by a user with public blocks
 *    (tests/support/user_rendezvous.h);
 *  - the same rendezvous waiting for one CPU more than there are: nobody
 *    completes it, and every run must end with a hang.
 * Prints one SUMMARY line per variant: the verdicts counted, and the
 * median and longest wall time of a run.  Not a test: its figures are
 * for the note that says liveness holds under load.
 * Usage: eqssim-bench-liveness [RUNS [BURNERS [HANGING_RUNS]]]
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eqssim.h"
#include "user_rendezvous.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const struct eqs_variant user_rendezvous = {
	.name = "user_rendezvous",
	.summary = "every CPU called into a handler that waits for the patcher's release",
	.patch = user_rendezvous_patch,
	USER_RENDEZVOUS_WORDS,
	.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_OK, [EQS_MODEL_ARM64] = EQS_EXPECT_OK },
};

static const struct eqs_variant nobody_completes = {
	.name = "nobody_completes",
	.summary = "a rendezvous waiting for one CPU more than there are",
	.patch = user_rendezvous_patch,
	USER_RENDEZVOUS_WORDS,
	.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_OK, [EQS_MODEL_ARM64] = EQS_EXPECT_OK },
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void bench(const struct eqs_variant *v, int runs)
{
	unsigned counts[EQS_VERDICT_HANG + 1] = { 0 };
	double *secs = calloc((size_t)runs, sizeof(double));
	char err[EQS_ERRLEN];

	if (!secs)
		exit(1);
	user_rendezvous_extra = v == &nobody_completes;
	for (int i = 0; i < runs; i++) {
		struct eqs_config cfg;
		struct eqs_report r;
		double t0 = now_s();

		eqs_config_default(&cfg);
		cfg.seed = 1000 + (uint64_t)i;
		if (eqs_stress_run(v, &cfg, &r, err, sizeof(err))) {
			fprintf(stderr, "eqssim-bench-liveness: %s: %s\n", v->name, err);
			exit(1);
		}
		secs[i] = now_s() - t0;
		counts[r.verdict]++;
		fprintf(stderr, "\r%s: %d/%d", v->name, i + 1, runs);
	}
	fprintf(stderr, "\n");
	qsort(secs, (size_t)runs, sizeof(double), cmp_double);
	printf("SUMMARY liveness variant=%s runs=%d hang=%u match=%u inconclusive=%u mismatch=%u "
	       "error=%u median_s=%.2f max_s=%.2f\n",
	       v->name, runs, counts[EQS_VERDICT_HANG], counts[EQS_VERDICT_MATCH],
	       counts[EQS_VERDICT_INCONCLUSIVE], counts[EQS_VERDICT_MISMATCH],
	       counts[EQS_VERDICT_ERROR], secs[runs / 2], secs[runs - 1]);
	fflush(stdout);
	free(secs);
}

static int number(const char *s, const char *what, int max)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || n < 0 || n > max) {
		fprintf(stderr, "eqssim-bench-liveness: %s must be 0 to %d, not '%s'\n", what, max,
			s);
		exit(2);
	}
	return (int)n;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? number(argv[1], "RUNS", 100000) : 50;
	int burners = argc > 2 ? number(argv[2], "BURNERS", 64) : 2;
	int hanging = argc > 3 ? number(argv[3], "HANGING_RUNS", 100000) : 10;
	pid_t pids[64];
	char err[EQS_ERRLEN];

	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("Usage: eqssim-bench-liveness [RUNS [BURNERS [HANGING_RUNS]]]\n"
		       "Stress runs beside CPU-burning processes: no hang verdict may come of load.\n");
		return 0;
	}
	if (user_rendezvous_register(err, sizeof(err)) ||
	    eqs_variant_register(&user_rendezvous, err, sizeof(err)) ||
	    eqs_variant_register(&nobody_completes, err, sizeof(err))) {
		fprintf(stderr, "eqssim-bench-liveness: %s\n", err);
		return 1;
	}
	for (int i = 0; i < burners; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			volatile unsigned long spin = 0;

			for (;;)
				spin++;
		}
	}
	printf("SUMMARY liveness_setup backend=\"%s\" burners=%d runs=%d hanging_runs=%d\n",
	       eqs_backend(), burners, runs, hanging);
	bench(eqs_variant_find("kick_all"), runs);
	bench(eqs_variant_find("stop_machine"), runs);
	bench(&user_rendezvous, runs);
	if (hanging)
		bench(&nobody_completes, hanging);
	for (int i = 0; i < burners; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
		}
	return 0;
}
