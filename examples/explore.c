/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explore.c - eqssim-explore: run every interleaving of a small scenario
 * (or PCT's random ones) for protocol variants, under each memory model
 * the variant has an expectation for (sc, tso, arm-ifetch), and print the
 * first violating schedule step by step.
 *
 * Exit status: 0 iff every verdict matches the variant's expectation for
 * its model (variants not explorable count as n/a), 1 otherwise, 2 on bad
 * usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ablation_table.h"
#include "campaign.h"
#include "cli.h"
#include "cli_parse.h"
#include "eqssim.h"
#include "json.h"

const char *cli_prog = "eqssim-explore";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [OPTION]...\n"
		"Explore the interleavings of a small scenario for protocol variants, under\n"
		"each memory model they have an expectation for: sc (sequentially consistent:\n"
		"logic races), tso (x86 store buffers), arm-ifetch (Arm's instruction-fetch\n"
		"rules: stores visible in the order barriers allow, isb waits for none).\n"
		"\n"
		"  --variant NAME[,NAME...]  variants to explore (default: every built-in)\n"
		"  --model LIST              models to explore under: sc, tso, arm-ifetch\n"
		"                            (default: each the variant has an expectation for)\n"
		"  --cpus N                  simulated CPUs, 1..%d (default 2)\n"
		"  --paths LIST              EQS paths each CPU takes, in order: user, idle,\n"
		"                            irq, guest, uirq, nmi (default: each alone, in turn)\n"
		"  --patches N               patches, 1 or 2 (default 1)\n"
		"  --nmis N                  NMIs that may arrive at any step of any CPU, 0..4\n"
		"                            (default 0; pending IPIs arrive at any step anyway)\n"
		"  --strategy dfs|pct        exhaustive with a preemption bound, or PCT (default dfs)\n"
		"  --preemptions K           dfs: highest bound, tried 0..K (default 2); pct: depth d-1\n"
		"  --preemptions unbounded   dfs: no bound, each reachable state explored once (a\n"
		"                            stateful search: complete means every state was seen;\n"
		"                            limited only by --max-seconds and --max-memory)\n"
		"  --reduce                  unbounded: partial-order reduction by sleep sets (of two\n"
		"                            orders of commuting steps, one is explored on); every\n"
		"                            state is still explored, by fewer schedules\n"
		"  --max-memory MIB          the state table's limit, MiB (default 4096); past it an\n"
		"                            unbounded search stops incomplete\n"
		"  --shard I/N               dfs: explore only shard I of N of each search tree (split\n"
		"                            by its first choices into disjoint subtrees); with --json\n"
		"                            each row says its shard and a last line that the shard\n"
		"                            finished (merge the shards with eqssim-merge)\n"
		"  --shard-by tree|rows      what --shard splits: each search tree (default), or the\n"
		"                            rows (variant x model), row r to shard r %% N: with the\n"
		"                            state cache the subtrees share most states, rows do not\n"
		"  --quiet                   no status line on stderr during long runs\n"
		"  --runs N                  pct: schedules to try (default 10000)\n"
		"  --seed N                  pct: seed (default 1)\n"
		"  --max-seconds S           give up (incomplete) after S seconds per variant (default 120)\n"
		"  --replay SCHEDULE         run exactly this schedule (as printed), one variant\n"
		"  --no-state-cache          dfs: re-run every schedule instead of pruning states\n"
		"                            already explored (for a variant with globals of its own)\n"
		"  --idc, --dic              Arm cache type (CTR_EL0): the dc cvau (IDC) or the dc\n"
		"                            and the ic ivau (DIC) are not needed\n"
		"  --edit EDIT               explore with an ordering point removed, weakened or\n"
		"                            strengthened (POINT=remove|weaken|strengthen), or a\n"
		"                            block inserted (before:POINT=isb|dmb|dsb), as --ablate\n"
		"                            and --suggest-fix print them; up to two\n"
		"  --ablate                  for each ordering point of the variant (each barrier\n"
		"                            block's call, each update's ordering): explore it\n"
		"                            removed, or weakened one step, under each model: is it\n"
		"                            needed?\n"
		"  --suggest-fix             for a buggy variant: the cheapest single edits (a\n"
		"                            block inserted at a step boundary, an update made\n"
		"                            stronger) that make it clean under each --model\n"
		"                            (default: each it is expected buggy under)\n"
		"  --json                    one JSON object per variant per line\n"
		"  --emit-litmus             print the variant's EQS-exit shape (on the one --paths\n"
		"                            path, default user) as a litmus test for\n"
		"                            herd7 -variant ifetch, and explore nothing\n"
		"  --help                    this text\n"
		"\n"
		"Exit status: 0 if every verdict matches, 1 if not, 2 for bad usage.\n",
		cli_prog, EQS_EXPLORE_MAX_CPUS);
}

