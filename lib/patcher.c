/*
 * patcher.c - the patcher thread and the patcher-side building blocks
 * variants write their syncs with.  From the text write to the last
 * counter access the blocks only record their step (no delay, no jitter,
 * no timestamp), so the harness never closes a store-buffering window.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "driver.h"
#include "race.h"
#include "rng.h"

static inline struct sim *sim_of(struct eqs_patcher *p)
{
	return p->t.sim;
}

/*
 * The patch window runs from the text write to the first IPI send (or wait,
 * or publication): the counter reads of a store-buffering shape lie in it.
 * Any step recorded there, a user's included, is recorded only: no delay,
 * no jitter, no timestamp.
 */
static void window_open(struct eqs_patcher *p)
{
	if (p->t.aimed) { /* an aimed window begins: no jitter was added on the way */
		p->t.aimed = false;
		p->t.aimed_began = cycles_now(); /* before the write: outside the window */
	}
	p->in_window = true;
}

static void window_close(struct eqs_patcher *p)
{
	p->in_window = false;
}

void eqs_patcher_step(struct eqs_patcher *p, int step)
{
	enum step s = step_checked(step);

	if (p->in_window)
		step_window(&p->t, s);
	else
		step_hook(&p->t, s);
}

unsigned eqs_nr_cpus(const struct eqs_patcher *p)
{
	return p->t.sim->ncpu;
}

