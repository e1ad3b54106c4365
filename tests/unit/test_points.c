/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_points.c - ordering points as a thread meets them
 * (ordering_points.h): which call of a block an edit names, on which path
 * half or in the patcher; listing the points met, each once; the blocks an
 * edit inserts at a step boundary; an update's ordering under an edit; and
 * the edits the parser and edit_check refuse, or format back as written.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ordering_points.h"

static const struct eqs_edit no_edit = { .kind = EQS_EDIT_NONE };

static const struct point_place user_exit = { .path = EQS_PATH_USER };
static const struct point_place user_entry = { .path = EQS_PATH_USER, .on_entry = true };
static const struct point_place idle_exit = { .path = EQS_PATH_IDLE };
static const struct point_place patcher = { .patcher = true };

static struct eqs_edit parsed(const char *spec)
{
	struct eqs_edit e;
	char err[256] = "";

	if (eqs_edit_parse(spec, &e, err, sizeof(err)))
		fail_msg("'%s' refused: %s", spec, err);
	return e;
}

/* A run with the edits spec1 and spec2 (NULL: none). */
static void run_with(struct point_run *pr, const char *spec1, const char *spec2)
{
	struct eqs_edit e1 = spec1 ? parsed(spec1) : no_edit;
	struct eqs_edit e2 = spec2 ? parsed(spec2) : no_edit;

	points_init(pr, &e1, &e2);
}

static bool count_empty(const struct point_count *count)
{
	static const struct point_count zero;

	return !memcmp(count, &zero, sizeof(zero));
}

static void test_no_edit_decides_and_counts_nothing(void **state)
{
	struct point_run pr;
	struct point_count count = { 0 };

	(void)state;
	run_with(&pr, NULL, NULL);
	assert_false(pr.on);
	assert_false(pr.count_boundaries);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(point_edit(&pr, &count, &user_exit, STEP_DSB), EQS_EDIT_NONE);
		assert_int_equal(point_edit(&pr, &count, &patcher, STEP_SMP_MB), EQS_EDIT_NONE);
	}
	assert_true(count_empty(&count));
	assert_int_equal(pr.nr_points, 0);
	assert_int_equal(point_edited_order(&pr, EQS_POINT_EXIT_ORDER, EQS_ORDER_FULL),
			 EQS_ORDER_FULL);
}

static void test_edit_names_the_nth_call_on_its_half(void **state)
{
	struct point_run pr;
	struct point_count exit_half = { 0 }, entry_half = { 0 }, idle = { 0 };

	(void)state;
	run_with(&pr, "user.exit.dsb.2=weaken", NULL);
	assert_true(pr.on);
	assert_false(pr.count_boundaries);
	assert_int_equal(point_edit(&pr, &exit_half, &user_exit, STEP_DSB), EQS_EDIT_NONE);
	/* Another block between them is not a dsb and does not move the count. */
	assert_int_equal(point_edit(&pr, &exit_half, &user_exit, STEP_DMB), EQS_EDIT_NONE);
	assert_int_equal(point_edit(&pr, &exit_half, &user_exit, STEP_DSB), EQS_EDIT_WEAKEN);
	assert_int_equal(point_edit(&pr, &exit_half, &user_exit, STEP_DSB), EQS_EDIT_NONE);
	assert_int_equal(exit_half.seen[STEP_DSB], 3);
	assert_int_equal(exit_half.seen[STEP_DMB], 0); /* not edited, not listed: not counted */
	/* The entry half and another path have their own second dsb. */
	for (int i = 0; i < 3; i++) {
		assert_int_equal(point_edit(&pr, &entry_half, &user_entry, STEP_DSB),
				 EQS_EDIT_NONE);
		assert_int_equal(point_edit(&pr, &idle, &idle_exit, STEP_DSB), EQS_EDIT_NONE);
	}
	/* A dsb_st is another block. */
	struct point_count st = { 0 };

	for (int i = 0; i < 3; i++)
		assert_int_equal(point_edit(&pr, &st, &user_exit, STEP_DSB_ST), EQS_EDIT_NONE);
}

