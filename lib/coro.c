/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * coro.c - the context switch behind coro.h, per architecture: x86_64 and
 * aarch64 in a few lines of assembly.  Elsewhere exploration is not
 * available (eqs_explore_run() says so) and these are never called.
 */
#include <stdint.h>
#include <string.h>

#include "coro.h"
#include "sanitizer.h"

#if defined(__x86_64__) || defined(__aarch64__)

/* coro_swap_stacks(&from->sp, to->sp): save callee-saved registers, swap stacks. */
void coro_swap_stacks(void **save_sp, void *new_sp);
void coro_first_entry(void);

#ifdef EQS_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

/* The scheduler's own stack, learnt when a coroutine is first entered from it. */
static __thread const void *main_bottom;
static __thread size_t main_size;

static void asan_leave(struct coro *from, struct coro *to, bool for_good)
{
	const void *bottom = to->stack_top ? to->stack_bottom : main_bottom;
	size_t size = to->stack_top ? to->stack_size : main_size;

	__sanitizer_start_switch_fiber(for_good ? NULL : &from->asan_fake_stack, bottom, size);
}

static void asan_arrive(struct coro *self)
{
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(self ? self->asan_fake_stack : NULL, &bottom, &size);
	if (!self || self->stack_top) { /* a coroutine: we came from the scheduler */
		main_bottom = bottom;
		main_size = size;
	}
}
#else
static void asan_leave(struct coro *from, struct coro *to, bool for_good)
{
	(void)from;
	(void)to;
	(void)for_good;
}

static void asan_arrive(struct coro *self)
{
	(void)self;
}
#endif

#ifdef EQS_TSAN
#include <sanitizer/tsan_interface.h>

/*
 * Each coroutine is a ThreadSanitizer fiber.  A switch synchronises the
 * two (the default): they run on one OS thread, one after the other, so
 * everything before a switch happens before everything after it.  A
 * coroutine abandoned mid-execution leaves its frames on the fiber's
 * shadow call stack, which TSan does not grow, so a fiber is made afresh
 * every FIBER_REUSES stacks (making one maps memory: about 0.3 ms).
 */
#define FIBER_REUSES 256

static void tsan_new(struct coro *co)
{
	if (co->tsan_fiber && ++co->tsan_reuses < FIBER_REUSES)
		return;
	if (co->tsan_fiber)
		__tsan_destroy_fiber(co->tsan_fiber);
	co->tsan_fiber = __tsan_create_fiber(0);
	co->tsan_reuses = 0;
}

static void tsan_leave(struct coro *from, struct coro *to)
{
	if (!from->stack_top) /* the scheduler: its own thread's context */
		from->tsan_fiber = __tsan_get_current_fiber();
	__tsan_switch_to_fiber(to->tsan_fiber, 0);
}

void coro_release(struct coro *co)
{
	if (co->stack_top && co->tsan_fiber)
		__tsan_destroy_fiber(co->tsan_fiber);
	co->tsan_fiber = NULL;
}
#else
static void tsan_new(struct coro *co)
{
	co->tsan_fiber = NULL;
}

static void tsan_leave(struct coro *from, struct coro *to)
{
	(void)from;
	(void)to;
}

void coro_release(struct coro *co)
{
	co->tsan_fiber = NULL;
}
#endif

/* Where a coroutine's first switch lands (through coro_first_entry). */
static void coro_trampoline(void *p)
{
	struct coro *co = p;

	asan_arrive(NULL);
	co->fn(co->arg);
}

static void coro_setup(struct coro *co, void *stack, size_t size, size_t clear, void (*fn)(void *),
		       void *arg)
{
#ifdef EQS_ASAN
	/* An abandoned coroutine's frames left their redzones poisoned. */
	__asan_unpoison_memory_region(stack, size);
#endif
	if (clear > size)
		clear = size;
	memset((char *)stack + size - clear, 0, clear);
	co->fn = fn;
	co->arg = arg;
	co->stack_bottom = stack;
	co->stack_size = size;
	co->asan_fake_stack = NULL;
	tsan_new(co);
}

