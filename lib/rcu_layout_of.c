/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rcu_layout_of.c - which ops table stands for which layout of the public
 * enum eqs_rcu_layout.
 */
#include "rcu_layout.h"

const struct rcu_layout *rcu_layout_of(enum eqs_rcu_layout layout)
{
	switch (layout) {
	case EQS_RCU_DYNTICKS:
		return &rcu_layout_dynticks;
	case EQS_RCU_CT_STATE:
		return &rcu_layout_ct_state;
	case EQS_RCU_QSBR:
		return &rcu_layout_qsbr;
	}
	return NULL;
}
