/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * builtin.c - the built-in protocol variants, written with the same
 * building blocks as a user's (include/eqssim.h) and nothing else.
 * Expectations are per model, by name; a model left out is n/a.
 */
#include "eqssim.h"
#include "variants.h"

#define OK	EQS_EXPECT_OK
#define BUG	EQS_EXPECT_BUG
#define NA	EQS_EXPECT_NA
#define PATH(p) EQS_PATH_BIT(EQS_PATH_##p)
/* Shorter names for the expectation tables below. */
#define TSO	EQS_MODEL_TSO
#define ARM64	EQS_MODEL_ARM64
#define SC	EQS_MODEL_SC
#define IFETCH	EQS_MODEL_ARM_IFETCH
#define C11	EQS_MODEL_C11

/* ---- patchers ---------------------------------------------------------- */

/* kick_all_cpus_sync(): every CPU takes the IPI, and so a CSE. */
static void kick_all_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* Orders the text write before the IPIs (the enqueue is a full barrier too). */
	eqs_smp_mb(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void no_sync_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
}

/* The reviewed series' patcher. */
static void skip_eqs_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/*
	 * Text write before the counter reads; pairs with the fully ordered
	 * increment on EQS exit (the store-buffering shape).
	 */
	eqs_smp_mb(p);
	eqs_skip_eqs_cpus(p, eqs_snap); /* plain reads, as the series had */
}

/* The same without smp_mb(): on x86 a counter read can pass the text write. */
static void skip_eqs_no_mb_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	/* On arm64 this ends in dsb ish, which orders the write before the reads. */
	eqs_patch_cache_maint(p);
	eqs_skip_eqs_cpus(p, eqs_snap); /* plain reads, as the series had */
}

/*
 * 4.16 rcu_eqs_special_set(): taken only by a CPU in EQS.  The offer is a
 * fully ordered cmpxchg, so the text write is visible before the flag is.
 */
static void special_flag_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_defer_or_ipi(p, eqs_special_set);
}

/* 6.x context-tracking work, gated on RCU not watching the CPU. */
static bool ct_work_if_not_watching(struct eqs_patcher *p, unsigned cpu)
{
	return eqs_ct_work_set(p, cpu, EQS_CT_GATE_NOT_WATCHING);
}

/* The same shape with the 6.x work bit; its cmpxchg orders the write before it. */
static void ct_work_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_defer_or_ipi(p, ct_work_if_not_watching);
}

static void qsbr_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* Returns once every online CPU passed a quiescent state (and its isb). */
	eqs_synchronize_rcu(p);
}

/* ---- EQS exit paths that differ from the default ----------------------- */

/* el0_svc with the reviewed isb_if_eqs before ct_user_exit. */
static void early_isb_user_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_isb_if_eqs(c); /* pairs with aarch64_insn_patch_text, but RCU does not know yet */
	eqs_enable_irqs(c);
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

/* el0_irq: the same ct_user_exit macro, so the same isb_if_eqs before it. */
static void early_isb_user_irq_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_isb_if_eqs(c);
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

/* rcu_idle_exit, then arch_cpu_idle_exit's check: RCU is watching, so no isb. */
static void early_isb_idle_exit(struct eqs_cpu *c)
{
	eqs_rcu_exit(c);
	eqs_isb_if_eqs(c);
	eqs_exec_text(c);
}

/* An isb after RCU knows: after the fully ordered exit increment (user-mode
 * interrupts and NMIs have the irq path's shape). */
static void isb_after_user_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_enable_irqs(c);
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void isb_after_idle_exit(struct eqs_cpu *c)
{
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

static void isb_after_irq_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_rcu_exit(c);
	eqs_isb(c);
	eqs_exec_text(c);
}

/* An isb before rcu_thread_online(): synchronize_rcu() may skip us in between. */
static void isb_before_user_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_isb(c);
	eqs_enable_irqs(c);
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

