/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * stress.c - the stress driver: real threads run one variant's CPUs and
 * patcher for a budget, with seeded delays and jitter at step boundaries;
 * the per-thread statistics are gathered after the threads are joined and
 * judged against the variant's expectation for the host's model.
 */
#define _GNU_SOURCE /* pthread_attr_setaffinity_np, cpu_set_t */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aim.h"
#include "clock.h"
#include "error.h"
#include "rng.h"
#include "liveness.h"
#include "stress_thread.h"
#include "workload.h"

#define SYNC_SAMPLES 65536 /* latency samples kept (a ring) */

/*
 * What the driver does under stress: seeded delays and jitter at step
 * boundaries, local spins; and aimed races (cfg.aim): the patcher
 * publishes when its next text write starts, and CPUs time the ends of
 * their EQS stays around it.
 */
/* The watchdog's view of the threads: their CPU clocks, and its last look. */
struct watch {
	clockid_t clock[LIVENESS_MAX_THREADS];
	bool known[LIVENESS_MAX_THREADS];
	struct liveness_look look[LIVENESS_MAX_THREADS];
};

struct stress_hook {
	struct sim_driver ops;
	uint64_t delay_cycles[EQS_MAX_STEPS];
	uint32_t jitter;
	bool aim;
	struct aim aiming;				/* with aim */
	struct stress_thread threads[EQS_MAX_CPUS + 1]; /* the CPUs', then the patcher's */
	uint64_t nr_samples;
	uint64_t *sync_cycles; /* SYNC_SAMPLES patch sync latencies (a ring) */
	struct watch watch;
	struct liveness liveness;
};

/*
 * Once the run was declared hung, the threads' waits give up and they
 * return within a few steps.  One that keeps stepping is looping outside
 * the library's waits (a retry loop of its own that never ends): it is
 * parked here for good, so that the run can still return its verdict.
 */
#define STEPS_BEFORE_PARKING 100000u

static void park_if_looping(struct sim_thread *t)
{
	struct stress_thread *st = stress_thread_of(t);

	if (!load_relaxed(&t->run->abort_waits) || ++st->steps_after_hang < STEPS_BEFORE_PARKING)
		return;
	store_relaxed(&st->parked, 1);
	for (;;)
		sleep(3600);
}

static void stress_step_after_hang(struct sim_thread *t, enum step s, bool in_window)
{
	(void)s;
	(void)in_window;
	park_if_looping(t);
}

/* A delay, cut short once the run is told to stop: the budget holds even mid-delay. */
static void spin_unless_stopped(struct sim *sim, uint64_t cycles)
{
	uint64_t end = cycles_now() + cycles;

	while (cycles_now() < end && !load_relaxed(&sim->flags.stop))
		cpu_relax();
}

static void stress_step(struct sim_thread *t, enum step s, bool in_window)
{
	const struct stress_hook *h = t->run->driver_data;

	park_if_looping(t);
	if (in_window) /* never close the patcher's store-buffering window */
		return;
	if (h->delay_cycles[s])
		spin_unless_stopped(t->sim, rng_below(&t->rng, h->delay_cycles[s] + 1));
	if (h->jitter && !t->in_exit_window && !t->aimed) {
		uint64_t n = rng_below(&t->rng, h->jitter + 1);

		while (n--)
			cpu_relax();
	}
}

/* An EQS stay begins: aimed races may time its end (aim.c). */
static uint64_t stress_stay_end(struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed)
{
	struct stress_hook *h = t->run->driver_data;

	return aim_stay_end(&h->aiming, t, now, end, aimed);
}

/* A timed race begins: stamp it, and keep what it found, for the aim to learn from. */
static void stress_race_begins(struct sim_thread *t, uint64_t saw_seq, bool saw_written)
{
	struct stress_thread *st = stress_thread_of(t);

	st->aimed_saw_seq = saw_seq;
	st->aimed_saw_written = saw_written;
	st->aimed_began = cycles_now();
}

