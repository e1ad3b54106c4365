/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_verdict.c - the one judge (verdict.h), rule by rule and in its
 * order: a hang first; a simulator error; a protocol error or stale entry
 * code, never a match; a violation on a path the variant declares safe
 * (under the model judged); then the expectation, with the driver's words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "verdict.h"

/* Broken on idle everywhere, and on guest under arm-ifetch only. */
static const struct eqs_variant buggy = {
	.name = "test_buggy",
	.broken_paths = EQS_PATH_BIT(EQS_PATH_IDLE),
	.broken_paths_under = { [EQS_MODEL_ARM_IFETCH] = EQS_PATH_BIT(EQS_PATH_GUEST) },
	.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_BUG, [EQS_MODEL_ARM_IFETCH] = EQS_EXPECT_BUG },
};

static const struct eqs_variant correct = {
	.name = "test_correct",
	.expect = { [EQS_MODEL_TSO] = EQS_EXPECT_OK },
};

static const struct verdict_words words = {
	.hang = "w:hang",
	.caught = "w:caught",
	.not_caught = "w:not_caught",
	.violated = "w:violated",
	.clean = "w:clean",
	.short_of = "w:short_of",
	.finished = "w:finished",
	.no_expectation = "w:no_expectation",
	.na = EQS_VERDICT_NA,
	.where = ", w:where",
};

static char msg[512];

static enum eqs_verdict judge(const struct eqs_variant *v, enum eqs_model model,
			      enum eqs_expect expect, const struct verdict_facts *f)
{
	memset(msg, 0, sizeof(msg));
	return verdict_judge(v, model, expect, f, &words, msg, sizeof(msg));
}

/* A violation on path p. */
static struct verdict_facts violated_on(enum eqs_path p)
{
	return (struct verdict_facts){ .violations = 1, .violated_paths = EQS_PATH_BIT(p) };
}

static void test_hang_beats_everything(void **state)
{
	struct verdict_facts f = {
		.hung = true,
		.violations = 3,
		.violated_paths = EQS_PATH_BIT(EQS_PATH_USER), /* a safe path */
		.text_in_eqs = 1,
		.bad_paths = 1,
		.protocol_errors = 1,
		.entry_violations = 1,
		.error = "driver error",
	};

	(void)state;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_HANG, &f), EQS_VERDICT_MATCH);
	assert_string_equal(msg, "w:hang");
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_HANG);
	assert_string_equal(msg, "w:hang");
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &f), EQS_VERDICT_HANG);
	assert_int_equal(judge(&correct, EQS_MODEL_SC, EQS_EXPECT_NA, &f), EQS_VERDICT_HANG);
	/* Expected to hang, and it finished. */
	struct verdict_facts done = { 0 };

	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_HANG, &done),
			 EQS_VERDICT_MISMATCH);
	assert_string_equal(msg, "w:finished");
}

static void test_driver_error(void **state)
{
	struct verdict_facts f = violated_on(EQS_PATH_IDLE);

	(void)state;
	f.error = "the schedule does not fit";
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_string_equal(msg, "the schedule does not fit");
	assert_true(verdict_has_error(&f));
}

static void test_simulator_errors(void **state)
{
	struct verdict_facts in_eqs = { .text_in_eqs = 1 };
	struct verdict_facts bad = { .bad_paths = 2 };

	(void)state;
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &in_eqs), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "w:where"));
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &bad), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "2 EQS paths"));
	/* Even a buggy variant caught on a broken path. */
	bad.violations = 1;
	bad.violated_paths = EQS_PATH_BIT(EQS_PATH_IDLE);
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &bad), EQS_VERDICT_ERROR);
	assert_true(verdict_has_error(&in_eqs));
	assert_true(verdict_has_error(&bad));
}

static void test_protocol_errors_never_match(void **state)
{
	struct verdict_facts f = violated_on(EQS_PATH_IDLE); /* caught on a broken path */

	(void)state;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_MATCH);
	assert_false(verdict_has_error(&f));
	f.protocol_errors = 1;
	f.entry_patches = 4;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "1 of 4"));
	assert_true(verdict_has_error(&f));
	f.protocol_errors = 0;
	f.entry_violations = 2;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "2 stale entry-code"));
	assert_true(verdict_has_error(&f));
	/* A correct variant with a clean, earned run: still an error. */
	struct verdict_facts clean = { .earned = true, .entry_violations = 1 };

	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &clean), EQS_VERDICT_ERROR);
}

