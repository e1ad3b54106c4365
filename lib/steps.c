/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * steps.c - step names: the built-in ones (steps.def) and the ones users
 * register, and which of them lie inside the patcher's window.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_ops.h"
#include "error.h"
#include "steps.h"

/* Steps registered by users' variants, after the built-in ones. */
static char *registered[EQS_MAX_STEPS - STEP_COUNT];
static bool registered_word[EQS_MAX_STEPS - STEP_COUNT]; /* set before the count is released */
static int nr_registered;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

const char *step_name(enum step s)
{
	int i = (int)s;

	if (i >= 0 && i < STEP_COUNT)
		return step_table[i].name;
	if (i >= STEP_COUNT && i < STEP_COUNT + load_acquire(&nr_registered))
		return registered[i - STEP_COUNT];
	return "?";
}

enum step step_checked(int step)
{
	return step >= 0 && step < eqs_step_count() ? (enum step)step : STEP_UNKNOWN;
}

int eqs_step_count(void)
{
	return STEP_COUNT + load_acquire(&nr_registered);
}

const char *eqs_step_name(int step)
{
	return step_name((enum step)step);
}

int eqs_step_lookup(const char *name)
{
	int n = eqs_step_count();

	for (int i = 0; name && i < n; i++)
		if (!strcmp(step_name((enum step)i), name))
			return i;
	return -ENOENT;
}

bool step_is_word(enum step s)
{
	int i = (int)s - STEP_COUNT;

	return i >= 0 && i < load_acquire(&nr_registered) && registered_word[i];
}

/* Register name (a word's step with word), or find it. */
static int register_step(const char *name, bool word, char *err, size_t errlen)
{
	int step;

	if (!name || !*name || strchr(name, '=') || strchr(name, ','))
		return eqs_error(err, errlen, -EINVAL,
				 "a step name must be non-empty, without '=' or ','");
	pthread_mutex_lock(&registry_lock);
	step = eqs_step_lookup(name);
	if (word && step >= 0 && !step_is_word((enum step)step)) {
		pthread_mutex_unlock(&registry_lock);
		return eqs_error(
			err, errlen, -EEXIST,
			"word '%s': a step of that name exists and names no word of a variant",
			name);
	}
	if (step < 0) {
		char *copy = strdup(name);

		if (nr_registered == EQS_MAX_STEPS - STEP_COUNT || !copy) {
			pthread_mutex_unlock(&registry_lock);
			free(copy);
			return eqs_error(err, errlen, -ENOSPC,
					 "no room for step '%s' (at most %d steps)", name,
					 EQS_MAX_STEPS);
		}
		registered[nr_registered] = copy;
		registered_word[nr_registered] = word;
		step = STEP_COUNT + nr_registered;
		store_release(&nr_registered, nr_registered + 1);
	}
	pthread_mutex_unlock(&registry_lock);
	return step;
}

int eqs_step_register(const char *name, char *err, size_t errlen)
{
	return register_step(name, false, err, errlen);
}

int step_register_word(const char *name, char *err, size_t errlen)
{
	return register_step(name, true, err, errlen);
}

bool eqs_step_in_patch_window(int step)
{
	const struct step_info *info = step_info((enum step)step);

	return info && info->window;
}
