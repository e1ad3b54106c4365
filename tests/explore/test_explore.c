/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_explore.c - systematic exploration through the public API: the
 * seed's race found on each broken path with a minimal schedule, correct
 * variants explored completely within bound 2, replays that reproduce,
 * a user's variant explored like a built-in, PCT, and the state cache
 * agreeing with plain re-execution.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"
#include "broken_rendezvous.h"
#include "livelock.h"

static struct eqs_explore_report report;

static struct eqs_explore_report *explore(const char *name, unsigned cpus, int path,
					  const struct eqs_explore_config *base)
{
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	if (base)
		cfg = *base;
	else
		eqs_explore_config_default(&cfg);
	cfg.cpus = cpus;
	cfg.nr_paths = path < 0 ? 0 : 1;
	if (path >= 0)
		cfg.paths[0] = (enum eqs_path)path;
	if (eqs_explore_run(eqs_variant_find(name), &cfg, &report, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	return &report;
}

/* A user's variant under the default exploration (every path in turn). */
static struct eqs_explore_report *explore_default(const struct eqs_variant *v)
{
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	eqs_explore_config_default(&cfg);
	if (eqs_explore_run(v, &cfg, &report, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	return &report;
}

static void expect_caught(const char *name, enum eqs_path path)
{
	struct eqs_explore_report *r = explore(name, 2, (int)path, NULL);

	if (r->verdict != EQS_VERDICT_MATCH)
		fail_msg("%s on %s: %s", name, eqs_path_name(path), r->message);
	assert_true(r->violations > 0);
	assert_true(r->cx_preemptions <= 2); /* the seed's race needs at most 2 */
	assert_true(r->cx_nr_steps > 0);
	assert_true(strlen(r->cx_schedule) > 0);
	assert_true(eqs_variant_broken_paths(r->variant) & EQS_PATH_BIT(r->cx_violation.path));
}

static void test_early_isb_each_path(void **state)
{
	(void)state;
	for (int p = 0; p < EQS_PATH_COUNT; p++)
		expect_caught("early_isb", (enum eqs_path)p);
}

static void test_no_sync_and_vhe_guest_gap(void **state)
{
	(void)state;
	expect_caught("no_sync", EQS_PATH_USER);
	expect_caught("no_sync", EQS_PATH_IDLE);
	expect_caught("vhe_guest_gap", EQS_PATH_GUEST);
	/* ...and vhe_guest_gap's other paths are clean. */
	struct eqs_explore_report *r = explore("vhe_guest_gap", 2, EQS_PATH_USER, NULL);

	assert_int_equal(r->violations, 0);
	assert_true(r->complete);
}

static void test_correct_variants_complete_at_bound_2(void **state)
{
	static const char *const correct[] = { "kick_all",	    "eqs_exit_sync",
					       "eqs_exit_sync_dsb", "eqs_exit_sync_no_mb",
					       "special_flag",	    "ct_work",
					       "stop_machine" };

	(void)state;
	for (unsigned i = 0; i < sizeof(correct) / sizeof(correct[0]); i++) {
		struct eqs_explore_report *r = explore(correct[i], 2, -1, NULL);

		if (r->verdict != EQS_VERDICT_MATCH)
			fail_msg("%s: %s", correct[i], r->message);
		assert_true(r->complete);
		assert_int_equal(r->preemption_bound, 2);
		assert_int_equal(r->violations, 0);
	}
}

static void test_replay_reproduces(void **state)
{
	struct eqs_explore_config cfg;
	char schedule[EQS_SCHEDULE_LEN];
	struct eqs_violation first;

	(void)state;
	struct eqs_explore_report *r = explore("early_isb", 2, EQS_PATH_IRQ, NULL);

	assert_true(r->violations > 0);
	strcpy(schedule, r->cx_schedule);
	first = r->cx_violation;
	eqs_explore_config_default(&cfg);
	cfg.replay = schedule;
	r = explore("early_isb", 2, EQS_PATH_IRQ, &cfg);
	assert_int_equal(r->schedules, 1);
	assert_true(r->violations > 0);
	assert_string_equal(r->cx_schedule, schedule);
	assert_int_equal(r->cx_violation.cpu, first.cpu);
	assert_int_equal(r->cx_violation.path, first.path);
	assert_int_equal(r->cx_violation.fetched, first.fetched);
	assert_int_equal(r->cx_violation.synced, first.synced);
	/*
	 * Under the fix (an isb more) the schedule runs out of step: a
	 * schedule for another scenario is refused as bad input, with no
	 * violation claimed.
	 */
	struct eqs_explore_report fixed;
	char err[EQS_ERRLEN];

	cfg.cpus = 2;
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_IRQ;
	int ret =
		eqs_explore_run(eqs_variant_find("eqs_exit_sync"), &cfg, &fixed, err, sizeof(err));

	if (ret) {
		assert_int_equal(ret, -EINVAL);
		assert_non_null(strstr(err, "does not fit"));
	} else {
		assert_int_equal(fixed.violations, 0);
	}
}

static void test_bad_replay_rejected(void **state)
{
	struct eqs_explore_config cfg;
	struct eqs_explore_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.replay = "0:3,Q:2";
	assert_int_equal(eqs_explore_run(eqs_variant_find("early_isb"), &cfg, &r, err, sizeof(err)),
			 -EINVAL);
	cfg.replay = "7:1"; /* no CPU 7 with 2 CPUs */
	assert_int_equal(eqs_explore_run(eqs_variant_find("early_isb"), &cfg, &r, err, sizeof(err)),
			 -EINVAL);
	cfg.replay = NULL;
	cfg.cpus = 0;
	assert_int_equal(eqs_explore_run(eqs_variant_find("early_isb"), &cfg, &r, err, sizeof(err)),
			 -EINVAL);
}

static void test_qsbr_not_explorable(void **state)
{
	(void)state;
	struct eqs_explore_report *r = explore("urcu_qsbr", 2, -1, NULL);

	assert_false(r->explorable);
	assert_int_equal(r->verdict, EQS_VERDICT_NA);
	assert_int_equal(r->schedules, 0);
}

/* A user's variants: a dmb where the isb belongs (caught), and the fix (clean). */
static void user_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap);
}

static void dmb_only(struct eqs_cpu *c)
{
	eqs_dmb(c);
}

#define ALL(e)                                                                                     \
	{                                                                                          \
		[EQS_MODEL_TSO] = e, [EQS_MODEL_ARM64] = e, [EQS_MODEL_SC] = e,                    \
		[EQS_MODEL_ARM_IFETCH] = e, [EQS_MODEL_C11] = e                                    \
	}

static void test_user_variant_explores(void **state)
{
	const struct eqs_variant bad = { .name = "test_explore_dmb",
					 .patch = user_patch,
					 .rcu_exit_sync = dmb_only,
					 .broken_paths = EQS_PATHS_ALL,
					 .expect = ALL(EQS_EXPECT_BUG) };
	const struct eqs_variant good = { .name = "test_explore_isb",
					  .patch = user_patch,
					  .rcu_exit_sync = eqs_isb,
					  .expect = ALL(EQS_EXPECT_OK) };
	struct eqs_explore_report *r;

	(void)state;
	r = explore_default(&bad);
	assert_int_equal(r->verdict, EQS_VERDICT_MATCH);
	assert_true(r->violations > 0);
	r = explore_default(&good);
	assert_int_equal(r->verdict, EQS_VERDICT_MATCH);
	assert_true(r->complete);
}

/*
 * The patcher's barriers between its text write and its plain reads of
 * the RCU words (the store-buffering shape), under x86's model: a barrier
 * that waits for earlier stores (dsb ishst: mfence) keeps the review's fix
 * correct; smp_wmb() and smp_mb__before_atomic(), barrier() on x86, leave
 * a read passing the buffered write: the same race as no barrier at all.
 */
static void (*sb_barrier)(struct eqs_patcher *p);

static void sb_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	sb_barrier(p);
	eqs_skip_eqs_cpus(p, eqs_snap);
}

static void explore_sb(void (*barrier)(struct eqs_patcher *), bool correct)
{
	const struct eqs_variant v = {
		.name = "test_sb_barrier",
		.patch = sb_patch,
		.rcu_exit_sync = eqs_isb,
		.broken_paths = correct ? 0 : EQS_PATHS_ALL,
		.expect = ALL(correct ? EQS_EXPECT_OK : EQS_EXPECT_BUG),
	};
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	sb_barrier = barrier;
	eqs_explore_config_default(&cfg);
	cfg.model = EQS_MODEL_TSO;
	cfg.cpus = 2;
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	if (eqs_explore_run(&v, &cfg, &report, err, sizeof(err)))
		fail_msg("%s", err);
	if (report.verdict != EQS_VERDICT_MATCH)
		fail_msg("expected %s: %s", correct ? "correct" : "buggy", report.message);
	assert_int_equal(report.violations > 0, !correct);
}

static void test_patcher_barriers_as_x86_builds_them(void **state)
{
	(void)state;
	explore_sb(eqs_smp_mb, true);
	explore_sb(eqs_patch_dsb_st, true);
	explore_sb(eqs_patch_smp_wmb, false);
	explore_sb(eqs_patch_smp_mb__before_atomic, false);
	explore_sb(eqs_patch_isb, false);
}

/*
 * A user exit that runs the text without telling RCU is a simulator error,
 * whatever the oracle sees: stress says so, and so must exploration.
 */
static void user_exit_without_rcu(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_exec_text(c);
}

static void test_path_that_never_tells_rcu_is_an_error(void **state)
{
	const struct eqs_variant forgetful = { .name = "test_explore_forgets_rcu",
					       .patch = user_patch,
					       .rcu_exit_sync = eqs_isb,
					       .exit = { [EQS_PATH_USER] = user_exit_without_rcu },
					       .expect = ALL(EQS_EXPECT_OK) };
	(void)state;
	struct eqs_explore_report *r = explore_default(&forgetful);

	assert_int_equal(r->verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r->message, "did not tell RCU"));
}

