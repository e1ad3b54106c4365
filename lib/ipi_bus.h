/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ipi_bus.h - smp_call_function_many()-like IPIs between simulated CPUs:
 * one liburcu wait-free concurrent queue (cds_wfcq) per target CPU, drained
 * by that CPU wherever it has interrupts enabled.
 */
#ifndef EQS_IPI_BUS_H
#define EQS_IPI_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include <urcu/wfcqueue.h>

/* One IPI in flight; owned by the sender, reusable once acked. */
struct ipi_msg {
	struct cds_wfcq_node node;
	uint32_t acked;		  /* written by the target, through the memory port */
	void (*func)(void *info); /* run by the handler before the ack; may be NULL */
	void *info;
};

struct ipi_queue {
	struct __cds_wfcq_head head;
	struct cds_wfcq_tail tail;
};

void ipi_queue_init(struct ipi_queue *q);
/*
 * Queue msg to q's CPU; its handler will run func(info) (if func is not
 * NULL) and then acknowledge.  The enqueue is an xchg: a full barrier.
 */
void ipi_send(struct ipi_queue *q, struct ipi_msg *msg, void (*func)(void *), void *info);
/* A plain look at the queue: what a CPU's interrupt line shows. */
bool ipi_pending(struct ipi_queue *q);
/* The handler: take every pending IPI and acknowledge it; returns how many. */
unsigned ipi_handle(struct ipi_queue *q);
/* Has the target run the handler for msg? (acquire) */
bool ipi_acked(struct ipi_msg *msg);

#endif /* EQS_IPI_BUS_H */