#if defined(__x86_64__)
__asm__(".text\n"
	".globl coro_swap_stacks\n"
	".hidden coro_swap_stacks\n"
	".type coro_swap_stacks, @function\n"
	"coro_swap_stacks:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size coro_swap_stacks, .-coro_swap_stacks\n"
	/* First switch lands here with fn in r13 and arg in r12. */
	".globl coro_first_entry\n"
	".hidden coro_first_entry\n"
	".type coro_first_entry, @function\n"
	"coro_first_entry:\n"
	"	movq %r12, %rdi\n"
	"	callq *%r13\n"
	"	ud2\n"
	".size coro_first_entry, .-coro_first_entry\n"
	".section .note.GNU-stack,\"\",@progbits\n"
	".text\n");

void coro_init(struct coro *co, void *stack, size_t size, size_t clear, void (*fn)(void *),
	       void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *ret = (uint64_t *)(top - 24); /* so that rsp is 16-aligned at the call */
	uint64_t *sp = ret - 6;

	coro_setup(co, stack, size, clear, fn, arg);
	memset(sp, 0, 7 * sizeof(uint64_t));
	sp[2] = (uint64_t)(uintptr_t)coro_trampoline; /* r13 */
	sp[3] = (uint64_t)(uintptr_t)co;	      /* r12 */
	*ret = (uint64_t)(uintptr_t)coro_first_entry;
	co->sp = sp;
	co->stack_top = (char *)top;
}

#else /* __aarch64__ */
__asm__(".text\n"
	".globl coro_swap_stacks\n"
	".hidden coro_swap_stacks\n"
	".type coro_swap_stacks, %function\n"
	"coro_swap_stacks:\n"
	"	sub sp, sp, #160\n"
	"	stp x19, x20, [sp, #0]\n"
	"	stp x21, x22, [sp, #16]\n"
	"	stp x23, x24, [sp, #32]\n"
	"	stp x25, x26, [sp, #48]\n"
	"	stp x27, x28, [sp, #64]\n"
	"	stp x29, x30, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mov x2, sp\n"
	"	str x2, [x0]\n"
	"	mov sp, x1\n"
	"	ldp x19, x20, [sp, #0]\n"
	"	ldp x21, x22, [sp, #16]\n"
	"	ldp x23, x24, [sp, #32]\n"
	"	ldp x25, x26, [sp, #48]\n"
	"	ldp x27, x28, [sp, #64]\n"
	"	ldp x29, x30, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	add sp, sp, #160\n"
	"	ret\n"
	".size coro_swap_stacks, .-coro_swap_stacks\n"
	/* First switch lands here with arg in x19 and fn in x20. */
	".globl coro_first_entry\n"
	".hidden coro_first_entry\n"
	".type coro_first_entry, %function\n"
	"coro_first_entry:\n"
	"	mov x0, x19\n"
	"	blr x20\n"
	"	brk #0\n"
	".size coro_first_entry, .-coro_first_entry\n"
	".section .note.GNU-stack,\"\",%progbits\n"
	".text\n");

void coro_init(struct coro *co, void *stack, size_t size, size_t clear, void (*fn)(void *),
	       void *arg)
{
	uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
	uint64_t *sp = (uint64_t *)(top - 160);

	coro_setup(co, stack, size, clear, fn, arg);
	memset(sp, 0, 160);
	sp[0] = (uint64_t)(uintptr_t)co;		/* x19 */
	sp[1] = (uint64_t)(uintptr_t)coro_trampoline;	/* x20 */
	sp[11] = (uint64_t)(uintptr_t)coro_first_entry; /* x30 */
	co->sp = sp;
	co->stack_top = (char *)top;
}
#endif

void coro_switch(struct coro *from, struct coro *to)
{
	asan_leave(from, to, false);
	tsan_leave(from, to);
	coro_swap_stacks(&from->sp, to->sp);
	asan_arrive(from);
}

void coro_switch_final(struct coro *from, struct coro *to)
{
	asan_leave(from, to, true);
	tsan_leave(from, to);
	coro_swap_stacks(&from->sp, to->sp);
}

#else /* other architectures */

/* No context switch is written for this architecture: exploration refuses to run. */
void coro_init(struct coro *co, void *stack, size_t size, size_t clear, void (*fn)(void *),
	       void *arg)
{
	(void)stack;
	(void)size;
	(void)clear;
	(void)fn;
	(void)arg;
	co->sp = NULL;
	co->stack_top = NULL;
}

void coro_switch(struct coro *from, struct coro *to)
{
	(void)from;
	(void)to;
	__builtin_trap();
}

void coro_switch_final(struct coro *from, struct coro *to)
{
	coro_switch(from, to);
}

void coro_release(struct coro *co)
{
	(void)co;
}
#endif