uint64_t eqs_all_cpus(const struct eqs_patcher *p)
{
	unsigned n = eqs_nr_cpus(p);

	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

void eqs_patch_write(struct eqs_patcher *p)
{
	step_hook(&p->t, STEP_PATCH_WRITE);
	window_open(p);
	p->gen = text_write(&sim_of(p)->text, p->site);
	race_sync_written(p, p->site, p->gen); /* relaxed stores: no fence */
}

void eqs_patch_dc_cvau(struct eqs_patcher *p)
{
	bool left_out = point_edit(sim_of(p), NULL, STEP_DC_CVAU) != EQS_EDIT_NONE;

	step_window(&p->t, STEP_DC_CVAU);
	if (!left_out)
		text_dc_cvau(&sim_of(p)->text, p->site);
}

/* Weakened, the dsb is a dmb: data ordered, the maintenance before it not completed. */
void eqs_patch_dsb(struct eqs_patcher *p)
{
	enum eqs_edit_kind e = point_edit(sim_of(p), NULL, STEP_PATCH_DSB);

	step_window(&p->t, STEP_PATCH_DSB);
	if (e == EQS_EDIT_NONE)
		text_dsb(&sim_of(p)->text);
	else if (e == EQS_EDIT_WEAKEN)
		mem_dmb();
}

void eqs_patch_ic_ivau(struct eqs_patcher *p)
{
	bool left_out = point_edit(sim_of(p), NULL, STEP_IC_IVAU) != EQS_EDIT_NONE;

	step_window(&p->t, STEP_IC_IVAU);
	if (!left_out)
		text_ic_ivau(&sim_of(p)->text, p->site);
}

/* Does edit e act on (or before) one of the patcher's cache maintenance steps? */
static bool edits_maint(const struct eqs_edit *e)
{
	return e->kind != EQS_EDIT_NONE && e->point.patcher &&
	       (e->point.step == STEP_DC_CVAU || e->point.step == STEP_PATCH_DSB ||
		e->point.step == STEP_IC_IVAU);
}

/*
 * aarch64_insn_patch_text()'s maintenance, as Linux writes it.  With a
 * coherent I-cache (x86) there is none, as in x86's kernel: not even its
 * steps are recorded, so the window between the text write and the counter
 * reads is as short as the real one (unless the run lists ordering points
 * or edits one of these).
 */
void eqs_patch_cache_maint(struct eqs_patcher *p)
{
	struct sim *sim = sim_of(p);

	if (text_coherent(&sim->text) && !sim->record_points && !edits_maint(&sim->cfg.edit) &&
	    !edits_maint(&sim->cfg.edit2))
		return;
	eqs_patch_dc_cvau(p);
	eqs_patch_dsb(p); /* the clean completes before the invalidate */
	eqs_patch_ic_ivau(p);
	eqs_patch_dsb(p); /* the invalidate completes: the new text is fetchable */
}

void eqs_smp_mb(struct eqs_patcher *p)
{
	bool left_out = point_edit(sim_of(p), NULL, STEP_SMP_MB) != EQS_EDIT_NONE;

	step_window(&p->t, STEP_SMP_MB);
	if (!left_out)
		smp_mb();
}

static struct eqs_cpu *cpu_of(struct eqs_patcher *p, unsigned cpu)
{
	return &sim_of(p)->cpus[cpu < sim_of(p)->ncpu ? cpu : 0];
}

/* One remote read of a CPU's RCU word, as a step inside the patch window. */
static unsigned int read_word(struct eqs_patcher *p, unsigned cpu,
			      unsigned int (*read)(union rcu_word *w))
{
	struct eqs_cpu *c = cpu_of(p, cpu);

	step_window(&p->t, STEP_READ_DYNTICKS);
	unsigned int snap = read(&c->rcu);

	step_value(&p->t, (uint32_t)snap, cpu);
	return snap;
}

unsigned int eqs_snap(struct eqs_patcher *p, unsigned cpu)
{
	return read_word(p, cpu, sim_of(p)->rcu->snap);
}

unsigned int eqs_snap_full(struct eqs_patcher *p, unsigned cpu)
{
	return read_word(p, cpu, sim_of(p)->rcu->snap_full);
}

bool eqs_snap_in_eqs(const struct eqs_patcher *p, unsigned int snap)
{
	return p->t.sim->rcu->snap_in_eqs(snap);
}

/* The outcome of a deferred-work offer: this sync gave cpu work instead of waiting for it. */
static bool offered(struct eqs_patcher *p, unsigned cpu, bool set)
{
	if (set && cpu < eqs_nr_cpus(p))
		p->deferred |= 1ull << cpu;
	step_value(&p->t, set, cpu);
	return set;
}

bool eqs_special_set(struct eqs_patcher *p, unsigned cpu)
{
	const struct rcu_layout *rcu = sim_of(p)->rcu;

	step_window(&p->t, STEP_SPECIAL_SET);
	return offered(p, cpu, rcu->special_set && rcu->special_set(&cpu_of(p, cpu)->rcu));
}

bool eqs_ct_work_set_gated(struct eqs_patcher *p, unsigned cpu, eqs_ct_gate_fn gate, void *arg)
{
	const struct rcu_layout *rcu = sim_of(p)->rcu;

	step_window(&p->t, STEP_CT_WORK_SET);
	return offered(p, cpu,
		       gate && rcu->ct_work_set &&
			       rcu->ct_work_set(&cpu_of(p, cpu)->rcu, gate, arg));
}

bool eqs_ct_work_set(struct eqs_patcher *p, unsigned cpu, unsigned gate)
{
	return eqs_ct_work_set_gated(p, cpu, ct_gate_bits, &gate);
}

bool eqs_ct_word_watching(unsigned int word)
{
	return ct_word_watching(word);
}

int eqs_ct_word_state(unsigned int word)
{
	return ct_word_state(word);
}

static void wait_acked(struct eqs_patcher *p, unsigned cpu)
{
	while (!ipi_acked(&p->msgs[cpu]) && wait_turn(&p->t, STEP_IPI_WAIT))
		;
	p->ipis_in_flight &= ~(1ull << cpu);
	p->ipis_waited |= 1ull << cpu;
}

static void send_many(struct eqs_patcher *p, uint64_t mask, void (*func)(void *))
{
	struct sim *sim = sim_of(p);

	mask &= eqs_all_cpus(p);
	if (!mask)
		return;
	window_close(p);
	step_hook(&p->t, STEP_IPI_SEND);
	for (unsigned cpu = 0; cpu < sim->ncpu; cpu++) {
		if (!(mask >> cpu & 1))
			continue;
		if (p->ipis_in_flight >> cpu & 1)
			wait_acked(p,
				   cpu); /* its message is still queued: reuse it only once acked */
		ipi_send(&sim->cpus[cpu].ipiq, &p->msgs[cpu], func, &sim->cpus[cpu]);
		p->ipis_in_flight |= 1ull << cpu;
		p->ipis_sent++;
	}
}

static void wait_many(struct eqs_patcher *p, uint64_t mask)
{
	mask &= p->ipis_in_flight;
	if (!mask)
		return;
	window_close(p);
	step_hook(&p->t, STEP_IPI_WAIT);
	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++)
		if (mask >> cpu & 1)
			wait_acked(p, cpu);
}

