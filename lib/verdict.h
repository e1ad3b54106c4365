/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * verdict.h - one judge for every driver: what a run showed (its facts,
 * summed from the machine's counts by sim_facts(), plus the driver's view
 * of coverage) against the variant's expectation in a model.  Stress and
 * exploration word their messages differently; the rules and their order
 * are here and only here.
 */
#ifndef EQS_VERDICT_H
#define EQS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eqssim.h"

struct sim;

struct verdict_facts {
	uint64_t violations;
	unsigned violated_paths;   /* EQS_PATH_BIT of each path a violation came through */
	uint64_t text_in_eqs;	   /* simulator errors: text executed in EQS, */
	uint64_t bad_paths;	   /* a variant's path that never told RCU */
	uint64_t entry_patches;	   /* entry-code patches, */
	uint64_t protocol_errors;  /* ... synced without interrupting every CPU */
	uint64_t entry_violations; /* stale entry code run after its sync completed */
	uint64_t misuses;	   /* blocks called with what they cannot take, */
	const char *misuse;	   /* ... the first of them */
	bool hung;
	/* The driver's: a clean run's result is earned (enough races; the search complete). */
	bool earned;
	/* The driver's own error (a schedule that does not fit, ...), or NULL. */
	const char *error;
};

/* How a driver words each outcome (already formatted). */
struct verdict_words {
	const char *hang;	/* the run hung */
	const char *caught;	/* a buggy variant caught */
	const char *not_caught; /* a buggy variant not caught */
	const char *violated;	/* a correct variant violated */
	const char *clean;	/* a correct variant clean, and earned */
	const char *short_of;	/* a correct variant clean, not earned */
	const char *finished;	/* a variant expected to hang finished */
	const char *no_expectation;
	enum eqs_verdict na; /* the verdict with no expectation in this model */
	const char *where;   /* appended to an error's message (", in schedule ..."), or NULL */
};

/*
 * Judge: the verdict of variant v, expected to show expect under model,
 * given the facts; msg (len bytes) says why.  In order: a hang; a
 * simulator error; a protocol error or stale entry code (never a match,
 * whatever the oracle saw); a violation on a path the variant declares
 * safe; then the expectation.
 */
enum eqs_verdict verdict_judge(const struct eqs_variant *v, enum eqs_model model,
			       enum eqs_expect expect, const struct verdict_facts *f,
			       const struct verdict_words *w, char *msg, size_t len);

/* Does f hold an error that ends a run whatever else it shows? */
bool verdict_has_error(const struct verdict_facts *f);

/* What a run's CPUs and patcher counted, summed (after the threads stopped, or relaxed). */
void sim_facts(const struct sim *sim, struct verdict_facts *f);

#endif /* EQS_VERDICT_H */
