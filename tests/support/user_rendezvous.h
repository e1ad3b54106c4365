/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * user_rendezvous.h - a stop_machine-style rendezvous written by a user
 * with public blocks only, shared by the public-header tests and the
 * liveness benchmark.  The patcher calls every CPU into a handler
 * (without waiting), waits until all have arrived, patches, releases
 * them, and waits for their handlers to return (eqs_ipi_wait); each CPU
 * arrives, waits for the release, and executes isb before it leaves.
 * Its words are C atomics handed to the handlers as the call's info.
 * With user_rendezvous_extra = 1 it waits for a CPU that does not exist:
 * nobody completes it, and every run must end in a hang.
 */
#ifndef EQS_USER_RENDEZVOUS_H
#define EQS_USER_RENDEZVOUS_H

#include <stdatomic.h>
#include <stdint.h>

#include <eqssim.h>

struct user_rendezvous {
	atomic_uint arrived, released;
	unsigned need; /* arrivals the patcher waits for */
};

static struct user_rendezvous user_rendezvous_words;
static unsigned user_rendezvous_extra;
/* Register both before a run (eqs_step_register). */
static int user_rendezvous_arrive_step, user_rendezvous_gather_step;

static bool user_rendezvous_released(void *arg)
{
	struct user_rendezvous *r = arg;

	return atomic_load(&r->released) != 0;
}

static bool user_rendezvous_all_arrived(void *arg)
{
	struct user_rendezvous *r = arg;

	return atomic_load(&r->arrived) >= r->need;
}

static void user_rendezvous_arrive(struct eqs_cpu *c, void *info)
{
	struct user_rendezvous *r = info;

	atomic_fetch_add(&r->arrived, 1);
	eqs_cpu_wait_until(c, user_rendezvous_arrive_step, user_rendezvous_released, r);
	eqs_isb(c);
}

static void user_rendezvous_patch(struct eqs_patcher *p)
{
	struct user_rendezvous *r = &user_rendezvous_words;

	atomic_store(&r->arrived, 0);
	atomic_store(&r->released, 0);
	r->need = eqs_nr_cpus(p) + user_rendezvous_extra;
	eqs_smp_call_func_many(p, eqs_all_cpus(p), user_rendezvous_arrive, r, false);
	eqs_patcher_wait_until(p, user_rendezvous_gather_step, user_rendezvous_all_arrived, r);
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	atomic_store(&r->released, 1);
	/* Every CPU out of its handler before the words are reset for the next patch. */
	eqs_ipi_wait(p, eqs_all_cpus(p));
}

/* 0, or -errno with err: the two steps registered. */
static int user_rendezvous_register(char *err, size_t errlen)
{
	user_rendezvous_arrive_step = eqs_step_register("user_rendezvous_arrive", err, errlen);
	user_rendezvous_gather_step = eqs_step_register("user_rendezvous_gather", err, errlen);
	if (user_rendezvous_arrive_step < 0)
		return user_rendezvous_arrive_step;
	return user_rendezvous_gather_step < 0 ? user_rendezvous_gather_step : 0;
}

#endif /* EQS_USER_RENDEZVOUS_H */
