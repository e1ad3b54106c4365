/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fingerprint.h - an exploration's state as 128 bits (the state cache's
 * key), and the protocol's state outside the memory port copied byte for
 * byte (reduce.c's test for a step that depends on every other).
 */
#ifndef EQS_EXPLORE_FINGERPRINT_H
#define EQS_EXPLORE_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct explorer;

/* 128 bits of a state: two independently mixed 64-bit lanes. */
struct fingerprint {
	uint64_t lo, hi;
};

/* Shared state outside the memory port, as bytes. */
struct shared_view {
	unsigned char bytes[1024];
	size_t n;
	bool overflow;
};

/* The state the scheduler of x is in now (between two steps). */
struct fingerprint explore_fingerprint(const struct explorer *x);
/* The protocol's state outside the memory port, copied. */
void explore_shared_view(const struct explorer *x, struct shared_view *v);
bool explore_shared_view_equal(const struct shared_view *a, const struct shared_view *b);

#endif /* EQS_EXPLORE_FINGERPRINT_H */
