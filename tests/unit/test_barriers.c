/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_barriers.c - the backend's atomics do what Linux's do: return the
 * new value, compare-and-exchange only on a match, and stay atomic when
 * several threads hammer one counter.  The fences must at least execute.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "barriers.h"

#define THREADS 4
#define ADDS	100000

static kernel_atomic_t shared;

static void test_add_return(void **state)
{
	kernel_atomic_t v = { 5 };

	(void)state;
	assert_int_equal(kernel_atomic_add_return(2, &v), 7);
	assert_int_equal(kernel_atomic_add_return(0, &v), 7);
	assert_int_equal(kernel_atomic_add_return(-7, &v), 0);
	assert_int_equal(kernel_atomic_read(&v), 0);
}

static void test_cmpxchg(void **state)
{
	kernel_atomic_t v = { 4 };

	(void)state;
	assert_int_equal(kernel_atomic_cmpxchg(&v, 3, 9), 4); /* no match: unchanged */
	assert_int_equal(kernel_atomic_read(&v), 4);
	assert_int_equal(kernel_atomic_cmpxchg(&v, 4, 9), 4); /* match: swapped */
	assert_int_equal(kernel_atomic_read(&v), 9);
}

static void test_andnot(void **state)
{
	kernel_atomic_t v = { 0x7 };

	(void)state;
	kernel_atomic_andnot(0x1, &v);
	assert_int_equal(kernel_atomic_read(&v), 0x6);
	kernel_atomic_andnot(0x1, &v);
	assert_int_equal(kernel_atomic_read(&v), 0x6);
}

/* A variant word's RMWs in every order: the backend's instruction, the right values. */
static void test_word_rmws_in_every_order(void **state)
{
	const enum mem_order orders[] = { MEM_RELAXED, MEM_ACQUIRE, MEM_RELEASE, MEM_FULL };
	uint32_t w = 5;

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		enum mem_order o = orders[i];

		w = 5;
		assert_int_equal(mem_rmw(&w, RMW_ADD, 3, 0, o), 8);  /* the new value */
		assert_int_equal(mem_rmw(&w, RMW_XCHG, 1, 0, o), 8); /* the old one */
		assert_int_equal(w, 1);
		assert_int_equal(mem_rmw(&w, RMW_CMPXCHG, 2, 9, o), 1); /* no match: as found */
		assert_int_equal(w, 1);
		assert_int_equal(mem_rmw(&w, RMW_CMPXCHG, 1, 9, o), 1); /* match: swapped */
		assert_int_equal(w, 9);
	}
}

static void *adder(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++)
		kernel_atomic_add_return(2, &shared);
	return NULL;
}

/* Lost updates would show as a short total. */
static void test_add_return_is_atomic(void **state)
{
	pthread_t th[THREADS];

	(void)state;
	kernel_atomic_set(&shared, 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, adder, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(kernel_atomic_read(&shared), 2 * THREADS * ADDS);
}

static void *cas_incrementer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ADDS; i++) {
		unsigned int old;

		do
			old = kernel_atomic_read(&shared);
		while (kernel_atomic_cmpxchg(&shared, old, old + 1) != old);
	}
	return NULL;
}

static void test_cmpxchg_is_atomic(void **state)
{
	pthread_t th[THREADS];

	(void)state;
	kernel_atomic_set(&shared, 0);
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, cas_incrementer, NULL), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(kernel_atomic_read(&shared), THREADS * ADDS);
}

/* Every fence and the cache maintenance execute (on arm64: the real ones). */
static void test_fences_execute(void **state)
{
	int word = 1;

	(void)state;
	isb();
	dmb_ish();
	dmb_ishld();
	dmb_ishst();
	dsb_ish();
	smp_mb();
	dc_cvau(&word);
	dsb_ish_maint();
	ic_ivau(&word);
	dsb_ish_maint();
	serialize(); /* x86: iretq to self, which must come back with the stack intact */
	assert_int_equal(word, 1);
	uint64_t a = cycles_now(), b = cycles_now();

	assert_true(b >= a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_return),
		cmocka_unit_test(test_cmpxchg),
		cmocka_unit_test(test_andnot),
		cmocka_unit_test(test_word_rmws_in_every_order),
		cmocka_unit_test(test_add_return_is_atomic),
		cmocka_unit_test(test_cmpxchg_is_atomic),
		cmocka_unit_test(test_fences_execute),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
