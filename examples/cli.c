/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.c - the helpers every command-line tool uses: usage errors (a
 * parser's error from cli_parse.c becomes exit 2 here), counts and
 * --variant lists, the architecture's name, joined name lists.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_parse.h"
#include "eqssim.h"

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

void cli_no_operands(int argc, char **argv)
{
	if (optind < argc)
		cli_bad_usage("unexpected argument '%s'", argv[optind]);
}

void cli_check(int ret, const char *err)
{
	if (ret)
		cli_bad_usage("%s", err);
}

unsigned long long cli_parse_count(const char *opt, const char *s, unsigned long long lo,
				   unsigned long long hi)
{
	char err[EQS_ERRLEN];
	unsigned long long n = 0;

	cli_check(cli_count(opt, s, lo, hi, &n, err, sizeof(err)), err);
	return n;
}

int cli_parse_variants(char *list, const struct eqs_variant **out, int max, const char *listing)
{
	char err[EQS_ERRLEN];
	int n = 0;

	cli_check(cli_variant_list("--variant", list, out, max, &n, listing, err, sizeof(err)),
		  err);
	return n;
}

int cli_all_variants(const struct eqs_variant **out, int max)
{
	int n = 0;

	for (; n < eqs_variant_count() && n < max; n++)
		out[n] = eqs_variant_at(n);
	return n;
}

const char *cli_arch_name(void)
{
#if defined(__aarch64__)
	return "aarch64";
#elif defined(__x86_64__)
	return "x86_64";
#else
	return "other";
#endif
}

int cli_path_names(unsigned mask, const char **names)
{
	int n = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++)
		if (mask & EQS_PATH_BIT(p))
			names[n++] = eqs_path_name((enum eqs_path)p);
	return n;
}

const char *cli_join(char *buf, size_t len, const char *const *names, int n, const char *empty)
{
	size_t used = 0;

	snprintf(buf, len, "%s", n ? "" : empty);
	for (int i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", names[i]);
	return buf;
}