static bool stress_hook_idle(const struct stress_hook *h)
{
	for (int s = 0; s < EQS_MAX_STEPS; s++)
		if (h->delay_cycles[s])
			return false;
	return !h->jitter;
}

/* The driver's ops for cfg: with neither delays nor jitter the step hook only records. */
static void stress_hook_init(struct stress_hook *h, const struct eqs_config *cfg)
{
	for (int s = 0; s < EQS_MAX_STEPS; s++) /* registered steps too */
		h->delay_cycles[s] = clock_ns_to_cycles(cfg->delay_ns[s]);
	h->jitter = cfg->jitter;
	/* No delay, no jitter in either window; a CPU's may have an asked-for delay. */
	h->ops.quiet_in_patch_window = true;
	h->ops.quiet_in_exit_window = true;
	for (int s = 0; s < EQS_MAX_STEPS; s++)
		if (h->delay_cycles[s])
			h->ops.quiet_in_exit_window = false;
	if (stress_hook_idle(h)) {
		h->ops.step = stress_step_after_hang;
		h->ops.step_only_after_hang = true;
	} else {
		h->ops.step = stress_step;
	}
	h->aim = cfg->aim;
	if (!h->aim)
		return;
	h->ops.stay_end = stress_stay_end;
	h->ops.race_begins = stress_race_begins;
	aim_init(&h->aiming, cfg);
}

/* A CPU runs its seeded workload until the patcher is done. */
static void *cpu_main(void *arg)
{
	struct eqs_cpu *c = arg;
	struct stress_thread *st = stress_thread_of(&c->t);
	const struct sim *sim = c->t.sim;

	cpu_thread_begin(c);
	/* ... or until a hung run gives up (the patcher may never finish then). */
	while (!load_relaxed(&sim->flags.patcher_done) && !load_relaxed(&sim->run.abort_waits)) {
		workload_run(c, workload_pick(c));
		store_relaxed(&st->units_done, st->units_done + 1);
	}
	cpu_thread_end(c);
	store_relaxed(&st->exited, 1);
	return NULL;
}

/*
 * The patcher patches until told to stop or its patch count is reached,
 * a seeded gap before each patch.  Aiming, it publishes when the gap ends
 * (its next text write) as the gap begins, so CPUs can time their exits
 * at it; the gap is a local spin, and nothing is jittered until the write.
 */
static void *patcher_main(void *arg)
{
	struct sim *sim = arg;
	struct stress_hook *h = sim->run.driver_data;
	struct eqs_patcher *p = &sim->patcher;
	struct stress_thread *st = stress_thread_of(&p->t);
	uint64_t gap = clock_ns_to_cycles(sim->cfg.patch_gap_ns);

	patcher_thread_begin(p);
	while (!load_relaxed(&sim->flags.stop)) {
		uint64_t at = cycles_now() + gap / 2 + rng_below(&p->t.rng, gap + 1);

		unsigned site = workload_pick_site(sim);
		uint64_t until = h->aim ? aim_publish(&h->aiming, p, at) : at;

		uint64_t approach = until - (h->aim ? clock_final_approach() : 0);

		while (cycles_now() < approach)
			cpu_relax();
		clock_spin_until(until);
		uint64_t start = cycles_now();

		patch_once(sim, site);
		h->sync_cycles[h->nr_samples++ % SYNC_SAMPLES] = cycles_now() - start;
		if (h->aim)
			aim_patched(&h->aiming, p);
		store_relaxed(&st->units_done, st->units_done + 1);
		if (sim->cfg.patches && p->patches >= sim->cfg.patches)
			break;
	}
	patcher_finish(sim);
	store_relaxed(&st->exited, 1);
	return NULL;
}

/*
 * The races a CPU counts toward the verdict on a path: those of syncs that
 * left it out, when the run's syncs leave CPUs out at all; else every exit
 * in a sync's window.  Relaxed loads of single-writer data.
 */
static uint64_t races_of(const struct sim *sim, const struct race_cpu *s, int path)
{
	return load_relaxed(&sim->patcher.syncs_leaving_out) ? load_relaxed(&s->left_out[path])
							     : load_relaxed(&s->waited[path]);
}

