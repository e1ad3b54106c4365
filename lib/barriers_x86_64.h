/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * barriers_x86_64.h - x86_64 backend for barriers.h.
 *
 * x86 has a coherent instruction cache and no isb.  The modelled isb is
 * a compiler barrier only: arm64's isb does not drain the store buffer, and
 * a serialising instruction here would, hiding store-buffering bugs.  The
 * refresh of the fetched view that goes with it lives in insn_patch.c.
 * serialize() is the real thing (iretq to self) for real-fetch mode and
 * benchmarks only.
 */
#ifndef EQS_BARRIERS_INSIDE
#error "include barriers.h, not barriers_x86_64.h"
#endif

#define EQS_BACKEND    "x86_64 (lock-prefixed atomics, mfence)"
#define EQS_HOST_MODEL EQS_MODEL_TSO

/* Modelled isb: the compiler may not move accesses across it; nothing more. */
static inline void isb(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* Full fence for the data dmb/dsb: orders stores before later loads. */
static inline void dmb_ish(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* TSO already orders load->load and load->store. */
static inline void dmb_ishld(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* TSO already orders store->store. */
static inline void dmb_ishst(void)
{
	__asm__ __volatile__("" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* Waiting for earlier stores to complete drains the store buffer: mfence. */
static inline void dsb_ishst(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}

/* Waiting for earlier loads: lfence, which leaves the store buffer as it is. */
static inline void dsb_ishld(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
}

/* smp_mb__before_atomic() / __after_atomic(): barrier(); the locked atomic orders. */
static inline void mb_atomic(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/*
 * Cache maintenance after a text write: nothing to do, the I-cache is
 * coherent.  Not even the dsb that completes it on Arm is a fence here: the
 * x86 patch path has no such barrier, and an mfence would hide the
 * store-buffering shape of a patcher that forgets smp_mb().
 */
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

static inline void dsb_ish_maint(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/*
 * Serialise by returning from an interrupt frame to ourselves.  The 128
 * bytes below %rsp are the red zone the compiler may be using, so step over
 * them before pushing the frame.
 */
static inline void serialize(void)
{
	unsigned long tmp;

	__asm__ __volatile__("sub $128, %%rsp\n\t"
			     "mov %%ss, %k0\n\t"
			     "pushq %0\n\t"
			     "pushq %%rsp\n\t"
			     "addq $8, (%%rsp)\n\t"
			     "pushfq\n\t"
			     "mov %%cs, %k0\n\t"
			     "pushq %0\n\t"
			     "lea 1f(%%rip), %0\n\t"
			     "pushq %0\n\t"
			     "iretq\n\t"
			     "1: add $128, %%rsp"
			     : "=&r"(tmp)
			     :
			     : "cc", "memory");
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

/* rdtsc without lfence: not serialising, so it closes no window. */
static inline uint64_t cycles_now(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* lock xadd: a full barrier on x86, as Linux's atomic_add_return(). */
static inline unsigned int arch_atomic_add_return(unsigned int i, unsigned int *p)
{
	unsigned int old = i;

	__asm__ __volatile__("lock xaddl %0, %1" : "+r"(old), "+m"(*p) : : "memory", "cc");
	return old + i;
}

static inline unsigned int arch_atomic_cmpxchg(unsigned int *p, unsigned int old,
					       unsigned int new_val)
{
	unsigned int prev = old;

	__asm__ __volatile__("lock cmpxchgl %2, %1"
			     : "+a"(prev), "+m"(*p)
			     : "r"(new_val)
			     : "memory", "cc");
	return prev;
}

/* xchg with memory is locked without a prefix: a full barrier, as Linux's xchg(). */
static inline unsigned int arch_atomic_xchg(unsigned int *p, unsigned int val)
{
	__asm__ __volatile__("xchgl %0, %1" : "+r"(val), "+m"(*p) : : "memory");
	return val;
}

static inline void arch_atomic_andnot(unsigned int i, unsigned int *p)
{
	__asm__ __volatile__("lock andl %1, %0" : "+m"(*p) : "r"(~i) : "memory", "cc");
}
