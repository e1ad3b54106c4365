/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * litmus.c - test support: the positive control.  The store-buffering shape of the
 * patcher (write text; read counter) against a CPU (write counter; read
 * text), with no fence on either side, run through the harness's own step
 * bookkeeping (a step record before the store, another between the store
 * and the load).  If the bookkeeping added ordering, the
 * reordered outcome r0 == r1 == 0 would never show.
 */
#define _GNU_SOURCE /* pthread_{get,set}affinity_np, cpu_set_t */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "litmus.h"
#include "rng.h"
#include "driver.h"
#include "error.h"

#define GO_STOP UINT64_MAX /* the referee ran out of time */

struct litmus {
	struct sim sim; /* only the step hook's settings: no driver, no timestamps */
	bool with_mb;
	uint64_t rounds;
	int x __attribute__((aligned(CACHELINE)));
	int y __attribute__((aligned(CACHELINE)));
	uint64_t go __attribute__((aligned(CACHELINE)));
	uint64_t done[2] __attribute__((aligned(CACHELINE)));
	int result[2] __attribute__((aligned(CACHELINE)));
	uint64_t reordered;
	uint64_t ran;	 /* rounds played */
	double deadline; /* clock_mono_s() after which the referee stops */
	struct sim_thread t[2];
};

/* One side: store to mine, [smp_mb], load from theirs. */
static int side(struct litmus *l, struct sim_thread *t, int *mine, int *theirs)
{
	step_hook(t, t->id ? STEP_CT_USER_EXIT : STEP_PATCH_WRITE, false, NULL);
	store_relaxed(mine, 1);
	if (l->with_mb)
		smp_mb();
	step_hook(t, t->id ? STEP_EXEC_TEXT : STEP_READ_DYNTICKS, true, NULL);
	return load_relaxed(theirs);
}

/*
 * Between rounds a side waits for the other: spin a while, then give the
 * core away, or on a loaded machine every handoff costs a time slice.
 * Nothing here is inside a round's store-to-load section.
 */
static void handoff_wait(unsigned *spins)
{
	if (++*spins % 1024)
		cpu_relax();
	else
		sched_yield();
}

static void *litmus_thread(void *arg)
{
	struct sim_thread *t = arg;
	struct litmus *l = (struct litmus *)t->sim;
	unsigned me = t->id;

	for (uint64_t r = 1; r <= l->rounds; r++) {
		uint64_t go;
		unsigned spins = 0;

		while ((go = load_acquire(&l->go)) != r) {
			if (go == GO_STOP)
				return NULL;
			handoff_wait(&spins);
		}
		int v = me ? side(l, t, &l->y, &l->x) : side(l, t, &l->x, &l->y);

		store_relaxed(&l->result[me], v);
		store_release(&l->done[me], r);
		if (me)
			continue;
		/* Thread 0 referees: wait for the other side, score, reset, restart. */
		while (load_acquire(&l->done[1]) != r)
			handoff_wait(&spins);
		if (!l->result[0] && !load_relaxed(&l->result[1]))
			l->reordered++;
		store_relaxed(&l->x, 0);
		store_relaxed(&l->y, 0);
		l->ran = r;
		/* Out of time (a loaded machine hands rounds over slowly): stop both. */
		if (!(r % 256) && clock_mono_s() > l->deadline) {
			store_release(&l->go, GO_STOP);
			return NULL;
		}
		store_release(&l->go, r + 1);
	}
	return NULL;
}

int litmus_sb(uint64_t rounds, double max_seconds, bool with_mb, uint64_t seed, uint64_t *reordered,
	      uint64_t *ran, char *err, size_t errlen)
{
	struct litmus *l;
	pthread_t th;

	if (!rounds || !reordered)
		return eqs_error(err, errlen, -EINVAL, "need rounds > 0 and a result pointer");
	l = aligned_alloc(CACHELINE, sizeof(*l));
	if (!l)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	memset(l, 0, sizeof(*l));
	l->with_mb = with_mb;
	l->rounds = rounds;
	/* No driver, so no jitter: the sides must line up; the step records stay. */
	l->go = 1;
	l->deadline = clock_mono_s() + max_seconds;
	for (unsigned i = 0; i < 2; i++) {
		l->t[i].sim = &l->sim;
		l->t[i].run = &l->sim.run;
		l->t[i].id = i;
		l->t[i].rng = rng_seed(seed, i);
	}
	/*
	 * The two sides on two different host CPUs: left to the scheduler,
	 * beside two burners it may keep both on one CPU for the whole run
	 * (two threads per CPU looks balanced to it), and then no round can
	 * reorder.  The calling thread plays side 0 and gets its mask back.
	 */
	cpu_set_t caller, one, other;
	int cpu_a = -1, cpu_b = -1;
	bool pinned = !pthread_getaffinity_np(pthread_self(), sizeof(caller), &caller);

	for (int c = 0; pinned && c < CPU_SETSIZE && cpu_b < 0; c++)
		if (CPU_ISSET(c, &caller)) {
			if (cpu_a < 0)
				cpu_a = c;
			else
				cpu_b = c;
		}
	pinned = pinned && cpu_b >= 0;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	if (pinned) {
		CPU_ZERO(&one);
		CPU_SET(seed & 1 ? cpu_b : cpu_a, &one);
		CPU_ZERO(&other);
		CPU_SET(seed & 1 ? cpu_a : cpu_b, &other);
		pthread_attr_setaffinity_np(&attr, sizeof(other), &other);
	}
	/* The calling thread plays side 0, so a failed create leaves nothing behind. */
	if (pthread_create(&th, &attr, litmus_thread, &l->t[1])) {
		pthread_attr_destroy(&attr);
		free(l);
		return eqs_error(err, errlen, -EAGAIN, "cannot create a thread");
	}
	pthread_attr_destroy(&attr);
	if (pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	litmus_thread(&l->t[0]);
	pthread_join(th, NULL);
	if (pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(caller), &caller);
	*reordered = l->reordered;
	if (ran)
		*ran = l->ran;
	free(l);
	return 0;
}
