/*
 * cpu_model.c - a simulated CPU: its contexts (kernel, user, idle, guest),
 * the paths into and out of EQS as lists of named steps, interrupts, and
 * the seeded workload that strings the paths together.
 *
 * Each EQS exit path ends by executing the text sites right after its last
 * protocol step, before any further CSE: that is where a stale fetch shows.
 */
#include <urcu/urcu-qsbr.h>

#include "clock.h"
#include "cpu_model.h"
#include "oracle.h"
#include "rng.h"

static inline struct sim *sim_of(struct sim_cpu *c)
{
	return c->t.sim;
}

static inline bool qsbr(struct sim_cpu *c)
{
	return sim_of(c)->v->rcu == RCU_QSBR;
}

/* A context synchronisation event: refetch the whole text. */
static void cse(struct sim_cpu *c, enum step s)
{
	step_hook(&c->t, s);
	isb();
	text_refresh(&sim_of(c)->text, c->fetched);
}

static bool rcu_is_watching(struct sim_cpu *c)
{
	return qsbr(c) ? c->watching : rcu_dynticks_watching(&c->dt);
}

static void run_hook(struct sim_cpu *c, enum hook_action a)
{
	switch (a) {
	case HOOK_NONE:
		return;
	case HOOK_ISB:
		cse(c, STEP_ISB);
		return;
	case HOOK_ISB_IF_EQS:
		step_hook(&c->t, STEP_ISB_IF_EQS);
		if (!rcu_is_watching(c)) {
			isb();
			text_refresh(&sim_of(c)->text, c->fetched);
		}
		return;
	case HOOK_DSB_ISB:
		step_hook(&c->t, STEP_DSB_ISB);
		/* Wait for the exit increment to complete before refetching. */
		dsb_ish();
		isb();
		text_refresh(&sim_of(c)->text, c->fetched);
		return;
	}
}

/* What runs inside RCU's EQS exit, after the counter increment. */
static void rcu_exit_hooks(struct sim_cpu *c, bool special)
{
	const struct eqs_variant *v = sim_of(c)->v;

	c->watching = true;
	if (special) {
		step_hook(&c->t, STEP_SPECIAL_EXIT);
		run_hook(c, v->deferred);
	}
	run_hook(c, v->in_rcu_exit);
}

/* Process-level EQS entry: ct_user_enter, rcu_idle_enter, guest_enter. */
static void rcu_enter(struct sim_cpu *c, enum step s)
{
	step_hook(&c->t, s);
	if (qsbr(c))
		urcu_qsbr_thread_offline();
	else
		rcu_eqs_enter(&c->dt);
	c->watching = false;
}

/* Process-level EQS exit: ct_user_exit, rcu_idle_exit, guest_exit. */
static void rcu_exit(struct sim_cpu *c, enum step s)
{
	bool special = false;

	step_hook(&c->t, s);
	if (qsbr(c))
		urcu_qsbr_thread_online();
	else
		special = rcu_eqs_exit(&c->dt);
	rcu_exit_hooks(c, special);
}

/* Race accounting, before the first step of an EQS exit path. */
static void path_begin(struct sim_cpu *c, enum eqs_path p)
{
	c->path_seq0 = load_relaxed(&sim_of(c)->patcher.sync_seq);
	c->last_exit_path = p;
}

/*
 * After the path executed its text: was this exit an exercised race, an
 * exit that overlapped an in-flight sync (and, for a variant that skips or
 * defers, one by a CPU that sync left out)?
 */
static void path_end(struct sim_cpu *c)
{
	struct sim_patcher *p = &sim_of(c)->patcher;
	uint64_t s0 = c->path_seq0;
	uint64_t s1 = load_relaxed(&p->sync_seq);

	stat_inc(c->stats.eqs_exits);
	stat_inc(c->stats.eqs_exits_on_path[c->last_exit_path]);
	if (!(s0 & 1) && s1 == s0)
		return;
	if (variant_tracks_skips(sim_of(c)->v)) {
		uint64_t mark = load_relaxed(&p->skip_mark[c->t.id]);

		if (mark <= c->skip_consumed || mark < s0 || mark > s1)
			return;
		c->skip_consumed = mark;
	}
	stat_inc(c->stats.exercised_races);
}

/*
 * An interrupt: exception entry, rcu_irq_enter, handler, rcu_irq_exit,
 * exception return.  Taken in EQS it is the irq-from-EQS exit path.
 */
