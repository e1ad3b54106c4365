/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_reduce.c - lib/explore/reduce.c on its own: the sleep sets of
 * partial-order reduction, driven as the depth-first search drives them
 * (a decision, its steps, a second execution through it), with each
 * step's accesses made through the port reduce_port() gives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reduce.h"

#define BIT(c) (1ull << (c))

static struct reduce *r;
static const struct mem_port *port;
static struct shared_view view; /* the state outside the port: unchanged unless a test says */
static uint32_t words[64];
static uint32_t *a, *b; /* two words the footprint filter tells apart */

/* Two words on different bits of the filter (two on one bit look dependent). */
static void pick_words(void)
{
	a = &words[0];
	for (unsigned i = 1; i < 64; i++) {
		if (fp_bit(&words[i]) != fp_bit(a)) {
			b = &words[i];
			return;
		}
	}
	fail_msg("no two words on different filter bits");
}

static int setup(void **state)
{
	(void)state;
	r = reduce_new(NULL);
	assert_non_null(r);
	port = reduce_port(r);
	memset(&view, 0, sizeof(view));
	pick_words();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	reduce_free(r);
	return 0;
}

enum access {
	NONE,
	READ,
	WRITE
};

/* One step of choice: an access to p, then the end as the scheduler saw it. */
static void step(unsigned choice, int decision, uint64_t explored, enum access what, uint32_t *p,
		 struct reduce_step how)
{
	reduce_step_begin(r);
	if (what == WRITE)
		port->store(port->model, p, 1, MEM_RELAXED);
	else if (what == READ)
		(void)port->load(port->model, p, MEM_RELAXED);
	how.choice = choice;
	how.decision = decision;
	how.explored = explored;
	if (!how.shared)
		how.shared = &view;
	reduce_step_end(r, &how);
}

static const struct reduce_step plain = { .shared = NULL };

/*
 * Decision 0 between threads 0 and 1: thread 0 writes a first; the next
 * execution takes thread 1 there, which does `what` to p.  What sleeps
 * after it.
 */
static uint64_t sibling_after(enum access what, uint32_t *p, struct reduce_step how)
{
	reduce_reset(r, &view);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(1)), 0);
	step(0, 0, 0, WRITE, a, plain);
	/* Backtracked: the prefix ends at decision 0, thread 0 tried there. */
	reduce_reset(r, &view);
	step(1, 0, BIT(0), what, p, how);
	return reduce_sleep(r);
}

/* Two independent steps commute: thread 0's is put to sleep behind thread 1's. */
static void test_independent_steps_sleep(void **state)
{
	(void)state;
	assert_int_equal(sibling_after(WRITE, b, plain), BIT(0));
	/* At the next decision thread 0 is asleep: that order was explored. */
	assert_int_equal(reduce_enter_decision(r, 1, BIT(0) | BIT(1)), BIT(0));
	/* Only choices enabled there are asleep. */
	assert_int_equal(reduce_enter_decision(r, 1, BIT(1)), 0);
	/* A step with no decision that commutes with it keeps it asleep... */
	step(1, -1, 0, READ, b, plain);
	assert_int_equal(reduce_sleep(r), BIT(0));
	/* ...one that reads what it wrote wakes it. */
	step(1, -1, 0, READ, a, plain);
	assert_int_equal(reduce_sleep(r), 0);
}

/* Steps that touch one word, one writing, do not commute: nothing sleeps. */
static void test_dependent_steps_wake(void **state)
{
	(void)state;
	assert_int_equal(sibling_after(WRITE, a, plain), 0);
	assert_int_equal(sibling_after(READ, a, plain), 0);
	assert_int_equal(sibling_after(NONE, NULL, plain), BIT(0));
}

/* A sleeper's footprint goes with it into the next decision, and wakes it there. */
static void test_sleeper_footprint_carried(void **state)
{
	uint64_t asleep;

	(void)state;
	assert_int_equal(sibling_after(WRITE, b, plain), BIT(0));
	asleep = reduce_enter_decision(r, 1, BIT(0) | BIT(1));
	assert_int_equal(asleep, BIT(0));
	step(1, 1, asleep, NONE, NULL, plain); /* thread 1 at decision 1 touches nothing */
	assert_int_equal(reduce_sleep(r), BIT(0));

	assert_int_equal(sibling_after(WRITE, b, plain), BIT(0));
	asleep = reduce_enter_decision(r, 1, BIT(0) | BIT(1));
	step(1, 1, asleep, READ, a, plain); /* it reads what the sleeper writes */
	assert_int_equal(reduce_sleep(r), 0);
}

