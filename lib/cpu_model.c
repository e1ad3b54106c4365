/*
 * cpu_model.c - a simulated CPU: its contexts (kernel, user, idle, guest),
 * the CPU-side building blocks variants are written with, the paths into
 * and out of EQS, interrupts, and the seeded workload that strings the
 * paths together.
 *
 * Each EQS exit path ends by executing the text sites right after its last
 * protocol step, before any further CSE: that is where a stale fetch shows.
 */
#include <string.h>

#include "clock.h"
#include "driver.h"
#include "oracle.h"
#include "race.h"
#include "rng.h"

static void cpu_take_irq(struct eqs_cpu *c);
static void cpu_take_nmi(struct eqs_cpu *c);

/*
 * Where the NMIs of an NMI action arrive (c->nmi_at): during wfi and in the
 * wake interrupt's entry before rcu_irq_enter (both in EQS, interrupts
 * masked), and nested in that interrupt's handler (RCU watching).
 */
enum nmi_point {
	NMI_IN_WFI = 1,
	NMI_IN_IRQ_ENTRY = 2,
	NMI_IN_IRQ_HANDLER = 4,
};

static void nmi_point(struct eqs_cpu *c, enum nmi_point at)
{
	if (c->nmi_at & at) {
		c->nmi_at &= (uint8_t)~at;
		cpu_take_nmi(c);
	}
}

static inline struct sim *sim_of(struct eqs_cpu *c)
{
	return c->t.sim;
}

static inline const struct rcu_layout *rcu_of(struct eqs_cpu *c)
{
	return sim_of(c)->rcu;
}

unsigned eqs_cpu_id(const struct eqs_cpu *c)
{
	return c->t.id;
}

void eqs_cpu_step(struct eqs_cpu *c, int step)
{
	step_hook(&c->t, step_checked(step));
}

/* A context synchronisation event: refetch the whole text. */
static void cse(struct eqs_cpu *c, enum step s)
{
	step_hook(&c->t, s);
	mem_isb();
	text_refresh(&sim_of(c)->text, c->fetched);
	c->t.in_exit_window = false;
	step_value(&c->t, c->fetched[0], 0);
}

void eqs_exc_entry(struct eqs_cpu *c)
{
	cse(c, STEP_EXC_ENTRY);
	/* An interrupt's entry, still in EQS with interrupts masked: an NMI may come in. */
	if (c->cur_path == EQS_PATH_IRQ && !c->watching)
		nmi_point(c, NMI_IN_IRQ_ENTRY);
}

void eqs_exc_return(struct eqs_cpu *c)
{
	cse(c, STEP_EXC_RETURN);
}

void eqs_isb(struct eqs_cpu *c)
{
	if (point_edit(sim_of(c), c, STEP_ISB) == EQS_EDIT_NONE)
		cse(c, STEP_ISB);
	else
		step_hook(&c->t, STEP_ISB); /* left out: recorded, no refetch */
}

bool eqs_rcu_is_watching(struct eqs_cpu *c)
{
	const struct rcu_layout *rcu = rcu_of(c);

	return rcu->watching ? rcu->watching(&c->rcu) : c->watching;
}

void eqs_isb_if_eqs(struct eqs_cpu *c)
{
	bool left_out = point_edit(sim_of(c), c, STEP_ISB_IF_EQS) != EQS_EDIT_NONE;

	step_hook(&c->t, STEP_ISB_IF_EQS);
	if (!left_out && !eqs_rcu_is_watching(c)) {
		mem_isb();
		text_refresh(&sim_of(c)->text, c->fetched);
	}
}

void eqs_cpu_wait_until(struct eqs_cpu *c, int step, eqs_cond_fn cond, void *arg)
{
	enum step s = step_checked(step);

	step_hook(&c->t, s);
	while (!cond(arg) && wait_turn(&c->t, s))
		;
}

/*
 * A barrier block: its step, then its instruction, unless the run's edit
 * removes it, or weakens it to the weaker one (a dsb to the dmb of the same
 * accesses; NULL: nothing weaker).
 */
