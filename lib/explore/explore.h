/*
 * explore.h - the exploration scheduler: simulated threads as coroutines on
 * one OS thread, resumed one step at a time by a scheduler whose choices a
 * strategy (DFS, PCT, replay) makes.  One call runs one execution.
 */
#ifndef EQS_EXPLORE_H
#define EQS_EXPLORE_H

#include <stdbool.h>
#include <stdint.h>

#include "coro.h"
#include "driver.h"
#include "error.h"
#include "eqssim.h"
#include "footprint.h"
#include "memory_model.h"

#define EXPLORE_MAX_THREADS (EQS_EXPLORE_MAX_CPUS + 1)
#define EXPLORE_MAX_STEPS   20000 /* an execution longer than this is cut off */
#define EXPLORE_STACK	    (128 * 1024)
#define EXPLORE_STACK_SLACK (8 * 1024) /* below the deepest yield: calls that never yield */

struct explorer;
struct state_cache;

/* Shared state outside the memory port, as bytes (cache.c). */
struct shared_view {
	unsigned char bytes[1024];
	size_t n;
	bool overflow;
};

/* 128 bits of a state (cache.c): two independently mixed 64-bit lanes. */
struct fingerprint {
	uint64_t lo, hi;
};

/*
 * What the scheduler can do next, one bit each: run a thread; under a weak
 * memory model, make one of a thread's pending stores visible, or all of
 * them; deliver an interrupt to a CPU between two of its steps (a pending
 * IPI where interrupts are on, or an NMI).  Threads take the low bits, so
 * the lowest choice is a thread whenever one can run.
 */
#define CHOICE_THREADS	     ((1ull << EXPLORE_MAX_THREADS) - 1)
#define CHOICE_DRAIN_BASE    8u
#define CHOICE_VISIBLE_BASE  16u
#define CHOICE_IRQ_BASE	     (CHOICE_VISIBLE_BASE + MM_THREADS * MM_BUFFER)
#define CHOICE_NMI_BASE	     (CHOICE_IRQ_BASE + EQS_EXPLORE_MAX_CPUS)
#define CHOICE_COUNT	     (CHOICE_NMI_BASE + EQS_EXPLORE_MAX_CPUS)
#define CHOICE_DRAIN(t)	     (CHOICE_DRAIN_BASE + (t))
#define CHOICE_VISIBLE(t, i) (CHOICE_VISIBLE_BASE + (t)*MM_BUFFER + (i))
#define CHOICE_IRQ(c)	     (CHOICE_IRQ_BASE + (c))
#define CHOICE_NMI(c)	     (CHOICE_NMI_BASE + (c))
_Static_assert(EXPLORE_MAX_THREADS <= CHOICE_DRAIN_BASE, "thread choices below the drains");
_Static_assert(CHOICE_COUNT <= 64, "every choice a bit of a uint64_t");
_Static_assert(EXPLORE_MAX_THREADS <= MM_THREADS, "a store buffer per thread");

static inline bool choice_is_store(unsigned c)
{
	return c >= CHOICE_DRAIN_BASE && c < CHOICE_IRQ_BASE;
}

static inline bool choice_is_drain(unsigned c)
{
	return c >= CHOICE_DRAIN_BASE && c < CHOICE_VISIBLE_BASE;
}

static inline bool choice_is_interrupt(unsigned c)
{
	return c >= CHOICE_IRQ_BASE;
}

/* The thread a choice is about: itself, the owner of the stores, the CPU interrupted. */
static inline unsigned choice_thread(unsigned c)
{
	if (c < CHOICE_DRAIN_BASE)
		return c;
	if (c < CHOICE_VISIBLE_BASE)
		return c - CHOICE_DRAIN_BASE;
	if (c < CHOICE_IRQ_BASE)
		return (c - CHOICE_VISIBLE_BASE) / MM_BUFFER;
	return c >= CHOICE_NMI_BASE ? c - CHOICE_NMI_BASE : c - CHOICE_IRQ_BASE;
}

/*
 * What a choice costs against the preemption bound: running another
 * thread while the last one could go on; an interrupt delivered where the
 * CPU's code does not poll for it costs one more (it preempts that code).
 * Making a store visible is free, so within a bound every order in which
 * stores become visible is explored.
 */
