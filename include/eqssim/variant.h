/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eqssim/variant.h - writing a protocol variant: the CPU-side and
 * patcher-side building blocks, struct eqs_variant, and the registry.
 * Part of the public API; include <eqssim.h>, not this file.
 */
#ifndef EQSSIM_VARIANT_H
#define EQSSIM_VARIANT_H

#ifndef EQSSIM_H
#error "include <eqssim.h>, not <eqssim/variant.h>"
#endif

/*
 * ---------------------------------------------------------------------------
 * Writing a variant
 *
 * A variant is a name, the RCU layout it runs on, a patcher function and,
 * where it differs from the library's default, the code of each EQS exit
 * path, all written with the building blocks below.  The built-in variants
 * are written the same way (lib/variants/builtin.c).  Example: the reviewed patch's
 * user exit, with its isb before RCU knows the CPU left EQS:
 *
 *	static void early_isb_user_exit(struct eqs_cpu *c)
 *	{
 *		eqs_exc_entry(c);
 *		eqs_isb_if_eqs(c);
 *		eqs_enable_irqs(c);
 *		eqs_rcu_exit(c);
 *		eqs_exec_text(c);
 *	}
 * ---------------------------------------------------------------------------
 */
struct eqs_cpu;
struct eqs_patcher;
typedef void (*eqs_cpu_fn)(struct eqs_cpu *cpu);
typedef void (*eqs_patch_fn)(struct eqs_patcher *patcher);
/*
 * A function a CPU is made to run with the caller's data, as the kernel's
 * smp_call_function_many(mask, func, info, wait) and stop_machine(fn,
 * data, cpus) pass it: the handler of eqs_smp_call_func_many().
 */
typedef void (*eqs_call_fn)(struct eqs_cpu *cpu, void *info);

/* What RCU's per-CPU state looks like to the CPUs and the patcher. */
enum eqs_rcu_layout {
	EQS_RCU_DYNTICKS, /* Linux 4.16 dynticks counter; bit 0 the special flag */
	EQS_RCU_CT_STATE, /* 6.x context-tracking word: counter | work | state */
	EQS_RCU_QSBR,	  /* liburcu QSBR: EQS = offline, exit = online */
};

/*
 * How an EQS exit or entry moves the CPU's RCU word.  The kernel's is a
 * fully ordered atomic_add_return(); a variant may weaken it, and is judged
 * for it under each model (a plain store lets a later load pass it on x86,
 * and loses a flag the patcher sets concurrently).
 */
enum eqs_order {
	EQS_ORDER_FULL,	   /* atomic_add_return(): ldaddal / LL/SC + dmb ish; lock xadd */
	EQS_ORDER_RELEASE, /* a store-release of the new value: stlr; x86 mov */
	EQS_ORDER_RELAXED, /* a plain store of the new value: str; x86 mov */
	EQS_ORDER_ACQUIRE, /* a variant's word only (below): ldar / ldadda; x86 mov / lock */
};

/*
 * A word of the variant's own inside the simulated memory: a rendezvous
 * count, a "done" flag, a per-CPU flag such as kernel_cr3_loaded.  The
 * variant declares its words in struct eqs_variant (a name, global or one
 * per CPU, the value every run starts from) and reaches them by index with
 * the kernel-named accessors below.  Unlike a C global, a word goes
 * through the memory models (tso and arm-ifetch buffer its stores), is
 * part of the state an exploration tells apart, and each access is a step
 * named after the word (traces, --delay, and edits of its ordering:
 * "patcher.released.1=weaken" makes the patcher's first access of
 * "released" one order weaker).  The name must be a C identifier, unique
 * in the variant, and no built-in step's.
 */
struct eqs_word {
	const char *name;
	bool per_cpu;	   /* one word per CPU (per_cpu(x, cpu)); else one global word */
	unsigned int init; /* its value when a run starts */
};

