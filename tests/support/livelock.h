/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * livelock.h - test support for the public-header tests: a patcher that
 * livelocks.  It retries the deferral until a gate passes that never will
 * (the state bits never say guest when no guest runs), stepping all the
 * while, in a loop of its own outside the library's waits.  Stress and
 * exploration must both end it with a hang verdict.  Needs EQS_RCU_CT_STATE.
 */
#ifndef EQS_LIVELOCK_H
#define EQS_LIVELOCK_H

#include <eqssim.h>

static void retry_offer_forever(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	while (!eqs_ct_work_set(p, 0, EQS_CT_GATE_STATE(EQS_CT_STATE_GUEST)))
		;
}

#endif /* EQS_LIVELOCK_H */
