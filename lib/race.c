/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * race.c - the library's own account of exercised races (see race.h).
 */
#include "insn_patch.h"
#include "race.h"

static struct sync_done *done_slot(struct race_sync *rs, uint64_t seq)
{
	return &rs->done[(seq >> 1) % SYNC_RING];
}

void race_sync_begin(struct race_sync *rs, uint64_t seq)
{
	store_relaxed(&rs->sync_seq, seq); /* odd: a sync is in flight */
}

void race_sync_written(struct race_sync *rs, uint64_t seq, unsigned site, uint32_t gen)
{
	store_relaxed(&rs->site, site);
	store_relaxed(&rs->gen, gen);
	store_relaxed(&rs->written_seq, seq);
}

void race_sync_published(struct race_sync *rs, uint64_t seq, uint64_t waited)
{
	struct sync_done *d = done_slot(rs, seq);

	store_relaxed(&d->waited, waited);
	store_relaxed(&d->seq, seq);
	store_relaxed(&rs->sync_seq, seq + 1);
}

/*
 * Count the pending exit if its sync has been published: left out when
 * that sync did not wait for us (and only if our text was stale), waited
 * otherwise.  An entry already reused by a later sync is dropped: the
 * count errs low, never high.
 */
void race_settle(struct race_cpu *rc, const struct race_sync *rs, unsigned cpu)
{
	uint64_t seq = rc->seq;

	if (!seq)
		return;
	const struct sync_done *d = done_slot((struct race_sync *)rs, seq);
	uint64_t s1 = load_relaxed(&d->seq);
	uint64_t waited = load_relaxed(&d->waited);
	uint64_t s2 = load_relaxed(&d->seq);

	if (s1 != s2 || s1 < seq)
		return; /* not published yet (or being rewritten): later */
	rc->seq = 0;
	if (s1 != seq)
		return;
	if (waited >> cpu & 1)
		stat_inc(rc->waited[rc->path]);
	else if (rc->stale)
		stat_inc(rc->left_out[rc->path]);
}

struct race_seen race_note_exit_slow(struct race_cpu *rc, const struct race_sync *rs, unsigned cpu,
				     const uint32_t *fetched, enum eqs_path path, bool aimed,
				     uint64_t seq)
{
	struct race_seen seen = { .seq = seq };

	if (aimed)
		stat_inc(rc->aimed_exits);
	if (!(seq & 1))
		return seen;
	uint64_t written = load_relaxed(&rs->written_seq);
	unsigned site = load_relaxed(&rs->site);
	uint32_t gen = load_relaxed(&rs->gen);

	if (load_relaxed(&rs->sync_seq) != seq)
		return seen; /* the sync moved on while we looked */
	if (aimed && written == seq) {
		stat_inc(rc->aimed_in_window);
		seen.written = true;
	}
	bool stale = written == seq && site < EQS_MAX_SITES && gen_before(fetched[site], gen);

	if (rc->seq == seq) { /* once per sync; keep the stale one */
		if (stale && !rc->stale) {
			rc->stale = true;
			rc->path = path;
		}
		return seen;
	}
	race_settle(rc, rs, cpu); /* an earlier sync's exit, published by now */
	rc->seq = seq;
	rc->stale = stale;
	rc->path = path;
	return seen;
}
