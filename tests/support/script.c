/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * script.c - scripted interleavings.  Exactly one thread holds the turn;
 * a thread gives it back to the driver when it reaches the step the script
 * named (or a wait it cannot get past), and the driver hands it to the
 * next thread in the script.  Hand-offs are release/acquire, so the run is
 * sequentially consistent: scripts find logic races, not reorderings.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "script.h"

#define DRIVER	(-1)
#define NO_STOP (-1)
#define SLOTS	(EQS_MAX_CPUS + 1)

struct script {
	int turn;
	int stop_at[SLOTS];
	int arrived[SLOTS];
	const enum cpu_op *const *actions; /* per CPU */
	const unsigned *sites;		   /* the patcher's, SCRIPT_END_SITES ends */
};

static unsigned slot_of(const struct sim_thread *t)
{
	return t->id == EQS_PATCHER ? SCRIPT_PATCHER : t->id;
}

/*
 * Scripted runs are sequential by construction, so a waiting thread may
 * give its core away: with more threads than cores the one holding the
 * turn would otherwise wait for a time slice.
 */
static void wait_for_turn(struct script *sc, int slot)
{
	for (unsigned spins = 0; load_acquire(&sc->turn) != slot; spins++) {
		if (spins < 1000)
			cpu_relax();
		else
			sched_yield();
	}
}

/* A scripted thread waits for its first turn. */
static void script_thread_start(struct sim_thread *t)
{
	wait_for_turn(t->sim->run.driver_data, (int)slot_of(t));
}

static void script_at_step(struct sim_thread *t, enum step s, bool blocked)
{
	struct script *sc = t->sim->run.driver_data;
	int slot = (int)slot_of(t);

	/* A thread that reaches its end always hands the turn back. */
	if (!blocked && s != STEP_DONE && load_relaxed(&sc->stop_at[slot]) != (int)s)
		return;
	store_relaxed(&sc->arrived[slot], (int)s);
	store_release(&sc->turn, DRIVER);
	wait_for_turn(sc, slot);
}

static void script_step(struct sim_thread *t, enum step s, bool in_window)
{
	(void)in_window;
	script_at_step(t, s, false);
}

static void script_blocked(struct sim_thread *t, enum step s)
{
	script_at_step(t, s, true);
}

static const struct sim_driver script_driver = {
	.step = script_step,
	.blocked = script_blocked,
	.thread_start = script_thread_start,
};

static void *cpu_main(void *arg)
{
	struct eqs_cpu *c = arg;
	struct script *sc = c->t.sim->run.driver_data;

	cpu_thread_begin(c);
	for (const enum cpu_op *op = sc->actions[c->t.id]; op && *op != CPU_OP_END; op++)
		cpu_do(c, *op);
	eqs_cpu_step(c, STEP_DONE);
	cpu_thread_end(c);
	return NULL;
}

static void *patcher_main(void *arg)
{
	struct sim *sim = arg;
	struct script *sc = sim->run.driver_data;

	patcher_thread_begin(&sim->patcher);
	for (const unsigned *s = sc->sites; s && *s != SCRIPT_END_SITES; s++)
		patch_once(sim, *s);
	eqs_patcher_step(&sim->patcher, STEP_DONE);
	patcher_finish(sim);
	return NULL;
}

/* Give slot the turn until it stops at until; 0 or -EPROTO / -ETIMEDOUT. */
static int run_slot(struct script *sc, int slot, enum step until, struct script_result *res)
{
	double deadline = clock_mono_s() + 10.0;

	store_relaxed(&sc->stop_at[slot], (int)until);
	store_release(&sc->turn, slot);
	while (load_acquire(&sc->turn) != DRIVER) {
		if (clock_mono_s() > deadline) {
			snprintf(res->message, sizeof(res->message),
				 "thread %d did not reach '%s' within 10 s", slot,
				 step_name(until));
			return -ETIMEDOUT;
		}
		cpu_relax();
	}
	int at = load_relaxed(&sc->arrived[slot]);

	if (at != (int)until) {
		snprintf(res->message, sizeof(res->message),
			 "thread %d stopped at '%s', script expected '%s'", slot,
			 step_name((enum step)at), step_name(until));
		return -EPROTO;
	}
	return 0;
}

static void collect(struct sim *sim, struct script_result *res)
{
	for (unsigned i = 0; i < sim->ncpu; i++) {
		struct oracle_stats *s = &sim->cpus[i].oracle;

		if (s->violations && !res->violations && s->nr_records)
			res->first = s->records[0];
		res->violations += s->violations;
		for (int p = 0; p < EQS_PATH_COUNT; p++)
			res->violations_on_path[p] += s->violations_on_path[p];
	}
}

int script_run(const struct eqs_variant *v, unsigned ncpu, const enum cpu_op *const actions[],
	       const unsigned *sites, const struct script_entry *entries, unsigned nr_entries,
	       struct script_result *res)
{
	struct eqs_config cfg;
	struct sim *sim = sim_alloc(struct sim, 1);
	struct script sc;
	bool at_done[SLOTS] = { false };
	int ret;

	memset(res, 0, sizeof(*res));
	if (!sim)
		return -ENOMEM;
	eqs_config_default(&cfg);
	cfg.cpus = ncpu;
	cfg.jitter = 0;
	cfg.user_ns = cfg.idle_ns = cfg.guest_ns = cfg.kernel_ns = 0;
	memset(&sc, 0, sizeof(sc));
	sc.turn = DRIVER;
	for (int i = 0; i < SLOTS; i++)
		sc.stop_at[i] = NO_STOP;
	sc.actions = actions;
	sc.sites = sites;
	ret = sim_init(sim, v, &cfg, &script_driver, &sc, res->message, sizeof(res->message));
	if (ret) {
		free(sim);
		return ret;
	}
	for (unsigned i = 0; i < ncpu; i++)
		pthread_create(&sim->cpus[i].thread, NULL, cpu_main, &sim->cpus[i]);
	pthread_create(&sim->patcher.thread, NULL, patcher_main, sim);

	for (unsigned e = 0; e < nr_entries && !ret; e++) {
		ret = run_slot(&sc, (int)entries[e].thread, entries[e].until, res);
		if (!ret && entries[e].until == STEP_DONE)
			at_done[entries[e].thread] = true;
	}
	/* Let every thread run to its end, then release it. */
	for (int slot = 0; slot < SLOTS && !ret; slot++) {
		if (slot != SCRIPT_PATCHER && slot >= (int)ncpu)
			continue;
		if (!at_done[slot])
			ret = run_slot(&sc, slot, STEP_DONE, res);
		if (!ret) {
			store_relaxed(&sc.stop_at[slot], NO_STOP);
			store_release(&sc.turn, slot);
			if (slot == SCRIPT_PATCHER)
				pthread_join(sim->patcher.thread, NULL);
			else
				pthread_join(sim->cpus[slot].thread, NULL);
			store_release(&sc.turn, DRIVER);
		}
	}
	if (ret) {
		/*
		 * Threads are stuck mid-script: let them go (the simulation stays
		 * theirs, leaked); a test failing here exits anyway.
		 */
		for (unsigned i = 0; i < ncpu; i++)
			pthread_detach(sim->cpus[i].thread);
		pthread_detach(sim->patcher.thread);
		return ret;
	}
	collect(sim, res);
	sim_destroy(sim);
	free(sim);
	return 0;
}
