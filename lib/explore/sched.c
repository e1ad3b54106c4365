/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sched.c - one execution of a scenario under the exploration
 * scheduler.  Each simulated thread is a coroutine on the calling OS
 * thread; it runs until its next step hook and yields.  The scheduler
 * resumes one enabled thread at a time, as the strategy picks.  A thread
 * whose wait found its condition false is blocked until another thread
 * makes progress, so a spinning wait is never run forever.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "strategy.h"

static void explore_step(struct sim_thread *t, enum step s, bool in_window);
static void explore_blocked(struct sim_thread *t, enum step s);
static void explore_value(struct sim_thread *t, uint32_t value, uint32_t value2);

/* Every step is a scheduling point; every value read goes into the trace. */
static const struct sim_driver explore_driver = {
	.step = explore_step,
	.blocked = explore_blocked,
	.value = explore_value,
};

/* The explorer whose coroutines are running (one OS thread at a time). */
static __thread struct explorer *running;

static unsigned slot_of(const struct explorer *x, const struct sim_thread *t)
{
	return t->id == EQS_PATCHER ? x->ncpu : t->id;
}

/* A CPU takes its scenario's paths, then waits in the kernel for the end. */
static void cpu_main(struct explorer *x, struct eqs_cpu *c)
{
	cpu_thread_begin(c);
	for (const enum cpu_op *op = x->actions[c->t.id]; *op != CPU_OP_END; op++)
		cpu_do(c, *op);
	while (!load_relaxed(&x->sim->flags.patcher_done))
		cpu_kernel_wait(c);
	cpu_thread_end(c);
}

static void patcher_main(struct explorer *x)
{
	struct sim *sim = x->sim;

	patcher_thread_begin(&sim->patcher);
	for (unsigned i = 0; i < x->nr_patches; i++)
		patch_once(sim, 0);
	eqs_patcher_step(&sim->patcher, STEP_DONE);
	patcher_finish(sim);
}

static void thread_main(void *arg)
{
	struct explorer *x = running;
	unsigned slot = (unsigned)(uintptr_t)arg;

	if (slot < x->ncpu)
		cpu_main(x, &x->sim->cpus[slot]);
	else
		patcher_main(x);
	x->finished[slot] = true;
	/* Whatever it did on its way out may be what a waiting thread needs. */
	memset(x->blocked, 0, sizeof(x->blocked));
	x->step_woke = true;
	coro_switch_final(&x->ctx[slot], &x->main_ctx);
}

/*
 * A tick of the exploring thread's CPU time, in a signal handler.  A
 * simulated thread found running at two ticks in a row, with no yield
 * since the look before, has run for over a second of CPU time past its
 * last step, where a step takes microseconds: a loop that declares no
 * step.  Nothing else can run while it loops, so it is abandoned where it
 * is (its stack is reset before the next execution) and the execution
 * ends, spun; the exploration ends with it.  The handler never returns:
 * a loop stopped inside a libc call that holds a lock (malloc, stdio)
 * would leave it held, and on x86 the floating-point control state the
 * kernel reset for the handler stays reset.  A loop that declares no step
 * is a variant's bug that the exploration reports and stops at, not a
 * state it goes on from.
 */
static void spin_tick(void *arg)
{
	struct explorer *x = arg;

	const char *here = __builtin_frame_address(0);

	/* Only on a simulated thread's own stack: not the scheduler's, on its way to switch. */
	if (running != x || !x->in_thread || x->cur < 0 || here < x->stacks[x->cur] ||
	    here >= x->stacks[x->cur] + EXPLORE_STACK) {
		x->quiet_ticks = 0;
		return;
	}
	if (x->switches != x->switches_seen) {
		x->switches_seen = x->switches;
		x->quiet_ticks = 0;
		return;
	}
	if (++x->quiet_ticks < 2)
		return;
	x->spun = true;
	x->in_thread = false;
	coro_switch_final(&x->ctx[x->cur], &x->main_ctx);
}