static void barrier_block(struct eqs_cpu *c, enum step s, void (*insn)(void), void (*weaker)(void))
{
	enum eqs_edit_kind e = point_edit(sim_of(c), c, s);

	step_hook(&c->t, s);
	if (e == EQS_EDIT_NONE)
		insn();
	else if (e == EQS_EDIT_WEAKEN && weaker)
		weaker();
}

void eqs_dsb(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DSB, mem_dsb, mem_dmb);
}

void eqs_dmb(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DMB, mem_dmb, NULL);
}

void eqs_dsb_st(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DSB_ST, mem_dsb_st, mem_dmb_st);
}

void eqs_dsb_ld(struct eqs_cpu *c)
{
	barrier_block(c, STEP_DSB_LD, mem_dsb_ld, mem_dmb_ld);
}

/* Where interrupts are enabled, a pending IPI is taken. */
static void poll_irq(struct eqs_cpu *c)
{
	if (c->irqs_on && ipi_pending(&c->ipiq))
		cpu_take_irq(c);
}

void eqs_enable_irqs(struct eqs_cpu *c)
{
	static const enum step step_of[EQS_PATH_COUNT] = {
		[EQS_PATH_USER] = STEP_ENABLE_DAIF,
		[EQS_PATH_IDLE] = STEP_LOCAL_IRQ_ENABLE,
		[EQS_PATH_IRQ] = STEP_LOCAL_IRQ_ENABLE,
		[EQS_PATH_GUEST] = STEP_LOCAL_IRQ_ENABLE,
		[EQS_PATH_USER_IRQ] = STEP_LOCAL_IRQ_ENABLE,
		[EQS_PATH_NMI] = STEP_LOCAL_IRQ_ENABLE,
	};

	step_hook(&c->t, step_of[c->cur_path]);
	c->irqs_on = true;
	poll_irq(c);
}

void eqs_exec_text(struct eqs_cpu *c)
{
	oracle_exec_text(c);
}

/* What runs inside RCU's EQS exit once the counter says "watching". */
static void after_eqs_exit(struct eqs_cpu *c, bool work)
{
	const struct eqs_variant *v = sim_of(c)->v;

	c->t.in_exit_window = true; /* until the next refetch */
	c->watching = true;
	if (work) {
		step_hook(&c->t, STEP_SPECIAL_EXIT);
		if (v->deferred)
			v->deferred(c);
	}
	if (v->rcu_exit_sync)
		v->rcu_exit_sync(c);
}

/*
 * rcu_irq_enter() / rcu_nmi_enter() (4.16), ct_irq_enter() / ct_nmi_enter()
 * (6.x): they nest; only the outermost one taken in EQS leaves it, and the
 * context state stays what it was (idle, user, guest).
 */
static void rcu_irq_enter(struct eqs_cpu *c, enum step s)
{
	bool exited = false, work;

	step_hook(&c->t, s);
	if (!c->watching)
		race_note_exit(c);
	work = rcu_of(c)->irq_enter(&c->rcu, !c->watching, &exited);
	if (exited)
		after_eqs_exit(c, work);
}

static void rcu_irq_exit(struct eqs_cpu *c, enum step s, bool to_eqs)
{
	step_hook(&c->t, s);
	rcu_of(c)->irq_exit(&c->rcu, to_eqs);
	c->watching = !to_eqs;
}

void eqs_rcu_exit(struct eqs_cpu *c)
{
	static const enum step step_of[EQS_PATH_COUNT] = {
		[EQS_PATH_USER] = STEP_CT_USER_EXIT,
		[EQS_PATH_IDLE] = STEP_RCU_IDLE_EXIT,
		[EQS_PATH_GUEST] = STEP_GUEST_EXIT,
		[EQS_PATH_USER_IRQ] = STEP_CT_USER_EXIT, /* enter_from_user_mode() */
	};
	/* The entry code that runs before RCU is told (ct_user_exit is noinstr too). */
	if (!c->watching)
		oracle_exec_entry_text(c);
	if (c->cur_path == EQS_PATH_IRQ || c->cur_path == EQS_PATH_NMI) {
		rcu_irq_enter(c, c->cur_path == EQS_PATH_NMI ? STEP_RCU_NMI_ENTER
							     : STEP_RCU_IRQ_ENTER);
		return;
	}
	step_hook(&c->t, step_of[c->cur_path]);
	if (c->watching)
		return; /* not an EQS here (user or guest mode on a CPU that is not nohz_full) */
	race_note_exit(c);
	after_eqs_exit(c, rcu_of(c)->eqs_exit(&c->rcu));
}

