/*
 * steps.h - the named steps of every path and of the patcher.  The step
 * hook called at each step boundary (sim.h) records the step in the
 * thread's ring, then hands it to the driver: stress injects its seeded
 * delay and jitter, exploration switches threads.
 */
#ifndef EQS_STEPS_H
#define EQS_STEPS_H

#include <stdbool.h>
#include <stdint.h>

enum step {
	/* CPU side */
	STEP_EXC_ENTRY,	    /* exception entry: a CSE */
	STEP_EXC_RETURN,    /* exception return: a CSE */
	STEP_ENABLE_DAIF,   /* el0_svc unmasks interrupts, still in EQS */
	STEP_CT_USER_EXIT,  /* RCU leaves the user EQS */
	STEP_CT_USER_ENTER, /* RCU enters the user EQS */
	STEP_USER_RUN,	    /* user mode */
	STEP_RCU_IDLE_ENTER,
	STEP_WFI, /* idle, waiting for an interrupt */
	STEP_RCU_IDLE_EXIT,
	STEP_RCU_IRQ_ENTER, /* rcu_irq_enter()/rcu_nmi_enter() */
	STEP_IRQ_HANDLER,
	STEP_RCU_IRQ_EXIT,
	STEP_GUEST_ENTER, /* guest_enter_irqoff(): RCU enters EQS */
	STEP_GUEST_RUN,
	STEP_LOCAL_IRQ_ENABLE, /* KVM re-enables interrupts after the run */
	STEP_GUEST_EXIT,       /* guest_exit(): RCU leaves EQS */
	STEP_KERNEL_WORK,
	STEP_ENTRY_TEXT,    /* noinstr entry code, before RCU's exit */
	STEP_EXEC_TEXT,	    /* execute the text sites: the oracle looks */
	STEP_ISB,	    /* a variant's isb */
	STEP_ISB_IF_EQS,    /* if (!rcu_is_watching()) isb() */
	STEP_DSB,	    /* dsb ish */
	STEP_DMB,	    /* dmb ish */
	STEP_DSB_ST,	    /* dsb ishst: waits for earlier stores */
	STEP_DSB_LD,	    /* dsb ishld: waits for earlier loads */
	STEP_SPECIAL_EXIT,  /* deferred work run because the flag was set */
	STEP_RCU_QS,	    /* liburcu QSBR quiescent state */
	STEP_RCU_NMI_ENTER, /* rcu_nmi_enter() / ct_nmi_enter() of an NMI */
	STEP_NMI_HANDLER,
	STEP_RCU_NMI_EXIT,
	/* patcher side */
	STEP_PATCH_WRITE,
	STEP_DC_CVAU,	/* clean the written line to the PoU */
	STEP_PATCH_DSB, /* dsb ish: completes the maintenance before it */
	STEP_IC_IVAU,	/* invalidate the I-cache line */
	STEP_SMP_MB,
	STEP_READ_DYNTICKS, /* one remote counter read */
	STEP_SPECIAL_SET,   /* one rcu_eqs_special_set() */
	STEP_CT_WORK_SET,   /* one context-tracking work cmpxchg */
	STEP_IPI_SEND,
	STEP_IPI_WAIT,
	STEP_SYNCHRONIZE_RCU,
	STEP_STOP_MACHINE,	/* the patcher gathers every CPU */
	STEP_STOP_MACHINE_WAIT, /* a CPU spins in the rendezvous */
	STEP_PUBLISH,		/* synced[site] = gen: the sync is complete */
	STEP_KERNEL_WAIT,	/* in the kernel, interrupts on, until the patcher is done */
	STEP_DONE,		/* the thread has nothing left to do */
	STEP_STORE_VISIBLE,	/* exploration under a model: a store becomes visible */
	STEP_IRQ_ARRIVES,	/* exploration: a pending IPI is taken between two steps */
	STEP_NMI_ARRIVES,	/* exploration: an NMI arrives between two steps */
	STEP_UNKNOWN,		/* a user's step number nobody registered */
	STEP_COUNT		/* registered steps follow, up to EQS_MAX_STEPS */
};

const char *step_name(enum step s);
/* A step number from a user: itself if registered, else STEP_UNKNOWN. */
enum step step_checked(int step);

#endif /* EQS_STEPS_H */
