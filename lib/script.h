/*
 * script.h - scripted interleavings: CPU and patcher threads run for real
 * but one at a time, each until a named step, in the order a script gives.
 * With it a test pins down the exact race of the seed (patch lands between
 * the isb and RCU's exit) instead of hoping stress finds it.
 */
#ifndef EQS_SCRIPT_H
#define EQS_SCRIPT_H

#include <stdbool.h>

#include "eqssim.h"
#include "steps.h"

/* Things a scripted CPU does, in order; SA_END ends the list. */
enum script_action {
	SA_END,
	SA_USER_ENTER,	/* return to user: ct_user_enter, exception return */
	SA_USER_EXIT,	/* svc: the user exit path */
	SA_IDLE_ENTER,	/* rcu_idle_enter, wfi */
	SA_IDLE_EXIT,	/* wake interrupt, rcu_idle_exit, arch_cpu_idle_exit */
	SA_IRQ,		/* one (timer) interrupt */
	SA_GUEST_ENTER, /* guest_enter, exception return into the guest */
	SA_GUEST_EXIT,	/* trap, local_irq_enable, guest_exit */
	SA_KERNEL,	/* kernel work: execute the text */
};

#define SCRIPT_PATCHER	 EQS_MAX_CPUS /* thread index of the patcher */
#define SCRIPT_END_SITES (~0u)

struct script_entry {
	unsigned thread; /* CPU number or SCRIPT_PATCHER */
	enum step until; /* run until about to execute this step */
};

struct script_result {
	uint64_t violations;
	uint64_t violations_on_path[EQS_PATH_COUNT];
	struct eqs_violation first;
	char message[EQS_ERRLEN]; /* set when the script could not be followed */
};

/*
 * Run variant v with ncpu CPUs: CPU n performs actions[n], the patcher
 * patches sites[] in turn; threads move only as entries[] say, then each
 * runs to its end.  Returns 0, or -EPROTO with res->message when a thread
 * stopped somewhere other than where the script said.
 */
int script_run(const struct eqs_variant *v, unsigned ncpu,
	       const enum script_action *const actions[], const unsigned *sites,
	       const struct script_entry *entries, unsigned nr_entries, struct script_result *res);

/* Called by the step hook in scripted mode. */
void script_at_step(struct sim_thread *t, enum step s, bool blocked);
/* A scripted thread waits here for its first turn. */
void script_thread_start(struct sim_thread *t);

#endif /* EQS_SCRIPT_H */
