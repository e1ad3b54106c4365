/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * patcher.c - the patcher thread's building blocks: its steps, the text
 * write, cache maintenance, smp_mb(), the remote reads of a CPU's RCU word
 * and the deferred-work offers; and one patch from write to publication.
 * From the text write to the last counter access the blocks only record
 * their step (no delay, no jitter, no timestamp), so the harness never
 * closes a store-buffering window.  The syncs built on IPIs are sync.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "patcher.h"
#include "rng.h"

static void window_open(struct eqs_patcher *p)
{
	if (p->t.aimed) /* an aimed window begins: no jitter was added on the way */
		race_begins(&p->t, 0, false); /* before the write: outside the window */
	p->ctx.in_window = true;
}

void eqs_patcher_step(struct eqs_patcher *p, int step)
{
	patcher_step_at(p, step_checked(step), p->ctx.in_window);
}

unsigned eqs_nr_cpus(const struct eqs_patcher *p)
{
	return patcher_sim(p)->ncpu;
}

uint64_t eqs_all_cpus(const struct eqs_patcher *p)
{
	unsigned n = eqs_nr_cpus(p);

	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

void eqs_patch_write(struct eqs_patcher *p)
{
	struct text *text = &patcher_sim(p)->text;

	patcher_step(p, STEP_PATCH_WRITE);
	window_open(p);
	p->ctx.wrote = true;
	p->ctx.gen = text_write(text, p->ctx.site, &text->patcher);
	race_sync_written(&p->race, p->seq, p->ctx.site, p->ctx.gen); /* relaxed: no fence */
}

void eqs_patch_dc_cvau(struct eqs_patcher *p)
{
	bool left_out = patcher_point_edit(p, STEP_DC_CVAU) != EQS_EDIT_NONE;

	patcher_window_step(p, STEP_DC_CVAU);
	if (!left_out)
		text_dc_cvau(&patcher_sim(p)->text, p->ctx.site, &patcher_sim(p)->text.patcher);
}

/* Weakened, the dsb is a dmb: data ordered, the maintenance before it not completed. */
void eqs_patch_dsb(struct eqs_patcher *p)
{
	enum eqs_edit_kind e = patcher_point_edit(p, STEP_PATCH_DSB);

	patcher_window_step(p, STEP_PATCH_DSB);
	if (e == EQS_EDIT_NONE)
		text_dsb(&patcher_sim(p)->text, &patcher_sim(p)->text.patcher);
	else if (e == EQS_EDIT_WEAKEN)
		mem_dmb();
}

void eqs_patch_ic_ivau(struct eqs_patcher *p)
{
	bool left_out = patcher_point_edit(p, STEP_IC_IVAU) != EQS_EDIT_NONE;

	patcher_window_step(p, STEP_IC_IVAU);
	if (!left_out)
		text_ic_ivau(&patcher_sim(p)->text, p->ctx.site, &patcher_sim(p)->text.patcher);
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
	const struct point_run *pr = &patcher_sim(p)->run.points;
	bool edited = false;

	for (unsigned i = 0; i < SIM_EDITS; i++)
		edited |= edits_maint(&pr->edits[i]);
	if (text_coherent(&patcher_sim(p)->text) && !pr->record && !edited)
		return;
	eqs_patch_dc_cvau(p);
	eqs_patch_dsb(p); /* the clean completes before the invalidate */
	eqs_patch_ic_ivau(p);
	eqs_patch_dsb(p); /* the invalidate completes: the new text is fetchable */
}

/*
 * A barrier block of the patcher's: its step (inside the window), then
 * what steps.def's row runs, unless an edit removes or weakens it.
 */
static void patcher_barrier_block(struct eqs_patcher *p, enum step s)
{
	enum eqs_edit_kind e = patcher_point_edit(p, s);

	patcher_window_step(p, s);
	mem_fence_kind(step_fence_under(s, e));
}

void eqs_smp_mb(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_SMP_MB);
}

void eqs_patch_isb(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_ISB);
}

void eqs_patch_dsb_st(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_DSB_ST);
}

void eqs_patch_dsb_ld(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_DSB_LD);
}

void eqs_patch_dmb_st(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_DMB_ST);
}

void eqs_patch_dmb_ld(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_DMB_LD);
}

void eqs_patch_smp_rmb(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_SMP_RMB);
}