/* The scenario's --paths as text, or empty for each path alone. */
static const char *scenario_paths(const struct eqs_explore_config *cfg, char *buf, size_t len)
{
	const char *names[EQS_EXPLORE_MAX_PATHS];

	for (unsigned i = 0; i < cfg->nr_paths; i++)
		names[i] = eqs_path_name(cfg->paths[i]);
	return cli_join(buf, len, names, (int)cfg->nr_paths, "");
}

/* --emit-litmus: one variant, one path (user unless --paths names another). */
static int emit_litmus(const struct eqs_variant *const *variants, int nr_variants,
		       const struct eqs_explore_config *cfg)
{
	static char buf[4096];
	char err[EQS_ERRLEN];

	if (nr_variants != 1)
		cli_bad_usage("--emit-litmus needs exactly one --variant");
	if (cfg->nr_paths > 1)
		cli_bad_usage("--emit-litmus takes one path in --paths");
	if (eqs_explore_litmus(variants[0], cfg->nr_paths ? cfg->paths[0] : EQS_PATH_USER, buf,
			       sizeof(buf), err, sizeof(err)))
		cli_bad_usage("--emit-litmus: %s", err);
	fputs(buf, stdout);
	return 0;
}

static const char *thread_name(uint8_t thread, char *buf, size_t len)
{
	if (thread == EQS_EXPLORE_PATCHER)
		return "patcher";
	snprintf(buf, len, "cpu%u", thread);
	return buf;
}

/* A store that became visible to the other threads, in words. */
static void store_text(const struct eqs_explore_step *s, char *buf, size_t len)
{
	unsigned i = EQS_EXPLORE_LOC_INDEX(s->value2);

	switch (EQS_EXPLORE_LOC_KIND(s->value2)) {
	case EQS_LOC_RCU_WORD:
		snprintf(buf, len, "now visible: cpu%u's RCU word = 0x%x", i, s->value);
		break;
	case EQS_LOC_TEXT:
		snprintf(buf, len, "now visible: text of site %u = generation %u", i, s->value);
		break;
	case EQS_LOC_SYNCED:
		snprintf(buf, len, "now visible: synced[%u] = %u", i, s->value);
		break;
	case EQS_LOC_IPI_ACK:
		snprintf(buf, len, "now visible: cpu%u's IPI ack = %u", i, s->value);
		break;
	case EQS_LOC_OTHER:
	default:
		snprintf(buf, len, "now visible: a word = %u", s->value);
		break;
	}
}

/* What a step read, in words. */
static void step_value_text(const struct eqs_explore_step *s, char *buf, size_t len)
{
	const char *name = eqs_step_name(s->step);

	buf[0] = '\0';
	if (!s->has_value)
		return;
	if (!strcmp(name, "read_dynticks"))
		snprintf(buf, len, "cpu%u's RCU word: 0x%x", s->value2, s->value);
	else if (!strcmp(name, "special_set") || !strcmp(name, "ct_work_set"))
		snprintf(buf, len, "cpu%u: %s", s->value2, s->value ? "deferred" : "refused: IPI");
	else if (!strcmp(name, "exec_text"))
		snprintf(buf, len, "ran generation %u, synced %u%s", s->value, s->value2,
			 s->value < s->value2 ? "   <-- stale" : "");
	else if (!strcmp(name, "publish"))
		snprintf(buf, len, "synced = %u", s->value);
	else if (!strcmp(name, "store_visible"))
		store_text(s, buf, len);
	else
		snprintf(buf, len, "fetched generation %u", s->value);
}

