/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench_explore.c - eqssim-bench-explore: the exploration figures, each
 * printed as a greppable SUMMARY line.
 *  - schedules per second, with the state cache and with plain re-execution
 *    (the baseline, measured in the same run);
 *  - time to explore the standard scenario (2 CPUs, user exit, 1 patch)
 *    completely at preemption bound 2, median of repeats;
 *  - the same under each memory model (sc, tso, arm-ifetch) for
 *    eqs_exit_sync_dsb, correct under all three, so each run is complete;
 *  - PCT: schedules needed to hit early_isb, over 20 seeds;
 *  - the ablation table of eqs_exit_sync_dsb under sc, tso and arm-ifetch
 *    at 2 CPUs: on the user path, and on each path alone (the default);
 *  - the smallest-fix search on eqs_exit_sync under arm-ifetch;
 *  - at scale (issue 11): the review's fix with 3 CPUs each taking the
 *    user path twice, 1 patch, under sc, unbounded (each state once), with
 *    and without sleep sets; the same with 4 CPUs; 2 shards of the 3-CPU
 *    search run side by side; 2 CPUs unbounded under tso and arm-ifetch.
 *    Each is given SCALE_SECONDS (argv[2], default 120): a run cut off
 *    there says complete=0 and how far it got.
 * Usage: eqssim-bench-explore [REPEATS [SCALE_SECONDS [scale]]] ("scale": only those).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "eqssim.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct eqs_explore_report r;

static int run(const char *variant, const struct eqs_explore_config *cfg)
{
	char err[EQS_ERRLEN];

	if (eqs_explore_run(eqs_variant_find(variant), cfg, &r, err, sizeof(err))) {
		fprintf(stderr, "bench_explore: %s: %s\n", variant, err);
		exit(1);
	}
	return 0;
}

static void standard(struct eqs_explore_config *cfg)
{
	eqs_explore_config_default(cfg);
	cfg->cpus = 2;
	cfg->nr_paths = 1;
	cfg->paths[0] = EQS_PATH_USER;
	cfg->patches = 1;
	cfg->preemptions = 2;
}

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The review's fix, cpus CPUs each taking the user path twice, 1 patch, unbounded. */
static void at_scale(struct eqs_explore_config *cfg, unsigned cpus, enum eqs_model model,
		     double seconds)
{
	eqs_explore_config_default(cfg);
	cfg->cpus = cpus;
	cfg->nr_paths = 2;
	cfg->paths[0] = cfg->paths[1] = EQS_PATH_USER;
	cfg->patches = 1;
	cfg->model = model;
	cfg->unbounded = true;
	cfg->max_schedules = 0;
	cfg->max_seconds = seconds;
	cfg->max_memory = 8ull << 30;
}

static void print_scale(const char *name, const char *variant, const struct eqs_explore_config *cfg,
			double goal_s, double goal_gib)
{
	printf("SUMMARY name=%s variant=%s model=%s cpus=%u paths=user,user reduce=%d "
	       "complete=%d verdict=%s seconds=%.2f schedules=%llu states=%llu "
	       "state_mib=%.1f goal_s=%g goal_gib=%g met=%d\n",
	       name, variant, eqs_model_name(cfg->model), cfg->cpus, cfg->reduce, r.complete,
	       eqs_verdict_name(r.verdict), r.seconds, (unsigned long long)r.schedules,
	       (unsigned long long)r.states, (double)r.state_bytes / (1 << 20), goal_s, goal_gib,
	       r.complete && r.seconds < goal_s &&
		       (double)r.state_bytes < goal_gib * (double)(1ull << 30));
	fflush(stdout);
}

/* Shards 0..n-1 of cfg's search side by side, one process each: the wall time to the last. */
static int sharded(const struct eqs_explore_config *cfg, unsigned n, double *wall,
		   uint64_t *schedules, uint64_t *states, bool *complete)
{
	int fds[8][2];
	pid_t pids[8];
	double start = wall_s();

	*schedules = *states = 0;
	*complete = true;
	for (unsigned i = 0; i < n && i < 8; i++) {
		if (pipe(fds[i]))
			return -1;
		pids[i] = fork();
		if (pids[i] < 0)
			return -1;
		if (!pids[i]) {
			struct eqs_explore_config one = *cfg;
			char err[EQS_ERRLEN];
			uint64_t out[3] = { 0, 0, 0 };

			one.shard_index = i;
			one.shard_count = n;
			if (!eqs_explore_run(eqs_variant_find("eqs_exit_sync"), &one, &r, err,
					     sizeof(err)))
				out[0] = r.schedules, out[1] = r.states, out[2] = r.complete;
			if (write(fds[i][1], out, sizeof(out)) != sizeof(out))
				_exit(1);
			_exit(0);
		}
		close(fds[i][1]);
	}
	for (unsigned i = 0; i < n && i < 8; i++) {
		uint64_t out[3] = { 0, 0, 0 };

		if (read(fds[i][0], out, sizeof(out)) != sizeof(out))
			*complete = false;
		close(fds[i][0]);
		waitpid(pids[i], NULL, 0);
		*schedules += out[0];
		*states += out[1];
		*complete &= out[2] != 0;
	}
	*wall = wall_s() - start;
	return 0;
}