static void test_violation_on_a_safe_path(void **state)
{
	struct verdict_facts f = violated_on(EQS_PATH_GUEST);

	(void)state;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "guest"));
	f = violated_on(EQS_PATH_NMI);
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "nmi"));
	assert_null(strstr(msg, "guest"));
	/* One broken path among the violated ones does not excuse a safe one. */
	f.violated_paths |= EQS_PATH_BIT(EQS_PATH_IDLE);
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "nmi"));
	assert_false(verdict_has_error(&f)); /* the judge's rule, not a run's error */
	/* Two safe paths violated: the message names the first, by number. */
	f.violated_paths |= EQS_PATH_BIT(EQS_PATH_GUEST);
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_non_null(strstr(msg, "guest"));
	assert_null(strstr(msg, "nmi"));
}

static void test_broken_under_a_model_only(void **state)
{
	struct verdict_facts f = violated_on(EQS_PATH_GUEST);

	(void)state;
	assert_int_equal(judge(&buggy, EQS_MODEL_ARM_IFETCH, EQS_EXPECT_BUG, &f),
			 EQS_VERDICT_MATCH);
	assert_string_equal(msg, "w:caught");
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	assert_int_equal(judge(&buggy, EQS_MODEL_ARM64, EQS_EXPECT_BUG, &f), EQS_VERDICT_ERROR);
	/* The path broken everywhere is broken under arm-ifetch too. */
	f = violated_on(EQS_PATH_IDLE);
	assert_int_equal(judge(&buggy, EQS_MODEL_ARM_IFETCH, EQS_EXPECT_BUG, &f),
			 EQS_VERDICT_MATCH);
}

static void test_buggy_not_caught(void **state)
{
	struct verdict_facts f = { .earned = true };

	(void)state;
	assert_int_equal(judge(&buggy, EQS_MODEL_TSO, EQS_EXPECT_BUG, &f), EQS_VERDICT_MISMATCH);
	assert_string_equal(msg, "w:not_caught");
}

static void test_correct_variant(void **state)
{
	struct verdict_facts earned = { .earned = true };
	struct verdict_facts short_of = { 0 };
	struct verdict_facts violated = violated_on(EQS_PATH_USER);

	(void)state;
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &earned), EQS_VERDICT_MATCH);
	assert_string_equal(msg, "w:clean");
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &short_of),
			 EQS_VERDICT_INCONCLUSIVE);
	assert_string_equal(msg, "w:short_of");
	violated.earned = true;
	assert_int_equal(judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &violated),
			 EQS_VERDICT_MISMATCH);
	assert_string_equal(msg, "w:violated");
	/* A path the buggy variant declares broken is no excuse when it is expected correct. */
	violated = violated_on(EQS_PATH_IDLE);
	assert_int_equal(judge(&buggy, EQS_MODEL_SC, EQS_EXPECT_OK, &violated),
			 EQS_VERDICT_MISMATCH);
}

static void test_no_expectation(void **state)
{
	struct verdict_facts f = violated_on(EQS_PATH_USER);
	struct verdict_words match = words;

	(void)state;
	assert_int_equal(judge(&correct, EQS_MODEL_C11, EQS_EXPECT_NA, &f), EQS_VERDICT_NA);
	assert_string_equal(msg, "w:no_expectation");
	/* The words say what n/a is. */
	match.na = EQS_VERDICT_INCONCLUSIVE;
	assert_int_equal(
		verdict_judge(&correct, EQS_MODEL_C11, EQS_EXPECT_NA, &f, &match, msg, sizeof(msg)),
		EQS_VERDICT_INCONCLUSIVE);
}

/* The words may be missing: an empty message, the same verdict. */
static void test_missing_words(void **state)
{
	struct verdict_words none = { .na = EQS_VERDICT_NA };
	struct verdict_facts f = { .earned = true };

	(void)state;
	msg[0] = 'x';
	assert_int_equal(
		verdict_judge(&correct, EQS_MODEL_TSO, EQS_EXPECT_OK, &f, &none, msg, sizeof(msg)),
		EQS_VERDICT_MATCH);
	assert_string_equal(msg, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hang_beats_everything),
		cmocka_unit_test(test_driver_error),
		cmocka_unit_test(test_simulator_errors),
		cmocka_unit_test(test_protocol_errors_never_match),
		cmocka_unit_test(test_violation_on_a_safe_path),
		cmocka_unit_test(test_broken_under_a_model_only),
		cmocka_unit_test(test_buggy_not_caught),
		cmocka_unit_test(test_correct_variant),
		cmocka_unit_test(test_no_expectation),
		cmocka_unit_test(test_missing_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