int explore_init(struct explorer *x, const struct eqs_variant *v,
		 const struct eqs_explore_config *cfg)
{
	static const enum cpu_op path_actions[EQS_PATH_COUNT][4] = {
		[EQS_PATH_USER] = { CPU_OP_USER_ENTER, CPU_OP_USER_EXIT, CPU_OP_END },
		[EQS_PATH_IDLE] = { CPU_OP_IDLE_ENTER, CPU_OP_IDLE_EXIT, CPU_OP_END },
		/* An interrupt in idle, back to idle, then the wake interrupt's. */
		[EQS_PATH_IRQ] = { CPU_OP_IDLE_ENTER, CPU_OP_IRQ, CPU_OP_IDLE_EXIT, CPU_OP_END },
		[EQS_PATH_GUEST] = { CPU_OP_GUEST_ENTER, CPU_OP_GUEST_EXIT, CPU_OP_END },
		[EQS_PATH_USER_IRQ] = { CPU_OP_USER_ENTER, CPU_OP_IRQ, CPU_OP_USER_EXIT,
					CPU_OP_END },
		/* An NMI in wfi (interrupts masked), then the wake interrupt. */
		[EQS_PATH_NMI] = { CPU_OP_IDLE_ENTER, CPU_OP_NMI, CPU_OP_IDLE_EXIT, CPU_OP_END },
	};

	memset(x, 0, sizeof(*x));
	x->v = v;
	x->model = cfg->model;
	x->list_points = cfg->list_points;
	x->nmi_budget = cfg->nmis;
	x->unbounded = cfg->unbounded;
	if (x->model != EQS_MODEL_SC) {
		x->mm = malloc(sizeof(*x->mm));
		if (!x->mm)
			return -ENOMEM;
		mm_init(x->mm, x->model);
	}
	x->ncpu = cfg->cpus;
	x->nthreads = cfg->cpus + 1;
	for (unsigned c = 0; c < x->ncpu; c++) {
		unsigned n = 0;

		for (unsigned p = 0; p < cfg->nr_paths; p++)
			for (const enum cpu_op *a = path_actions[cfg->paths[p]]; *a; a++)
				x->actions[c][n++] = *a;
		x->actions[c][n] = CPU_OP_END;
	}
	x->nr_patches = cfg->patches;
	/* The simulation: no delays, no jitter, one text site, no entry code. */
	eqs_config_default(&x->sim_cfg);
	x->sim_cfg.cpus = x->ncpu;
	x->sim_cfg.sites = 1;
	x->sim_cfg.entry_sites = 0;
	x->sim_cfg.ctr_idc = cfg->ctr_idc;
	x->sim_cfg.ctr_dic = cfg->ctr_dic;
	x->sim_cfg.edit = cfg->edit;
	x->sim_cfg.edit2 = cfg->edit2;
	x->sim_cfg.jitter = 0;
	x->sim_cfg.user_ns = x->sim_cfg.idle_ns = x->sim_cfg.guest_ns = 0;
	x->sim_cfg.kernel_ns = x->sim_cfg.patch_gap_ns = 0;
	x->sim = sim_alloc(struct sim, 1);
	if (!x->sim)
		return -ENOMEM;
	memset(x->sim, 0, sizeof(*x->sim));
	for (unsigned t = 0; t < x->nthreads; t++) {
		x->stacks[t] = malloc(EXPLORE_STACK);
		if (!x->stacks[t]) {
			explore_destroy(x);
			return -ENOMEM;
		}
	}
	/* Without a watch (no timer, TSan) an undeclared spin hangs the search, as it did. */
	spin_watch_start(&x->spin, EXPLORE_SPIN_TICK_S, spin_tick, x);
	return 0;
}