/*
 * The first path the workload took with fewer than min races, or -1.  Per
 * path when syncs leave CPUs out: each path must win its own race against
 * a sync that did not wait for it.  When every sync waits for every CPU,
 * the IPI is the CSE on whatever path the CPU is, so the minimum is on the
 * total (reported as EQS_PATH_COUNT).
 */
static int short_path(const struct sim *sim, unsigned min, uint64_t *have)
{
	bool per_path = load_relaxed(&sim->patcher.syncs_leaving_out) != 0;
	uint64_t total = 0, paths = 0;

	for (int p = 0; p < EQS_PATH_COUNT; p++) {
		uint64_t exits = 0, races = 0;

		for (unsigned i = 0; i < sim->ncpu; i++) {
			exits += load_relaxed(&sim->cpus[i].stats.eqs_exits_on_path[p]);
			races += races_of(sim, &sim->cpus[i].race, p);
		}
		total += races;
		paths += exits != 0;
		if (per_path && exits && races < min) {
			*have = races;
			return p;
		}
	}
	*have = total;
	return total < min * (paths ? paths : 1) ? EQS_PATH_COUNT : -1;
}

static bool any_violation(struct sim *sim)
{
	for (unsigned i = 0; i < sim->ncpu; i++)
		if (load_relaxed(&sim->cpus[i].oracle.violations))
			return true;
	return false;
}

/* A protocol error, or stale entry code: an error verdict, whatever else comes. */
static bool any_protocol_error(struct sim *sim)
{
	if (load_relaxed(&sim->patcher.protocol_errors) || load_relaxed(&sim->patcher.misuse.count))
		return true;
	for (unsigned i = 0; i < sim->ncpu; i++)
		if (load_relaxed(&sim->cpus[i].oracle.entry_violations) ||
		    load_relaxed(&sim->cpus[i].misuse.count))
			return true;
	return false;
}

/*
 * Has the run earned its verdict?  A violation decides it (caught, or a
 * correct variant's mismatch), and so does a protocol error (an error); a clean run needs its minimum time and
 * min_races on every path taken.  Until then the budget is a maximum.
 */
static bool verdict_earned(struct sim *sim, enum eqs_expect expected, double elapsed)
{
	const struct eqs_config *cfg = &sim->cfg;
	uint64_t have;

	if (any_violation(sim))
		return !cfg->full_budget || cfg->stop_on_violation;
	if (any_protocol_error(sim)) /* decided: never a match (verdict.c) */
		return !cfg->full_budget;
	if (cfg->full_budget || expected != EQS_EXPECT_OK || elapsed < cfg->min_duration_s)
		return false;
	return short_path(sim, cfg->min_races, &have) < 0;
}

/*
 * Each thread's last steps, as the watchdog found them, before the waits
 * give up: a waiting thread stands still; one in a livelock may still be
 * moving, and its ring is read as it goes (a snapshot, not a transaction).
 */
static void record_hang(struct sim *sim, struct eqs_report *r)
{
	struct eqs_trace_entry ring[EQS_RING_LEN];

	r->hung = true;
	for (unsigned i = 0; i <= sim->ncpu && r->nr_hang_threads < EQS_MAX_CPUS + 1; i++) {
		struct sim_thread *t = i < sim->ncpu ? &sim->cpus[i].t : &sim->patcher.t;
		unsigned n = thread_copy_ring(t, ring);
		unsigned from = n > EQS_HANG_STEPS ? n - EQS_HANG_STEPS : 0;
		struct eqs_hang_trace *h = &r->hang[r->nr_hang_threads++];

		h->thread = i < sim->ncpu ? i : EQS_PATCHER;
		h->nr_steps = n - from;
		for (unsigned k = from; k < n; k++)
			h->steps[k - from] = ring[k].step;
	}
}

static struct sim_thread *thread_of(struct sim *sim, unsigned i)
{
	return i < sim->ncpu ? &sim->cpus[i].t : &sim->patcher.t;
}

