/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_memory_model.c - lib/explore/memory_model.c on its own: the classic
 * shapes (store buffering, message passing, coherence, RMW atomicity) go
 * through the memory port exactly as the protocol's accesses do, and each
 * model allows what it should and nothing more.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "memory_model.h"

static struct mem_model m;
static uint32_t x, y, z;

static void setup_model(enum eqs_model kind)
{
	mm_init(&m, kind);
	x = y = z = 0;
}

/* Thread t's accesses, through the port as the barriers.h wrappers make them. */
static void store(unsigned t, uint32_t *p, uint32_t v, enum mem_order o)
{
	m.cur = t;
	m.port.store(m.port.model, p, v, o);
}

static uint32_t load(unsigned t, const uint32_t *p)
{
	m.cur = t;
	return m.port.load(m.port.model, p, MEM_RELAXED);
}

static uint32_t add_return(unsigned t, uint32_t *p, uint32_t v)
{
	m.cur = t;
	return m.port.rmw(m.port.model, p, RMW_ADD, v, 0, MEM_FULL);
}

static uint32_t cmpxchg(unsigned t, uint32_t *p, uint32_t old, uint32_t v)
{
	m.cur = t;
	return m.port.rmw(m.port.model, p, RMW_CMPXCHG, old, v, MEM_FULL);
}

static void fence(unsigned t, enum mem_fence f)
{
	m.cur = t;
	m.port.fence(m.port.model, f);
}

static uint32_t fetch(unsigned t, const uint32_t *p)
{
	m.cur = t;
	return m.port.fetch(m.port.model, p);
}

/* Store buffering: both loads may miss the other's store, until a fence drains. */
static void test_store_buffering(void **state)
{
	static const enum eqs_model kinds[] = { EQS_MODEL_TSO, EQS_MODEL_ARM_IFETCH };

	(void)state;
	for (unsigned k = 0; k < 2; k++) {
		setup_model(kinds[k]);
		store(0, &x, 1, MEM_RELAXED);
		store(1, &y, 1, MEM_RELAXED);
		assert_int_equal(load(0, &y), 0);
		assert_int_equal(load(1, &x), 0);
		assert_int_equal(load(0, &x), 1); /* its own store, forwarded */

		setup_model(kinds[k]);
		store(0, &x, 1, MEM_RELAXED);
		fence(0, FENCE_DMB); /* smp_mb(): the load after it waits for the store */
		assert_int_equal(load(0, &y), 0);
		assert_int_equal(x, 1);
		assert_int_equal(load(1, &x), 1);
	}
}

/* TSO's buffer is FIFO; Arm's lets unrelated stores pass unless a barrier orders them. */
static void test_store_order(void **state)
{
	(void)state;
	setup_model(EQS_MODEL_TSO);
	store(0, &x, 1, MEM_RELAXED);
	store(0, &y, 1, MEM_RELAXED);
	assert_int_equal(mm_visible_next(&m, 0), 0x1);

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &x, 1, MEM_RELAXED);
	store(0, &y, 1, MEM_RELAXED);
	assert_int_equal(mm_visible_next(&m, 0), 0x3); /* message passing can fail */
	mm_make_visible(&m, 0, 1, NULL, NULL);
	assert_int_equal(load(1, &y), 1);
	assert_int_equal(load(1, &x), 0);

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &x, 1, MEM_RELAXED);
	fence(0, FENCE_DMB_ST);
	store(0, &y, 1, MEM_RELAXED);
	assert_int_equal(mm_visible_next(&m, 0), 0x1);

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &x, 1, MEM_RELAXED);
	store(0, &y, 1, MEM_RELEASE); /* after every earlier store */
	assert_int_equal(mm_visible_next(&m, 0), 0x1);

	setup_model(EQS_MODEL_ARM_IFETCH); /* coherence: one word's stores stay in order */
	store(0, &x, 1, MEM_RELAXED);
	store(0, &x, 2, MEM_RELAXED);
	assert_int_equal(mm_visible_next(&m, 0), 0x1);
	assert_int_equal(load(0, &x), 2);
}

/*
 * Arm: an isb and a fully ordered RMW do not make a store visible to an
 * instruction fetch; a dsb does.  The shape of the review's fix.
 */