/* Process-level EQS entry: ct_user_enter, rcu_idle_enter, guest_enter. */
static void rcu_enter(struct eqs_cpu *c, enum step s, int ct_state)
{
	step_hook(&c->t, s);
	rcu_of(c)->eqs_enter(&c->rcu, ct_state);
	c->watching = false;
}

void eqs_rcu_enter(struct eqs_cpu *c)
{
	switch (c->cur_path) {
	case EQS_PATH_USER:
	case EQS_PATH_USER_IRQ: /* exit_to_user_mode() */
		if (c->nohz_full)
			rcu_enter(c, STEP_CT_USER_ENTER, EQS_CT_STATE_USER);
		break;
	case EQS_PATH_IDLE:
		rcu_enter(c, STEP_RCU_IDLE_ENTER, EQS_CT_STATE_IDLE);
		break;
	case EQS_PATH_IRQ:
		rcu_irq_exit(c, STEP_RCU_IRQ_EXIT, true);
		break;
	case EQS_PATH_NMI:
		rcu_irq_exit(c, STEP_RCU_NMI_EXIT, true);
		break;
	case EQS_PATH_GUEST:
	case EQS_PATH_COUNT:
		/* guest_enter_irqoff(): an EQS only with context tracking (nohz_full) */
		if (c->nohz_full)
			rcu_enter(c, STEP_GUEST_ENTER, EQS_CT_STATE_GUEST);
		break;
	}
}

void eqs_default_enter(struct eqs_cpu *c, enum eqs_path path)
{
	eqs_rcu_enter(c);
	if (path != EQS_PATH_IDLE)
		eqs_exc_return(c); /* eret to user, to the guest, or from the interrupt */
}

/* Run the variant's code for an EQS entry path, and check it entered EQS. */
/* A path's half begins: its ordering blocks are counted from the first. */
static void points_begin(struct eqs_cpu *c, bool entry)
{
	c->on_entry = entry;
	if (__builtin_expect(sim_of(c)->points_on, 0))
		memset(&c->points, 0, sizeof(c->points));
}

static void run_enter(struct eqs_cpu *c, enum eqs_path path)
{
	eqs_cpu_fn fn = sim_of(c)->v->enter[path];

	c->cur_path = path;
	points_begin(c, true);
	if (fn)
		fn(c);
	else
		eqs_default_enter(c, path);
	bool user_or_guest =
		path == EQS_PATH_USER || path == EQS_PATH_USER_IRQ || path == EQS_PATH_GUEST;
	bool eqs_here = c->nohz_full || !user_or_guest;

	if (c->watching && eqs_here) {
		/* The variant's path never told RCU: a bug in the variant's code. */
		stat_inc(c->stats.bad_paths);
		eqs_rcu_enter(c);
	}
}

void eqs_default_exit(struct eqs_cpu *c, enum eqs_path path)
{
	switch (path) {
	case EQS_PATH_USER:  /* el0_svc */
	case EQS_PATH_GUEST: /* VHE: the trap, then KVM enables irqs, then guest_exit */
		eqs_exc_entry(c);
		eqs_enable_irqs(c);
		eqs_rcu_exit(c);
		break;
	case EQS_PATH_IDLE: /* after the wake interrupt: rcu_idle_exit */
		eqs_rcu_exit(c);
		break;
	case EQS_PATH_IRQ:	/* exception entry, rcu_irq_enter */
	case EQS_PATH_USER_IRQ: /* el0_irq: exception entry, ct_user_exit, interrupts masked */
	case EQS_PATH_NMI:	/* exception entry, rcu_nmi_enter */
	case EQS_PATH_COUNT:
		eqs_exc_entry(c);
		eqs_rcu_exit(c);
		break;
	}
	eqs_exec_text(c);
}

