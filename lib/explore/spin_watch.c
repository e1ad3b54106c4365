/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * spin_watch.c - the CPU-time tick of spin_watch.h: one process-wide
 * handler for SIGXCPU, one timer per watch.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sanitizer.h"
#include "spin_watch.h"

#define SPIN_WATCH_SIGNAL SIGXCPU

#ifdef EQS_TSAN
/* ThreadSanitizer defers the signal to calls a spinning loop never makes: no watch. */
bool spin_watch_start(struct spin_watch *w, double period_s, void (*tick)(void *), void *arg)
{
	(void)period_s;
	(void)tick;
	(void)arg;
	memset(w, 0, sizeof(*w));
	return false;
}
#else
static struct sigaction before;
static pthread_once_t installed = PTHREAD_ONCE_INIT;
static bool install_failed;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	if (si && si->si_code == SI_TIMER && si->si_value.sival_ptr) {
		struct spin_watch *w = si->si_value.sival_ptr;

		w->tick(w->arg);
		return;
	}
	/* Not ours: what was there before. */
	if (before.sa_flags & SA_SIGINFO) {
		if (before.sa_sigaction)
			before.sa_sigaction(sig, si, uc);
	} else if (before.sa_handler == SIG_DFL) {
		signal(sig, SIG_DFL);
		raise(sig);
	} else if (before.sa_handler != SIG_IGN && before.sa_handler) {
		before.sa_handler(sig);
	}
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	/* NODEFER: a tick's handler may switch away for good, and never unblock it. */
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	install_failed = sigaction(SPIN_WATCH_SIGNAL, &sa, &before) != 0;
}

bool spin_watch_start(struct spin_watch *w, double period_s, void (*tick)(void *), void *arg)
{
	struct sigevent sev;
	struct itimerspec its;

	memset(w, 0, sizeof(*w));
	w->tick = tick;
	w->arg = arg;
	pthread_once(&installed, install);
	if (install_failed)
		return false;
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SPIN_WATCH_SIGNAL;
	sev.sigev_value.sival_ptr = w;
	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &w->timer))
		return false;
	its.it_value.tv_sec = (time_t)period_s;
	its.it_value.tv_nsec = (long)((period_s - (double)(time_t)period_s) * 1e9);
	its.it_interval = its.it_value;
	if (timer_settime(w->timer, 0, &its, NULL)) {
		timer_delete(w->timer);
		return false;
	}
	w->armed = true;
	return true;
}
#endif

void spin_watch_stop(struct spin_watch *w)
{
	if (w->armed)
		timer_delete(w->timer);
	w->armed = false;
}
