/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_ablation.c - "is this barrier needed?" through the public API: the
 * ablation table of the full arm64 fix (eqs_exit_sync_dsb) at 2 CPUs on
 * the user path says what herd7's verdicts for the EQS-exit shape say
 * (../shared/herd/eqs-exit-shapes.md, copied here as the expectations),
 * edits parse and print back, an edit is explored like a variant, and the
 * fix search finds the smallest fixes of the review's fix and of the
 * reviewed patch.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

#define SC     EQS_MODEL_SC
#define TSO    EQS_MODEL_TSO
#define IFETCH EQS_MODEL_ARM_IFETCH

static struct eqs_ablation *table;

static int ablate_eqs_exit_sync_dsb(void **state)
{
	static const enum eqs_model models[] = { SC, TSO, IFETCH };
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	table = malloc(sizeof(*table));
	if (!table)
		return -1;
	eqs_explore_config_default(&cfg);
	cfg.cpus = 2;
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	if (eqs_explore_ablate(eqs_variant_find("eqs_exit_sync_dsb"), &cfg, models, 3, table, err,
			       sizeof(err))) {
		print_error("ablation: %s\n", err);
		return -1;
	}
	return 0;
}

static int free_table(void **state)
{
	(void)state;
	free(table);
	return 0;
}

static const struct eqs_ablation_row *row(const char *spec)
{
	char buf[96];

	for (unsigned i = 0; i < table->nr_rows; i++)
		if (!strcmp(eqs_edit_format(&table->rows[i].edit, buf, sizeof(buf)), spec))
			return &table->rows[i];
	fail_msg("no row %s", spec);
	return NULL;
}

/* The row's verdict under each of sc, tso, arm-ifetch. */
static void expect_row(const char *spec, enum eqs_need sc, enum eqs_need tso, enum eqs_need ifetch)
{
	const struct eqs_ablation_row *r = row(spec);

	print_message("%-40s sc %-10s tso %-10s arm-ifetch %s\n", r->name,
		      eqs_need_name(r->cell[SC].need), eqs_need_name(r->cell[TSO].need),
		      eqs_need_name(r->cell[IFETCH].need));
	assert_int_equal(r->cell[SC].need, sc);
	assert_int_equal(r->cell[TSO].need, tso);
	assert_int_equal(r->cell[IFETCH].need, ifetch);
	for (int m = 0; m < 3; m++) {
		const struct eqs_ablation_cell *c =
			&r->cell[(enum eqs_model[]){ SC, TSO, IFETCH }[m]];

		if (c->need == EQS_NEED_NEEDED)
			assert_true(strlen(c->replay) > 0 && strlen(c->summary) > 0);
	}
}

#define NEEDED EQS_NEED_NEEDED
#define NOT    EQS_NEED_NOT_NEEDED

static void test_as_written_clean_everywhere(void **state)
{
	(void)state;
	assert_int_equal(table->baseline[SC].need, NOT);
	assert_int_equal(table->baseline[TSO].need, NOT);
	assert_int_equal(table->baseline[IFETCH].need, NOT);
	assert_true(table->explorations > 3);
}

/* Without a CSE after the update the CPU runs what it fetched before: buggy under all three. */
static void test_isb_needed_everywhere(void **state)
{
	(void)state;
	expect_row("user.exit.isb.1=remove", NEEDED, NEEDED, NEEDED);
}

/*
 * herd7: LDADDAL; DSB ISH; ISB Forbidden (row 3), LDADDAL; DMB ISH; ISB and
 * LDADDAL; ISB Allowed (rows 6, 5): the dsb is needed under arm-ifetch only.
 */
static void test_dsb_needed_under_arm_ifetch_only(void **state)
{
	(void)state;
	expect_row("user.exit.dsb.1=weaken", NOT, NOT, NEEDED);
	expect_row("user.exit.dsb.1=remove", NOT, NOT, NEEDED);
}

/*
 * The patcher's smp_mb(): needed under tso (its text write would wait in the
 * store buffer past its counter read), not under arm-ifetch, where the dsb
 * ish that ends the cache maintenance orders them (herd7: the full
 * maintenance with no dmb, against LDADDAL; DSB ISH; ISB, Forbidden).
 */
static void test_smp_mb_needed_under_tso_only(void **state)
{
	(void)state;
	expect_row("patcher.smp_mb.1=remove", NOT, NEEDED, NOT);
}

/* herd7: STR; DSB ISH; ISB Forbidden (row 1): the full ordering is redundant here. */
static void test_exit_ordering_redundant_once_dsb_follows(void **state)
{
	(void)state;
	expect_row("exit_order=weaken", NOT, NOT, NOT);
	expect_row("exit_order=remove", NOT, NOT, NOT);
}