struct eqs_variant {
	const char *name;
	const char *summary;
	enum eqs_rcu_layout rcu;
	/*
	 * The patcher: write the text and make every CPU see it (typically
	 * eqs_patch_write(), eqs_patch_cache_maint(), then the sync).  The
	 * library publishes the new generation as synced when it returns.
	 */
	eqs_patch_fn patch;
	/*
	 * Each EQS exit path, from its exception (or, for idle, from after the
	 * wake interrupt) to executing the text: it must call eqs_rcu_exit()
	 * and end with eqs_exec_text().  NULL: the library's default, which is
	 * the kernel's sequence with nothing extra (eqs_default_exit()).
	 */
	eqs_cpu_fn exit[EQS_PATH_COUNT];
	/*
	 * Each EQS entry path: return to user, idle entry (before wfi), the
	 * return from an interrupt taken in EQS, guest entry.  It must call
	 * eqs_rcu_enter().  NULL: the kernel's sequence (eqs_default_enter()).
	 */
	eqs_cpu_fn enter[EQS_PATH_COUNT];
	/* How the EQS exit and entry update the RCU word; zero: the kernel's, fully ordered. */
	enum eqs_order exit_order, enter_order;
	/* Run inside RCU's EQS exit, after the exit update, on every path. */
	eqs_cpu_fn rcu_exit_sync;
	/* Run on EQS exit when the special flag / context-tracking work was set. */
	eqs_cpu_fn deferred;
	/* Paths the variant is broken on: a violation elsewhere is a simulator error. */
	unsigned broken_paths;
	/*
	 * Paths broken only under a model, added to broken_paths there (the
	 * review's fix is broken everywhere under arm-ifetch, and nowhere else).
	 */
	unsigned broken_paths_under[EQS_MODEL_COUNT];
	/*
	 * Expected verdict per model, indexed by enum eqs_model: write it with
	 * designated initialisers ([EQS_MODEL_TSO] = EQS_EXPECT_OK, ...), so
	 * that a model added later cannot shift the others.  Unnamed: n/a.
	 */
	enum eqs_expect expect[EQS_MODEL_COUNT];
	/* The variant's words, reached as EQS_WORD(i) / EQS_CPU_WORD(i, cpu); at most EQS_MAX_WORDS. */
	const struct eqs_word *words;
	unsigned nr_words;
};

/*
 * ---------------------------------------------------------------------------
 * Ordering points: "is this barrier needed?"
 *
 * Every ordering point a variant owns can be found and edited without
 * touching its code: a barrier block as one of its calls on one path (the
 * nth call of that block's step on the path's exit or entry half, or in
 * the patcher's sync), or how its EQS exit or entry updates the RCU word.
 * An edit removes a point, or weakens it one step (a dsb to a dmb; fully
 * ordered to release, release to relaxed).  The blocks that are points:
 * eqs_isb, eqs_isb_if_eqs, eqs_dsb, eqs_dmb, eqs_dsb_st, eqs_dsb_ld,
 * eqs_dmb_st, eqs_dmb_ld, eqs_smp_rmb, eqs_smp_wmb,
 * eqs_smp_mb__before_atomic, eqs_smp_mb__after_atomic, eqs_cpu_dc_cvau,
 * eqs_cpu_ic_ivau on a CPU; every access of a variant's word (below);
 * eqs_smp_mb, eqs_patch_dc_cvau, eqs_patch_ic_ivau, eqs_patch_dsb and the
 * patcher's barriers of the same names (eqs_patch_isb, eqs_patch_dsb_st,
 * ...) in the patcher.  An exception's entry and return are the hardware's, not
 * the variant's, and are never edited.
 * ---------------------------------------------------------------------------
 */
enum eqs_point_kind {
	EQS_POINT_NONE,
	EQS_POINT_BLOCK,       /* a barrier block's call */
	EQS_POINT_EXIT_ORDER,  /* the EQS exit's update of the RCU word (exit_order) */
	EQS_POINT_ENTER_ORDER, /* the EQS entry's (enter_order) */
	EQS_POINT_BOUNDARY,    /* the boundary before a step: where a block can be inserted */
};

struct eqs_point {
	enum eqs_point_kind kind;
	bool patcher;	    /* a block of the patcher's sync (else of a CPU's path) */
	bool on_entry;	    /* a CPU's block on the path's EQS entry half, not its exit */
	enum eqs_path path; /* a CPU's block: the path */
	int step;	    /* a block: its step (eqs_step_name()); a boundary: the step after it */
	unsigned nth;	    /* which call of that step there, from 0 */
	bool every_path;    /* a CPU's boundary: the same one on every path's half */
};

enum eqs_edit_kind {
	EQS_EDIT_NONE,
	EQS_EDIT_REMOVE,     /* the block does nothing (its step is still recorded) */
	EQS_EDIT_WEAKEN,     /* dsb -> dmb; an update one step weaker than the variant's */
	EQS_EDIT_STRENGTHEN, /* an update one step stronger (relaxed -> release -> full) */
	EQS_EDIT_INSERT_ISB, /* at a boundary: an isb block (a CPU's), a step of its own */
	EQS_EDIT_INSERT_DMB, /* a dmb (a CPU's eqs_dmb, the patcher's eqs_smp_mb) */
	EQS_EDIT_INSERT_DSB, /* a dsb (a CPU's eqs_dsb, the patcher's eqs_patch_dsb) */
};

