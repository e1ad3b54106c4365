/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * json.h - the command-line tools' JSON writer: one value at a time onto
 * a FILE*, with strings escaped and the commas between members placed by
 * the writer.  Inside an object every call takes a key; inside an array,
 * or for the top-level value, the key is NULL.
 */
#ifndef EQS_JSON_H
#define EQS_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *f;
	int depth;			/* open objects and arrays */
	bool empty[JSON_MAX_DEPTH + 1]; /* nothing written yet at that depth */
};

void json_init(struct json *j, FILE *f);

void json_begin_object(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_begin_array(struct json *j, const char *key);
void json_end_array(struct json *j);

/* s escaped: '"', '\\' and every byte below 0x20. */
void json_string(struct json *j, const char *key, const char *s);
void json_uint(struct json *j, const char *key, unsigned long long v);
void json_int(struct json *j, const char *key, long long v);
/* v with decimals digits after the point ("%.*f"); null if not finite. */
void json_double(struct json *j, const char *key, double v, int decimals);
/* v with digits significant digits ("%.*g"); null if not finite. */
void json_double_g(struct json *j, const char *key, double v, int digits);
void json_bool(struct json *j, const char *key, bool v);
void json_null(struct json *j, const char *key);
/* text as written if it is a JSON number ("12", "-0.50", "1e3"), else as a string. */
void json_number_text(struct json *j, const char *key, const char *text);
/* An array of n strings. */
void json_string_array(struct json *j, const char *key, const char *const *v, int n);

/* s as a quoted, escaped JSON string literal. */
void json_write_escaped(FILE *f, const char *s);
/* Whether text is exactly one number in JSON's grammar. */
bool json_is_number(const char *text);

#endif /* EQS_JSON_H */