static void test_cse_waits_for_no_store(void **state)
{
	(void)state;
	setup_model(EQS_MODEL_ARM_IFETCH);
	assert_int_equal(add_return(0, &z, 2), 2);
	fence(0, FENCE_ISB);
	assert_int_equal(fetch(0, &x), 0); /* fetched from the view, not waiting */
	assert_int_equal(z, 0);		   /* the update is not visible yet */
	assert_int_equal(load(1, &z), 0);
	assert_int_equal(load(0, &y), 0); /* a data load after the RMW waits for it */
	assert_int_equal(z, 2);

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &z, 2, MEM_RELAXED);
	fence(0, FENCE_DMB);
	fence(0, FENCE_ISB);
	assert_int_equal(z, 0); /* dmb orders data accesses only */
	fence(0, FENCE_DSB);
	assert_int_equal(z, 2);

	setup_model(EQS_MODEL_TSO);
	assert_int_equal(add_return(0, &z, 2), 2);
	assert_int_equal(z, 2); /* locked: visible at once */
}

/* An RMW is atomic: another thread's pending store to the word goes first. */
static void test_rmw_atomic(void **state)
{
	(void)state;
	setup_model(EQS_MODEL_ARM_IFETCH);
	assert_int_equal(add_return(0, &z, 2), 2);
	assert_int_equal(cmpxchg(1, &z, 0, 1), 2); /* it sees the increment, fails */
	assert_int_equal(z, 2);
	assert_int_equal(cmpxchg(1, &z, 2, 3), 2);
	assert_int_equal(load(0, &z), 2); /* the cmpxchg's write waits in thread 1 */
	mm_make_visible(&m, 1, 0, NULL, NULL);
	assert_int_equal(load(0, &z), 3);

	/*
	 * A pending plain store may land after a remote RMW: the RMW's write
	 * is visible at once and the store overwrites it (a flag lost to a
	 * stale plain store), or before it, if the scheduler made it visible.
	 */
	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &z, 2, MEM_RELAXED);
	assert_int_equal(cmpxchg(1, &z, 0, 1), 0); /* succeeds on what it saw */
	assert_int_equal(z, 1);
	mm_make_visible(&m, 0, 0, NULL, NULL);
	assert_int_equal(z, 2); /* the flag is gone */

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &z, 2, MEM_RELAXED);
	mm_make_visible(&m, 0, 0, NULL, NULL);
	assert_int_equal(cmpxchg(1, &z, 0, 1), 2); /* the other order: it fails */
}

/* A full buffer makes its oldest store visible: never lost, never reordered. */
static void test_full_buffer(void **state)
{
	uint32_t w[MM_BUFFER + 1] = { 0 };

	(void)state;
	setup_model(EQS_MODEL_TSO);
	for (unsigned i = 0; i <= MM_BUFFER; i++)
		store(0, &w[i], i + 1, MEM_RELAXED);
	assert_int_equal(mm_pending(&m, 0), MM_BUFFER);
	assert_int_equal(w[0], 1);
	assert_int_equal(w[1], 0);
}

static void mix_sum(void *h, uint64_t word)
{
	uint64_t *acc = h;

	*acc = *acc * 1000003u ^ word;
}

/* The fingerprint sees the stores and the barriers between them, not how many came before. */
static void test_hash_forgets_history(void **state)
{
	uint64_t a = 1, b = 1, c = 1;

	(void)state;
	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &x, 1, MEM_RELAXED);
	fence(0, FENCE_DMB);
	store(0, &y, 1, MEM_RELAXED);
	mm_hash(&m, 2, mix_sum, &a);

	setup_model(EQS_MODEL_ARM_IFETCH);
	fence(0, FENCE_DMB); /* an earlier barrier with nothing pending across it */
	fence(0, FENCE_DMB);
	store(0, &x, 1, MEM_RELAXED);
	fence(0, FENCE_DMB);
	store(0, &y, 1, MEM_RELAXED);
	mm_hash(&m, 2, mix_sum, &b);
	assert_true(a == b);

	setup_model(EQS_MODEL_ARM_IFETCH);
	store(0, &x, 1, MEM_RELAXED);
	store(0, &y, 1, MEM_RELAXED); /* no barrier between: another state */
	mm_hash(&m, 2, mix_sum, &c);
	assert_true(a != c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_buffering),
		cmocka_unit_test(test_store_order),
		cmocka_unit_test(test_cse_waits_for_no_store),
		cmocka_unit_test(test_rmw_atomic),
		cmocka_unit_test(test_full_buffer),
		cmocka_unit_test(test_hash_forgets_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