/*
 * How long a thread may finish no unit of work (a CPU action, a patch)
 * before the run is declared hung: two seconds, plus four times what one
 * unit may take by configuration (every delay, the longest stay).
 */
static double hang_after_s(const struct eqs_config *cfg)
{
	uint64_t delays = 0;
	uint32_t stay = cfg->patch_gap_ns;
	const uint32_t stays[] = { cfg->user_ns, cfg->idle_ns, cfg->guest_ns, cfg->kernel_ns };

	for (int s = 0; s < EQS_MAX_STEPS; s++)
		delays += cfg->delay_ns[s];
	for (unsigned i = 0; i < sizeof(stays) / sizeof(stays[0]); i++)
		stay = stays[i] > stay ? stays[i] : stay;
	return 2.0 + 4e-9 * ((double)delays + 1.5 * stay);
}

static bool all_exited(struct sim *sim)
{
	for (unsigned i = 0; i <= sim->ncpu; i++)
		if (!load_relaxed(&stress_thread_of(thread_of(sim, i))->exited))
			return false;
	return true;
}

/* Thread i's own CPU time in seconds, or -1 when it is gone (liveness.h). */
static double thread_cpu_s(clockid_t clock, bool known)
{
	struct timespec ts;

	if (!known || clock_gettime(clock, &ts))
		return -1;
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void watch_init(struct watch *w, struct sim *sim)
{
	for (unsigned i = 0; i <= sim->ncpu; i++) {
		pthread_t th = i < sim->ncpu ? sim->cpus[i].thread : sim->patcher.thread;

		w->known[i] = !pthread_getcpuclockid(th, &w->clock[i]);
	}
}

static const struct liveness_look *watch_look(struct watch *w, struct sim *sim)
{
	for (unsigned i = 0; i <= sim->ncpu; i++) {
		struct stress_thread *t = stress_thread_of(thread_of(sim, i));
		struct liveness_look *l = &w->look[i];

		l->units = load_relaxed(&t->units_done);
		l->exited = load_relaxed(&t->exited);
		/* Not read once it returned: its thread id may be another's by now. */
		l->cpu_s = l->exited ? -1 : thread_cpu_s(w->clock[i], w->known[i]);
	}
	return w->look;
}

/*
 * The controller only sleeps and polls; it takes no part in the protocol,
 * and reads the threads' CPU clocks from outside them.  It stops the run
 * at its budget or once its verdict is earned, and keeps watching until
 * every thread has returned: true when the run hung (liveness.h: a thread
 * finished no unit of work while every live thread ran for hang_after_s()
 * of its own CPU time: stuck in a wait nobody satisfies, or looping
 * without getting anywhere), before or after the stop; then every wait is
 * told to give up.
 */
static bool control(struct sim *sim, struct eqs_report *r, double start)
{
	const struct timespec tick = { 0, 1000000 };
	struct stress_hook *h = sim->run.driver_data;
	struct watch *w = &h->watch;
	struct liveness *l = &h->liveness;
	bool hung = false, stopping = false;
	unsigned ticks = 0;

	watch_init(w, sim);
	liveness_init(l, sim->ncpu + 1, hang_after_s(&sim->cfg), start, watch_look(w, sim));
	while (!hung && !all_exited(sim)) {
		nanosleep(&tick, NULL);
		double now = clock_mono_s(), elapsed = now - start;

		/* The thread clocks every 10 ms: a system call per thread each time. */
		if (++ticks % 10 == 0) {
			int stuck = liveness_check(l, watch_look(w, sim), now);

			if (stuck >= 0) {
				hung = true;
				r->hung_thread =
					(unsigned)stuck < sim->ncpu ? (unsigned)stuck : EQS_PATCHER;
			}
		}
		if (hung || stopping)
			continue;
		if (load_relaxed(&sim->flags.patcher_done) ||
		    (sim->cfg.duration_s > 0 && elapsed >= sim->cfg.duration_s) ||
		    verdict_earned(sim, r->expected, elapsed)) {
			stopping = true;
			store_relaxed(&sim->flags.stop, 1);
		}
	}
	if (hung)
		record_hang(sim, r);
	store_relaxed(&sim->flags.stop, 1);
	if (hung)
		sim_declare_hung(sim);
	return hung;
}

/*
 * Join the threads.  After a hang, a thread that neither returns nor parks
 * within a few seconds is looping without ever stepping: it is left, like a
 * parked one, detached.  Returns how many were left (their memory stays).
 */
static unsigned reap(struct sim *sim, bool hung)
{
	const struct timespec tick = { 0, 1000000 };
	unsigned left = 0;

	if (hung) {
		double give_up = clock_mono_s() + 5;
		bool all;

		do {
			all = true;
			for (unsigned i = 0; i <= sim->ncpu; i++) {
				struct stress_thread *t = stress_thread_of(thread_of(sim, i));

				all &= load_relaxed(&t->exited) || load_relaxed(&t->parked);
			}
			if (!all)
				nanosleep(&tick, NULL);
		} while (!all && clock_mono_s() < give_up);
	}
	for (unsigned i = 0; i <= sim->ncpu; i++) {
		struct stress_thread *t = stress_thread_of(thread_of(sim, i));
		pthread_t th = i < sim->ncpu ? sim->cpus[i].thread : sim->patcher.thread;

		if (!hung || load_relaxed(&t->exited)) {
			pthread_join(th, NULL);
		} else {
			pthread_detach(th);
			left++;
		}
	}
	return left;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void sync_percentiles(struct stress_hook *h, struct eqs_report *r)
{
	uint64_t n = h->nr_samples < SYNC_SAMPLES ? h->nr_samples : SYNC_SAMPLES;

	if (!n)
		return;
	qsort(h->sync_cycles, n, sizeof(uint64_t), cmp_u64);
	r->sync_ns_p50 = clock_cycles_to_ns(h->sync_cycles[(n - 1) / 2]);
	r->sync_ns_p99 = clock_cycles_to_ns(h->sync_cycles[(n - 1) * 99 / 100]);
}

/* The earliest violations of all CPUs; each CPU's records are in time order. */
static void merge_records(struct sim *sim, struct eqs_report *r)
{
	unsigned next[EQS_MAX_CPUS] = { 0 };

	while (r->nr_records < EQS_MAX_VIOLATION_RECORDS) {
		const struct eqs_violation *best = NULL;
		unsigned from = 0;

		for (unsigned i = 0; i < sim->ncpu; i++) {
			const struct oracle_stats *s = &sim->cpus[i].oracle;

			if (next[i] < s->nr_records &&
			    (!best || s->records[next[i]].ns < best->ns)) {
				best = &s->records[next[i]];
				from = i;
			}
		}
		if (!best)
			return;
		r->records[r->nr_records++] = *best;
		next[from]++;
	}
}

static void gather(struct sim *sim, struct stress_hook *h, struct eqs_report *r)
{
	uint64_t first = 0;

	r->patches = sim->patcher.patches;
	r->ipis_sent = sim->patcher.ipis_sent;
	r->ipis_skipped = sim->patcher.ipis_skipped;
	r->ipis_deferred = sim->patcher.ipis_deferred;
	r->entry_patches = sim->patcher.entry_patches;
	r->protocol_errors = sim->patcher.protocol_errors;
	r->syncs_leaving_out = sim->patcher.syncs_leaving_out;
	for (unsigned i = 0; i < sim->ncpu; i++) {
		const struct eqs_cpu *c = &sim->cpus[i];

		r->violations += c->oracle.violations;
		r->eqs_exits += c->stats.eqs_exits;
		r->aimed_exits += c->race.aimed_exits;
		r->aimed_in_window += c->race.aimed_in_window;
		r->eqs_disturbed += c->stats.eqs_disturbed;
		r->entry_violations += c->oracle.entry_violations;
		for (int p = 0; p < EQS_PATH_COUNT; p++) {
			r->violations_on_path[p] += c->oracle.violations_on_path[p];
			r->eqs_exits_on_path[p] += c->stats.eqs_exits_on_path[p];
			r->exercised_races_on_path[p] += races_of(sim, &c->race, p);
			r->exercised_races += races_of(sim, &c->race, p);
		}
		if (c->oracle.violations && (!first || c->oracle.first_violation_cycles < first))
			first = c->oracle.first_violation_cycles;
	}
	merge_records(sim, r);
	r->first_violation_ns = first ? (int64_t)clock_cycles_to_ns(first - sim->run.t0) : -1;
	sync_percentiles(h, r);
}

/* Judge a report against the variant's expectation for its model (verdict.c). */
static void judge(struct sim *sim, struct eqs_report *r, unsigned min_races)
{
	struct verdict_facts f = { .hung = r->hung };
	char hang[EQS_ERRLEN], who[16], short_of[EQS_ERRLEN], clean[EQS_ERRLEN];
	uint64_t have = 0;
	int short_on = short_path(sim, min_races, &have);

	sim_facts(sim, &f);
	f.earned = short_on < 0;
	if (r->hung_thread == EQS_PATCHER)
		snprintf(who, sizeof(who), "the patcher");
	else
		snprintf(who, sizeof(who), "cpu%u", r->hung_thread);
	snprintf(
		hang, sizeof(hang),
		"%s: %s finished no %s while every thread ran for %.1f s of its own CPU time (a wait nobody satisfies, or a livelock)%s",
		r->expected == EQS_EXPECT_HANG ? "hangs, as expected" : "hang", who,
		r->hung_thread == EQS_PATCHER ? "patch" : "action", hang_after_s(&sim->cfg),
		r->threads_left ? "; threads looping outside the waits are parked" : "");
	snprintf(short_of, sizeof(short_of),
		 "clean, but only %llu exercised races %s%s (need %u per path taken)",
		 (unsigned long long)have, short_on < EQS_PATH_COUNT ? "on the path " : "in all",
		 short_on >= 0 && short_on < EQS_PATH_COUNT ? eqs_path_name(short_on) : "",
		 min_races);
	snprintf(clean, sizeof(clean), "clean with %llu exercised races (at least %u %s)",
		 (unsigned long long)r->exercised_races, min_races,
		 r->syncs_leaving_out ? "on each path taken" : "per path taken, in all");

	const struct verdict_words words = {
		.hang = hang,
		.caught = "caught, as expected",
		.not_caught = "expected buggy but no violation was seen",
		.violated = "expected correct but the oracle saw violations",
		.clean = clean,
		.short_of = short_of,
		.finished = "expected to hang, but the run finished",
		.no_expectation = "no expectation for this model",
		.na = EQS_VERDICT_INCONCLUSIVE,
	};

	r->verdict = verdict_judge(r->variant, r->model, r->expected, &f, &words, r->message,
				   sizeof(r->message));
}

static void stop_all(struct sim *sim)
{
	store_relaxed(&sim->flags.stop, 1);
	store_relaxed(&sim->flags.patcher_done, 1);
}

/* The host CPUs this process may use, in cpus[] (CPU_SETSIZE of them at most). */
static int host_cpus(int *cpus)
{
	cpu_set_t mine;
	int n = 0;

	if (pthread_getaffinity_np(pthread_self(), sizeof(mine), &mine))
		return 0;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &mine))
			cpus[n++] = c;
	return n;
}

