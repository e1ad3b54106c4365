/*
 * variants.c - the built-in protocol variants, written with the same
 * building blocks as a user's (include/eqssim.h), and the registry that
 * finds variants by name.  Expectations are per model:
 * { tso, arm64, sc, arm-ifetch, c11 }.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "sim.h"

#define OK	EQS_EXPECT_OK
#define BUG	EQS_EXPECT_BUG
#define NA	EQS_EXPECT_NA
#define PATH(p) EQS_PATH_BIT(EQS_PATH_##p)

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

/* Read each counter; IPI the CPUs RCU sees outside EQS and skip the rest. */
static void skip_eqs_cpus(struct eqs_patcher *p)
{
	uint64_t ipi = 0;

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (eqs_snap_in_eqs(p, eqs_snap(p, cpu)))
			eqs_skip(p, cpu);
		else
			ipi |= 1ull << cpu;
	}
	eqs_smp_call_many(p, ipi, true);
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
	skip_eqs_cpus(p);
}

/* The same without smp_mb(): on x86 a counter read can pass the text write. */
static void skip_eqs_no_mb_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	/* On arm64 this ends in dsb ish, which orders the write before the reads. */
	eqs_patch_cache_maint(p);
	skip_eqs_cpus(p);
}

/*
 * Offer each CPU deferred work; IPI the ones that refuse it.  The offer is a
 * fully ordered cmpxchg, so the text write is visible before the work is.
 */
static void defer_or_ipi(struct eqs_patcher *p, bool (*offer)(struct eqs_patcher *, unsigned))
{
	uint64_t ipi = 0;

	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (offer(p, cpu))
			eqs_defer(p, cpu);
		else
			ipi |= 1ull << cpu;
	}
	eqs_smp_call_many(p, ipi, true);
}

/* 4.16 rcu_eqs_special_set(): taken only by a CPU in EQS. */
static void special_flag_patch(struct eqs_patcher *p)
{
	defer_or_ipi(p, eqs_special_set);
}

/* 6.x context-tracking work, gated on RCU not watching the CPU. */
static bool ct_work_if_not_watching(struct eqs_patcher *p, unsigned cpu)
{
	return eqs_ct_work_set(p, cpu, EQS_CT_GATE_NOT_WATCHING);
}

static void ct_work_patch(struct eqs_patcher *p)
{
	defer_or_ipi(p, ct_work_if_not_watching);
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

/* rcu_idle_exit, then arch_cpu_idle_exit's check: RCU is watching, so no isb. */
static void early_isb_idle_exit(struct eqs_cpu *c)
{
	eqs_rcu_exit(c);
	eqs_isb_if_eqs(c);
	eqs_exec_text(c);
}

/* An isb after RCU knows: after the fully ordered exit increment. */
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

static const struct eqs_variant builtin[] = {
	{
		.name = "kick_all",
		.summary = "kick_all_cpus_sync(): smp_mb, IPI every CPU, wait",
		.patch = kick_all_patch,
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "no_sync",
		.summary = "write the text, no sync at all",
		.patch = no_sync_patch,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "early_isb",
		.summary = "reviewed patch: isb before ct_user_exit; idle isb after rcu_idle_exit",
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = early_isb_user_exit,
			  [EQS_PATH_IDLE] = early_isb_idle_exit },
		.broken_paths = PATH(USER) | PATH(IDLE) | PATH(IRQ) | PATH(GUEST),
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "eqs_exit_sync",
		.summary = "review's fix: isb in rcu_dynticks_eqs_exit_sync(), every path",
		.patch = skip_eqs_patch,
		/* After the fully ordered increment: pairs with the patcher's smp_mb(). */
		.rcu_exit_sync = eqs_isb,
		.expect = { OK, OK, OK, BUG, OK },
	},
	{
		.name = "eqs_exit_sync_dsb",
		.summary = "as eqs_exit_sync with dsb ish; isb in the hook",
		.patch = skip_eqs_patch,
		.rcu_exit_sync = dsb_isb,
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "eqs_exit_sync_no_mb",
		.summary = "eqs_exit_sync without the patcher's smp_mb (store buffering)",
		.patch = skip_eqs_no_mb_patch,
		.rcu_exit_sync = eqs_isb,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { BUG, OK, OK, BUG, OK },
	},
	{
		.name = "special_flag",
		.summary = "4.16 rcu_eqs_special_set(): defer an isb to EQS CPUs, IPI the rest",
		.patch = special_flag_patch,
		/* Runs after the exit increment saw the flag, cleared it, then smp_mb. */
		.deferred = eqs_isb,
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "vhe_guest_gap",
		.summary = "isb after RCU exit on user, idle and irq paths; none on VHE guest exit",
		.patch = skip_eqs_patch,
		.exit = { [EQS_PATH_USER] = isb_after_user_exit,
			  [EQS_PATH_IDLE] = isb_after_idle_exit,
			  [EQS_PATH_IRQ] = isb_after_irq_exit },
		.broken_paths = PATH(GUEST),
		.expect = { BUG, BUG, BUG, BUG, BUG },
	},
	{
		.name = "urcu_qsbr",
		.summary = "liburcu QSBR: synchronize_rcu(); EQS = offline, isb after online",
		.rcu = EQS_RCU_QSBR,
		.patch = qsbr_patch,
		/* rcu_thread_online() then isb: the refetch follows the online store and its mb. */
		.rcu_exit_sync = eqs_isb,
		.expect = { OK, OK, NA, BUG, OK },
	},
	{
		.name = "urcu_qsbr_early_isb",
		.summary = "liburcu QSBR with the isb before rcu_thread_online()",
		.rcu = EQS_RCU_QSBR,
		.patch = qsbr_patch,
		.exit = { [EQS_PATH_USER] = isb_before_user_exit,
			  [EQS_PATH_IDLE] = isb_before_idle_exit,
			  [EQS_PATH_IRQ] = isb_before_irq_exit,
			  [EQS_PATH_GUEST] = isb_before_user_exit },
		.broken_paths = EQS_PATHS_ALL,
		.expect = { BUG, BUG, NA, BUG, BUG },
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
		.expect = { OK, OK, OK, OK, OK },
	},
	{
		.name = "stop_machine",
		.summary =
			"arm64 aarch64_insn_patch_text_sync(): rendezvous, patch, isb on release",
		.patch = eqs_stop_machine_patch,
		.expect = { OK, OK, OK, OK, OK },
	},
};

