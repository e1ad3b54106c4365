/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_config.c - configuration defaults and checks, --delay parsing, and
 * the variant table's contents (twelve built-ins, names, broken paths).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

static void test_defaults_are_usable(void **state)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	assert_true(cfg.cpus >= 2);
	assert_int_equal(cfg.min_races, 30);
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), 0);
	for (int a = 0; a < EQS_ACT_COUNT; a++)
		assert_true(cfg.weights[a] > 0); /* the default exercises every path */
}

static void test_bad_configs_rejected(void **state)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	cfg.cpus = 0;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cpus"));
	eqs_config_default(&cfg);
	cfg.cpus = EQS_MAX_CPUS + 1;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	eqs_config_default(&cfg);
	memset(cfg.weights, 0, sizeof(cfg.weights));
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	eqs_config_default(&cfg);
	cfg.duration_s = 0;
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), -EINVAL);
	cfg.patches = 10; /* a patch budget alone is enough */
	assert_int_equal(eqs_config_check(&cfg, err, sizeof(err)), 0);
}

static void test_delay_parsing(void **state)
{
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	(void)state;
	eqs_config_default(&cfg);
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif=500", err, sizeof(err)), 0);
	assert_int_equal(cfg.delay_ns[eqs_step_lookup("enable_daif")], 500);
	assert_int_equal(eqs_config_set_delay(&cfg, "no_such_step=5", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no_such_step"));
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif=", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif=0", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif=-3", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_config_set_delay(&cfg, "enable_daif=12x", err, sizeof(err)), -EINVAL);
	assert_int_equal(eqs_config_set_delay(&cfg, "=12", err, sizeof(err)), -EINVAL);
	/* The patcher's write..read window is never delayed. */
	assert_int_equal(eqs_config_set_delay(&cfg, "smp_mb=100", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "window"));
}

static void test_variant_table(void **state)
{
	static const char *const names[] = {
		"kick_all",	     "no_sync",
		"early_isb",	     "eqs_exit_sync",
		"eqs_exit_sync_dsb", "eqs_exit_sync_no_mb",
		"special_flag",	     "vhe_guest_gap",
		"urcu_qsbr",	     "urcu_qsbr_early_isb",
		"ct_work",	     "stop_machine",
	};

	(void)state;
	assert_int_equal(eqs_variant_count(), 12);
	for (unsigned i = 0; i < 12; i++)
		assert_non_null(eqs_variant_find(names[i]));
	assert_null(eqs_variant_find("nope"));
	assert_null(eqs_variant_at(12));
	assert_int_equal(eqs_variant_broken_paths(eqs_variant_find("vhe_guest_gap")),
			 EQS_PATH_BIT(EQS_PATH_GUEST));
	assert_int_equal(eqs_variant_broken_paths(eqs_variant_find("early_isb")), EQS_PATHS_ALL);
	assert_int_equal(eqs_variant_broken_paths(eqs_variant_find("eqs_exit_sync")), 0);
	const struct eqs_variant *nomb = eqs_variant_find("eqs_exit_sync_no_mb");

	assert_int_equal(eqs_variant_expect(nomb, EQS_MODEL_TSO), EQS_EXPECT_BUG);
	assert_int_equal(eqs_variant_expect(nomb, EQS_MODEL_ARM64), EQS_EXPECT_OK);
	assert_string_equal(eqs_model_name(eqs_host_model()),
#if defined(EQS_FORCE_GENERIC)
			    "c11"
#elif defined(__x86_64__)
			    "tso"
#elif defined(__aarch64__)
			    "arm64"
#else
			    "c11"
#endif
	);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_usable),
		cmocka_unit_test(test_bad_configs_rejected),
		cmocka_unit_test(test_delay_parsing),
		cmocka_unit_test(test_variant_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
