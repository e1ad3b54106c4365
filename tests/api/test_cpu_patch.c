/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_cpu_patch.c - CPUs that patch, through the public header only:
 * arm64's stop_machine callback with the first CPU to arrive as master
 * (3.x, 4.x) and with the last (6.x), written with words and the CPU-side
 * write and cache maintenance, judged correct in exploration under sc,
 * tso and arm-ifetch and in stress; the same master without its cache
 * maintenance judged buggy under arm-ifetch (and correct under tso, where
 * the I-cache is coherent); a CPU that writes with no patch in flight is
 * an error.  Before these blocks the patcher was forced to be master.
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

#include <eqssim.h>

#define ALL(e)                                                                                     \
	{                                                                                          \
		[EQS_MODEL_TSO] = e, [EQS_MODEL_ARM64] = e, [EQS_MODEL_SC] = e,                    \
		[EQS_MODEL_ARM_IFETCH] = e, [EQS_MODEL_C11] = e                                    \
	}

enum {
	CPU_COUNT,
	NR_WORDS
};
static const struct eqs_word words[NR_WORDS] = { [CPU_COUNT] = { .name = "pp_cpu_count" } };
static int wait_step;
static bool skip_maint; /* the broken master: no cache maintenance */

/* while (atomic_read(&pp->cpu_count) <= num_online_cpus()) cpu_relax(); */
static bool master_done(void *arg)
{
	struct eqs_cpu *c = arg;

	return eqs_atomic_read(c, EQS_WORD(CPU_COUNT)) > eqs_cpu_nr_cpus(c);
}

static void master_patches(struct eqs_cpu *c)
{
	eqs_cpu_patch_write(c);
	if (!skip_maint)
		eqs_cpu_cache_maint(c); /* flush_icache_range(): dc cvau; dsb; ic ivau; dsb ... */
	eqs_isb(c);			/* ... isb */
	/* Notify other processors with an additional increment (relaxed, after the dsb). */
	eqs_atomic_inc(c, EQS_WORD(CPU_COUNT));
}

/* aarch64_insn_patch_text_cb() of 4.x: the first CPU to arrive is master. */
static void first_master_cb(struct eqs_cpu *c, void *info)
{
	(void)info;
	if (eqs_atomic_inc_return(c, EQS_WORD(CPU_COUNT)) == 1) {
		master_patches(c);
	} else {
		eqs_cpu_wait_until(c, wait_step, master_done, c);
		eqs_isb(c);
	}
}

/* The 6.x callback: the last CPU to arrive is master. */
static void last_master_cb(struct eqs_cpu *c, void *info)
{
	(void)info;
	if (eqs_atomic_inc_return(c, EQS_WORD(CPU_COUNT)) == eqs_cpu_nr_cpus(c)) {
		master_patches(c);
	} else {
		eqs_cpu_wait_until(c, wait_step, master_done, c);
		eqs_isb(c);
	}
}

/* stop_machine(cb, &patch, cpu_online_mask): every CPU runs it, and the caller waits. */
static void first_master_patch(struct eqs_patcher *p)
{
	eqs_atomic_set(p, EQS_WORD(CPU_COUNT), 0);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), first_master_cb, NULL, true);
}

static void last_master_patch(struct eqs_patcher *p)
{
	eqs_atomic_set(p, EQS_WORD(CPU_COUNT), 0);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), last_master_cb, NULL, true);
}

static const struct eqs_variant first_master = {
	.name = "test_first_cpu_master",
	.patch = first_master_patch,
	.words = words,
	.nr_words = NR_WORDS,
	.expect = ALL(EQS_EXPECT_OK),
};

static const struct eqs_variant last_master = {
	.name = "test_last_cpu_master",
	.patch = last_master_patch,
	.words = words,
	.nr_words = NR_WORDS,
	.expect = ALL(EQS_EXPECT_OK),
};

static struct eqs_explore_report xr;

