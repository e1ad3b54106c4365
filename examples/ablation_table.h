/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ablation_table.h - printing an ablation (eqs_explore_ablate()) as the
 * table a reviewer pastes: one line per ordering point, a column per
 * model, then the counterexample and replay of each needed cell; and the
 * fixes a fix search found, each with its verdict under every model.
 */
#ifndef EQS_ABLATION_TABLE_H
#define EQS_ABLATION_TABLE_H

#include <stdbool.h>

#include "eqssim.h"

/* cfg: the scenario the ablation explored (for the replay commands). */
void ablation_print_text(const struct eqs_ablation *a, const struct eqs_explore_config *cfg);
void ablation_print_json(const struct eqs_ablation *a, const struct eqs_explore_config *cfg);
/* A fix search (eqs_explore_suggest_fix()) the same ways. */
void fixes_print_text(const struct eqs_fixes *f, const struct eqs_explore_config *cfg);
void fixes_print_json(const struct eqs_fixes *f);

#endif /* EQS_ABLATION_TABLE_H */
