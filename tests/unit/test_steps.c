/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_steps.c - the one table of steps (steps.def): names unique and found
 * again by name, numbers from users checked, registration of users' steps
 * (after the built-in ones, until there is no room), which steps lie in the
 * patcher's window, and which are ordering points with what fence.
 *
 * Registration is process-global and cannot be undone: the tests that
 * register run last, the one that fills the table very last.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "steps.h"

static void test_builtin_names_unique(void **state)
{
	(void)state;
	for (int i = 0; i < STEP_COUNT; i++) {
		const char *name = step_table[i].name;

		assert_non_null(name);
		assert_true(name[0] != '\0');
		/* An edit or --delay word is split at '=' and ','. */
		assert_null(strchr(name, '='));
		assert_null(strchr(name, ','));
		assert_string_equal(eqs_step_name(i), name);
		for (int j = i + 1; j < STEP_COUNT; j++)
			if (!strcmp(name, step_table[j].name))
				fail_msg("steps %d and %d are both '%s'", i, j, name);
	}
}

static void test_lookup_round_trips(void **state)
{
	(void)state;
	assert_int_equal(eqs_step_count(), STEP_COUNT); /* nothing registered yet */
	for (int i = 0; i < eqs_step_count(); i++)
		assert_int_equal(eqs_step_lookup(eqs_step_name(i)), i);
	assert_int_equal(eqs_step_lookup("no_such_step"), -ENOENT);
	assert_int_equal(eqs_step_lookup(""), -ENOENT);
	assert_int_equal(eqs_step_lookup(NULL), -ENOENT);
	/* A prefix of a name is not the name. */
	assert_int_equal(eqs_step_lookup("patch_ds"), -ENOENT);
}

static void test_step_checked(void **state)
{
	(void)state;
	assert_int_equal(step_checked(0), 0);
	assert_int_equal(step_checked(STEP_DSB), STEP_DSB);
	assert_int_equal(step_checked(STEP_COUNT - 1), STEP_COUNT - 1);
	assert_int_equal(step_checked(-1), STEP_UNKNOWN);
	assert_int_equal(step_checked(INT_MIN), STEP_UNKNOWN);
	assert_int_equal(step_checked(eqs_step_count()), STEP_UNKNOWN); /* not registered */
	assert_int_equal(step_checked(EQS_MAX_STEPS), STEP_UNKNOWN);
	assert_int_equal(step_checked(INT_MAX), STEP_UNKNOWN);
	assert_string_equal(step_name((enum step) - 1), "?");
	assert_string_equal(step_name((enum step)EQS_MAX_STEPS), "?");
}

static void test_patch_window(void **state)
{
	(void)state;
	for (int i = 0; i < STEP_COUNT; i++) {
		assert_int_equal(eqs_step_in_patch_window(i), step_table[i].window);
		/* The window is the patcher's, from its text write to its last counter read. */
		if (step_table[i].window)
			assert_int_equal(step_table[i].side, STEP_SIDE_PATCHER);
	}
	assert_true(eqs_step_in_patch_window(eqs_step_lookup("smp_mb")));
	assert_true(eqs_step_in_patch_window(eqs_step_lookup("read_dynticks")));
	assert_true(eqs_step_in_patch_window(eqs_step_lookup("patch_dsb")));
	/* The write opens the window, its step before it; the IPIs close it. */
	assert_false(eqs_step_in_patch_window(eqs_step_lookup("patch_write")));
	assert_false(eqs_step_in_patch_window(eqs_step_lookup("ipi_send")));
	assert_false(eqs_step_in_patch_window(eqs_step_lookup("dsb"))); /* a CPU's */
	assert_false(eqs_step_in_patch_window(-1));
	assert_false(eqs_step_in_patch_window(STEP_COUNT));
	assert_false(eqs_step_in_patch_window(EQS_MAX_STEPS));
}

