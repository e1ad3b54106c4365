/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_weak_models.c - exploration under tso and arm-ifetch through the
 * public API: the counterexamples have the shapes the models promise (the
 * CPU refetches while its RCU update, or the patcher's text write, is not
 * yet visible), they replay under their model only, the state cache agrees
 * with plain re-execution, and interrupts arrive between any two steps.
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

static struct eqs_explore_report report;

static void scenario(struct eqs_explore_config *cfg, enum eqs_model model, unsigned cpus)
{
	eqs_explore_config_default(cfg);
	cfg->model = model;
	cfg->cpus = cpus;
	cfg->nr_paths = 1;
	cfg->paths[0] = EQS_PATH_USER;
}

static struct eqs_explore_report *explore(const char *name, const struct eqs_explore_config *cfg)
{
	char err[EQS_ERRLEN];

	if (eqs_explore_run(eqs_variant_find(name), cfg, &report, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	return &report;
}

/* Index of the first step of the counterexample after from that matches; -1 if none. */
static int find_step(const struct eqs_explore_report *r, int from, uint8_t thread, const char *step)
{
	for (unsigned i = (unsigned)(from + 1); i < r->cx_nr_steps; i++)
		if (r->cx_steps[i].thread == thread &&
		    !strcmp(eqs_step_name(r->cx_steps[i].step), step))
			return (int)i;
	return -1;
}

/* The last step of thread before index to that matches; -1 if none. */
static int last_step_before(const struct eqs_explore_report *r, int to, uint8_t thread,
			    const char *step)
{
	for (int i = to - 1; i >= 0; i--)
		if (r->cx_steps[i].thread == thread &&
		    !strcmp(eqs_step_name(r->cx_steps[i].step), step))
			return i;
	return -1;
}

/* The patcher's read of cpu's RCU word in the counterexample; -1 if none. */
static int patcher_read_of(const struct eqs_explore_report *r, unsigned cpu)
{
	for (int i = find_step(r, -1, EQS_EXPLORE_PATCHER, "read_dynticks"); i >= 0;
	     i = find_step(r, i, EQS_EXPLORE_PATCHER, "read_dynticks"))
		if (r->cx_steps[i].value2 == cpu)
			return i;
	return -1;
}

/* Where cpu's store to word kind became visible, after from; -1 if it never did. */
static int visible(const struct eqs_explore_report *r, int from, uint8_t thread,
		   enum eqs_explore_location kind)
{
	for (int i = find_step(r, from, thread, "store_visible"); i >= 0;
	     i = find_step(r, i, thread, "store_visible"))
		if (EQS_EXPLORE_LOC_KIND(r->cx_steps[i].value2) == kind)
			return i;
	return -1;
}

/* The same schedule, replayed under model, shows the same violation. */
static void replays(const char *name, const struct eqs_explore_config *base)
{
	struct eqs_explore_config cfg = *base;
	char schedule[EQS_SCHEDULE_LEN];
	struct eqs_violation first = report.cx_violation;

	strcpy(schedule, report.cx_schedule);
	cfg.replay = schedule;
	struct eqs_explore_report *r = explore(name, &cfg);

	assert_true(r->violations > 0);
	assert_int_equal(r->cx_violation.cpu, first.cpu);
	assert_int_equal(r->cx_violation.fetched, first.fetched);
	/* Under sc the store choices do not exist: the schedule does not fit. */
	struct eqs_explore_report sc;
	char err[EQS_ERRLEN];

	cfg.model = EQS_MODEL_SC;
	assert_int_equal(eqs_explore_run(eqs_variant_find(name), &cfg, &sc, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "does not fit"));
}

/*
 * The review's fix under Arm's rules: the CPU's isb refetches while its
 * fully ordered RCU update is still invisible to the patcher, which reads
 * the word as EQS and skips the CPU.
 */
static void test_eqs_exit_sync_under_arm_ifetch(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	scenario(&cfg, EQS_MODEL_ARM_IFETCH, 1);
	struct eqs_explore_report *r = explore("eqs_exit_sync", &cfg);

	assert_int_equal(r->verdict, EQS_VERDICT_MATCH);
	assert_true(r->violations > 0);
	unsigned cpu = r->cx_violation.cpu;
	int read = patcher_read_of(r, cpu);
	int exec = (int)r->cx_nr_steps - 1;

	assert_true(read >= 0);
	assert_int_equal(r->cx_steps[read].value & 0x2, 0); /* dynticks: even, in EQS */
	int exit = last_step_before(r, read, (uint8_t)cpu, "ct_user_exit");
	int isb = find_step(r, exit, (uint8_t)cpu, "isb");

	assert_true(exit >= 0 && isb > exit && isb < read); /* refetched before the patch... */
	int seen = visible(r, exit, (uint8_t)cpu, EQS_LOC_RCU_WORD);

	assert_true(seen < 0 || seen > read); /* ...its update unseen when the patcher looked */
	assert_string_equal(eqs_step_name(r->cx_steps[exec].step), "exec_text");
	replays("eqs_exit_sync", &cfg);

	/* dsb ish before the isb waits for the update: clean, completely. */
	r = explore("eqs_exit_sync_dsb", &cfg);
	assert_int_equal(r->verdict, EQS_VERDICT_MATCH);
	assert_true(r->complete);
	assert_int_equal(r->violations, 0);
}

/*
 * Without the patcher's smp_mb, x86's store buffer: the patcher reads the
 * CPU's word as EQS while its own text write still waits, and the CPU
 * refetches the old text after its locked exit update.
 */
static void test_eqs_exit_sync_no_mb_under_tso(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	scenario(&cfg, EQS_MODEL_TSO, 1);
	struct eqs_explore_report *r = explore("eqs_exit_sync_no_mb", &cfg);

	assert_int_equal(r->verdict, EQS_VERDICT_MATCH);
	assert_true(r->violations > 0);
	unsigned cpu = r->cx_violation.cpu;
	int read = patcher_read_of(r, cpu);

	assert_true(read >= 0);
	int text = visible(r, read, EQS_EXPLORE_PATCHER, EQS_LOC_TEXT);
	int isb = last_step_before(r, (int)r->cx_nr_steps - 1, (uint8_t)cpu, "isb");

	assert_true(text > read);		     /* the write waited past the read */
	assert_true(isb > read && isb < text);	     /* and the refetch came between */
	assert_int_equal(r->cx_steps[isb].value, 0); /* it fetched the old text */
	replays("eqs_exit_sync_no_mb", &cfg);

	/* Under sc the same variant is correct: no reordering, no bug. */
	cfg.model = EQS_MODEL_SC;
	r = explore("eqs_exit_sync_no_mb", &cfg);
	assert_int_equal(r->violations, 0);
	assert_true(r->complete);
}

/* The state cache prunes without changing a verdict or the first counterexample. */
static void test_cache_agrees_under_weak_models(void **state)
{
	static const char *const names[] = { "kick_all", "eqs_exit_sync", "eqs_exit_sync_dsb",
					     "eqs_exit_sync_no_mb", "special_flag" };
	static const enum eqs_model models[] = { EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };
	struct eqs_explore_config cfg;

	(void)state;
	for (unsigned m = 0; m < 2; m++) {
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			scenario(&cfg, models[m], 1);
			cfg.preemptions = 1;
			struct eqs_explore_report *r = explore(names[i], &cfg);
			uint64_t violations = r->violations, cached = r->schedules;
			char first[EQS_SCHEDULE_LEN];

			strcpy(first, r->cx_schedule);
			cfg.no_state_cache = true;
			r = explore(names[i], &cfg);
			print_message("%-20s %-10s cached %llu schedules, re-executed %llu\n",
				      names[i], eqs_model_name(models[m]),
				      (unsigned long long)cached, (unsigned long long)r->schedules);
			assert_int_equal(!!r->violations, !!violations);
			assert_true(r->complete);
			assert_true(cached <= r->schedules);
			if (violations)
				assert_string_equal(r->cx_schedule, first);
		}
	}
}

/*
 * An NMI at any step, not only at the points the paths name: one taken
 * between RCU's exit update and the dsb after it refetches at its
 * exception entry without waiting for the update, and its handler runs
 * the old text after the patcher read the word as EQS.  The explorer that
 * took NMIs only in wfi and in an interrupt's entry called this clean.
 */
static void test_nmi_between_update_and_dsb(void **state)
{
	struct eqs_explore_config cfg;

	(void)state;
	scenario(&cfg, EQS_MODEL_ARM_IFETCH, 1);
	cfg.nmis = 1;
	struct eqs_explore_report *r = explore("eqs_exit_sync_dsb", &cfg);

	assert_true(r->violations > 0);
	unsigned cpu = r->cx_violation.cpu;
	int nmi = find_step(r, -1, (uint8_t)cpu, "nmi_arrives");
	int exit = last_step_before(r, nmi, (uint8_t)cpu, "ct_user_exit");

	assert_true(nmi >= 0 && exit >= 0);
	assert_int_equal(find_step(r, exit, (uint8_t)cpu, "dsb") < 0 ||
				 find_step(r, exit, (uint8_t)cpu, "dsb") > nmi,
			 1); /* the NMI came before the dsb */
	replays("eqs_exit_sync_dsb", &cfg);

	/* Under sc the update is visible at once: the patcher waits for the CPU. */
	cfg.model = EQS_MODEL_SC;
	r = explore("eqs_exit_sync_dsb", &cfg);
	assert_int_equal(r->violations, 0);
	assert_true(r->complete);
	/* And without the NMI, arm-ifetch finds it clean. */
	cfg.model = EQS_MODEL_ARM_IFETCH;
	cfg.nmis = 0;
	r = explore("eqs_exit_sync_dsb", &cfg);
	assert_int_equal(r->violations, 0);
	assert_true(r->complete);
}

/* Bad models and NMI counts are refused, not explored. */
static void test_bad_model_refused(void **state)
{
	struct eqs_explore_config cfg;
	struct eqs_explore_report r;
	char err[EQS_ERRLEN];

	(void)state;
	scenario(&cfg, EQS_MODEL_ARM64, 1);
	assert_int_equal(eqs_explore_run(eqs_variant_find("kick_all"), &cfg, &r, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "arm-ifetch"));
	scenario(&cfg, EQS_MODEL_SC, 1);
	cfg.nmis = 5;
	assert_int_equal(eqs_explore_run(eqs_variant_find("kick_all"), &cfg, &r, err, sizeof(err)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eqs_exit_sync_under_arm_ifetch),
		cmocka_unit_test(test_eqs_exit_sync_no_mb_under_tso),
		cmocka_unit_test(test_cache_agrees_under_weak_models),
		cmocka_unit_test(test_nmi_between_update_and_dsb),
		cmocka_unit_test(test_bad_model_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