static void path_begin(struct eqs_cpu *c, enum eqs_path p)
{
	c->last_exit_path = p;
	c->cur_path = p;
	points_begin(c, false);
}

/* After the path executed its text: count it, and settle a race now published. */
static void path_end(struct eqs_cpu *c)
{
	stat_inc(c->stats.eqs_exits);
	stat_inc(c->stats.eqs_exits_on_path[c->last_exit_path]);
	race_settle(c);
}

/* Run the variant's code for an EQS exit path, and check it left EQS. */
static void run_exit(struct eqs_cpu *c, enum eqs_path path)
{
	eqs_cpu_fn fn = sim_of(c)->v->exit[path];
	bool eqs = !c->watching;

	path_begin(c, path);
	c->irqs_on = false;
	if (fn)
		fn(c);
	else
		eqs_default_exit(c, path);
	if (!c->watching) {
		/* The variant's path never told RCU: a bug in the variant's code. */
		stat_inc(c->stats.bad_paths);
		eqs_rcu_exit(c);
	}
	if (eqs)
		path_end(c);
}

/*
 * An interrupt or an NMI: exception entry, RCU's entry, the handler, RCU's
 * exit, exception return.  Taken in EQS, the first part is the variant's
 * exit path for it: an interrupt in user mode is the full user exit
 * (enter_from_user_mode, state KERNEL), one in kernel-mode EQS (idle, a
 * guest exit before guest_exit) goes through rcu_irq_enter, an NMI through
 * rcu_nmi_enter.  Taken while RCU watches, they only nest.
 */
static void take_exception(struct eqs_cpu *c, bool nmi)
{
	bool from_eqs = !c->watching;
	bool irqs_were_on = c->irqs_on, at_el0 = c->at_el0;
	enum eqs_path outer_path = c->last_exit_path;
	enum eqs_path outer_cur = c->cur_path;
	enum eqs_path path = nmi ? EQS_PATH_NMI : at_el0 ? EQS_PATH_USER_IRQ : EQS_PATH_IRQ;

	bool was_in_nmi = c->in_nmi, outer_on_entry = c->on_entry;
	struct point_count outer_points = c->points;

	c->at_el0 = false;
	c->in_nmi |= nmi;
	if (from_eqs) {
		run_exit(c, path);
	} else {
		c->irqs_on = false;
		c->cur_path = path;
		points_begin(c, false);
		eqs_exc_entry(c);
		rcu_irq_enter(c, nmi ? STEP_RCU_NMI_ENTER : STEP_RCU_IRQ_ENTER);
		eqs_exec_text(c);
	}
	c->irqs_on = false;
	if (nmi) {
		step_hook(&c->t, STEP_NMI_HANDLER);
	} else {
		step_hook(&c->t, STEP_IRQ_HANDLER);
		if (ipi_handle(&c->ipiq) && from_eqs)
			stat_inc(c->stats.eqs_disturbed);
		nmi_point(c, NMI_IN_IRQ_HANDLER);
	}
	if (from_eqs) {
		run_enter(c, path);
	} else {
		rcu_irq_exit(c, nmi ? STEP_RCU_NMI_EXIT : STEP_RCU_IRQ_EXIT, false);
		eqs_exc_return(c);
	}
	c->irqs_on = irqs_were_on;
	c->at_el0 = at_el0;
	c->in_nmi = was_in_nmi;
	c->on_entry = outer_on_entry;
	c->points = outer_points;
	c->last_exit_path = outer_path;
	c->cur_path = outer_cur;
}

bool cpu_can_interrupt(struct eqs_cpu *c, bool nmi)
{
	if (nmi) /* an NMI is masked only while one runs */
		return !c->in_nmi;
	return c->irqs_on && ipi_pending(&c->ipiq);
}

void cpu_interrupt(struct eqs_cpu *c, bool nmi)
{
	if (cpu_can_interrupt(c, nmi))
		take_exception(c, nmi);
}

static void cpu_take_irq(struct eqs_cpu *c)
{
	take_exception(c, false);
}

static void cpu_take_nmi(struct eqs_cpu *c)
{
	take_exception(c, true);
}

/*
 * Where an EQS stay that would end at end really ends: the driver may time
 * the exit after it (stay_end).  Only a stay in EQS is timed.
 */
