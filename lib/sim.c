/*
 * sim.c - building and tearing down one simulation around its driver, and
 * the configuration it is built from (defaults, checks, --delay parsing).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "driver.h"

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

/* The step whose ordering blocks edit e acts on, as a bit (0: none). */
static uint64_t edited_block(const struct eqs_edit *e)
{
	if (e->kind == EQS_EDIT_NONE || e->point.kind != EQS_POINT_BLOCK ||
	    (unsigned)e->point.step >= 64)
		return 0;
	return 1ull << e->point.step;
}

/* Everything but the checks and the CPUs' memory, which the callers own. */
static void sim_start(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
		      const struct sim_driver *driver, void *driver_data, struct eqs_cpu *cpus)
{
	memset(sim, 0, sizeof(*sim));
	sim->v = v;
	sim->rcu = rcu_layout_of(v->rcu);
	sim->driver = driver;
	sim->driver_data = driver_data;
	sim->hook_slow = driver && driver->step && !driver->step_only_after_hang;
	sim->quiet_patch_window = driver && driver->quiet_in_patch_window;
	sim->quiet_exit_window = driver && driver->quiet_in_exit_window;
	sim->cfg = *cfg;
	sim->ncpu = cfg->cpus;
	text_init(&sim->text, cfg->sites, cfg->entry_sites, cfg->ctr_idc, cfg->ctr_dic);
	sim->cpus = cpus;
	memset(cpus, 0, sizeof(*cpus) * sim->ncpu);
	sim->trace_time = cfg->trace_time;
	sim->points_on = cfg->edit.kind != EQS_EDIT_NONE || cfg->edit2.kind != EQS_EDIT_NONE;
	sim->boundaries_on =
		cfg->edit.kind >= EQS_EDIT_INSERT_ISB || cfg->edit2.kind >= EQS_EDIT_INSERT_ISB;
	sim->edited_blocks = edited_block(&cfg->edit) | edited_block(&cfg->edit2);
	for (unsigned i = 0; i < sim->ncpu; i++)
		cpu_init(sim, &sim->cpus[i], i);
	patcher_init(sim);
	sim_set_slow(sim);
	sim->t0 = cycles_now();
}

/* Each thread's t->slow, from what the run's steps must do beyond their record. */
void sim_set_slow(struct sim *sim)
{
	const struct sim_driver *d = sim->driver;
	int slow = sim->boundaries_on || sim->trace_time || load_relaxed(&sim->hook_slow) ||
		   (d && d->value);

	for (unsigned i = 0; i < sim->ncpu; i++)
		store_relaxed(&sim->cpus[i].t.slow, slow);
	store_relaxed(&sim->patcher.t.slow, slow);
}

void step_slow(struct sim_thread *t, enum step s, bool in_window)
{
	struct sim *sim = t->sim;
	bool quiet = in_window ? load_relaxed(&sim->quiet_patch_window)
			       : t->in_exit_window && load_relaxed(&sim->quiet_exit_window);

	if (sim->boundaries_on)
		point_boundary(t, s);
	ring_record(t, s, !in_window);
	if (load_relaxed(&sim->hook_slow) && !quiet)
		sim->driver->step(t, s, in_window);
}

void step_value_slow(struct sim_thread *t, uint32_t value, uint32_t value2)
{
	const struct sim_driver *d = t->sim->driver;

	if (d && d->value)
		d->value(t, value, value2);
}

int sim_init(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
	     const struct sim_driver *driver, void *driver_data, char *err, size_t errlen)
{
	int ret = eqs_config_check(cfg, err, errlen);
	struct eqs_cpu *cpus;

	memset(sim, 0, sizeof(*sim));
	if (ret)
		return ret;
	if (!rcu_layout_of(v->rcu))
		return eqs_error(err, errlen, -EINVAL, "variant '%s': unknown RCU layout %d",
				 v->name, (int)v->rcu);
	cpus = sim_alloc(struct eqs_cpu, cfg->cpus);
	if (!cpus)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	sim_start(sim, v, cfg, driver, driver_data, cpus);
	return 0;
}

void sim_restart(struct sim *sim)
{
	struct eqs_config cfg = sim->cfg;

	sim_start(sim, sim->v, &cfg, sim->driver, sim->driver_data, sim->cpus);
}

void sim_list_points(struct sim *sim)
{
	sim->record_points = true;
	sim->points_on = true;
	sim->boundaries_on = true;
	sim_set_slow(sim);
}

void *sim_alloc_aligned(size_t align, size_t size)
{
	size_t rounded = (size + align - 1) / align * align; /* aligned_alloc wants a multiple */
	void *p = aligned_alloc(align, rounded ? rounded : align);

	if (p)
		memset(p, 0, rounded);
	return p;
}

void sim_destroy(struct sim *sim)
{
	free(sim->cpus);
	free(sim->patcher.sync_cycles);
	sim->cpus = NULL;
	sim->patcher.sync_cycles = NULL;
}
