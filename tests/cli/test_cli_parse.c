/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_cli_parse.c - the tools' option parsers (examples/cli_parse.c) on
 * the inputs a careless user types, with the result or the message each
 * must give; the inputs the fuzzer found failing are here as well.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli_parse.h"

static void test_counts_are_digits_in_range(void **state)
{
	unsigned long long n = 7;
	char err[EQS_ERRLEN];

	(void)state;
	assert_int_equal(cli_count("--cpus", "12", 1, 64, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 12);
	static const char *const bad[] = { " 1", "-1", "+1", "0x10",
					   "",	 "65", "0",  "18446744073709551616" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cli_count("--cpus", bad[i], 1, 64, &n, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "--cpus"));
	}
	assert_int_equal(n, 12); /* a refused value leaves the result alone */
}

static void test_seconds_are_plain_decimals(void **state)
{
	double d = 0;
	char err[EQS_ERRLEN];

	(void)state;
	assert_int_equal(cli_seconds("--duration", "0.25", &d, err, sizeof(err)), 0);
	assert_true(d == 0.25);
	static const char *const bad[] = { " 1", "inf", "nan", "0x10", "0", "86401", "-1" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cli_seconds("--duration", bad[i], &d, err, sizeof(err)), -EINVAL);
}

static void test_cpu_lists(void **state)
{
	uint64_t m = 0;
	char err[EQS_ERRLEN];

	(void)state;
	assert_int_equal(cli_cpu_list("--nohz-full", "0,2-3", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 0xd);
	assert_int_equal(cli_cpu_list("--nohz-full", "none", &m, err, sizeof(err)), 0);
	assert_int_equal(m, 0);
	assert_int_equal(cli_cpu_list("--nohz-full", "all", &m, err, sizeof(err)), 0);
	assert_int_equal(m, ~0ull);
	static const char *const bad[] = { "", "0,,1", " 1", "1-0", "0,", "0,x", "3-" };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cli_cpu_list("--nohz-full", bad[i], &m, err, sizeof(err)),
				 -EINVAL);
	assert_int_equal(cli_cpu_list("--nohz-full", "99999999999999999999", &m, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "beyond"));
}

static void test_weights_and_lists(void **state)
{
	const struct eqs_variant *vs[4];
	enum eqs_path ps[EQS_EXPLORE_MAX_PATHS];
	struct eqs_config cfg;
	char err[EQS_ERRLEN], list[64];
	unsigned np = 0;
	int nv = 0;

	(void)state;
	eqs_config_default(&cfg);
	assert_int_equal(cli_weight("--weight", "idle=3", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.weights[EQS_ACT_IDLE], 3);
	assert_int_equal(cli_weight("--weight", "nap=3", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown action"));
	assert_int_equal(cli_weight("--weight", "idle=-1", &cfg, err, sizeof(err)), -EINVAL);
	strcpy(list, "early_isb,kick_all");
	assert_int_equal(cli_variant_list("--variant", list, vs, 4, &nv, "x", err, sizeof(err)), 0);
	assert_int_equal(nv, 2);
	assert_string_equal(vs[1]->name, "kick_all");
	strcpy(list, ",,");
	assert_int_equal(cli_variant_list("--variant", list, vs, 4, &nv, "x", err, sizeof(err)),
			 -EINVAL);
	strcpy(list, "idle,uirq,nmi");
	assert_int_equal(
		cli_path_list("--paths", list, ps, EQS_EXPLORE_MAX_PATHS, &np, err, sizeof(err)),
		0);
	assert_int_equal(np, 3);
	assert_int_equal(ps[2], EQS_PATH_NMI);
	strcpy(list, "idle,bogus");
	assert_int_equal(
		cli_path_list("--paths", list, ps, EQS_EXPLORE_MAX_PATHS, &np, err, sizeof(err)),
		-EINVAL);
	assert_non_null(strstr(err, "uirq, nmi")); /* every path named, not four of six */
}

/* --model: the exploration models, each at most once; the stress-only ones refused. */
static void test_model_lists(void **state)
{
	enum eqs_model ms[3];
	unsigned n = 0;
	char list[64], err[EQS_ERRLEN];

	(void)state;
	strcpy(list, "arm-ifetch,sc");
	assert_int_equal(cli_model_list("--model", list, ms, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ms[0], EQS_MODEL_ARM_IFETCH);
	assert_int_equal(ms[1], EQS_MODEL_SC);
	strcpy(list, "tso,arm64");
	assert_int_equal(cli_model_list("--model", list, ms, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown model 'arm64' (sc, tso, arm-ifetch)"));
	strcpy(list, "tso,tso");
	assert_int_equal(cli_model_list("--model", list, ms, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "twice"));
	strcpy(list, ",");
	assert_int_equal(cli_model_list("--model", list, ms, &n, err, sizeof(err)), -EINVAL);
}

/* --shard I/N: I below N, N at least 1, both plain decimals. */
static void test_shards(void **state)
{
	unsigned i = 9, n = 9;
	char err[EQS_ERRLEN];

	(void)state;
	assert_int_equal(cli_shard("--shard", "2/3", &i, &n, err, sizeof(err)), 0);
	assert_int_equal(i, 2);
	assert_int_equal(n, 3);
	assert_int_equal(cli_shard("--shard", "0/1", &i, &n, err, sizeof(err)), 0);
	assert_int_equal(i, 0);
	assert_int_equal(n, 1);
	static const char *const bad[] = {
		"3/3",
		"0/0",
		"1",
		"/3",
		"1/",
		" 1/3",
		"1/ 3",
		"-1/3",
		"1/-3",
		"+1/3",
		"1/3/",
		"1/3x",
		"0x1/3",
		"",
		"1//3",
		"0/1000001",
		"000000000000000000000001/2",
	};
	for (unsigned k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_int_equal(cli_shard("--shard", bad[k], &i, &n, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "--shard"));
		assert_null(strchr(err, '\n'));
	}
	assert_int_equal(i, 0); /* a refused value leaves the result alone */
	assert_int_equal(cli_shard("--shard", "3/3", &i, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "below N"));
}

/* Found by the fuzzer: a message echoed a newline, so the error took two lines. */
static void test_messages_are_one_line(void **state)
{
	struct eqs_config cfg;
	unsigned long long n;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	assert_true(eqs_config_set_delay(&cfg, "\n", err, sizeof(err)) < 0);
	assert_null(strchr(err, '\n'));
	assert_non_null(strstr(err, "'?'"));
	assert_int_equal(cli_count("--seed", "1\n2", 0, 9, &n, err, sizeof(err)), -EINVAL);
	assert_null(strchr(err, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_are_digits_in_range),
		cmocka_unit_test(test_seconds_are_plain_decimals),
		cmocka_unit_test(test_cpu_lists),
		cmocka_unit_test(test_weights_and_lists),
		cmocka_unit_test(test_model_lists),
		cmocka_unit_test(test_shards),
		cmocka_unit_test(test_messages_are_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