void explore_destroy(struct explorer *x)
{
	spin_watch_stop(&x->spin);
	for (unsigned t = 0; t < EXPLORE_MAX_THREADS; t++) {
		coro_release(&x->ctx[t]);
		free(x->stacks[t]);
	}
	if (x->sim && x->sim->cpus)
		sim_destroy(x->sim);
	free(x->sim);
	free(x->mm);
	memset(x->stacks, 0, sizeof(x->stacks));
	x->sim = NULL;
	x->mm = NULL;
}

/*
 * Give thread t its stack back as the last execution found it: zeroed as
 * deep as it was used (plus a slack for calls that never yield).  A frame's
 * unwritten slots then hold nothing from an earlier execution, which the
 * state cache would take for state: one state split into several.
 */
static void fresh_stack(struct explorer *x, unsigned t)
{
	char *bottom = x->stacks[t], *low = x->stack_low[t];
	size_t used = low && low - bottom > EXPLORE_STACK_SLACK
			      ? (size_t)(bottom + EXPLORE_STACK - low) + EXPLORE_STACK_SLACK
			      : EXPLORE_STACK;

	coro_init(&x->ctx[t], bottom, EXPLORE_STACK, used, thread_main, (void *)(uintptr_t)t);
	x->stack_low[t] = x->ctx[t].sp;
}

/* Every thread back at its start, every store buffer empty, nothing run yet. */
static void reset_execution(struct explorer *x)
{
	if (x->mm)
		mm_reset(x->mm);
	for (unsigned t = 0; t < x->nthreads; t++)
		fresh_stack(x, t);
	memset(x->finished, 0, sizeof(x->finished));
	memset(x->blocked, 0, sizeof(x->blocked));
	memset(x->last_blocked, 0, sizeof(x->last_blocked));
	memset(x->pending_new, 0, sizeof(x->pending_new));
	memset(x->started, 0, sizeof(x->started));
	memset(x->interrupt, 0, sizeof(x->interrupt));
	x->nmis_left = x->nmi_budget;
	x->cur = -1;
	x->steps = x->preemptions = 0;
	x->cut_off = x->deadlock = x->diverged = x->pruned = x->skipped = false;
	x->spun = false;
	x->quiet_ticks = 0;
	x->nr_resumes = x->nr_log = 0;
}

/* Under a weak model: the stores that may become visible now, as choices. */
static uint64_t store_choices(const struct explorer *x)
{
	uint64_t choices = 0;

	for (unsigned t = 0; x->mm && t < x->nthreads; t++) {
		uint32_t next = mm_visible_next(x->mm, t);

		for (unsigned i = 0; next; i++, next >>= 1)
			if (next & 1)
				choices |= 1ull << CHOICE_VISIBLE(t, i);
		if (mm_pending(x->mm, t) > 1)
			choices |= 1ull << CHOICE_DRAIN(t);
	}
	return choices;
}

/*
 * Interrupts a CPU that can run could take before its next step: the IPIs
 * pending for it where interrupts are on, an NMI while the scenario has
 * some left.  Not before its first step, nor in the patcher.
 */
static uint64_t interrupt_choices(struct explorer *x, uint64_t runnable)
{
	uint64_t choices = 0;

	for (unsigned c = 0; c < x->ncpu; c++) {
		struct eqs_cpu *cpu = &x->sim->cpus[c];

		if (!(runnable >> c & 1) || !x->started[c])
			continue;
		if (cpu_can_interrupt(cpu, false))
			choices |= 1ull << CHOICE_IRQ(c);
		if (x->nmis_left && cpu_can_interrupt(cpu, true))
			choices |= 1ull << CHOICE_NMI(c);
	}
	return choices;
}

