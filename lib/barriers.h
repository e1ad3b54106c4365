/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * barriers.h - the ordering points of the simulated protocol, per architecture.
 *
 * Every primitive is named after the instruction it stands for (isb, dmb,
 * dsb, ...) and is one inline function.  This file only picks the backend;
 * the backend files say what each primitive really executes on that host.
 */
#ifndef EQS_BARRIERS_H
#define EQS_BARRIERS_H

#include <stdint.h>

#include "mem_port.h"

/*
 * Linux's atomic_t, touched only through the kernel_atomic_* helpers.  The
 * counter is unsigned so that a counter that wraps (the dynticks counter
 * does, after 2^31 exits) wraps by definition, not by undefined signed
 * overflow; Linux gets the same from -fno-strict-overflow.
 */
typedef struct {
	unsigned int counter;
} kernel_atomic_t;

#define EQS_BARRIERS_INSIDE 1
#if defined(__aarch64__) && !defined(EQS_FORCE_GENERIC)
#include "barriers_aarch64.h"
#elif defined(__x86_64__) && !defined(EQS_FORCE_GENERIC)
#include "barriers_x86_64.h"
#else
#include "barriers_generic.h"
#endif
#undef EQS_BARRIERS_INSIDE

/* Compiler-only barrier: stops the compiler, not the CPU. */
static inline void barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/*
 * The protocol's accesses and ordering points.  Each is the backend's real
 * instruction unless a memory model is plugged into this thread
 * (mem_port.h: exploration under tso or arm-ifetch), which then performs it.
 */

/* READ_ONCE / WRITE_ONCE of an atomic_t: plain, unordered accesses. */
static inline unsigned int kernel_atomic_read(const kernel_atomic_t *v)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->load(m->model, &v->counter, MEM_RELAXED);
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void kernel_atomic_set(kernel_atomic_t *v, unsigned int i)
{
	const struct mem_port *m = mem_port();

	if (m)
		m->store(m->model, &v->counter, i, MEM_RELAXED);
	else
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* smp_store_release(): earlier accesses are ordered before it, later ones are not. */
static inline void kernel_atomic_set_release(kernel_atomic_t *v, unsigned int i)
{
	const struct mem_port *m = mem_port();

	if (m)
		m->store(m->model, &v->counter, i, MEM_RELEASE);
	else
		__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);
}

/* Linux's fully ordered value-returning RMWs, built from the backend's. */
static inline unsigned int kernel_atomic_add_return(unsigned int i, kernel_atomic_t *v)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->rmw(m->model, &v->counter, RMW_ADD, i, 0, MEM_FULL);
	return arch_atomic_add_return(i, &v->counter);
}

static inline unsigned int kernel_atomic_cmpxchg(kernel_atomic_t *v, unsigned int old,
						 unsigned int new_val)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->rmw(m->model, &v->counter, RMW_CMPXCHG, old, new_val, MEM_FULL);
	return arch_atomic_cmpxchg(&v->counter, old, new_val);
}

/* atomic_andnot() is unordered in Linux; callers add smp_mb__after_atomic(). */
static inline void kernel_atomic_andnot(unsigned int i, kernel_atomic_t *v)
{
	const struct mem_port *m = mem_port();

	if (m)
		m->rmw(m->model, &v->counter, RMW_ANDNOT, i, 0, MEM_RELAXED);
	else
		arch_atomic_andnot(i, &v->counter);
}

/*
 * One RMW of a variant's word, with the kernel's order: fully ordered is
 * the backend's arch_atomic_* (the kernel's own sequence); relaxed,
 * acquire and release are the compiler's atomics of that order (on arm64
 * ldadd / ldadda / ldaddl and their swp / cas, or ldxr / ldaxr with stxr /
 * stlxr; on x86 the one locked instruction).  The order must be a
 * constant for the compiler to honour it, hence one case per order.
 */
#define MEM_RMW_ORDERED(expr_of)                                                                   \
	switch (order) {                                                                           \
	case MEM_RELAXED:                                                                          \
		return expr_of(__ATOMIC_RELAXED, __ATOMIC_RELAXED);                                \
	case MEM_ACQUIRE:                                                                          \
		return expr_of(__ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE);                                \
	default:                                                                                   \
		return expr_of(__ATOMIC_RELEASE, __ATOMIC_RELAXED);                                \
	}

static inline uint32_t mem_rmw(uint32_t *p, enum mem_rmw op, uint32_t a, uint32_t b,
			       enum mem_order order)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->rmw(m->model, p, op, a, b, order);
	if (order == MEM_FULL) {
		switch (op) {
		case RMW_ADD:
			return arch_atomic_add_return(a, p);
		case RMW_CMPXCHG:
			return arch_atomic_cmpxchg(p, a, b);
		case RMW_XCHG:
			return arch_atomic_xchg(p, a);
		case RMW_ANDNOT:
		default:
			arch_atomic_andnot(a, p);
			return 0;
		}
	}
	switch (op) {
	case RMW_ADD:
#define ADD_(ok, fail) __atomic_add_fetch(p, a, ok)
		MEM_RMW_ORDERED(ADD_)
#undef ADD_
	case RMW_XCHG:
#define XCHG_(ok, fail) __atomic_exchange_n(p, a, ok)
		MEM_RMW_ORDERED(XCHG_)
#undef XCHG_
	case RMW_CMPXCHG:
		/* A failed compare writes the value found into a: what cmpxchg returns. */
#define CMPXCHG_(ok, fail) (__atomic_compare_exchange_n(p, &a, b, 0, ok, fail), a)
		MEM_RMW_ORDERED(CMPXCHG_)
#undef CMPXCHG_
	case RMW_ANDNOT:
	default:
		arch_atomic_andnot(a, p);
		return 0;
	}
}
#undef MEM_RMW_ORDERED

