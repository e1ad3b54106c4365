/*
 * variant.h - a protocol variant as data: the patcher's sync, the action
 * each EQS exit path takes before, inside and after RCU's exit, the
 * deferred action, the paths it is broken on and its expectation per model.
 * Two variants that differ in one step differ in one field.
 */
#ifndef EQS_VARIANT_H
#define EQS_VARIANT_H

#include <stdbool.h>

#include "eqssim.h"

/* What a CPU executes at a hook point. */
enum hook_action {
	HOOK_NONE,
	HOOK_ISB,	 /* isb */
	HOOK_ISB_IF_EQS, /* if (!rcu_is_watching()) isb() */
	HOOK_DSB_ISB,	 /* dsb ish; isb */
};

/* How the patcher makes the other CPUs see its write. */
enum sync_kind {
	SYNC_NONE,	   /* write and return */
	SYNC_KICK_ALL,	   /* IPI every CPU and wait */
	SYNC_SKIP_EQS,	   /* read each counter, IPI the CPUs not in EQS, wait */
	SYNC_SPECIAL_FLAG, /* set the flag on EQS CPUs, IPI the rest, wait */
	SYNC_QSBR,	   /* liburcu QSBR synchronize_rcu() */
};

/* What "RCU" means for the CPUs. */
enum rcu_flavor {
	RCU_DYNTICKS, /* the 4.16 dynticks counter */
	RCU_QSBR,     /* liburcu QSBR: EQS = offline */
};

struct eqs_variant {
	const char *name;
	const char *summary;
	enum rcu_flavor rcu;
	struct {
		enum sync_kind kind;
		bool mb;	/* smp_mb() between the write and the counter reads */
		bool full_snap; /* fully ordered counter reads instead of plain */
	} patcher;
	enum hook_action before_rcu_exit[EQS_PATH_COUNT];
	enum hook_action in_rcu_exit; /* rcu_dynticks_eqs_exit_sync(): all paths */
	enum hook_action after_rcu_exit[EQS_PATH_COUNT];
	enum hook_action deferred; /* when the special flag was set */
	unsigned broken_paths;
	enum eqs_expect expect[EQS_MODEL_COUNT];
};

/* Does the sync leave some CPUs out (so races count only for those)? */
static inline bool variant_tracks_skips(const struct eqs_variant *v)
{
	return v->patcher.kind == SYNC_SKIP_EQS || v->patcher.kind == SYNC_SPECIAL_FLAG;
}

#endif /* EQS_VARIANT_H */