static void test_patcher_edit_only_in_the_patcher(void **state)
{
	struct point_run pr;
	struct point_count p = { 0 }, cpu = { 0 };

	(void)state;
	run_with(&pr, "patcher.smp_mb.1=remove", NULL);
	assert_int_equal(point_edit(&pr, &cpu, &user_exit, STEP_SMP_MB), EQS_EDIT_NONE);
	assert_int_equal(point_edit(&pr, &p, &patcher, STEP_SMP_MB), EQS_EDIT_REMOVE);
	assert_int_equal(point_edit(&pr, &p, &patcher, STEP_SMP_MB), EQS_EDIT_NONE);
	/* A patcher place's path is not looked at. */
	struct point_place other = { .patcher = true, .path = EQS_PATH_GUEST, .on_entry = true };
	struct point_count q = { 0 };

	assert_int_equal(point_edit(&pr, &q, &other, STEP_SMP_MB), EQS_EDIT_REMOVE);
}

static void test_two_edits(void **state)
{
	struct point_run pr;
	struct point_count c = { 0 }, p = { 0 };

	(void)state;
	run_with(&pr, "idle.exit.isb.1=remove", "patcher.patch_dsb.2=weaken");
	assert_int_equal(point_edit(&pr, &c, &idle_exit, STEP_ISB), EQS_EDIT_REMOVE);
	assert_int_equal(point_edit(&pr, &p, &patcher, STEP_PATCH_DSB), EQS_EDIT_NONE);
	assert_int_equal(point_edit(&pr, &p, &patcher, STEP_PATCH_DSB), EQS_EDIT_WEAKEN);
}

static void test_point_equal(void **state)
{
	struct eqs_point a = { .kind = EQS_POINT_BLOCK, .patcher = true, .step = STEP_SMP_MB };
	struct eqs_point b = a;

	(void)state;
	/* The patcher has no path: a patcher point's path fields are not compared. */
	b.path = EQS_PATH_NMI;
	b.on_entry = true;
	assert_true(eqs_point_equal(&a, &b));
	b = a;
	b.nth = 1;
	assert_false(eqs_point_equal(&a, &b));
	b = a;
	b.patcher = false;
	assert_false(eqs_point_equal(&a, &b));
	/* A CPU's point is on one path's half. */
	a = (struct eqs_point){ .kind = EQS_POINT_BLOCK, .path = EQS_PATH_IDLE, .step = STEP_DSB };
	b = a;
	assert_true(eqs_point_equal(&a, &b));
	b.path = EQS_PATH_IRQ;
	assert_false(eqs_point_equal(&a, &b));
	b = a;
	b.on_entry = true;
	assert_false(eqs_point_equal(&a, &b));
	b = a;
	b.step = STEP_DMB;
	assert_false(eqs_point_equal(&a, &b));
	b = a;
	b.kind = EQS_POINT_BOUNDARY;
	assert_false(eqs_point_equal(&a, &b));
	/* A boundary on every path is one point, whatever path it names. */
	a.kind = b.kind = EQS_POINT_BOUNDARY;
	a.every_path = b.every_path = true;
	b.path = EQS_PATH_GUEST;
	assert_true(eqs_point_equal(&a, &b));
	/* An update's point is the kind alone. */
	a = (struct eqs_point){ .kind = EQS_POINT_EXIT_ORDER };
	b = (struct eqs_point){ .kind = EQS_POINT_EXIT_ORDER, .step = 3, .nth = 2 };
	assert_true(eqs_point_equal(&a, &b));
	b.kind = EQS_POINT_ENTER_ORDER;
	assert_false(eqs_point_equal(&a, &b));
}

static bool listed(const struct point_run *pr, const char *name)
{
	char buf[96];

	for (unsigned i = 0; i < pr->nr_points; i++)
		if (!strcmp(eqs_point_name(&pr->points[i], buf, sizeof(buf)), name))
			return true;
	return false;
}

