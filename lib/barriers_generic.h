/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * barriers_generic.h - fallback backend for barriers.h.
 *
 * NOT THE REAL THING: C11 fences and seq_cst builtins stand in for the
 * instructions.  isb has no C11 meaning; it is a compiler barrier here.
 * Verdicts from this backend are labelled with the "c11" model.
 */
#ifndef EQS_BARRIERS_INSIDE
#error "include barriers.h, not barriers_generic.h"
#endif

#include <time.h>

#define EQS_BACKEND    "generic (C11 builtins; not the real instructions)"
#define EQS_HOST_MODEL EQS_MODEL_C11

static inline void isb(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline void dmb_ish(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void dmb_ishld(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

static inline void dmb_ishst(void)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void dsb_ish(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void dsb_ishst(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void dsb_ishld(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

/* No cache maintenance in C11: compiler barriers where the instructions would be. */
static inline void dc_cvau(void *addr)
{
	(void)addr;
	__asm__ __volatile__("" ::: "memory");
}

static inline void ic_ivau(void *addr)
{
	(void)addr;
	__asm__ __volatile__("" ::: "memory");
}

/* smp_mb__before_atomic() / __after_atomic(): a full fence. */
static inline void mb_atomic(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* As the old combined maintenance: a full fence stands in for its dsb. */
static inline void dsb_ish_maint(void)
{
	dsb_ish();
}

static inline void serialize(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static inline void cpu_relax(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* No fence-free counter is known here; the monotonic clock is a stand-in. */
static inline uint64_t cycles_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t cycles_freq_hz(void)
{
	return 1000000000u;
}
#define EQS_HAVE_CYCLES_FREQ 1

static inline unsigned int arch_atomic_add_return(unsigned int i, unsigned int *p)
{
	return __atomic_add_fetch(p, i, __ATOMIC_SEQ_CST);
}

static inline unsigned int arch_atomic_cmpxchg(unsigned int *p, unsigned int old,
					       unsigned int new_val)
{
	__atomic_compare_exchange_n(p, &old, new_val, 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	return old;
}

static inline void arch_atomic_andnot(unsigned int i, unsigned int *p)
{
	__atomic_fetch_and(p, ~i, __ATOMIC_RELAXED);
}

static inline unsigned int arch_atomic_xchg(unsigned int *p, unsigned int val)
{
	return __atomic_exchange_n(p, val, __ATOMIC_SEQ_CST);
}