/* The blocks variants.h names as ordering points, and no other step. */
static const char *const point_names[] = {
	"isb",
	"isb_if_eqs",
	"dsb",
	"dmb",
	"dsb_st",
	"dsb_ld",
	"dmb_st",
	"dmb_ld",
	"smp_rmb",
	"smp_wmb",
	"smp_mb__before_atomic",
	"smp_mb__after_atomic",
	"cpu_dc_cvau", /* a CPU master's maintenance (cpu_patch.c) */
	"cpu_ic_ivau",
	"smp_mb",
	"dc_cvau",
	"ic_ivau",
	"patch_dsb",
	"patch_isb",
	"patch_dsb_st",
	"patch_dsb_ld",
	"patch_dmb_st",
	"patch_dmb_ld",
	"patch_smp_rmb",
	"patch_smp_wmb",
	"patch_smp_mb__before_atomic",
	"patch_smp_mb__after_atomic",
	"stop_machine_count", /* the library's word: each access an ordering point */
};

static bool named_point(const char *name)
{
	for (size_t i = 0; i < sizeof(point_names) / sizeof(point_names[0]); i++)
		if (!strcmp(point_names[i], name))
			return true;
	return false;
}

static void test_points_are_the_blocks(void **state)
{
	int nr_points = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(point_names) / sizeof(point_names[0]); i++)
		assert_true(eqs_step_lookup(point_names[i]) >= 0);
	for (int i = 0; i < STEP_COUNT; i++) {
		bool point = step_is_point((enum step)i);

		if (point != named_point(step_table[i].name))
			fail_msg("step '%s': point %d", step_table[i].name, point);
		assert_int_equal(point, step_table[i].point);
		nr_points += point;
	}
	assert_int_equal(nr_points, sizeof(point_names) / sizeof(point_names[0]));
	assert_false(step_is_point((enum step) - 1));
	assert_false(step_is_point((enum step)STEP_COUNT));
	assert_null(step_info((enum step)STEP_COUNT));
	/* A step registered by a user is no point; one registered for a word is. */
	char err[EQS_ERRLEN];
	int plain = eqs_step_register("points_plain_step", err, sizeof(err));
	int word = step_register_word("points_word_step", err, sizeof(err));

	assert_true(plain >= STEP_COUNT && word >= STEP_COUNT);
	assert_false(step_is_point((enum step)plain));
	assert_true(step_is_point((enum step)word));
	assert_true(step_register_word("points_word_step", err, sizeof(err)) == word);
	/* A word cannot take a name a plain step holds: its accesses would be no points. */
	assert_int_equal(step_register_word("points_plain_step", err, sizeof(err)), -EEXIST);
	assert_non_null(strstr(err, "names no word"));
	assert_ptr_equal(step_info(STEP_DSB), &step_table[STEP_DSB]);
}

static void test_fences(void **state)
{
	(void)state;
	for (int i = 0; i < STEP_COUNT; i++) {
		const struct step_info *s = &step_table[i];

		if (!s->point) {
			/* Only a block runs a fence (barrier_block(), cpu_model.c). */
			assert_int_equal(s->fence, FENCE_NONE);
			assert_int_equal(s->weaker, FENCE_NONE);
			continue;
		}
		/* A weakened block that ran what it ran before would be no edit at all. */
		if (s->weaker != FENCE_NONE && s->weaker == s->fence)
			fail_msg("step '%s' weakens to its own fence %d", s->name, s->fence);
	}
	/* What an edit's weaken means: a dsb becomes a dmb of the same accesses. */
	assert_int_equal(step_table[STEP_DSB].weaker, FENCE_DMB);
	assert_int_equal(step_table[STEP_DSB_ST].weaker, FENCE_DMB_ST);
	assert_int_equal(step_table[STEP_DSB_LD].weaker, FENCE_DMB_LD);
	assert_int_equal(step_table[STEP_PATCH_DSB_ST].weaker, FENCE_DMB_ST);
	/* The kernel's names run what each backend builds them as (barriers.h). */
	assert_int_equal(step_table[STEP_SMP_RMB].fence, FENCE_DMB_LD);
	assert_int_equal(step_table[STEP_SMP_WMB].fence, FENCE_DMB_ST);
	assert_int_equal(step_table[STEP_MB_BEFORE_ATOMIC].fence, FENCE_MB_ATOMIC);
	assert_int_equal(step_table[STEP_PATCH_ISB].fence, FENCE_ISB);
}