struct eqs_edit {
	enum eqs_edit_kind kind;
	struct eqs_point point;
};

/* Whether two points are the same one. */
EQS_API bool eqs_point_equal(const struct eqs_point *a, const struct eqs_point *b);
/* "user exit: dsb #1", "patcher: smp_mb #1", "EQS exit's RCU update": one line. */
EQS_API const char *eqs_point_name(const struct eqs_point *pt, char *buf, size_t len);
/*
 * An edit as a word for command lines: POINT=remove|weaken|strengthen, or
 * before:POINT=isb|dmb|dsb (a block inserted before that step), with POINT
 * one of PATH.exit.STEP.N, PATH.entry.STEP.N, any.exit.STEP.N (every
 * path), patcher.STEP.N (N from 1), exit_order, enter_order; e.g.
 * "user.exit.dsb.1=weaken", "before:any.exit.isb.1=dsb".  Parse returns 0,
 * or -EINVAL with a message.
 */
EQS_API const char *eqs_edit_format(const struct eqs_edit *e, char *buf, size_t len);
EQS_API int eqs_edit_parse(const char *spec, struct eqs_edit *out, char *err, size_t errlen);

/* The library's default exit / entry for a path: what the kernel does with no hook. */
EQS_API void eqs_default_exit(struct eqs_cpu *c, enum eqs_path path);
EQS_API void eqs_default_enter(struct eqs_cpu *c, enum eqs_path path);

/*
 * CPU-side building blocks.  Each records its named step (trace, delay,
 * jitter) before it acts.
 */
EQS_API void eqs_exc_entry(struct eqs_cpu *c);	/* exception entry: a CSE, refetches the text */
EQS_API void eqs_exc_return(struct eqs_cpu *c); /* exception return: a CSE */
EQS_API void eqs_isb(struct eqs_cpu *c);	/* isb: a CSE */
EQS_API void eqs_isb_if_eqs(struct eqs_cpu *c); /* if (!rcu_is_watching()) isb(); */
EQS_API void eqs_dsb(struct eqs_cpu *c);	/* dsb ish (waits; does not refetch) */
EQS_API void eqs_dmb(struct eqs_cpu *c);	/* dmb ish: orders data accesses only */
EQS_API void eqs_dsb_st(struct eqs_cpu *c);	/* dsb ishst: waits for earlier stores */
EQS_API void eqs_dsb_ld(struct eqs_cpu *c);	/* dsb ishld: waits for earlier loads only */
EQS_API void eqs_dmb_st(struct eqs_cpu *c);	/* dmb ishst: orders stores against stores */
EQS_API void eqs_dmb_ld(struct eqs_cpu *c);	/* dmb ishld: loads against later accesses */
/*
 * The kernel's names, as each backend builds them: smp_rmb() is dmb ishld
 * on arm64 and barrier() on x86; smp_wmb() dmb ishst / barrier();
 * smp_mb__before_atomic() and __after_atomic() dmb ish on arm64 (its
 * atomics order nothing by themselves) and barrier() on x86 (the locked
 * atomic beside them is the fence).
 */
EQS_API void eqs_smp_rmb(struct eqs_cpu *c);
EQS_API void eqs_smp_wmb(struct eqs_cpu *c);
EQS_API void eqs_smp_mb__before_atomic(struct eqs_cpu *c);
EQS_API void eqs_smp_mb__after_atomic(struct eqs_cpu *c);
EQS_API void eqs_enable_irqs(struct eqs_cpu *c); /* unmask, and take what is pending */
/* RCU's EQS exit for the path being run (ct_user_exit, rcu_idle_exit, rcu_irq_enter, guest_exit). */
EQS_API void eqs_rcu_exit(struct eqs_cpu *c);
/* RCU's EQS entry for the path (ct_user_enter, rcu_idle_enter, rcu_irq_exit, guest_enter). */
EQS_API void eqs_rcu_enter(struct eqs_cpu *c);
EQS_API bool eqs_rcu_is_watching(struct eqs_cpu *c);
/* Execute the text sites; the oracle judges each execution. */
EQS_API void eqs_exec_text(struct eqs_cpu *c);
EQS_API unsigned eqs_cpu_id(const struct eqs_cpu *c);
EQS_API unsigned eqs_cpu_nr_cpus(const struct eqs_cpu *c); /* CPUs in the run */
/*
 * A CPU acting as the patch's master (arm64's stop_machine callbacks: the
 * first CPU to arrive in 3.x and 4.x, the last in 6.x), in a callback or
 * on an exit path.  eqs_cpu_patch_write() writes the site of the patch in
 * flight (with none in flight it is the variant's error); the cache
 * maintenance blocks act on that site, one instruction each, and this
 * CPU's next eqs_dsb() completes them (another thread's dsb does not), as
 * the patcher's own eqs_patch_dsb() completes its maintenance.  The sync
 * publishes what the master wrote when the patch function returns, and
 * the oracle judges it like the patcher's write: wait for the master
 * before returning.  eqs_cpu_cache_maint() is Linux's sequence: dc cvau;
 * dsb ish; ic ivau; dsb ish (its isb is the variant's eqs_isb()).
 */