/* A step that changes the state outside the port depends on every other. */
static void test_global_steps_depend_on_everything(void **state)
{
	struct shared_view changed = view;
	struct reduce_step global = { .shared = &changed };

	(void)state;
	changed.bytes[0] = 1;
	changed.n = 1;
	assert_int_equal(sibling_after(NONE, NULL, global), 0);
	/*
	 * Changed by a step, the view is the next step's "before": a step
	 * after it that leaves it so is not global.
	 */
	reduce_reset(r, &view);
	step(1, -1, 0, NONE, NULL, global);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(1)), 0);
	step(0, 0, 0, WRITE, a, global);
	reduce_reset(r, &view);
	step(1, -1, 0, NONE, NULL, global);
	step(1, 0, BIT(0), WRITE, b, global);
	assert_int_equal(reduce_sleep(r), BIT(0));
	/* A view too big to copy is taken as changed. */
	changed.overflow = true;
	assert_int_equal(sibling_after(NONE, NULL, global), 0);
	/* An NMI is shared by the scenario's CPUs: its delivery depends on everything. */
	assert_int_equal(sibling_after(NONE, NULL, plain), BIT(0));
	reduce_reset(r, &view);
	step(CHOICE_NMI(1), 0, BIT(0), NONE, NULL, plain);
	assert_int_equal(reduce_sleep(r), 0);
	/* A choice the search did not run touched what nobody knows. */
	reduce_reset(r, &view);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(1)), 0);
	step(0, 0, 0, WRITE, a, plain);
	reduce_not_run(r, 0, 0);
	reduce_reset(r, &view);
	step(1, 0, BIT(0), WRITE, b, plain);
	assert_int_equal(reduce_sleep(r), 0);
}

/* A step that wakes blocked threads does not commute with one that ended blocked. */
static void test_blocked_and_progress(void **state)
{
	struct reduce_step blocked = { .blocked = true }, woke = { .woke = true };

	(void)state;
	reduce_reset(r, &view);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(1)), 0);
	step(0, 0, 0, READ, a, blocked);
	reduce_reset(r, &view);
	step(1, 0, BIT(0), WRITE, b, woke);
	assert_int_equal(reduce_sleep(r), 0);
	/* Blocked against a step that wakes nobody: they commute. */
	reduce_reset(r, &view);
	step(1, 0, BIT(0), WRITE, b, plain);
	assert_int_equal(reduce_sleep(r), BIT(0));
}

/* Two choices of one thread never commute (its code, its stores). */
static void test_one_thread_never_commutes(void **state)
{
	(void)state;
	reduce_reset(r, &view);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(CHOICE_DRAIN(0))), 0);
	step(0, 0, 0, WRITE, a, plain);
	reduce_reset(r, &view);
	step(CHOICE_DRAIN(0), 0, BIT(0), WRITE, b, plain);
	assert_int_equal(reduce_sleep(r), 0);
	/* Thread 1's stores against thread 0's step: they commute. */
	reduce_reset(r, &view);
	assert_int_equal(reduce_enter_decision(r, 0, BIT(0) | BIT(CHOICE_DRAIN(1))), 0);
	step(0, 0, 0, WRITE, a, plain);
	reduce_reset(r, &view);
	step(CHOICE_DRAIN(1), 0, BIT(0), WRITE, b, plain);
	assert_int_equal(reduce_sleep(r), BIT(0));
}

/* A new execution starts with nothing asleep. */
static void test_reset_wakes_all(void **state)
{
	(void)state;
	assert_int_equal(sibling_after(WRITE, b, plain), BIT(0));
	reduce_reset(r, &view);
	assert_int_equal(reduce_sleep(r), 0);
}

/* Under a weak model the model's port notes the accesses, during a step only. */
static void test_weak_model_port(void **state)
{
	struct mem_model mm;
	struct reduce *weak;

	(void)state;
	mm_init(&mm, EQS_MODEL_TSO);
	weak = reduce_new(&mm);
	assert_non_null(weak);
	assert_ptr_equal(reduce_port(weak), &mm.port);
	assert_ptr_not_equal(reduce_port(r), &mm.port);
	reduce_reset(weak, &view);
	assert_null(mm.fp);
	reduce_step_begin(weak);
	assert_non_null(mm.fp);
	struct reduce_step st = { .choice = 0, .decision = -1, .shared = &view };

	reduce_step_end(weak, &st);
	assert_null(mm.fp);
	reduce_free(weak);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_independent_steps_sleep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dependent_steps_wake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sleeper_footprint_carried, setup, teardown),
		cmocka_unit_test_setup_teardown(test_global_steps_depend_on_everything, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_blocked_and_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_thread_never_commutes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_wakes_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weak_model_port, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
