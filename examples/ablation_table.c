/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ablation_table.c - an ablation as text and as JSON (ablation_table.h).
 */
#include <stdio.h>
#include <string.h>

#include "ablation_table.h"
#include "cli.h"
#include "json.h"

static const char *scenario_text(const struct eqs_explore_config *cfg, char *buf, size_t len)
{
	const char *names[EQS_EXPLORE_MAX_PATHS];

	if (!cfg->nr_paths)
		return "each path alone";
	for (unsigned i = 0; i < cfg->nr_paths; i++)
		names[i] = eqs_path_name(cfg->paths[i]);
	return cli_join(buf, len, names, (int)cfg->nr_paths, "");
}

/* A cell as its table word: NEEDED stands out. */
static const char *cell_word(const struct eqs_ablation_cell *c)
{
	return c->need == EQS_NEED_NEEDED ? "NEEDED" : eqs_need_name(c->need);
}

static void print_replay(const struct eqs_ablation *a, const struct eqs_explore_config *cfg,
			 const struct eqs_edit *e, enum eqs_model m,
			 const struct eqs_ablation_cell *c)
{
	char spec[96];

	printf("      replay: %s --variant %s --model %s --cpus %u --paths %s --patches %u "
	       "--nmis %u%s%s%s%s --replay '%s'\n",
	       cli_prog, eqs_variant_name(a->variant), eqs_model_name(m), cfg->cpus,
	       eqs_path_name(c->path), cfg->patches, cfg->nmis, cfg->ctr_idc ? " --idc" : "",
	       cfg->ctr_dic ? " --dic" : "", e ? " --edit " : "",
	       e ? eqs_edit_format(e, spec, sizeof(spec)) : "", c->replay);
}

void ablation_print_text(const struct eqs_ablation *a, const struct eqs_explore_config *cfg)
{
	char paths[64];
	unsigned redundant = 0;

	printf("ablation of %s: %u CPU%s, %s, %u patch%s, %u NMI%s, preemption bound %u; "
	       "%u edits, %llu explorations, %.1f s\n",
	       eqs_variant_name(a->variant), cfg->cpus, cfg->cpus == 1 ? "" : "s",
	       scenario_text(cfg, paths, sizeof(paths)), cfg->patches,
	       cfg->patches == 1 ? "" : "es", cfg->nmis, cfg->nmis == 1 ? "" : "s",
	       cfg->preemptions, a->nr_rows, (unsigned long long)a->explorations, a->seconds);
	printf("  %-50s", "as written");
	for (unsigned m = 0; m < a->nr_models; m++) {
		const struct eqs_ablation_cell *b = &a->baseline[a->models[m]];

		printf(" %-12s", b->need == EQS_NEED_NOT_NEEDED ? "clean"
				 : b->need == EQS_NEED_NEEDED	? "BUGGY"
								: "incomplete");
	}
	printf("\n  %-50s", "point, edit");
	for (unsigned m = 0; m < a->nr_models; m++)
		printf(" %-12s", eqs_model_name(a->models[m]));
	printf("\n");
	for (unsigned i = 0; i < a->nr_rows; i++) {
		const struct eqs_ablation_row *row = &a->rows[i];
		bool needed = false, all_not = true;

		printf("  %-50s", row->name);
		for (unsigned m = 0; m < a->nr_models; m++) {
			const struct eqs_ablation_cell *c = &row->cell[a->models[m]];

			printf(" %-12s", cell_word(c));
			needed |= c->need == EQS_NEED_NEEDED;
			all_not &= c->need == EQS_NEED_NOT_NEEDED;
		}
		printf("\n");
		redundant += all_not && !needed;
	}
	for (unsigned i = 0; i < a->nr_rows; i++) {
		const struct eqs_ablation_row *row = &a->rows[i];

		for (unsigned m = 0; m < a->nr_models; m++) {
			const struct eqs_ablation_cell *c = &row->cell[a->models[m]];

			if (c->need == EQS_NEED_UNKNOWN && c->summary[0])
				printf("    %s, %s: unknown: %s\n", row->name,
				       eqs_model_name(a->models[m]), c->summary);
			if (c->need != EQS_NEED_NEEDED)
				continue;
			printf("    %s, %s: %s\n", row->name, eqs_model_name(a->models[m]),
			       c->summary);
			print_replay(a, cfg, &row->edit, a->models[m], c);
		}
	}
	for (unsigned m = 0; m < a->nr_models; m++) {
		const struct eqs_ablation_cell *b = &a->baseline[a->models[m]];

		if (b->need == EQS_NEED_NEEDED) {
			printf("    as written, %s: %s\n", eqs_model_name(a->models[m]),
			       b->summary);
			print_replay(a, cfg, NULL, a->models[m], b);
		}
	}
	if (redundant)
		printf("  %u edit%s change%s nothing under the models explored (complete at bound "
		       "%u, %u CPU%s, %s): redundant for this property there, and no more\n",
		       redundant, redundant == 1 ? "" : "s", redundant == 1 ? "s" : "",
		       cfg->preemptions, cfg->cpus, cfg->cpus == 1 ? "" : "s",
		       scenario_text(cfg, paths, sizeof(paths)));
	fflush(stdout);
}

