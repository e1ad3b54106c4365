/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * names.c - the backend this build runs, its model, and the printable names
 * of the public enums.
 */
#include "barriers.h"
#include "eqssim.h"

const char *eqs_backend(void)
{
	return EQS_BACKEND;
}

enum eqs_model eqs_host_model(void)
{
	return EQS_HOST_MODEL;
}

const char *eqs_model_name(enum eqs_model model)
{
	static const char *const names[EQS_MODEL_COUNT] = {
		[EQS_MODEL_TSO] = "tso", [EQS_MODEL_ARM64] = "arm64",
		[EQS_MODEL_SC] = "sc",	 [EQS_MODEL_ARM_IFETCH] = "arm-ifetch",
		[EQS_MODEL_C11] = "c11",
	};
	return (unsigned)model < EQS_MODEL_COUNT ? names[model] : "?";
}

const char *eqs_path_name(enum eqs_path path)
{
	static const char *const names[EQS_PATH_COUNT] = {
		[EQS_PATH_USER] = "user",   [EQS_PATH_IDLE] = "idle",	  [EQS_PATH_IRQ] = "irq",
		[EQS_PATH_GUEST] = "guest", [EQS_PATH_USER_IRQ] = "uirq", [EQS_PATH_NMI] = "nmi",
	};
	return (unsigned)path < EQS_PATH_COUNT ? names[path] : "?";
}

const char *eqs_action_name(enum eqs_action action)
{
	static const char *const names[EQS_ACT_COUNT] = {
		[EQS_ACT_KERNEL] = "kernel", [EQS_ACT_SYSCALL] = "syscall", [EQS_ACT_IDLE] = "idle",
		[EQS_ACT_IRQ] = "irq",	     [EQS_ACT_GUEST] = "guest",	    [EQS_ACT_NMI] = "nmi",
	};
	return (unsigned)action < EQS_ACT_COUNT ? names[action] : "?";
}

const char *eqs_verdict_name(enum eqs_verdict verdict)
{
	switch (verdict) {
	case EQS_VERDICT_MATCH:
		return "match";
	case EQS_VERDICT_MISMATCH:
		return "mismatch";
	case EQS_VERDICT_INCONCLUSIVE:
		return "inconclusive";
	case EQS_VERDICT_ERROR:
		return "error";
	case EQS_VERDICT_NA:
		return "n/a";
	case EQS_VERDICT_HANG:
		return "hang";
	}
	return "?";
}

const char *eqs_expect_name(enum eqs_expect expect)
{
	switch (expect) {
	case EQS_EXPECT_OK:
		return "correct";
	case EQS_EXPECT_BUG:
		return "buggy";
	case EQS_EXPECT_HANG:
		return "hangs";
	case EQS_EXPECT_NA:
		break;
	}
	return "n/a";
}
