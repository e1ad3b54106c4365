/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_coro.c - lib/coro.c on its own: a coroutine entered and left and
 * entered again where it stopped, two of them interleaved, the final
 * switch of one whose function is done, and the stack a coroutine is
 * prepared on (its top, its saved stack pointer, the bytes cleared).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coro.h"

#define STACK (64 * 1024)

static struct coro main_ctx, co[2];
static char *stacks[2];
static char trace[64];
static unsigned nr_trace;
static unsigned finished;

static void note(char c)
{
	if (nr_trace + 1 < sizeof(trace))
		trace[nr_trace++] = c;
	trace[nr_trace] = '\0';
}

static int setup(void **state)
{
	(void)state;
	if (!coro_available())
		skip();
	for (unsigned i = 0; i < 2; i++) {
		stacks[i] = malloc(STACK);
		assert_non_null(stacks[i]);
	}
	memset(&main_ctx, 0, sizeof(main_ctx));
	memset(co, 0, sizeof(co));
	nr_trace = 0;
	trace[0] = '\0';
	finished = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 2; i++) {
		coro_release(&co[i]);
		free(stacks[i]);
	}
	return 0;
}

/* Counts in a local across three switches out: the local lives on its own stack. */
static void counter(void *arg)
{
	unsigned *seen = arg;

	for (unsigned local = 1; local <= 3; local++) {
		*seen = local;
		coro_switch(&co[0], &main_ctx);
	}
	finished++;
	coro_switch_final(&co[0], &main_ctx);
}

static void test_switch_in_and_out(void **state)
{
	unsigned seen = 0;

	(void)state;
	coro_init(&co[0], stacks[0], STACK, STACK, counter, &seen);
	for (unsigned i = 1; i <= 3; i++) {
		coro_switch(&main_ctx, &co[0]); /* resumed where it left off */
		assert_int_equal(seen, i);
		assert_int_equal(finished, 0);
	}
	coro_switch(&main_ctx, &co[0]);
	assert_int_equal(finished, 1);
	assert_int_equal(seen, 3);
}

/* Each writes its letter and a count, and yields: run in turns, they interleave. */
static void writer(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;

	for (unsigned i = 0; i < 3; i++) {
		note(me ? 'b' : 'a');
		note((char)('1' + i));
		coro_switch(&co[me], &main_ctx);
	}
	finished++;
	coro_switch_final(&co[me], &main_ctx);
}

static void test_two_interleave(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 2; i++)
		coro_init(&co[i], stacks[i], STACK, STACK, writer, (void *)(uintptr_t)i);
	coro_switch(&main_ctx, &co[0]);
	coro_switch(&main_ctx, &co[1]);
	coro_switch(&main_ctx, &co[1]);
	coro_switch(&main_ctx, &co[0]);
	coro_switch(&main_ctx, &co[0]);
	coro_switch(&main_ctx, &co[1]);
	assert_string_equal(trace, "a1b1b2a2a3b3");
	assert_int_equal(finished, 0);
	coro_switch(&main_ctx, &co[1]);
	assert_int_equal(finished, 1);
	coro_switch(&main_ctx, &co[0]);
	assert_int_equal(finished, 2);
}

/* A coroutine prepared again on the stack of one that finished starts afresh. */
static void test_final_switch_and_reuse(void **state)
{
	unsigned seen = 0;

	(void)state;
	for (unsigned round = 0; round < 3; round++) {
		seen = 0;
		coro_init(&co[0], stacks[0], STACK, STACK, counter, &seen);
		for (unsigned i = 0; i < 4; i++)
			coro_switch(&main_ctx, &co[0]);
		assert_int_equal(seen, 3);
		assert_int_equal(finished, round + 1);
	}
	/* Abandoned mid-way (an execution cut short), then prepared again: it starts over. */
	coro_init(&co[0], stacks[0], STACK, STACK, counter, &seen);
	coro_switch(&main_ctx, &co[0]);
	assert_int_equal(seen, 1);
	coro_init(&co[0], stacks[0], STACK, STACK, counter, &seen);
	coro_switch(&main_ctx, &co[0]);
	assert_int_equal(seen, 1);
}

/* The ABI's 16-byte stack alignment at a call, as a function in the coroutine sees it. */
static __attribute__((noinline)) uintptr_t aligned_local(void)
{
	_Alignas(16) volatile char local[16];
	uintptr_t at = (uintptr_t)local;

	local[0] = 0;
	__asm__ volatile("" : "+r"(at)); /* the address as it is, not as the ABI promises */
	return at % 16;
}

static uintptr_t misaligned;

static void idle(void *arg)
{
	misaligned = aligned_local();
	(void)arg;
	for (;;)
		coro_switch(&co[0], &main_ctx);
}

/* The stack: its top aligned inside it, sp below it while suspended, the top cleared. */
static void test_stack_fields(void **state)
{
	const size_t clear = 4096;
	char *bottom = stacks[0];

	(void)state;
	memset(bottom, 0xa5, STACK);
	coro_init(&co[0], bottom, STACK, clear, idle, NULL);
	assert_true(co[0].stack_top <= bottom + STACK);
	assert_true(co[0].stack_top > bottom + STACK - 16);
	assert_int_equal((uintptr_t)co[0].stack_top % 16, 0);
	assert_true((char *)co[0].sp < co[0].stack_top);
	assert_true((char *)co[0].sp > bottom + STACK - clear);
	/* Cleared: the top clear bytes below its first frame; untouched below them. */
	for (char *p = bottom + STACK - clear; p < (char *)co[0].sp; p++)
		assert_int_equal(*p, 0);
	assert_int_equal((unsigned char)bottom[STACK - clear - 1], 0xa5);
	assert_int_equal((unsigned char)bottom[0], 0xa5);
	void *first = co[0].sp;

	misaligned = 1;
	coro_switch(&main_ctx, &co[0]);
	assert_int_equal(misaligned, 0);
	/* Suspended: its saved sp inside its stack, below its first frame; the scheduler's outside. */
	assert_true((char *)co[0].sp >= bottom && (char *)co[0].sp < co[0].stack_top);
	assert_true((char *)co[0].sp < (char *)first);
	assert_null(main_ctx.stack_top);
	assert_false((char *)main_ctx.sp >= bottom && (char *)main_ctx.sp < bottom + STACK);
	void *was = co[0].sp;

	coro_switch(&main_ctx, &co[0]); /* the same loop, the same depth */
	assert_ptr_equal(co[0].sp, was);

	/* A stack whose end is not aligned: its top is aligned down, inside it. */
	coro_init(&co[1], stacks[1] + 8, STACK - 16, STACK - 16, idle, NULL);
	assert_int_equal((uintptr_t)co[1].stack_top % 16, 0);
	assert_true(co[1].stack_top <= stacks[1] + STACK - 8);
	assert_true(co[1].stack_top > stacks[1] + STACK - 8 - 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_switch_in_and_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_interleave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_final_switch_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stack_fields, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