/* Which shared word a store went to, for the trace (EQS_EXPLORE_LOC). */
static uint32_t location_of(const struct explorer *x, const uint32_t *p)
{
	const struct sim *sim = x->sim;

	for (unsigned c = 0; c < sim->ncpu; c++) {
		if ((const void *)p == (const void *)&sim->cpus[c].rcu)
			return EQS_EXPLORE_LOC(EQS_LOC_RCU_WORD, c);
		if (p == &sim->cpus[c].msg.acked)
			return EQS_EXPLORE_LOC(EQS_LOC_IPI_ACK, c);
	}
	for (unsigned i = 0; i < EQS_MAX_SITES; i++) {
		if (p == &sim->text.gen[i])
			return EQS_EXPLORE_LOC(EQS_LOC_TEXT, i);
		if (p == &sim->text.synced[i])
			return EQS_EXPLORE_LOC(EQS_LOC_SYNCED, i);
	}
	return EQS_EXPLORE_LOC(EQS_LOC_OTHER, 0);
}

/* Append a step to the trace; NULL once the trace is full. */
static struct eqs_explore_step *log_step(struct explorer *x, unsigned thread, enum step s)
{
	if (x->nr_log >= EQS_EXPLORE_TRACE_LEN)
		return NULL;
	x->log[x->nr_log] = (struct eqs_explore_step){
		.thread = thread == x->ncpu ? EQS_EXPLORE_PATCHER : (uint8_t)thread,
		.step = (uint16_t)s,
	};
	return &x->log[x->nr_log++];
}

/* Make thread t's stores visible (one, or all for a drain), each a step of the trace. */
static void make_visible(struct explorer *x, unsigned choice)
{
	bool drain = choice_is_drain(choice);
	unsigned t = choice_thread(choice);
	unsigned i = drain ? 0 : (choice - CHOICE_VISIBLE_BASE) % MM_BUFFER;

	do {
		uint32_t *addr, val;
		struct eqs_explore_step *st;

		mm_make_visible(x->mm, t, i, &addr, &val);
		st = log_step(x, t, STEP_STORE_VISIBLE);
		if (st) {
			st->has_value = true;
			st->value = val;
			st->value2 = location_of(x, addr);
		}
	} while (drain && mm_pending(x->mm, t));
	/* A wait may have been waiting for just this. */
	memset(x->blocked, 0, sizeof(x->blocked));
	x->step_woke = true;
}

/* The simulation, started the first time and restarted after, set up for this execution. */
static int start_sim(struct explorer *x, char *err, size_t errlen)
{
	int ret;

	if (x->sim->cpus) {
		sim_restart(x->sim);
	} else {
		ret = sim_init(x->sim, x->v, &x->sim_cfg, &explore_driver, x, err, errlen);
		if (ret)
			return ret;
	}
	if (x->list_points)
		sim_list_points(x->sim);
	/* x86's I-cache is coherent: under tso a CSE fetches the text as written. */
	text_set_coherent_icache(&x->sim->text, x->model == EQS_MODEL_TSO);
	return 0;
}

/*
 * The choices open now, in *enabled: the threads neither finished nor
 * blocked, the stores that may become visible, the interrupts that may
 * be taken.  False when the execution is over: every thread finished,
 * none can go on (a deadlock), or the step limit (cut off).
 */
static bool open_choices(struct explorer *x, uint64_t *enabled)
{
	uint64_t threads = 0, stores = store_choices(x);
	unsigned alive = 0;

	if (x->spun)
		return false;

	for (unsigned t = 0; t < x->nthreads; t++) {
		alive |= (unsigned)!x->finished[t] << t;
		if (!x->finished[t] && !x->blocked[t])
			threads |= 1ull << t;
	}
	if (!alive)
		return false;
	if (!threads && !stores) {
		x->deadlock = true; /* the trace shows where each thread waits */
		return false;
	}
	*enabled = threads | stores | interrupt_choices(x, threads);
	if (x->nr_resumes >= EXPLORE_MAX_STEPS) {
		x->cut_off = true;
		return false;
	}
	return true;
}