EQS_API void eqs_cpu_patch_write(struct eqs_cpu *c);
EQS_API void eqs_cpu_dc_cvau(struct eqs_cpu *c);
EQS_API void eqs_cpu_ic_ivau(struct eqs_cpu *c);
EQS_API void eqs_cpu_cache_maint(struct eqs_cpu *c);

/* Patcher-side building blocks. */
EQS_API void eqs_patch_write(struct eqs_patcher *p); /* write this patch's site */
/*
 * Cache maintenance, one instruction per block (each its own step), so a
 * variant can drop or reorder any of them and be judged for it: until a
 * dsb completes a dc cvau and then an ic ivau of the site, a CSE still
 * fetches the old text (on Arm; eqs_config's ctr_idc / ctr_dic relax it as
 * CTR_EL0 does; on x86 the I-cache is coherent).
 */
EQS_API void eqs_patch_dc_cvau(struct eqs_patcher *p);
EQS_API void eqs_patch_ic_ivau(struct eqs_patcher *p);
EQS_API void eqs_patch_dsb(struct eqs_patcher *p);
/* Linux's whole sequence: dc cvau; dsb ish; ic ivau; dsb ish. */
EQS_API void eqs_patch_cache_maint(struct eqs_patcher *p);
EQS_API void eqs_smp_mb(struct eqs_patcher *p); /* smp_mb() */
/*
 * The rest of the patcher's barriers, each its own step and ordering
 * point: isb (a CSE on the patcher's CPU), dsb ishst (what Linux's IDC=1
 * path issues after the write), dsb ishld, dmb ishst, dmb ishld, and the
 * kernel's smp_rmb() / smp_wmb() / smp_mb__before_atomic() /
 * smp_mb__after_atomic(), built as the CPU-side blocks of the same names.
 */
EQS_API void eqs_patch_isb(struct eqs_patcher *p);
EQS_API void eqs_patch_dsb_st(struct eqs_patcher *p);
EQS_API void eqs_patch_dsb_ld(struct eqs_patcher *p);
EQS_API void eqs_patch_dmb_st(struct eqs_patcher *p);
EQS_API void eqs_patch_dmb_ld(struct eqs_patcher *p);
EQS_API void eqs_patch_smp_rmb(struct eqs_patcher *p);
EQS_API void eqs_patch_smp_wmb(struct eqs_patcher *p);
EQS_API void eqs_patch_smp_mb__before_atomic(struct eqs_patcher *p);
EQS_API void eqs_patch_smp_mb__after_atomic(struct eqs_patcher *p);
EQS_API unsigned eqs_nr_cpus(const struct eqs_patcher *p);
EQS_API uint64_t eqs_all_cpus(const struct eqs_patcher *p); /* mask of every CPU */
/*
 * The text sites a run patches: eqs_config's sites of ordinary kernel
 * text, then its entry_sites of noinstr entry code (run on an EQS exit
 * before RCU knows the CPU left EQS: only a sync that interrupts every
 * CPU covers a patch there).  Each patch writes one site, picked by the
 * workload; the patch function sees which and of what kind, and may
 * choose another before it writes (a site out of range, or a choice after
 * the write, is the variant's error: an error verdict naming the call).
 */
