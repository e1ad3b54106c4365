/*
 * race.c - the library's own account of exercised races (see race.h).
 */
#include "race.h"
#include "clock.h"

static struct sync_done *done_slot(struct eqs_patcher *p, uint64_t seq)
{
	return &p->done[(seq >> 1) % SYNC_RING];
}

void race_sync_begin(struct eqs_patcher *p)
{
	store_relaxed(&p->sync_seq, p->seq); /* odd: a sync is in flight */
}

void race_sync_written(struct eqs_patcher *p, unsigned site, uint32_t gen)
{
	store_relaxed(&p->race_site, site);
	store_relaxed(&p->race_gen, gen);
	store_relaxed(&p->written_seq, p->seq);
}

void race_sync_published(struct eqs_patcher *p)
{
	struct sync_done *d = done_slot(p, p->seq);

	store_relaxed(&d->waited, p->ipis_waited);
	store_relaxed(&d->seq, p->seq);
	store_relaxed(&p->sync_seq, p->seq + 1);
}

/*
 * Count the pending exit if its sync has been published: left out when
 * that sync did not wait for us (and only if our text was stale), waited
 * otherwise.  An entry already reused by a later sync is dropped: the
 * count errs low, never high.
 */
void race_settle(struct eqs_cpu *c)
{
	struct eqs_patcher *p = &c->t.sim->patcher;
	uint64_t seq = c->race_seq;

	if (!seq)
		return;
	struct sync_done *d = done_slot(p, seq);
	uint64_t s1 = load_relaxed(&d->seq);
	uint64_t waited = load_relaxed(&d->waited);
	uint64_t s2 = load_relaxed(&d->seq);

	if (s1 != s2 || s1 < seq)
		return; /* not published yet (or being rewritten): later */
	c->race_seq = 0;
	if (s1 != seq)
		return;
	if (waited >> c->t.id & 1)
		stat_inc(c->stats.races_waited[c->race_path]);
	else if (c->race_stale)
		stat_inc(c->stats.races_left_out[c->race_path]);
}

static void note_exit(struct eqs_cpu *c, bool aimed)
{
	struct eqs_patcher *p = &c->t.sim->patcher;
	uint64_t seq = load_relaxed(&p->sync_seq);

	if (aimed) {
		stat_inc(c->stats.aimed_exits);
		c->t.aimed_saw_seq = seq;
		c->t.aimed_saw_written = false;
	}
	if (!(seq & 1))
		return;
	uint64_t written = load_relaxed(&p->written_seq);
	unsigned site = load_relaxed(&p->race_site);
	uint32_t gen = load_relaxed(&p->race_gen);

	if (load_relaxed(&p->sync_seq) != seq)
		return; /* the sync moved on while we looked */
	if (aimed && written == seq) {
		stat_inc(c->stats.aimed_in_window);
		c->t.aimed_saw_written = true;
	}
	bool stale = written == seq && site < EQS_MAX_SITES && gen_before(c->fetched[site], gen);

	if (c->race_seq == seq) { /* once per sync; keep the stale one */
		if (stale && !c->race_stale) {
			c->race_stale = true;
			c->race_path = c->last_exit_path;
		}
		return;
	}
	race_settle(c); /* an earlier sync's exit, published by now */
	c->race_seq = seq;
	c->race_stale = stale;
	c->race_path = c->last_exit_path;
}

void race_note_exit(struct eqs_cpu *c)
{
	bool aimed = c->t.aimed;

	c->t.aimed = false; /* the race begins: jitter again after it */
	note_exit(c, aimed);
	if (aimed) /* the update comes next: outside the window, as close to it as can be */
		c->t.aimed_began = cycles_now();
}
