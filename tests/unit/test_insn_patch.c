/*
 * test_insn_patch.c - text generations (wrap-aware), refresh only on
 * request, and the oracle: a stale execution after a completed sync is a
 * violation attributed to the CPU's last exit path; a current one is not;
 * text executed in EQS is a simulator error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "driver.h"
#include "oracle.h"
#include "sim.h"

static void test_gen_before_wraps(void **state)
{
	(void)state;
	assert_true(gen_before(1, 2));
	assert_false(gen_before(2, 2));
	assert_false(gen_before(3, 2));
	assert_true(gen_before(0xffffffffu, 0)); /* 0 is newer after a wrap */
	assert_false(gen_before(0, 0xffffffffu));
}

static void test_write_refresh_publish(void **state)
{
	struct text t;
	uint32_t fetched[EQS_MAX_SITES] = { 0 };

	(void)state;
	text_init(&t, 3, 0);
	assert_int_equal(text_write(&t, 1), 1);
	assert_int_equal(text_write(&t, 1), 2);
	text_cache_maint(&t, 1);
	/* The fetched view does not follow the text until refreshed. */
	assert_int_equal(fetched[1], 0);
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 0);
	assert_int_equal(fetched[1], 2);
	assert_int_equal(text_synced(&t, 1), 0);
	text_publish(&t, 1, 2);
	assert_int_equal(text_synced(&t, 1), 2);
}

static struct sim *one_cpu_sim(void)
{
	struct eqs_config cfg;
	struct sim *sim = aligned_alloc(CACHELINE, sizeof(*sim));
	char err[EQS_ERRLEN];

	assert_non_null(sim);
	eqs_config_default(&cfg);
	cfg.cpus = 1;
	cfg.sites = 2;
	cfg.jitter = 0;
	assert_int_equal(
		sim_init(sim, eqs_variant_find("early_isb"), &cfg, NULL, NULL, err, sizeof(err)),
		0);
	return sim;
}

static void free_sim(struct sim *sim)
{
	sim_destroy(sim);
	free(sim);
}

static void test_oracle_flags_stale_after_sync(void **state)
{
	struct sim *sim = one_cpu_sim();
	struct eqs_cpu *c = &sim->cpus[0];

	(void)state;
	c->last_exit_path = EQS_PATH_GUEST;
	uint32_t gen = text_write(&sim->text, 1);

	/* Sync not complete: running the old text is legal. */
	oracle_exec_text(c);
	assert_int_equal(c->stats.violations, 0);
	text_publish(&sim->text, 1, gen);
	oracle_exec_text(c);
	assert_int_equal(c->stats.violations, 1);
	assert_int_equal(c->stats.violations_on_path[EQS_PATH_GUEST], 1);
	assert_int_equal(c->stats.nr_records, 1);
	assert_int_equal(c->stats.records[0].site, 1);
	assert_int_equal(c->stats.records[0].fetched, 0);
	assert_int_equal(c->stats.records[0].synced, gen);
	assert_true(c->stats.records[0].nr_trace >= 1);
	assert_int_equal(c->stats.records[0].trace[c->stats.records[0].nr_trace - 1].step,
			 STEP_EXEC_TEXT);
	/* After a refresh (a CSE) the same execution is fine. */
	text_refresh(&sim->text, c->fetched);
	oracle_exec_text(c);
	assert_int_equal(c->stats.violations, 1);
	free_sim(sim);
}

static void test_text_in_eqs_is_an_error(void **state)
{
	struct sim *sim = one_cpu_sim();
	struct eqs_cpu *c = &sim->cpus[0];

	(void)state;
	c->watching = false;
	oracle_exec_text(c);
	assert_int_equal(c->stats.text_in_eqs, 1);
	free_sim(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_before_wraps),
		cmocka_unit_test(test_write_refresh_publish),
		cmocka_unit_test(test_oracle_flags_stale_after_sync),
		cmocka_unit_test(test_text_in_eqs_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
