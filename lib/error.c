/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * error.c - the one-line error message every failing call leaves (error.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "atomic_ops.h"
#include "error.h"

int eqs_error(char *err, size_t errlen, int code, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
		/* One line, whatever the caller's text echoed: a control character shows as '?'. */
		for (char *c = err; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
	}
	return code;
}

void error_log_note(struct error_log *log, const char *fmt, ...)
{
	if (!log->count) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(log->first, sizeof(log->first), fmt, ap);
		va_end(ap);
	}
	/* The message before the count: whoever sees the count sees it whole. */
	store_release(&log->count, log->count + 1);
}
