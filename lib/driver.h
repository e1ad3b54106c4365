/*
 * driver.h - what the simulated machine offers the drivers that run it
 * (stress, exploration, a test's scripted interleavings): build a
 * simulation around a driver's ops table (struct sim_driver, sim.h), begin
 * and end a simulated thread, run one workload action or one half of a
 * path on a CPU, make one patch.  Thread loops belong to the drivers.
 */
#ifndef EQS_DRIVER_H
#define EQS_DRIVER_H

#include "sim.h"

/*
 * Build a simulation of v under cfg, run by driver (NULL: record steps
 * only).  0, or a negative errno with err filled.
 */
int sim_init(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
	     const struct sim_driver *driver, void *driver_data, char *err, size_t errlen);
void sim_destroy(struct sim *sim);
/*
 * Start a simulation built by sim_init (and without latency samples) over
 * from its first state, in the same memory.  A driver that runs one
 * scenario many times gets the same addresses in every run: exploration's
 * fingerprints hash the IPI queues' links and the threads' stacks, which
 * point into it (a fresh allocation each run made every state new under an
 * allocator that does not hand the same block back, such as ASan's).
 */
void sim_restart(struct sim *sim);
/* List the ordering points this run meets in sim->points (after sim_init / sim_restart). */
void sim_list_points(struct sim *sim);
/*
 * Memory for a simulation (or any of its parts) at the alignment its type
 * asks for, zeroed: its padded cache lines then fall where they were
 * meant to, whatever the heap held before.  NULL if out of memory.
 */
void *sim_alloc_aligned(size_t align, size_t size);
#define sim_alloc(type, n) ((type *)sim_alloc_aligned(_Alignof(type), sizeof(type) * (n)))

/* A CPU thread's first and last acts: RCU registration, the driver's thread_start. */
void cpu_thread_begin(struct eqs_cpu *c);
void cpu_thread_end(struct eqs_cpu *c);
void patcher_thread_begin(struct eqs_patcher *p);

/* The seeded workload: pick the next action, and run it (lengths from cfg). */
enum eqs_action cpu_pick_action(struct eqs_cpu *c);
void cpu_run_action(struct eqs_cpu *c, enum eqs_action a);

/* Halves of paths, for scenarios that string them together themselves. */
enum cpu_op {
	CPU_OP_END,
	CPU_OP_USER_ENTER,  /* return to user: ct_user_enter, exception return */
	CPU_OP_USER_EXIT,   /* svc: the user exit path */
	CPU_OP_IDLE_ENTER,  /* rcu_idle_enter, wfi */
	CPU_OP_IDLE_EXIT,   /* wake interrupt, rcu_idle_exit, arch_cpu_idle_exit */
	CPU_OP_IRQ,	    /* one (timer) interrupt */
	CPU_OP_NMI,	    /* one NMI, whatever the interrupt mask */
	CPU_OP_GUEST_ENTER, /* guest_enter, exception return into the guest */
	CPU_OP_GUEST_EXIT,  /* trap, local_irq_enable, guest_exit */
	CPU_OP_KERNEL,	    /* kernel work: execute the text */
};
void cpu_do(struct eqs_cpu *c, enum cpu_op op);
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

/* Patch one site and run the variant's sync to completion. */
void patch_once(struct sim *sim, unsigned site);
/* An ordinary site, or an entry site for entry_patch_percent of the patches. */
unsigned patcher_pick_site(struct sim *sim);
/* No more patches: wait for IPIs still in flight, then let the CPUs finish. */
void patcher_finish(struct sim *sim);

#endif /* EQS_DRIVER_H */
