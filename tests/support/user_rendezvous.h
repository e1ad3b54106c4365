/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * user_rendezvous.h - a stop_machine-style rendezvous written by a user
 * with public blocks and words of its own, shared by the public-header
 * tests and the liveness benchmark.  The patcher calls every CPU into a
 * handler (without waiting), waits until all have arrived, patches,
 * releases them with a store-release, and waits for their handlers to
 * return (eqs_ipi_wait); each CPU counts itself in (atomic_inc), waits for
 * the release with an acquire load, and executes isb before it leaves.
 * Its words are the variant's (USER_RENDEZVOUS_WORDS in its struct
 * eqs_variant): the memory models buffer them and the state cache sees
 * them.  With user_rendezvous_extra = 1 it waits for a CPU that does not
 * exist: nobody completes it, and every run must end in a hang.
 */
#ifndef EQS_USER_RENDEZVOUS_H
#define EQS_USER_RENDEZVOUS_H

#include <eqssim.h>

enum {
	UR_ARRIVED,
	UR_RELEASED,
	UR_NR_WORDS
};
static const struct eqs_word user_rendezvous_words[UR_NR_WORDS] = {
	[UR_ARRIVED] = { .name = "ur_arrived" },
	[UR_RELEASED] = { .name = "ur_released" },
};
#define USER_RENDEZVOUS_WORDS .words = user_rendezvous_words, .nr_words = UR_NR_WORDS

/* Arrivals the patcher waits for beyond eqs_nr_cpus(): fixed for a run. */
static unsigned user_rendezvous_extra;
/* Register both before a run (eqs_step_register). */
static int user_rendezvous_arrive_step, user_rendezvous_gather_step;

static bool user_rendezvous_released(void *arg)
{
	return eqs_smp_load_acquire((struct eqs_cpu *)arg, EQS_WORD(UR_RELEASED)) != 0;
}

static bool user_rendezvous_all_arrived(void *arg)
{
	struct eqs_patcher *p = arg;

	return eqs_atomic_read(p, EQS_WORD(UR_ARRIVED)) >= eqs_nr_cpus(p) + user_rendezvous_extra;
}

static void user_rendezvous_arrive(struct eqs_cpu *c, void *info)
{
	(void)info;
	eqs_atomic_inc(c, EQS_WORD(UR_ARRIVED));
	eqs_cpu_wait_until(c, user_rendezvous_arrive_step, user_rendezvous_released, c);
	eqs_isb(c);
}

static void user_rendezvous_patch(struct eqs_patcher *p)
{
	eqs_atomic_set(p, EQS_WORD(UR_ARRIVED), 0);
	eqs_atomic_set(p, EQS_WORD(UR_RELEASED), 0);
	eqs_smp_call_func_many(p, eqs_all_cpus(p), user_rendezvous_arrive, NULL, false);
	eqs_patcher_wait_until(p, user_rendezvous_gather_step, user_rendezvous_all_arrived, p);
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_store_release(p, EQS_WORD(UR_RELEASED), 1);
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
