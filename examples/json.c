/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.c - the streaming JSON writer of the command-line tools: escaping,
 * number formats, and which member needs a comma before it.
 */
#include <math.h>
#include <stdlib.h>

#include "json.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->empty[0] = true;
}

void json_write_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* The comma, if a member came before at this depth, and the key. */
static void member(struct json *j, const char *key)
{
	if (!j->empty[j->depth])
		fputc(',', j->f);
	j->empty[j->depth] = false;
	if (key) {
		json_write_escaped(j->f, key);
		fputc(':', j->f);
	}
}

static void open_value(struct json *j, const char *key, char c)
{
	if (j->depth == JSON_MAX_DEPTH) {
		fprintf(stderr, "json: nested deeper than %d\n", JSON_MAX_DEPTH);
		abort();
	}
	member(j, key);
	fputc(c, j->f);
	j->empty[++j->depth] = true;
}

static void close_value(struct json *j, char c)
{
	if (!j->depth) {
		fprintf(stderr, "json: '%c' with nothing open\n", c);
		abort();
	}
	j->depth--;
	fputc(c, j->f);
	if (!j->depth)
		j->empty[0] = true; /* the next top-level value stands alone */
}

void json_begin_object(struct json *j, const char *key)
{
	open_value(j, key, '{');
}

void json_end_object(struct json *j)
{
	close_value(j, '}');
}

void json_begin_array(struct json *j, const char *key)
{
	open_value(j, key, '[');
}

void json_end_array(struct json *j)
{
	close_value(j, ']');
}

void json_string(struct json *j, const char *key, const char *s)
{
	member(j, key);
	json_write_escaped(j->f, s);
}

void json_uint(struct json *j, const char *key, unsigned long long v)
{
	member(j, key);
	fprintf(j->f, "%llu", v);
}

void json_int(struct json *j, const char *key, long long v)
{
	member(j, key);
	fprintf(j->f, "%lld", v);
}

void json_double(struct json *j, const char *key, double v, int decimals)
{
	member(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.*f", decimals, v);
	else
		fputs("null", j->f);
}

void json_double_g(struct json *j, const char *key, double v, int digits)
{
	member(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.*g", digits, v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

static const char *skip_digits(const char *p)
{
	while (*p >= '0' && *p <= '9')
		p++;
	return p;
}

bool json_is_number(const char *text)
{
	const char *p = text, *q;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		p = skip_digits(p);
	else
		return false;
	if (*p == '.') {
		q = skip_digits(++p);
		if (q == p)
			return false;
		p = q;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		q = skip_digits(p);
		if (q == p)
			return false;
		p = q;
	}
	return !*p;
}

void json_number_text(struct json *j, const char *key, const char *text)
{
	member(j, key);
	if (json_is_number(text))
		fputs(text, j->f);
	else
		json_write_escaped(j->f, text);
}

void json_string_array(struct json *j, const char *key, const char *const *v, int n)
{
	json_begin_array(j, key);
	for (int i = 0; i < n; i++)
		json_string(j, NULL, v[i]);
	json_end_array(j);
}
