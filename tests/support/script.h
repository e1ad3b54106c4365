/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * script.h - test support: scripted interleavings, a driver of the
 * simulated machine.  CPU and patcher threads run for real but one at a
 * time, each until a named step, in the order a script gives.  With it a
 * test pins down the exact race of the seed (patch lands between the isb
 * and RCU's exit) instead of hoping stress finds it.
 */
#ifndef EQS_SCRIPT_H
#define EQS_SCRIPT_H

#include <stdbool.h>

#include "driver.h"
#include "error.h"
#include "eqssim.h"

#define SCRIPT_PATCHER	 EQS_MAX_CPUS /* thread index of the patcher */
#define SCRIPT_END_SITES (~0u)

struct script_entry {
	unsigned thread; /* CPU number or SCRIPT_PATCHER */
	enum step until; /* run until about to execute this step */
};

struct script_result {
	uint64_t violations;
	uint64_t violations_on_path[EQS_PATH_COUNT];
	struct eqs_violation first;
	char message[EQS_ERRLEN]; /* set when the script could not be followed */
};

/*
 * Run variant v with ncpu CPUs: CPU n performs actions[n] (CPU_OP_END
 * ends each list), the patcher
 * patches sites[] in turn; threads move only as entries[] say, then each
 * runs to its end.  Returns 0, or -EPROTO with res->message when a thread
 * stopped somewhere other than where the script said.
 */
int script_run(const struct eqs_variant *v, unsigned ncpu, const enum cpu_op *const actions[],
	       const unsigned *sites, const struct script_entry *entries, unsigned nr_entries,
	       struct script_result *res);

#endif /* EQS_SCRIPT_H */