void eqs_smp_call_many(struct eqs_patcher *p, uint64_t mask, bool wait)
{
	send_many(p, mask, NULL);
	if (wait)
		wait_many(p, mask);
}

void eqs_skip_eqs_cpus(struct eqs_patcher *p, eqs_snap_fn snap)
{
	uint64_t ipi = 0;

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (!eqs_snap_in_eqs(p, snap(p, cpu)))
			ipi |= 1ull << cpu; /* RCU watches it: IPI; else skip it */
	}
	eqs_smp_call_many(p, ipi, true);
}

void eqs_defer_or_ipi(struct eqs_patcher *p, eqs_offer_fn offer)
{
	uint64_t ipi = 0;

	for (unsigned cpu = 0; cpu < eqs_nr_cpus(p); cpu++) {
		if (!offer(p, cpu))
			ipi |= 1ull << cpu; /* refused: IPI; else it runs the work itself */
	}
	eqs_smp_call_many(p, ipi, true);
}

void eqs_patcher_wait_until(struct eqs_patcher *p, int step, eqs_cond_fn cond, void *arg)
{
	eqs_patcher_step(p, step);
	while (!cond(arg) && wait_turn(&p->t, step_checked(step)))
		;
}

/* The IPI handler of eqs_smp_call_func_many(): the patcher's function, on this CPU. */
static void call_ipi_fn(void *info)
{
	struct eqs_cpu *c = info;

	load_relaxed (&c->t.sim->patcher.ipi_fn)(c);
}

void eqs_smp_call_func_many(struct eqs_patcher *p, uint64_t mask, eqs_cpu_fn fn, bool wait)
{
	store_relaxed(&p->ipi_fn, fn); /* the enqueue after it is a full barrier */
	send_many(p, mask, fn ? call_ipi_fn : NULL);
	if (wait)
		wait_many(p, mask);
}

void eqs_synchronize_rcu(struct eqs_patcher *p)
{
	const struct rcu_layout *rcu = sim_of(p)->rcu;

	window_close(p);
	step_hook(&p->t, STEP_SYNCHRONIZE_RCU);
	if (rcu->synchronize)
		rcu->synchronize();
}

/*
 * A CPU's part of the rendezvous, in its IPI handler: arrive, spin until
 * the patcher has patched and added its own 1, then isb before leaving.
 */
static void stop_machine_cpu(void *info)
{
	struct eqs_cpu *c = info;
	struct eqs_patcher *p = &c->t.sim->patcher;
	unsigned int total = c->t.sim->ncpu + 1;

	step_hook(&c->t, STEP_STOP_MACHINE_WAIT);
	eqs_atomic_add_return(1, &p->stop_machine_count);
	while (eqs_atomic_read(&p->stop_machine_count) < total &&
	       wait_turn(&c->t, STEP_STOP_MACHINE_WAIT))
		;
	/* The read of the count feeds the branch above; the isb orders the refetch after it. */
	eqs_isb(c);
}