/*
 * Thread placement: the patcher alone on the first host CPU the process may
 * use, the simulated CPUs round robin over the others.  Left to itself,
 * beside other load the scheduler can keep the patcher and the CPUs on one
 * host CPU for minutes (so many threads per CPU looks balanced to it), and
 * no store buffer is ever seen from the other side.  A CPU sharing the
 * patcher's host CPU would race it never (they only take turns), and would
 * hold it for whole time slices while the patcher waits its turn; CPUs
 * sharing a host CPU among themselves take turns racing a patcher that
 * always runs.  Placement adds no ordering.  False (attr untouched) where
 * the process has fewer than two CPUs.
 */
static bool place_thread(pthread_attr_t *attr, unsigned slot)
{
	cpu_set_t one;
	int cpus[CPU_SETSIZE], n = host_cpus(cpus);

	if (n < 2)
		return false;
	CPU_ZERO(&one);
	CPU_SET(cpus[slot ? 1 + (slot - 1) % (unsigned)(n - 1) : 0], &one);
	return !pthread_attr_setaffinity_np(attr, sizeof(one), &one);
}

/* pthread_create with the thread placed as place_thread() says (slot 0: the patcher). */
static int start_thread(pthread_t *th, unsigned slot, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	int ret;

	if (pthread_attr_init(&attr))
		return pthread_create(th, NULL, fn, arg);
	place_thread(&attr, slot);
	ret = pthread_create(th, &attr, fn, arg);
	pthread_attr_destroy(&attr);
	return ret;
}

