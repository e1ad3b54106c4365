/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_words.c - a variant's words of its own (struct eqs_word) through the
 * public header only: a rendezvous kept in words is judged correct under
 * every exploration model and earns match in stress, where the same
 * rendezvous kept in C atomics (all a variant could write before) is
 * judged buggy under tso; each access is a step named after its word, an
 * ordering point an edit can name; per-CPU words and first values; and
 * every misuse is an error verdict with its message, never a crash.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <eqssim.h>

#include "user_rendezvous.h"

#define ALL(e)                                                                                     \
	{                                                                                          \
		[EQS_MODEL_TSO] = e, [EQS_MODEL_ARM64] = e, [EQS_MODEL_SC] = e,                    \
		[EQS_MODEL_ARM_IFETCH] = e, [EQS_MODEL_C11] = e                                    \
	}

static const struct eqs_variant words_rendezvous = {
	.name = "test_words_rendezvous",
	.patch = user_rendezvous_patch,
	USER_RENDEZVOUS_WORDS,
	.expect = ALL(EQS_EXPECT_OK),
};

/*
 * arm64's stop_machine shape, where the CPUs run the patched code inside
 * the callback, after the release and their isb, and the patcher does not
 * wait for them to leave: written with words, and with C atomics.  The
 * memory models do not buffer a C atomic, so under tso the C release
 * overtakes the text write still in the patcher's store buffer, the CPU
 * refetches the old text, and runs it once the sync is published.
 */
static bool w_released_yet(void *arg)
{
	return eqs_smp_load_acquire((struct eqs_cpu *)arg, EQS_WORD(UR_RELEASED)) != 0;
}

static void w_arrive_and_run(struct eqs_cpu *c, void *info)
{
	(void)info;
	eqs_atomic_inc(c, EQS_WORD(UR_ARRIVED));
	eqs_cpu_wait_until(c, user_rendezvous_arrive_step, w_released_yet, c);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void w_patch(struct eqs_patcher *p)
{
	eqs_smp_call_func_many(p, eqs_all_cpus(p), w_arrive_and_run, NULL, false);
	eqs_patcher_wait_until(p, user_rendezvous_gather_step, user_rendezvous_all_arrived, p);
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_store_release(p, EQS_WORD(UR_RELEASED), 1);
}

static const struct eqs_variant w_stop_machine = {
	.name = "test_words_stop_machine",
	.patch = w_patch,
	USER_RENDEZVOUS_WORDS,
	.expect = ALL(EQS_EXPECT_OK),
};

static atomic_uint c_arrived, c_released;

static bool c_released_yet(void *arg)
{
	(void)arg;
	return atomic_load(&c_released) != 0;
}

static bool c_all_arrived(void *arg)
{
	return atomic_load(&c_arrived) >= eqs_nr_cpus(arg);
}

static void c_arrive_and_run(struct eqs_cpu *c, void *info)
{
	(void)info;
	atomic_fetch_add(&c_arrived, 1);
	eqs_cpu_wait_until(c, user_rendezvous_arrive_step, c_released_yet, NULL);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void c_patch(struct eqs_patcher *p)
{
	atomic_store(&c_arrived, 0);
	atomic_store(&c_released, 0);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), c_arrive_and_run, NULL, false);
	eqs_patcher_wait_until(p, user_rendezvous_gather_step, c_all_arrived, p);
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	atomic_store(&c_released, 1);
}

static const struct eqs_variant c_stop_machine = {
	.name = "test_c_atomics_stop_machine",
	.patch = c_patch,
	.expect = ALL(EQS_EXPECT_OK),
};

static struct eqs_explore_report xr;

/*
 * One scenario: each CPU goes idle, the IPI wakes it; two CPUs, or one
 * under EQS_TEST_QUICK (ThreadSanitizer and qemu: the patcher and one CPU
 * are the shape every verdict here needs).
 */
static void scenario(struct eqs_explore_config *xc)
{
	eqs_explore_config_default(xc);
	xc->cpus = getenv("EQS_TEST_QUICK") ? 1 : 2;
	xc->paths[0] = EQS_PATH_IDLE;
	xc->nr_paths = 1;
}

