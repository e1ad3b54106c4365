/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * workload.h - the seeded workload of a stress run: each CPU picks its
 * next action by the configured weights and runs it, with stays as long as
 * the configuration says; the patcher picks the site of its next patch.
 */
#ifndef EQS_STRESS_WORKLOAD_H
#define EQS_STRESS_WORKLOAD_H

#include "driver.h"

/* The next action of c (cfg.weights; an idle CPU of cfg.idle_cpus idles). */
enum eqs_action workload_pick(struct eqs_cpu *c);
/* Run action a on c, then the kernel's tail after it. */
void workload_run(struct eqs_cpu *c, enum eqs_action a);
/* An ordinary site, or an entry site for entry_patch_percent of the patches. */
unsigned workload_pick_site(struct sim *sim);

#endif /* EQS_STRESS_WORKLOAD_H */
