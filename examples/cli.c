/*
 * cli.c - usage errors and count parsing for the command-line tools.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

void cli_bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (try --help)\n");
	exit(2);
}

void cli_option_error(int opt, char **argv)
{
	if (opt == ':')
		cli_bad_usage("option '%s' needs a value", argv[optind - 1]);
	cli_bad_usage("unknown option '%s'", argv[optind - 1]);
}

unsigned long long cli_parse_count(const char *opt, const char *s, unsigned long long lo,
				   unsigned long long hi)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);

	if (!*s || *end || errno || s[0] == '-' || n < lo || n > hi)
		cli_bad_usage("%s: '%s' is not an integer in %llu..%llu", opt, s, lo, hi);
	return n;
}
