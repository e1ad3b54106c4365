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

#endif /* EQS_ERROR_H */
