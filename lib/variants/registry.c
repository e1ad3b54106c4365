/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * registry.c - finding variants by name: the built-ins, then those users
 * register; and the checks a variant must pass before it runs.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "atomic_ops.h"
#include "error.h"
#include "rcu_layout.h"
#include "variants.h"
#include "words.h"

#define NR_BUILTIN     nr_builtin_variants
#define MAX_REGISTERED 64

static const struct eqs_variant *registered[MAX_REGISTERED];
static int nr_registered;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

int eqs_variant_count(void)
{
	return NR_BUILTIN + load_acquire(&nr_registered);
}

const struct eqs_variant *eqs_variant_at(int index)
{
	if (index >= 0 && index < NR_BUILTIN)
		return &builtin_variants[index];
	index -= NR_BUILTIN;
	return index >= 0 && index < load_acquire(&nr_registered) ? registered[index] : NULL;
}

const struct eqs_variant *eqs_variant_find(const char *name)
{
	int n = eqs_variant_count();

	for (int i = 0; name && i < n; i++)
		if (!strcmp(eqs_variant_at(i)->name, name))
			return eqs_variant_at(i);
	return NULL;
}

int eqs_variant_check(const struct eqs_variant *v, char *err, size_t errlen)
{
	if (!v)
		return eqs_error(err, errlen, -EINVAL, "no variant");
	if (!v->name || !*v->name)
		return eqs_error(err, errlen, -EINVAL, "a variant needs a name");
	if (strchr(v->name, ',') || strchr(v->name, ' '))
		return eqs_error(err, errlen, -EINVAL, "variant name '%s' has a ',' or a space",
				 v->name);
	if (!v->patch)
		return eqs_error(err, errlen, -EINVAL, "variant '%s' has no patcher (.patch)",
				 v->name);
	if (!rcu_layout_of(v->rcu))
		return eqs_error(err, errlen, -EINVAL, "variant '%s': unknown RCU layout %d",
				 v->name, (int)v->rcu);
	if ((unsigned)v->exit_order > EQS_ORDER_RELAXED ||
	    (unsigned)v->enter_order > EQS_ORDER_RELAXED)
		return eqs_error(err, errlen, -EINVAL,
				 "variant '%s': unknown exit or entry ordering", v->name);
	if (v->broken_paths & ~EQS_PATHS_ALL)
		return eqs_error(err, errlen, -EINVAL,
				 "variant '%s': broken_paths 0x%x names no path", v->name,
				 v->broken_paths);
	for (int m = 0; m < EQS_MODEL_COUNT; m++)
		if (v->broken_paths_under[m] & ~EQS_PATHS_ALL)
			return eqs_error(err, errlen, -EINVAL,
					 "variant '%s': broken_paths_under[%s] 0x%x names no path",
					 v->name, eqs_model_name((enum eqs_model)m),
					 v->broken_paths_under[m]);
	for (int m = 0; m < EQS_MODEL_COUNT; m++)
		if ((unsigned)v->expect[m] > EQS_EXPECT_HANG)
			return eqs_error(err, errlen, -EINVAL,
					 "variant '%s': bad expectation for %s", v->name,
					 eqs_model_name((enum eqs_model)m));
	return words_check(v, err, errlen);
}

int eqs_variant_register(const struct eqs_variant *v, char *err, size_t errlen)
{
	struct word_layout words;
	int ret = eqs_variant_check(v, err, errlen);

	/* Its words' steps registered now: an edit of their accesses can name them. */
	if (!ret)
		ret = words_layout(&words, v, 1, err, errlen);
	if (ret)
		return ret;
	pthread_mutex_lock(&registry_lock);
	if (eqs_variant_find(v->name))
		ret = eqs_error(err, errlen, -EEXIST, "a variant named '%s' exists already",
				v->name);
	else if (nr_registered == MAX_REGISTERED)
		ret = eqs_error(err, errlen, -ENOSPC, "at most %d variants can be registered",
				MAX_REGISTERED);
	else {
		registered[nr_registered] = v;
		store_release(&nr_registered, nr_registered + 1);
	}
	pthread_mutex_unlock(&registry_lock);
	return ret;
}

const char *eqs_variant_name(const struct eqs_variant *v)
{
	return v->name;
}

const char *eqs_variant_summary(const struct eqs_variant *v)
{
	return v->summary ? v->summary : "";
}

unsigned eqs_variant_broken_paths(const struct eqs_variant *v)
{
	return v->broken_paths;
}

unsigned eqs_variant_broken_paths_in(const struct eqs_variant *v, enum eqs_model model)
{
	return v->broken_paths |
	       ((unsigned)model < EQS_MODEL_COUNT ? v->broken_paths_under[model] : 0);
}

enum eqs_expect eqs_variant_expect(const struct eqs_variant *v, enum eqs_model model)
{
	return (unsigned)model < EQS_MODEL_COUNT ? v->expect[model] : EQS_EXPECT_NA;
}
