/*
 * cli.c - the helpers every command-line tool uses: usage errors, count
 * and --variant parsing, the architecture's name, joined name lists.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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

unsigned long long cli_parse_count(const char *opt, const char *s, unsigned long long lo,
				   unsigned long long hi)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);

	/* Digits only: strtoull alone would skip a blank and wrap a minus sign. */
	if (*s < '0' || *s > '9' || *end || errno || n < lo || n > hi)
		cli_bad_usage("%s: '%s' is not an integer in %llu..%llu", opt, s, lo, hi);
	return n;
}

int cli_parse_variants(char *list, const struct eqs_variant **out, int max, const char *listing)
{
	int n = 0;

	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const struct eqs_variant *v = eqs_variant_find(name);

		if (!v)
			cli_bad_usage("unknown variant '%s' (see %s)", name, listing);
		if (n == max)
			cli_bad_usage("--variant: too many variants");
		out[n++] = v;
	}
	if (!n)
		cli_bad_usage("--variant: empty list");
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