static void test_list_records_each_point_once(void **state)
{
	struct point_run pr;

	(void)state;
	run_with(&pr, NULL, NULL);
	points_list(&pr);
	assert_true(pr.on);
	assert_true(pr.count_boundaries);
	/* The user exit half, run three times: each run counts from its own start. */
	for (int run = 0; run < 3; run++) {
		struct point_count count = { 0 };

		assert_int_equal(point_edit(&pr, &count, &user_exit, STEP_DSB), EQS_EDIT_NONE);
		assert_int_equal(point_edit(&pr, &count, &user_exit, STEP_ISB), EQS_EDIT_NONE);
		assert_int_equal(point_edit(&pr, &count, &user_exit, STEP_DSB), EQS_EDIT_NONE);
		/* A step that is no block is no point. */
		assert_int_equal(point_edit(&pr, &count, &user_exit, STEP_EXEC_TEXT),
				 EQS_EDIT_NONE);
	}
	struct point_count entry = { 0 }, p = { 0 };

	point_edit(&pr, &entry, &user_entry, STEP_DSB);
	point_edit(&pr, &p, &patcher, STEP_SMP_MB);
	point_edit(&pr, &p, &patcher, STEP_SMP_MB);
	assert_int_equal(pr.nr_points, 6);
	assert_true(listed(&pr, "user exit: dsb #1"));
	assert_true(listed(&pr, "user exit: dsb #2"));
	assert_true(listed(&pr, "user exit: isb #1"));
	assert_true(listed(&pr, "user entry: dsb #1"));
	assert_true(listed(&pr, "patcher: smp_mb #1"));
	assert_true(listed(&pr, "patcher: smp_mb #2"));
	for (unsigned i = 0; i < pr.nr_points; i++)
		for (unsigned j = i + 1; j < pr.nr_points; j++)
			assert_false(eqs_point_equal(&pr.points[i], &pr.points[j]));
	/* Boundaries are listed once each too. */
	for (int run = 0; run < 2; run++) {
		struct point_count count = { 0 };

		point_boundary(&pr, &count, &user_exit, STEP_EXEC_TEXT);
		point_boundary(&pr, &count, &user_exit, STEP_EXEC_TEXT);
	}
	assert_int_equal(pr.nr_boundaries, 2);
}

static void test_list_stops_when_full(void **state)
{
	struct point_run pr;
	struct point_count count = { 0 };

	(void)state;
	run_with(&pr, NULL, NULL);
	points_list(&pr);
	for (unsigned i = 0; i < SIM_POINTS + 10; i++) {
		struct point_place at = { .path = (enum eqs_path)(i % EQS_PATH_COUNT),
					  .on_entry = i / EQS_PATH_COUNT % 2 };

		point_edit(&pr, &count, &at, STEP_DMB);
	}
	assert_int_equal(pr.nr_points, SIM_POINTS);
}

static unsigned insert_kind(unsigned inserts, unsigned i)
{
	return inserts >> (POINT_INSERT_BITS * i) & ((1u << POINT_INSERT_BITS) - 1);
}

static void test_boundary_inserts(void **state)
{
	struct point_run pr;
	struct point_count user = { 0 }, idle = { 0 }, entry = { 0 }, p = { 0 };
	unsigned inserts;

	(void)state;
	run_with(&pr, "before:any.exit.isb.1=dsb", NULL);
	assert_true(pr.count_boundaries);
	/* Other steps' boundaries insert nothing and do not move the isb's count. */
	assert_int_equal(point_boundary(&pr, &user, &user_exit, STEP_EXC_ENTRY), 0);
	assert_int_equal(point_boundary(&pr, &user, &user_exit, STEP_CT_USER_EXIT), 0);
	inserts = point_boundary(&pr, &user, &user_exit, STEP_ISB);
	assert_int_equal(insert_kind(inserts, 0), EQS_EDIT_INSERT_DSB);
	assert_int_equal(insert_kind(inserts, 1), 0);
	assert_int_equal(point_boundary(&pr, &user, &user_exit, STEP_ISB), 0);
	/* any: every path's exit half, but not an entry half nor the patcher. */
	assert_int_equal(point_boundary(&pr, &idle, &idle_exit, STEP_ISB), EQS_EDIT_INSERT_DSB);
	assert_int_equal(point_boundary(&pr, &entry, &user_entry, STEP_ISB), 0);
	assert_int_equal(point_boundary(&pr, &p, &patcher, STEP_ISB), 0);
	/* Boundaries decide, never blocks: a met isb block is not edited. */
	struct point_count c = { 0 };

	assert_int_equal(point_edit(&pr, &c, &user_exit, STEP_ISB), EQS_EDIT_NONE);
}

static void test_two_inserts_at_one_boundary(void **state)
{
	struct point_run pr;
	struct point_count count = { 0 };
	unsigned inserts;

	(void)state;
	run_with(&pr, "before:guest.exit.exec_text.1=dmb", "before:any.exit.exec_text.1=isb");
	inserts = point_boundary(&pr, &count, &(struct point_place){ .path = EQS_PATH_GUEST },
				 STEP_EXEC_TEXT);
	assert_int_equal(insert_kind(inserts, 0), EQS_EDIT_INSERT_DMB);
	assert_int_equal(insert_kind(inserts, 1), EQS_EDIT_INSERT_ISB);
	assert_int_equal(insert_kind(inserts, 2), 0);
	/* On another path only the any edit matches. */
	struct point_count idle = { 0 };

	inserts = point_boundary(&pr, &idle, &idle_exit, STEP_EXEC_TEXT);
	assert_int_equal(inserts, EQS_EDIT_INSERT_ISB);
}