static void print_counterexample(const struct eqs_explore_report *r,
				 const struct eqs_explore_config *cfg)
{
	char path_arg[64];

	scenario_paths(cfg, path_arg, sizeof(path_arg));
	if (!cfg->nr_paths) /* each path alone: the one that showed it */
		snprintf(path_arg, sizeof(path_arg), "%s", eqs_path_name(r->cx_path));
	char tbuf[16], vbuf[96];

	if (r->violations)
		printf("  first violating schedule (%u preemption%s), path %s, cpu%u ran generation "
		       "%u after the sync of %u:\n",
		       r->cx_preemptions, r->cx_preemptions == 1 ? "" : "s",
		       eqs_path_name(r->cx_violation.path), r->cx_violation.cpu,
		       r->cx_violation.fetched, r->cx_violation.synced);
	else
		printf("  a schedule that hangs (%u preemption%s): every live thread ends blocked\n",
		       r->cx_preemptions, r->cx_preemptions == 1 ? "" : "s");
	for (unsigned i = 0; i < r->cx_nr_steps; i++) {
		const struct eqs_explore_step *s = &r->cx_steps[i];

		step_value_text(s, vbuf, sizeof(vbuf));
		printf("  %4u  %-8s %-22s %s\n", i + 1, thread_name(s->thread, tbuf, sizeof(tbuf)),
		       eqs_step_name(s->step), vbuf);
	}
	printf("  replay: %s --variant %s --model %s --cpus %u --paths %s --patches %u --nmis %u%s%s "
	       "--replay '%s'\n",
	       cli_prog, eqs_variant_name(r->variant), eqs_model_name(r->model), cfg->cpus,
	       path_arg, cfg->patches, cfg->nmis, cfg->ctr_idc ? " --idc" : "",
	       cfg->ctr_dic ? " --dic" : "", r->cx_schedule);
}

/* The models other than this one where the variant is expected to fail; returns how many. */
static int fails_elsewhere(const struct eqs_variant *v, enum eqs_model here, const char **names)
{
	int n = 0;

	for (int m = 0; m < EQS_MODEL_COUNT; m++)
		if (m != (int)here && m != EQS_MODEL_C11 &&
		    eqs_variant_expect(v, (enum eqs_model)m) == EQS_EXPECT_BUG)
			names[n++] = eqs_model_name((enum eqs_model)m);
	return n;
}