void eqs_patch_smp_wmb(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_SMP_WMB);
}

void eqs_patch_smp_mb__before_atomic(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_MB_BEFORE_ATOMIC);
}

void eqs_patch_smp_mb__after_atomic(struct eqs_patcher *p)
{
	patcher_barrier_block(p, STEP_PATCH_MB_AFTER_ATOMIC);
}

/* A block an edit inserts before one of the patcher's steps (step_insert_fn). */
static void patcher_insert_block(struct sim_thread *t, enum eqs_edit_kind kind)
{
	struct eqs_patcher *p = (struct eqs_patcher *)((char *)t - offsetof(struct eqs_patcher, t));

	if (kind == EQS_EDIT_INSERT_DMB)
		eqs_smp_mb(p);
	else if (kind == EQS_EDIT_INSERT_DSB)
		eqs_patch_dsb(p);
}

/* Out of line: the window's steps stay a flag test and a record. */
__attribute__((noinline, cold)) void patcher_step_slow(struct eqs_patcher *p, enum step s,
						       bool in_window)
{
	step_slow(&p->t, s, in_window, patcher_insert_block);
}

/*
 * The variant's mistake, not the protocol's: the run's verdict becomes an
 * error with the first such message.  The block then acts on nothing.
 */
static void patcher_misuse(struct eqs_patcher *p, const char *block, const char *what)
{
	error_log_note(&p->misuse, "%s() with %s", block, what);
}

/* The CPU a block names, or NULL (a misuse) when there is no such CPU. */
static struct eqs_cpu *cpu_of(struct eqs_patcher *p, unsigned cpu, const char *block)
{
	char what[64];

	if (cpu < patcher_sim(p)->ncpu)
		return &patcher_sim(p)->cpus[cpu];
	snprintf(what, sizeof(what), "cpu %u on a %u-CPU run", cpu, eqs_nr_cpus(p));
	patcher_misuse(p, block, what);
	return NULL;
}

/* One remote read of a CPU's RCU word, as a step inside the patch window. */
static unsigned int read_word(struct eqs_patcher *p, unsigned cpu,
			      unsigned int (*read)(union rcu_word *w), const char *block)
{
	struct eqs_cpu *c = cpu_of(p, cpu, block);

	patcher_window_step(p, STEP_READ_DYNTICKS);
	unsigned int snap = c ? read(&c->rcu) : 0;

	step_value(&p->t, (uint32_t)snap, cpu);
	return snap;
}

unsigned int eqs_snap(struct eqs_patcher *p, unsigned cpu)
{
	return read_word(p, cpu, patcher_sim(p)->rcu->snap, "eqs_snap");
}

unsigned int eqs_snap_full(struct eqs_patcher *p, unsigned cpu)
{
	return read_word(p, cpu, patcher_sim(p)->rcu->snap_full, "eqs_snap_full");
}

bool eqs_snap_in_eqs(const struct eqs_patcher *p, unsigned int snap)
{
	return patcher_sim(p)->rcu->snap_in_eqs(snap);
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
	const struct rcu_layout *rcu = patcher_sim(p)->rcu;
	struct eqs_cpu *c = cpu_of(p, cpu, "eqs_special_set");

	patcher_window_step(p, STEP_SPECIAL_SET);
	return offered(p, cpu, c && rcu->special_set && rcu->special_set(&c->rcu));
}

