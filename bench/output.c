/*
 * output.c - eqssim-bench's figures as greppable SUMMARY lines or JSON
 * lines, and the statistics helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

double bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double bench_quantile(double *v, int n, double q)
{
	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	int i = (int)(q * (n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static bool is_number(const char *s)
{
	char *end;

	if (!*s)
		return false;
	strtod(s, &end);
	return !*end;
}

void bench_figure(const struct bench_opts *o, const char *name, const char *fmt, ...)
{
	char body[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (!o->json) {
		printf("SUMMARY name=%s %s\n", name, body);
		fflush(stdout);
		return;
	}
	printf("{\"name\":\"%s\"", name);
	for (char *save = NULL, *kv = strtok_r(body, " ", &save); kv;
	     kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			continue;
		*eq = '\0';
		if (is_number(eq + 1))
			printf(",\"%s\":%s", kv, eq + 1);
		else
			printf(",\"%s\":\"%s\"", kv, eq + 1);
	}
	printf("}\n");
	fflush(stdout);
}
