/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli_parse.h - the tools' option values, parsed strictly: each parser
 * takes the option's name and its text, fills its result and returns 0,
 * or returns -EINVAL with one line naming the option and the value in
 * err.  None of them exits or keeps state, so the fuzzer (tests/fuzz) can
 * call them all; the tools turn an error into exit 2 (cli.h).
 */
#ifndef EQS_CLI_PARSE_H
#define EQS_CLI_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "eqssim.h"

/* s as a whole decimal number in lo..hi: digits only, no sign or blank. */
int cli_count(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out, char *err, size_t errlen);
/* A plain decimal number of seconds in (0, 86400]. */
int cli_seconds(const char *opt, const char *s, double *out, char *err, size_t errlen);
/* --nohz-full: "all", "none" or a list such as "0,2-3", CPUs below EQS_MAX_CPUS. */
int cli_cpu_list(const char *opt, const char *s, uint64_t *mask, char *err, size_t errlen);
/* --weight ACTION=N (N in 0..1000000) into cfg->weights. */
int cli_weight(const char *opt, const char *spec, struct eqs_config *cfg, char *err, size_t errlen);
/*
 * "a,b,c" of variant names (cut up in place) into out[0..max); *n the
 * count.  An unknown name's message points at listing, where names are.
 */
int cli_variant_list(const char *opt, char *list, const struct eqs_variant **out, int max, int *n,
		     const char *listing, char *err, size_t errlen);
/* "idle,irq" of path names (cut up in place) into out[0..max); *n the count. */
int cli_path_list(const char *opt, char *list, enum eqs_path *out, unsigned max, unsigned *n,
		  char *err, size_t errlen);

/*
 * A comma-separated list of exploration models (sc, tso, arm-ifetch),
 * each at most once, into out (room for 3); *n how many.
 */
int cli_model_list(const char *opt, char *list, enum eqs_model *out, unsigned *n, char *err,
		   size_t errlen);

/*
 * --shard I/N: this is shard I of N, 0 <= I < N, N in 1..CLI_MAX_SHARDS,
 * both plain decimals.
 */
#define CLI_MAX_SHARDS 1000000u
int cli_shard(const char *opt, const char *s, unsigned *index, unsigned *count, char *err,
	      size_t errlen);

#endif /* EQS_CLI_PARSE_H */
