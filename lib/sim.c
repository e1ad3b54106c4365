/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sim.c - building, restarting and tearing down one run around its driver:
 * the top of the machine (driver.h says what drivers may call).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "cpu_model.h"
#include "sim.h"
#include "error.h"
#include "patcher.h"
#include "words.h"

/* Everything but the checks and the CPUs' memory, which the callers own. */
static void sim_start(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
		      const struct sim_driver *driver, void *driver_data, struct eqs_cpu *cpus,
		      const struct word_layout *words)
{
	memset(sim, 0, sizeof(*sim));
	sim->words.layout = *words;
	words_reset(&sim->words);
	sim->v = v;
	sim->rcu = rcu_layout_of(v->rcu);
	sim->run.driver = driver;
	sim->run.driver_data = driver_data;
	sim->run.hook_slow = driver && driver->step && !driver->step_only_after_hang;
	sim->run.quiet_patch_window = driver && driver->quiet_in_patch_window;
	sim->run.quiet_exit_window = driver && driver->quiet_in_exit_window;
	sim->run.trace_time = cfg->trace_time;
	points_init(&sim->run.points, &cfg->edit, &cfg->edit2);
	sim->cfg = *cfg;
	sim->ncpu = cfg->cpus;
	text_init(&sim->text, cfg->sites, cfg->entry_sites, cfg->ctr_idc, cfg->ctr_dic);
	sim->cpus = cpus;
	memset(cpus, 0, sizeof(*cpus) * sim->ncpu);
	for (unsigned i = 0; i < sim->ncpu; i++)
		cpu_init(sim, &sim->cpus[i], i);
	patcher_init(sim);
	sim_set_slow(sim);
	sim->run.t0 = cycles_now();
}

/* Each thread's t->slow, from what the run's steps must do beyond their record. */
void sim_set_slow(struct sim *sim)
{
	const struct sim_driver *d = sim->run.driver;
	int slow = sim->run.points.count_boundaries || sim->run.trace_time ||
		   load_relaxed(&sim->run.hook_slow) || (d && d->value);

	for (unsigned i = 0; i < sim->ncpu; i++)
		store_relaxed(&sim->cpus[i].t.slow, slow);
	store_relaxed(&sim->patcher.t.slow, slow);
}

void sim_declare_hung(struct sim *sim)
{
	store_relaxed(&sim->run.abort_waits, 1);
	store_relaxed(&sim->run.quiet_patch_window, 0);
	store_relaxed(&sim->run.quiet_exit_window, 0);
	if (sim->run.driver && sim->run.driver->step) {
		store_relaxed(&sim->run.hook_slow, 1);
		sim_set_slow(sim);
	}
}

int sim_init(struct sim *sim, const struct eqs_variant *v, const struct eqs_config *cfg,
	     const struct sim_driver *driver, void *driver_data, char *err, size_t errlen)
{
	int ret = eqs_config_check(cfg, err, errlen);
	struct word_layout words;
	struct eqs_cpu *cpus;

	memset(sim, 0, sizeof(*sim));
	if (ret)
		return ret;
	if (!rcu_layout_of(v->rcu))
		return eqs_error(err, errlen, -EINVAL, "variant '%s': unknown RCU layout %d",
				 v->name, (int)v->rcu);
	ret = words_layout(&words, v, cfg->cpus, err, errlen);
	if (ret)
		return ret;
	cpus = sim_alloc(struct eqs_cpu, cfg->cpus);
	if (!cpus)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	sim_start(sim, v, cfg, driver, driver_data, cpus, &words);
	return 0;
}

void sim_restart(struct sim *sim)
{
	struct eqs_config cfg = sim->cfg;
	struct word_layout words = sim->words.layout;

	sim_start(sim, sim->v, &cfg, sim->run.driver, sim->run.driver_data, sim->cpus, &words);
}

void sim_list_points(struct sim *sim)
{
	points_list(&sim->run.points);
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
	sim->cpus = NULL;
}

void sim_state_regions(const struct sim *sim, sim_region_fn fn, void *arg)
{
	const struct eqs_patcher *p = &sim->patcher;

	fn(arg, &sim->text, sizeof(sim->text));
	fn(arg, &sim->flags, sizeof(sim->flags));
	fn(arg, &p->ctx, sizeof(p->ctx));
	fn(arg, &p->t.st, sizeof(p->t.st));
	fn(arg, sim->words.cells, sizeof(sim->words.cells[0]) * sim->words.layout.nr_cells);
	for (unsigned i = 0; i < sim->ncpu; i++) {
		const struct eqs_cpu *c = &sim->cpus[i];

		fn(arg, &c->rcu, sizeof(c->rcu));
		fn(arg, &c->ipiq, sizeof(c->ipiq));
		fn(arg, &c->msg, sizeof(c->msg));
		fn(arg, &c->call, sizeof(c->call));
		fn(arg, &c->ctx, sizeof(c->ctx));
		fn(arg, &c->t.st, sizeof(c->t.st));
	}
}