static inline unsigned choice_cost(int cur, uint64_t enabled, unsigned c)
{
	if (choice_is_store(c))
		return 0;
	unsigned t = choice_thread(c);

	return choice_is_interrupt(c) + (cur >= 0 && (int)t != cur && (enabled >> cur & 1));
}

/* A scheduling decision with more than one choice (DFS records them). */
struct explore_choice {
	uint64_t enabled; /* choices that were open */
	uint64_t tried;	  /* alternatives already explored (kept across runs) */
	uint8_t chosen;
	int8_t cur;		 /* the thread that ran last (-1 at the start) */
	uint8_t preempts_before; /* preemptions before this decision */
	/* Reduction: asleep on arrival (they commute with the way here), and left out
	 * because an earlier visit of this state explored them. */
	uint64_t sleep, skip;
};

/* Picks the next choice among enabled (a bit mask); -1 if it cannot, PICK_ASLEEP under reduction. */
#define PICK_ASLEEP (-2) /* every enabled choice is asleep: nothing new this way */
typedef int (*explore_pick_fn)(struct explorer *x, uint64_t enabled);

struct explorer {
	const struct eqs_variant *v;
	enum eqs_model model;	 /* sc, tso or arm-ifetch */
	bool list_points;	 /* fill points[] and boundaries[] (cfg.list_points) */
	struct mem_model *mm;	 /* NULL under sc */
	unsigned ncpu, nthreads; /* the patcher is thread ncpu */
	enum cpu_op actions[EQS_EXPLORE_MAX_CPUS][3 * EQS_EXPLORE_MAX_PATHS + 1];
	unsigned nr_patches; /* each patches site 0 again: generations 1, 2 */
	struct sim *sim;
	struct eqs_config sim_cfg;

	struct coro main_ctx;
	struct coro ctx[EXPLORE_MAX_THREADS];
	char *stacks[EXPLORE_MAX_THREADS];
	char *stack_low[EXPLORE_MAX_THREADS]; /* the deepest a suspension left it (sp) */
	bool finished[EXPLORE_MAX_THREADS];
	bool started[EXPLORE_MAX_THREADS];	/* has yielded once: it can be interrupted */
	uint8_t interrupt[EXPLORE_MAX_THREADS]; /* to deliver on resume: 1 an IPI, 2 an NMI */
	unsigned nmis_left;			/* this execution's NMIs still to come */
	unsigned nmi_budget;
	bool blocked[EXPLORE_MAX_THREADS];
	bool last_blocked[EXPLORE_MAX_THREADS];
	enum step pending[EXPLORE_MAX_THREADS]; /* the step each will run when resumed */
	bool pending_new[EXPLORE_MAX_THREADS];	/* ... and it is not a repeated wait */
	int cur;
	unsigned steps, preemptions;
	bool cut_off, deadlock, diverged;

	/* This execution: every choice taken, and the steps with what they read. */
	uint8_t resumes[EXPLORE_MAX_STEPS];
	unsigned nr_resumes;
	struct eqs_explore_step log[EQS_EXPLORE_TRACE_LEN];
	unsigned nr_log;

