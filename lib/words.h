/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * words.h - the words of the simulated memory that a variant declares
 * (struct eqs_word) and the library's own: their layout for a run, their
 * first values, and the accesses the machine's own code makes to them.
 * The public accessors (eqs_cpu_word_op(), eqs_patcher_word_op()) are
 * words.c too.  Internal to the machine.
 */
#ifndef EQS_WORDS_H
#define EQS_WORDS_H

#include "state.h"

/*
 * The layout of v's words and the library's on ncpu CPUs, each word's step
 * registered: 0, or a negative errno with err.
 */
int words_layout(struct word_layout *l, const struct eqs_variant *v, unsigned ncpu, char *err,
		 size_t errlen);
/* Check v's word declarations only (eqs_variant_check): 0 or -EINVAL with err. */
int words_check(const struct eqs_variant *v, char *err, size_t errlen);
/* Give every cell its first value (a run's start). */
void words_reset(struct word_store *ws);

/*
 * A library word's access (WORD_STOP_MACHINE_COUNT, ...) by a CPU or the
 * patcher, as a variant's is: with record, a step of the word's own (an
 * ordering point); without, a turn of a wait that records its own step.
 */
uint32_t lib_word_cpu(struct eqs_cpu *c, unsigned word, enum eqs_word_op op, enum eqs_order order,
		      uint32_t a, bool record);
uint32_t lib_word_patcher(struct eqs_patcher *p, unsigned word, enum eqs_word_op op,
			  enum eqs_order order, uint32_t a, bool record);

/* A library word's cell (WORD_STOP_MACHINE_COUNT, ...). */
static inline uint32_t *lib_word(struct sim *sim, unsigned word)
{
	return &sim->words.cells[sim->words.layout.decl[word].base];
}

#endif /* EQS_WORDS_H */
