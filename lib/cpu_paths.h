/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu_paths.h - a CPU's paths, interrupts and stays as drivers string them
 * together (cpu_paths.c).  Drivers reach it through driver.h.
 */
#ifndef EQS_CPU_PATHS_H
#define EQS_CPU_PATHS_H

#include "state.h"

/* A CPU thread's first and last acts: RCU registration, the driver's thread_start. */
void cpu_thread_begin(struct eqs_cpu *c);
void cpu_thread_end(struct eqs_cpu *c);

/* Halves of paths, for scenarios that string them together themselves. */
enum cpu_op {
	CPU_OP_END,
	CPU_OP_USER_ENTER,  /* return to user: ct_user_enter, exception return */
	CPU_OP_USER_EXIT,   /* svc: the user exit path */
	CPU_OP_IDLE_ENTER,  /* rcu_idle_enter, wfi (for cfg.idle_ns) */
	CPU_OP_IDLE_EXIT,   /* wake interrupt, rcu_idle_exit, arch_cpu_idle_exit */
	CPU_OP_IRQ,	    /* one (timer) interrupt */
	CPU_OP_NMI,	    /* one NMI, whatever the interrupt mask */
	CPU_OP_GUEST_ENTER, /* guest_enter, exception return into the guest */
	CPU_OP_GUEST_EXIT,  /* trap, local_irq_enable, guest_exit */
	CPU_OP_KERNEL,	    /* kernel work: execute the text */
};
void cpu_do(struct eqs_cpu *c, enum cpu_op op);

/* The same halves with their stays' lengths (about ns, seeded), for a workload. */
void cpu_user_enter(struct eqs_cpu *c);
void cpu_user_exit(struct eqs_cpu *c);
/* do_idle(): rcu_idle_enter, then wfi for about ns or until an IPI is pending. */
void cpu_idle_enter(struct eqs_cpu *c, uint32_t ns);
/* The wake interrupt is taken in EQS (arch_cpu_idle's local_irq_enable), then the idle exit. */
void cpu_idle_exit(struct eqs_cpu *c);
void cpu_guest_enter(struct eqs_cpu *c);
void cpu_guest_exit(struct eqs_cpu *c);
/* Kernel work for about ns, interrupts on; QSBR reports a quiescent state then isb; the text runs. */
void cpu_kernel_work(struct eqs_cpu *c, uint32_t ns);
/*
 * Stay in the current context for about ns (seeded), recorded as step s,
 * taking interrupts; a stay in EQS may be timed by the driver (stay_end).
 */
void cpu_stay(struct eqs_cpu *c, enum step s, uint32_t ns);

/*
 * Where the NMIs of the next idle period arrive (cpu_arm_nmis): during wfi
 * and in the wake interrupt's entry before rcu_irq_enter (both in EQS,
 * interrupts masked), and nested in that interrupt's handler (RCU watching).
 */
enum nmi_point {
	NMI_IN_WFI = 1,
	NMI_IN_IRQ_ENTRY = 2,
	NMI_IN_IRQ_HANDLER = 4,
};
void cpu_arm_nmis(struct eqs_cpu *c, unsigned where);

/*
 * In the kernel with interrupts on and nothing else to do: take a pending
 * IPI, or report one turn of a blocked wait (STEP_KERNEL_WAIT).
 */
void cpu_kernel_wait(struct eqs_cpu *c);
/*
 * An interrupt arriving now, between two steps of c, as the hardware would
 * take it: an NMI (unless one is running), or the pending IPIs (only with
 * interrupts on).  It nests as the kernel's entry code nests.  For a driver
 * that chooses where interrupts arrive (exploration), from its step hook.
 */
bool cpu_can_interrupt(struct eqs_cpu *c, bool nmi);
void cpu_interrupt(struct eqs_cpu *c, bool nmi);

#endif /* EQS_CPU_PATHS_H */
