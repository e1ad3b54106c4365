/*
 * oracle.c - the violation check and its record.  All bookkeeping is the
 * CPU's own plain stores; the only shared access is the acquire read of
 * synced[site] the design prescribes.
 */
#include "clock.h"
#include "oracle.h"

unsigned oracle_copy_ring(const struct sim_thread *t, uint64_t t0, struct eqs_trace_entry *out)
{
	unsigned n = t->ring_next < EQS_RING_LEN ? t->ring_next : EQS_RING_LEN;
	uint32_t first = t->ring_next - n;

	for (unsigned i = 0; i < n; i++) {
		out[i] = t->ring[(first + i) % EQS_RING_LEN];
		out[i].ns = out[i].ns > t0 ? clock_cycles_to_ns(out[i].ns - t0) : 0;
	}
	return n;
}

static void record_violation(struct eqs_cpu *c, unsigned site, uint32_t fetched, uint32_t synced)
{
	struct sim *sim = c->t.sim;
	struct cpu_stats *s = &c->stats;
	uint64_t now = cycles_now();

	if (!s->violations)
		store_relaxed(&s->first_violation_cycles, now);
	stat_inc(s->violations);
	stat_inc(s->violations_on_path[c->last_exit_path]);
	if (s->nr_records >= EQS_MAX_VIOLATION_RECORDS)
		return;
	struct eqs_violation *r = &s->records[s->nr_records++];

	r->cpu = c->t.id;
	r->site = site;
	r->fetched = fetched;
	r->synced = synced;
	r->path = c->last_exit_path;
	r->ns = clock_cycles_to_ns(now - sim->t0);
	r->nr_trace = oracle_copy_ring(&c->t, sim->t0, r->trace);
}

void oracle_exec_entry_text(struct eqs_cpu *c)
{
	struct text *text = &c->t.sim->text;
	unsigned end = text->nr_sites + text->nr_entry_sites;

	if (!text->nr_entry_sites)
		return;
	step_hook(&c->t, STEP_ENTRY_TEXT);
	for (unsigned i = text->nr_sites; i < end; i++)
		if (gen_before(c->fetched[i], text_synced(text, i)))
			stat_inc(c->stats.entry_violations);
}

void oracle_exec_text(struct eqs_cpu *c)
{
	struct text *text = &c->t.sim->text;

	step_hook(&c->t, STEP_EXEC_TEXT);
	if (!c->watching) {
		stat_inc(c->stats.text_in_eqs);
		return;
	}
	for (unsigned i = 0; i < text->nr_sites; i++) {
		uint32_t synced = text_synced(text, i);
		uint32_t fetched = c->fetched[i];

		if (!i)
			step_value(&c->t, fetched, synced);
		if (gen_before(fetched, synced))
			record_violation(c, i, fetched, synced);
	}
}