static void scale_figures(double seconds)
{
	struct eqs_explore_config cfg;

	/* 3 CPUs under sc: unbounded, and with sleep sets. */
	at_scale(&cfg, 3, EQS_MODEL_SC, seconds);
	run("eqs_exit_sync", &cfg);
	print_scale("explore_unbounded_3cpu", "eqs_exit_sync", &cfg, 7, 4);
	double one = r.seconds;
	bool one_complete = r.complete;
	uint64_t one_states = r.states;

	cfg.reduce = true;
	run("eqs_exit_sync", &cfg);
	print_scale("explore_unbounded_3cpu", "eqs_exit_sync", &cfg, 7, 4);
	/* 4 CPUs under sc. */
	at_scale(&cfg, 4, EQS_MODEL_SC, seconds);
	run("eqs_exit_sync", &cfg);
	print_scale("explore_unbounded_4cpu", "eqs_exit_sync", &cfg, 60, 4);
	/* 2 shards of the 3-CPU search, one process each, side by side. */
	double wall;
	uint64_t schedules, states;
	bool complete;

	at_scale(&cfg, 3, EQS_MODEL_SC, seconds);
	if (!sharded(&cfg, 2, &wall, &schedules, &states, &complete))
		printf("SUMMARY name=explore_sharded_3cpu variant=eqs_exit_sync model=sc shards=2 "
		       "complete=%d wall_s=%.2f schedules=%llu states_summed=%llu "
		       "unsharded_s=%.2f unsharded_complete=%d unsharded_states=%llu speedup=%.2f\n",
		       complete, wall, (unsigned long long)schedules, (unsigned long long)states,
		       one, one_complete, (unsigned long long)one_states, one / wall);
	/* 2 CPUs under the weak models. */
	static const enum eqs_model weak[] = { EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };

	for (unsigned m = 0; m < 2; m++) {
		/* The review's fix is buggy under arm-ifetch: the dsb fix is correct under both. */
		const char *v = weak[m] == EQS_MODEL_TSO ? "eqs_exit_sync" : "eqs_exit_sync_dsb";

		at_scale(&cfg, 2, weak[m], seconds);
		run(v, &cfg);
		print_scale("explore_unbounded_2cpu", v, &cfg, 10, 4);
	}
}

