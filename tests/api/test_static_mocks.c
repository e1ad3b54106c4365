/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_static_mocks.c - an experiment linked statically against libeqssim.a
 * that mocks kernel functions under the names the simulator gives its own
 * models of them (rcu_eqs_enter, cpu_init, text_write...).  It links only
 * because the library's internals are local symbols, and the simulator's
 * runs never call the experiment's mocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "eqssim.h"

static unsigned mock_calls;

/* The experiment's kernel, mocked: each counts its calls. */
void rcu_eqs_enter(void)
{
	mock_calls++;
}
void rcu_eqs_exit(void)
{
	mock_calls++;
}
void rcu_nmi_enter(void)
{
	mock_calls++;
}
void rcu_nmi_exit(void)
{
	mock_calls++;
}
void ct_kernel_enter(void)
{
	mock_calls++;
}
void ct_kernel_exit(void)
{
	mock_calls++;
}
void cpu_init(void)
{
	mock_calls++;
}
void text_write(void)
{
	mock_calls++;
}
void ipi_send(void)
{
	mock_calls++;
}
void mm_init(void)
{
	mock_calls++;
}

/* A short stress run of two built-ins, one per RCU layout, beside the mocks. */
static void test_runs_beside_mocks(void **state)
{
	static const char *const names[] = { "eqs_exit_sync", "ct_work" };
	char err[EQS_ERRLEN];

	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		const struct eqs_variant *v = eqs_variant_find(names[i]);
		struct eqs_config cfg;
		struct eqs_report r;

		assert_non_null(v);
		eqs_config_default(&cfg);
		cfg.duration_s = 10;
		cfg.patches = 20;
		if (eqs_stress_run(v, &cfg, &r, err, sizeof(err)))
			fail_msg("%s: %s", names[i], err);
		assert_true(r.patches > 0);
		assert_true(r.eqs_exits > 0);
	}
	assert_int_equal(mock_calls, 0);
	/* The names are the experiment's own. */
	rcu_eqs_enter();
	cpu_init();
	text_write();
	assert_int_equal(mock_calls, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_beside_mocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