/* A plain shared word (text generations, synced, IPI acks): load and store. */
static inline uint32_t mem_load(const uint32_t *p, enum mem_order order)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->load(m->model, p, order);
	return order == MEM_ACQUIRE ? __atomic_load_n(p, __ATOMIC_ACQUIRE)
				    : __atomic_load_n(p, __ATOMIC_RELAXED);
}

static inline void mem_store(uint32_t *p, uint32_t val, enum mem_order order)
{
	const struct mem_port *m = mem_port();

	if (m)
		m->store(m->model, p, val, order);
	else if (order == MEM_RELEASE)
		__atomic_store_n(p, val, __ATOMIC_RELEASE);
	else
		__atomic_store_n(p, val, __ATOMIC_RELAXED);
}

/* n fetches of consecutive views, looking for a port once: a CSE refetches many sites. */
static inline void mem_fetch_n(uint32_t *dst, const uint32_t *src, unsigned n)
{
	const struct mem_port *m = mem_port();

	if (__builtin_expect(m != NULL, 0)) {
		for (unsigned i = 0; i < n; i++)
			dst[i] = m->fetch(m->model, &src[i]);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

/* n acquire loads of consecutive words, looking for a port once. */
static inline void mem_load_acquire_n(uint32_t *dst, const uint32_t *src, unsigned n)
{
	const struct mem_port *m = mem_port();

	if (__builtin_expect(m != NULL, 0)) {
		for (unsigned i = 0; i < n; i++)
			dst[i] = m->load(m->model, &src[i], MEM_ACQUIRE);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_ACQUIRE);
}

/* The writer's own latest value of *p (what its cache maintenance acts on). */
static inline uint32_t mem_peek(const uint32_t *p)
{
	const struct mem_port *m = mem_port();

	if (m)
		return m->peek(m->model, p);
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* The ordering instructions the protocol's steps execute. */
#define MEM_FENCE_FN(name, kind, insn)                                                             \
	static inline void name(void)                                                              \
	{                                                                                          \
		const struct mem_port *m = mem_port();                                             \
                                                                                                   \
		if (m)                                                                             \
			m->fence(m->model, kind);                                                  \
		else                                                                               \
			insn();                                                                    \
	}
MEM_FENCE_FN(mem_isb, FENCE_ISB, isb)
MEM_FENCE_FN(mem_dmb, FENCE_DMB, dmb_ish)
MEM_FENCE_FN(mem_dmb_st, FENCE_DMB_ST, dmb_ishst)
MEM_FENCE_FN(mem_dmb_ld, FENCE_DMB_LD, dmb_ishld)
MEM_FENCE_FN(mem_dsb, FENCE_DSB, dsb_ish)
MEM_FENCE_FN(mem_dsb_st, FENCE_DSB_ST, dsb_ishst)
MEM_FENCE_FN(mem_dsb_ld, FENCE_DSB_LD, dsb_ishld)
MEM_FENCE_FN(mem_dsb_maint, FENCE_DSB_MAINT, dsb_ish_maint)
MEM_FENCE_FN(mem_mb_atomic, FENCE_MB_ATOMIC, mb_atomic)
#undef MEM_FENCE_FN

/* The ordering instruction of a fence kind (a barrier block's, steps.def); -1: none. */
static inline void mem_fence_kind(int kind)
{
	switch (kind) {
	case FENCE_ISB:
		mem_isb();
		break;
	case FENCE_DMB:
		mem_dmb();
		break;
	case FENCE_DMB_ST:
		mem_dmb_st();
		break;
	case FENCE_DMB_LD:
		mem_dmb_ld();
		break;
	case FENCE_DSB:
		mem_dsb();
		break;
	case FENCE_DSB_ST:
		mem_dsb_st();
		break;
	case FENCE_DSB_LD:
		mem_dsb_ld();
		break;
	case FENCE_DSB_MAINT:
		mem_dsb_maint();
		break;
	case FENCE_MB_ATOMIC:
		mem_mb_atomic();
		break;
	default:
		break;
	}
}

/* smp_mb(): full barrier between data accesses. */
static inline void smp_mb(void)
{
	mem_dmb();
}

/* smp_mb__after_atomic(): the atomic before it was unordered here. */
static inline void smp_mb__after_atomic(void)
{
	mem_dmb();
}

#endif /* EQS_BARRIERS_H */