static void print_text(const struct eqs_explore_report *r, const struct eqs_explore_config *cfg)
{
	const char *models[EQS_MODEL_COUNT];
	int nr_models = fails_elsewhere(r->variant, r->model, models);
	char elsewhere[64];

	char bound[24];

	if (r->unbounded)
		snprintf(bound, sizeof(bound), "unbounded");
	else
		snprintf(bound, sizeof(bound), "bound %u", r->preemption_bound);
	printf("%-20s %-10s %-8s %-13s %8llu schedules %7llu states  %-10s %-9s %6.2f s",
	       eqs_variant_name(r->variant), eqs_model_name(r->model), eqs_expect_name(r->expected),
	       eqs_verdict_name(r->verdict), (unsigned long long)r->schedules,
	       (unsigned long long)r->states, r->complete ? "complete" : "incomplete", bound,
	       r->seconds);
	if (r->expected == EQS_EXPECT_OK && nr_models)
		printf("  (expected to fail under %s)",
		       cli_join(elsewhere, sizeof(elsewhere), models, nr_models, ""));
	printf("\n");
	if (cfg->edit.kind != EQS_EDIT_NONE) {
		char spec[96], spec2[96] = "";

		if (cfg->edit2.kind != EQS_EDIT_NONE)
			eqs_edit_format(&cfg->edit2, spec2, sizeof(spec2));
		printf("  edited (%s%s%s): no expectation applies; %s\n",
		       eqs_edit_format(&cfg->edit, spec, sizeof(spec)), spec2[0] ? ", " : "", spec2,
		       r->violations ? "a schedule violates"
		       : r->complete ? "clean, complete"
				     : "clean so far");
	} else if (r->verdict != EQS_VERDICT_MATCH || !r->explorable) {
		printf("  %s\n", r->message);
	}
	if (cfg->strategy == EQS_EXPLORE_PCT && r->explorable && !cfg->replay)
		printf("  pct: per-run bound %.3g for a depth-%u bug, %llu runs for 99%%; %s\n",
		       r->pct_probability, cfg->preemptions + 1, (unsigned long long)r->pct_runs_99,
		       r->first_violating_run ? "hit in run" : "no hit");
	if (r->first_violating_run)
		printf("  pct: first violation in run %llu\n",
		       (unsigned long long)r->first_violating_run);
	if (r->violations || r->hung)
		print_counterexample(r, cfg);
	fflush(stdout);
}

/* What a run of the tool adds to each row: its shard, and the row's place. */
struct run_info {
	unsigned shard_count;
	char shard[32]; /* "I/N" */
	unsigned row;
	bool by_rows;	/* --shard-by rows: the row is a cell of this shard */
	unsigned index; /* ... which takes rows r % shard_count == index */
};

static void print_json(const struct eqs_explore_report *r, const struct run_info *run)
{
	const char *models[EQS_MODEL_COUNT];
	int nr_models = fails_elsewhere(r->variant, r->model, models);
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "variant", eqs_variant_name(r->variant));
	json_string(&j, "model", eqs_model_name(r->model));
	json_string(&j, "expected", eqs_expect_name(r->expected));
	json_uint(&j, "violations", r->violations);
	json_string(&j, "verdict", eqs_verdict_name(r->verdict));
	json_uint(&j, "schedules", r->schedules);
	json_uint(&j, "states", r->states);
	json_bool(&j, "complete", r->complete);
	if (r->unbounded)
		json_string(&j, "preemption_bound", "unbounded");
	else
		json_uint(&j, "preemption_bound", r->preemption_bound);
	json_uint(&j, "state_bytes", r->state_bytes);
	if (run->shard_count) {
		json_string(&j, "shard", run->shard);
		json_uint(&j, run->by_rows ? "cell" : "row", run->row);
	}
	json_double(&j, "seconds", r->seconds, 3);
	json_bool(&j, "explorable", r->explorable);
	json_string_array(&j, "expected_to_fail_in", models, nr_models);
	if (r->pct_runs_99) {
		json_double_g(&j, "pct_probability", r->pct_probability, 6);
		json_uint(&j, "pct_runs_99", r->pct_runs_99);
		json_uint(&j, "first_violating_run", r->first_violating_run);
	}
	json_bool(&j, "hung", r->hung);
	if (r->violations || r->hung) {
		json_begin_object(&j, "counterexample");
		json_string(&j, "schedule", r->cx_schedule);
		json_uint(&j, "preemptions", r->cx_preemptions);
		json_string(&j, "path", eqs_path_name(r->cx_violation.path));
		json_uint(&j, "cpu", r->cx_violation.cpu);
		json_uint(&j, "fetched", r->cx_violation.fetched);
		json_uint(&j, "synced", r->cx_violation.synced);
		json_end_object(&j);
	} else {
		json_null(&j, "counterexample");
	}
	json_string(&j, "message", r->message);
	json_end_object(&j);
	putchar('\n');
	fflush(stdout);
}

/*
 * The status line of a long run, on stderr (a terminal): it overwrites
 * itself, and status_clear() wipes it before a row is printed.
 */
