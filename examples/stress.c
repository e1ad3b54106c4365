/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stress.c - eqssim-stress: run protocol variants under stress and print
 * each one's verdict against its expectation for this host's model.
 *
 * Exit status: 0 iff every verdict is "match", 1 otherwise, 2 on bad usage.
 *
 * A campaign is the matrix of variants (in the order run) by seeds; with
 * --shard I/N a run takes only the cells k = variant * seeds + seed with
 * k % N == I, so N runs on N machines share it out and eqssim-merge puts
 * their --json lines back together (README, "Campaigns over many machines").
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "cli.h"
#include "cli_parse.h"
#include "eqssim.h"
#include "json.h"

#define TRACE_SHOWN 16	 /* steps of the offending CPU printed per violation */
#define MAX_SEEDS   1000 /* a report per cell is kept for the summary below the table */

const char *cli_prog = "eqssim-stress";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...\n"
		"Stress-test EQS text-patching protocol variants; print each verdict.\n"
		"With no options every built-in variant runs on a short budget.\n"
		"\n"
		"  --variant NAME[,NAME...]  run only these variants\n"
		"  --list-variants           list the variants and their expectations\n"
		"  --list-steps              list the named steps (for --delay)\n"
		"  --cpus N                  simulated CPUs (default: host CPUs, at least 2)\n"
		"  --duration SECONDS        budget per variant, a maximum (default 10): a run ends\n"
		"                            once its verdict is earned (a violation, or for a\n"
		"                            correct variant --min-races per path taken)\n"
		"  --min-duration SECONDS    a correct variant runs at least this long (default 0.25)\n"
		"  --full-budget             run the whole --duration even once the verdict is earned\n"
		"  --patches N               stop a variant after N patches\n"
		"  --seed N                  workload seed (default 1)\n"
		"  --seeds N                 run each variant with seeds SEED..SEED+N-1 (default 1,\n"
		"                            at most 1000), a row each\n"
		"  --shard I/N               run only cells k %% N == I of the variants x seeds\n"
		"                            matrix (k = variant * seeds + seed); with --json each\n"
		"                            row says its shard and cell, and a last line says the\n"
		"                            shard finished (for eqssim-merge)\n"
		"  --delay STEP=NS           delay up to NS ns (seeded) before STEP; repeatable\n"
		"  --min-races N             exercised races a correct variant needs on each path\n"
		"                            taken (default 30; for a sync that waits for every\n"
		"                            CPU, N per path taken in all)\n"
		"  --jitter N                max spins of jitter per step boundary (default 16, 0 off)\n"
		"  --no-aim                  do not aim races: EQS exits meet the patcher's windows\n"
		"                            by chance (default: each stay in EQS that can ends at\n"
		"                            the patcher's next write, plus a seeded offset)\n"
		"  --aim-spread NS           aimed offsets are uniform in [-NS, +NS] (default 100)\n"
		"  --sites N                 text sites (default 4)\n"
		"  --entry-patches PERCENT   share of patches that hit noinstr entry code (default 0);\n"
		"                            a protocol error unless the sync IPIs every CPU\n"
		"  --nohz-full LIST          nohz_full CPUs: all (default), none, or e.g. 0,2-3;\n"
		"                            user mode is an EQS only on these\n"
		"  --weight ACTION=N         workload weight of kernel, syscall, idle, irq, guest or nmi\n"
		"                            (default 3,3,2,1,2); repeatable\n"
		"  --stop-on-violation       with --full-budget: still end at the first violation\n"
		"  --trace-time              timestamp every step in violation traces (costs an\n"
		"                            rdtsc / cntvct read per step)\n"
		"  --idc, --dic              Arm cache type (CTR_EL0): the dc cvau (IDC) or the dc\n"
		"                            and the ic ivau (DIC) are not needed; arm64 only\n"
		"  --edit POINT=remove|weaken  run with one ordering point removed or weakened\n"
		"                            (as eqssim-explore --ablate names them)\n"
		"  --ablate                  each ordering point of the variant (found by a short\n"
		"                            exploration) removed or weakened in turn, on the host's\n"
		"                            real instructions: caught, clean, or inconclusive\n"
		"  --json                    one JSON object per variant per line\n"
		"  --help                    this text\n"
		"\n"
		"Exit status: 0 if every verdict is 'match', 1 if not, 2 for bad usage.\n",
		cli_prog);
}