/*
 * Cache maintenance, explored: without it the CSE refetches the old text
 * from the point of unification.  Each step of the sequence counts, and
 * CTR_EL0's IDC / DIC relax it as Arm does.
 */
static void write_then(struct eqs_patcher *p, const char *maint)
{
	eqs_patch_write(p);
	for (const char *m = maint; *m; m++) {
		if (*m == 'c')
			eqs_patch_dc_cvau(p);
		else if (*m == 'i')
			eqs_patch_ic_ivau(p);
		else
			eqs_patch_dsb(p);
	}
	eqs_smp_mb(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true); /* every CPU takes the IPI: a CSE */
}

static void kick_full(struct eqs_patcher *p)
{
	write_then(p, "cdid");
}

static void kick_no_maint(struct eqs_patcher *p)
{
	write_then(p, "");
}

static void kick_no_dc(struct eqs_patcher *p)
{
	write_then(p, "did");
}

static void kick_dsb_only(struct eqs_patcher *p)
{
	write_then(p, "d");
}

/* Violations of a kick_all-style variant with this patcher, user path, 2 CPUs. */
static uint64_t maint_violations(eqs_patch_fn patch, bool idc, bool dic)
{
	const struct eqs_variant v = { .name = "test_explore_maint",
				       .patch = patch,
				       .broken_paths = EQS_PATHS_ALL,
				       .expect = ALL(EQS_EXPECT_BUG) };
	struct eqs_explore_config cfg;
	struct eqs_explore_report r;
	char err[EQS_ERRLEN];

	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.ctr_idc = idc;
	cfg.ctr_dic = dic;
	assert_int_equal(eqs_explore_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_true(r.complete);
	return r.violations;
}

static void test_cache_maintenance_explored(void **state)
{
	(void)state;
	assert_int_equal(maint_violations(kick_full, false, false), 0);
	assert_true(maint_violations(kick_no_maint, false, false) > 0);
	assert_true(maint_violations(kick_no_dc, false, false) > 0);
	assert_int_equal(maint_violations(kick_no_dc, true, false), 0); /* IDC */
	assert_true(maint_violations(kick_dsb_only, true, false) > 0);
	assert_int_equal(maint_violations(kick_dsb_only, false, true), 0); /* DIC */
}

static void test_hang_explored(void **state)
{
	const struct eqs_variant v = { .name = "test_explore_rendezvous",
				       .patch = broken_rendezvous_patch,
				       .expect = ALL(EQS_EXPECT_HANG) };
	struct eqs_explore_config cfg;
	struct eqs_explore_report r;
	char err[EQS_ERRLEN];

	(void)state;
	rendezvous_step = eqs_step_register("test_rendezvous", err, sizeof(err));
	assert_true(rendezvous_step >= 0);
	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.no_state_cache = true; /* the count is a global of this test's */
	assert_int_equal(eqs_explore_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_true(r.hung);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(strlen(r.cx_schedule) > 0);
	assert_true(r.cx_nr_steps > 0);
}

static void test_livelock_is_a_hang(void **state)
{
	struct eqs_variant v = { .name = "test_explore_livelock",
				 .rcu = EQS_RCU_CT_STATE,
				 .patch = retry_offer_forever,
				 .expect = ALL(EQS_EXPECT_OK) };
	struct eqs_explore_config cfg;
	struct eqs_explore_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	assert_int_equal(eqs_explore_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_true(r.hung);
	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
	assert_non_null(strstr(r.message, "livelock"));
	assert_true(strlen(r.cx_schedule) > 0);
	v.expect[EQS_MODEL_SC] = EQS_EXPECT_HANG;
	assert_int_equal(eqs_explore_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
}

/* PCT is seeded and deterministic; it hits the seed's race and states its bound. */
static void test_pct_hits_early_isb(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	eqs_explore_config_default(&cfg);
	cfg.strategy = EQS_EXPLORE_PCT;
	cfg.preemptions = 1;
	cfg.runs = 20000;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		cfg.seed = seed;
		struct eqs_explore_report *r = explore("early_isb", 2, EQS_PATH_USER, &cfg);

		assert_true(r->first_violating_run > 0);
		assert_true(r->pct_probability > 0 && r->pct_probability <= 1);
		assert_true(r->pct_runs_99 >= 1);
	}
}

/* The cache prunes; it must not change what is found. */
static void test_cache_agrees_with_reexecution(void **state)
{
	static const char *const names[] = { "early_isb",     "no_sync",      "vhe_guest_gap",
					     "eqs_exit_sync", "special_flag", "ct_work" };
	struct eqs_explore_config with, without;

	(void)state;
	eqs_explore_config_default(&with);
	with.preemptions = 2;
	without = with;
	without.no_state_cache = true;
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (int p = 0; p < EQS_PATH_COUNT; p++) {
			struct eqs_explore_report *r = explore(names[i], 1, p, &with);
			uint64_t found = r->violations, schedules = r->schedules;
			unsigned bound = r->preemption_bound;

			r = explore(names[i], 1, p, &without);
			assert_int_equal(found != 0, r->violations != 0);
			assert_int_equal(bound, r->preemption_bound);
			assert_true(schedules <= r->schedules);
		}
	}
}

/*
 * The same at 2 CPUs and 2 patches, where states are reached by many
 * different orders (bound 1: without the cache, bound 2 runs millions of
 * schedules).  The counterexample, when there is one, must be the same.
 */
static void test_cache_agrees_at_two_cpus_two_patches(void **state)
{
	static const struct {
		const char *name;
		enum eqs_path path;
	} cases[] = {
		{ "early_isb", EQS_PATH_USER },
		{ "eqs_exit_sync", EQS_PATH_USER },
		{ "vhe_guest_gap", EQS_PATH_GUEST },
		{ "special_flag", EQS_PATH_IRQ },
	};
	struct eqs_explore_config with, without;

	(void)state;
	eqs_explore_config_default(&with);
	with.patches = 2;
	with.preemptions = 1;
	without = with;
	without.no_state_cache = true;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct eqs_explore_report *r = explore(cases[i].name, 2, cases[i].path, &with);
		uint64_t found = r->violations, schedules = r->schedules;
		char cx[EQS_SCHEDULE_LEN];

		assert_true(r->complete);
		memcpy(cx, r->cx_schedule, sizeof(cx));
		cx[sizeof(cx) - 1] = 0;
		r = explore(cases[i].name, 2, cases[i].path, &without);
		assert_true(r->complete);
		assert_int_equal(found != 0, r->violations != 0);
		assert_true(schedules <= r->schedules);
		if (found)
			assert_string_equal(cx, r->cx_schedule);
	}
}

/* The file herd7 judged (docs/litmus/README.md gives its verdict), whole. */
static void read_litmus(const char *name, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.litmus", EQS_LITMUS_DIR, name);
	f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, len - 1, f);

	fclose(f);
	buf[n] = '\0';
}

