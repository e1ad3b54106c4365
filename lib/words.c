/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * words.c - a variant's words in the simulated memory (words.h): their
 * layout and first values, and the one access every public accessor is:
 * check the reference, meet the word's ordering point, record its step,
 * then load, store or RMW through the memory port with the order the
 * run's edits leave it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cpu_model.h"
#include "error.h"
#include "patcher.h"
#include "words.h"

static const struct word_decl lib_words[WORDS_LIB] = {
	[WORD_STOP_MACHINE_COUNT] = { .name = "stop_machine_count",
				      .step = STEP_STOP_MACHINE_COUNT },
};

static bool is_identifier(const char *s)
{
	if (!s || !(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

int words_check(const struct eqs_variant *v, char *err, size_t errlen)
{
	if (v->nr_words > EQS_MAX_WORDS)
		return eqs_error(err, errlen, -EINVAL, "variant '%s': %u words, at most %d",
				 v->name, v->nr_words, EQS_MAX_WORDS);
	if (v->nr_words && !v->words)
		return eqs_error(err, errlen, -EINVAL, "variant '%s': %u words but no declarations",
				 v->name, v->nr_words);
	for (unsigned i = 0; i < v->nr_words; i++) {
		const char *name = v->words[i].name;

		if (!is_identifier(name) || strlen(name) > 31)
			return eqs_error(err, errlen, -EINVAL,
					 "variant '%s': word %u needs a C identifier of at most 31 "
					 "characters as its name",
					 v->name, i);
		if (eqs_step_lookup(name) >= 0 && eqs_step_lookup(name) < STEP_COUNT)
			return eqs_error(err, errlen, -EINVAL,
					 "variant '%s': word '%s' has a built-in step's name",
					 v->name, name);
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(v->words[j].name, name))
				return eqs_error(err, errlen, -EINVAL,
						 "variant '%s': two words called '%s'", v->name,
						 name);
	}
	return 0;
}

int words_layout(struct word_layout *l, const struct eqs_variant *v, unsigned ncpu, char *err,
		 size_t errlen)
{
	int ret = words_check(v, err, errlen);

	memset(l, 0, sizeof(*l));
	if (ret)
		return ret;
	for (unsigned i = 0; i < WORDS_LIB + v->nr_words; i++) {
		struct word_decl *d = &l->decl[i];

		if (i < WORDS_LIB) {
			*d = lib_words[i];
		} else {
			const struct eqs_word *w = &v->words[i - WORDS_LIB];

			*d = (struct word_decl){ .name = w->name,
						 .per_cpu = w->per_cpu,
						 .init = w->init };
			d->step = step_register_word(w->name, err, errlen);
			if (d->step < 0)
				return d->step;
		}
		d->base = l->nr_cells;
		l->nr_cells += d->per_cpu ? ncpu : 1;
	}
	l->nr_words = WORDS_LIB + v->nr_words;
	l->ncpu = ncpu;
	return 0;
}

void words_reset(struct word_store *ws)
{
	for (unsigned i = 0; i < ws->layout.nr_words; i++) {
		const struct word_decl *d = &ws->layout.decl[i];

		for (unsigned k = 0; k < (d->per_cpu ? ws->layout.ncpu : 1); k++)
			ws->cells[d->base + k] = d->init;
	}
}

/* The cell a reference names, or NULL with what is wrong in what. */
static uint32_t *word_cell(struct sim *sim, unsigned ref, const struct word_decl **decl, char *what,
			   size_t len)
{
	const struct word_layout *l = &sim->words.layout;
	unsigned i = ref & 0xffff, cpu1 = ref >> 16;

	if (i >= l->nr_words - WORDS_LIB) {
		snprintf(what, len, "word %u of a variant that declares %u", i,
			 l->nr_words - WORDS_LIB);
		return NULL;
	}
	*decl = &l->decl[WORDS_LIB + i];
	if ((*decl)->per_cpu && !cpu1) {
		snprintf(what, len, "per-CPU word '%s' without a CPU (EQS_CPU_WORD)",
			 (*decl)->name);
		return NULL;
	}
	if (!(*decl)->per_cpu && cpu1) {
		snprintf(what, len, "global word '%s' with a CPU (EQS_WORD)", (*decl)->name);
		return NULL;
	}
	if (cpu1 > sim->ncpu) {
		snprintf(what, len, "word '%s' of cpu %u on a %u-CPU run", (*decl)->name, cpu1 - 1,
			 sim->ncpu);
		return NULL;
	}
	return &sim->words.cells[(*decl)->base + (cpu1 ? cpu1 - 1 : 0)];
}

static const char *order_name(enum eqs_order o)
{
	static const char *const names[] = { [EQS_ORDER_FULL] = "full",
					     [EQS_ORDER_RELEASE] = "release",
					     [EQS_ORDER_RELAXED] = "relaxed",
					     [EQS_ORDER_ACQUIRE] = "acquire" };

	return (unsigned)o <= EQS_ORDER_ACQUIRE ? names[o] : "unknown";
}

/* Can op take order? A load is relaxed or acquire, a store relaxed or release. */
static bool op_takes(enum eqs_word_op op, enum eqs_order order, char *what, size_t len)
{
	if ((unsigned)op > EQS_WORD_CMPXCHG) {
		snprintf(what, len, "unknown access %d", (int)op);
		return false;
	}
	if ((unsigned)order > EQS_ORDER_ACQUIRE ||
	    (op == EQS_WORD_LOAD && order != EQS_ORDER_RELAXED && order != EQS_ORDER_ACQUIRE) ||
	    (op == EQS_WORD_STORE && order != EQS_ORDER_RELAXED && order != EQS_ORDER_RELEASE)) {
		snprintf(what, len, "a%s with %s order",
			 op == EQS_WORD_LOAD	? " load"
			 : op == EQS_WORD_STORE ? " store"
						: "n RMW",
			 order_name(order));
		return false;
	}
	return true;
}

/*
 * The order an access keeps under edit e: weakened, one step toward
 * relaxed (fully ordered to release, a one-sided order to relaxed);
 * removed, relaxed (the access itself stays); strengthened, one step
 * toward the strongest order the access can take.
 */
static enum eqs_order order_under(enum eqs_word_op op, enum eqs_order o, enum eqs_edit_kind e)
{
	switch (e) {
	case EQS_EDIT_REMOVE:
		return EQS_ORDER_RELAXED;
	case EQS_EDIT_WEAKEN:
		return o == EQS_ORDER_FULL ? EQS_ORDER_RELEASE : EQS_ORDER_RELAXED;
	case EQS_EDIT_STRENGTHEN:
		if (op == EQS_WORD_LOAD)
			return EQS_ORDER_ACQUIRE;
		if (op == EQS_WORD_STORE)
			return EQS_ORDER_RELEASE;
		return o == EQS_ORDER_RELAXED ? EQS_ORDER_RELEASE : EQS_ORDER_FULL;
	default:
		return o;
	}
}

static const enum mem_order mem_order_of[] = {
	[EQS_ORDER_FULL] = MEM_FULL,
	[EQS_ORDER_RELEASE] = MEM_RELEASE,
	[EQS_ORDER_RELAXED] = MEM_RELAXED,
	[EQS_ORDER_ACQUIRE] = MEM_ACQUIRE,
};

/* The access itself, through the memory port. */
static uint32_t word_do(uint32_t *cell, enum eqs_word_op op, enum eqs_order order, uint32_t a,
			uint32_t b)
{
	enum mem_order mo = mem_order_of[order];

	switch (op) {
	case EQS_WORD_LOAD:
		return mem_load(cell, mo);
	case EQS_WORD_STORE:
		mem_store(cell, a, mo);
		return a;
	case EQS_WORD_ADD:
		return mem_rmw(cell, RMW_ADD, a, 0, mo);
	case EQS_WORD_XCHG:
		return mem_rmw(cell, RMW_XCHG, a, 0, mo);
	case EQS_WORD_CMPXCHG:
	default:
		return mem_rmw(cell, RMW_CMPXCHG, a, b, mo);
	}
}

/* c's access of word d at cell; record: as a step of its own (else inside a wait's turn). */
static uint32_t cpu_access(struct eqs_cpu *c, const struct word_decl *d, uint32_t *cell,
			   enum eqs_word_op op, enum eqs_order order, uint32_t a, uint32_t b,
			   bool record)
{
	if (record) {
		order = order_under(op, order, cpu_point_edit(c, (enum step)d->step));
		cpu_step(c, (enum step)d->step);
	}
	uint32_t val = word_do(cell, op, order, a, b);

	if (record)
		step_value(&c->t, val, (unsigned)op);
	return val;
}

static uint32_t patcher_access(struct eqs_patcher *p, const struct word_decl *d, uint32_t *cell,
			       enum eqs_word_op op, enum eqs_order order, uint32_t a, uint32_t b,
			       bool record)
{
	if (record) {
		order = order_under(op, order, patcher_point_edit(p, (enum step)d->step));
		patcher_step_at(p, (enum step)d->step, p->ctx.in_window);
	}
	uint32_t val = word_do(cell, op, order, a, b);

	if (record)
		step_value(&p->t, val, (unsigned)op);
	return val;
}

uint32_t lib_word_cpu(struct eqs_cpu *c, unsigned word, enum eqs_word_op op, enum eqs_order order,
		      uint32_t a, bool record)
{
	struct sim *sim = sim_of(c);

	return cpu_access(c, &sim->words.layout.decl[word], lib_word(sim, word), op, order, a, 0,
			  record);
}

uint32_t lib_word_patcher(struct eqs_patcher *p, unsigned word, enum eqs_word_op op,
			  enum eqs_order order, uint32_t a, bool record)
{
	struct sim *sim = patcher_sim(p);

	return patcher_access(p, &sim->words.layout.decl[word], lib_word(sim, word), op, order, a,
			      0, record);
}

/* The cell a user's access names, if it names one with an access it can take; else what is wrong. */
static uint32_t *checked_cell(struct sim *sim, unsigned word, enum eqs_word_op op,
			      enum eqs_order order, const struct word_decl **d, char *what,
			      size_t len)
{
	return op_takes(op, order, what, len) ? word_cell(sim, word, d, what, len) : NULL;
}

unsigned int eqs_cpu_word_op(struct eqs_cpu *c, unsigned word, enum eqs_word_op op,
			     enum eqs_order order, unsigned int a, unsigned int b)
{
	const struct word_decl *d = NULL;
	char what[96];
	uint32_t *cell = checked_cell(sim_of(c), word, op, order, &d, what, sizeof(what));

	if (!cell) {
		error_log_note(&c->misuse, "eqs_cpu_word_op() on cpu%u with %s", c->t.id, what);
		return 0;
	}
	return cpu_access(c, d, cell, op, order, a, b, !c->t.in_cond);
}

unsigned int eqs_patcher_word_op(struct eqs_patcher *p, unsigned word, enum eqs_word_op op,
				 enum eqs_order order, unsigned int a, unsigned int b)
{
	const struct word_decl *d = NULL;
	char what[96];
	uint32_t *cell = checked_cell(patcher_sim(p), word, op, order, &d, what, sizeof(what));

	if (!cell) {
		error_log_note(&p->misuse, "eqs_patcher_word_op() with %s", what);
		return 0;
	}
	return patcher_access(p, d, cell, op, order, a, b, !p->t.in_cond);
}
