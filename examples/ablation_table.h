/*
 * ablation_table.h - printing an ablation (eqs_explore_ablate()) as the
 * table a reviewer pastes: one line per ordering point, a column per
 * model, then the counterexample and replay of each needed cell.
 */
#ifndef EQS_ABLATION_TABLE_H
#define EQS_ABLATION_TABLE_H

#include <stdbool.h>

#include "eqssim.h"

/* cfg: the scenario the ablation explored (for the replay commands). */
void ablation_print_text(const struct eqs_ablation *a, const struct eqs_explore_config *cfg);
void ablation_print_json(const struct eqs_ablation *a, const struct eqs_explore_config *cfg);

#endif /* EQS_ABLATION_TABLE_H */
