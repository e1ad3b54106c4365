/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h - what the command-line tools share: a one-line usage error that
 * exits 2, strict parsing of counts and of --variant lists, the build's
 * architecture, and name lists joined for printing.  Each tool defines
 * cli_prog.
 */
#ifndef EQS_CLI_H
#define EQS_CLI_H

#include <stddef.h>

struct eqs_variant;

extern const char *cli_prog;

/* Print "PROG: MESSAGE (try --help)" to stderr and exit 2. */
void cli_bad_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* getopt_long's ':' (missing value) or '?' (unknown option): a usage error. */
void cli_option_error(int opt, char **argv) __attribute__((noreturn));
/* A usage error if an operand is left after the options. */
void cli_no_operands(int argc, char **argv);
/* A parser's (cli_parse.h) nonzero ret: err is the usage error. */
void cli_check(int ret, const char *err);
/* s as a whole decimal number in lo..hi, or a usage error naming opt. */
unsigned long long cli_parse_count(const char *opt, const char *s, unsigned long long lo,
				   unsigned long long hi);
/*
 * --variant's "a,b,c" (cut up in place) into out[0..max); returns the count.
 * An unknown name is a usage error pointing at listing, where names are.
 */
int cli_parse_variants(char *list, const struct eqs_variant **out, int max, const char *listing);
/* Every variant, in table order, into out[0..max); returns the count. */
int cli_all_variants(const struct eqs_variant **out, int max);

/* "aarch64", "x86_64" or "other": what the tool was built for. */
const char *cli_arch_name(void);
/*
 * The names of the paths in mask (EQS_PATH_BIT), in path order, into
 * names[EQS_PATH_COUNT]; returns how many.
 */
int cli_path_names(unsigned mask, const char **names);
/* names[0..n) joined by commas into buf, or empty when n is 0; returns buf. */
const char *cli_join(char *buf, size_t len, const char *const *names, int n, const char *empty);

#endif /* EQS_CLI_H */
