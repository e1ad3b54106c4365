/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * litmus.h - test support: the store-buffering positive control run
 * through the simulator's own step bookkeeping.
 */
#ifndef EQS_LITMUS_H
#define EQS_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Two threads run the fence-free store-buffering shape (x = 1; r0 = y  ||
 * y = 1; r1 = x) through the harness's step records.  *reordered counts
 * rounds that ended r0 == r1 == 0, which needs the store buffer; with_mb
 * puts smp_mb() between store and load.  At most rounds rounds, and no
 * more than max_seconds (*ran: how many were played).  0, or a negative
 * errno with err.
 */
int litmus_sb(uint64_t rounds, double max_seconds, bool with_mb, uint64_t seed, uint64_t *reordered,
	      uint64_t *ran, char *err, size_t errlen);

#endif /* EQS_LITMUS_H */
