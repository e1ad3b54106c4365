/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * config.c - a run's configuration: its defaults, its checks, and --delay
 * parsing (include/eqssim/stress.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "ordering_points.h"

void eqs_config_default(struct eqs_config *cfg)
{
	long host = sysconf(_SC_NPROCESSORS_ONLN);

	memset(cfg, 0, sizeof(*cfg));
	cfg->cpus = host < 2 ? 2 : host > EQS_MAX_CPUS ? EQS_MAX_CPUS : (unsigned)host;
	cfg->nohz_full = ~0ull;
	cfg->duration_s = 10;
	cfg->min_duration_s = 0.25;
	cfg->seed = 1;
	/*
	 * Per path taken.  Races are counted strictly (race.c): on the idle
	 * path the window from the wake interrupt's exception return to
	 * rcu_idle_exit is a few instructions, so 30 each already takes a
	 * second or more under qemu.
	 */
	cfg->min_races = 30;
	cfg->sites = 4;
	cfg->entry_sites = 1;
	cfg->weights[EQS_ACT_KERNEL] = 3;
	cfg->weights[EQS_ACT_SYSCALL] = 3;
	cfg->weights[EQS_ACT_IDLE] = 2;
	cfg->weights[EQS_ACT_IRQ] = 1;
	cfg->weights[EQS_ACT_GUEST] = 2;
	cfg->weights[EQS_ACT_NMI] = 1;
	cfg->kernel_ns = 1000;
	cfg->user_ns = 1000;
	cfg->idle_ns = 2000;
	cfg->guest_ns = 1500;
	cfg->patch_gap_ns = 2000;
	cfg->jitter = 16;
	cfg->aim = true;
	cfg->aim_spread_ns = 100;
}

int eqs_config_check(const struct eqs_config *cfg, char *err, size_t errlen)
{
	unsigned total = 0;
	int ret = edit_check(&cfg->edit, err, errlen);

	if (!ret)
		ret = edit_check(&cfg->edit2, err, errlen);
	if (ret)
		return ret;
	if (cfg->cpus < 1 || cfg->cpus > EQS_MAX_CPUS)
		return eqs_error(err, errlen, -EINVAL, "cpus must be 1..%d, not %u", EQS_MAX_CPUS,
				 cfg->cpus);
	if (cfg->sites < 1 || cfg->sites > EQS_MAX_SITES)
		return eqs_error(err, errlen, -EINVAL, "sites must be 1..%d, not %u", EQS_MAX_SITES,
				 cfg->sites);
	if (cfg->sites + cfg->entry_sites > EQS_MAX_SITES)
		return eqs_error(err, errlen, -EINVAL, "sites + entry sites must be at most %d",
				 EQS_MAX_SITES);
	if (cfg->entry_patch_percent > 100)
		return eqs_error(err, errlen, -EINVAL, "entry patch share above 100%%");
	if (cfg->entry_patch_percent && !cfg->entry_sites)
		return eqs_error(err, errlen, -EINVAL,
				 "entry patches asked for, but no entry sites");
	if (!(cfg->duration_s > 0) && !cfg->patches)
		return eqs_error(err, errlen, -EINVAL, "need a positive duration or a patch count");
	if (cfg->duration_s > 86400)
		return eqs_error(err, errlen, -EINVAL, "duration above one day");
	if (!(cfg->min_duration_s >= 0) || cfg->min_duration_s > 86400)
		return eqs_error(err, errlen, -EINVAL, "minimum duration must be 0..86400 s");
	for (int a = 0; a < EQS_ACT_COUNT; a++)
		total += cfg->weights[a];
	if (!total)
		return eqs_error(err, errlen, -EINVAL, "all action weights are zero");
	for (int s = 0; s < EQS_MAX_STEPS; s++) {
		if (!cfg->delay_ns[s])
			continue;
		if (s >= eqs_step_count())
			return eqs_error(err, errlen, -EINVAL,
					 "a delay at step %d, which nobody registered (%d steps)",
					 s, eqs_step_count());
		if (cfg->delay_ns[s] > 1000000000u)
			return eqs_error(err, errlen, -EINVAL,
					 "delay at step '%s' of %u ns: at most 1 s (1000000000)",
					 eqs_step_name(s), cfg->delay_ns[s]);
		if (eqs_step_in_patch_window(s))
			return eqs_error(
				err, errlen, -EINVAL,
				"step '%s' is inside the patcher's write/barrier/read window and cannot be delayed",
				eqs_step_name(s));
	}
	if (cfg->jitter > 100000)
		return eqs_error(err, errlen, -EINVAL, "jitter of %u spins: at most 100000",
				 cfg->jitter);
	if (!cfg->min_races)
		return eqs_error(err, errlen, -EINVAL, "min_races must be at least 1");
	if (cfg->aim_spread_ns > 1000000)
		return eqs_error(err, errlen, -EINVAL,
				 "aim spread of %u ns: at most 1000000 (1 ms)", cfg->aim_spread_ns);
	return 0;
}

int eqs_config_set_delay(struct eqs_config *cfg, const char *spec, char *err, size_t errlen)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	char name[64];

	if (!eq || eq == spec || (size_t)(eq - spec) >= sizeof(name))
		return eqs_error(err, errlen, -EINVAL, "--delay wants STEP=NS, got '%s'",
				 spec ? spec : "");
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	int step = eqs_step_lookup(name);

	if (step < 0)
		return eqs_error(err, errlen, -ENOENT, "unknown step '%s' (see --list-steps)",
				 name);
	if (eqs_step_in_patch_window(step))
		return eqs_error(
			err, errlen, -EINVAL,
			"step '%s' is inside the patcher's write/barrier/read window and cannot be delayed",
			name);
	char *end;
	const char *num = eq + 1;

	errno = 0;
	unsigned long long ns = strtoull(num, &end, 10);

	if (*num < '0' || *num > '9' || *end || errno || ns == 0 || ns > 1000000000ull)
		return eqs_error(err, errlen, -EINVAL,
				 "--delay %s: NS must be an integer in 1..1000000000", spec);
	cfg->delay_ns[step] = (uint32_t)ns;
	return 0;
}