static uint64_t stay_end(struct eqs_cpu *c, uint64_t now, uint64_t end, bool *aimed)
{
	const struct sim_driver *d = sim_of(c)->driver;

	*aimed = false;
	if (!d || !d->stay_end || c->watching)
		return end;
	return d->stay_end(&c->t, now, end, aimed);
}

/* Stay in the current context for about ns (seeded), taking interrupts. */
static void run_for(struct eqs_cpu *c, enum step s, uint32_t ns)
{
	bool aimed;

	step_hook(&c->t, s);
	if (!ns) {
		poll_irq(c);
		return;
	}
	uint64_t len = clock_ns_to_cycles(ns / 2 + rng_below(&c->t.rng, ns + 1));
	uint64_t now = cycles_now();
	uint64_t end = stay_end(c, now, now + len, &aimed);
	uint64_t approach = end - (aimed ? clock_final_approach() : 0);

	do {
		poll_irq(c);
		cpu_relax();
	} while (cycles_now() < approach);
	if (aimed)
		clock_spin_until(end);
	c->t.aimed = aimed; /* the exit that follows is the timed one */
}

static void cpu_user_enter(struct eqs_cpu *c)
{
	c->irqs_on = false;
	run_enter(c, EQS_PATH_USER);
	c->irqs_on = true;
	c->at_el0 = true;
}

static void cpu_user_exit(struct eqs_cpu *c)
{
	c->at_el0 = false;
	run_exit(c, EQS_PATH_USER);
}

/* do_idle(): rcu_idle_enter, then wfi until an interrupt is pending. */
static void cpu_idle_enter(struct eqs_cpu *c)
{
	c->irqs_on = false;
	run_enter(c, EQS_PATH_IDLE);
	step_hook(&c->t, STEP_WFI);
	nmi_point(c, NMI_IN_WFI);
	uint32_t ns = sim_of(c)->cfg.idle_ns;

	if (!ns)
		return;
	uint64_t now = cycles_now(),
		 len = clock_ns_to_cycles(ns / 2 + rng_below(&c->t.rng, ns + 1));
	bool aimed, woken = false;
	uint64_t end = stay_end(c, now, now + len, &aimed);

	uint64_t approach = end - (aimed ? clock_final_approach() : 0);

	while (cycles_now() < approach && !(woken = ipi_pending(&c->ipiq)))
		cpu_relax();
	if (aimed && !woken)
		clock_spin_until(end);
	c->t.aimed = aimed && !woken; /* an IPI woke it early: not the timed exit */
}

/* The wake interrupt is taken in EQS (arch_cpu_idle's local_irq_enable), then the idle exit. */
static void cpu_idle_exit(struct eqs_cpu *c)
{
	c->irqs_on = true;
	cpu_take_irq(c);
	run_exit(c, EQS_PATH_IDLE);
	c->irqs_on = true;
}

/* guest_enter_irqoff, then the exception return into the guest. */
static void cpu_guest_enter(struct eqs_cpu *c)
{
	c->irqs_on = false;
	run_enter(c, EQS_PATH_GUEST);
	c->irqs_on = true;
}

static void cpu_guest_exit(struct eqs_cpu *c)
{
	run_exit(c, EQS_PATH_GUEST);
}

/* Kernel work with interrupts enabled; QSBR reports a quiescent state then isb. */
static void cpu_kernel_work(struct eqs_cpu *c, uint32_t ns)
{
	c->irqs_on = true;
	run_for(c, STEP_KERNEL_WORK, ns);
	if (rcu_of(c)->quiescent_state) {
		step_hook(&c->t, STEP_RCU_QS);
		rcu_of(c)->quiescent_state();
		eqs_isb(c);
	}
	eqs_exec_text(c);
}

