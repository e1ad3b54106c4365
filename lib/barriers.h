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

/*
 * Linux's atomic_t, touched only through the eqs_atomic_* helpers.  The
 * counter is unsigned so that a counter that wraps (the dynticks counter
 * does, after 2^31 exits) wraps by definition, not by undefined signed
 * overflow; Linux gets the same from -fno-strict-overflow.
 */
typedef struct {
	unsigned int counter;
} eqs_atomic_t;

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

/* READ_ONCE / WRITE_ONCE of an atomic_t: plain, unordered accesses. */
static inline unsigned int eqs_atomic_read(const eqs_atomic_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}

static inline void eqs_atomic_set(eqs_atomic_t *v, unsigned int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}

/* smp_store_release(): earlier accesses are ordered before it, later ones are not. */
static inline void eqs_atomic_set_release(eqs_atomic_t *v, unsigned int i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELEASE);
}

/* Linux's fully ordered value-returning RMWs, built from the backend's. */
static inline unsigned int eqs_atomic_add_return(unsigned int i, eqs_atomic_t *v)
{
	return arch_atomic_add_return(i, &v->counter);
}

static inline unsigned int eqs_atomic_cmpxchg(eqs_atomic_t *v, unsigned int old,
					      unsigned int new_val)
{
	return arch_atomic_cmpxchg(&v->counter, old, new_val);
}

/* atomic_andnot() is unordered in Linux; callers add smp_mb__after_atomic(). */
static inline void eqs_atomic_andnot(unsigned int i, eqs_atomic_t *v)
{
	arch_atomic_andnot(i, &v->counter);
}

/* smp_mb(): full barrier between data accesses. */
static inline void smp_mb(void)
{
	dmb_ish();
}

/* smp_mb__after_atomic(): the atomic before it was unordered here. */
static inline void smp_mb__after_atomic(void)
{
	dmb_ish();
}

#endif /* EQS_BARRIERS_H */