static void explore(const struct eqs_variant *v, enum eqs_model model, bool state_cache)
{
	struct eqs_explore_config xc;
	char err[EQS_ERRLEN];

	scenario(&xc);
	xc.model = model;
	xc.no_state_cache = !state_cache;
	xc.max_seconds = 120;
	if (eqs_explore_run(v, &xc, &xr, err, sizeof(err)))
		fail_msg("%s: %s", v->name, err);
	print_message("%s under %s: %s, %s, %llu schedules, %.2f s: %s\n", v->name,
		      eqs_model_name(model), eqs_verdict_name(xr.verdict),
		      xr.complete ? "complete" : "incomplete", (unsigned long long)xr.schedules,
		      xr.seconds, xr.message);
}

static int setup(void **state)
{
	char err[EQS_ERRLEN];

	(void)state;
	if (user_rendezvous_register(err, sizeof(err)))
		fail_msg("%s", err);
	return 0;
}

static void test_rendezvous_in_words_is_correct_under_every_model(void **state)
{
	const enum eqs_model models[] = { EQS_MODEL_SC, EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };

	(void)state;
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		explore(&words_rendezvous, models[i], true);
		assert_int_equal(xr.verdict, EQS_VERDICT_MATCH);
		assert_true(xr.complete);
	}
}

/* What the words exist for: in C atomics, a correct stop_machine is judged buggy under tso. */
static void test_stop_machine_in_c_atomics_is_misjudged_under_tso(void **state)
{
	(void)state;
	explore(&w_stop_machine, EQS_MODEL_TSO, true);
	assert_int_equal(xr.verdict, EQS_VERDICT_MATCH);
	assert_true(xr.complete);
	explore(&c_stop_machine, EQS_MODEL_TSO, false);
	assert_int_equal(xr.verdict,
			 EQS_VERDICT_MISMATCH); /* expected correct, shown a violation */
	assert_true(xr.violations > 0);
}

static void test_rendezvous_in_words_matches_in_stress(void **state)
{
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	user_rendezvous_extra = 0;
	eqs_config_default(&cfg);
	cfg.duration_s = 60; /* a maximum: the run ends once its verdict is earned */
	assert_int_equal(eqs_stress_run(&words_rendezvous, &cfg, &r, err, sizeof(err)), 0);
	print_message("stress: %s in %.2f s: %s\n", eqs_verdict_name(r.verdict), r.seconds,
		      r.message);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	assert_int_equal(r.syncs_leaving_out, 0);
}

/* Each access is a step named after its word, and an ordering point an edit names. */
static void test_word_accesses_are_named_points(void **state)
{
	static struct eqs_ablation ab;
	struct eqs_explore_config xc;
	struct eqs_edit e;
	char err[EQS_ERRLEN], name[96];
	bool found = false;

	(void)state;
	assert_int_equal(eqs_variant_register(&words_rendezvous, err, sizeof(err)), 0);
	assert_true(eqs_step_lookup("ur_released") >= 0);
	assert_true(eqs_step_lookup("ur_arrived") >= 0);
	assert_int_equal(eqs_edit_parse("patcher.ur_released.1=weaken", &e, err, sizeof(err)), 0);
	assert_int_equal(e.point.step, eqs_step_lookup("ur_released"));

	scenario(&xc);
	assert_int_equal(eqs_explore_ablation_rows(&words_rendezvous, &xc, &ab, err, sizeof(err)),
			 0);
	for (unsigned i = 0; i < ab.nr_rows; i++) {
		eqs_point_name(&ab.rows[i].edit.point, name, sizeof(name));
		found |= !strcmp(name, "patcher: ur_released #2");
	}
	/* The patcher's second access of ur_released is its store-release (its reset is the first). */
	if (!found)
		for (unsigned i = 0; i < ab.nr_rows; i++)
			print_message("row: %s\n", ab.rows[i].name);
	assert_true(found);

	/* Weakened, the release is a plain store: still correct, its dsb orders the write. */
	assert_int_equal(eqs_edit_parse("patcher.ur_released.2=weaken", &xc.edit, err, sizeof(err)),
			 0);
	xc.model = EQS_MODEL_ARM_IFETCH;
	assert_int_equal(eqs_explore_run(&words_rendezvous, &xc, &xr, err, sizeof(err)), 0);
	/* An edited variant has no expectation: judged by what its schedules showed. */
	assert_int_equal(xr.violations, 0);
	assert_true(xr.complete);
}

