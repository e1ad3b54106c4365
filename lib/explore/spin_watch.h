/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spin_watch.h - a tick every second of the exploring thread's own CPU
 * time, so that the scheduler can notice a simulated thread that loops
 * without ever reaching a step (it never yields: nothing else would run).
 * The tick is a signal (SIGXCPU, from a POSIX timer on the thread's CPU
 * clock, sent to that thread only), so the callback runs in a signal
 * handler, on whatever stack the thread was on: it may only look at plain
 * fields and switch away.  Signals not from a watch go to the handler
 * installed before.  Under ThreadSanitizer there is no watch (it defers
 * signals to calls a spinning loop never makes).
 */
#ifndef EQS_EXPLORE_SPIN_WATCH_H
#define EQS_EXPLORE_SPIN_WATCH_H

#include <stdbool.h>
#include <time.h>

struct spin_watch {
	timer_t timer;
	bool armed;
	void (*tick)(void *arg);
	void *arg;
};

/* Start ticking tick(arg) every period_s of this thread's CPU time; false if it cannot. */
bool spin_watch_start(struct spin_watch *w, double period_s, void (*tick)(void *), void *arg);
void spin_watch_stop(struct spin_watch *w);

#endif /* EQS_EXPLORE_SPIN_WATCH_H */