static void list_variants(enum eqs_model model)
{
	printf("%-22s %-8s %-22s %s\n", "variant", eqs_model_name(model), "broken paths",
	       "summary");
	for (int i = 0; i < eqs_variant_count(); i++) {
		const struct eqs_variant *v = eqs_variant_at(i);
		const char *names[EQS_PATH_COUNT];
		int n = cli_path_names(eqs_variant_broken_paths(v), names);
		char paths[64];

		printf("%-22s %-8s %-22s %s\n", eqs_variant_name(v),
		       eqs_expect_name(eqs_variant_expect(v, model)),
		       cli_join(paths, sizeof(paths), names, n, "-"), eqs_variant_summary(v));
	}
}

static void list_steps(void)
{
	for (int s = 0; s < eqs_step_count(); s++)
		printf("%s%s\n", eqs_step_name(s),
		       eqs_step_in_patch_window(s) ? "  (patch window: no delay)" : "");
}

/* The names of the paths with violations, in path order; returns how many. */
static int violation_paths(const struct eqs_report *r, const char **names)
{
	unsigned mask = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		if (r->violations_on_path[p])
			mask |= EQS_PATH_BIT(p);
	return cli_path_names(mask, names);
}

/* Which part of the campaign this run takes: all of it, or cells k % count == index. */
struct shard {
	unsigned index, count;
	bool on;	 /* --shard given */
	char name[24];	 /* "I/N" */
	unsigned nseeds; /* --seeds */
};

static void print_header(const struct eqs_config *cfg, const struct shard *sh)
{
	uint64_t all = cfg->cpus >= 64 ? ~0ull : (1ull << cfg->cpus) - 1;
	uint64_t nohz = cfg->nohz_full & all;
	const char *nohz_desc = "some nohz_full";

	if (nohz == all)
		nohz_desc = "all nohz_full";
	else if (!nohz)
		nohz_desc = "no nohz_full CPU";

	printf("eqssim-stress: backend %s\n", eqs_backend());
	char seeds[64];

	if (sh->nseeds > 1)
		snprintf(seeds, sizeof(seeds), "seeds %llu..%llu", (unsigned long long)cfg->seed,
			 (unsigned long long)cfg->seed + sh->nseeds - 1);
	else
		snprintf(seeds, sizeof(seeds), "seed %llu", (unsigned long long)cfg->seed);
	printf("model %s, %u CPUs (%s), %s, at most %.2f s per variant, min races %u per path\n",
	       eqs_model_name(eqs_host_model()), cfg->cpus, nohz_desc, seeds, cfg->duration_s,
	       cfg->min_races);
	if (cfg->aim)
		printf("aimed races: EQS exits timed at the patcher's next write, offsets within "
		       "+-%u ns\n",
		       cfg->aim_spread_ns);
	else
		printf("races not aimed (--no-aim): exits meet the patcher's windows by chance\n");
	if (sh->on)
		printf("shard %s: the cells k %% %u == %u of the variants x seeds matrix\n",
		       sh->name, sh->count, sh->index);
	printf("\n");
	char by_path[64] = "races";

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		snprintf(by_path + strlen(by_path), sizeof(by_path) - strlen(by_path), "%c%s",
			 p ? '/' : ' ', eqs_path_name((enum eqs_path)p));
	if (sh->nseeds > 1)
		printf("%-8s ", "seed");
	printf("%-20s %-7s %-12s %-8s %8s %-15s %7s %-34s %8s %8s %8s %8s %9s %9s %9s %10s "
	       "%s\n",
	       "variant", "expect", "verdict", "protocol", "viol", "viol paths", "races", by_path,
	       "patches", "ipi sent", "skipped", "deferred", "disturbed", "sync p50", "sync p99",
	       "first viol", "aimed/in window");
}

static void fmt_ns(char *buf, size_t len, int64_t ns)
{
	if (ns < 0)
		snprintf(buf, len, "-");
	else if (ns < 10000)
		snprintf(buf, len, "%lldns", (long long)ns);
	else if (ns < 10000000)
		snprintf(buf, len, "%.1fus", (double)ns / 1e3);
	else
		snprintf(buf, len, "%.1fms", (double)ns / 1e6);
}

