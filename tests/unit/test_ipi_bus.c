/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_ipi_bus.c - IPIs on the wait-free queues: nothing pending until
 * sent, every IPI handled once and acknowledged, and a sender that waits
 * for a real polling thread gets its acknowledgements.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "barriers.h"
#include "ipi_bus.h"

#define ROUNDS 2000

static void test_send_handle_ack(void **state)
{
	struct ipi_queue q;
	struct ipi_msg a, b;

	(void)state;
	ipi_queue_init(&q);
	assert_false(ipi_pending(&q));
	assert_int_equal(ipi_handle(&q), 0);
	ipi_send(&q, &a, NULL, NULL);
	ipi_send(&q, &b, NULL, NULL);
	assert_true(ipi_pending(&q));
	assert_false(ipi_acked(&a));
	assert_int_equal(ipi_handle(&q), 2);
	assert_true(ipi_acked(&a));
	assert_true(ipi_acked(&b));
	assert_false(ipi_pending(&q));
	/* A message is reusable once acked. */
	ipi_send(&q, &a, NULL, NULL);
	assert_false(ipi_acked(&a));
	assert_int_equal(ipi_handle(&q), 1);
	assert_true(ipi_acked(&a));
}

static void count_call(void *info)
{
	(*(int *)info)++;
}

/* The handler runs the sender's function before it acknowledges. */
static void test_handler_runs_func(void **state)
{
	struct ipi_queue q;
	struct ipi_msg a;
	int calls = 0;

	(void)state;
	ipi_queue_init(&q);
	ipi_send(&q, &a, count_call, &calls);
	assert_int_equal(calls, 0);
	assert_int_equal(ipi_handle(&q), 1);
	assert_int_equal(calls, 1);
	assert_true(ipi_acked(&a));
}

struct target {
	struct ipi_queue q;
	int stop;
	unsigned handled;
};

/*
 * Three spinning threads on a 2-core machine: give the core away now and
 * then, or each round waits for a time slice (this tests the bus, not timing).
 */
static void relax(unsigned *spins)
{
	if (++*spins % 256)
		cpu_relax();
	else
		sched_yield();
}

static void *poller(void *arg)
{
	struct target *t = arg;
	unsigned spins = 0;

	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		if (ipi_pending(&t->q))
			t->handled += ipi_handle(&t->q);
		relax(&spins);
	}
	t->handled += ipi_handle(&t->q);
	return NULL;
}

/* smp_call_function_many(wait=1) against two CPU threads. */
static void test_send_and_wait_with_threads(void **state)
{
	struct target tg[2];
	struct ipi_msg msg[2];
	pthread_t th[2];

	(void)state;
	for (int i = 0; i < 2; i++) {
		ipi_queue_init(&tg[i].q);
		tg[i].stop = 0;
		tg[i].handled = 0;
		assert_int_equal(pthread_create(&th[i], NULL, poller, &tg[i]), 0);
	}
	for (int r = 0; r < ROUNDS; r++) {
		unsigned spins = 0;

		for (int i = 0; i < 2; i++)
			ipi_send(&tg[i].q, &msg[i], NULL, NULL);
		for (int i = 0; i < 2; i++)
			while (!ipi_acked(&msg[i]))
				relax(&spins);
	}
	for (int i = 0; i < 2; i++) {
		__atomic_store_n(&tg[i].stop, 1, __ATOMIC_RELEASE);
		pthread_join(th[i], NULL);
		assert_int_equal(tg[i].handled, ROUNDS);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_handle_ack),
		cmocka_unit_test(test_handler_runs_func),
		cmocka_unit_test(test_send_and_wait_with_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
