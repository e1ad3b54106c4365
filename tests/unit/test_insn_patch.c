/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_insn_patch.c - text generations (wrap-aware), refresh only on
 * request, the point-of-unification view that only completed cache
 * maintenance advances (with CTR_EL0's IDC and DIC), and the oracle: a stale execution after a completed sync is a
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
#include "error.h"

static void test_gen_before_wraps(void **state)
{
	(void)state;
	assert_true(gen_before(1, 2));
	assert_false(gen_before(2, 2));
	assert_false(gen_before(3, 2));
	assert_true(gen_before(0xffffffffu, 0)); /* 0 is newer after a wrap */
	assert_false(gen_before(0, 0xffffffffu));
}

/*
 * A CPU master's write and maintenance are completed by its own dsb, not
 * the patcher's; and a writer numbers its generation after the newest one,
 * whoever wrote it.
 */
static void test_dsb_completes_its_own_threads_maintenance(void **state)
{
	struct text t;
	struct text_maint cpu3 = { 0 }; /* a CPU master's own pending work */
	uint32_t fetched[EQS_MAX_SITES] = { 0 };

	(void)state;
	text_init(&t, 2, 0, false, false);
	assert_int_equal(text_write(&t, 0, &t.patcher), 1);
	assert_int_equal(text_write(&t, 0, &cpu3), 2); /* cpu3, after the patcher */
	text_dc_cvau(&t, 0, &cpu3);
	text_dsb(&t, &t.patcher); /* not the patcher's maintenance: nothing completes */
	text_ic_ivau(&t, 0, &cpu3);
	text_dsb(&t, &t.patcher);
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 0);
	text_dsb(&t, &cpu3); /* cpu3's own dsb: its clean, then its invalidate (issued after it) */
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 0); /* the invalidate was issued before the clean completed */
	text_ic_ivau(&t, 0, &cpu3);
	text_dsb(&t, &cpu3);
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 2);
	assert_int_equal(t.newest[0], 2);
	assert_int_equal(t.writes, 2);
}

static void test_write_refresh_publish(void **state)
{
	struct text t;
	uint32_t fetched[EQS_MAX_SITES] = { 0 };

	(void)state;
	text_init(&t, 3, 0, false, false);
	assert_int_equal(text_write(&t, 1, &t.patcher), 1);
	assert_int_equal(text_write(&t, 1, &t.patcher), 2);
	text_dc_cvau(&t, 1, &t.patcher);
	text_dsb(&t, &t.patcher);
	text_ic_ivau(&t, 1, &t.patcher);
	text_dsb(&t, &t.patcher);
	/* The fetched view does not follow the text until refreshed. */
	assert_int_equal(fetched[1], 0);
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 0);
	assert_int_equal(fetched[1], 2);
	assert_int_equal(text_synced(&t, 1), 0);
	text_publish(&t, 1, 2);
	assert_int_equal(text_synced(&t, 1), 2);
}

/* What a CSE fetches from site 0 after write + the given maintenance. */
static uint32_t fetched_after(bool idc, bool dic, const char *maint)
{
	struct text t;
	uint32_t fetched[EQS_MAX_SITES] = { 0 };

	text_init(&t, 1, 0, idc, dic);
	text_write(&t, 0, &t.patcher);
	for (const char *m = maint; *m; m++) {
		if (*m == 'c')
			text_dc_cvau(&t, 0, &t.patcher);
		else if (*m == 'i')
			text_ic_ivau(&t, 0, &t.patcher);
		else if (*m == 'd')
			text_dsb(&t, &t.patcher);
	}
	text_refresh(&t, fetched);
	return fetched[0];
}

