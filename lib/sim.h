/*
 * sim.h - the simulated machine's internal types: one simulation (struct
 * sim), its CPUs, its patcher, its text, and the step hook.  What a driver
 * plugs in and may call is in driver.h; the machine knows nothing else of
 * whoever runs it.
 *
 * Ownership rule (DESIGN §3): every field below is written by one thread
 * only.  Fields read by another thread while the run is going are accessed
 * with relaxed (or, where the protocol says so, acquire/release) atomics and
 * never with a read-modify-write.
 */
#ifndef EQS_SIM_H
#define EQS_SIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "barriers.h"
#include "ipi_bus.h"
#include "insn_patch.h"
#include "ordering_points.h"
#include "rcu_layout.h"
#include "steps.h"

#define CACHELINE      128
#define EQS_PATCHER_ID EQS_MAX_CPUS /* thread id of the patcher */
#define SYNC_SAMPLES   65536	    /* latency samples kept (a ring) */
#define SYNC_RING      64	    /* published syncs the CPUs can still look up */

#define load_relaxed(p)	    __atomic_load_n((p), __ATOMIC_RELAXED)
#define store_relaxed(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define load_acquire(p)	    __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define store_release(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
/* Single-writer statistic: a plain load and a plain store, never an RMW. */
#define stat_inc(x)	    store_relaxed(&(x), (x) + 1)

struct sim;
struct sim_thread;

/*
 * A driver (stress, exploration, a test's scripted interleaving) takes part
 * in a run only through this table, held by the simulation.  Any entry may
 * be NULL.
 */
struct sim_driver {
	/* Before a step; in_window: inside the patcher's write-to-read window. */
	void (*step)(struct sim_thread *t, enum step s, bool in_window);
	/* One turn of a wait whose condition was still false (recorded as s). */
	void (*blocked)(struct sim_thread *t, enum step s);
	/* What the step just recorded read (a counter word, a generation, ...). */
	void (*value)(struct sim_thread *t, uint32_t value, uint32_t value2);
	/* A simulated thread starts, before its first step. */
	void (*thread_start)(struct sim_thread *t);
	/*
	 * A CPU's EQS stay (user mode, wfi, a guest run) begins at cycle now
	 * and would end at end: the driver may move the end, to time the exit
	 * that follows (stress aims it at the patcher's next window).  Return
	 * the end; set *aimed when it was timed so (the exit is counted as
	 * aimed).  Runs before the stay's spin, outside every window.
	 */
	uint64_t (*stay_end)(struct sim_thread *t, uint64_t now, uint64_t end, bool *aimed);
	/* step is wanted only once the run was declared hung (sim_declare_hung()). */
	bool step_only_after_hang;
	/*
	 * step is not wanted inside a window: the patcher's (its text write to
	 * its first IPI) or a CPU's (its RCU update on EQS exit to the refetch
	 * after it), until the run is declared hung.  A store-buffering window
	 * lasts a few tens of instructions on x86: a call there per step is
	 * enough to close it, and stress does nothing there anyway.
	 */
	bool quiet_in_patch_window, quiet_in_exit_window;
};

/* What every simulated thread (CPU or patcher) carries for the step hook. */
struct sim_thread {
	struct sim *sim;
	unsigned id;
	uint64_t rng;
	uint32_t ring_next; /* total steps recorded; ring index = next % len */
	/*
	 * A CPU between its RCU update on EQS exit and its next refetch: the
	 * CPU's side of the store-buffering shape.  The harness adds no jitter
	 * there (an asked-for --delay still applies).
	 */
	bool in_exit_window;
	/*
	 * The driver timed this thread's next race (stay_end, or the patcher's
	 * next window): the harness adds no jitter until the race begins, the
	 * CPU's RCU update or the patcher's text write, where the machine
	 * clears it.
	 */
	bool aimed;
	/*
	 * When the last aimed race began, in cycles, stamped by the machine
	 * just before it (outside every window): the driver learns from it how
	 * long the way from the end of a wait to the race takes.
	 */
	uint64_t aimed_began;
	/*
	 * What a CPU's last aimed race found just before its update: the sync
	 * number in flight (odd) or last published (even), and whether that
	 * sync had written: the driver learns from it on which side of the
	 * window the update landed.
	 */
	uint64_t aimed_saw_seq;
	bool aimed_saw_written;
	/*
	 * Liveness, for the stress watchdog: units of work finished (a CPU's
	 * actions, the patcher's patches), counted by the driver's thread loop;
	 * the thread has returned; it kept stepping after the run was declared
	 * hung and is parked for good.  Owner-written, read relaxed.
	 */
	uint32_t units_done;
	int exited, parked;
	uint32_t steps_after_hang;
	/*
	 * The step hook leaves its fast path (a record only): ordering points
	 * on, timestamps, a driver step or value hook.  Set by sim_set_slow();
	 * the controller sets it once a run is declared hung (read relaxed).
	 */
	int slow;
	uint16_t ring_step[EQS_RING_LEN];
	uint64_t ring_cycles[EQS_RING_LEN]; /* only with trace_time */
};

