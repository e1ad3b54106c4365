/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ipi_bus.c - IPI delivery on per-CPU cds_wfcq queues.  The target is the
 * queue's only consumer, so it dequeues without the queue's mutex.
 */
#include <urcu/compiler.h>

#include "barriers.h"
#include "ipi_bus.h"
#include "sanitizer.h"

void ipi_queue_init(struct ipi_queue *q)
{
	__cds_wfcq_init(&q->head, &q->tail);
}

void ipi_send(struct ipi_queue *q, struct ipi_msg *msg, void (*func)(void *), void *info)
{
	msg->func = func;
	msg->info = info;
	mem_store(&msg->acked, 0, MEM_RELAXED);
	cds_wfcq_node_init(&msg->node);
	/*
	 * The enqueue's xchg is a full barrier.  A memory model sees neither
	 * it nor the links it writes (they are sequentially consistent), so
	 * there the sender's stores are made visible before it.
	 */
	const struct mem_port *m = mem_port();

	if (m)
		m->fence(m->model, FENCE_DSB);
	tsan_released(msg); /* the enqueue's xchg, in liburcu: TSan does not see it */
	cds_wfcq_enqueue(&q->head, &q->tail, &msg->node);
}

bool ipi_pending(struct ipi_queue *q)
{
	return !cds_wfcq_empty(&q->head, &q->tail);
}

unsigned ipi_handle(struct ipi_queue *q)
{
	struct cds_wfcq_node *node;
	unsigned n = 0;

	for (;;) {
		node = __cds_wfcq_dequeue_nonblocking(&q->head, &q->tail);
		if (!node || node == CDS_WFCQ_WOULDBLOCK)
			break;
		struct ipi_msg *msg = caa_container_of(node, struct ipi_msg, node);

		tsan_acquired(msg); /* the dequeue's ordered load of the link */

		if (msg->func)
			msg->func(msg->info);

		/* Release: the handler's work (the CSE refresh) precedes the ack. */
		mem_store(&msg->acked, 1, MEM_RELEASE);
		n++;
	}
	return n;
}

bool ipi_acked(struct ipi_msg *msg)
{
	return mem_load(&msg->acked, MEM_ACQUIRE);
}
