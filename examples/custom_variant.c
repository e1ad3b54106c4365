/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * custom_variant.c - an experiment written only against eqssim's public
 * header, the way a reviewer would check a patch: three variants of a
 * 6.x-style context-tracking deferral, each differing from the correct one
 * in one line, run through the stress harness and judged.
 *
 *   ct_watching_gate  correct: defer the sync to CPUs RCU is not watching.
 *   ct_state_gate     logic bug: defer when the state bits say user, idle or
 *                     guest; an interrupt or NMI taken in kernel-mode EQS
 *                     leaves them so while the CPU runs kernel code, and the
 *                     sync is skipped there.
 *   ct_skip_no_mb     ordering bug: skip EQS CPUs after a plain read with no
 *                     smp_mb() after the text write (store buffering on x86;
 *                     arm64's cache maintenance ends in dsb ish, so correct there).
 *
 * Exits 0 only when every variant run is judged as expected on this
 * machine: all three, or those named on the command line.
 * Build: cc custom_variant.c $(pkg-config --cflags --libs eqssim)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <eqssim.h>

static int irq_work_step; /* a named step of our own, delayed below */

/* An interrupt or NMI taken in EQS does some work between RCU's exit and the text. */
static void irq_exit_with_work(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	eqs_rcu_exit(c);
	eqs_cpu_step(c, irq_work_step);
	eqs_exec_text(c);
}

/* Offer the work only where RCU is not watching the CPU. */
static bool offer_if_not_watching(struct eqs_patcher *p, unsigned cpu)
{
	return eqs_ct_work_set(p, cpu, EQS_CT_GATE_NOT_WATCHING);
}

/*
 * Offer it where the state bits say user, idle or guest, written as a gate
 * of our own: it sees the raw context-tracking word each cmpxchg tries.
 */
static bool state_not_kernel(unsigned int word, void *arg)
{
	(void)arg;
	return eqs_ct_word_state(word) != EQS_CT_STATE_KERNEL;
}

static bool offer_by_state(struct eqs_patcher *p, unsigned cpu)
{
	return eqs_ct_work_set_gated(p, cpu, state_not_kernel, NULL);
}

/* Fully ordered cmpxchg in each offer: the text write is visible before the work bit. */
static void watching_gate_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_defer_or_ipi(p, offer_if_not_watching);
}

static void state_gate_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_defer_or_ipi(p, offer_by_state);
}

static void skip_no_mb_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* Missing: eqs_smp_mb(p) to order the write before the reads. */
	eqs_skip_eqs_cpus(p, eqs_snap);
}

#define TSO    EQS_MODEL_TSO
#define ARM64  EQS_MODEL_ARM64
#define SC     EQS_MODEL_SC
#define IFETCH EQS_MODEL_ARM_IFETCH
#define C11    EQS_MODEL_C11
#define OK     EQS_EXPECT_OK
#define BUG    EQS_EXPECT_BUG

/* Expectations per model, by name. */
static const struct eqs_variant variants[] = {
	{
		.name = "ct_watching_gate",
		.summary = "defer the isb as work to CPUs RCU is not watching",
		.rcu = EQS_RCU_CT_STATE,
		.patch = watching_gate_patch,
		.exit = { [EQS_PATH_IRQ] = irq_exit_with_work,
			  [EQS_PATH_NMI] = irq_exit_with_work },
		.deferred = eqs_isb,
		.expect = { [TSO] = OK, [ARM64] = OK, [SC] = OK, [IFETCH] = OK, [C11] = OK },
	},
	{
		.name = "ct_state_gate",
		.summary = "defer when the state bits say user/idle/guest",
		.rcu = EQS_RCU_CT_STATE,
		.patch = state_gate_patch,
		.exit = { [EQS_PATH_IRQ] = irq_exit_with_work,
			  [EQS_PATH_NMI] = irq_exit_with_work },
		.deferred = eqs_isb,
		.broken_paths = EQS_PATH_BIT(EQS_PATH_IRQ) | EQS_PATH_BIT(EQS_PATH_NMI),
		.expect = { [TSO] = BUG, [ARM64] = BUG, [SC] = BUG, [IFETCH] = BUG, [C11] = BUG },
	},
	{
		.name = "ct_skip_no_mb",
		.summary = "skip EQS CPUs without smp_mb after the write",
		.rcu = EQS_RCU_CT_STATE,
		.patch = skip_no_mb_patch,
		.rcu_exit_sync = eqs_isb,
		.broken_paths = EQS_PATHS_ALL,
		.expect = { [TSO] = BUG, [ARM64] = OK, [SC] = OK, [IFETCH] = BUG, [C11] = OK },
	},
};

/* Is v one of the names given (or were none given)? */
static int chosen(const struct eqs_variant *v, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], v->name))
			return 1;
	return argc < 2;
}

int main(int argc, char **argv)
{
	char err[EQS_ERRLEN];
	int matched = 0, ran = 0, n = (int)(sizeof(variants) / sizeof(variants[0]));

	for (int i = 1; i < argc; i++) {
		int known = 0;

		for (int k = 0; k < n; k++)
			known |= !strcmp(argv[i], variants[k].name);
		if (!known) {
			fprintf(stderr, "custom_variant: no variant '%s' here\n", argv[i]);
			return 2;
		}
	}

	irq_work_step = eqs_step_register("irq_work", err, sizeof(err));
	if (irq_work_step < 0) {
		fprintf(stderr, "custom_variant: %s\n", err);
		return 1;
	}
	printf("backend %s, model %s\n", eqs_backend(), eqs_model_name(eqs_host_model()));
	for (int i = 0; i < n; i++) {
		const struct eqs_variant *v = &variants[i];
		struct eqs_config cfg;
		struct eqs_report r;

		if (!chosen(v, argc, argv))
			continue;
		ran++;
		if (eqs_variant_register(v, err, sizeof(err))) {
			fprintf(stderr, "custom_variant: %s\n", err);
			return 1;
		}
		eqs_config_default(&cfg);
		cfg.delay_ns[irq_work_step] = 2000; /* widen the irq handler's window */
		/*
		 * The budget is a maximum: a buggy run ends at its first violation,
		 * a correct one once it has its exercised races on every path, so
		 * a generous one is only spent if the verdict is slow to earn.
		 */
		cfg.duration_s = 60.0;
		if (eqs_stress_run(v, &cfg, &r, err, sizeof(err))) {
			fprintf(stderr, "custom_variant: %s: %s\n", v->name, err);
			return 1;
		}
		printf("%-18s expected %-7s verdict %-12s violations %llu, races %llu: %s\n",
		       v->name, eqs_expect_name(r.expected), eqs_verdict_name(r.verdict),
		       (unsigned long long)r.violations, (unsigned long long)r.exercised_races,
		       r.message);
		matched += r.verdict == EQS_VERDICT_MATCH;
	}
	printf("%d of %d judged as expected\n", matched, ran);
	return matched == ran ? 0 : 1;
}