/* Per-CPU words, and the first value a word is declared with. */
enum {
	PC_SEEN,
	PC_START,
	PC_NR
};
static const struct eqs_word per_cpu_words[PC_NR] = {
	[PC_SEEN] = { .name = "pc_seen", .per_cpu = true },
	[PC_START] = { .name = "pc_start", .init = 7 },
};
static unsigned int first_start; /* the patcher's first read, before its first patch */

static void pc_handler(struct eqs_cpu *c, void *info)
{
	(void)info;
	eqs_isb(c);
	eqs_smp_store_release(c, EQS_CPU_WORD(PC_SEEN, eqs_cpu_id(c)),
			      eqs_read_once(c, EQS_CPU_WORD(PC_SEEN, eqs_cpu_id(c))) + 1);
}

static bool pc_all_seen(void *arg)
{
	struct eqs_patcher *p = arg;
	unsigned int want = eqs_read_once(p, EQS_WORD(PC_START)) - 7; /* patches so far */

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++)
		if (eqs_smp_load_acquire(p, EQS_CPU_WORD(PC_SEEN, cpu)) != want)
			return false;
	return true;
}

static void pc_patch(struct eqs_patcher *p)
{
	unsigned int start = eqs_atomic_inc_return(p, EQS_WORD(PC_START));

	if (!first_start)
		first_start = start - 1;
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), pc_handler, NULL, false);
	eqs_patcher_wait_until(p, user_rendezvous_gather_step, pc_all_seen, p);
}

static void test_per_cpu_words_and_first_values(void **state)
{
	const struct eqs_variant v = {
		.name = "test_per_cpu_words",
		.patch = pc_patch,
		.words = per_cpu_words,
		.nr_words = PC_NR,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.duration_s = 60;
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(first_start, 7);
	assert_int_equal(r.verdict, EQS_VERDICT_MATCH);
	explore(&v, EQS_MODEL_TSO, true);
	assert_int_equal(xr.verdict, EQS_VERDICT_MATCH);
	assert_true(xr.complete);
}

/* Every misuse of a word: an error verdict naming it, in stress and exploration. */
static int misuse_case;
static const struct {
	const char *message;
} misuses[] = {
	{ "word 9 of a variant that declares 2" },
	{ "per-CPU word 'pc_seen' without a CPU (EQS_CPU_WORD)" },
	{ "global word 'pc_start' with a CPU (EQS_WORD)" },
	{ "word 'pc_seen' of cpu 5 on a 2-CPU run" },
	{ "a store with acquire order" },
	{ "a load with release order" },
	{ "unknown access 42" },
	{ "a load with full order" },
};

static void misuse_patch(struct eqs_patcher *p)
{
	switch (misuse_case) {
	case 0:
		eqs_atomic_inc(p, EQS_WORD(9));
		break;
	case 1:
		eqs_read_once(p, EQS_WORD(PC_SEEN));
		break;
	case 2:
		eqs_read_once(p, EQS_CPU_WORD(PC_START, 0));
		break;
	case 3:
		eqs_write_once(p, EQS_CPU_WORD(PC_SEEN, 5), 1);
		break;
	case 4:
		eqs_patcher_word_op(p, EQS_WORD(PC_START), EQS_WORD_STORE, EQS_ORDER_ACQUIRE, 1, 0);
		break;
	case 5:
		eqs_patcher_word_op(p, EQS_WORD(PC_START), EQS_WORD_LOAD, EQS_ORDER_RELEASE, 0, 0);
		break;
	case 6:
		eqs_patcher_word_op(p, EQS_WORD(PC_START), (enum eqs_word_op)42, EQS_ORDER_FULL, 0,
				    0);
		break;
	default:
		eqs_patcher_word_op(p, EQS_WORD(PC_START), EQS_WORD_LOAD, EQS_ORDER_FULL, 0, 0);
		break;
	}
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

/* A CPU's misuse, in its IPI handler: logged by the CPU, judged the same. */
static void misuse_on_cpu(struct eqs_cpu *c, void *info)
{
	(void)info;
	eqs_atomic_xchg(c, EQS_CPU_WORD(PC_SEEN, 63), 1);
}

static void cpu_misuse_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), misuse_on_cpu, NULL, true);
}