/* From here on the registry holds the tests' steps: registration tests run last. */
static void test_register(void **state)
{
	char err[128] = "";
	int before = eqs_step_count();
	int step;

	(void)state;
	step = eqs_step_register("test_steps_mine", err, sizeof(err));
	assert_int_equal(step, before);
	assert_int_equal(eqs_step_count(), before + 1);
	assert_string_equal(eqs_step_name(step), "test_steps_mine");
	assert_int_equal(eqs_step_lookup("test_steps_mine"), step);
	assert_int_equal(step_checked(step), step);
	assert_false(eqs_step_in_patch_window(step));
	assert_false(step_is_point((enum step)step));
	assert_null(step_info((enum step)step));
	/* Again: the same number, no new entry. */
	assert_int_equal(eqs_step_register("test_steps_mine", err, sizeof(err)), step);
	assert_int_equal(eqs_step_count(), before + 1);
	/* The next new name gets the next number. */
	assert_int_equal(eqs_step_register("test_steps_other", err, sizeof(err)), step + 1);
	/* A built-in name is the built-in step. */
	assert_int_equal(eqs_step_register("dsb", err, sizeof(err)), STEP_DSB);
	assert_int_equal(eqs_step_register("unknown_step", err, sizeof(err)), STEP_UNKNOWN);
	assert_int_equal(eqs_step_count(), before + 2);
}

static void test_register_bad_names(void **state)
{
	const char *bad[] = { "", "a=b", "a,b", "=", ",", "mine=1" };
	int before = eqs_step_count();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[128] = "";

		assert_int_equal(eqs_step_register(bad[i], err, sizeof(err)), -EINVAL);
		assert_true(err[0] != '\0');
		assert_int_equal(eqs_step_lookup(bad[i]), -ENOENT);
	}
	assert_int_equal(eqs_step_register(NULL, NULL, 0), -EINVAL);
	assert_int_equal(eqs_step_count(), before);
}

/* Last: it fills the registry. */
static void test_register_until_full(void **state)
{
	char err[128] = "", name[32];
	int first = eqs_step_count();

	(void)state;
	for (int i = first; i < EQS_MAX_STEPS; i++) {
		snprintf(name, sizeof(name), "test_steps_fill_%d", i);
		assert_int_equal(eqs_step_register(name, err, sizeof(err)), i);
	}
	assert_int_equal(eqs_step_count(), EQS_MAX_STEPS);
	assert_int_equal(eqs_step_register("test_steps_one_too_many", err, sizeof(err)), -ENOSPC);
	assert_non_null(strstr(err, "test_steps_one_too_many"));
	assert_int_equal(eqs_step_count(), EQS_MAX_STEPS);
	assert_int_equal(eqs_step_lookup("test_steps_one_too_many"), -ENOENT);
	/* Full, a name already there is still found, built-in or registered. */
	assert_int_equal(eqs_step_register("smp_mb", err, sizeof(err)), STEP_SMP_MB);
	assert_int_equal(eqs_step_register("test_steps_mine", err, sizeof(err)),
			 eqs_step_lookup("test_steps_mine"));
	assert_int_equal(step_checked(EQS_MAX_STEPS - 1), EQS_MAX_STEPS - 1);
	assert_int_equal(step_checked(EQS_MAX_STEPS), STEP_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_names_unique),
		cmocka_unit_test(test_lookup_round_trips),
		cmocka_unit_test(test_step_checked),
		cmocka_unit_test(test_patch_window),
		cmocka_unit_test(test_points_are_the_blocks),
		cmocka_unit_test(test_fences),
		/* Registration, process-global: last, in this order. */
		cmocka_unit_test(test_register),
		cmocka_unit_test(test_register_bad_names),
		cmocka_unit_test(test_register_until_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