static void json_cell(struct json *j, const char *key, const struct eqs_ablation_cell *c)
{
	json_begin_object(j, key);
	json_string(j, "need", eqs_need_name(c->need));
	json_bool(j, "complete", c->complete);
	json_uint(j, "schedules", c->schedules);
	json_uint(j, "preemption_bound", c->preemption_bound);
	json_string(j, "summary", c->summary);
	if (c->need == EQS_NEED_NEEDED) {
		json_string(j, "path", eqs_path_name(c->path));
		json_string(j, "schedule", c->replay);
	}
	json_end_object(j);
}

void ablation_print_json(const struct eqs_ablation *a, const struct eqs_explore_config *cfg)
{
	char spec[96];

	for (unsigned i = 0; i < a->nr_rows; i++) {
		const struct eqs_ablation_row *row = &a->rows[i];
		struct json j;

		json_init(&j, stdout);
		json_begin_object(&j, NULL);
		json_string(&j, "variant", eqs_variant_name(a->variant));
		json_string(&j, "point", row->name);
		json_string(&j, "edit", eqs_edit_format(&row->edit, spec, sizeof(spec)));
		json_uint(&j, "cpus", cfg->cpus);
		json_uint(&j, "preemption_bound", cfg->preemptions);
		json_begin_object(&j, "models");
		for (unsigned m = 0; m < a->nr_models; m++)
			json_cell(&j, eqs_model_name(a->models[m]), &row->cell[a->models[m]]);
		json_end_object(&j);
		json_end_object(&j);
		putchar('\n');
	}
	fflush(stdout);
}

static const char *const all_models[] = { "sc", "tso", "arm-ifetch" };
static const enum eqs_model all_model_ids[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };

void fixes_print_text(const struct eqs_fixes *f, const struct eqs_explore_config *cfg)
{
	char paths[64], spec[96];

	printf("smallest fix of %s under %s: %u CPU%s, %s, preemption bound %u; %llu edits tried, "
	       "%llu explorations, %.1f s\n",
	       eqs_variant_name(f->variant), eqs_model_name(f->model), cfg->cpus,
	       cfg->cpus == 1 ? "" : "s", scenario_text(cfg, paths, sizeof(paths)),
	       cfg->preemptions, (unsigned long long)f->candidates,
	       (unsigned long long)f->explorations, f->seconds);
	if (f->baseline.need == EQS_NEED_NEEDED)
		printf("  as written: %s\n", f->baseline.summary);
	if (f->message[0])
		printf("  %s\n", f->message);
	for (unsigned i = 0; i < f->nr_fixes; i++) {
		const struct eqs_fix *x = &f->fixes[i];

		printf("  fix: %-44s\n      ", x->name);
		for (unsigned m = 0; m < 3; m++)
			printf("  %s %s", all_models[m],
			       x->clean[all_model_ids[m]] == EQS_NEED_NOT_NEEDED ? "clean"
										 : "BUGGY");
		printf("\n       --edit '%s'", eqs_edit_format(&x->edit, spec, sizeof(spec)));
		if (x->edit2.kind != EQS_EDIT_NONE)
			printf(" --edit '%s'", eqs_edit_format(&x->edit2, spec, sizeof(spec)));
		printf("\n");
	}
	fflush(stdout);
}

void fixes_print_json(const struct eqs_fixes *f)
{
	char spec[96];
	struct json j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "variant", eqs_variant_name(f->variant));
	json_string(&j, "model", eqs_model_name(f->model));
	json_string(&j, "as_written", f->baseline.summary);
	json_uint(&j, "edits_tried", f->candidates);
	json_uint(&j, "explorations", f->explorations);
	json_double(&j, "seconds", f->seconds, 2);
	json_begin_array(&j, "fixes");
	for (unsigned i = 0; i < f->nr_fixes; i++) {
		const struct eqs_fix *x = &f->fixes[i];

		json_begin_object(&j, NULL);
		json_string(&j, "fix", x->name);
		json_string(&j, "edit", eqs_edit_format(&x->edit, spec, sizeof(spec)));
		if (x->edit2.kind != EQS_EDIT_NONE)
			json_string(&j, "edit2", eqs_edit_format(&x->edit2, spec, sizeof(spec)));
		json_uint(&j, "cost", x->cost);
		for (unsigned m = 0; m < 3; m++)
			json_bool(&j, all_models[m],
				  x->clean[all_model_ids[m]] == EQS_NEED_NOT_NEEDED);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_string(&j, "message", f->message);
	json_end_object(&j);
	putchar('\n');
	fflush(stdout);
}
