/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli_parse.c - the strict parsers behind cli_parse.h: numbers, seconds,
 * CPU lists, action weights, variant and path lists, shards.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_parse.h"

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* One line, whatever the value held: a control character shows as '?'. */
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -EINVAL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int cli_count(const char *opt, const char *s, unsigned long long lo, unsigned long long hi,
	      unsigned long long *out, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);

	/* Digits only: strtoull alone would skip a blank and wrap a minus sign. */
	if (!is_digit(*s) || *end || errno || n < lo || n > hi)
		return bad(err, errlen, "%s: '%s' is not an integer in %llu..%llu", opt, s, lo, hi);
	*out = n;
	return 0;
}

int cli_seconds(const char *opt, const char *s, double *out, char *err, size_t errlen)
{
	char *end;

	errno = 0;
	double d = strtod(s, &end);

	/* A plain decimal: no blank, sign, hex or "inf" (strtod takes them all). */
	if (!(is_digit(*s) || *s == '.') || strpbrk(s, "xXnN") || *end || errno || !(d > 0) ||
	    d > 86400)
		return bad(err, errlen, "%s: '%s' is not a number of seconds in (0, 86400]", opt,
			   s);
	*out = d;
	return 0;
}

/* One CPU number at *p, below EQS_MAX_CPUS; moves *p past it. */
static int cpu_number(const char **p, unsigned long *out)
{
	unsigned long n = 0;

	if (!is_digit(**p))
		return -EINVAL;
	for (; is_digit(**p); (*p)++) {
		n = n * 10 + (unsigned long)(**p - '0');
		if (n >= EQS_MAX_CPUS)
			return -ERANGE;
	}
	*out = n;
	return 0;
}

int cli_cpu_list(const char *opt, const char *s, uint64_t *mask, char *err, size_t errlen)
{
	const char *p = s;
	uint64_t m = 0;

	if (!strcmp(s, "all") || !strcmp(s, "none")) {
		*mask = s[0] == 'a' ? ~0ull : 0;
		return 0;
	}
	if (!*s)
		return bad(err, errlen,
			   "%s: empty CPU list (give all, none or a list such as 0,2-3)", opt);
	for (;;) {
		unsigned long lo, hi;
		int r = cpu_number(&p, &lo);

		if (!r && *p == '-') {
			p++;
			r = cpu_number(&p, &hi);
		} else {
			hi = lo;
		}
		if (r == -ERANGE)
			return bad(err, errlen, "%s: '%s' names a CPU beyond %d", opt, s,
				   EQS_MAX_CPUS - 1);
		if (r || hi < lo)
			return bad(err, errlen, "%s: bad CPU list '%s'", opt, s);
		for (unsigned long c = lo; c <= hi; c++)
			m |= 1ull << c;
		if (!*p)
			break;
		if (*p != ',')
			return bad(err, errlen, "%s: bad CPU list '%s'", opt, s);
		p++;
	}
	*mask = m;
	return 0;
}

int cli_weight(const char *opt, const char *spec, struct eqs_config *cfg, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');

	if (!eq)
		return bad(err, errlen, "%s wants ACTION=N, got '%s'", opt, spec);
	for (int a = 0; a < EQS_ACT_COUNT; a++) {
		const char *name = eqs_action_name((enum eqs_action)a);
		unsigned long long n = 0;

		if (strlen(name) != (size_t)(eq - spec) || strncmp(spec, name, strlen(name)))
			continue;
		if (cli_count(opt, eq + 1, 0, 1000000, &n, err, errlen))
			return -EINVAL;
		cfg->weights[a] = (unsigned)n;
		return 0;
	}
	return bad(err, errlen,
		   "%s: unknown action in '%s' (kernel, syscall, idle, irq, guest, nmi)", opt,
		   spec);
}

int cli_variant_list(const char *opt, char *list, const struct eqs_variant **out, int max, int *n,
		     const char *listing, char *err, size_t errlen)
{
	int count = 0;

	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		const struct eqs_variant *v = eqs_variant_find(name);

		if (!v)
			return bad(err, errlen, "%s: unknown variant '%s' (see %s)", opt, name,
				   listing);
		if (count == max)
			return bad(err, errlen, "%s: more than %d variants", opt, max);
		out[count++] = v;
	}
	if (!count)
		return bad(err, errlen, "%s: empty list", opt);
	*n = count;
	return 0;
}

int cli_path_list(const char *opt, char *list, enum eqs_path *out, unsigned max, unsigned *n,
		  char *err, size_t errlen)
{
	unsigned count = 0;

	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		int p = 0;

		while (p < EQS_PATH_COUNT && strcmp(eqs_path_name((enum eqs_path)p), name))
			p++;
		if (p == EQS_PATH_COUNT)
			return bad(err, errlen,
				   "%s: unknown path '%s' (user, idle, irq, guest, uirq, nmi)", opt,
				   name);
		if (count == max)
			return bad(err, errlen, "%s: at most %u paths", opt, max);
		out[count++] = (enum eqs_path)p;
	}
	if (!count)
		return bad(err, errlen, "%s: empty list", opt);
	*n = count;
	return 0;
}

int cli_model_list(const char *opt, char *list, enum eqs_model *out, unsigned *n, char *err,
		   size_t errlen)
{
	static const enum eqs_model explorable[] = { EQS_MODEL_SC, EQS_MODEL_TSO,
						     EQS_MODEL_ARM_IFETCH };
	unsigned count = 0;

	for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		unsigned m = 0;

		while (m < 3 && strcmp(eqs_model_name(explorable[m]), name))
			m++;
		if (m == 3)
			return bad(err, errlen, "%s: unknown model '%s' (sc, tso, arm-ifetch)", opt,
				   name);
		for (unsigned i = 0; i < count; i++)
			if (out[i] == explorable[m])
				return bad(err, errlen, "%s: '%s' given twice", opt, name);
		out[count++] = explorable[m];
	}
	if (!count)
		return bad(err, errlen, "%s: empty list", opt);
	*n = count;
	return 0;
}

int cli_shard(const char *opt, const char *s, unsigned *index, unsigned *count, char *err,
	      size_t errlen)
{
	const char *slash = strchr(s, '/');
	unsigned long long i = 0, n = 0;
	char part[24], why[EQS_ERRLEN];

	if (!slash || (size_t)(slash - s) >= sizeof(part))
		return bad(err, errlen, "%s wants I/N (shard I of N, 0 <= I < N), got '%s'", opt,
			   s);
	memcpy(part, s, (size_t)(slash - s));
	part[slash - s] = '\0';
	if (cli_count(opt, slash + 1, 1, CLI_MAX_SHARDS, &n, why, sizeof(why)) ||
	    cli_count(opt, part, 0, CLI_MAX_SHARDS, &i, why, sizeof(why)))
		return bad(
			err, errlen,
			"%s wants I/N with N in 1..%u and I in 0..N-1 (plain decimals), got '%s'",
			opt, CLI_MAX_SHARDS, s);
	if (i >= n)
		return bad(err, errlen, "%s: '%s': shard I must be below N (0..%llu)", opt, s,
			   n - 1);
	*index = (unsigned)i;
	*count = (unsigned)n;
	return 0;
}
