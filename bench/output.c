/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * output.c - eqssim-bench's figures as greppable SUMMARY lines or JSON
 * lines, and the statistics helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "clock.h"
#include "json.h"

double bench_now_s(void)
{
	return clock_mono_s();
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

void bench_figure(const struct bench_opts *o, const char *name, const char *fmt, ...)
{
	char body[1024];
	struct json j;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (!o->json) {
		printf("SUMMARY name=%s %s\n", name, body);
		fflush(stdout);
		return;
	}
	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "name", name);
	for (char *save = NULL, *kv = strtok_r(body, " ", &save); kv;
	     kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');

		if (!eq)
			continue;
		*eq = '\0';
		json_number_text(&j, kv, eq + 1);
	}
	json_end_object(&j);
	putchar('\n');
	fflush(stdout);
}