struct cpu_stats {
	uint64_t violations;
	uint64_t violations_on_path[EQS_PATH_COUNT];
	/* Exits in a sync's racy window (race.c): syncs that left us out, and the others. */
	uint64_t races_left_out[EQS_PATH_COUNT];
	uint64_t races_waited[EQS_PATH_COUNT];
	uint64_t eqs_exits;
	uint64_t eqs_exits_on_path[EQS_PATH_COUNT];
	uint64_t aimed_exits; /* exits timed by the driver (stay_end) */
	uint64_t
		aimed_in_window; /* ... whose RCU update found a sync between write and publication */
	uint64_t eqs_disturbed;
	uint64_t text_in_eqs; /* simulator error: text executed in EQS */
	uint64_t entry_violations;
	uint64_t bad_paths; /* a variant's path that did not tell RCU */
	uint64_t first_violation_cycles;
	unsigned nr_records;
	struct eqs_violation records[EQS_MAX_VIOLATION_RECORDS];
};

struct eqs_cpu {
	/* Written by this CPU, read by the patcher: its own cache line. */
	union rcu_word rcu __attribute__((aligned(CACHELINE)));
	/* Written by the patcher, drained by this CPU. */
	struct ipi_queue ipiq __attribute__((aligned(CACHELINE)));

	/* Private to the CPU thread from here on. */
	struct sim_thread t __attribute__((aligned(CACHELINE)));
	bool irqs_on;
	bool watching; /* RCU is watching: not in EQS */
	bool nohz_full;
	bool at_el0;		   /* running user code: an interrupt now is a full user exit */
	bool in_nmi;		   /* an NMI handler runs: no other NMI until it returns */
	bool on_entry;		   /* the current path's EQS entry half runs (ordering points) */
	struct point_count points; /* ordering blocks met on the current path */
	uint8_t nmi_at; /* where the NMIs of the current NMI action arrive (cpu_model.c) */
	enum eqs_path last_exit_path; /* the path by which it last left EQS */
	enum eqs_path cur_path;	      /* the path whose code is running */
	/* An exit seen in a sync's window, counted once that sync says whom it waited for. */
	uint64_t race_seq; /* 0: none pending */
	bool race_stale;   /* our fetched text was older than that sync's write */
	enum eqs_path race_path;
	uint32_t fetched[EQS_MAX_SITES]; /* the text as this CPU last fetched it */
	struct cpu_stats stats;
	pthread_t thread;
};

/* A published sync: which CPUs it waited for (an acked IPI). */
struct sync_done {
	uint64_t seq;
	uint64_t waited;
};

struct eqs_patcher {
	/*
	 * Read by the CPUs for race accounting, relaxed: the sync in flight
	 * (odd), the site and generation it wrote, and the published syncs.
	 */
	uint64_t sync_seq __attribute__((aligned(CACHELINE)));
	uint64_t written_seq; /* the sync that wrote race_site / race_gen */
	unsigned race_site;
	uint32_t race_gen;
	struct sync_done done[SYNC_RING];
	/* The stop_machine rendezvous: every CPU adds 1, the patcher 1 more. */
	eqs_atomic_t stop_machine_count __attribute__((aligned(CACHELINE)));

	struct sim_thread t __attribute__((aligned(CACHELINE)));
	struct ipi_msg msgs[EQS_MAX_CPUS];
	eqs_cpu_fn ipi_fn;	    /* eqs_smp_call_func_many()'s handler, set before the sends */
	struct point_count points;  /* ordering blocks met in this patch's sync */
	uint64_t ipis_in_flight;    /* CPUs whose msgs[] entry is not acked yet */
	uint64_t ipis_waited;	    /* CPUs that acked an IPI during this patch */
	uint64_t deferred;	    /* CPUs given deferred work during this patch */
	uint64_t syncs_leaving_out; /* syncs that did not wait for every CPU */
	bool in_window;		    /* between the text write and the first IPI send */
	unsigned site;		    /* the patch being made */
	uint32_t gen;
	uint64_t seq;
	uint64_t patches;
	uint64_t ipis_sent;
	uint64_t ipis_skipped;
	uint64_t ipis_deferred;
	uint64_t entry_patches;
	uint64_t protocol_errors;
	uint64_t nr_samples;
	uint64_t *sync_cycles; /* SYNC_SAMPLES entries, or NULL: no latency samples */
	pthread_t thread;
};

struct sim {
	const struct eqs_variant *v;
	const struct rcu_layout *rcu; /* the variant's layout */
	struct eqs_config cfg;
	unsigned ncpu;
	struct text text;
	struct eqs_cpu *cpus;
	struct eqs_patcher patcher;

	/* Who runs the simulation, and what its step hook does beyond recording. */
	const struct sim_driver *driver;
	void *driver_data;
	bool trace_time; /* timestamp every step (costs an rdtsc / cntvct read each) */
	int hook_slow;	 /* the driver has a step hook: leave the fast path (read relaxed) */
	/* The driver's quiet_in_* (read relaxed): cleared when the run is declared hung. */
	int quiet_patch_window, quiet_exit_window;
	uint64_t t0; /* cycles at the start of the run */