void eqs_stop_machine_patch(struct eqs_patcher *p)
{
	unsigned int ncpu = eqs_nr_cpus(p);

	window_close(p);
	step_hook(&p->t, STEP_STOP_MACHINE);
	eqs_atomic_set(&p->stop_machine_count, 0);
	send_many(p, eqs_all_cpus(p), stop_machine_cpu);
	while (eqs_atomic_read(&p->stop_machine_count) < ncpu &&
	       wait_turn(&p->t, STEP_STOP_MACHINE))
		;
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	/* Fully ordered: the write is visible before any CPU sees the release. */
	eqs_atomic_add_return(1, &p->stop_machine_count);
	wait_many(p, eqs_all_cpus(p));
}

/* Whom this sync did not wait for: given deferred work, or skipped. */
static void account_left_out(struct eqs_patcher *p)
{
	uint64_t out = eqs_all_cpus(p) & ~p->ipis_waited;

	p->ipis_deferred += (uint64_t)__builtin_popcountll(out & p->deferred);
	p->ipis_skipped += (uint64_t)__builtin_popcountll(out & ~p->deferred);
	if (out) /* read by the stress controller while the run goes */
		store_relaxed(&p->syncs_leaving_out, p->syncs_leaving_out + 1);
}

void patch_once(struct sim *sim, unsigned site)
{
	struct eqs_patcher *p = &sim->patcher;

	p->site = site;
	p->seq = p->sync_seq + 1;
	/* A patch function that writes nothing publishes the text as it is. */
	p->gen = load_relaxed(&sim->text.gen[site]);
	uint64_t start = p->sync_cycles ? cycles_now() : 0;

	p->ipis_waited = 0;
	p->deferred = 0;
	if (__builtin_expect(sim->points_on, 0)) /* this sync's blocks, counted from the first */
		memset(&p->points, 0, sizeof(p->points));
	race_sync_begin(p);
	sim->v->patch(p);
	if (site >= sim->text.nr_sites) {
		/* Entry code: only a sync that interrupted every CPU covers it. */
		p->entry_patches++;
		if ((p->ipis_waited & eqs_all_cpus(p)) != eqs_all_cpus(p))
			p->protocol_errors++;
	}
	window_close(p);
	step_hook(&p->t, STEP_PUBLISH);
	text_publish(&sim->text, site, p->gen);
	step_value(&p->t, p->gen, site);
	account_left_out(p);
	race_sync_published(p);
	p->t.aimed = false; /* a sync that wrote nothing: its aim is spent too */
	if (p->sync_cycles) /* stress runs keep latency samples */
		p->sync_cycles[p->nr_samples++ % SYNC_SAMPLES] = cycles_now() - start;
	store_relaxed(&p->patches, p->patches + 1);
}

unsigned patcher_pick_site(struct sim *sim)
{
	struct text *t = &sim->text;
	uint64_t *rng = &sim->patcher.t.rng;

	if (t->nr_entry_sites && rng_below(rng, 100) < sim->cfg.entry_patch_percent)
		return t->nr_sites + (unsigned)rng_below(rng, t->nr_entry_sites);
	return (unsigned)rng_below(rng, t->nr_sites);
}

void patcher_thread_begin(struct eqs_patcher *p)
{
	const struct sim_driver *d = sim_of(p)->driver;

	if (d && d->thread_start)
		d->thread_start(&p->t);
}

void patcher_finish(struct sim *sim)
{
	struct eqs_patcher *p = &sim->patcher;

	wait_many(p, p->ipis_in_flight); /* the CPUs run until patcher_done */
	store_relaxed(&sim->patcher_done, 1);
}

void patcher_init(struct sim *sim)
{
	struct eqs_patcher *p = &sim->patcher;

	p->t.sim = sim;
	p->t.id = EQS_PATCHER_ID;
	p->t.rng = rng_seed(sim->cfg.seed, EQS_PATCHER_ID);
}
