/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_public_api.c - what an experiment sees, through include/eqssim.h
 * only: its own variants (a buggy one caught, a correct one clean), its
 * own named steps, and misuse answered with an error code and a message.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"
#include "broken_rendezvous.h"
#include "user_rendezvous.h"
#include "livelock.h"

static void skip_eqs_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap_full);
}

/* A dmb where the isb belongs: it orders data accesses and refetches nothing. */
static void dmb_instead_of_isb(struct eqs_cpu *c)
{
	eqs_dmb(c);
}

/* A user exit that forgets to tell RCU: a bug in the variant's code. */
static void user_exit_without_rcu(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_exec_text(c);
}

#define ALL(e)                                                                                     \
	{                                                                                          \
		[EQS_MODEL_TSO] = e, [EQS_MODEL_ARM64] = e, [EQS_MODEL_SC] = e,                    \
		[EQS_MODEL_ARM_IFETCH] = e, [EQS_MODEL_C11] = e                                    \
	}

static const struct eqs_variant my_correct = {
	.name = "test_my_correct",
	.patch = skip_eqs_patch,
	.rcu_exit_sync = eqs_isb,
	.expect = ALL(EQS_EXPECT_OK),
};

static const struct eqs_variant my_buggy = {
	.name = "test_my_buggy",
	.patch = skip_eqs_patch,
	.rcu_exit_sync = dmb_instead_of_isb,
	.broken_paths = EQS_PATHS_ALL,
	.expect = ALL(EQS_EXPECT_BUG),
};

static struct eqs_report run(const struct eqs_variant *v)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.duration_s = 60; /* a maximum: the run ends once its verdict is earned */
	if (eqs_stress_run(v, &cfg, &r, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	return r;
}

static void test_user_correct_variant_is_clean(void **state)
{
	(void)state;
	struct eqs_report r = run(&my_correct);

	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_int_equal(r.violations, 0);
	assert_true(r.exercised_races >= 100);
}

static void test_user_buggy_variant_is_caught(void **state)
{
	(void)state;
	struct eqs_report r = run(&my_buggy);

	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(r.violations > 0);
	assert_true(r.first_violation_ns >= 0);
	assert_int_equal(r.records[0].trace[r.records[0].nr_trace - 1].step,
			 eqs_step_lookup("exec_text"));
}

static void test_path_that_never_leaves_eqs_is_an_error(void **state)
{
	const struct eqs_variant forgetful = {
		.name = "test_forgetful",
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = user_exit_without_rcu },
		.expect = ALL(EQS_EXPECT_OK),
	};

	(void)state;
	struct eqs_report r = run(&forgetful);

	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r.message, "EQS"));
}

/* An idle entry that forgets rcu_idle_enter(): the harness says so. */
static void idle_enter_without_rcu(struct eqs_cpu *c)
{
	eqs_isb(c);
}

/* A guest entry written out by hand, with a step of its own. */
static int my_guest_step;

static void guest_enter_by_hand(struct eqs_cpu *c)
{
	eqs_cpu_step(c, my_guest_step);
	eqs_rcu_enter(c);
	eqs_exc_return(c);
}

static void test_enter_paths(void **state)
{
	char err[EQS_ERRLEN];
	const struct eqs_variant forgetful = {
		.name = "test_forgetful_enter",
		.patch = skip_eqs_patch,
		.rcu_exit_sync = eqs_isb,
		.enter = { [EQS_PATH_IDLE] = idle_enter_without_rcu },
		.expect = ALL(EQS_EXPECT_OK),
	};
	const struct eqs_variant by_hand = {
		.name = "test_guest_enter_by_hand",
		.patch = skip_eqs_patch,
		.rcu_exit_sync = eqs_isb,
		.enter = { [EQS_PATH_GUEST] = guest_enter_by_hand },
		.expect = ALL(EQS_EXPECT_OK),
	};

	(void)state;
	my_guest_step = eqs_step_register("test_guest_prep", err, sizeof(err));
	assert_true(my_guest_step >= 0);
	struct eqs_report r = run(&forgetful);

	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r.message, "eqs_rcu_enter"));
	r = run(&by_hand);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(r.eqs_exits_on_path[EQS_PATH_GUEST] > 0);
}

