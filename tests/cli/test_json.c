/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_json.c - the command-line tools' JSON writer (examples/json.c):
 * string escaping, commas in nested objects and arrays, and the number,
 * bool and null forms, checked byte for byte.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "json.h"

struct capture {
	char *buf;
	size_t len;
	FILE *f;
	struct json j;
};

static void capture_start(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	json_init(&c->j, c->f);
}

/* Close the stream, compare, free. */
static void capture_check(struct capture *c, const char *want)
{
	assert_int_equal(fclose(c->f), 0);
	assert_string_equal(c->buf, want);
	free(c->buf);
}

static void test_string_escapes(void **state)
{
	struct capture c;

	(void)state;
	capture_start(&c);
	json_begin_object(&c.j, NULL);
	json_string(&c.j, "s", "a\"b\\c\nd\te\x01z");
	json_string(&c.j, "more", "\b\f\r\x1f/\x7f");
	json_string(&c.j, "k\"ey", "");
	json_end_object(&c.j);
	capture_check(&c, "{\"s\":\"a\\\"b\\\\c\\nd\\te\\u0001z\","
			  "\"more\":\"\\b\\f\\r\\u001f/\x7f\",\"k\\\"ey\":\"\"}");
}

static void test_nesting_and_commas(void **state)
{
	static const char *const names[] = { "user", "idle" };
	struct capture c;

	(void)state;
	capture_start(&c);
	json_begin_object(&c.j, NULL);
	json_string(&c.j, "a", "x");
	json_begin_object(&c.j, "inner");
	json_begin_array(&c.j, "list");
	json_string(&c.j, NULL, "p");
	json_uint(&c.j, NULL, 2);
	json_begin_object(&c.j, NULL);
	json_end_object(&c.j);
	json_end_array(&c.j);
	json_string_array(&c.j, "empty", names, 0);
	json_end_object(&c.j);
	json_string_array(&c.j, "paths", names, 2);
	json_uint(&c.j, "z", 0);
	json_end_object(&c.j);
	/* A second top-level value starts without a comma. */
	json_begin_array(&c.j, NULL);
	json_end_array(&c.j);
	capture_check(&c, "{\"a\":\"x\",\"inner\":{\"list\":[\"p\",2,{}],\"empty\":[]},"
			  "\"paths\":[\"user\",\"idle\"],\"z\":0}[]");
}

static void test_numbers_bool_null(void **state)
{
	struct capture c;

	(void)state;
	capture_start(&c);
	json_begin_object(&c.j, NULL);
	json_uint(&c.j, "u", 18446744073709551615ull);
	json_int(&c.j, "i", -42);
	json_int(&c.j, "min", INT64_MIN);
	json_double(&c.j, "s", 0.30849, 3);
	json_double(&c.j, "whole", 2.0, 1);
	json_double_g(&c.j, "p", 0.000188964123, 6);
	json_double(&c.j, "inf", INFINITY, 3);
	json_bool(&c.j, "t", true);
	json_bool(&c.j, "f", false);
	json_null(&c.j, "n");
	json_end_object(&c.j);
	capture_check(&c, "{\"u\":18446744073709551615,\"i\":-42,\"min\":-9223372036854775808,"
			  "\"s\":0.308,\"whole\":2.0,\"p\":0.000188964,\"inf\":null,"
			  "\"t\":true,\"f\":false,\"n\":null}");
}

static void test_number_text(void **state)
{
	struct capture c;

	(void)state;
	assert_true(json_is_number("0"));
	assert_true(json_is_number("-12.50"));
	assert_true(json_is_number("1e-3"));
	assert_false(json_is_number(""));
	assert_false(json_is_number("007"));
	assert_false(json_is_number("1."));
	assert_false(json_is_number(".5"));
	assert_false(json_is_number("+1"));
	assert_false(json_is_number("inf"));
	assert_false(json_is_number("0x10"));
	capture_start(&c);
	json_begin_object(&c.j, NULL);
	json_number_text(&c.j, "n", "1.36");
	json_number_text(&c.j, "w", "nan");
	json_number_text(&c.j, "q", "a\"b");
	json_end_object(&c.j);
	capture_check(&c, "{\"n\":1.36,\"w\":\"nan\",\"q\":\"a\\\"b\"}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_escapes),
		cmocka_unit_test(test_nesting_and_commas),
		cmocka_unit_test(test_numbers_bool_null),
		cmocka_unit_test(test_number_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
