/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpu_paths.c - a simulated CPU's paths into and out of EQS (exception
 * entry and return, enabling interrupts, RCU's exit and entry, the
 * library's default paths), the interrupts and NMIs it takes, and its
 * stays in a context (user mode, wfi, a guest, kernel work).  The seeded
 * workload that strings them together belongs to the stress driver.
 *
 * Each EQS exit path ends by executing the text sites right after its last
 * protocol step, before any further CSE: that is where a stale fetch shows.
 */
#include <string.h>

#include "clock.h"
#include "cpu_model.h"
#include "cpu_paths.h"
#include "rng.h"

static void cpu_take_irq(struct eqs_cpu *c);
static void cpu_take_nmi(struct eqs_cpu *c);

static void nmi_point(struct eqs_cpu *c, enum nmi_point at)
{
	if (c->ctx.nmi_at & at) {
		c->ctx.nmi_at &= (uint8_t)~at;
		cpu_take_nmi(c);
	}
}

void cpu_arm_nmis(struct eqs_cpu *c, unsigned where)
{
	c->ctx.nmi_at = (uint8_t)where;
}

void eqs_exc_entry(struct eqs_cpu *c)
{
	cpu_cse(c, STEP_EXC_ENTRY);
	/* An interrupt's entry, still in EQS with interrupts masked: an NMI may come in. */
	if (c->t.st.place.path == EQS_PATH_IRQ && !c->ctx.watching)
		nmi_point(c, NMI_IN_IRQ_ENTRY);
}

void eqs_exc_return(struct eqs_cpu *c)
{
	cpu_cse(c, STEP_EXC_RETURN);
}

/* Where interrupts are enabled, a pending IPI is taken. */
static void poll_irq(struct eqs_cpu *c)
{
	if (c->ctx.irqs_on && ipi_pending(&c->ipiq))
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

	cpu_step(c, step_of[c->t.st.place.path]);
	c->ctx.irqs_on = true;
	poll_irq(c);
}

/* Just before RCU's exit update: the race accounting looks, and a timed race begins. */
static inline __attribute__((always_inline)) void exit_update_begins(struct eqs_cpu *c)
{
	bool aimed = c->t.aimed;
	struct race_seen seen = race_note_exit(&c->race, &sim_of(c)->patcher.race, c->t.id,
					       c->ctx.fetched, c->ctx.last_exit_path, aimed);

	if (aimed) /* the update comes next: outside the window, as close to it as can be */
		race_begins(&c->t, seen.seq, seen.written);
}