static void test_inserting_suppresses_boundaries(void **state)
{
	struct point_run pr;
	struct point_count count = { 0 };

	(void)state;
	run_with(&pr, "before:user.exit.dsb.1=isb", NULL);
	count.inserting = true; /* an inserted dsb's own step is no boundary */
	assert_int_equal(point_boundary(&pr, &count, &user_exit, STEP_DSB), 0);
	assert_int_equal(count.steps[STEP_DSB], 0);
	count.inserting = false;
	assert_int_equal(point_boundary(&pr, &count, &user_exit, STEP_DSB), EQS_EDIT_INSERT_ISB);
	assert_int_equal(count.steps[STEP_DSB], 1);
}

static enum eqs_order order_under(const char *spec1, const char *spec2, enum eqs_point_kind kind,
				  enum eqs_order order)
{
	struct point_run pr;

	run_with(&pr, spec1, spec2);
	return point_edited_order(&pr, kind, order);
}

static void test_edited_order(void **state)
{
	const enum eqs_point_kind x = EQS_POINT_EXIT_ORDER, n = EQS_POINT_ENTER_ORDER;

	(void)state;
	assert_int_equal(order_under("exit_order=weaken", NULL, x, EQS_ORDER_FULL),
			 EQS_ORDER_RELEASE);
	assert_int_equal(order_under("exit_order=weaken", NULL, x, EQS_ORDER_RELEASE),
			 EQS_ORDER_RELAXED);
	assert_int_equal(order_under("exit_order=weaken", NULL, x, EQS_ORDER_RELAXED),
			 EQS_ORDER_RELAXED);
	assert_int_equal(order_under("exit_order=remove", NULL, x, EQS_ORDER_FULL),
			 EQS_ORDER_RELAXED);
	assert_int_equal(order_under("exit_order=strengthen", NULL, x, EQS_ORDER_RELAXED),
			 EQS_ORDER_RELEASE);
	assert_int_equal(order_under("exit_order=strengthen", NULL, x, EQS_ORDER_RELEASE),
			 EQS_ORDER_FULL);
	assert_int_equal(order_under("exit_order=strengthen", NULL, x, EQS_ORDER_FULL),
			 EQS_ORDER_FULL);
	/* An edit of the exit's update leaves the entry's alone, and a block edit both. */
	assert_int_equal(order_under("exit_order=weaken", NULL, n, EQS_ORDER_FULL), EQS_ORDER_FULL);
	assert_int_equal(order_under("enter_order=weaken", NULL, n, EQS_ORDER_FULL),
			 EQS_ORDER_RELEASE);
	assert_int_equal(order_under("user.exit.dsb.1=weaken", NULL, x, EQS_ORDER_FULL),
			 EQS_ORDER_FULL);
	/* Two edits apply in turn. */
	assert_int_equal(order_under("exit_order=weaken", "exit_order=weaken", x, EQS_ORDER_FULL),
			 EQS_ORDER_RELAXED);
	assert_int_equal(
		order_under("exit_order=weaken", "enter_order=strengthen", n, EQS_ORDER_RELAXED),
		EQS_ORDER_RELEASE);
}

static void assert_refused(const char *spec, const char *in_message)
{
	struct eqs_edit e = { .kind = EQS_EDIT_REMOVE };
	char err[256] = "";

	if (eqs_edit_parse(spec, &e, err, sizeof(err)) != -EINVAL)
		fail_msg("'%s' accepted", spec);
	if (!err[0] || (in_message && !strstr(err, in_message)))
		fail_msg("'%s': message '%s'", spec, err);
	assert_int_equal(e.kind, EQS_EDIT_REMOVE); /* *out untouched */
}

static void test_parse_refuses(void **state)
{
	(void)state;
	assert_refused("user.exit.no_such_step.1=remove", "no_such_step");
	assert_refused("user.exit.exc_entry.1=remove", "exc_entry"); /* no block */
	assert_refused("patcher.patch_write.1=remove", "patch_write");
	assert_refused("user.exit.isb.1=dsb", NULL);	       /* insert without before: */
	assert_refused("before:user.exit.isb.1=remove", NULL); /* before: without insert */
	assert_refused("before:patcher.smp_mb.1=isb", "isb");  /* the patcher runs no text */
	assert_refused("any.exit.dsb.1=remove", NULL);	       /* any only for a boundary */
	assert_refused("nowhere.exit.dsb.1=remove", NULL);     /* no such path */
	assert_refused("user.middle.dsb.1=remove", NULL);      /* exit or entry */
	assert_refused("user.exit.dsb.0=remove", NULL);	       /* N from 1 */
	assert_refused("user.exit.dsb.256=remove", NULL);      /* N up to 255 */
	assert_refused("user.exit.dsb.1x=remove", NULL);
	assert_refused("user.exit.dsb=remove", NULL);
	assert_refused("user.exit.dsb.1=tighten", NULL);
	assert_refused("user.exit.dsb.1", NULL);
	assert_refused("exit_order=dsb", NULL);
	assert_refused("before:exit_order=dsb", NULL);
	assert_refused("", NULL);
	assert_refused(NULL, NULL);
}