#define NR_BUILTIN     ((int)(sizeof(builtin) / sizeof(builtin[0])))
#define MAX_REGISTERED 64

static const struct eqs_variant *registered[MAX_REGISTERED];
static int nr_registered;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

int eqs_variant_count(void)
{
	return NR_BUILTIN + load_acquire(&nr_registered);
}

const struct eqs_variant *eqs_variant_at(int index)
{
	if (index >= 0 && index < NR_BUILTIN)
		return &builtin[index];
	index -= NR_BUILTIN;
	return index >= 0 && index < load_acquire(&nr_registered) ? registered[index] : NULL;
}

const struct eqs_variant *eqs_variant_find(const char *name)
{
	int n = eqs_variant_count();

	for (int i = 0; name && i < n; i++)
		if (!strcmp(eqs_variant_at(i)->name, name))
			return eqs_variant_at(i);
	return NULL;
}

int eqs_variant_check(const struct eqs_variant *v, char *err, size_t errlen)
{
	if (!v)
		return eqs_error(err, errlen, -EINVAL, "no variant");
	if (!v->name || !*v->name)
		return eqs_error(err, errlen, -EINVAL, "a variant needs a name");
	if (strchr(v->name, ',') || strchr(v->name, ' '))
		return eqs_error(err, errlen, -EINVAL, "variant name '%s' has a ',' or a space",
				 v->name);
	if (!v->patch)
		return eqs_error(err, errlen, -EINVAL, "variant '%s' has no patcher (.patch)",
				 v->name);
	if ((unsigned)v->rcu > EQS_RCU_QSBR)
		return eqs_error(err, errlen, -EINVAL, "variant '%s': unknown RCU layout %d",
				 v->name, (int)v->rcu);
	if (v->broken_paths & ~EQS_PATHS_ALL)
		return eqs_error(err, errlen, -EINVAL,
				 "variant '%s': broken_paths 0x%x names no path", v->name,
				 v->broken_paths);
	for (int m = 0; m < EQS_MODEL_COUNT; m++)
		if ((unsigned)v->expect[m] > EQS_EXPECT_BUG)
			return eqs_error(err, errlen, -EINVAL,
					 "variant '%s': bad expectation for %s", v->name,
					 eqs_model_name((enum eqs_model)m));
	return 0;
}

int eqs_variant_register(const struct eqs_variant *v, char *err, size_t errlen)
{
	int ret = eqs_variant_check(v, err, errlen);

	if (ret)
		return ret;
	pthread_mutex_lock(&registry_lock);
	if (eqs_variant_find(v->name))
		ret = eqs_error(err, errlen, -EEXIST, "a variant named '%s' exists already",
				v->name);
	else if (nr_registered == MAX_REGISTERED)
		ret = eqs_error(err, errlen, -ENOSPC, "at most %d variants can be registered",
				MAX_REGISTERED);
	else {
		registered[nr_registered] = v;
		store_release(&nr_registered, nr_registered + 1);
	}
	pthread_mutex_unlock(&registry_lock);
	return ret;
}

const char *eqs_variant_name(const struct eqs_variant *v)
{
	return v->name;
}

const char *eqs_variant_summary(const struct eqs_variant *v)
{
	return v->summary ? v->summary : "";
}

unsigned eqs_variant_broken_paths(const struct eqs_variant *v)
{
	return v->broken_paths;
}

enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model)
{
	return (unsigned)model < EQS_MODEL_COUNT ? v->expect[model] : EQS_EXPECT_NA;
}