	/*
	 * Ordering points (ordering_points.h): on when the run edits one
	 * (cfg.edit) or lists them (record_points, set by a driver).
	 */
	bool points_on, record_points;
	/* Steps are counted as boundaries too: an edit inserts a block, or points are listed. */
	bool boundaries_on;
	/* Bit s: an edit acts on the ordering blocks of step s (only those are counted). */
	uint64_t edited_blocks;
	unsigned nr_points, nr_boundaries;
	struct eqs_point points[SIM_POINTS];
	struct eqs_point boundaries[SIM_BOUNDARIES];

	/* Run control: written by the controller / patcher, polled relaxed. */
	int stop __attribute__((aligned(CACHELINE)));
	int patcher_done;
	int abort_waits; /* the run was declared hung: every wait gives up */
};

/*
 * The run stopped making progress: every wait gives up from now on, and
 * the driver's step hook runs at every step (to stop a thread that loops
 * outside the waits).  Called by the driver's controller only.
 */
void sim_set_slow(struct sim *sim);
static inline void sim_declare_hung(struct sim *sim)
{
	store_relaxed(&sim->abort_waits, 1);
	store_relaxed(&sim->quiet_patch_window, 0);
	store_relaxed(&sim->quiet_exit_window, 0);
	if (sim->driver && sim->driver->step) {
		store_relaxed(&sim->hook_slow, 1);
		sim_set_slow(sim);
	}
}

/* What the run's edit does to the ordering block about to act (c NULL: the patcher's). */
static inline enum eqs_edit_kind point_edit(struct sim *sim, struct eqs_cpu *c, enum step s)
{
	if (__builtin_expect(!sim->points_on, 1))
		return EQS_EDIT_NONE;
	if (!sim->record_points && !((unsigned)s < 64 && sim->edited_blocks >> s & 1))
		return EQS_EDIT_NONE; /* not this block's kind: nothing to count */
	return point_meet(sim, c, s);
}

/* Set up by sim_init(): a CPU (cpu_model.c) and the patcher (patcher.c). */
void cpu_init(struct sim *sim, struct eqs_cpu *c, unsigned id);
void patcher_init(struct sim *sim);

/* Fill err (if any) with a message and return code. */
int eqs_error(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Record step s in t's ring: plain stores to the thread's own memory, and a
 * fence-free timestamp only when asked (stamp, and trace_time).  Inside the
 * patcher's window there is no timestamp: under qemu the counter read is an
 * emulated helper slow enough to let a store drain, which would close the
 * very store-buffering window the window must leave open.
 */
static inline void ring_record(struct sim_thread *t, enum step s, bool stamp)
{
	uint32_t n = t->ring_next;
	unsigned i = n % EQS_RING_LEN;

	/* Relaxed (plain moves): the stress watchdog reads a hung thread's ring as it runs. */
	store_relaxed(&t->ring_next, n + 1);
	store_relaxed(&t->ring_step[i], (uint16_t)s);
	if (__builtin_expect(stamp && t->sim->trace_time, 0))
		store_relaxed(&t->ring_cycles[i], cycles_now());
}

/*
 * A step with more to do than its record (t->slow): ordering points, a
 * timestamp, the driver's step hook (in_window: the patcher's window).
 */
void step_slow(struct sim_thread *t, enum step s, bool in_window);
/* What a step read, for a driver that wants it (t->slow). */
void step_value_slow(struct sim_thread *t, uint32_t value, uint32_t value2);

/*
 * Before step s: record it; then whatever the driver does at a step.  The
 * common case (stress without jitter, benchmarks) is the record alone: one
 * flag read, two plain stores.
 */
static inline void step_hook(struct sim_thread *t, enum step s)
{
	if (__builtin_expect(load_relaxed(&t->slow), 0))
		step_slow(t, s, false);
	else
		ring_record(t, s, false);
}

/* A boundary inside the patcher's write/barrier/read window: recorded, never delayed. */
static inline void step_window(struct sim_thread *t, enum step s)
{
	if (__builtin_expect(load_relaxed(&t->slow), 0))
		step_slow(t, s, true);
	else
		ring_record(t, s, false);
}

/* One turn of a wait loop already recorded as s: the driver may switch threads. */
static inline void step_blocked(struct sim_thread *t, enum step s)
{
	const struct sim_driver *d = t->sim->driver;

	if (d && d->blocked)
		d->blocked(t, s);
}

/*
 * One turn of a wait whose condition was false: the driver's blocked step,
 * then a local spin.  False once the run was declared hung: the wait must
 * give up so the threads can be joined.
 */
static inline bool wait_turn(struct sim_thread *t, enum step s)
{
	if (load_relaxed(&t->sim->abort_waits))
		return false;
	step_blocked(t, s);
	cpu_relax();
	return true;
}

/* What the last step read: exploration traces show it; a no-op otherwise. */
static inline void step_value(struct sim_thread *t, uint32_t value, uint32_t value2)
{
	if (__builtin_expect(load_relaxed(&t->slow), 0))
		step_value_slow(t, value, value2);
}

#endif /* EQS_SIM_H */