static void test_register_find_and_duplicates(void **state)
{
	char err[EQS_ERRLEN];
	int before = eqs_variant_count();

	(void)state;
	assert_int_equal(eqs_variant_register(&my_correct, err, sizeof(err)), 0);
	assert_int_equal(eqs_variant_count(), before + 1);
	assert_ptr_equal(eqs_variant_find("test_my_correct"), &my_correct);
	assert_int_equal(eqs_variant_register(&my_correct, err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "test_my_correct"));
	const struct eqs_variant clash = { .name = "early_isb", .patch = skip_eqs_patch };

	assert_int_equal(eqs_variant_register(&clash, err, sizeof(err)), -EEXIST);
}

static void test_misuse_is_an_error_not_a_crash(void **state)
{
	const struct eqs_variant no_name = { .patch = skip_eqs_patch };
	const struct eqs_variant no_patcher = { .name = "test_no_patcher" };
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.duration_s = 0.1;
	assert_int_equal(eqs_stress_run(&no_name, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "name"));
	assert_int_equal(eqs_variant_register(&no_name, err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_stress_run(&no_patcher, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "patcher"));
	assert_int_equal(eqs_stress_run(NULL, &cfg, &r, err, sizeof(err)), -EINVAL);

	cfg.cpus = 0;
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cpus"));
	cfg.cpus = EQS_MAX_CPUS + 1;
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cpus"));

	assert_int_equal(eqs_step_lookup("no_such_step"), -ENOENT);
	eqs_config_default(&cfg);
	assert_int_equal(eqs_config_set_delay(&cfg, "no_such_step=10", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no_such_step"));
	assert_int_equal(eqs_step_register("", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_step_register("a=b", err, sizeof(err)), -EINVAL);

	/* Out-of-range fields are refused, never defaulted. */
	eqs_config_default(&cfg);
	cfg.delay_ns[EQS_MAX_STEPS - 1] = 10; /* a step nobody registered */
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "registered"));
	eqs_config_default(&cfg);
	cfg.delay_ns[eqs_step_lookup("exc_entry")] = 4000000000u; /* 4 s */
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "at most 1 s"));
	eqs_config_default(&cfg);
	cfg.min_races = 0;
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	eqs_config_default(&cfg);
	cfg.aim_spread_ns = 1000001;
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "aim spread"));

	struct eqs_explore_config xc;
	struct eqs_explore_report xr;

	eqs_explore_config_default(&xc);
	xc.strategy = (enum eqs_explore_strategy)7;
	assert_int_equal(eqs_explore_run(&my_correct, &xc, &xr, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "strategy"));
	eqs_explore_config_default(&xc);
	xc.max_seconds = -1;
	assert_int_equal(eqs_explore_run(&my_correct, &xc, &xr, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "max_seconds"));
}

/*
 * A CPU number past the run's CPUs is the variant's error, named in the
 * verdict; before, eqs_snap(p, 99) on a 2-CPU run silently read cpu0.
 */
static void snap_cpu_99(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	(void)eqs_snap_full(p, 99);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void test_cpu_out_of_range_is_an_error(void **state)
{
	const struct eqs_variant v = {
		.name = "test_snap_cpu_99",
		.patch = snap_cpu_99,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	struct eqs_explore_config xc;
	static struct eqs_explore_report xr;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.duration_s = 60; /* ended by the error long before */
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r.message, "eqs_snap_full() with cpu 99 on a 2-CPU run"));
	assert_true(r.seconds < 30);

	eqs_explore_config_default(&xc);
	xc.cpus = 2;
	xc.model = EQS_MODEL_SC;
	assert_int_equal(eqs_explore_run(&v, &xc, &xr, err, sizeof(err)), 0);
	assert_int_equal(xr.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(xr.message, "eqs_snap_full() with cpu 99 on a 2-CPU run"));
}

/* The public layouts decode what eqs_snap() returns, as the library's own decoders do. */
static unsigned int ct_seen[4];
static unsigned nr_ct_seen;

