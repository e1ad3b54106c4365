/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eqssim.h - the whole public API of libeqssim.
 *
 * eqssim simulates, in userspace, the Linux protocol for patching kernel
 * text while some CPUs sit in an extended quiescent state (EQS: idle,
 * nohz_full user mode, a KVM guest) and are not sent the synchronising IPI.
 * Threads stand in for CPUs, a patcher thread rewrites "text" and runs a
 * protocol variant's sync, and an oracle flags any CPU that executes text
 * older than a sync that had already completed.
 *
 * Every verdict names its model (see enum eqs_model): it is only as strong
 * as the memory model of the host that produced it.
 *
 * Functions that can fail return a negative errno value and, when given an
 * error buffer, leave a one-line message in it.  The library never prints
 * and never exits.
 */
#ifndef EQSSIM_H
#define EQSSIM_H

#ifdef __cplusplus
extern "C" {
#endif

/* The API by role: */
#include "eqssim/types.h"   /* limits, models, paths, verdicts, named steps */
#include "eqssim/variant.h" /* writing a variant: building blocks, struct eqs_variant */
#include "eqssim/stress.h"  /* stress runs on the host's instructions */
#include "eqssim/explore.h" /* systematic exploration of a small scenario */

#ifdef __cplusplus
}
#endif

#endif /* EQSSIM_H */