void cpu_take_irq(struct sim_cpu *c)
{
	const struct eqs_variant *v = sim_of(c)->v;
	bool from_eqs = !c->watching;
	bool irqs_were_on = c->irqs_on;
	enum eqs_path outer_path = c->last_exit_path;
	uint64_t outer_seq0 = c->path_seq0;
	bool exited = false, special = false;

	if (from_eqs)
		path_begin(c, EQS_PATH_IRQ);
	c->irqs_on = false;
	cse(c, STEP_EXC_ENTRY);
	if (from_eqs)
		run_hook(c, v->before_rcu_exit[EQS_PATH_IRQ]);
	step_hook(&c->t, STEP_RCU_IRQ_ENTER);
	if (qsbr(c)) {
		if (from_eqs)
			urcu_qsbr_thread_online();
		exited = from_eqs;
	} else {
		rcu_nmi_enter(&c->dt, &exited, &special);
	}
	if (exited) {
		rcu_exit_hooks(c, special);
		run_hook(c, v->after_rcu_exit[EQS_PATH_IRQ]);
	}
	oracle_exec_text(c);
	step_hook(&c->t, STEP_IRQ_HANDLER);
	if (ipi_handle(&c->ipiq) && from_eqs)
		stat_inc(c->stats.eqs_disturbed);
	if (from_eqs)
		path_end(c);
	step_hook(&c->t, STEP_RCU_IRQ_EXIT);
	if (qsbr(c)) {
		if (from_eqs)
			urcu_qsbr_thread_offline();
	} else {
		rcu_nmi_exit(&c->dt);
	}
	c->watching = !from_eqs;
	cse(c, STEP_EXC_RETURN);
	c->irqs_on = irqs_were_on;
	c->last_exit_path = outer_path;
	c->path_seq0 = outer_seq0;
}

/* Where interrupts are enabled, a pending IPI is taken. */
static void poll_irq(struct sim_cpu *c)
{
	if (c->irqs_on && ipi_pending(&c->ipiq))
		cpu_take_irq(c);
}

/* Stay in the current context for about ns (seeded), taking interrupts. */
static void run_for(struct sim_cpu *c, enum step s, uint32_t ns)
{
	step_hook(&c->t, s);
	if (!ns) {
		poll_irq(c);
		return;
	}
	uint64_t len = clock_ns_to_cycles(ns / 2 + rng_below(&c->t.rng, ns + 1));
	uint64_t end = cycles_now() + len;

	do {
		poll_irq(c);
		cpu_relax();
	} while (cycles_now() < end);
}

void cpu_user_enter(struct sim_cpu *c)
{
	c->irqs_on = false;
	if (c->nohz_full)
		rcu_enter(c, STEP_CT_USER_ENTER);
	cse(c, STEP_EXC_RETURN);
	c->ctx = CTX_USER;
	c->irqs_on = true;
}

/* el0_svc: exception entry, [variant], enable_daif, ct_user_exit, text. */
void cpu_user_exit(struct sim_cpu *c)
{
	const struct eqs_variant *v = sim_of(c)->v;
	bool eqs = !c->watching;

	if (eqs)
		path_begin(c, EQS_PATH_USER);
	c->irqs_on = false;
	cse(c, STEP_EXC_ENTRY);
	c->ctx = CTX_KERNEL;
	if (eqs)
		run_hook(c, v->before_rcu_exit[EQS_PATH_USER]);
	step_hook(&c->t, STEP_ENABLE_DAIF);
	c->irqs_on = true;
	poll_irq(c);
	if (eqs) {
		rcu_exit(c, STEP_CT_USER_EXIT);
		run_hook(c, v->after_rcu_exit[EQS_PATH_USER]);
	}
	oracle_exec_text(c);
	if (eqs)
		path_end(c);
}

/* do_idle(): rcu_idle_enter, then wfi until an interrupt is pending. */
void cpu_idle_enter(struct sim_cpu *c)
{
	c->irqs_on = false;
	c->ctx = CTX_IDLE;
	rcu_enter(c, STEP_RCU_IDLE_ENTER);
	step_hook(&c->t, STEP_WFI);
	uint32_t ns = sim_of(c)->cfg.idle_ns;

	if (!ns || sim_of(c)->script)
		return;
	uint64_t end = cycles_now() + clock_ns_to_cycles(ns / 2 + rng_below(&c->t.rng, ns + 1));

	while (cycles_now() < end && !ipi_pending(&c->ipiq))
		cpu_relax();
}

/*
 * The wake interrupt is taken in EQS (arch_cpu_idle's local_irq_enable),
 * then rcu_idle_exit, then arch_cpu_idle_exit.
 */
void cpu_idle_exit(struct sim_cpu *c)
{
	const struct eqs_variant *v = sim_of(c)->v;

	path_begin(c, EQS_PATH_IDLE);
	c->irqs_on = true;
	cpu_take_irq(c);
	c->ctx = CTX_KERNEL;
	rcu_exit(c, STEP_RCU_IDLE_EXIT);
	run_hook(c, v->after_rcu_exit[EQS_PATH_IDLE]);
	oracle_exec_text(c);
	path_end(c);
}

/* guest_enter_irqoff, then the exception return into the guest. */
void cpu_guest_enter(struct sim_cpu *c)
{
	c->irqs_on = false;
	rcu_enter(c, STEP_GUEST_ENTER);
	cse(c, STEP_EXC_RETURN);
	c->ctx = CTX_GUEST;
	c->irqs_on = true;
}

/*
 * VHE guest exit: the trap back to the host is the last CSE; KVM enables
 * interrupts and only then calls guest_exit().
 */