/* With IDC=0, DIC=0 the new text is fetchable only after the whole maintenance. */
static void test_cache_maintenance_needed_under_arm_ifetch(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		static const char *const specs[] = { "patcher.dc_cvau.1=remove",
						     "patcher.patch_dsb.1=remove",
						     "patcher.ic_ivau.1=remove",
						     "patcher.patch_dsb.2=remove" };
		const struct eqs_ablation_row *r = row(specs[i]);

		assert_int_equal(r->cell[IFETCH].need, NEEDED);
		assert_int_equal(r->cell[TSO].need, NOT); /* x86: a coherent I-cache */
	}
}

/* A needed cell's replay reproduces the violation with the edit, and not without it. */
static void test_needed_cell_replays(void **state)
{
	const struct eqs_ablation_row *r = row("user.exit.dsb.1=weaken");
	const struct eqs_ablation_cell *c = &r->cell[IFETCH];
	struct eqs_explore_report *rep = malloc(sizeof(*rep));
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	assert_non_null(rep);
	eqs_explore_config_default(&cfg);
	cfg.cpus = 2;
	cfg.nr_paths = 1;
	cfg.paths[0] = c->path;
	cfg.model = IFETCH;
	cfg.replay = c->replay;
	cfg.edit = r->edit;
	assert_int_equal(
		eqs_explore_run(eqs_variant_find("eqs_exit_sync_dsb"), &cfg, rep, err, sizeof(err)),
		0);
	assert_true(rep->violations > 0);
	assert_int_equal(rep->expected, EQS_EXPECT_NA); /* edited: no expectation applies */
	cfg.edit.kind = EQS_EDIT_NONE;
	int ret =
		eqs_explore_run(eqs_variant_find("eqs_exit_sync_dsb"), &cfg, rep, err, sizeof(err));

	assert_true(ret == -EINVAL || rep->violations == 0);
	free(rep);
}

static void test_edit_specs(void **state)
{
	struct eqs_edit e;
	char err[EQS_ERRLEN], buf[96];

	(void)state;
	assert_int_equal(eqs_edit_parse("guest.entry.dmb.2=remove", &e, err, sizeof(err)), 0);
	assert_int_equal(e.kind, EQS_EDIT_REMOVE);
	assert_int_equal(e.point.path, EQS_PATH_GUEST);
	assert_true(e.point.on_entry);
	assert_int_equal(e.point.nth, 1);
	assert_string_equal(eqs_edit_format(&e, buf, sizeof(buf)), "guest.entry.dmb.2=remove");
	assert_int_equal(eqs_edit_parse("patcher.smp_mb.1=weaken", &e, err, sizeof(err)), 0);
	assert_true(e.point.patcher);
	assert_int_equal(eqs_edit_parse("exit_order=weaken", &e, err, sizeof(err)), 0);
	assert_int_equal(e.point.kind, EQS_POINT_EXIT_ORDER);
	assert_int_equal(eqs_edit_parse("before:any.exit.isb.1=dsb", &e, err, sizeof(err)), 0);
	assert_int_equal(e.kind, EQS_EDIT_INSERT_DSB);
	assert_true(e.point.every_path);
	assert_int_equal(e.point.kind, EQS_POINT_BOUNDARY);
	assert_string_equal(eqs_edit_format(&e, buf, sizeof(buf)), "before:any.exit.isb.1=dsb");
	static const char *const bad[] = { "",
					   "before:user.exit.isb.1=remove",
					   "user.exit.isb.1=dsb",
					   "any.exit.dsb.1=remove",
					   "before:patcher.smp_mb.1=isb",
					   "user.exit.dsb.1",
					   "user.exit.dsb.0=remove",
					   "user.exit.dsb.1=drop",
					   "nowhere.exit.dsb.1=remove",
					   "user.exit.exec_text.1=remove",
					   "user.side.dsb.1=remove",
					   "patcher.smp_mb.1x=remove",
					   "patcher.smp_mb.256=remove" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(eqs_edit_parse(bad[i], &e, err, sizeof(err)), -EINVAL);
		assert_true(err[0] != '\0');
	}
}