static void print_row(const struct eqs_report *r, bool seed_column)
{
	const char *names[EQS_PATH_COUNT];
	int nr_paths = violation_paths(r, names);
	char paths[64], p50[16], p99[16], first[16];

	cli_join(paths, sizeof(paths), names, nr_paths, "-");
	fmt_ns(p50, sizeof(p50), (int64_t)r->sync_ns_p50);
	fmt_ns(p99, sizeof(p99), (int64_t)r->sync_ns_p99);
	fmt_ns(first, sizeof(first), r->first_violation_ns);
	char by_path[96];
	size_t n = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		n += (size_t)snprintf(by_path + n, sizeof(by_path) - n, "%s%llu", p ? "/" : "",
				      (unsigned long long)r->exercised_races_on_path[p]);
	if (seed_column)
		printf("%-8llu ", (unsigned long long)r->seed);
	printf("%-20s %-7s %-12s %-8s %8llu %-15s %7llu %-34s %8llu %8llu %8llu %8llu %9llu %9s "
	       "%9s %10s %llu/%llu\n",
	       eqs_variant_name(r->variant), eqs_expect_name(r->expected),
	       eqs_verdict_name(r->verdict), r->protocol_errors ? "ERROR" : "ok",
	       (unsigned long long)r->violations, paths, (unsigned long long)r->exercised_races,
	       by_path, (unsigned long long)r->patches, (unsigned long long)r->ipis_sent,
	       (unsigned long long)r->ipis_skipped, (unsigned long long)r->ipis_deferred,
	       (unsigned long long)r->eqs_disturbed, p50, p99, first,
	       (unsigned long long)r->aimed_exits, (unsigned long long)r->aimed_in_window);
	fflush(stdout);
}

/* A hang: where each thread stood, its last steps oldest first. */
static void print_hang(const struct eqs_report *r)
{
	printf("  %s: %s; each thread's last steps:\n", eqs_variant_name(r->variant), r->message);
	for (unsigned i = 0; i < r->nr_hang_threads; i++) {
		const struct eqs_hang_trace *h = &r->hang[i];
		char name[16];

		if (h->thread == EQS_HANG_PATCHER)
			snprintf(name, sizeof(name), "patcher");
		else
			snprintf(name, sizeof(name), "cpu%u", h->thread);
		printf("    %-8s", name);
		for (unsigned k = 0; k < h->nr_steps; k++)
			printf(" %s", eqs_step_name(h->steps[k]));
		printf("\n");
	}
}

/* The first violation and the interleaving that led to it. */
static void print_violation(const struct eqs_report *r)
{
	const struct eqs_violation *v = &r->records[0];
	unsigned from = v->nr_trace > TRACE_SHOWN ? v->nr_trace - TRACE_SHOWN : 0;

	printf("  %s: cpu%u executed site %u at generation %u after the sync of %u had completed (path %s, %.3f ms into the run); its last steps:\n",
	       eqs_variant_name(r->variant), v->cpu, v->site, v->fetched, v->synced,
	       eqs_path_name(v->path), (double)v->ns / 1e6);
	for (unsigned i = from; i < v->nr_trace; i++) {
		if (v->trace[i].ns) /* --trace-time */
			printf("    %12.3f us  %s\n", (double)v->trace[i].ns / 1e3,
			       eqs_step_name(v->trace[i].step));
		else
			printf("    %3u  %s\n", i - from + 1, eqs_step_name(v->trace[i].step));
	}
}