static void explore(const struct eqs_variant *v, enum eqs_model model)
{
	struct eqs_explore_config xc;
	char err[EQS_ERRLEN];

	eqs_explore_config_default(&xc);
	xc.cpus = getenv("EQS_TEST_QUICK") ? 1 : 2; /* ThreadSanitizer and qemu: one */
	xc.paths[0] = EQS_PATH_IDLE;
	xc.nr_paths = 1;
	xc.model = model;
	xc.max_seconds = 120;
	if (eqs_explore_run(v, &xc, &xr, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	print_message("%s%s under %s: %s, %s, %llu schedules, %.2f s: %s\n", v->name,
		      skip_maint ? " without maintenance" : "", eqs_model_name(model),
		      eqs_verdict_name(xr.verdict), xr.complete ? "complete" : "incomplete",
		      (unsigned long long)xr.schedules, xr.seconds, xr.message);
}

static int setup(void **state)
{
	char err[EQS_ERRLEN];

	(void)state;
	wait_step = eqs_step_register("pp_wait_for_master", err, sizeof(err));
	if (wait_step < 0)
		fail_msg("%s", err);
	return 0;
}

static void test_cpu_masters_are_correct_under_every_model(void **state)
{
	const enum eqs_model models[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };
	const struct eqs_variant *vs[] = { &first_master, &last_master };

	(void)state;
	skip_maint = false;
	for (size_t i = 0; i < 2; i++)
		for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
			explore(vs[i], models[m]);
			assert_int_equal(xr.verdict, EQS_VERDICT_MATCH);
			assert_true(xr.complete);
		}
}

static void test_cpu_masters_match_in_stress(void **state)
{
	const struct eqs_variant *vs[] = { &first_master, &last_master };
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	skip_maint = false;
	eqs_config_default(&cfg);
	cfg.duration_s = 60; /* a maximum: the run ends once its verdict is earned */
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(eqs_stress_run(vs[i], &cfg, &r, err, sizeof(err)), 0);
		print_message("%s in stress: %s in %.2f s: %s\n", vs[i]->name,
			      eqs_verdict_name(r.verdict), r.seconds, r.message);
		assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
		assert_int_equal(r.syncs_leaving_out, 0);
	}
}

/* The master's maintenance is what makes its write fetchable on Arm: without it, stale text. */
static void test_master_without_maintenance_is_caught_under_arm_ifetch(void **state)
{
	(void)state;
	skip_maint = true;
	explore(&first_master, EQS_MODEL_ARM_IFETCH);
	assert_int_equal(xr.verdict, EQS_VERDICT_MISMATCH); /* expected correct, a violation */
	assert_true(xr.violations > 0);
	/* The counterexample names the word's accesses, and the master's write, by their steps. */
	bool word_named = false, write_named = false;

	for (unsigned i = 0; i < xr.cx_nr_steps && i < EQS_EXPLORE_TRACE_LEN; i++) {
		word_named |= !strcmp(eqs_step_name(xr.cx_steps[i].step), "pp_cpu_count");
		write_named |= !strcmp(eqs_step_name(xr.cx_steps[i].step), "cpu_patch_write");
	}
	assert_true(word_named);
	assert_true(write_named);
	explore(&first_master, EQS_MODEL_TSO); /* x86's I-cache is coherent: nothing to maintain */
	assert_int_equal(xr.verdict, EQS_VERDICT_MATCH);
	skip_maint = false;
}

/* A CPU that writes text outside any patch: the variant's error, named. */
static void write_on_exit(struct eqs_cpu *c)
{
	eqs_cpu_patch_write(c);
}

static void plain_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void test_cpu_write_with_no_patch_in_flight_is_an_error(void **state)
{
	const struct eqs_variant v = {
		.name = "test_cpu_write_outside_a_patch",
		.patch = plain_patch,
		.rcu_exit_sync = write_on_exit,
		.expect = ALL(EQS_EXPECT_OK),
	};

	(void)state;
	explore(&v, EQS_MODEL_SC);
	assert_int_equal(xr.verdict, EQS_VERDICT_ERROR);
	assert_non_null(
		strstr(xr.message, "eqs_cpu_patch_write() on cpu0 with no patch in flight"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_masters_are_correct_under_every_model),
		cmocka_unit_test(test_cpu_masters_match_in_stress),
		cmocka_unit_test(test_master_without_maintenance_is_caught_under_arm_ifetch),
		cmocka_unit_test(test_cpu_write_with_no_patch_in_flight_is_an_error),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