static void test_word_misuse_is_an_error(void **state)
{
	struct eqs_variant v = {
		.name = "test_word_misuse",
		.patch = misuse_patch,
		.words = per_cpu_words,
		.nr_words = PC_NR,
		.expect = ALL(EQS_EXPECT_OK),
	};
	struct eqs_config cfg;
	struct eqs_report r;
	struct eqs_explore_config xc;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.duration_s = 60; /* ended by the error long before */
	scenario(&xc);
	xc.cpus = 2; /* as the stress runs: the messages name a 2-CPU run */
	for (misuse_case = 0; misuse_case < (int)(sizeof(misuses) / sizeof(misuses[0]));
	     misuse_case++) {
		assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
		if (r.verdict != EQS_VERDICT_ERROR ||
		    !strstr(r.message, misuses[misuse_case].message))
			fail_msg("case %d: %s: %s", misuse_case, eqs_verdict_name(r.verdict),
				 r.message);
		assert_int_equal(eqs_explore_run(&v, &xc, &xr, err, sizeof(err)), 0);
		assert_int_equal(xr.verdict, EQS_VERDICT_ERROR);
		assert_non_null(strstr(xr.message, misuses[misuse_case].message));
	}
	v.patch = cpu_misuse_patch;
	assert_int_equal(eqs_stress_run(&v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r.message, "on cpu"));
	assert_non_null(strstr(r.message, "word 'pc_seen' of cpu 63 on a 2-CPU run"));
}

/* Declarations the library refuses, each with its reason. */
static void test_bad_declarations_are_refused(void **state)
{
	const struct eqs_word twice[] = { { .name = "w" }, { .name = "w" } };
	const struct eqs_word unnamed[] = { { .name = NULL } };
	const struct eqs_word spaced[] = { { .name = "a word" } };
	const struct eqs_word builtin[] = { { .name = "isb" } };
	struct eqs_word many[EQS_MAX_WORDS + 1];
	const struct {
		const struct eqs_word *words;
		unsigned n;
		const char *message;
	} bad[] = {
		{ twice, 2, "two words called 'w'" },  { unnamed, 1, "needs a C identifier" },
		{ spaced, 1, "needs a C identifier" }, { builtin, 1, "has a built-in step's name" },
		{ NULL, 1, "no declarations" },	       { many, EQS_MAX_WORDS + 1, "at most 16" },
	};
	char err[EQS_ERRLEN];

	(void)state;
	memset(many, 0, sizeof(many));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct eqs_variant v = {
			.name = "test_bad_words",
			.patch = misuse_patch,
			.words = bad[i].words,
			.nr_words = bad[i].n,
		};

		assert_int_equal(eqs_variant_check(&v, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, bad[i].message));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rendezvous_in_words_is_correct_under_every_model),
		cmocka_unit_test(test_stop_machine_in_c_atomics_is_misjudged_under_tso),
		cmocka_unit_test(test_rendezvous_in_words_matches_in_stress),
		cmocka_unit_test(test_word_accesses_are_named_points),
		cmocka_unit_test(test_per_cpu_words_and_first_values),
		cmocka_unit_test(test_word_misuse_is_an_error),
		cmocka_unit_test(test_bad_declarations_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