static void ct_snaps_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p) && nr_ct_seen < 4; cpu++) {
		unsigned int w = eqs_snap_full(p, cpu);

		assert_int_equal((w & EQS_CT_RCU_WATCHING) != 0, eqs_ct_word_watching(w));
		assert_int_equal((int)(w & EQS_CT_STATE_MASK), eqs_ct_word_state(w));
		assert_int_equal(!(w & EQS_CT_RCU_WATCHING), eqs_snap_in_eqs(p, w));
		ct_seen[nr_ct_seen++] = w;
	}
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void dynticks_snaps_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		unsigned int w = eqs_snap_full(p, cpu);

		assert_int_equal(!(w & EQS_DYNTICKS_CTR), eqs_snap_in_eqs(p, w));
	}
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void test_rcu_word_layouts_are_public(void **state)
{
	const struct eqs_variant ct = {
		.name = "test_ct_layout",
		.rcu = EQS_RCU_CT_STATE,
		.patch = ct_snaps_patch,
	};
	const struct eqs_variant dt = {
		.name = "test_dynticks_layout",
		.rcu = EQS_RCU_DYNTICKS,
		.patch = dynticks_snaps_patch,
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.patches = 20;
	cfg.duration_s = 5;
	assert_int_equal(eqs_stress_run(&ct, &cfg, &r, err, sizeof(err)), 0);
	assert_true(nr_ct_seen > 0);
	/* A CPU whose state field says kernel is watched. */
	for (unsigned i = 0; i < nr_ct_seen; i++)
		assert_true((ct_seen[i] & EQS_CT_STATE_MASK) != EQS_CT_STATE_KERNEL ||
			    (ct_seen[i] & EQS_CT_RCU_WATCHING));
	assert_int_equal(eqs_stress_run(&dt, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(EQS_CT_WORK_SYNC_CORE & EQS_CT_WORK_MASK, EQS_CT_WORK_SYNC_CORE);
	assert_int_equal(EQS_CT_WORK_MASK & (EQS_CT_STATE_MASK | EQS_CT_RCU_WATCHING), 0);
}

/* A long delay does not stretch the budget: the run ends within its duration and a bound. */
static void test_budget_holds_during_a_delay(void **state)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.duration_s = 0.2;
	cfg.full_budget = true;
	assert_int_equal(eqs_config_set_delay(&cfg, "exc_entry=1000000000", err, sizeof(err)), 0);
	assert_int_equal(eqs_stress_run(&my_correct, &cfg, &r, err, sizeof(err)), 0);
	print_message("0.2 s budget with 1 s delays at exc_entry: %.2f s\n", r.seconds);
	assert_true(r.seconds < 0.2 + 0.5);
}

static void test_user_steps(void **state)
{
	char err[EQS_ERRLEN];
	struct eqs_config cfg;

	(void)state;
	int n = eqs_step_count();
	int mine = eqs_step_register("test_my_step", err, sizeof(err));

	assert_true(mine >= n);
	assert_int_equal(eqs_step_count(), n + 1);
	assert_int_equal(eqs_step_register("test_my_step", err, sizeof(err)), mine);
	assert_int_equal(eqs_step_register("exc_entry", err, sizeof(err)),
			 eqs_step_lookup("exc_entry"));
	assert_string_equal(eqs_step_name(mine), "test_my_step");
	eqs_config_default(&cfg);
	assert_int_equal(eqs_config_set_delay(&cfg, "test_my_step=300", err, sizeof(err)), 0);
	assert_int_equal(cfg.delay_ns[mine], 300);
}

static struct eqs_report run_with_entry_patches(const char *name)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.entry_patch_percent = 25;
	cfg.duration_s = 60; /* a maximum: kick_all needs its races on six paths, under load too */
	if (eqs_stress_run(eqs_variant_find(name), &cfg, &r, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	return r;
}

/* Entry code runs before RCU's exit: only a sync that IPIs every CPU may patch it. */
static void test_entry_patches_need_every_cpu_interrupted(void **state)
{
	(void)state;
	struct eqs_report kick = run_with_entry_patches("kick_all");

	assert_true(kick.entry_patches > 0);
	assert_int_equal(kick.protocol_errors, 0);
	assert_int_equal(kick.entry_violations, 0);
	assert_int_equal(kick.verdict, EQS_VERDICT_MATCH);

	struct eqs_report fix = run_with_entry_patches("eqs_exit_sync");

	assert_true(fix.entry_patches > 0);
	assert_true(fix.protocol_errors > 0);
	assert_true(fix.protocol_errors <= fix.entry_patches);
	/* Its exit paths are still right: the oracle finds no violation there. */
	assert_int_equal(fix.violations, 0);
}

/*
 * The deferral series' v7 rule, one if in the variant: a patch of noinstr
 * text IPIs every CPU, any other defers to CPUs not watching.  Without the
 * rule the same variant is an error (its deferral covers no entry code),
 * never a match, in the API's report as in the tool.
 */
static bool v7_defer_if_not_watching(struct eqs_patcher *p, unsigned cpu)
{
	return eqs_ct_work_set(p, cpu, EQS_CT_GATE_NOT_WATCHING);
}

static void v7_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	if (eqs_patch_site_kind(p) == EQS_SITE_NOINSTR)
		eqs_smp_call_many(p, eqs_all_cpus(p), true);
	else
		eqs_defer_or_ipi(p, v7_defer_if_not_watching);
}

static void v7_without_rule_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_defer_or_ipi(p, v7_defer_if_not_watching);
}

static void test_noinstr_rule_is_one_if(void **state)
{
	const struct eqs_variant v7 = {
		.name = "test_v7_gate",
		.rcu = EQS_RCU_CT_STATE,
		.patch = v7_patch,
		.deferred = eqs_isb,
		.expect = ALL(EQS_EXPECT_OK),
	};
	const struct eqs_variant v7_no_rule = {
		.name = "test_v7_gate_without_rule",
		.rcu = EQS_RCU_CT_STATE,
		.patch = v7_without_rule_patch,
		.deferred = eqs_isb,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.entry_patch_percent = 25;
	cfg.duration_s = 60; /* a maximum */
	assert_int_equal(eqs_stress_run(&v7, &cfg, &r, err, sizeof(err)), 0);
	print_message("v7 gate with its noinstr rule: %s, %llu entry patches: %s\n",
		      eqs_verdict_name(r.verdict), (unsigned long long)r.entry_patches, r.message);
	assert_true(r.entry_patches > 0);
	assert_int_equal(r.protocol_errors, 0);
	assert_int_equal(r.entry_violations, 0);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_int_equal(eqs_stress_run(&v7_no_rule, &cfg, &r, err, sizeof(err)), 0);
	assert_true(r.protocol_errors > 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
}

/*
 * A sync that waits only for the IPIs an earlier patch sent: those CPUs
 * took their IPI before this write and synced nothing of it.  Counting
 * them as waited for would let this patch of entry code pass; before
 * eqs_ipi_wait() counted only this patch's IPIs, it did.
 */
static unsigned stale_patches;

static void waits_for_last_patch(struct eqs_patcher *p)
{
	eqs_patch_choose_site(p, eqs_nr_sites(p) - 1); /* entry code, every time */
	eqs_ipi_wait(p, eqs_all_cpus(p));	       /* the last patch's IPIs */
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* The first patch waits for its own, then leaves IPIs in flight as every later one does. */
	if (stale_patches++ == 0)
		eqs_smp_call_many(p, eqs_all_cpus(p), true);
	eqs_smp_call_many(p, eqs_all_cpus(p), false);
}

static void test_stale_ipis_are_not_waited_for(void **state)
{
	const struct eqs_variant v = {
		.name = "test_waits_for_last_patch",
		.patch = waits_for_last_patch,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.entry_sites = 1;
	cfg.duration_s = 10;
	stale_patches = 0;
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_true(r.entry_patches > 1);
	assert_true(r.protocol_errors > 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
}

/* A patch that chooses its site: any in range before its write; none after, or out of range. */
static void choose_last_site(struct eqs_patcher *p)
{
	unsigned last = eqs_nr_sites(p) - 1;

	eqs_patch_choose_site(p, last);
	assert_int_equal(eqs_patch_site(p), last);
	assert_int_equal(eqs_patch_site_kind(p), eqs_site_kind(p, last));
	eqs_smp_call_many(p, eqs_all_cpus(p), true); /* every CPU, whatever the site */
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void choose_after_write(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_choose_site(p, 0);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void test_patch_chooses_its_site(void **state)
{
	const struct eqs_variant last = {
		.name = "test_choose_last_site",
		.patch = choose_last_site,
		.expect = ALL(EQS_EXPECT_OK),
	};
	const struct eqs_variant late = {
		.name = "test_choose_after_write",
		.patch = choose_after_write,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.sites = 2;
	cfg.entry_sites = 1;
	cfg.patches = 50;
	cfg.duration_s = 10;
	assert_int_equal(eqs_stress_run(&last, &cfg, &r, err, sizeof(err)), 0);
	/* Every patch went to the noinstr site, and interrupted every CPU. */
	assert_int_equal(r.entry_patches, r.patches);
	assert_int_equal(r.protocol_errors, 0);
	assert_int_equal(eqs_stress_run(&late, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(
		strstr(r.message, "eqs_patch_choose_site() with site 0 after this patch's write"));
}

static void test_entry_patch_config_checked(void **state)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.entry_patch_percent = 101;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	cfg.entry_patch_percent = 10;
	cfg.entry_sites = 0;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "entry"));
	cfg.entry_sites = EQS_MAX_SITES;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
}

/*
 * Race accounting is the library's: a patcher written out by hand, which
 * tells the library nothing about whom it skipped, earns the same kind of
 * count as the built-in block; and no sync counts a CPU twice.
 */
static void skip_by_hand(struct eqs_patcher *p)
{
	uint64_t ipi = 0;

	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++)
		if (!eqs_snap_in_eqs(p, eqs_snap(p, cpu)))
			ipi |= 1ull << cpu;
	eqs_smp_call_many(p, ipi, true);
}

/*
 * Each report's races are once per CPU and sync at the most (the old
 * count took every exit overlapping a sync: 226,538 for this by-hand
 * patcher, 389,711 for kick_all's 215 patches), and add up by path.
 */
static void check_race_count(const struct eqs_report *r)
{
	uint64_t sum = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		sum += r->exercised_races_on_path[p];
	assert_int_equal(sum, r->exercised_races);
	assert_true(r->exercised_races <= r->patches * r->cpus);
}

static void test_races_are_derived_not_declared(void **state)
{
	const struct eqs_variant by_hand = {
		.name = "test_skip_by_hand",
		.patch = skip_by_hand,
		.rcu_exit_sync = eqs_isb,
		.expect = ALL(EQS_EXPECT_OK),
	};
	const char *const builtins[] = { "eqs_exit_sync", "kick_all", "special_flag" };

	(void)state;
	struct eqs_report r = run(&by_hand);

	print_message("by hand: %llu races over %llu patches, %s\n",
		      (unsigned long long)r.exercised_races, (unsigned long long)r.patches,
		      r.message);
	/* The library saw whom the syncs left out, and earned the verdict per path. */
	assert_true(r.syncs_leaving_out > 0);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	for (int p = 0; p < EQS_PATH_COUNT; p++)
		if (r.eqs_exits_on_path[p])
			assert_true(r.exercised_races_on_path[p] >= 30);
	check_race_count(&r);
	for (unsigned i = 0; i < 3; i++) {
		r = run(eqs_variant_find(builtins[i]));
		assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
		check_race_count(&r);
	}
}

/*
 * A rendezvous written with public blocks earns match: its sync sends
 * without waiting and waits for the handlers with eqs_ipi_wait(), so the
 * CPUs count as waited for.  Before eqs_ipi_wait() such a rendezvous had
 * to wait on a count of its own, was accounted as leaving every CPU out,
 * and stayed inconclusive for ever.
 */
static void test_user_rendezvous_earns_match(void **state)
{
	const struct eqs_variant v = {
		.name = "test_user_rendezvous",
		.patch = user_rendezvous_patch,
		USER_RENDEZVOUS_WORDS,
		.expect = ALL(EQS_EXPECT_OK),
	};
	char err[EQS_ERRLEN];
	struct eqs_report r;

	(void)state;
	assert_int_equal(user_rendezvous_register(err, sizeof(err)), 0);
	user_rendezvous_extra = 0;
	r = run(&v);
	print_message("user rendezvous: %s in %.2f s: %s\n", eqs_verdict_name(r.verdict), r.seconds,
		      r.message);
	assert_int_equal(r.syncs_leaving_out, 0);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
}

static void test_hang_is_a_verdict(void **state)
{
	struct eqs_variant v = {
		.name = "test_broken_rendezvous",
		.patch = broken_rendezvous_patch,
		.expect = ALL(EQS_EXPECT_HANG),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	rendezvous_step = eqs_step_register("test_rendezvous", err, sizeof(err));
	assert_true(rendezvous_step >= 0);
	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.duration_s = 60; /* the hang must end it long before */
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	print_message("broken rendezvous: %s in %.2f s: %s\n", eqs_verdict_name(r.verdict),
		      r.seconds, r.message);
	assert_true(r.hung);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_true(r.seconds < 30);
	assert_int_equal(r.nr_hang_threads, 3);
	/* Where they stood: each CPU in the rendezvous, the patcher waiting for the IPIs. */
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(r.hang[i].steps[r.hang[i].nr_steps - 1], rendezvous_step);
	assert_int_equal(r.hang[2].thread, EQS_HANG_PATCHER);
	assert_string_equal(eqs_step_name(r.hang[2].steps[r.hang[2].nr_steps - 1]), "ipi_wait");
	/* Not expected to hang: the hang is the verdict, not a match. */
	v.expect[eqs_host_model()] = EQS_EXPECT_OK;
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
}

/* A wait nobody satisfies while the CPUs run on freely: the patcher alone stands still. */
static bool never(void *arg)
{
	(void)arg;
	return false;
}

static void patch_then_wait_forever(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_patcher_wait_until(p, rendezvous_step, never, NULL);
}

static struct eqs_report run_hanging(const struct eqs_variant *v, double max_s)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.weights[EQS_ACT_GUEST] = 0;
	cfg.duration_s = max_s;
	assert_int_equal(eqs_stress_run(v, &cfg, &r, err, sizeof(err)), 0);
	print_message("%s: %s in %.2f s: %s\n", v->name, eqs_verdict_name(r.verdict), r.seconds,
		      r.message);
	return r;
}

static void test_livelock_and_lone_wait_are_hangs(void **state)
{
	static const struct eqs_variant lone_wait = {
		.name = "test_lone_wait",
		.patch = patch_then_wait_forever,
		.expect = ALL(EQS_EXPECT_OK),
	};
	static const struct eqs_variant livelock = {
		.name = "test_livelock",
		.rcu = EQS_RCU_CT_STATE,
		.patch = retry_offer_forever,
		.expect = ALL(EQS_EXPECT_OK),
	};
	char err[EQS_ERRLEN];

	(void)state;
	rendezvous_step = eqs_step_register("test_rendezvous", err, sizeof(err));
	assert_true(rendezvous_step >= 0);
	struct eqs_report r = run_hanging(&lone_wait, 60); /* the hang must end it long before */

	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
	assert_int_equal(r.hung_thread, EQS_HANG_PATCHER);
	assert_int_equal(r.threads_left, 0); /* its wait gave up */
	assert_true(r.seconds < 30);
	/* A budget that ends before the watchdog would fire: the stop must not hang either. */
	r = run_hanging(&lone_wait, 0.5);
	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
	assert_true(r.seconds < 30);
	r = run_hanging(&livelock, 0.5);
	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
	assert_int_equal(r.threads_left, 1);
	r = run_hanging(&livelock, 60);
	assert_int_equal(r.verdict, EQS_VERDICT_HANG);
	assert_int_equal(r.hung_thread, EQS_HANG_PATCHER);
	assert_string_equal(eqs_step_name(r.hang[2].steps[r.hang[2].nr_steps - 1]), "ct_work_set");
	assert_int_equal(r.threads_left, 1); /* the loop never ends: parked */
	assert_true(r.seconds < 30);
}

/*
 * kick_all_cpus_sync() after a write with no cache maintenance: the IPI's
 * exception entry refetches, but from the point of unification, which
 * nothing advanced.  Buggy wherever the I-cache is not coherent (arm64
 * stress, exploration); correct on x86, whose I-cache is.
 */
static void kick_all_without_maint(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	/* Missing: eqs_patch_cache_maint(p). */
	eqs_smp_mb(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static const struct eqs_variant no_cache_maint = {
	.name = "test_no_cache_maint",
	.patch = kick_all_without_maint,
	.broken_paths = EQS_PATHS_ALL,
	.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_OK,
		    [EQS_MODEL_ARM64] = EQS_EXPECT_BUG,
		    [EQS_MODEL_SC] = EQS_EXPECT_BUG,
		    [EQS_MODEL_ARM_IFETCH] = EQS_EXPECT_BUG,
		    [EQS_MODEL_C11] = EQS_EXPECT_BUG },
};

static void test_missing_cache_maintenance(void **state)
{
	(void)state;
	struct eqs_report r = run(&no_cache_maint);

	print_message("no cache maintenance under %s: %s, %llu violations\n",
		      eqs_model_name(r.model), eqs_verdict_name(r.verdict),
		      (unsigned long long)r.violations);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	if (r.model == EQS_MODEL_TSO)
		assert_int_equal(r.violations, 0);
	else
		assert_true(r.violations > 0);
}

/*
 * The patch window protects a step of the user's too.  Between the text
 * write and the counter reads a delay would let the store drain and hide a
 * store-buffering bug, so a delay asked for at a user step the patcher
 * records there is never applied; the same delay at a user step outside
 * the window (on the CPU's exit path) is applied like a built-in one.
 */
static int window_step, exit_step;

static void patch_with_step_in_window(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patcher_step(p, window_step); /* inside the window */
	eqs_patch_cache_maint(p);
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap);
}

static void user_exit_with_step(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_enable_irqs(c);
	eqs_rcu_exit(c);
	eqs_cpu_step(c, exit_step); /* outside any window */
	eqs_exec_text(c);
}

static struct eqs_report run_delayed(const struct eqs_variant *v, const char *delay)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.duration_s = 0.3;
	if (delay)
		assert_int_equal(eqs_config_set_delay(&cfg, delay, err, sizeof(err)), 0);
	if (eqs_stress_run(v, &cfg, &r, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	return r;
}

static void test_user_step_delays_respect_the_window(void **state)
{
	char err[EQS_ERRLEN];
	const struct eqs_variant in_window = {
		.name = "test_step_in_window",
		.patch = patch_with_step_in_window,
		.rcu_exit_sync = eqs_isb,
		.expect = ALL(EQS_EXPECT_OK),
	};
	const struct eqs_variant on_exit = {
		.name = "test_step_on_exit",
		.patch = skip_eqs_patch,
		.rcu_exit_sync = eqs_isb,
		.exit = { [EQS_PATH_USER] = user_exit_with_step },
		.expect = ALL(EQS_EXPECT_OK),
	};

	(void)state;
	window_step = eqs_step_register("test_window_step", err, sizeof(err));
	exit_step = eqs_step_register("test_exit_step", err, sizeof(err));
	assert_true(window_step >= 0 && exit_step >= 0);
	/* 20 ms at most per patch if it were applied: at most ~30 patches in 0.3 s. */
	struct eqs_report r = run_delayed(&in_window, "test_window_step=20000000");

	print_message("window step delayed 20 ms: %llu patches in 0.3 s\n",
		      (unsigned long long)r.patches);
	assert_true(r.patches > 200);
	/* 2 ms at most per user exit: far fewer exits than without. */
	r = run_delayed(&on_exit, "test_exit_step=2000000");
	uint64_t delayed = r.eqs_exits_on_path[EQS_PATH_USER];

	r = run_delayed(&on_exit, NULL);
	print_message("user exits in 0.3 s: %llu with a 2 ms delay at a user step, %llu without\n",
		      (unsigned long long)delayed,
		      (unsigned long long)r.eqs_exits_on_path[EQS_PATH_USER]);
	/*
	 * After the stop a delay is cut short and the CPUs finish their actions
	 * at full speed, so the count is relative, not absolute: without the
	 * delay ten times as many natively, six under two CPU burners.
	 */
	assert_true(delayed > 0);
	assert_true(r.eqs_exits_on_path[EQS_PATH_USER] > 2 * delayed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_correct_variant_is_clean),
		cmocka_unit_test(test_user_buggy_variant_is_caught),
		cmocka_unit_test(test_path_that_never_leaves_eqs_is_an_error),
		cmocka_unit_test(test_enter_paths),
		cmocka_unit_test(test_register_find_and_duplicates),
		cmocka_unit_test(test_misuse_is_an_error_not_a_crash),
		cmocka_unit_test(test_cpu_out_of_range_is_an_error),
		cmocka_unit_test(test_rcu_word_layouts_are_public),
		cmocka_unit_test(test_budget_holds_during_a_delay),
		cmocka_unit_test(test_user_steps),
		cmocka_unit_test(test_missing_cache_maintenance),
		cmocka_unit_test(test_user_rendezvous_earns_match),
		cmocka_unit_test(test_hang_is_a_verdict),
		cmocka_unit_test(test_livelock_and_lone_wait_are_hangs),
		cmocka_unit_test(test_races_are_derived_not_declared),
		cmocka_unit_test(test_user_step_delays_respect_the_window),
		cmocka_unit_test(test_entry_patches_need_every_cpu_interrupted),
		cmocka_unit_test(test_entry_patch_config_checked),
		cmocka_unit_test(test_noinstr_rule_is_one_if),
		cmocka_unit_test(test_patch_chooses_its_site),
		cmocka_unit_test(test_stale_ipis_are_not_waited_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
