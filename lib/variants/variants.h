/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * variants.h - the built-in variants' table, for the registry.
 */
#ifndef EQS_VARIANTS_H
#define EQS_VARIANTS_H

#include "eqssim.h"

extern const struct eqs_variant builtin_variants[];
extern const int nr_builtin_variants;

#endif /* EQS_VARIANTS_H */