static bool status_shown;

static void status_line(const struct eqs_explore_progress *p, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r\033[K%s %s %s: %llu schedules, %llu states, %.0f/s, %.1f MiB, %.0f s",
		eqs_variant_name(p->variant), eqs_model_name(p->model), eqs_path_name(p->path),
		(unsigned long long)p->schedules, (unsigned long long)p->states,
		p->seconds > 0 ? (double)p->schedules / p->seconds : 0.0,
		(double)p->state_bytes / (1 << 20), p->seconds);
	status_shown = true;
}

static void status_clear(void)
{
	if (status_shown)
		fputs("\r\033[K", stderr);
	status_shown = false;
}

/* --ablate: a table per variant; exit 0 if every ablation ran. */
static int ablate_all(const struct eqs_variant *const *variants, int nr_variants,
		      const struct eqs_explore_config *cfg, const enum eqs_model *models,
		      unsigned nr_models, bool json)
{
	static const enum eqs_model all[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };
	struct eqs_ablation *a = malloc(sizeof(*a));
	char err[EQS_ERRLEN];

	if (!a)
		return 1;
	if (cfg->replay || cfg->edit.kind != EQS_EDIT_NONE)
		cli_bad_usage("--ablate makes its own edits and replays nothing");
	for (int i = 0; i < nr_variants; i++) {
		if (eqs_explore_ablate(variants[i], cfg, nr_models ? models : all,
				       nr_models ? nr_models : 3, a, err, sizeof(err))) {
			fprintf(stderr, "%s: %s: %s\n", cli_prog, eqs_variant_name(variants[i]),
				err);
			free(a);
			return 1;
		}
		if (json)
			ablation_print_json(a, cfg);
		else
			ablation_print_text(a, cfg);
	}
	free(a);
	return 0;
}

/* --suggest-fix: under each model given, or each the variant is expected buggy under. */
static int suggest_all(const struct eqs_variant *const *variants, int nr_variants,
		       const struct eqs_explore_config *cfg, const enum eqs_model *models,
		       unsigned nr_models, bool json)
{
	static const enum eqs_model all[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };
	struct eqs_fixes *f = malloc(sizeof(*f));
	char err[EQS_ERRLEN];

	if (!f)
		return 1;
	if (cfg->replay || cfg->edit.kind != EQS_EDIT_NONE)
		cli_bad_usage("--suggest-fix makes its own edits and replays nothing");
	for (int i = 0; i < nr_variants; i++) {
		for (unsigned m = 0; m < (nr_models ? nr_models : 3); m++) {
			enum eqs_model model = nr_models ? models[m] : all[m];

			if (!nr_models && eqs_variant_expect(variants[i], model) != EQS_EXPECT_BUG)
				continue;
			if (eqs_explore_suggest_fix(variants[i], cfg, model, f, err, sizeof(err))) {
				fprintf(stderr, "%s: %s: %s\n", cli_prog,
					eqs_variant_name(variants[i]), err);
				free(f);
				return 1;
			}
			if (json)
				fixes_print_json(f);
			else
				fixes_print_text(f, cfg);
		}
	}
	free(f);
	return 0;
}

