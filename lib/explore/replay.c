/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * replay.c - schedules as strings, and their replay (strategy.h).  A
 * schedule is the execution's resumes, a run of one thread as T:COUNT (T
 * a CPU number or P, the patcher), a store made visible as VT.I, all of a
 * thread's stores as DT, an interrupt taken by CPU C as IC or NC (an
 * NMI).  Replayed, each resume is taken as written; past its end each
 * thread runs as long as it can.  Each replay parses into a buffer of its
 * own, so explorations on several threads replay side by side.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <urcu/compiler.h>

#include "scheduler.h"
#include "strategy.h"

struct replay {
	struct explore_strategy s;
	unsigned len;
	uint8_t schedule[EXPLORE_MAX_STEPS];
};

static struct replay *replay_of(struct explore_strategy *s)
{
	return caa_container_of(s, struct replay, s);
}

/* A thread's name in a schedule: its CPU number, or P. */
static int thread_token(const struct explorer *x, unsigned t, char *buf, size_t len)
{
	return t == x->ncpu ? snprintf(buf, len, "P") : snprintf(buf, len, "%u", t);
}

void explore_schedule_string(const struct explorer *x, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < x->nr_resumes && n + 24 < len;) {
		unsigned c = x->resumes[i], j = i + 1;
		char who[8];
		int w;

		if (c < CHOICE_DRAIN_BASE) { /* a run of one thread: T:COUNT */
			while (j < x->nr_resumes && x->resumes[j] == c)
				j++;
			thread_token(x, c, who, sizeof(who));
			w = snprintf(buf + n, len - n, "%s%s:%u", n ? "," : "", who, j - i);
		} else if (choice_is_drain(c)) { /* every pending store of T visible: DT */
			thread_token(x, choice_thread(c), who, sizeof(who));
			w = snprintf(buf + n, len - n, "%sD%s", n ? "," : "", who);
		} else if (choice_is_interrupt(c)) { /* an IPI (IC) or an NMI (NC) taken by CPU C */
			w = snprintf(buf + n, len - n, "%s%c%u", n ? "," : "",
				     c >= CHOICE_NMI_BASE ? 'N' : 'I', choice_thread(c));
		} else { /* store I of T's buffer visible: VT.I */
			thread_token(x, choice_thread(c), who, sizeof(who));
			w = snprintf(buf + n, len - n, "%sV%s.%u", n ? "," : "", who,
				     (c - CHOICE_VISIBLE_BASE) % MM_BUFFER);
		}
		n += (size_t)w;
		i = j;
	}
}

/* Digits only (no blank, no sign), at least one, value at most max; advances *s. */
static bool parse_number(const char **s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	const char *p = *s;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return false; /* checked at each digit: it cannot overflow */
	}
	*s = p;
	*out = v;
	return true;
}

/* A thread in a schedule: a CPU number below nthreads - 1, or P; advances *s. */
static bool parse_thread(const char **s, unsigned nthreads, unsigned long *thread)
{
	if (**s == 'P' || **s == 'p') {
		*thread = nthreads - 1;
		(*s)++;
		return true;
	}
	return parse_number(s, nthreads - 2, thread);
}

int explore_parse_schedule(const char *s, unsigned nthreads, uint8_t *out, unsigned max)
{
	unsigned n = 0;

	if (!s || !*s)
		return -EINVAL;
	while (*s) {
		unsigned long thread, count, entry;

		if (*s == 'I' || *s == 'N') { /* an interrupt to a CPU: IC, NC */
			bool nmi = *s++ == 'N';

			if (!parse_number(&s, nthreads - 2, &thread) || n >= max)
				return -EINVAL;
			out[n++] = (uint8_t)(nmi ? CHOICE_NMI(thread) : CHOICE_IRQ(thread));
		} else if (*s == 'D' || *s == 'V') { /* a store choice: DT, or VT.I */
			bool drain = *s++ == 'D';

			if (!parse_thread(&s, nthreads, &thread) || n >= max)
				return -EINVAL;
			if (drain) {
				out[n++] = (uint8_t)CHOICE_DRAIN(thread);
			} else {
				if (*s++ != '.' || !parse_number(&s, MM_BUFFER - 1, &entry))
					return -EINVAL;
				out[n++] = (uint8_t)CHOICE_VISIBLE(thread, entry);
			}
		} else {
			if (!parse_thread(&s, nthreads, &thread))
				return -EINVAL;
			if (*s++ != ':')
				return -EINVAL;
			if (!parse_number(&s, max - n, &count) || !count)
				return -EINVAL;
			for (unsigned long i = 0; i < count; i++)
				out[n++] = (uint8_t)thread;
		}
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -EINVAL;
	}
	return (int)n;
}

static int replay_pick(struct explore_strategy *s, struct explorer *x, uint64_t enabled)
{
	struct replay *r = replay_of(s);

	if (x->nr_resumes < r->len)
		return r->schedule[x->nr_resumes];
	return strategy_keep_running(x->cur, enabled);
}

static void replay_free(struct explore_strategy *s)
{
	free(replay_of(s));
}

static const struct strategy_ops replay_ops = {
	.pick = replay_pick,
	.free = replay_free,
};

int replay_new(struct explore_strategy **s, const char *schedule, unsigned nthreads)
{
	struct replay *r = malloc(sizeof(*r));
	int n;

	*s = NULL;
	if (!r)
		return -ENOMEM;
	n = explore_parse_schedule(schedule, nthreads, r->schedule, EXPLORE_MAX_STEPS);
	if (n < 0) {
		free(r);
		return n;
	}
	r->s.ops = &replay_ops;
	r->len = (unsigned)n;
	*s = &r->s;
	return 0;
}