/* What runs inside RCU's EQS exit once the counter says "watching". */
static void after_eqs_exit(struct eqs_cpu *c, bool work)
{
	const struct eqs_variant *v = sim_of(c)->v;

	c->t.in_exit_window = true; /* until the next refetch */
	c->ctx.watching = true;
	if (work) {
		cpu_step(c, STEP_SPECIAL_EXIT);
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

	cpu_step(c, s);
	if (!c->ctx.watching)
		exit_update_begins(c);
	work = rcu_of(c)->irq_enter(&c->rcu, !c->ctx.watching, &exited);
	if (exited)
		after_eqs_exit(c, work);
}

static void rcu_irq_exit(struct eqs_cpu *c, enum step s, bool to_eqs)
{
	cpu_step(c, s);
	rcu_of(c)->irq_exit(&c->rcu, to_eqs);
	c->ctx.watching = !to_eqs;
}

/* The entry code that runs before RCU is told (noinstr): legal in EQS, judged apart. */
static void exec_entry_text(struct eqs_cpu *c)
{
	struct text *text = &sim_of(c)->text;

	if (!text->nr_entry_sites)
		return;
	cpu_step(c, STEP_ENTRY_TEXT);
	oracle_check_entry_text(&c->oracle, text, c->ctx.fetched);
}

void eqs_rcu_exit(struct eqs_cpu *c)
{
	static const enum step step_of[EQS_PATH_COUNT] = {
		[EQS_PATH_USER] = STEP_CT_USER_EXIT,
		[EQS_PATH_IDLE] = STEP_RCU_IDLE_EXIT,
		[EQS_PATH_GUEST] = STEP_GUEST_EXIT,
		[EQS_PATH_USER_IRQ] = STEP_CT_USER_EXIT, /* enter_from_user_mode() */
	};
	enum eqs_path path = c->t.st.place.path;

	/* ct_user_exit is noinstr too. */
	if (!c->ctx.watching)
		exec_entry_text(c);
	if (path == EQS_PATH_IRQ || path == EQS_PATH_NMI) {
		rcu_irq_enter(c, path == EQS_PATH_NMI ? STEP_RCU_NMI_ENTER : STEP_RCU_IRQ_ENTER);
		return;
	}
	cpu_step(c, step_of[path]);
	if (c->ctx.watching)
		return; /* not an EQS here (user or guest mode on a CPU that is not nohz_full) */
	exit_update_begins(c);
	after_eqs_exit(c, rcu_of(c)->eqs_exit(&c->rcu));
}

/* Process-level EQS entry: ct_user_enter, rcu_idle_enter, guest_enter. */
static void rcu_enter(struct eqs_cpu *c, enum step s, int ct_state)
{
	cpu_step(c, s);
	rcu_of(c)->eqs_enter(&c->rcu, ct_state);
	c->ctx.watching = false;
}

void eqs_rcu_enter(struct eqs_cpu *c)
{
	switch (c->t.st.place.path) {
	case EQS_PATH_USER:
	case EQS_PATH_USER_IRQ: /* exit_to_user_mode() */
		if (c->ctx.nohz_full)
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
		if (c->ctx.nohz_full)
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

/* A path's half begins: its ordering blocks are counted from the first. */
static void half_begin(struct eqs_cpu *c, enum eqs_path path, bool entry)
{
	c->t.st.place.path = path;
	c->t.st.place.on_entry = entry;
	if (__builtin_expect(sim_of(c)->run.points.on, 0))
		memset(&c->t.st.points, 0, sizeof(c->t.st.points));
}

/* Run the variant's code for an EQS entry path, and check it entered EQS. */
static void run_enter(struct eqs_cpu *c, enum eqs_path path)
{
	eqs_cpu_fn fn = sim_of(c)->v->enter[path];

	half_begin(c, path, true);
	if (fn)
		fn(c);
	else
		eqs_default_enter(c, path);
	bool user_or_guest =
		path == EQS_PATH_USER || path == EQS_PATH_USER_IRQ || path == EQS_PATH_GUEST;
	bool eqs_here = c->ctx.nohz_full || !user_or_guest;

	if (c->ctx.watching && eqs_here) {
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

/* After the path executed its text: count it, and settle a race now published. */
static void path_end(struct eqs_cpu *c)
{
	stat_inc(c->stats.eqs_exits);
	stat_inc(c->stats.eqs_exits_on_path[c->ctx.last_exit_path]);
	race_settle(&c->race, &sim_of(c)->patcher.race, c->t.id);
}

/* Run the variant's code for an EQS exit path, and check it left EQS. */
static void run_exit(struct eqs_cpu *c, enum eqs_path path)
{
	eqs_cpu_fn fn = sim_of(c)->v->exit[path];
	bool eqs = !c->ctx.watching;

	c->ctx.last_exit_path = path;
	half_begin(c, path, false);
	c->ctx.irqs_on = false;
	if (fn)
		fn(c);
	else
		eqs_default_exit(c, path);
	if (!c->ctx.watching) {
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
	bool from_eqs = !c->ctx.watching;
	bool irqs_were_on = c->ctx.irqs_on, at_el0 = c->ctx.at_el0;
	enum eqs_path outer_path = c->ctx.last_exit_path;
	enum eqs_path path = nmi ? EQS_PATH_NMI : at_el0 ? EQS_PATH_USER_IRQ : EQS_PATH_IRQ;
	bool was_in_nmi = c->ctx.in_nmi;
	struct thread_state outer = c->t.st;

	c->ctx.at_el0 = false;
	c->ctx.in_nmi |= nmi;
	if (from_eqs) {
		run_exit(c, path);
	} else {
		c->ctx.irqs_on = false;
		half_begin(c, path, false);
		eqs_exc_entry(c);
		rcu_irq_enter(c, nmi ? STEP_RCU_NMI_ENTER : STEP_RCU_IRQ_ENTER);
		eqs_exec_text(c);
	}
	c->ctx.irqs_on = false;
	if (nmi) {
		cpu_step(c, STEP_NMI_HANDLER);
	} else {
		cpu_step(c, STEP_IRQ_HANDLER);
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
	c->ctx.irqs_on = irqs_were_on;
	c->ctx.at_el0 = at_el0;
	c->ctx.in_nmi = was_in_nmi;
	c->t.st = outer;
	c->ctx.last_exit_path = outer_path;
}

bool cpu_can_interrupt(struct eqs_cpu *c, bool nmi)
{
	if (nmi) /* an NMI is masked only while one runs */
		return !c->ctx.in_nmi;
	return c->ctx.irqs_on && ipi_pending(&c->ipiq);
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
	const struct sim_driver *d = c->t.run->driver;

	*aimed = false;
	if (!d || !d->stay_end || c->ctx.watching)
		return end;
	return d->stay_end(&c->t, now, end, aimed);
}

void cpu_stay(struct eqs_cpu *c, enum step s, uint32_t ns)
{
	bool aimed;

	cpu_step(c, s);
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

void cpu_user_enter(struct eqs_cpu *c)
{
	c->ctx.irqs_on = false;
	run_enter(c, EQS_PATH_USER);
	c->ctx.irqs_on = true;
	c->ctx.at_el0 = true;
}

void cpu_user_exit(struct eqs_cpu *c)
{
	c->ctx.at_el0 = false;
	run_exit(c, EQS_PATH_USER);
}

void cpu_idle_enter(struct eqs_cpu *c, uint32_t ns)
{
	c->ctx.irqs_on = false;
	run_enter(c, EQS_PATH_IDLE);
	cpu_step(c, STEP_WFI);
	nmi_point(c, NMI_IN_WFI);
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

void cpu_idle_exit(struct eqs_cpu *c)
{
	c->ctx.irqs_on = true;
	cpu_take_irq(c);
	run_exit(c, EQS_PATH_IDLE);
	c->ctx.irqs_on = true;
}

void cpu_guest_enter(struct eqs_cpu *c)
{
	c->ctx.irqs_on = false;
	run_enter(c, EQS_PATH_GUEST);
	c->ctx.irqs_on = true;
}

void cpu_guest_exit(struct eqs_cpu *c)
{
	run_exit(c, EQS_PATH_GUEST);
}

void cpu_kernel_work(struct eqs_cpu *c, uint32_t ns)
{
	c->ctx.irqs_on = true;
	cpu_stay(c, STEP_KERNEL_WORK, ns);
	if (rcu_of(c)->quiescent_state) {
		cpu_step(c, STEP_RCU_QS);
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
		cpu_idle_enter(c, sim_of(c)->cfg.idle_ns);
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
	c->ctx.irqs_on = true;
	if (ipi_pending(&c->ipiq))
		cpu_take_irq(c);
	else /* blocked: nothing to do until an IPI or the end */
		step_blocked(&c->t, STEP_KERNEL_WAIT);
}

void cpu_thread_begin(struct eqs_cpu *c)
{
	const struct sim_driver *d = c->t.run->driver;

	if (rcu_of(c)->thread_start)
		rcu_of(c)->thread_start();
	if (d && d->thread_start)
		d->thread_start(&c->t);
}

void cpu_thread_end(struct eqs_cpu *c)
{
	race_settle(&c->race, &sim_of(c)->patcher.race, c->t.id); /* every sync is published */
	if (rcu_of(c)->thread_end)
		rcu_of(c)->thread_end();
}