/* The end a strategy's hook asked for, noted; false if it asked for none. */
static bool stopped(struct explorer *x, enum strategy_stop stop)
{
	switch (stop) {
	case STRATEGY_PRUNED:
		x->pruned = true;
		return true;
	case STRATEGY_CYCLE:
		x->cut_off = true;
		return true;
	case STRATEGY_SKIPPED:
		x->skipped = true;
		return true;
	case STRATEGY_GO_ON:
	default:
		return false;
	}
}

/* The strategy's choice among enabled; -1 if it has none (the execution ends). */
static int pick(struct explorer *x, struct explore_strategy *s, uint64_t enabled)
{
	int next = s->ops->pick(s, x, enabled);

	if (next == PICK_ASLEEP) { /* every way on commutes with one explored already */
		x->pruned = true;
		return -1;
	}
	if (next < 0 || next >= (int)CHOICE_COUNT || !(enabled >> next & 1)) {
		x->diverged = true;
		return -1;
	}
	return next;
}

/* Resume the thread of a choice: at its pending step, or to take an interrupt first. */
static void resume(struct explorer *x, unsigned choice)
{
	unsigned t = choice_thread(choice);

	if (choice_is_interrupt(choice)) { /* the CPU takes it before its pending step */
		bool nmi = choice >= CHOICE_NMI(0);

		x->interrupt[t] = nmi ? 2 : 1;
		x->nmis_left -= nmi;
		log_step(x, t, nmi ? STEP_NMI_ARRIVES : STEP_IRQ_ARRIVES);
	} else if (x->pending_new[t]) { /* the step runs now: log it in execution order */
		log_step(x, t, x->pending[t]);
		x->pending_new[t] = false;
	}
	x->cur = (int)t;
	if (x->mm)
		x->mm->cur = t;
	/*
	 * Counted here, on the scheduler's side, like steps below: a count
	 * the thread kept would linger in its saved registers, and the state
	 * cache would take it for state (under TSan it did: no state matched).
	 */
	x->switches++;
	x->in_thread = true;
	coro_switch(&x->main_ctx, &x->ctx[t]);
	x->in_thread = false;
	if (x->spun) { /* abandoned mid-loop: it neither finished nor stands at a step */
		x->finished[t] = true;
		return;
	}
	/*
	 * Counted here, not by the thread: a count the thread computed just
	 * before it yields can linger in a saved register (TSan's calls
	 * around the store put it there), and the state cache would take
	 * that history for state.
	 */
	x->steps += !x->finished[t];
	if ((char *)x->ctx[t].sp < x->stack_low[t])
		x->stack_low[t] = x->ctx[t].sp;
}

/* Take the choice: it costs what it costs, then a store becomes visible or a thread runs. */
static void take(struct explorer *x, struct explore_strategy *s, uint64_t enabled, unsigned choice)
{
	x->step_woke = false;
	x->preemptions += choice_cost(x->cur, enabled, choice);
	x->resumes[x->nr_resumes++] = (uint8_t)choice;
	if (choice_is_store(choice))
		make_visible(x, choice);
	else
		resume(x, choice);
	if (s->ops->step_end)
		s->ops->step_end(s, x, choice);
}

/* One step of the execution, as the strategy has it; false when the execution is over. */
static bool schedule_step(struct explorer *x, struct explore_strategy *s)
{
	uint64_t enabled;
	int next;

	if (!open_choices(x, &enabled))
		return false;
	if (s->ops->visit && stopped(x, s->ops->visit(s, x, enabled)))
		return false;
	next = pick(x, s, enabled);
	if (next < 0)
		return false;
	if (s->ops->step_begin && stopped(x, s->ops->step_begin(s, x, enabled, (unsigned)next)))
		return false;
	take(x, s, enabled, (unsigned)next);
	return true;
}

