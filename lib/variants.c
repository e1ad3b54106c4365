/*
 * variants.c - the built-in protocol variants of DESIGN.md's table, each a
 * short description of where its steps and barriers sit.  Expectations are
 * per model: {tso, arm64, sc, arm-ifetch, c11}.
 */
#include <string.h>

#include "variant.h"

#define OK	EQS_EXPECT_OK
#define BUG	EQS_EXPECT_BUG
#define NA	EQS_EXPECT_NA
/* clang-format off */
#define ALL_PATHS(action) { action, action, action, action }
/* clang-format on */
#define PATH(p) EQS_PATH_BIT(EQS_PATH_##p)

/*
 * The reviewed patcher: write; cache maintenance; smp_mb() (orders the text
 * write before the counter reads, pairs with the fully ordered increment in
 * rcu_eqs_exit()); plain read of each counter; IPI the CPUs not in EQS.
 */
#define SKIP_EQS_PATCHER .patcher.kind = SYNC_SKIP_EQS, .patcher.mb = true

static const struct eqs_variant builtin[] = {
	{
		.name = "kick_all",
		.summary = "kick_all_cpus_sync(): smp_mb, IPI every CPU, wait",
		/* smp_mb orders the write before the IPIs (the enqueue is also a full barrier). */
		.patcher = { .kind = SYNC_KICK_ALL, .mb = true },
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "no_sync",
		.summary = "write the text, no sync at all",
		.patcher = { .kind = SYNC_NONE },
		.broken_paths = EQS_PATHS_ALL,
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "early_isb",
		.summary = "reviewed patch: isb before ct_user_exit; idle isb after rcu_idle_exit",
		SKIP_EQS_PATCHER,
		/* isb_if_eqs at el0_svc, before RCU knows: a patch landing after it is missed. */
		.before_rcu_exit = { [EQS_PATH_USER] = HOOK_ISB_IF_EQS },
		/* arch_cpu_idle_exit() runs after rcu_idle_exit(): never in EQS, never isb. */
		.after_rcu_exit = { [EQS_PATH_IDLE] = HOOK_ISB_IF_EQS },
		.broken_paths = PATH(USER) | PATH(IDLE) | PATH(IRQ) | PATH(GUEST),
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "eqs_exit_sync",
		.summary = "review's fix: isb in rcu_dynticks_eqs_exit_sync(), every path",
		SKIP_EQS_PATCHER,
		/* After the fully ordered increment: pairs with the patcher's smp_mb(). */
		.in_rcu_exit = HOOK_ISB,
		.expect = { OK, OK, OK, BUG, OK },
	},
	{
		.name = "eqs_exit_sync_dsb",
		.summary = "as eqs_exit_sync with dsb ish; isb in the hook",
		SKIP_EQS_PATCHER,
		/* dsb ish waits for the increment before the isb refetches (arm-ifetch). */
		.in_rcu_exit = HOOK_DSB_ISB,
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "eqs_exit_sync_no_mb",
		.summary = "eqs_exit_sync without the patcher's smp_mb (store buffering)",
		/* No smp_mb: on x86 the counter read can pass the text write. */
		.patcher = { .kind = SYNC_SKIP_EQS, .mb = false },
		.in_rcu_exit = HOOK_ISB,
		.broken_paths = EQS_PATHS_ALL,
		/* arm64: the cache maintenance ends in dsb ish, which orders the write. */
		.expect = { BUG, OK, OK, BUG, OK },
	},
	{
		.name = "special_flag",
		.summary = "4.16 rcu_eqs_special_set(): defer an isb to EQS CPUs, IPI the rest",
		/* The cmpxchg is fully ordered: it orders the write before the flag. */
		.patcher = { .kind = SYNC_SPECIAL_FLAG },
		/* Runs after the exit increment saw the flag and cleared it, then smp_mb. */
		.deferred = HOOK_ISB,
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "vhe_guest_gap",
		.summary = "isb after RCU exit on user, idle and irq paths; none on VHE guest exit",
		SKIP_EQS_PATCHER,
		.after_rcu_exit = { [EQS_PATH_USER] = HOOK_ISB,
				    [EQS_PATH_IDLE] = HOOK_ISB,
				    [EQS_PATH_IRQ] = HOOK_ISB },
		.broken_paths = PATH(GUEST),
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "urcu_qsbr",
		.summary = "liburcu QSBR: synchronize_rcu(); EQS = offline, isb after online",
		.rcu = RCU_QSBR,
		.patcher = { .kind = SYNC_QSBR },
		/* rcu_thread_online() then isb: the refetch follows the online store and its mb. */
		.after_rcu_exit = ALL_PATHS(HOOK_ISB),
		.expect = { OK, OK, NA, BUG, OK },
	},
	{
		.name = "urcu_qsbr_early_isb",
		.summary = "liburcu QSBR with the isb before rcu_thread_online()",
		.rcu = RCU_QSBR,
		.patcher = { .kind = SYNC_QSBR },
		/* isb, then online: synchronize_rcu() may skip us in between. */
		.before_rcu_exit = ALL_PATHS(HOOK_ISB),
		.broken_paths = EQS_PATHS_ALL,
		.expect = { BUG, BUG, NA, BUG, BUG },
	},
};

#define NR_BUILTIN ((int)(sizeof(builtin) / sizeof(builtin[0])))

int eqs_variant_count(void)
{
	return NR_BUILTIN;
}

const struct eqs_variant *eqs_variant_at(int index)
{
	return index >= 0 && index < NR_BUILTIN ? &builtin[index] : NULL;
}

const struct eqs_variant *eqs_variant_find(const char *name)
{
	for (int i = 0; i < NR_BUILTIN; i++)
		if (name && !strcmp(builtin[i].name, name))
			return &builtin[i];
	return NULL;
}

const char *eqs_variant_name(const struct eqs_variant *v)
{
	return v->name;
}

const char *eqs_variant_summary(const struct eqs_variant *v)
{
	return v->summary;
}

unsigned eqs_variant_broken_paths(const struct eqs_variant *v)
{
	return v->broken_paths;
}

enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model)
{
	return (unsigned)model < EQS_MODEL_COUNT ? v->expect[model] : EQS_EXPECT_NA;
}