enum eqs_site_kind {
	EQS_SITE_TEXT,	  /* ordinary kernel text */
	EQS_SITE_NOINSTR, /* noinstr entry code */
};
EQS_API unsigned eqs_nr_sites(const struct eqs_patcher *p);
EQS_API enum eqs_site_kind eqs_site_kind(const struct eqs_patcher *p, unsigned site);
EQS_API unsigned eqs_patch_site(const struct eqs_patcher *p); /* the site this patch writes */
EQS_API enum eqs_site_kind eqs_patch_site_kind(const struct eqs_patcher *p);
EQS_API void eqs_patch_choose_site(struct eqs_patcher *p, unsigned site);
/*
 * Remote reads of a CPU's RCU word: plain (READ_ONCE) or fully ordered.
 * A CPU number at or above eqs_nr_cpus() here, or in eqs_special_set() and
 * eqs_ct_work_set*(), is the variant's error: the call acts on nothing
 * (a snap reads 0) and the run's verdict is error, with the call named.
 */
EQS_API unsigned int eqs_snap(struct eqs_patcher *p, unsigned cpu);
EQS_API unsigned int eqs_snap_full(struct eqs_patcher *p, unsigned cpu);
/* Does a snapshot say the CPU is in EQS (RCU not watching)? */
EQS_API bool eqs_snap_in_eqs(const struct eqs_patcher *p, unsigned int snap);
/* 4.16 rcu_eqs_special_set(): flag a CPU in EQS; false if it was watching. */
EQS_API bool eqs_special_set(struct eqs_patcher *p, unsigned cpu);
/*
 * 6.x context-tracking work: set the sync-core work bit on cpu if its word
 * passes the gate, by cmpxchg.  gate: EQS_CT_GATE_NOT_WATCHING (RCU not
 * watching) and/or EQS_CT_GATE_STATE(s) bits (the state field says s).
 * False means the CPU must be sent an IPI instead.
 */
#define EQS_CT_STATE_KERNEL	 0
#define EQS_CT_STATE_IDLE	 1
#define EQS_CT_STATE_USER	 2
#define EQS_CT_STATE_GUEST	 3
/*
 * The context-tracking word as eqs_snap() returns it (6.x, with the
 * deferral series' work bits): [ RCU watching counter | work | state ].
 * RCU watches the CPU when the EQS_CT_RCU_WATCHING bit of the counter is
 * set (the counter moves by that much at each EQS entry and exit).
 */
#define EQS_CT_STATE_MASK	 0x3u	     /* bits 0-1: EQS_CT_STATE_* */
#define EQS_CT_WORK_SYNC_CORE	 (1u << 2)   /* the deferred sync_core (isb) */
#define EQS_CT_WORK_MASK	 (0x3u << 2) /* bits 2-3: deferred work */
#define EQS_CT_RCU_WATCHING	 (1u << 4)   /* one step of the counter, bits 4 up */
/*
 * The 4.16 dynticks counter as eqs_snap() returns it: the counter moves by
 * EQS_DYNTICKS_CTR at each EQS entry and exit, and the CPU is in EQS when
 * (snap & EQS_DYNTICKS_CTR) is 0; bit 0 is the special flag (deferred
 * work) that eqs_special_set() sets.
 */
#define EQS_DYNTICKS_SPECIAL	 0x1u
#define EQS_DYNTICKS_CTR	 0x2u
#define EQS_CT_GATE_STATE(s)	 (1u << (s))
#define EQS_CT_GATE_NOT_WATCHING (1u << 4)
EQS_API bool eqs_ct_work_set(struct eqs_patcher *p, unsigned cpu, unsigned gate);
/*
 * Any version of ct_set_cpu_work(): gate sees the raw context-tracking
 * word each cmpxchg is tried on and says whether to set the work there.
 * Decode the word with eqs_ct_word_watching() / eqs_ct_word_state().
 */
typedef bool (*eqs_ct_gate_fn)(unsigned int word, void *arg);
EQS_API bool eqs_ct_work_set_gated(struct eqs_patcher *p, unsigned cpu, eqs_ct_gate_fn gate,
				   void *arg);
EQS_API bool eqs_ct_word_watching(unsigned int word); /* RCU watches this CPU */
EQS_API int eqs_ct_word_state(unsigned int word);     /* EQS_CT_STATE_* */
/*
 * The two syncs the deferring variants are made of:
 *  eqs_skip_eqs_cpus(): read each CPU's RCU word with snap (eqs_snap for a
 *    plain read as the reviewed patcher did, eqs_snap_full for a fully
 *    ordered one), skip the CPUs it says are in EQS, IPI the others and
 *    wait for them;
 *  eqs_defer_or_ipi(): offer each CPU deferred work with offer (for
 *    example eqs_special_set), IPI the CPUs that refuse it and wait.
 * Neither writes the text nor orders anything before itself: the barrier
 * before the reads is the variant's own step.
 */