/* One row; with --shard, which shard ran it and its cell k in the matrix. */
static void print_json(const struct eqs_report *r, const struct shard *sh, unsigned long long cell)
{
	const char *paths[EQS_PATH_COUNT];
	int nr_paths = violation_paths(r, paths);
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "variant", eqs_variant_name(r->variant));
	json_string(&j, "model", eqs_model_name(r->model));
	json_string(&j, "expected", eqs_expect_name(r->expected));
	json_string(&j, "verdict", eqs_verdict_name(r->verdict));
	json_uint(&j, "violations", r->violations);
	json_string_array(&j, "violation_paths", paths, nr_paths);
	json_uint(&j, "exercised_races", r->exercised_races);
	json_begin_object(&j, "exercised_races_on_path");
	for (int p = 0; p < EQS_PATH_COUNT; p++)
		json_uint(&j, eqs_path_name((enum eqs_path)p), r->exercised_races_on_path[p]);
	json_end_object(&j);
	json_uint(&j, "syncs_leaving_out", r->syncs_leaving_out);
	json_uint(&j, "patches", r->patches);
	json_uint(&j, "ipis_sent", r->ipis_sent);
	json_uint(&j, "ipis_skipped", r->ipis_skipped);
	json_uint(&j, "ipis_deferred", r->ipis_deferred);
	json_uint(&j, "eqs_disturbed", r->eqs_disturbed);
	json_uint(&j, "eqs_exits", r->eqs_exits);
	json_uint(&j, "aimed_exits", r->aimed_exits);
	json_uint(&j, "aimed_in_window", r->aimed_in_window);
	json_uint(&j, "entry_patches", r->entry_patches);
	json_uint(&j, "protocol_errors", r->protocol_errors);
	json_uint(&j, "entry_violations", r->entry_violations);
	json_uint(&j, "sync_ns_p50", r->sync_ns_p50);
	json_uint(&j, "sync_ns_p99", r->sync_ns_p99);
	if (r->first_violation_ns < 0)
		json_null(&j, "first_violation_ns");
	else
		json_int(&j, "first_violation_ns", r->first_violation_ns);
	json_string(&j, "arch", cli_arch_name());
	json_string(&j, "backend", r->backend);
	json_uint(&j, "cpus", r->cpus);
	json_uint(&j, "seed", r->seed);
	json_double(&j, "seconds", r->seconds, 3);
	json_string(&j, "message", r->message);
	json_bool(&j, "hung", r->hung);
	if (r->hung) {
		if (r->hung_thread == EQS_HANG_PATCHER)
			json_string(&j, "hung_thread", "patcher");
		else
			json_uint(&j, "hung_thread", r->hung_thread);
		json_uint(&j, "threads_left", r->threads_left);
		json_begin_array(&j, "hang");
		for (unsigned i = 0; i < r->nr_hang_threads; i++) {
			const struct eqs_hang_trace *h = &r->hang[i];

			json_begin_object(&j, NULL);
			if (h->thread == EQS_HANG_PATCHER)
				json_string(&j, "thread", "patcher");
			else
				json_uint(&j, "thread", h->thread);
			json_begin_array(&j, "last_steps");
			for (unsigned k = 0; k < h->nr_steps; k++)
				json_string(&j, NULL, eqs_step_name(h->steps[k]));
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
	}
	if (r->nr_records) {
		const struct eqs_violation *v = &r->records[0];

		json_begin_object(&j, "first_violation");
		json_uint(&j, "cpu", v->cpu);
		json_uint(&j, "site", v->site);
		json_uint(&j, "fetched", v->fetched);
		json_uint(&j, "synced", v->synced);
		json_string(&j, "path", eqs_path_name(v->path));
		json_begin_array(&j, "trace");
		for (unsigned i = 0; i < v->nr_trace; i++)
			json_string(&j, NULL, eqs_step_name(v->trace[i].step));
		json_end_array(&j);
		json_end_object(&j);
	}
	if (sh->on) {
		json_string(&j, "shard", sh->name);
		json_uint(&j, "cell", cell);
	}
	json_end_object(&j);
	putchar('\n');
	fflush(stdout);
}

/* " (seed N)" after a variant's name when the seeds tell its rows apart. */
static const char *seed_text(const struct eqs_report *r, const struct shard *sh)
{
	static char buf[32];

	buf[0] = '\0';
	if (sh->nseeds > 1)
		snprintf(buf, sizeof(buf), " (seed %llu)", (unsigned long long)r->seed);
	return buf;
}

/* A stress run of v with one edit: caught, clean with its races, or inconclusive. */
static const char *stress_word(const struct eqs_report *r)
{
	if (r->violations || r->hung)
		return "NEEDED";
	return r->verdict == EQS_VERDICT_MATCH ? "clean" : "inconclusive";
}

/*
 * --ablate: the rows an exploration finds, each run on the host's
 * instructions.  "Not needed" here means clean with the races a correct
 * verdict needs, within the budget: evidence, not exploration's proof.
 */