int eqs_stress_run(const struct eqs_variant *v, const struct eqs_config *cfg,
		   struct eqs_report *out, char *err, size_t errlen)
{
	struct sim *sim;
	/* On the heap with the sim: threads left behind after a hang still use both. */
	struct stress_hook *hook;
	unsigned started = 0;
	int ret;

	if (!cfg || !out)
		return eqs_error(err, errlen, -EINVAL, "a config and a report are required");
	ret = eqs_variant_check(v, err, errlen);
	if (ret)
		return ret;
	sim = sim_alloc(struct sim, 1);
	hook = sim_alloc(struct stress_hook, 1);
	if (!sim || !hook) {
		free(sim);
		free(hook);
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	}
	clock_cycles_hz(); /* calibrate before any protocol thread runs */
	stress_hook_init(hook, cfg);
	ret = sim_init(sim, v, cfg, &hook->ops, hook, err, errlen);
	if (ret) {
		free(sim);
		free(hook);
		return ret;
	}
	/* x86's I-cache is coherent: there a CSE fetches the text as written. */
	text_set_coherent_icache(&sim->text, eqs_host_model() == EQS_MODEL_TSO);
	for (unsigned i = 0; i < sim->ncpu; i++)
		sim->cpus[i].t.driver_thread = &hook->threads[i];
	sim->patcher.t.driver_thread = &hook->threads[EQS_MAX_CPUS];
	hook->sync_cycles = calloc(SYNC_SAMPLES, sizeof(uint64_t));
	if (!hook->sync_cycles) {
		sim_destroy(sim);
		free(sim);
		free(hook);
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	}
	memset(out, 0, sizeof(*out));
	out->variant = v;
	out->model = eqs_host_model();
	out->expected = eqs_variant_expect(v, out->model);
	out->backend = eqs_backend();
	out->cpus = cfg->cpus;
	out->seed = cfg->seed;

	double start = clock_mono_s();

	for (; started < sim->ncpu; started++) {
		if (start_thread(&sim->cpus[started].thread, started + 1, cpu_main,
				 &sim->cpus[started]))
			break;
	}
	if (started < sim->ncpu || start_thread(&sim->patcher.thread, 0, patcher_main, sim)) {
		stop_all(sim);
		for (unsigned i = 0; i < started; i++)
			pthread_join(sim->cpus[i].thread, NULL);
		sim_destroy(sim);
		free(hook->sync_cycles);
		free(sim);
		free(hook);
		return eqs_error(err, errlen, -EAGAIN, "cannot create %u CPU threads", cfg->cpus);
	}
	bool hung = control(sim, out, start);
	unsigned left = reap(sim, hung);

	out->seconds = clock_mono_s() - start;
	out->threads_left = left;
	out->hung = hung;
	gather(sim, hook, out);
	judge(sim, out, cfg->min_races);
	if (left)
		return 0; /* the threads left behind still use the simulation: it stays */
	sim_destroy(sim);
	free(hook->sync_cycles);
	free(sim);
	free(hook);
	return 0;
}