static struct eqs_fixes *suggest_on(const char *name, enum eqs_model model, unsigned cpus)
{
	static struct eqs_fixes *f;
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	if (!f)
		f = malloc(sizeof(*f));
	assert_non_null(f);
	eqs_explore_config_default(&cfg);
	cfg.cpus = cpus;
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	if (eqs_explore_suggest_fix(eqs_variant_find(name), &cfg, model, f, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	for (unsigned i = 0; i < f->nr_fixes; i++)
		print_message("%s under %s: fix %s\n", name, eqs_model_name(model),
			      f->fixes[i].name);
	if (f->message[0])
		print_message("%s under %s: %s\n", name, eqs_model_name(model), f->message);
	return f;
}

static struct eqs_fixes *suggest(const char *name, enum eqs_model model)
{
	return suggest_on(name, model, 2);
}

/*
 * The review's fix under arm-ifetch: the smallest fix is a dsb between the
 * exit increment and the isb (herd7: DSB ISH and DSB ST suffice there, DMB
 * does not, so no dmb, cheaper, is found), clean under all three models.
 */
static void test_suggest_dsb_for_eqs_exit_sync(void **state)
{
	struct eqs_fixes *f = suggest("eqs_exit_sync", IFETCH);
	bool shared = false;
	char spec[96];

	(void)state;
	assert_int_equal(f->baseline.need, NEEDED);
	assert_true(f->nr_fixes >= 1);
	for (unsigned i = 0; i < f->nr_fixes; i++) {
		const struct eqs_fix *x = &f->fixes[i];

		assert_int_equal(x->edit.kind, EQS_EDIT_INSERT_DSB);
		assert_int_equal(x->clean[SC], NOT);
		assert_int_equal(x->clean[TSO], NOT);
		assert_int_equal(x->clean[IFETCH], NOT);
		shared |= !strcmp(eqs_edit_format(&x->edit, spec, sizeof(spec)),
				  "before:any.exit.isb.1=dsb");
	}
	assert_true(shared); /* in the hook every path runs */
}

/*
 * The reviewed patch: under sc the smallest fix is a CSE after the RCU
 * update (an isb right before the text runs, on every path); it is not
 * enough under arm-ifetch, where no single edit is and the cheapest pair
 * is dsb then isb there: the CSE moved after the update, with its dsb.
 */
static void test_suggest_for_early_isb(void **state)
{
	struct eqs_fixes *f = suggest("early_isb", SC);
	char spec[96];

	(void)state;
	assert_true(f->nr_fixes >= 1);
	assert_string_equal(eqs_edit_format(&f->fixes[0].edit, spec, sizeof(spec)),
			    "before:any.exit.exec_text.1=isb"); /* shared code first */
	for (unsigned i = 0; i < f->nr_fixes; i++) {
		assert_int_equal(f->fixes[i].edit.kind, EQS_EDIT_INSERT_ISB);
		assert_int_equal(f->fixes[i].edit.point.step, eqs_step_lookup("exec_text"));
		assert_int_equal(f->fixes[i].clean[SC], NOT);
		assert_int_equal(f->fixes[i].clean[IFETCH], NEEDED); /* still buggy there */
	}
	f = suggest_on("early_isb", IFETCH, 1); /* one CPU shows it, and pairs are many */
	assert_non_null(strstr(f->message, "no single edit fixes it"));
	assert_true(f->nr_fixes >= 1);
	assert_string_equal(eqs_edit_format(&f->fixes[0].edit, spec, sizeof(spec)),
			    "before:any.exit.exec_text.1=dsb");
	assert_string_equal(eqs_edit_format(&f->fixes[0].edit2, spec, sizeof(spec)),
			    "before:any.exit.exec_text.1=isb");
	assert_int_equal(f->fixes[0].clean[IFETCH], NOT);
	assert_int_equal(f->fixes[0].clean[SC], NOT);
	/* A correct variant has nothing to fix. */
	f = suggest("eqs_exit_sync_dsb", IFETCH);
	assert_int_equal(f->nr_fixes, 0);
	assert_non_null(strstr(f->message, "nothing to fix"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_as_written_clean_everywhere),
		cmocka_unit_test(test_isb_needed_everywhere),
		cmocka_unit_test(test_dsb_needed_under_arm_ifetch_only),
		cmocka_unit_test(test_smp_mb_needed_under_tso_only),
		cmocka_unit_test(test_exit_ordering_redundant_once_dsb_follows),
		cmocka_unit_test(test_cache_maintenance_needed_under_arm_ifetch),
		cmocka_unit_test(test_needed_cell_replays),
		cmocka_unit_test(test_edit_specs),
		cmocka_unit_test(test_suggest_dsb_for_eqs_exit_sync),
		cmocka_unit_test(test_suggest_for_early_isb),
	};

	return cmocka_run_group_tests(tests, ablate_eqs_exit_sync_dsb, free_table);
}
