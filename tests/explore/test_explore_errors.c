/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_explore_errors.c - the exploration API's promises when things go
 * wrong: a missing config is refused with a message, not dereferenced;
 * the library prints nothing of its own, whatever the environment says;
 * a simulation that cannot start says why; a loop that declares no step
 * ends the exploration with an error, not a hang.  Linked with
 * -Wl,--wrap=aligned_alloc, so that a test can make the simulation's
 * allocations fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "eqssim.h"
#include "broken_rendezvous.h"

/* aligned_alloc as libeqssim calls it: the fail_at'th call from now on fails (0: none). */
void *__real_aligned_alloc(size_t align, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
static unsigned fail_at, calls;

void *__wrap_aligned_alloc(size_t align, size_t size)
{
	if (fail_at && ++calls == fail_at)
		return NULL;
	return __real_aligned_alloc(align, size);
}

/* A config of NULL is refused with a message by both ablation entry points. */
static void test_ablation_without_config(void **state)
{
	static struct eqs_ablation out;
	const enum eqs_model sc = EQS_MODEL_SC;
	const struct eqs_variant *v = eqs_variant_find("eqs_exit_sync");
	char err[EQS_ERRLEN];

	(void)state;
	assert_non_null(v);
	err[0] = '\0';
	assert_int_equal(eqs_explore_ablation_rows(v, NULL, &out, err, sizeof(err)), -EINVAL);
	assert_true(err[0] != '\0');
	err[0] = '\0';
	assert_int_equal(eqs_explore_ablate(v, NULL, &sc, 1, &out, err, sizeof(err)), -EINVAL);
	assert_true(err[0] != '\0');
}

/* Run fn with stdout and stderr going to a file; what was written there. */
static size_t output_of(void (*fn)(void))
{
	char path[] = "/tmp/test_explore_errors.XXXXXX";
	int fd = mkstemp(path), out, errfd;
	struct stat st;

	assert_true(fd >= 0);
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	out = dup(1);
	errfd = dup(2);
	assert_true(out >= 0 && errfd >= 0);
	dup2(fd, 1);
	dup2(fd, 2);
	fn();
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(errfd, 2);
	close(out);
	close(errfd);
	assert_int_equal(fstat(fd, &st), 0);
	close(fd);
	return (size_t)st.st_size;
}

static int hang_ret;
static struct eqs_explore_report hang_report;

/* A scenario that deadlocks: every live thread waits on what nobody will do. */
static void explore_hang(void)
{
	const struct eqs_variant v = { .name = "test_errors_rendezvous",
				       .patch = broken_rendezvous_patch,
				       .expect = { [EQS_MODEL_SC] = EQS_EXPECT_HANG } };
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.no_state_cache = true; /* the count is a global of this test's */
	hang_ret = eqs_explore_run(&v, &cfg, &hang_report, err, sizeof(err));
}

/* The library never prints: not even the debugging switch it once had. */
static void test_library_never_prints(void **state)
{
	char err[EQS_ERRLEN];

	(void)state;
	rendezvous_step = eqs_step_register("test_rendezvous", err, sizeof(err));
	assert_true(rendezvous_step >= 0);
	assert_int_equal(setenv("EQS_EXPLORE_DEBUG", "1", 1), 0);
	size_t printed = output_of(explore_hang);

	unsetenv("EQS_EXPLORE_DEBUG");
	assert_int_equal(hang_ret, 0);
	assert_true(hang_report.hung); /* it met the deadlock the switch printed at */
	assert_non_null(strstr(hang_report.message, "every live thread blocked"));
	assert_int_equal(printed, 0);
}

/*
 * Each of the simulation's allocations failing in turn: an exploration
 * that cannot start its simulation says so, and why (sim_init's message).
 */
static void test_sim_start_failure_says_why(void **state)
{
	struct eqs_explore_report *r = malloc(sizeof(*r));
	struct eqs_explore_config cfg;
	unsigned started_fails = 0;
	char err[EQS_ERRLEN];

	(void)state;
	assert_non_null(r);
	eqs_explore_config_default(&cfg);
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.preemptions = 0;
	for (unsigned k = 1;; k++) {
		assert_true(k < 100);
		calls = 0;
		fail_at = k;
		err[0] = '\0';
		int ret = eqs_explore_run(eqs_variant_find("eqs_exit_sync"), &cfg, r, err,
					  sizeof(err));

		fail_at = 0;
		if (!ret && calls < k)
			break; /* no allocation left to fail */
		if (!ret)
			continue; /* one the exploration does without */
		assert_int_equal(ret, -ENOMEM);
		assert_non_null(strstr(err, "out of memory"));
		if (strstr(err, "cannot start a simulation"))
			started_fails++;
	}
	assert_true(started_fails > 0);
	free(r);
}

/*
 * A loop that declares no step: its thread never yields, so before the
 * spin watch the search ran it for ever (killed at 30 s).  Now the
 * exploration ends with an error naming the thread and its last step.
 */
static volatile int never_set;

static void undeclared_spin_exit(struct eqs_cpu *c)
{
	eqs_exc_entry(c);
	while (!never_set) /* no step: nothing else can run meanwhile */
		;
	eqs_rcu_exit(c);
	eqs_exec_text(c);
}

static void undeclared_spin_patch(struct eqs_patcher *p)
{
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
	while (!never_set) /* the patcher's own */
		;
}

static void explore_spinning(const struct eqs_variant *v, const char *who, const char *step)
{
	static struct eqs_explore_report r;
	struct eqs_explore_config cfg;
	char err[EQS_ERRLEN];

	eqs_explore_config_default(&cfg);
	cfg.cpus = 2;
	cfg.model = EQS_MODEL_SC;
	cfg.nr_paths = 1;
	cfg.paths[0] = EQS_PATH_USER;
	cfg.max_seconds = 120; /* a budget the watch must beat by far */
	assert_int_equal(eqs_explore_run(v, &cfg, &r, err, sizeof(err)), 0);
	assert_int_equal(r.verdict, EQS_VERDICT_ERROR);
	assert_non_null(strstr(r.message, who));
	assert_non_null(strstr(r.message, step));
	assert_non_null(strstr(r.message, "declares no step"));
}

static void test_undeclared_spin_is_an_error(void **state)
{
	const struct eqs_variant cpu_spins = {
		.name = "cpu_spins",
		.patch = undeclared_spin_patch,
		.exit = { [EQS_PATH_USER] = undeclared_spin_exit },
		.expect = { [EQS_MODEL_SC] = EQS_EXPECT_OK },
	};
	const struct eqs_variant patcher_spins = {
		.name = "patcher_spins",
		.patch = undeclared_spin_patch,
		.expect = { [EQS_MODEL_SC] = EQS_EXPECT_OK },
	};

	(void)state;
#if defined(__SANITIZE_THREAD__)
	skip(); /* ThreadSanitizer holds the watch's signal back from a spinning loop */
#endif
	explore_spinning(&cpu_spins, "cpu0 ", "exc_entry");
	explore_spinning(&patcher_spins, "the patcher", "ipi_wait");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ablation_without_config),
		cmocka_unit_test(test_library_never_prints),
		cmocka_unit_test(test_sim_start_failure_says_why),
		cmocka_unit_test(test_undeclared_spin_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