/* The ordering points and boundaries this execution met join those of the ones before. */
static void collect_points(struct explorer *x)
{
	explore_add_points(x->points, &x->nr_points, EQS_EXPLORE_MAX_POINTS,
			   x->sim->run.points.points, x->sim->run.points.nr_points);
	explore_add_points(x->boundaries, &x->nr_boundaries, EQS_EXPLORE_MAX_BOUNDARIES,
			   x->sim->run.points.boundaries, x->sim->run.points.nr_boundaries);
}

int explore_execute(struct explorer *x, struct explore_strategy *s, char *err, size_t errlen)
{
	const struct mem_port *port = NULL, *outer;
	int ret = start_sim(x, err, errlen);

	if (ret)
		return ret;
	reset_execution(x);
	if (s->ops->begin)
		port = s->ops->begin(s, x);
	running = x;
	outer = mem_port_plug(port ? port : x->mm ? &x->mm->port : NULL);
	while (schedule_step(x, s))
		;
	mem_port_plug(outer);
	running = NULL;
	if (s->ops->end)
		stopped(x, s->ops->end(s, x));
	collect_points(x);
	return 0;
}

void explore_add_points(struct eqs_point *set, unsigned *n, unsigned max,
			const struct eqs_point *add, unsigned nr_add)
{
	for (unsigned i = 0; i < nr_add; i++) {
		unsigned j = 0;

		while (j < *n && !eqs_point_equal(&set[j], &add[i]))
			j++;
		if (j == *n && j < max)
			set[(*n)++] = add[i];
	}
}

/* The step hook's half: record where the thread is, and yield to the scheduler. */
static void yield_at(struct sim_thread *t, enum step s, bool blocked)
{
	struct explorer *x = t->sim->run.driver_data;
	unsigned me = slot_of(x, t);
	/* A wait that finds its condition still false has done nothing new. */
	bool progressed = !(blocked && x->last_blocked[me]);

	if (progressed) {
		memset(x->blocked, 0, sizeof(x->blocked));
		x->step_woke = true;
	}
	x->last_blocked[me] = blocked;
	x->blocked[me] = blocked;
	x->pending[me] = s;
	x->pending_new[me] = progressed;
	x->started[me] = true;
	coro_switch(&x->ctx[me], &x->main_ctx);
	/*
	 * Resumed to take an interrupt first: it runs here, between the last
	 * step and this one, its own steps yielding as any; then this step
	 * waits for its turn again.
	 */
	while (x->interrupt[me]) {
		bool nmi = x->interrupt[me] == 2;

		x->interrupt[me] = 0;
		cpu_interrupt(&x->sim->cpus[me], nmi);
		x->blocked[me] = false;
		x->pending[me] = s;
		x->pending_new[me] = true;
		coro_switch(&x->ctx[me], &x->main_ctx);
	}
}

static void explore_step(struct sim_thread *t, enum step s, bool in_window)
{
	(void)in_window; /* a scheduling point like any other: memory is SC here */
	yield_at(t, s, false);
}

static void explore_blocked(struct sim_thread *t, enum step s)
{
	yield_at(t, s, true);
}

static void explore_value(struct sim_thread *t, uint32_t value, uint32_t value2)
{
	struct explorer *x = t->sim->run.driver_data;
	uint8_t id = t->id == EQS_PATCHER ? EQS_EXPLORE_PATCHER : (uint8_t)t->id;

	for (unsigned i = x->nr_log; i-- > 0;) {
		if (x->log[i].thread != id)
			continue;
		x->log[i].has_value = true;
		x->log[i].value = value;
		x->log[i].value2 = value2;
		return;
	}
}

uint64_t explore_violations(struct explorer *x, struct eqs_violation *first)
{
	uint64_t n = 0;

	for (unsigned c = 0; c < x->ncpu; c++) {
		struct oracle_stats *s = &x->sim->cpus[c].oracle;

		if (s->violations && !n && s->nr_records && first)
			*first = s->records[0];
		n += s->violations;
	}
	return n;
}