/* c: dc cvau, i: ic ivau, d: dsb ish.  1: the new text is fetched; 0: the old. */
static void test_pou_view_needs_completed_maintenance(void **state)
{
	(void)state;
	/* IDC=0, DIC=0: every step, in Linux's order. */
	assert_int_equal(fetched_after(false, false, "cdid"), 1);
	assert_int_equal(fetched_after(false, false, ""), 0);	 /* no maintenance */
	assert_int_equal(fetched_after(false, false, "cd"), 0);	 /* no invalidate */
	assert_int_equal(fetched_after(false, false, "did"), 0); /* no clean */
	assert_int_equal(fetched_after(false, false, "cdi"), 0); /* invalidate not completed */
	assert_int_equal(fetched_after(false, false, "cid"),
			 0); /* invalidate before the clean completed */
	assert_int_equal(fetched_after(false, false, "cdidcdid"), 1);
	/* IDC=1: the clean may go, the dsb may not. */
	assert_int_equal(fetched_after(true, false, "did"), 1);
	assert_int_equal(fetched_after(true, false, "id"), 0);
	/* DIC=1: the invalidate may go too; one dsb is needed. */
	assert_int_equal(fetched_after(false, true, "d"), 1);
	assert_int_equal(fetched_after(false, true, ""), 0);
	assert_int_equal(fetched_after(true, false, "d"), 0); /* IDC alone still needs the ic */
}

/* A coherent I-cache (x86) fetches the text as written. */
static void test_coherent_icache_fetches_the_write(void **state)
{
	struct text t;
	uint32_t fetched[EQS_MAX_SITES] = { 0 };

	(void)state;
	text_init(&t, 1, 0, false, false);
	text_set_coherent_icache(&t, true);
	text_write(&t, 0, &t.patcher);
	text_refresh(&t, fetched);
	assert_int_equal(fetched[0], 1);
}

static struct sim *one_cpu_sim(void)
{
	struct eqs_config cfg;
	struct sim *sim = sim_alloc(struct sim, 1);
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
	c->ctx.last_exit_path = EQS_PATH_GUEST;
	uint32_t gen = text_write(&sim->text, 1, &sim->text.patcher);

	/* Sync not complete: running the old text is legal. */
	eqs_exec_text(c);
	assert_int_equal(c->oracle.violations, 0);
	text_publish(&sim->text, 1, gen);
	eqs_exec_text(c);
	assert_int_equal(c->oracle.violations, 1);
	assert_int_equal(c->oracle.violations_on_path[EQS_PATH_GUEST], 1);
	assert_int_equal(c->oracle.nr_records, 1);
	assert_int_equal(c->oracle.records[0].site, 1);
	assert_int_equal(c->oracle.records[0].fetched, 0);
	assert_int_equal(c->oracle.records[0].synced, gen);
	assert_true(c->oracle.records[0].nr_trace >= 1);
	assert_int_equal(c->oracle.records[0].trace[c->oracle.records[0].nr_trace - 1].step,
			 STEP_EXEC_TEXT);
	/* After the cache maintenance and a refresh (a CSE) the same execution is fine. */
	text_dc_cvau(&sim->text, 1, &sim->text.patcher);
	text_dsb(&sim->text, &sim->text.patcher);
	text_ic_ivau(&sim->text, 1, &sim->text.patcher);
	text_dsb(&sim->text, &sim->text.patcher);
	text_refresh(&sim->text, c->ctx.fetched);
	eqs_exec_text(c);
	assert_int_equal(c->oracle.violations, 1);
	free_sim(sim);
}

static void test_text_in_eqs_is_an_error(void **state)
{
	struct sim *sim = one_cpu_sim();
	struct eqs_cpu *c = &sim->cpus[0];

	(void)state;
	c->ctx.watching = false;
	eqs_exec_text(c);
	assert_int_equal(c->stats.text_in_eqs, 1);
	free_sim(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_before_wraps),
		cmocka_unit_test(test_write_refresh_publish),
		cmocka_unit_test(test_dsb_completes_its_own_threads_maintenance),
		cmocka_unit_test(test_pou_view_needs_completed_maintenance),
		cmocka_unit_test(test_coherent_icache_fetches_the_write),
		cmocka_unit_test(test_oracle_flags_stale_after_sync),
		cmocka_unit_test(test_text_in_eqs_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
