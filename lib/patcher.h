/*
 * patcher.h - the patcher thread: aarch64_insn_patch_text() followed by the
 * variant's sync, then the publication of the synced generation.
 */
#ifndef EQS_PATCHER_H
#define EQS_PATCHER_H

#include "sim.h"

void patcher_init(struct sim *sim);
/* Patch one site and run the variant's sync to completion. */
void patch_once(struct sim *sim, unsigned site);
void *patcher_thread(void *arg);

#endif /* EQS_PATCHER_H */
