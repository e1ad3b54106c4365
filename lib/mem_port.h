/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mem_port.h - where a memory model can stand in for the host's memory.
 *
 * The protocol's shared words (RCU words, the text and its synced
 * generation, IPI acks, the stop_machine count) and its ordering
 * instructions are reached only through the wrappers of barriers.h.  On a
 * thread with no port plugged in (stress, and every thread it starts) the
 * wrappers are the real instructions, behind one thread-local load and a
 * branch: no fence, no call.  Exploration plugs a port into the one OS
 * thread that runs its coroutines, and every access and barrier of the
 * same variant code then goes to the port's model (lib/explore/memory_model.c).
 */
#ifndef EQS_MEM_PORT_H
#define EQS_MEM_PORT_H

#include <stddef.h>
#include <stdint.h>

/* The ordering an access asks for. */
enum mem_order {
	MEM_RELAXED, /* READ_ONCE / WRITE_ONCE */
	MEM_ACQUIRE, /* smp_load_acquire(): later accesses after it */
	MEM_RELEASE, /* smp_store_release(): earlier accesses before it */
	MEM_FULL,    /* a fully ordered RMW (atomic_add_return, cmpxchg) */
};

/* The ordering instructions, by what they wait for and what they order. */
enum mem_fence {
	FENCE_ISB,	 /* a CSE: refetches, waits for nothing */
	FENCE_DMB,	 /* dmb ish / smp_mb(): orders data accesses */
	FENCE_DMB_ST,	 /* dmb ishst: orders stores against stores */
	FENCE_DMB_LD,	 /* dmb ishld: orders loads against later accesses */
	FENCE_DSB,	 /* dsb ish: waits until earlier accesses are complete */
	FENCE_DSB_ST,	 /* dsb ishst: waits until earlier stores are complete */
	FENCE_DSB_LD,	 /* dsb ishld: waits until earlier loads are complete */
	FENCE_DSB_MAINT, /* the patcher's dsb ish after cache maintenance (none on x86) */
	FENCE_MB_ATOMIC	 /* smp_mb__before/after_atomic(): dmb ish; x86's locked atomic is one */
};

enum mem_rmw {
	RMW_ADD,     /* returns the new value */
	RMW_CMPXCHG, /* returns the value found */
	RMW_ANDNOT,  /* returns nothing of use */
	RMW_XCHG,    /* returns the value found */
};

struct mem_port {
	uint32_t (*load)(void *model, const uint32_t *p, enum mem_order order);
	void (*store)(void *model, uint32_t *p, uint32_t val, enum mem_order order);
	uint32_t (*rmw)(void *model, uint32_t *p, enum mem_rmw op, uint32_t a, uint32_t b,
			enum mem_order order);
	/* An instruction fetch of a text site's view (no data ordering applies). */
	uint32_t (*fetch)(void *model, const uint32_t *p);
	/* This thread's own latest value of *p, as its cache maintenance sees it: no ordering. */
	uint32_t (*peek)(void *model, const uint32_t *p);
	void (*fence)(void *model, enum mem_fence fence);
	void *model;
};

/* The port plugged into this OS thread, or NULL: the real instructions. */
extern __thread const struct mem_port *mem_port_here __attribute__((tls_model("initial-exec")));
/*
 * Threads with a port plugged in, process-wide: while none is, a wrapper
 * costs one plain load of this word (read-mostly, never written during a
 * stress run) instead of the thread-local lookup.
 */
extern int mem_ports_plugged;

static inline const struct mem_port *mem_port(void)
{
	if (__builtin_expect(__atomic_load_n(&mem_ports_plugged, __ATOMIC_RELAXED) == 0, 1))
		return NULL;
	return mem_port_here;
}

/* Plug a port into the calling thread (NULL: unplug); returns the one it replaces. */
const struct mem_port *mem_port_plug(const struct mem_port *port);

#endif /* EQS_MEM_PORT_H */
