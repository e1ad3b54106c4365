/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sanitizer.h - which sanitizer this build runs under, and what it must be
 * told because it cannot see it: EQS_ASAN and EQS_TSAN are defined under
 * AddressSanitizer and ThreadSanitizer (gcc and clang spell it
 * differently), and the happens-before edges that liburcu's queue makes
 * in code TSan did not instrument.
 */
#ifndef EQS_SANITIZER_H
#define EQS_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define EQS_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#define EQS_TSAN 1
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(EQS_ASAN)
#define EQS_ASAN 1
#endif
#if __has_feature(thread_sanitizer) && !defined(EQS_TSAN)
#define EQS_TSAN 1
#endif
#endif

#ifdef EQS_TSAN
#include <sanitizer/tsan_interface.h>

/* What was written before this is visible after a later tsan_acquired(p). */
static inline void tsan_released(void *p)
{
	__tsan_release(p);
}

static inline void tsan_acquired(void *p)
{
	__tsan_acquire(p);
}
#else
static inline void tsan_released(void *p)
{
	(void)p;
}

static inline void tsan_acquired(void *p)
{
	(void)p;
}
#endif

#endif /* EQS_SANITIZER_H */
