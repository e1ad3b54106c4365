/*
 * cli.h - what the command-line tools share: a one-line usage error that
 * exits 2, and strict parsing of counts.  Each tool defines cli_prog.
 */
#ifndef EQS_CLI_H
#define EQS_CLI_H

extern const char *cli_prog;

/* Print "PROG: MESSAGE (try --help)" to stderr and exit 2. */
void cli_bad_usage(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* getopt_long's ':' (missing value) or '?' (unknown option): a usage error. */
void cli_option_error(int opt, char **argv) __attribute__((noreturn));
/* s as a whole decimal number in lo..hi, or a usage error naming opt. */
unsigned long long cli_parse_count(const char *opt, const char *s, unsigned long long lo,
				   unsigned long long hi);

#endif /* EQS_CLI_H */