static int ablate_all(const struct eqs_variant *const *variants, int nr_variants,
		      const struct eqs_config *base, bool json)
{
	struct eqs_ablation *a = malloc(sizeof(*a));
	struct eqs_report *r = malloc(sizeof(*r));
	struct eqs_explore_config ecfg;
	char err[EQS_ERRLEN], spec[96];

	if (!a || !r)
		return 1;
	if (base->edit.kind != EQS_EDIT_NONE)
		cli_bad_usage("--ablate makes its own edits");
	eqs_explore_config_default(&ecfg);
	ecfg.ctr_idc = base->ctr_idc;
	ecfg.ctr_dic = base->ctr_dic;
	for (int i = 0; i < nr_variants; i++) {
		struct eqs_config cfg = *base;

		if (eqs_explore_ablation_rows(variants[i], &ecfg, a, err, sizeof(err)) ||
		    eqs_stress_run(variants[i], &cfg, r, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", cli_prog, eqs_variant_name(variants[i]),
				err);
			return 1;
		}
		if (!json)
			printf("ablation of %s on %s (model %s), %u CPUs, up to %.1f s a row\n"
			       "  %-50s %s (%s)\n",
			       eqs_variant_name(variants[i]), eqs_backend(),
			       eqs_model_name(eqs_host_model()), cfg.cpus, cfg.duration_s,
			       "as written", eqs_verdict_name(r->verdict), r->message);
		if (!a->nr_rows && !json)
			printf("  no ordering point found (not explorable: %s)\n",
			       eqs_variant_name(variants[i]));
		for (unsigned k = 0; k < a->nr_rows; k++) {
			cfg.edit = a->rows[k].edit;
			if (eqs_stress_run(variants[i], &cfg, r, err, sizeof(err))) {
				fprintf(stderr, "%s: %s: %s\n", cli_prog, a->rows[k].name, err);
				return 1;
			}
			eqs_edit_format(&cfg.edit, spec, sizeof(spec));
			if (json)
				printf("{\"variant\":\"%s\",\"point\":\"%s\",\"edit\":\"%s\","
				       "\"model\":\"%s\",\"need\":\"%s\",\"violations\":%llu,"
				       "\"exercised_races\":%llu,\"seconds\":%.2f}\n",
				       eqs_variant_name(variants[i]), a->rows[k].name, spec,
				       eqs_model_name(eqs_host_model()), stress_word(r),
				       (unsigned long long)r->violations,
				       (unsigned long long)r->exercised_races, r->seconds);
			else
				printf("  %-50s %-12s %llu violations, %llu races, %.2f s  (--edit %s)\n",
				       a->rows[k].name, stress_word(r),
				       (unsigned long long)r->violations,
				       (unsigned long long)r->exercised_races, r->seconds, spec);
			fflush(stdout);
		}
	}
	if (!json)
		printf("  NEEDED: caught without it.  clean: no violation and the races a correct "
		       "verdict needs,\n  within the budget: evidence, not proof (eqssim-explore "
		       "--ablate explores every schedule).\n");
	free(a);
	free(r);
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_LIST_VARIANTS = 256,
		OPT_LIST_STEPS,
		OPT_CPUS,
		OPT_DURATION,
		OPT_PATCHES,
		OPT_SEED,
		OPT_DELAY,
		OPT_MIN_RACES,
		OPT_JITTER,
		OPT_SITES,
		OPT_ENTRY,
		OPT_STOP,
		OPT_FULL,
		OPT_MIN_DURATION,
		OPT_JSON,
		OPT_VARIANT,
		OPT_HELP,
		OPT_NOHZ,
		OPT_WEIGHT,
		OPT_TRACE_TIME,
		OPT_IDC,
		OPT_DIC,
		OPT_EDIT,
		OPT_ABLATE,
		OPT_SEEDS,
		OPT_SHARD,
		OPT_NO_AIM,
		OPT_AIM_SPREAD
	};
	static const struct option longopts[] = {
		{ "variant", required_argument, NULL, OPT_VARIANT },
		{ "list-variants", no_argument, NULL, OPT_LIST_VARIANTS },
		{ "list-steps", no_argument, NULL, OPT_LIST_STEPS },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "patches", required_argument, NULL, OPT_PATCHES },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "seeds", required_argument, NULL, OPT_SEEDS },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "min-races", required_argument, NULL, OPT_MIN_RACES },
		{ "jitter", required_argument, NULL, OPT_JITTER },
		{ "no-aim", no_argument, NULL, OPT_NO_AIM },
		{ "aim-spread", required_argument, NULL, OPT_AIM_SPREAD },
		{ "sites", required_argument, NULL, OPT_SITES },
		{ "entry-patches", required_argument, NULL, OPT_ENTRY },
		{ "nohz-full", required_argument, NULL, OPT_NOHZ },
		{ "weight", required_argument, NULL, OPT_WEIGHT },
		{ "stop-on-violation", no_argument, NULL, OPT_STOP },
		{ "full-budget", no_argument, NULL, OPT_FULL },
		{ "min-duration", required_argument, NULL, OPT_MIN_DURATION },
		{ "trace-time", no_argument, NULL, OPT_TRACE_TIME },
		{ "idc", no_argument, NULL, OPT_IDC },
		{ "dic", no_argument, NULL, OPT_DIC },
		{ "edit", required_argument, NULL, OPT_EDIT },
		{ "ablate", no_argument, NULL, OPT_ABLATE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const struct eqs_variant *variants[64];
	int nr_variants = 0;
	struct eqs_config cfg;
	char err[EQS_ERRLEN];
	bool json = false, ablate = false;
	struct shard sh = { .index = 0, .count = 1, .nseeds = 1 };
	unsigned long long n;
	int opt, before = optind;
	static struct campaign campaign; /* argv as given, for a shard's last line */

	if (campaign_init(&campaign, argc, argv)) {
		fprintf(stderr, "%s: out of memory\n", cli_prog);
		return 1;
	}
	eqs_config_default(&cfg);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int from = before;

		before = optind;
		switch (opt) {
		case OPT_VARIANT:
			nr_variants = cli_parse_variants(optarg, variants, 64, "--list-variants");
			break;
		case OPT_LIST_VARIANTS:
			list_variants(eqs_host_model());
			return 0;
		case OPT_LIST_STEPS:
			list_steps();
			return 0;
		case OPT_CPUS:
			n = cli_parse_count("--cpus", optarg, 1, EQS_MAX_CPUS);
			cfg.cpus = (unsigned)n;
			break;
		case OPT_DURATION:
			cli_check(cli_seconds("--duration", optarg, &cfg.duration_s, err,
					      sizeof(err)),
				  err);
			break;
		case OPT_PATCHES:
			cfg.patches = cli_parse_count("--patches", optarg, 1, ~0ull);
			break;
		case OPT_SEED:
			cfg.seed = cli_parse_count("--seed", optarg, 0, ~0ull);
			break;
		case OPT_SEEDS:
			sh.nseeds = (unsigned)cli_parse_count("--seeds", optarg, 1, MAX_SEEDS);
			break;
		case OPT_SHARD:
			cli_check(cli_shard("--shard", optarg, &sh.index, &sh.count, err,
					    sizeof(err)),
				  err);
			sh.on = true;
			snprintf(sh.name, sizeof(sh.name), "%u/%u", sh.index, sh.count);
			campaign_skip(&campaign, argv, from, optind);
			break;
		case OPT_DELAY:
			if (eqs_config_set_delay(&cfg, optarg, err, sizeof(err)))
				cli_bad_usage("%s", err);
			break;
		case OPT_MIN_RACES:
			n = cli_parse_count("--min-races", optarg, 1, 1000000000ull);
			cfg.min_races = (unsigned)n;
			break;
		case OPT_JITTER:
			n = cli_parse_count("--jitter", optarg, 0, 100000);
			cfg.jitter = (uint32_t)n;
			break;
		case OPT_NO_AIM:
			cfg.aim = false;
			break;
		case OPT_AIM_SPREAD:
			n = cli_parse_count("--aim-spread", optarg, 0, 1000000);
			cfg.aim_spread_ns = (uint32_t)n;
			break;
		case OPT_SITES:
			n = cli_parse_count("--sites", optarg, 1, EQS_MAX_SITES);
			cfg.sites = (unsigned)n;
			break;
		case OPT_NOHZ:
			cli_check(cli_cpu_list("--nohz-full", optarg, &cfg.nohz_full, err,
					       sizeof(err)),
				  err);
			break;
		case OPT_WEIGHT:
			cli_check(cli_weight("--weight", optarg, &cfg, err, sizeof(err)), err);
			break;
		case OPT_ENTRY:
			n = cli_parse_count("--entry-patches", optarg, 0, 100);
			cfg.entry_patch_percent = (unsigned)n;
			break;
		case OPT_STOP:
			cfg.stop_on_violation = true;
			break;
		case OPT_FULL:
			cfg.full_budget = true;
			break;
		case OPT_MIN_DURATION:
			cli_check(cli_seconds("--min-duration", optarg, &cfg.min_duration_s, err,
					      sizeof(err)),
				  err);
			break;
		case OPT_IDC:
			cfg.ctr_idc = true;
			break;
		case OPT_DIC:
			cfg.ctr_dic = true;
			break;
		case OPT_TRACE_TIME:
			cfg.trace_time = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_EDIT:
			cli_check(eqs_edit_parse(optarg, &cfg.edit, err, sizeof(err)), err);
			break;
		case OPT_ABLATE:
			ablate = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			cli_option_error(opt, argv);
		}
	}
	cli_no_operands(argc, argv);
	if (cfg.nohz_full != ~0ull && cfg.cpus < 64 && (cfg.nohz_full >> cfg.cpus))
		cli_bad_usage("--nohz-full names a CPU beyond --cpus %u", cfg.cpus);
	if (eqs_config_check(&cfg, err, sizeof(err)))
		cli_bad_usage("%s", err);
	if (cfg.seed + sh.nseeds - 1 < cfg.seed)
		cli_bad_usage("--seed %llu --seeds %u: the seeds run past %llu",
			      (unsigned long long)cfg.seed, sh.nseeds, ~0ull);
	if (!nr_variants)
		nr_variants = cli_all_variants(variants, 64);
	if (ablate && (sh.on || sh.nseeds > 1))
		cli_bad_usage("--ablate runs one seed, unsharded: not with --seeds or --shard");
	if (ablate)
		return ablate_all(variants, nr_variants, &cfg, json);

	if (!json)
		print_header(&cfg, &sh);
	const unsigned long long cells = (unsigned long long)nr_variants * sh.nseeds;
	const uint64_t first_seed = cfg.seed;
	int matched = 0, ran = 0;
	struct eqs_report *reports = calloc(cells / sh.count + 1, sizeof(*reports));

	if (!reports) {
		fprintf(stderr, "%s: out of memory\n", cli_prog);
		return 1;
	}
	for (unsigned long long k = sh.index; k < cells; k += sh.count) {
		const struct eqs_variant *v = variants[k / sh.nseeds];
		struct eqs_report *r = &reports[ran];

		cfg.seed = first_seed + k % sh.nseeds;
		if (eqs_stress_run(v, &cfg, r, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", cli_prog, eqs_variant_name(v), err);
			free(reports);
			return 1;
		}
		ran++;
		matched += r->verdict == EQS_VERDICT_MATCH && !r->protocol_errors;
		if (json)
			print_json(r, &sh, k);
		else
			print_row(r, sh.nseeds > 1);
	}
	if (json && sh.on) {
		char *text = campaign_text(&campaign);

		if (!text) {
			fprintf(stderr, "%s: out of memory\n", cli_prog);
			free(reports);
			return 1;
		}
		campaign_print_finished(sh.name, ran, text);
		free(text);
	}
	if (!json) {
		printf("\n");
		for (int i = 0; i < ran; i++)
			if (reports[i].verdict != EQS_VERDICT_MATCH)
				printf("  %s%s: %s\n", eqs_variant_name(reports[i].variant),
				       seed_text(&reports[i], &sh), reports[i].message);
		for (int i = 0; i < ran; i++)
			if (reports[i].protocol_errors)
				printf("  %s: protocol error: %llu of %llu entry-code patches synced without "
				       "an IPI to every CPU (%llu stale entry executions seen)\n",
				       eqs_variant_name(reports[i].variant),
				       (unsigned long long)reports[i].protocol_errors,
				       (unsigned long long)reports[i].entry_patches,
				       (unsigned long long)reports[i].entry_violations);
		for (int i = 0; i < ran; i++)
			if (reports[i].nr_records)
				print_violation(&reports[i]);
		for (int i = 0; i < ran; i++)
			if (reports[i].hung)
				print_hang(&reports[i]);
		printf("\n%d of %d %s judged as expected (model %s)\n", matched, ran,
		       sh.on || sh.nseeds > 1 ? "runs" : "variants",
		       eqs_model_name(eqs_host_model()));
	}
	free(reports);
	return matched == ran ? 0 : 1;
}