static void assert_check_refuses(struct eqs_edit e)
{
	char err[256] = "";

	assert_int_equal(edit_check(&e, err, sizeof(err)), -EINVAL);
	assert_true(err[0] != '\0');
}

static void test_edit_check(void **state)
{
	struct eqs_edit ok = parsed("user.exit.dsb.1=remove"), e;
	char err[256] = "";

	(void)state;
	assert_int_equal(edit_check(&ok, err, sizeof(err)), 0);
	assert_int_equal(edit_check(&no_edit, err, sizeof(err)), 0);
	e = ok;
	e.kind = (enum eqs_edit_kind)(EQS_EDIT_INSERT_DSB + 1);
	assert_check_refuses(e);
	e = ok;
	e.point.kind = EQS_POINT_NONE;
	assert_check_refuses(e);
	e = ok;
	e.point.step = STEP_EXC_ENTRY; /* no block */
	assert_check_refuses(e);
	e = ok;
	e.point.step = EQS_MAX_STEPS + 3;
	assert_check_refuses(e);
	e = ok;
	e.point.every_path = true; /* a block on every path: not a point */
	assert_check_refuses(e);
	e = ok;
	e.point.path = EQS_PATH_COUNT;
	assert_check_refuses(e);
	e = ok;
	e.kind = EQS_EDIT_INSERT_DMB; /* an insert at a block */
	assert_check_refuses(e);
	e = parsed("before:patcher.smp_mb.1=dmb");
	assert_int_equal(edit_check(&e, err, sizeof(err)), 0);
	e.kind = EQS_EDIT_INSERT_ISB;
	assert_check_refuses(e);
	e = parsed("before:user.exit.exec_text.1=isb");
	e.kind = EQS_EDIT_WEAKEN; /* a weakened boundary */
	assert_check_refuses(e);
	e = parsed("before:user.exit.exec_text.1=isb");
	e.point.step = -1;
	assert_check_refuses(e);
	e = parsed("exit_order=weaken");
	e.kind = EQS_EDIT_INSERT_DSB;
	assert_check_refuses(e);
}

static void test_format_round_trips(void **state)
{
	static const char *const specs[] = {
		"user.exit.dsb.2=weaken",
		"idle.entry.isb.1=remove",
		"uirq.exit.isb_if_eqs.3=remove",
		"nmi.exit.dsb_ld.1=strengthen",
		"patcher.smp_mb.1=remove",
		"patcher.patch_dsb.2=weaken",
		"exit_order=weaken",
		"enter_order=strengthen",
		"before:any.exit.isb.1=dsb",
		"before:guest.entry.exec_text.255=isb",
		"before:patcher.read_dynticks.1=dmb",
		"before:irq.exit.dmb.7=dsb",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		struct eqs_edit e = parsed(specs[i]), again;
		char buf[128];

		assert_string_equal(eqs_edit_format(&e, buf, sizeof(buf)), specs[i]);
		again = parsed(buf);
		assert_int_equal(again.kind, e.kind);
		assert_true(eqs_point_equal(&again.point, &e.point));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_edit_decides_and_counts_nothing),
		cmocka_unit_test(test_edit_names_the_nth_call_on_its_half),
		cmocka_unit_test(test_patcher_edit_only_in_the_patcher),
		cmocka_unit_test(test_two_edits),
		cmocka_unit_test(test_point_equal),
		cmocka_unit_test(test_list_records_each_point_once),
		cmocka_unit_test(test_list_stops_when_full),
		cmocka_unit_test(test_boundary_inserts),
		cmocka_unit_test(test_two_inserts_at_one_boundary),
		cmocka_unit_test(test_inserting_suppresses_boundaries),
		cmocka_unit_test(test_edited_order),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_edit_check),
		cmocka_unit_test(test_format_round_trips),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