int main(int argc, char **argv)
{
	int repeats = argc > 1 ? atoi(argv[1]) : 5;
	double scale_seconds = argc > 2 ? atof(argv[2]) : 120;
	struct eqs_explore_config cfg;
	double t[64];

	if (repeats < 1 || repeats > 64)
		repeats = 5;
	if (!(scale_seconds > 0))
		scale_seconds = 120;
	if (argc > 3 && !strcmp(argv[3], "scale")) {
		scale_figures(scale_seconds);
		return 0;
	}
	/* 1. Standard scenario, complete at bound 2, with the cache. */
	standard(&cfg);
	uint64_t schedules = 0, states = 0;

	for (int i = 0; i < repeats; i++) {
		run("eqs_exit_sync", &cfg);
		t[i] = r.seconds;
		schedules = r.schedules;
		states = r.states;
		if (!r.complete || r.verdict != EQS_VERDICT_MATCH) {
			fprintf(stderr, "bench_explore: standard scenario not explored cleanly\n");
			return 1;
		}
	}
	qsort(t, (size_t)repeats, sizeof(double), cmp_double);
	double cached_s = t[repeats / 2];

	printf("SUMMARY name=explore_standard_bound2 variant=eqs_exit_sync seconds_p50=%.4f "
	       "seconds_max=%.4f schedules=%llu states=%llu schedules_per_s=%.0f goal_s=1\n",
	       cached_s, t[repeats - 1], (unsigned long long)schedules, (unsigned long long)states,
	       (double)schedules / cached_s);

	/* 1b. Under each model, a variant correct under all three: every run complete. */
	static const enum eqs_model models[] = { EQS_MODEL_SC, EQS_MODEL_TSO,
						 EQS_MODEL_ARM_IFETCH };

	for (unsigned m = 0; m < 3; m++) {
		standard(&cfg);
		cfg.model = models[m];
		for (int i = 0; i < repeats; i++) {
			run("eqs_exit_sync_dsb", &cfg);
			t[i] = r.seconds;
			if (!r.complete || r.verdict != EQS_VERDICT_MATCH) {
				fprintf(stderr, "bench_explore: %s not explored cleanly\n",
					eqs_model_name(models[m]));
				return 1;
			}
		}
		qsort(t, (size_t)repeats, sizeof(double), cmp_double);
		printf("SUMMARY name=explore_standard_bound2_model model=%s variant=eqs_exit_sync_dsb "
		       "seconds_p50=%.4f seconds_min=%.4f seconds_max=%.4f schedules=%llu states=%llu "
		       "goal_s=1\n",
		       eqs_model_name(models[m]), t[repeats / 2], t[0], t[repeats - 1],
		       (unsigned long long)r.schedules, (unsigned long long)r.states);
	}
	standard(&cfg);

	/* 2. The same without the cache: the baseline. */
	cfg.no_state_cache = true;
	run("eqs_exit_sync", &cfg);
	printf("SUMMARY name=explore_standard_bound2_no_cache variant=eqs_exit_sync seconds=%.4f "
	       "schedules=%llu schedules_per_s=%.0f cache_speedup=%.1f\n",
	       r.seconds, (unsigned long long)r.schedules, (double)r.schedules / r.seconds,
	       r.seconds / cached_s);

	/* 3. PCT against the reviewed patch, 20 seeds. */
	double runs[20];
	double bound = 0;
	uint64_t runs99 = 0;
	int hit = 0;

	standard(&cfg);
	cfg.strategy = EQS_EXPLORE_PCT;
	cfg.preemptions = 1;
	cfg.runs = 1000000;
	for (int seed = 1; seed <= 20; seed++) {
		cfg.seed = (uint64_t)seed;
		run("early_isb", &cfg);
		runs[seed - 1] = r.first_violating_run ? (double)r.first_violating_run : 1e18;
		hit += r.first_violating_run > 0;
		bound = r.pct_probability;
		runs99 = r.pct_runs_99;
	}
	qsort(runs, 20, sizeof(double), cmp_double);
	printf("SUMMARY name=pct_early_isb seeds=20 hit=%d runs_p50=%.0f runs_p90=%.0f runs_max=%.0f "
	       "depth=2 bound_per_run=%.3g runs_for_99pct=%llu\n",
	       hit, runs[9], runs[17], runs[19], bound, (unsigned long long)runs99);

	/* 4. Ablation of the full arm64 fix, at 2 CPUs, under the same three models. */
	struct eqs_ablation *a = malloc(sizeof(*a));
	char err[EQS_ERRLEN];

	if (!a)
		return 1;
	for (int each = 0; each < 2; each++) {
		standard(&cfg);
		if (each)
			cfg.nr_paths = 0; /* each path alone */
		if (eqs_explore_ablate(eqs_variant_find("eqs_exit_sync_dsb"), &cfg, models, 3, a,
				       err, sizeof(err))) {
			fprintf(stderr, "bench_explore: ablation: %s\n", err);
			return 1;
		}
		unsigned needed = 0;

		for (unsigned i = 0; i < a->nr_rows; i++)
			for (unsigned m = 0; m < 3; m++)
				needed += a->rows[i].cell[models[m]].need == EQS_NEED_NEEDED;
		printf("SUMMARY name=ablation variant=eqs_exit_sync_dsb cpus=2 paths=%s models=3 "
		       "rows=%u needed_cells=%u explorations=%llu seconds=%.2f goal_s=30\n",
		       each ? "each" : "user", a->nr_rows, needed,
		       (unsigned long long)a->explorations, a->seconds);
	}
	free(a);

	/* 5. The smallest fix of the review's fix under arm-ifetch, 2 CPUs, each path alone. */
	struct eqs_fixes *f = malloc(sizeof(*f));

	if (!f)
		return 1;
	standard(&cfg);
	cfg.nr_paths = 0;
	if (eqs_explore_suggest_fix(eqs_variant_find("eqs_exit_sync"), &cfg, EQS_MODEL_ARM_IFETCH,
				    f, err, sizeof(err))) {
		fprintf(stderr, "bench_explore: suggest-fix: %s\n", err);
		return 1;
	}
	char spec[96];

	printf("SUMMARY name=suggest_fix variant=eqs_exit_sync model=arm-ifetch cpus=2 paths=each "
	       "fixes=%u first=%s edits_tried=%llu explorations=%llu seconds=%.2f\n",
	       f->nr_fixes,
	       f->nr_fixes ? eqs_edit_format(&f->fixes[0].edit, spec, sizeof(spec)) : "-",
	       (unsigned long long)f->candidates, (unsigned long long)f->explorations, f->seconds);
	free(f);
	scale_figures(scale_seconds);
	return 0;
}
