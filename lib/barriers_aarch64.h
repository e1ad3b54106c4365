/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * barriers_aarch64.h - arm64 backend for barriers.h: the real instructions.
 *
 * Fully ordered atomics follow Linux: with LSE (-march=armv8.1-a) an
 * ldaddal / casal; otherwise an LL/SC loop with a store-release followed by
 * dmb ish, without which a later load could pass the store-release.  The
 * choice is made at build time from __ARM_FEATURE_ATOMICS.
 */
#ifndef EQS_BARRIERS_INSIDE
#error "include barriers.h, not barriers_aarch64.h"
#endif

#if defined(__ARM_FEATURE_ATOMICS)
#define EQS_BACKEND "aarch64 (LSE atomics: ldaddal/casal, isb, dmb, dsb)"
#else
#define EQS_BACKEND "aarch64 (LL/SC atomics: ldxr/stlxr + dmb ish, isb, dmb, dsb)"
#endif
#define EQS_HOST_MODEL EQS_MODEL_ARM64

static inline void isb(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

static inline void dmb_ish(void)
{
	__asm__ __volatile__("dmb ish" ::: "memory");
}

static inline void dmb_ishld(void)
{
	__asm__ __volatile__("dmb ishld" ::: "memory");
}

static inline void dmb_ishst(void)
{
	__asm__ __volatile__("dmb ishst" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ __volatile__("dsb ish" ::: "memory");
}

/* dsb ishst / ishld: wait until earlier stores / loads are complete. */
static inline void dsb_ishst(void)
{
	__asm__ __volatile__("dsb ishst" ::: "memory");
}

static inline void dsb_ishld(void)
{
	__asm__ __volatile__("dsb ishld" ::: "memory");
}

/*
 * Cache maintenance for a text write, one instruction each, so a variant
 * can leave one out: Linux's sequence is dc cvau; dsb ish; ic ivau; dsb ish.
 */
static inline void dc_cvau(void *addr)
{
	__asm__ __volatile__("dc cvau, %0" : : "r"(addr) : "memory");
}

static inline void ic_ivau(void *addr)
{
	__asm__ __volatile__("ic ivau, %0" : : "r"(addr) : "memory");
}

/* smp_mb__before_atomic() / __after_atomic(): arm64's atomics leave it to a dmb. */
static inline void mb_atomic(void)
{
	dmb_ish();
}

/* The dsb ish that completes cache maintenance (x86 has none). */
static inline void dsb_ish_maint(void)
{
	dsb_ish();
}

static inline void serialize(void)
{
	isb();
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/* cntvct_el0 read without an isb before it: no ordering is added. */
static inline uint64_t cycles_now(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline uint64_t cycles_freq_hz(void)
{
	uint64_t v;

	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}
#define EQS_HAVE_CYCLES_FREQ 1

#if defined(__ARM_FEATURE_ATOMICS)

static inline unsigned int arch_atomic_add_return(unsigned int i, unsigned int *p)
{
	unsigned int old;

	__asm__ __volatile__("ldaddal %w[i], %w[old], %[v]"
			     : [old] "=r"(old), [v] "+Q"(*p)
			     : [i] "r"(i)
			     : "memory");
	return old + i;
}

static inline unsigned int arch_atomic_cmpxchg(unsigned int *p, unsigned int old,
					       unsigned int new_val)
{
	unsigned int prev = old;

	__asm__ __volatile__("casal %w[prev], %w[new], %[v]"
			     : [prev] "+r"(prev), [v] "+Q"(*p)
			     : [new] "r"(new_val)
			     : "memory");
	return prev;
}

static inline void arch_atomic_andnot(unsigned int i, unsigned int *p)
{
	__asm__ __volatile__("stclr %w[i], %[v]" : [v] "+Q"(*p) : [i] "r"(i) : "memory");
}

/* Linux's fully ordered xchg() with LSE: swpal. */
static inline unsigned int arch_atomic_xchg(unsigned int *p, unsigned int val)
{
	unsigned int old;

	__asm__ __volatile__("swpal %w[val], %w[old], %[v]"
			     : [old] "=r"(old), [v] "+Q"(*p)
			     : [val] "r"(val)
			     : "memory");
	return old;
}

#else /* LL/SC */

static inline unsigned int arch_atomic_add_return(unsigned int i, unsigned int *p)
{
	unsigned int res;
	unsigned int fail;

	__asm__ __volatile__("1: ldxr %w[res], %[v]\n\t"
			     "add %w[res], %w[res], %w[i]\n\t"
			     "stlxr %w[fail], %w[res], %[v]\n\t"
			     "cbnz %w[fail], 1b\n\t"
			     "dmb ish"
			     : [res] "=&r"(res), [fail] "=&r"(fail), [v] "+Q"(*p)
			     : [i] "r"(i)
			     : "memory");
	return res;
}

/* A failed compare stores nothing and, as in Linux, orders nothing. */
static inline unsigned int arch_atomic_cmpxchg(unsigned int *p, unsigned int old,
					       unsigned int new_val)
{
	unsigned int prev;
	unsigned int tmp;

	__asm__ __volatile__("1: ldxr %w[prev], %[v]\n\t"
			     "eor %w[tmp], %w[prev], %w[old]\n\t"
			     "cbnz %w[tmp], 2f\n\t"
			     "stlxr %w[tmp], %w[new], %[v]\n\t"
			     "cbnz %w[tmp], 1b\n\t"
			     "dmb ish\n\t"
			     "2:"
			     : [prev] "=&r"(prev), [tmp] "=&r"(tmp), [v] "+Q"(*p)
			     : [old] "r"(old), [new] "r"(new_val)
			     : "memory", "cc");
	return prev;
}

/* Linux's LL/SC xchg(): ldxr / stlxr, then dmb ish. */
static inline unsigned int arch_atomic_xchg(unsigned int *p, unsigned int val)
{
	unsigned int old;
	unsigned int fail;

	__asm__ __volatile__("1: ldxr %w[old], %[v]\n\t"
			     "stlxr %w[fail], %w[val], %[v]\n\t"
			     "cbnz %w[fail], 1b\n\t"
			     "dmb ish"
			     : [old] "=&r"(old), [fail] "=&r"(fail), [v] "+Q"(*p)
			     : [val] "r"(val)
			     : "memory");
	return old;
}

static inline void arch_atomic_andnot(unsigned int i, unsigned int *p)
{
	unsigned int res;
	unsigned int fail;

	__asm__ __volatile__("1: ldxr %w[res], %[v]\n\t"
			     "bic %w[res], %w[res], %w[i]\n\t"
			     "stxr %w[fail], %w[res], %[v]\n\t"
			     "cbnz %w[fail], 1b"
			     : [res] "=&r"(res), [fail] "=&r"(fail), [v] "+Q"(*p)
			     : [i] "r"(i)
			     : "memory");
}

#endif /* __ARM_FEATURE_ATOMICS */