void cpu_guest_exit(struct sim_cpu *c)
{
	const struct eqs_variant *v = sim_of(c)->v;

	path_begin(c, EQS_PATH_GUEST);
	c->irqs_on = false;
	cse(c, STEP_EXC_ENTRY);
	c->ctx = CTX_KERNEL;
	run_hook(c, v->before_rcu_exit[EQS_PATH_GUEST]);
	step_hook(&c->t, STEP_LOCAL_IRQ_ENABLE);
	c->irqs_on = true;
	poll_irq(c);
	rcu_exit(c, STEP_GUEST_EXIT);
	run_hook(c, v->after_rcu_exit[EQS_PATH_GUEST]);
	oracle_exec_text(c);
	path_end(c);
}

/* Kernel work with interrupts enabled; QSBR reports a quiescent state then isb. */
void cpu_kernel_work(struct sim_cpu *c, uint32_t ns)
{
	run_for(c, STEP_KERNEL_WORK, ns);
	if (qsbr(c)) {
		step_hook(&c->t, STEP_RCU_QS);
		urcu_qsbr_quiescent_state();
		run_hook(c, HOOK_ISB);
	}
	oracle_exec_text(c);
}

void cpu_do(struct sim_cpu *c, enum script_action a)
{
	switch (a) {
	case SA_END:
		break;
	case SA_USER_ENTER:
		cpu_user_enter(c);
		break;
	case SA_USER_EXIT:
		cpu_user_exit(c);
		break;
	case SA_IDLE_ENTER:
		cpu_idle_enter(c);
		break;
	case SA_IDLE_EXIT:
		cpu_idle_exit(c);
		break;
	case SA_IRQ:
		cpu_take_irq(c);
		break;
	case SA_GUEST_ENTER:
		cpu_guest_enter(c);
		break;
	case SA_GUEST_EXIT:
		cpu_guest_exit(c);
		break;
	case SA_KERNEL:
		cpu_kernel_work(c, 0);
		break;
	}
}

static enum eqs_action pick_action(struct sim_cpu *c)
{
	const unsigned *w = sim_of(c)->cfg.weights;
	uint64_t total = 0;

	for (int a = 0; a < EQS_ACT_COUNT; a++)
		total += w[a];
	uint64_t r = rng_below(&c->t.rng, total);

	for (int a = 0; a < EQS_ACT_COUNT; a++) {
		if (r < w[a])
			return (enum eqs_action)a;
		r -= w[a];
	}
	return EQS_ACT_KERNEL;
}

/*
 * After every exit the kernel goes on running text (the syscall body, the
 * handler's caller, the scheduler, KVM's exit handling) before its next CSE.
 */
static void kernel_tail(struct sim_cpu *c)
{
	cpu_kernel_work(c, sim_of(c)->cfg.kernel_ns / 4);
}

static void run_action(struct sim_cpu *c, enum eqs_action a)
{
	const struct eqs_config *cfg = &sim_of(c)->cfg;

	switch (a) {
	case EQS_ACT_KERNEL:
	case EQS_ACT_COUNT:
		cpu_kernel_work(c, cfg->kernel_ns);
		return;
	case EQS_ACT_SYSCALL:
		cpu_user_enter(c);
		run_for(c, STEP_USER_RUN, cfg->user_ns);
		cpu_user_exit(c);
		break;
	case EQS_ACT_IDLE:
		cpu_idle_enter(c);
		cpu_idle_exit(c);
		break;
	case EQS_ACT_IRQ:
		cpu_user_enter(c);
		run_for(c, STEP_USER_RUN, cfg->user_ns / 2);
		cpu_take_irq(c);
		run_for(c, STEP_USER_RUN, cfg->user_ns / 2);
		cpu_user_exit(c);
		break;
	case EQS_ACT_GUEST:
		cpu_guest_enter(c);
		run_for(c, STEP_GUEST_RUN, cfg->guest_ns);
		cpu_guest_exit(c);
		break;
	}
	kernel_tail(c);
}

void *cpu_thread(void *arg)
{
	struct sim_cpu *c = arg;
	struct sim *sim = sim_of(c);

	if (qsbr(c))
		urcu_qsbr_register_thread();
	if (sim->script) {
		script_thread_start(&c->t);
		for (const enum script_action *a = c->script_actions; a && *a != SA_END; a++)
			cpu_do(c, *a);
		step_hook(&c->t, STEP_DONE);
	} else {
		while (!load_relaxed(&sim->patcher_done))
			run_action(c, pick_action(c));
	}
	if (qsbr(c))
		urcu_qsbr_unregister_thread();
	return NULL;
}

void cpu_init(struct sim *sim, struct sim_cpu *c, unsigned id)
{
	c->t.sim = sim;
	c->t.id = id;
	c->t.rng = rng_seed(sim->cfg.seed, id);
	rcu_dynticks_init(&c->dt);
	ipi_queue_init(&c->ipiq);
	c->ctx = CTX_KERNEL;
	c->irqs_on = true;
	c->watching = true;
	c->nohz_full = (sim->cfg.nohz_full >> id) & 1;
	text_refresh(&sim->text, c->fetched);
}
