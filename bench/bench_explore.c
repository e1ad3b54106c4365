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
 *  - the smallest-fix search on eqs_exit_sync under arm-ifetch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	int repeats = argc > 1 ? atoi(argv[1]) : 5;
	struct eqs_explore_config cfg;
	double t[64];

	if (repeats < 1 || repeats > 64)
		repeats = 5;
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
	return 0;
}