static void isb_before_idle_exit(struct eqs_cpu *c)
{
	eqs_isb(c);
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

static void isb_before_irq_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_isb(c);
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

/* Inside RCU's exit: wait for the increment to complete, then refetch (arm-ifetch). */
static void dsb_isb(struct eqs_cpu *c)
{
	eqs_dsb(c);
	eqs_isb(c);
}

const struct eqs_variant builtin_variants[] = {
	{
		.name = "kick_all",
		.summary = "kick_all_cpus_sync(): smp_mb, IPI every CPU, wait",
		.patch = kick_all_patch,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
	{
		.name = "no_sync",
		.summary = "write the text, no sync at all",
		.patch = no_sync_patch,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [TSO] = BUG, [ARM64] = BUG, [SC] = BUG, [IFETCH] = BUG, [C11] = BUG },
	},
	{
		.name = "early_isb",
		.summary = "reviewed patch: isb before ct_user_exit; idle isb after rcu_idle_exit",
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = early_isb_user_exit,
			  [EQS_PATH_IDLE] = early_isb_idle_exit,
			  [EQS_PATH_USER_IRQ] = early_isb_user_irq_exit },
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [TSO] = BUG, [ARM64] = BUG, [SC] = BUG, [IFETCH] = BUG, [C11] = BUG },
	},
	{
		.name = "eqs_exit_sync",
		.summary = "review's fix: isb in rcu_dynticks_eqs_exit_sync(), every path",
		.patch = skip_eqs_patch,
		/* After the fully ordered increment: pairs with the patcher's smp_mb(). */
		.rcu_exit_sync = eqs_isb,
		/* The isb does not wait for the increment to be visible: every exit. */
		.broken_paths_under = { [IFETCH] = EQS_PATHS_ALL },
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = BUG, [C11] = OK },
	},
	{
		.name = "eqs_exit_sync_dsb",
		.summary = "as eqs_exit_sync with dsb ish; isb in the hook",
		.patch = skip_eqs_patch,
		.rcu_exit_sync = dsb_isb,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
	{
		.name = "eqs_exit_sync_no_mb",
		.summary = "eqs_exit_sync without the patcher's smp_mb (store buffering)",
		.patch = skip_eqs_no_mb_patch,
		.rcu_exit_sync = eqs_isb,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [TSO] = BUG, [ARM64] = OK, [SC] = OK, [IFETCH] = BUG, [C11] = OK },
	},
	{
		.name = "special_flag",
		.summary = "4.16 rcu_eqs_special_set(): defer an isb to EQS CPUs, IPI the rest",
		.patch = special_flag_patch,
		/* Runs after the exit increment saw the flag, cleared it, then smp_mb. */
		.deferred = eqs_isb,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
	{
		.name = "vhe_guest_gap",
		.summary = "isb after RCU exit on every path but the VHE guest exit",
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = isb_after_user_exit,
			  [EQS_PATH_IDLE] = isb_after_idle_exit,
			  [EQS_PATH_IRQ] = isb_after_irq_exit,
			  [EQS_PATH_USER_IRQ] = isb_after_irq_exit,
			  [EQS_PATH_NMI] = isb_after_irq_exit },
		.broken_paths = PATH(GUEST),
		/* Its isbs follow the increment with no dsb, as eqs_exit_sync's. */
		.broken_paths_under = { [IFETCH] = EQS_PATHS_ALL },
		.expect = { [TSO] = BUG, [ARM64] = BUG, [SC] = BUG, [IFETCH] = BUG, [C11] = BUG },
	},
	{
		.name = "urcu_qsbr",
		.summary = "liburcu QSBR: synchronize_rcu(); EQS = offline, isb after online",
		.rcu = EQS_RCU_QSBR,
		.patch = qsbr_patch,
		/* rcu_thread_online() then isb: the refetch follows the online store and its mb. */
		.rcu_exit_sync = eqs_isb,
		/* ... but, with no dsb, not its visibility. */
		.broken_paths_under = { [IFETCH] = EQS_PATHS_ALL },
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = NA, [IFETCH] = BUG, [C11] = OK },
	},
	{
		.name = "urcu_qsbr_early_isb",
		.summary = "liburcu QSBR with the isb before rcu_thread_online()",
		.rcu = EQS_RCU_QSBR,
		.patch = qsbr_patch,
		.exit = { [EQS_PATH_USER] = isb_before_user_exit,
			  [EQS_PATH_IDLE] = isb_before_idle_exit,
			  [EQS_PATH_IRQ] = isb_before_irq_exit,
			  [EQS_PATH_GUEST] = isb_before_user_exit,
			  [EQS_PATH_USER_IRQ] = isb_before_irq_exit,
			  [EQS_PATH_NMI] = isb_before_irq_exit },
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [TSO] = BUG, [ARM64] = BUG, [SC] = NA, [IFETCH] = BUG, [C11] = BUG },
	},
	{
		.name = "ct_work",
		.summary = "6.x context tracking: defer an isb as work to CPUs not watching",
		.rcu = EQS_RCU_CT_STATE,
		.patch = ct_work_patch,
		/*
		 * The flush reads the work bits and branches on them before the
		 * isb: a control dependency plus isb, ordered even for ifetch.
		 */
		.deferred = eqs_isb,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
	{
		.name = "stop_machine",
		.summary =
			"arm64 aarch64_insn_patch_text_sync(): rendezvous, patch, isb on release",
		.patch = eqs_stop_machine_patch,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
};

const int nr_builtin_variants = (int)(sizeof(builtin_variants) / sizeof(builtin_variants[0]));