typedef unsigned int (*eqs_snap_fn)(struct eqs_patcher *p, unsigned cpu);
typedef bool (*eqs_offer_fn)(struct eqs_patcher *p, unsigned cpu);
EQS_API void eqs_skip_eqs_cpus(struct eqs_patcher *p, eqs_snap_fn snap);
EQS_API void eqs_defer_or_ipi(struct eqs_patcher *p, eqs_offer_fn offer);
/*
 * Waits and rendezvous of your own.  A blocked-until wait records step,
 * then spins until cond(arg) is true; each false turn is a blocked step
 * (exploration runs another thread meanwhile).  A wait nobody satisfies
 * ends the run with a hang verdict (expect EQS_EXPECT_HANG to say that is
 * the point), in stress within its budget as in exploration.  What cond
 * reads must be state the simulation sees: today that is what the
 * building blocks themselves read (the RCU words through eqs_snap(), the
 * IPI acks) and the variant's words (below); a C global of your own is
 * invisible to the memory models and to the state cache.
 */
typedef bool (*eqs_cond_fn)(void *arg);
EQS_API void eqs_cpu_wait_until(struct eqs_cpu *c, int step, eqs_cond_fn cond, void *arg);
EQS_API void eqs_patcher_wait_until(struct eqs_patcher *p, int step, eqs_cond_fn cond, void *arg);
/*
 * ---------------------------------------------------------------------------
 * A variant's words (struct eqs_word), with the kernel's accessors
 *
 * A word is named by a reference: EQS_WORD(i) for the variant's global
 * word i, EQS_CPU_WORD(i, cpu) for CPU cpu's copy of per-CPU word i.  Every
 * accessor takes the thread that runs it first, a CPU (struct eqs_cpu *)
 * or the patcher (struct eqs_patcher *), and is one access: one step named
 * after the word, then the access through the memory port.  The orders are
 * the kernel's: eqs_read_once() / eqs_write_once() and eqs_atomic_read() /
 * eqs_atomic_set() are plain; eqs_atomic_inc() / dec() / add() are relaxed
 * RMWs; the value-returning RMWs are fully ordered, with the _relaxed,
 * _acquire and _release forms beside them.  What each is on each backend:
 * the README's "Writing your own variant".  A reference out of range, a per-CPU word
 * without a CPU (or a global one with one), an order an access cannot
 * take: the variant's error, an error verdict naming the call; the access
 * does nothing and reads 0.
 *
 * Waits on words: a condition passed to eqs_cpu_wait_until() /
 * eqs_patcher_wait_until() may read words with these accessors (hand it
 * the thread in arg); inside the condition an access records no step, as
 * each false turn is the wait's blocked step.
 * ---------------------------------------------------------------------------
 */
#define EQS_WORD(i)	     ((unsigned)(i))
#define EQS_CPU_WORD(i, cpu) ((unsigned)(i) | ((unsigned)(cpu) + 1u) << 16)
enum eqs_word_op {
	EQS_WORD_LOAD,	  /* returns the value */
	EQS_WORD_STORE,	  /* stores a; returns a */
	EQS_WORD_ADD,	  /* adds a; returns the new value */
	EQS_WORD_XCHG,	  /* stores a; returns the old value */
	EQS_WORD_CMPXCHG, /* stores b if the word is a; returns the old value */
};
/* The one access every accessor below is: op on word with order (loads: relaxed or acquire; stores: relaxed or release). */
EQS_API unsigned int eqs_cpu_word_op(struct eqs_cpu *c, unsigned word, enum eqs_word_op op,
				     enum eqs_order order, unsigned int a, unsigned int b);
EQS_API unsigned int eqs_patcher_word_op(struct eqs_patcher *p, unsigned word, enum eqs_word_op op,
					 enum eqs_order order, unsigned int a, unsigned int b);
#define eqs_word_op(x, w, op, order, a, b)                                                         \
	_Generic((x), struct eqs_cpu *                                                             \
		 : eqs_cpu_word_op, struct eqs_patcher *                                           \
		 : eqs_patcher_word_op)((x), (w), (op), (order), (a), (b))
