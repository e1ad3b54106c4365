/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sync.h - the end of a run's patching (sync.c); the syncs themselves are
 * public blocks (eqssim/variant.h).
 */
#ifndef EQS_SYNC_H
#define EQS_SYNC_H

#include "state.h"

/* No more patches: wait for IPIs still in flight, then let the CPUs finish. */
void patcher_finish(struct sim *sim);

#endif /* EQS_SYNC_H */
