/*
 * driver.h - what the simulated machine offers the drivers that run it
 * (stress, exploration, a test's scripted interleavings): build a run
 * around a driver's ops table (struct sim_driver, thread.h), begin and end
 * a simulated thread, run one half of a path or one stay on a CPU, make
 * one patch, judge a run.  Thread loops and workloads belong to the drivers.
 */
#ifndef EQS_DRIVER_H
#define EQS_DRIVER_H

#include "state.h"
#include "verdict.h"

/*
 * Build a simulation of v under cfg, run by driver (NULL: record steps
 * only).  0, or a negative errno with err filled.
 */
int sim_init(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
	     const struct sim_driver *driver, void *driver_data, char *err, size_t errlen);
void sim_destroy(struct sim *sim);
/*
 * Start a simulation built by sim_init over from its first state, in the
 * same memory.  A driver that runs one scenario many times gets the same
 * addresses in every run: exploration's fingerprints hash the IPI queues'
 * links and the threads' stacks, which point into it (a fresh allocation
 * each run made every state new under an allocator that does not hand the
 * same block back, such as ASan's).
 */
void sim_restart(struct sim *sim);
/* List the ordering points this run meets in sim->run.points (after sim_init / sim_restart). */
void sim_list_points(struct sim *sim);
/* Each thread's fast-path flag, from what the run's steps must do beyond their record. */
void sim_set_slow(struct sim *sim);
/*
 * The run stopped making progress: every wait gives up from now on, and
 * the driver's step hook runs at every step (to stop a thread that loops
 * outside the waits).  Called by the driver's controller only.
 */
void sim_declare_hung(struct sim *sim);
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

/* Patch one site and run the variant's sync to completion. */
void patch_once(struct sim *sim, unsigned site);
/* No more patches: wait for IPIs still in flight, then let the CPUs finish. */
void patcher_finish(struct sim *sim);

/*
 * The run's explored state, region by region, as state.h declares it: the
 * text, the run's flags, the patcher's and each CPU's context structs,
 * RCU words, IPI queues and messages, each thread's struct thread_state.
 * What decides what a thread does next and is not here is its stack (a
 * driver that suspends threads owns those) or a memory model's buffers.
 */
typedef void (*sim_region_fn)(void *arg, const void *p, size_t n);
void sim_state_regions(const struct sim *sim, sim_region_fn fn, void *arg);

/* What a run's CPUs and patcher counted, summed (after the threads stopped, or relaxed). */
void sim_facts(const struct sim *sim, struct verdict_facts *f);

#endif /* EQS_DRIVER_H */