/*
 * --emit-litmus writes, for the review's fix and for the dsb variant, the
 * very tests herd7 -variant ifetch judged allowed (row 5 of the shapes file:
 * the fix is not enough) and forbidden (row 3), byte for byte.
 */
static void test_litmus_is_the_herd_checked_one(void **state)
{
	static const char *const names[] = { "eqs_exit_sync", "eqs_exit_sync_dsb" };
	static char want[4096], got[4096];
	char err[EQS_ERRLEN];

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		read_litmus(names[i], want, sizeof(want));
		assert_int_equal(eqs_explore_litmus(eqs_variant_find(names[i]), EQS_PATH_USER, got,
						    sizeof(got), err, sizeof(err)),
				 0);
		assert_string_equal(got, want);
	}
	/* The two differ exactly in P1's dsb: the barrier herd7's verdict turns on. */
	assert_non_null(strstr(got, "| DSB ISH "));
	assert_int_equal(eqs_explore_litmus(eqs_variant_find("eqs_exit_sync"), EQS_PATH_USER, got,
					    16, err, sizeof(err)),
			 -ENOSPC);
}

/* A weaker exit update is written as it is: shapes-file row 1 is STR z; DSB ISH; ISB. */
static void test_litmus_follows_the_exit_order(void **state)
{
	static char buf[4096];
	struct eqs_variant v = *eqs_variant_find("eqs_exit_sync_dsb");
	char err[EQS_ERRLEN];

	(void)state;
	v.name = "test_relaxed_exit_dsb";
	v.exit_order = EQS_ORDER_RELAXED;
	assert_int_equal(eqs_explore_litmus(&v, EQS_PATH_USER, buf, sizeof(buf), err, sizeof(err)),
			 0);
	print_message("%s", buf);
	assert_non_null(strstr(buf, "| STR W4,[X3]         ;\n"));
	assert_non_null(strstr(buf, "| DSB ISH             ;\n"));
	assert_null(strstr(buf, "LDADDAL"));
	v.exit_order = EQS_ORDER_RELEASE;
	assert_int_equal(eqs_explore_litmus(&v, EQS_PATH_USER, buf, sizeof(buf), err, sizeof(err)),
			 0);
	assert_non_null(strstr(buf, "| STLR W4,[X3]        ;\n"));
}