int main(int argc, char **argv)
{
	enum {
		OPT_VARIANT = 256,
		OPT_MODEL,
		OPT_CPUS,
		OPT_PATHS,
		OPT_PATCHES,
		OPT_NMIS,
		OPT_STRATEGY,
		OPT_PREEMPTIONS,
		OPT_RUNS,
		OPT_SEED,
		OPT_MAX_SECONDS,
		OPT_REPLAY,
		OPT_NO_CACHE,
		OPT_IDC,
		OPT_DIC,
		OPT_JSON,
		OPT_EMIT_LITMUS,
		OPT_EDIT,
		OPT_ABLATE,
		OPT_SUGGEST_FIX,
		OPT_MAX_MEMORY,
		OPT_REDUCE,
		OPT_SHARD,
		OPT_SHARD_BY,
		OPT_QUIET,
		OPT_HELP
	};
	static const struct option longopts[] = {
		{ "variant", required_argument, NULL, OPT_VARIANT },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "cpus", required_argument, NULL, OPT_CPUS },
		{ "paths", required_argument, NULL, OPT_PATHS },
		{ "patches", required_argument, NULL, OPT_PATCHES },
		{ "nmis", required_argument, NULL, OPT_NMIS },
		{ "strategy", required_argument, NULL, OPT_STRATEGY },
		{ "preemptions", required_argument, NULL, OPT_PREEMPTIONS },
		{ "runs", required_argument, NULL, OPT_RUNS },
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "max-seconds", required_argument, NULL, OPT_MAX_SECONDS },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "no-state-cache", no_argument, NULL, OPT_NO_CACHE },
		{ "idc", no_argument, NULL, OPT_IDC },
		{ "dic", no_argument, NULL, OPT_DIC },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "emit-litmus", no_argument, NULL, OPT_EMIT_LITMUS },
		{ "edit", required_argument, NULL, OPT_EDIT },
		{ "ablate", no_argument, NULL, OPT_ABLATE },
		{ "suggest-fix", no_argument, NULL, OPT_SUGGEST_FIX },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "reduce", no_argument, NULL, OPT_REDUCE },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "shard-by", required_argument, NULL, OPT_SHARD_BY },
		{ "quiet", no_argument, NULL, OPT_QUIET },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	const struct eqs_variant *variants[64];
	enum eqs_model models[3];
	unsigned nr_models = 0;
	int nr_variants = 0, opt;
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];
	bool json = false, litmus = false, ablate = false, suggest = false, quiet = false;
	struct run_info run = { 0 };
	static struct campaign campaign; /* argv as given, for a shard's last line */
	int before = optind;

	if (campaign_init(&campaign, argc, argv)) {
		fprintf(stderr, "%s: out of memory\n", cli_prog);
		return 1;
	}

	eqs_explore_config_default(&cfg);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		int from = before;

		before = optind;
		switch (opt) {
		case OPT_VARIANT:
			nr_variants = cli_parse_variants(optarg, variants, 64,
							 "eqssim-stress --list-variants");
			break;
		case OPT_MODEL:
			cli_check(cli_model_list("--model", optarg, models, &nr_models, err,
						 sizeof(err)),
				  err);
			break;
		case OPT_CPUS:
			cfg.cpus = (unsigned)cli_parse_count("--cpus", optarg, 1,
							     EQS_EXPLORE_MAX_CPUS);
			break;
		case OPT_PATHS:
			cli_check(cli_path_list("--paths", optarg, cfg.paths, EQS_EXPLORE_MAX_PATHS,
						&cfg.nr_paths, err, sizeof(err)),
				  err);
			break;
		case OPT_PATCHES:
			cfg.patches = (unsigned)cli_parse_count("--patches", optarg, 1, 2);
			break;
		case OPT_NMIS:
			cfg.nmis = (unsigned)cli_parse_count("--nmis", optarg, 0, 4);
			break;
		case OPT_STRATEGY:
			if (!strcmp(optarg, "dfs"))
				cfg.strategy = EQS_EXPLORE_DFS;
			else if (!strcmp(optarg, "pct"))
				cfg.strategy = EQS_EXPLORE_PCT;
			else
				cli_bad_usage("--strategy: '%s' is neither dfs nor pct", optarg);
			break;
		case OPT_PREEMPTIONS:
			cfg.unbounded = !strcmp(optarg, "unbounded");
			if (!cfg.unbounded)
				cfg.preemptions =
					(unsigned)cli_parse_count("--preemptions", optarg, 0, 8);
			break;
		case OPT_REDUCE:
			cfg.reduce = true;
			break;
		case OPT_MAX_MEMORY:
			cfg.max_memory = cli_parse_count("--max-memory", optarg, 1, 1u << 30) << 20;
			break;
		case OPT_SHARD:
			cli_check(cli_shard("--shard", optarg, &cfg.shard_index, &cfg.shard_count,
					    err, sizeof(err)),
				  err);
			run.shard_count = cfg.shard_count;
			campaign_skip(&campaign, argv, from, optind);
			snprintf(run.shard, sizeof(run.shard), "%u/%u", cfg.shard_index,
				 cfg.shard_count);
			break;
		case OPT_SHARD_BY:
			if (!strcmp(optarg, "rows"))
				run.by_rows = true;
			else if (strcmp(optarg, "tree"))
				cli_bad_usage("--shard-by: '%s' is neither tree nor rows", optarg);
			break;
		case OPT_QUIET:
			quiet = true;
			break;
		case OPT_RUNS:
			cfg.runs = cli_parse_count("--runs", optarg, 1, 1000000000ull);
			break;
		case OPT_SEED:
			cfg.seed = cli_parse_count("--seed", optarg, 0, ~0ull);
			break;
		case OPT_MAX_SECONDS:
			cfg.max_seconds =
				(double)cli_parse_count("--max-seconds", optarg, 1, 86400);
			break;
		case OPT_REPLAY:
			cfg.replay = optarg;
			break;
		case OPT_IDC:
			cfg.ctr_idc = true;
			break;
		case OPT_DIC:
			cfg.ctr_dic = true;
			break;
		case OPT_NO_CACHE:
			cfg.no_state_cache = true;
			break;
		case OPT_JSON:
			json = true;
			break;
		case OPT_EMIT_LITMUS:
			litmus = true;
			break;
		case OPT_EDIT: /* up to two, made in this order */
			if (cfg.edit2.kind != EQS_EDIT_NONE)
				cli_bad_usage("--edit: at most two");
			cli_check(eqs_edit_parse(optarg,
						 cfg.edit.kind == EQS_EDIT_NONE ? &cfg.edit
										: &cfg.edit2,
						 err, sizeof(err)),
				  err);
			break;
		case OPT_ABLATE:
			ablate = true;
			break;
		case OPT_SUGGEST_FIX:
			suggest = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			cli_option_error(opt, argv);
		}
	}
	cli_no_operands(argc, argv);
	if (litmus)
		return emit_litmus(variants, nr_variants, &cfg);
	if (cfg.replay && nr_variants != 1)
		cli_bad_usage("--replay needs exactly one --variant");
	if (cfg.replay && !cfg.nr_paths)
		cli_bad_usage("--replay needs the scenario's --paths (and --cpus, --patches)");
	if (cfg.replay && nr_models > 1)
		cli_bad_usage("--replay runs under one --model (default sc)");
	if (cfg.replay && !nr_models)
		models[nr_models++] = EQS_MODEL_SC;
	if (!nr_variants)
		nr_variants = cli_all_variants(variants, 64);
	if (cfg.reduce && !cfg.unbounded)
		cli_bad_usage(
			"--reduce works in the unbounded search: add --preemptions unbounded");
	if (run.by_rows && !run.shard_count)
		cli_bad_usage("--shard-by needs --shard I/N");
	if (run.by_rows) { /* the library explores whole trees; this tool picks the rows */
		run.index = cfg.shard_index;
		cfg.shard_index = cfg.shard_count = 0;
	}
	if (cfg.unbounded) /* limited by time and memory, not by a count */
		cfg.max_schedules = 0;
	if (cfg.unbounded && (cfg.strategy != EQS_EXPLORE_DFS || cfg.no_state_cache))
		cli_bad_usage("--preemptions unbounded is a dfs with the state cache");
	if (run.shard_count &&
	    (cfg.strategy != EQS_EXPLORE_DFS || cfg.replay || ablate || suggest || litmus))
		cli_bad_usage("--shard splits a dfs exploration (not pct, --replay, --ablate, "
			      "--suggest-fix or --emit-litmus)");
	if (!quiet && isatty(STDERR_FILENO)) {
		cfg.progress = status_line;
		cfg.progress_seconds = 1.0; /* from the first second on, each second */
	}
	if (ablate && suggest)
		cli_bad_usage("--ablate or --suggest-fix, not both");
	if (ablate)
		return ablate_all(variants, nr_variants, &cfg, models, nr_models, json);
	if (suggest)
		return suggest_all(variants, nr_variants, &cfg, models, nr_models, json);

	if (!json) {
		char paths[64], list[64];
		const char *names[3];

		scenario_paths(&cfg, paths, sizeof(paths));
		if (!cfg.nr_paths)
			snprintf(paths, sizeof(paths), "each path alone (user, idle, irq, guest)");
		for (unsigned m = 0; m < nr_models; m++)
			names[m] = eqs_model_name(models[m]);
		printf("eqssim-explore: under %s\n  (sc: logic races; tso: x86 store buffers; "
		       "arm-ifetch: Arm's instruction-fetch rules)\n",
		       nr_models ? cli_join(list, sizeof(list), names, (int)nr_models, "")
				 : "each model a variant has an expectation for");
		char depth[48];

		if (cfg.unbounded)
			snprintf(depth, sizeof(depth), "unbounded (each state once%s)",
				 cfg.reduce ? ", sleep sets" : "");
		else
			snprintf(depth, sizeof(depth), "%s %u",
				 cfg.strategy == EQS_EXPLORE_DFS ? "preemption bound up to"
								 : "depth d =",
				 cfg.strategy == EQS_EXPLORE_DFS ? cfg.preemptions
								 : cfg.preemptions + 1);
		printf("scenario: %u CPU%s taking %s, %u patch%s, %u NMI%s; strategy %s, %s%s%s\n\n",
		       cfg.cpus, cfg.cpus == 1 ? "" : "s", paths, cfg.patches,
		       cfg.patches == 1 ? "" : "es", cfg.nmis, cfg.nmis == 1 ? "" : "s",
		       cfg.replay			 ? "replay"
		       : cfg.strategy == EQS_EXPLORE_DFS ? "dfs"
							 : "pct",
		       depth, run.shard_count ? "; shard " : "", run.shard);
	}
	int good = 0, verdicts = 0;

	for (int i = 0; i < nr_variants; i++) {
		static const enum eqs_model all[] = { EQS_MODEL_SC, EQS_MODEL_TSO,
						      EQS_MODEL_ARM_IFETCH };
		static struct eqs_explore_report r;
		const enum eqs_model *list = nr_models ? models : all;
		unsigned n = nr_models ? nr_models : 3;

		for (unsigned m = 0; m < n; m++) {
			/* By default a model with no expectation is left out. */
			if (!nr_models && eqs_variant_expect(variants[i], list[m]) == EQS_EXPECT_NA)
				continue;
			cfg.model = list[m];
			if (run.by_rows && run.row % run.shard_count != run.index) {
				run.row++; /* another shard's row */
				continue;
			}
			int ret = eqs_explore_run(variants[i], &cfg, &r, err, sizeof(err));

			if (cfg.progress)
				status_clear();
			if (ret) {
				fprintf(stderr, "%s: %s: %s\n", cli_prog,
					eqs_variant_name(variants[i]), err);
				return err[0] && strstr(err, "schedule") ? 2 : 1;
			}
			verdicts++;
			good += r.verdict == EQS_VERDICT_MATCH || r.verdict == EQS_VERDICT_NA;
			if (json)
				print_json(&r, &run);
			else
				print_text(&r, &cfg);
			run.row++;
		}
	}
	if (!json)
		printf("\n%d of %d verdicts as expected\n", good, verdicts);
	if (json && run.shard_count) {
		char *text = campaign_text(&campaign);

		if (!text) {
			fprintf(stderr, "%s: out of memory\n", cli_prog);
			return 1;
		}
		campaign_print_finished(run.shard, verdicts, text);
		free(text);
	}
	return good == verdicts ? 0 : 1;
}
