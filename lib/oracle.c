/*
 * oracle.c - the violation check and its record.  All bookkeeping is the
 * CPU's own plain stores; the only shared access is the acquire read of
 * synced[site] the design prescribes.
 */
#include "clock.h"
#include "oracle.h"

unsigned oracle_copy_ring(const struct sim_thread *t, uint64_t t0, struct eqs_trace_entry *out)
{
	/* The owner may still be writing (a hung thread): relaxed reads, a snapshot. */
	uint32_t next = load_relaxed(&t->ring_next);
	unsigned n = next < EQS_RING_LEN ? next : EQS_RING_LEN;
	uint32_t first = next - n;

	for (unsigned i = 0; i < n; i++) {
		unsigned k = (first + i) % EQS_RING_LEN;
		uint64_t cycles = t->sim->trace_time ? load_relaxed(&t->ring_cycles[k]) : 0;

		out[i].step = load_relaxed(&t->ring_step[k]);
		out[i].cpu = (uint16_t)t->id;
		out[i].ns = cycles > t0 ? clock_cycles_to_ns(cycles - t0) : 0;
	}
	return n;
}

void oracle_record_violation(struct eqs_cpu *c, unsigned site, uint32_t fetched, uint32_t synced)
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
