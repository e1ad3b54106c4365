/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * verdict.c - the one judge (verdict.h), and the facts of a run as the
 * machine counted them.
 */
#include <stdio.h>

#include "state.h"
#include "verdict.h"

/* A thread's misuses into f: the count, and the first message seen. */
static void misuses_of(const struct error_log *log, struct verdict_facts *f)
{
	uint64_t n = load_acquire(&log->count); /* pairs with error_log_note()'s release */

	if (!n)
		return;
	if (!f->misuses)
		f->misuse = log->first; /* written before the count, by its thread alone */
	f->misuses += n;
}

void sim_facts(const struct sim *sim, struct verdict_facts *f)
{
	const struct eqs_patcher *p = &sim->patcher;

	f->entry_patches += load_relaxed(&p->entry_patches);
	f->protocol_errors += load_relaxed(&p->protocol_errors);
	misuses_of(&p->misuse, f);
	for (unsigned i = 0; i < sim->ncpu; i++) {
		const struct eqs_cpu *c = &sim->cpus[i];

		misuses_of(&c->misuse, f);
		f->violations += load_relaxed(&c->oracle.violations);
		f->entry_violations += load_relaxed(&c->oracle.entry_violations);
		f->text_in_eqs += load_relaxed(&c->stats.text_in_eqs);
		f->bad_paths += load_relaxed(&c->stats.bad_paths);
		for (int path = 0; path < EQS_PATH_COUNT; path++)
			if (load_relaxed(&c->oracle.violations_on_path[path]))
				f->violated_paths |= EQS_PATH_BIT(path);
	}
}

bool verdict_has_error(const struct verdict_facts *f)
{
	return f->error || f->misuses || f->text_in_eqs || f->bad_paths || f->protocol_errors ||
	       f->entry_violations;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The first path in mask, by number. */
static enum eqs_path first_path(unsigned mask)
{
	return (enum eqs_path)__builtin_ctz(mask);
}

enum eqs_verdict verdict_judge(const struct eqs_variant *v, enum eqs_model model,
			       enum eqs_expect expect, const struct verdict_facts *f,
			       const struct verdict_words *w, char *msg, size_t len)
{
	unsigned broken = v->broken_paths |
			  ((unsigned)model < EQS_MODEL_COUNT ? v->broken_paths_under[model] : 0);
	unsigned safe_violated = f->violated_paths & ~broken;

	if (f->hung) {
		snprintf(msg, len, "%s", or_empty(w->hang));
		return expect == EQS_EXPECT_HANG ? EQS_VERDICT_MATCH : EQS_VERDICT_HANG;
	}
	if (f->error) {
		snprintf(msg, len, "%s", f->error);
		return EQS_VERDICT_ERROR;
	}
	if (f->misuses) {
		snprintf(msg, len, "error: the variant called %s (%llu such calls)%s",
			 f->misuse ? f->misuse : "a block with what it cannot take",
			 (unsigned long long)f->misuses, or_empty(w->where));
		return EQS_VERDICT_ERROR;
	}
	if (f->text_in_eqs || f->bad_paths) {
		snprintf(msg, len,
			 "error: text executed %llu times in EQS; %llu EQS paths that did not "
			 "tell RCU (eqs_rcu_exit / eqs_rcu_enter)%s",
			 (unsigned long long)f->text_in_eqs, (unsigned long long)f->bad_paths,
			 or_empty(w->where));
		return EQS_VERDICT_ERROR;
	}
	if (f->protocol_errors || f->entry_violations) {
		snprintf(msg, len,
			 "protocol error: %llu of %llu entry-code patches synced without "
			 "interrupting every CPU, %llu stale entry-code executions (noinstr "
			 "entry code runs before RCU knows the CPU left EQS: no deferral covers "
			 "it)%s",
			 (unsigned long long)f->protocol_errors,
			 (unsigned long long)f->entry_patches,
			 (unsigned long long)f->entry_violations, or_empty(w->where));
		return EQS_VERDICT_ERROR;
	}
	if (expect == EQS_EXPECT_BUG && safe_violated) {
		snprintf(msg, len,
			 "simulator error: violation on the %s path, which the variant declares "
			 "safe",
			 eqs_path_name(first_path(safe_violated)));
		return EQS_VERDICT_ERROR;
	}
	switch (expect) {
	case EQS_EXPECT_BUG:
		snprintf(msg, len, "%s", or_empty(f->violations ? w->caught : w->not_caught));
		return f->violations ? EQS_VERDICT_MATCH : EQS_VERDICT_MISMATCH;
	case EQS_EXPECT_OK:
		if (f->violations) {
			snprintf(msg, len, "%s", or_empty(w->violated));
			return EQS_VERDICT_MISMATCH;
		}
		snprintf(msg, len, "%s", or_empty(f->earned ? w->clean : w->short_of));
		return f->earned ? EQS_VERDICT_MATCH : EQS_VERDICT_INCONCLUSIVE;
	case EQS_EXPECT_HANG:
		snprintf(msg, len, "%s", or_empty(w->finished));
		return EQS_VERDICT_MISMATCH;
	case EQS_EXPECT_NA:
		break;
	}
	snprintf(msg, len, "%s", or_empty(w->no_expectation));
	return w->na;
}