	/* Strategy state. */
	explore_pick_fn pick;
	unsigned bound;
	struct explore_choice *choices;
	unsigned nr_choices, prefix_len, max_choices;
	int prio[EXPLORE_MAX_THREADS];
	unsigned change_at[16], nr_change;
	const uint8_t *replay;
	unsigned replay_len;
	struct state_cache *cache; /* DFS: prune states already explored */
	bool pruned;		   /* this execution reached one */
	unsigned shape_phase;	   /* --emit-litmus's fixed pick (litmus.c) */
	bool unbounded;		   /* no preemption bound: who ran last is not state */
	/* Sharding: only the subtrees whose first shard_depth choices hash to shard_index. */
	unsigned shard_index, shard_count, shard_depth;
	bool skipped; /* this execution is in another shard's subtree */
	/*
	 * Partial-order reduction (reduce.c): the sleep set as the execution
	 * goes, with the footprint each sleeping choice had when it was
	 * explored; each decision's footprints of the choices it explored.
	 */
	bool reduce;
	uint64_t sleep;
	struct footprint sleep_fp[CHOICE_COUNT];
	struct footprint (*decision_fp)[CHOICE_COUNT];	/* per decision, MAX steps of them */
	struct footprint step_fp;			/* the step running now */
	struct shared_view shared_before, shared_after; /* state outside the port */
	bool step_woke;					/* it cleared the blocked flags */
	struct fp_recorder recorder;			/* under sc: notes the accesses */
	uint64_t revisit_skip; /* the next decision's choices explored at an earlier visit */
	/* The ordering points every execution so far met (sim_list_points). */
	unsigned nr_points, nr_boundaries;
	struct eqs_point points[EQS_EXPLORE_MAX_POINTS];
	struct eqs_point boundaries[EQS_EXPLORE_MAX_BOUNDARIES];
	/* This execution's states, by resume, to tell a cycle (a livelock) from a prune. */
	struct fingerprint *trail; /* EXPLORE_MAX_STEPS of them, with the cache */
};

/* Which shard owns the subtree of these first choices. */
unsigned explore_shard_of(const struct explore_choice *choices, unsigned n, unsigned shard_count);
/* Set up the scenario; 0 or -ENOMEM. */
int explore_init(struct explorer *x, const struct eqs_variant *v,
		 const struct eqs_explore_config *cfg);
void explore_destroy(struct explorer *x);
/* One execution under x->pick.  0, or a negative errno if the sim failed to start. */
int explore_execute(struct explorer *x);
/* Violations the execution saw (all CPUs). */
uint64_t explore_violations(struct explorer *x, struct eqs_violation *first);
/* The execution's resumes as "0:5,P:7,..."; parse one back. */
void explore_schedule_string(const struct explorer *x, char *buf, size_t len);
int explore_parse_schedule(const char *s, unsigned nthreads, uint8_t *out, unsigned max);

/* Add the points of add[] not in set[] yet (at most max in all). */
void explore_add_points(struct eqs_point *set, unsigned *n, unsigned max,
			const struct eqs_point *add, unsigned nr_add);

/* The state cache (cache.c). */
struct fingerprint explore_fingerprint(const struct explorer *x);
/* max_bytes 0: no limit; sleep_sets: keep a sleep set per state (state_cache_visit). */
struct state_cache *state_cache_new(size_t max_bytes, bool sleep_sets);
bool state_cache_full(const struct state_cache *sc);
void state_cache_free(struct state_cache *sc);
void state_cache_clear(struct state_cache *sc);
size_t state_cache_size(const struct state_cache *sc);	/* states */
size_t state_cache_bytes(const struct state_cache *sc); /* memory of the table */
bool state_cache_seen(struct state_cache *sc, struct fingerprint key, unsigned preemptions);
/*
 * With sleep sets (unbounded, a table made with sleep_sets): a new state
 * (remembered with sleep); one explored before with a sleep set inside
 * this one (prune); or one explored with a sleep set *before that holds
 * choices awake now (explore just those again; it keeps what both had).
 */
enum cache_visit {
	CACHE_NEW,
	CACHE_PRUNE,
	CACHE_AGAIN
};
enum cache_visit state_cache_visit(struct state_cache *sc, struct fingerprint key, uint64_t sleep,
				   uint64_t *before);
/* The protocol's state outside the memory port, copied (reduce.c's test for a global step). */
void explore_shared_view(const struct explorer *x, struct shared_view *v);
bool explore_shared_view_equal(const struct shared_view *a, const struct shared_view *b);

/* Partial-order reduction (reduce.c). */
int reduce_init(struct explorer *x);
void reduce_free(struct explorer *x);
void reduce_reset(struct explorer *x);
const struct mem_port *reduce_port(struct explorer *x);
void reduce_step_begin(struct explorer *x);
/* After a step: decision is the index of the decision it was the choice of, or -1. */
void reduce_step_end(struct explorer *x, unsigned choice, int decision);
/* A new decision's sleep set, and the footprints of what sleeps there. */
void reduce_enter_decision(struct explorer *x, unsigned index, uint64_t enabled);

#endif /* EQS_EXPLORE_H */
