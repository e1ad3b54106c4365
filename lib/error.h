/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * error.h - how the library reports a failure: a negative errno value
 * returned, and a one-line message left in the caller's buffer.  The
 * library never prints and never exits.
 */
#ifndef EQS_ERROR_H
#define EQS_ERROR_H

#include <stddef.h>

/*
 * Fill err (if any, errlen bytes) with the message, control characters
 * shown as '?', and return code.
 */
int eqs_error(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * A thread's log of the calls a variant made with what they cannot take:
 * how many, and the first one's message.  Written by its thread alone; the
 * message is complete before the count says it is there (read the count
 * with acquire).
 */
struct error_log {
	unsigned long long count;
	char first[256];
};
void error_log_note(struct error_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* EQS_ERROR_H */