static void test_litmus_refused_without_the_shape(void **state)
{
	static char buf[4096];
	char err[EQS_ERRLEN];

	(void)state;
	/* kick_all IPIs everyone: it never reads an RCU word to skip a CPU. */
	assert_int_equal(eqs_explore_litmus(eqs_variant_find("kick_all"), EQS_PATH_USER, buf,
					    sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "ipi_send"));
	/* special_flag's cmpxchg into the word is not the plain-read shape. */
	assert_int_equal(eqs_explore_litmus(eqs_variant_find("special_flag"), EQS_PATH_USER, buf,
					    sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "special_set"));
	assert_int_equal(eqs_explore_litmus(eqs_variant_find("urcu_qsbr"), EQS_PATH_USER, buf,
					    sizeof(buf), err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(eqs_explore_litmus(eqs_variant_find("eqs_exit_sync"), EQS_PATH_COUNT, buf,
					    sizeof(buf), err, sizeof(err)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_early_isb_each_path),
		cmocka_unit_test(test_no_sync_and_vhe_guest_gap),
		cmocka_unit_test(test_correct_variants_complete_at_bound_2),
		cmocka_unit_test(test_replay_reproduces),
		cmocka_unit_test(test_bad_replay_rejected),
		cmocka_unit_test(test_qsbr_not_explorable),
		cmocka_unit_test(test_user_variant_explores),
		cmocka_unit_test(test_patcher_barriers_as_x86_builds_them),
		cmocka_unit_test(test_path_that_never_tells_rcu_is_an_error),
		cmocka_unit_test(test_cache_maintenance_explored),
		cmocka_unit_test(test_hang_explored),
		cmocka_unit_test(test_livelock_is_a_hang),
		cmocka_unit_test(test_pct_hits_early_isb),
		cmocka_unit_test(test_cache_agrees_with_reexecution),
		cmocka_unit_test(test_cache_agrees_at_two_cpus_two_patches),
		cmocka_unit_test(test_litmus_is_the_herd_checked_one),
		cmocka_unit_test(test_litmus_follows_the_exit_order),
		cmocka_unit_test(test_litmus_refused_without_the_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
