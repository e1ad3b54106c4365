/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * coro.h - coroutines for the exploration scheduler: a stack and a saved
 * stack pointer.  Switching saves the callee-saved registers on the old
 * stack and loads them from the new one: no system call (glibc's
 * swapcontext saves the signal mask with one per switch), and a suspended
 * coroutine's whole state is its live stack, which the state cache hashes.
 * Each switch is announced to AddressSanitizer and ThreadSanitizer (their
 * fiber interfaces) when they are built in, so that exploration can run
 * under them.
 */
#ifndef EQS_CORO_H
#define EQS_CORO_H

#include <stdbool.h>
#include <stddef.h>

struct coro {
	void *sp;	 /* saved stack pointer while suspended */
	char *stack_top; /* NULL for the scheduler's own context */
	/* What the first switch runs, and the stack, as AddressSanitizer is told of it. */
	void (*fn)(void *);
	void *arg;
	void *stack_bottom;
	size_t stack_size;
	void *asan_fake_stack; /* ASan's fake stack while suspended */
	void *tsan_fiber;      /* ThreadSanitizer's context for it */
	unsigned tsan_reuses;  /* stacks that context has run since it was made */
};

/* Is there a context switch for this architecture? */
static inline bool coro_available(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return true;
#else
	return false;
#endif
}

/*
 * Prepare co to run fn(arg) on [stack, stack + size) at its first switch,
 * zeroing the top `clear` bytes of the stack first (whatever an earlier
 * coroutine left there).  The stack may be one a coroutine was abandoned
 * on: AddressSanitizer is told that all of it is free again.
 */
void coro_init(struct coro *co, void *stack, size_t size, size_t clear, void (*fn)(void *),
	       void *arg);
/* Let go of what coro_init took for co (a sanitizer's context); co is not running. */
void coro_release(struct coro *co);
/* Suspend the running context into from and resume to. */
void coro_switch(struct coro *from, struct coro *to);
/* The same for a coroutine whose function has returned: from is never resumed. */
void coro_switch_final(struct coro *from, struct coro *to);

#endif /* EQS_CORO_H */