/* try_cmpxchg's result: true if the word held *old; else *old is what it held. */
static inline bool eqs_try_cmpxchg_result(unsigned int found, unsigned int *old)
{
	bool ok = found == *old;

	*old = found;
	return ok;
}
#define EQS_WORD_RMW_(x, w, op, order, a, b)                                                       \
	eqs_word_op(x, w, EQS_WORD_##op, EQS_ORDER_##order, a, b)
/* Plain accesses, and the one-sided orders. */
#define eqs_read_once(x, w)		       EQS_WORD_RMW_(x, w, LOAD, RELAXED, 0, 0)
#define eqs_write_once(x, w, v)		       ((void)EQS_WORD_RMW_(x, w, STORE, RELAXED, v, 0))
#define eqs_smp_load_acquire(x, w)	       EQS_WORD_RMW_(x, w, LOAD, ACQUIRE, 0, 0)
#define eqs_smp_store_release(x, w, v)	       ((void)EQS_WORD_RMW_(x, w, STORE, RELEASE, v, 0))
#define eqs_atomic_read(x, w)		       EQS_WORD_RMW_(x, w, LOAD, RELAXED, 0, 0)
#define eqs_atomic_read_acquire(x, w)	       EQS_WORD_RMW_(x, w, LOAD, ACQUIRE, 0, 0)
#define eqs_atomic_set(x, w, v)		       ((void)EQS_WORD_RMW_(x, w, STORE, RELAXED, v, 0))
#define eqs_atomic_set_release(x, w, v)	       ((void)EQS_WORD_RMW_(x, w, STORE, RELEASE, v, 0))
/* RMWs that return nothing: unordered, as in the kernel. */
#define eqs_atomic_add(x, w, i)		       ((void)EQS_WORD_RMW_(x, w, ADD, RELAXED, i, 0))
#define eqs_atomic_sub(x, w, i)		       eqs_atomic_add(x, w, 0u - (unsigned)(i))
#define eqs_atomic_inc(x, w)		       eqs_atomic_add(x, w, 1u)
#define eqs_atomic_dec(x, w)		       eqs_atomic_add(x, w, 0u - 1u)
/* Value-returning RMWs: fully ordered, or as their suffix says. */
#define eqs_atomic_add_return(x, w, i)	       EQS_WORD_RMW_(x, w, ADD, FULL, i, 0)
#define eqs_atomic_add_return_relaxed(x, w, i) EQS_WORD_RMW_(x, w, ADD, RELAXED, i, 0)
#define eqs_atomic_add_return_acquire(x, w, i) EQS_WORD_RMW_(x, w, ADD, ACQUIRE, i, 0)
#define eqs_atomic_add_return_release(x, w, i) EQS_WORD_RMW_(x, w, ADD, RELEASE, i, 0)
#define eqs_atomic_inc_return(x, w)	       eqs_atomic_add_return(x, w, 1u)
#define eqs_atomic_inc_return_relaxed(x, w)    eqs_atomic_add_return_relaxed(x, w, 1u)
#define eqs_atomic_inc_return_acquire(x, w)    eqs_atomic_add_return_acquire(x, w, 1u)
#define eqs_atomic_inc_return_release(x, w)    eqs_atomic_add_return_release(x, w, 1u)
#define eqs_atomic_dec_return(x, w)	       eqs_atomic_add_return(x, w, 0u - 1u)
#define eqs_atomic_dec_return_relaxed(x, w)    eqs_atomic_add_return_relaxed(x, w, 0u - 1u)
#define eqs_atomic_dec_return_acquire(x, w)    eqs_atomic_add_return_acquire(x, w, 0u - 1u)
#define eqs_atomic_dec_return_release(x, w)    eqs_atomic_add_return_release(x, w, 0u - 1u)
#define eqs_atomic_dec_and_test(x, w)	       (eqs_atomic_add_return(x, w, 0u - 1u) == 0)
#define eqs_atomic_xchg(x, w, v)	       EQS_WORD_RMW_(x, w, XCHG, FULL, v, 0)
#define eqs_atomic_xchg_relaxed(x, w, v)       EQS_WORD_RMW_(x, w, XCHG, RELAXED, v, 0)
#define eqs_atomic_xchg_acquire(x, w, v)       EQS_WORD_RMW_(x, w, XCHG, ACQUIRE, v, 0)
#define eqs_atomic_xchg_release(x, w, v)       EQS_WORD_RMW_(x, w, XCHG, RELEASE, v, 0)
#define eqs_atomic_cmpxchg(x, w, o, n)	       EQS_WORD_RMW_(x, w, CMPXCHG, FULL, o, n)
#define eqs_atomic_cmpxchg_relaxed(x, w, o, n) EQS_WORD_RMW_(x, w, CMPXCHG, RELAXED, o, n)
#define eqs_atomic_cmpxchg_acquire(x, w, o, n) EQS_WORD_RMW_(x, w, CMPXCHG, ACQUIRE, o, n)
#define eqs_atomic_cmpxchg_release(x, w, o, n) EQS_WORD_RMW_(x, w, CMPXCHG, RELEASE, o, n)
/* try_cmpxchg(v, &old, new): oldp is read, then written (evaluated twice). */
#define eqs_atomic_try_cmpxchg(x, w, oldp, n)                                                      \
	eqs_try_cmpxchg_result(eqs_atomic_cmpxchg(x, w, *(oldp), n), (oldp))
#define eqs_atomic_try_cmpxchg_relaxed(x, w, oldp, n)                                              \
	eqs_try_cmpxchg_result(eqs_atomic_cmpxchg_relaxed(x, w, *(oldp), n), (oldp))
#define eqs_atomic_try_cmpxchg_acquire(x, w, oldp, n)                                              \
	eqs_try_cmpxchg_result(eqs_atomic_cmpxchg_acquire(x, w, *(oldp), n), (oldp))
#define eqs_atomic_try_cmpxchg_release(x, w, oldp, n)                                              \
	eqs_try_cmpxchg_result(eqs_atomic_cmpxchg_release(x, w, *(oldp), n), (oldp))

/*
 * smp_call_function_many(mask, fn, info, wait): each CPU in mask runs
 * fn(cpu, info) in its IPI; with wait, the patcher waits for every one.
 */
EQS_API void eqs_smp_call_func_many(struct eqs_patcher *p, uint64_t mask, eqs_call_fn fn,
				    void *info, bool wait);
/*
 * Wait until each CPU in mask has handled the IPI sent to it without
 * waiting (the wait half of smp_call_function_many(), for a rendezvous
 * that sends, meets its CPUs, and only then waits for their handlers to
 * return).  CPUs with no IPI in flight are not waited for.  A CPU waited
 * for this way counts, as with wait=true, as one this sync waited for.
 */
EQS_API void eqs_ipi_wait(struct eqs_patcher *p, uint64_t mask);
/* smp_call_function_many(): IPI the CPUs in mask (the enqueue is a full barrier). */
EQS_API void eqs_smp_call_many(struct eqs_patcher *p, uint64_t mask, bool wait);
/* liburcu QSBR synchronize_rcu() (EQS_RCU_QSBR only). */
EQS_API void eqs_synchronize_rcu(struct eqs_patcher *p);
/*
 * The arm64 stop_machine patcher (aarch64_insn_patch_text_sync): IPI every
 * CPU into a rendezvous, patch once all have arrived, release them; each
 * executes isb before it leaves.  Writes the text itself.
 */
EQS_API void eqs_stop_machine_patch(struct eqs_patcher *p);

/*
 * Named steps of your own: registered once by name (a built-in name gives
 * its id), then recorded with eqs_cpu_step() / eqs_patcher_step().  They get
 * traces and --delay like the built-in steps, except inside the patch
 * window (see eqs_step_in_patch_window()), where no step is delayed.
 */
EQS_API int eqs_step_register(const char *name, char *err, size_t errlen);
EQS_API void eqs_cpu_step(struct eqs_cpu *c, int step);
EQS_API void eqs_patcher_step(struct eqs_patcher *p, int step);

/* Variants: the built-ins, then those registered. */
EQS_API int eqs_variant_count(void);
EQS_API const struct eqs_variant *eqs_variant_at(int index);
/* NULL when no variant has that name. */
EQS_API const struct eqs_variant *eqs_variant_find(const char *name);
/* Check a variant: a name, a patcher.  0 or -EINVAL with a message. */
EQS_API int eqs_variant_check(const struct eqs_variant *v, char *err, size_t errlen);
/* Make v findable by name (it must outlive its use); -EEXIST for a taken name. */
EQS_API int eqs_variant_register(const struct eqs_variant *v, char *err, size_t errlen);
EQS_API const char *eqs_variant_name(const struct eqs_variant *v);
EQS_API const char *eqs_variant_summary(const struct eqs_variant *v);
EQS_API unsigned eqs_variant_broken_paths(const struct eqs_variant *v);
/* The paths broken under model: broken_paths and broken_paths_under[model]. */
EQS_API unsigned eqs_variant_broken_paths_in(const struct eqs_variant *v, enum eqs_model model);
EQS_API enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model);

#endif /* EQSSIM_VARIANT_H */
