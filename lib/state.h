/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * state.h - the simulated machine's types, and nothing else: one run
 * (struct sim), its CPUs, its patcher, its text.  No code lives here and
 * no .c file owns it: cpu_model.c, patcher.c and sync.c act on these
 * structs, sim.c builds them, drivers read them through driver.h.
 *
 * What an exploration tells states apart by is declared here, as whole
 * structs it hashes (the *_ctx ones, the RCU word, the IPI queue and
 * message, the text, the run's flags, each thread's struct thread_state);
 * bookkeeping (statistics, rings, accounting) is kept outside them, so a
 * field added to a context struct is state without anyone listing it.
 *
 * Ownership rule (DESIGN §3): every field is written by one thread only.
 * Fields read by another thread while the run goes are accessed with
 * relaxed (or, where the protocol says so, acquire/release) atomics and
 * never with a read-modify-write.
 */
#ifndef EQS_STATE_H
#define EQS_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "eqssim.h"
#include "error.h"
#include "insn_patch.h"
#include "ipi_bus.h"
#include "oracle.h"
#include "race.h"
#include "rcu_layout.h"
#include "thread.h"

/* A CPU's explored state besides its RCU word, IPI queue and message, and thread state. */
struct cpu_ctx {
	uint32_t fetched[EQS_MAX_SITES]; /* the text as this CPU last fetched it */
	enum eqs_path last_exit_path;	 /* the path by which it last left EQS */
	bool irqs_on;
	bool watching; /* RCU is watching: not in EQS */
	bool nohz_full;
	bool at_el0;		 /* running user code: an interrupt now is a full user exit */
	bool in_nmi;		 /* an NMI handler runs: no other NMI until it returns */
	uint8_t nmi_at;		 /* where the NMIs of the current NMI action arrive (cpu_paths.c) */
	struct text_maint maint; /* its writes and maintenance as master, until its dsb */
};

/* A CPU's statistics besides the oracle's and the race accounting's. */
struct cpu_stats {
	uint64_t eqs_exits;
	uint64_t eqs_exits_on_path[EQS_PATH_COUNT];
	uint64_t eqs_disturbed;
	uint64_t text_in_eqs; /* simulator error: text executed in EQS */
	uint64_t bad_paths;   /* a variant's path that did not tell RCU */
};

struct eqs_cpu {
	/* Written by this CPU, read by the patcher: its own cache line. */
	union rcu_word rcu __attribute__((aligned(CACHELINE)));
	/* Written by the patcher, drained and acked by this CPU. */
	struct ipi_queue ipiq __attribute__((aligned(CACHELINE)));
	struct ipi_msg msg; /* the patcher's IPI to this CPU (reusable once acked) */
	/* Its handler and data, when eqs_smp_call_func_many() sent it: written before the send. */
	struct ipi_call {
		eqs_call_fn fn;
		void *info;
	} call;

	/* Private to the CPU thread from here on. */
	struct sim_thread t __attribute__((aligned(CACHELINE)));
	struct cpu_ctx ctx;
	struct race_cpu race;
	struct oracle_stats oracle;
	struct cpu_stats stats;
	struct error_log misuse; /* the variant's calls with what they cannot take */
	pthread_t thread;
};

/* The patcher's explored state besides the CPUs' IPI messages and its thread state. */
struct patcher_ctx {
	uint64_t ipis_in_flight; /* CPUs whose message is not acked yet */
	uint64_t ipis_sent_now;	 /* CPUs sent an IPI during this patch */
	uint64_t ipis_waited;	 /* CPUs that acked an IPI during this patch */
	unsigned site;		 /* the patch being made */
	bool wrote;		 /* ... and its text is written */
	uint32_t gen;
	bool in_window;		  /* between the text write and the first IPI send */
	uint32_t writes_at_start; /* text.writes when the patch began: did anyone write since? */
};

struct eqs_patcher {
	/* Read by the CPUs for race accounting, relaxed. */
	struct race_sync race __attribute__((aligned(CACHELINE)));
	struct sim_thread t __attribute__((aligned(CACHELINE)));
	struct patcher_ctx ctx;
	uint64_t seq;		    /* this sync's number (odd) */
	uint64_t deferred;	    /* CPUs given deferred work during this patch */
	uint64_t syncs_leaving_out; /* syncs that did not wait for every CPU */
	uint64_t patches;
	uint64_t ipis_sent;
	uint64_t ipis_skipped;
	uint64_t ipis_deferred;
	uint64_t entry_patches;
	uint64_t protocol_errors;
	/* Blocks called with what they cannot take (a CPU number out of range). */
	struct error_log misuse;
	pthread_t thread;
};

/*
 * The words of the simulated memory that no CPU owns: the library's own
 * (WORDS_LIB of them: stop_machine's count) and then the variant's
 * (struct eqs_word), a per-CPU word as one cell per CPU.  The cells are
 * explored state (one region); the layout is fixed for the run.
 */
#define WORDS_LIB		1
#define WORD_STOP_MACHINE_COUNT 0 /* every CPU adds 1, the patcher 1 more */
#define WORDS_MAX		(WORDS_LIB + EQS_MAX_WORDS)
#define WORD_CELLS_MAX		(WORDS_LIB + EQS_MAX_WORDS * EQS_MAX_CPUS)

struct word_decl {
	const char *name;
	bool per_cpu;
	uint32_t init;
	unsigned base; /* its first cell */
	int step;      /* the step its accesses record */
};

struct word_layout {
	unsigned nr_words, nr_cells, ncpu;
	struct word_decl decl[WORDS_MAX];
};

struct word_store {
	struct word_layout layout;
	uint32_t cells[WORD_CELLS_MAX] __attribute__((aligned(CACHELINE)));
};

/* How the run ends: written by the controller / patcher, polled relaxed. */
struct run_flags {
	int stop;
	int patcher_done;
};

struct sim {
	const struct eqs_variant *v;
	const struct rcu_layout *rcu; /* the variant's layout */
	struct eqs_config cfg;
	unsigned ncpu;
	struct text text;
	struct eqs_cpu *cpus;
	struct eqs_patcher patcher;
	struct word_store words;
	/* What the threads' step hooks share: the driver, edits, timestamps. */
	struct sim_run run;
	struct run_flags flags __attribute__((aligned(CACHELINE)));
};

#endif /* EQS_STATE_H */