void cpu_do(struct eqs_cpu *c, enum cpu_op op)
{
	switch (op) {
	case CPU_OP_END:
		break;
	case CPU_OP_USER_ENTER:
		cpu_user_enter(c);
		break;
	case CPU_OP_USER_EXIT:
		cpu_user_exit(c);
		break;
	case CPU_OP_IDLE_ENTER:
		cpu_idle_enter(c);
		break;
	case CPU_OP_IDLE_EXIT:
		cpu_idle_exit(c);
		break;
	case CPU_OP_IRQ:
		cpu_take_irq(c);
		break;
	case CPU_OP_NMI:
		cpu_take_nmi(c);
		break;
	case CPU_OP_GUEST_ENTER:
		cpu_guest_enter(c);
		break;
	case CPU_OP_GUEST_EXIT:
		cpu_guest_exit(c);
		break;
	case CPU_OP_KERNEL:
		cpu_kernel_work(c, 0);
		break;
	}
}

void cpu_kernel_wait(struct eqs_cpu *c)
{
	c->irqs_on = true;
	if (ipi_pending(&c->ipiq))
		cpu_take_irq(c);
	else /* blocked: nothing to do until an IPI or the end */
		step_blocked(&c->t, STEP_KERNEL_WAIT);
}

enum eqs_action cpu_pick_action(struct eqs_cpu *c)
{
	const unsigned *w = sim_of(c)->cfg.weights;
	uint64_t total = 0;

	if (sim_of(c)->cfg.idle_cpus >> c->t.id & 1)
		return EQS_ACT_IDLE;

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
static void kernel_tail(struct eqs_cpu *c)
{
	cpu_kernel_work(c, sim_of(c)->cfg.kernel_ns / 4);
}

void cpu_run_action(struct eqs_cpu *c, enum eqs_action a)
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
	case EQS_ACT_NMI: {
		/* Each point by a coin; at least one NMI that leaves EQS. */
		uint8_t at = (uint8_t)rng_below(&c->t.rng, 8);

		c->nmi_at = at & (NMI_IN_WFI | NMI_IN_IRQ_ENTRY) ? at : at | NMI_IN_WFI;
		cpu_idle_enter(c);
		cpu_idle_exit(c);
		c->nmi_at = 0;
		break;
	}
	}
	kernel_tail(c);
}

void cpu_thread_begin(struct eqs_cpu *c)
{
	const struct sim_driver *d = sim_of(c)->driver;

	if (rcu_of(c)->thread_start)
		rcu_of(c)->thread_start();
	if (d && d->thread_start)
		d->thread_start(&c->t);
}

void cpu_thread_end(struct eqs_cpu *c)
{
	race_settle(c); /* every sync has been published by now */
	if (rcu_of(c)->thread_end)
		rcu_of(c)->thread_end();
}

/* An update's ordering as the run's edit leaves it: one step weaker, or removed to relaxed. */
static enum eqs_order edit_order(const struct eqs_edit *e, enum eqs_point_kind kind,
				 enum eqs_order order)
{
	if (e->kind == EQS_EDIT_NONE || e->point.kind != kind)
		return order;
	if (e->kind == EQS_EDIT_STRENGTHEN)
		return order == EQS_ORDER_RELAXED ? EQS_ORDER_RELEASE : EQS_ORDER_FULL;
	if (e->kind == EQS_EDIT_REMOVE || order == EQS_ORDER_RELEASE)
		return EQS_ORDER_RELAXED;
	return order == EQS_ORDER_FULL ? EQS_ORDER_RELEASE : EQS_ORDER_RELAXED;
}

static enum eqs_order edited_order(const struct sim *sim, enum eqs_point_kind kind,
				   enum eqs_order order)
{
	return edit_order(&sim->cfg.edit2, kind, edit_order(&sim->cfg.edit, kind, order));
}

void cpu_init(struct sim *sim, struct eqs_cpu *c, unsigned id)
{
	c->t.sim = sim;
	c->t.id = id;
	c->t.rng = rng_seed(sim->cfg.seed, id);
	sim->rcu->init(&c->rcu, edited_order(sim, EQS_POINT_EXIT_ORDER, sim->v->exit_order),
		       edited_order(sim, EQS_POINT_ENTER_ORDER, sim->v->enter_order));
	ipi_queue_init(&c->ipiq);
	c->irqs_on = true;
	c->watching = true;
	c->nohz_full = (sim->cfg.nohz_full >> id) & 1;
	text_refresh(&sim->text, c->fetched);
}