bool eqs_ct_work_set_gated(struct eqs_patcher *p, unsigned cpu, eqs_ct_gate_fn gate, void *arg)
{
	const struct rcu_layout *rcu = patcher_sim(p)->rcu;
	struct eqs_cpu *c = cpu_of(p, cpu, "eqs_ct_work_set");

	patcher_window_step(p, STEP_CT_WORK_SET);
	return offered(p, cpu,
		       c && gate && rcu->ct_work_set && rcu->ct_work_set(&c->rcu, gate, arg));
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

unsigned eqs_nr_sites(const struct eqs_patcher *p)
{
	const struct text *t = &patcher_sim(p)->text;

	return t->nr_sites + t->nr_entry_sites;
}

enum eqs_site_kind eqs_site_kind(const struct eqs_patcher *p, unsigned site)
{
	return site >= patcher_sim(p)->text.nr_sites ? EQS_SITE_NOINSTR : EQS_SITE_TEXT;
}

unsigned eqs_patch_site(const struct eqs_patcher *p)
{
	return p->ctx.site;
}

enum eqs_site_kind eqs_patch_site_kind(const struct eqs_patcher *p)
{
	return eqs_site_kind(p, p->ctx.site);
}

void eqs_patch_choose_site(struct eqs_patcher *p, unsigned site)
{
	struct sim *sim = patcher_sim(p);
	char what[64];

	bool written = p->ctx.wrote || load_relaxed(&sim->text.writes) != p->ctx.writes_at_start;

	if (written || site >= eqs_nr_sites(p)) {
		if (written)
			snprintf(what, sizeof(what), "site %u after this patch's write", site);
		else
			snprintf(what, sizeof(what), "site %u of %u", site, eqs_nr_sites(p));
		patcher_misuse(p, "eqs_patch_choose_site", what);
		return;
	}
	store_relaxed(&p->ctx.site, site); /* a CPU master reads it */
	p->ctx.gen = load_relaxed(&sim->text.newest[site]);
}

/* Whom this sync did not wait for: given deferred work, or skipped. */
static void account_left_out(struct eqs_patcher *p)
{
	uint64_t out = eqs_all_cpus(p) & ~p->ctx.ipis_waited;

	p->ipis_deferred += (uint64_t)__builtin_popcountll(out & p->deferred);
	p->ipis_skipped += (uint64_t)__builtin_popcountll(out & ~p->deferred);
	if (out) /* read by the stress controller while the run goes */
		store_relaxed(&p->syncs_leaving_out, p->syncs_leaving_out + 1);
}

void patch_once(struct sim *sim, unsigned site)
{
	struct eqs_patcher *p = &sim->patcher;

	store_relaxed(&p->ctx.site, site); /* a CPU master reads it */
	p->ctx.wrote = false;
	p->seq = p->race.sync_seq + 1;
	/* A patch function that writes nothing publishes the text as it is. */
	p->ctx.gen = load_relaxed(&sim->text.newest[site]);
	p->ctx.writes_at_start = load_relaxed(&sim->text.writes);
	p->ctx.ipis_waited = 0;
	p->ctx.ipis_sent_now = 0;
	p->deferred = 0;
	if (__builtin_expect(sim->run.points.on,
			     0)) /* this sync's blocks, counted from the first */
		memset(&p->t.st.points, 0, sizeof(p->t.st.points));
	race_sync_begin(&p->race, p->seq);
	sim->v->patch(p);
	site = p->ctx.site; /* the patch may have chosen another */
	if (load_relaxed(&sim->text.writes) != p->ctx.writes_at_start) {
		/* Written during the patch, by the patcher or a CPU master: publish the newest. */
		p->ctx.gen = load_relaxed(&sim->text.newest[site]);
		if (!p->ctx.wrote) /* a CPU's write, which the race accounting learns of now */
			race_sync_written(&p->race, p->seq, site, p->ctx.gen);
	}
	if (site >= sim->text.nr_sites) {
		/* Entry code: only a sync that interrupted every CPU covers it. */
		store_relaxed(&p->entry_patches, p->entry_patches + 1);
		if ((p->ctx.ipis_waited & eqs_all_cpus(p)) !=
		    eqs_all_cpus(p)) /* read by the controller */
			store_relaxed(&p->protocol_errors, p->protocol_errors + 1);
	}
	patcher_window_close(p);
	patcher_step(p, STEP_PUBLISH);
	text_publish(&sim->text, site, p->ctx.gen);
	step_value(&p->t, p->ctx.gen, site);
	account_left_out(p);
	race_sync_published(&p->race, p->seq, p->ctx.ipis_waited);
	p->t.aimed = false; /* a sync that wrote nothing: its aim is spent too */
	store_relaxed(&p->patches, p->patches + 1);
}

void patcher_thread_begin(struct eqs_patcher *p)
{
	const struct sim_driver *d = p->t.run->driver;

	if (d && d->thread_start)
		d->thread_start(&p->t);
}

void patcher_init(struct sim *sim)
{
	struct eqs_patcher *p = &sim->patcher;

	p->t.sim = sim;
	p->t.run = &sim->run;
	p->t.id = EQS_PATCHER;
	p->t.rng = rng_seed(sim->cfg.seed, EQS_MAX_CPUS); /* the stream after every CPU's */
	p->t.st.place.patcher = true;
}
