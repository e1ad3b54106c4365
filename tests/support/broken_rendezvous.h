/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * broken_rendezvous.h - test support for the public-header tests: a
 * rendezvous of one's own that never completes (a stop_machine count
 * race).  Each CPU arrives in its IPI handler and waits for the patcher to
 * add itself, but the patcher waits for the handlers to return first.  A
 * run must end, within a bounded time, with a hang verdict.  The count is
 * a global: explore it with the state cache off.
 */
#ifndef EQS_BROKEN_RENDEZVOUS_H
#define EQS_BROKEN_RENDEZVOUS_H

#include <eqssim.h>

static _Atomic unsigned arrived;
static int rendezvous_step; /* register "test_rendezvous" before a run */

static bool patcher_arrived(void *arg)
{
	(void)arg;
	return arrived > 2; /* 2 CPUs and the patcher: never, the patcher waits first */
}

static void arrive_and_wait(struct eqs_cpu *c, void *info)
{
	(void)info;
	arrived++;
	eqs_cpu_wait_until(c, rendezvous_step, patcher_arrived, NULL);
}

static void broken_rendezvous_patch(struct eqs_patcher *p)
{
	arrived = 0;
	eqs_smp_call_func_many(p, eqs_all_cpus(p), arrive_and_wait, NULL, true);
	arrived++; /* too late: the handlers above never return */
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
}

#endif /* EQS_BROKEN_RENDEZVOUS_H */
