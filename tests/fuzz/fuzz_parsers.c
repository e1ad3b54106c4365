/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz_parsers.c - one fuzz target for every string parser the command
 * lines reach: the first byte picks the parser, the rest (up to a NUL) is
 * the option's text.  A parser must return success with a result in its
 * range, or -EINVAL with a one-line message; anything else traps.  Built
 * with libFuzzer by the fuzz preset (scripts/fuzz.sh), and with
 * replay_corpus.c as a plain test that runs the committed corpus and every
 * input that once crashed (tests/fuzz/corpus).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_parse.h"
#include "eqssim.h"
#include "strategy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum target {
	T_COUNT,
	T_SECONDS,
	T_CPU_LIST,
	T_WEIGHT,
	T_VARIANTS,
	T_PATHS,
	T_DELAY,
	T_SCHEDULE,
	T_REPLAY,
	T_SHARD,
	T_WORDS,
	T_COUNT_OF
};

/* A broken promise: say which, then trap (libFuzzer keeps the input). */
#define check(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_parsers: line %d: %s\n", __LINE__, #cond);           \
			__builtin_trap();                                                          \
		}                                                                                  \
	} while (0)

/* A failure must say why, on one line; a success leaves nothing to say. */
static void judged(int ret, const char *err)
{
	check(ret == 0 || ret == -EINVAL || ret == -ENOENT);
	if (ret)
		check(err[0] && !strchr(err, '\n'));
}

static void fuzz_count(const char *s, uint8_t range)
{
	static const unsigned long long bounds[][2] = {
		{ 0, ~0ull }, { 1, 64 }, { 0, 100000 }, { 1, 1000000000ull }
	};
	unsigned long long lo = bounds[range % 4][0], hi = bounds[range % 4][1], n = 0;
	char err[EQS_ERRLEN] = "";
	int ret = cli_count("--count", s, lo, hi, &n, err, sizeof(err));

	judged(ret, err);
	if (!ret)
		check(n >= lo && n <= hi && s[0] >= '0' && s[0] <= '9');
}

static void fuzz_seconds(const char *s)
{
	char err[EQS_ERRLEN] = "";
	double d = -1;
	int ret = cli_seconds("--duration", s, &d, err, sizeof(err));

	judged(ret, err);
	if (!ret)
		check(d > 0 && d <= 86400);
}

static void fuzz_cpu_list(const char *s)
{
	char err[EQS_ERRLEN] = "";
	uint64_t mask = 0;
	int ret = cli_cpu_list("--nohz-full", s, &mask, err, sizeof(err));

	judged(ret, err);
	if (!ret && strcmp(s, "none"))
		check(mask != 0);
}

static void fuzz_weight(const char *s)
{
	char err[EQS_ERRLEN] = "";
	struct eqs_config cfg;

	eqs_config_default(&cfg);
	int ret = cli_weight("--weight", s, &cfg, err, sizeof(err));

	judged(ret, err);
	for (int a = 0; a < EQS_ACT_COUNT; a++)
		check(cfg.weights[a] <= 1000000);
}

static void fuzz_variants(char *s)
{
	const struct eqs_variant *out[4] = { NULL };
	char err[EQS_ERRLEN] = "";
	int n = -1;
	int ret = cli_variant_list("--variant", s, out, 4, &n, "--list-variants", err, sizeof(err));

	judged(ret, err);
	if (!ret) {
		check(n >= 1 && n <= 4);
		for (int i = 0; i < n; i++)
			check(out[i] && eqs_variant_find(out[i]->name) == out[i]);
	}
}

static void fuzz_paths(char *s)
{
	enum eqs_path out[EQS_EXPLORE_MAX_PATHS];
	char err[EQS_ERRLEN] = "";
	unsigned n = 0;
	int ret = cli_path_list("--paths", s, out, EQS_EXPLORE_MAX_PATHS, &n, err, sizeof(err));

	judged(ret, err);
	if (!ret) {
		check(n >= 1 && n <= EQS_EXPLORE_MAX_PATHS);
		for (unsigned i = 0; i < n; i++)
			check((unsigned)out[i] < EQS_PATH_COUNT);
	}
}

/* The two NAME=VALUE parsers: --delay STEP=NS, and --edit POINT=HOW (which must print back). */
static void fuzz_delay(const char *s)
{
	char err[EQS_ERRLEN] = "", buf[128];
	struct eqs_config cfg;
	struct eqs_edit e, again;

	eqs_config_default(&cfg);
	judged(eqs_config_set_delay(&cfg, s, err, sizeof(err)), err);
	err[0] = '\0';
	int ret = eqs_edit_parse(s, &e, err, sizeof(err));

	judged(ret, err);
	if (!ret) {
		eqs_edit_format(&e, buf, sizeof(buf));
		check(eqs_edit_parse(buf, &again, err, sizeof(err)) == 0);
		check(again.kind == e.kind && eqs_point_equal(&again.point, &e.point));
		cfg.edit = e;
		check(eqs_config_check(&cfg, err, sizeof(err)) == 0);
	}
}

/*
 * The explorer's own parser: choices, each a thread below nthreads, a store
 * of one becoming visible, or an interrupt to one of its CPUs.
 */
static void fuzz_schedule(const char *s, uint8_t pick)
{
	static uint8_t out[EXPLORE_MAX_STEPS];
	unsigned nthreads = 2 + pick % (EXPLORE_MAX_THREADS - 1);
	int n = explore_parse_schedule(s, nthreads, out, EXPLORE_MAX_STEPS);

	check(n == -EINVAL || (n >= 1 && n <= EXPLORE_MAX_STEPS));
	for (int i = 0; i < n; i++) {
		unsigned c = out[i];

		check(c < CHOICE_COUNT && choice_thread(c) < nthreads);
		if (choice_is_interrupt(c)) /* interrupts go to CPUs, not the patcher */
			check(choice_thread(c) < nthreads - 1);
	}
}

/* --shard I/N: I below N, N in 1..CLI_MAX_SHARDS. */
static void fuzz_shard(const char *s)
{
	char err[EQS_ERRLEN] = "";
	unsigned index = ~0u, count = 0;
	int ret = cli_shard("--shard", s, &index, &count, err, sizeof(err));

	judged(ret, err);
	if (!ret)
		check(count >= 1 && count <= CLI_MAX_SHARDS && index < count);
}

/* A --replay through the public API, as eqssim-explore passes it. */
static void fuzz_replay(const char *s, uint8_t pick)
{
	const struct eqs_variant *v = eqs_variant_find("early_isb");
	struct eqs_explore_config cfg;
	struct eqs_explore_report *r = calloc(1, sizeof(*r));
	char err[EQS_ERRLEN] = "";

	check(v && r);
	static const enum eqs_model models[] = { EQS_MODEL_SC, EQS_MODEL_TSO,
						 EQS_MODEL_ARM_IFETCH };

	eqs_explore_config_default(&cfg);
	cfg.cpus = 1 + pick % 2;
	cfg.model = models[pick / 2 % 3]; /* store and interrupt choices under the weak ones */
	cfg.paths[0] = EQS_PATH_IDLE;
	cfg.nr_paths = 1;
	cfg.replay = s;
	int ret = eqs_explore_run(v, &cfg, r, err, sizeof(err));

	judged(ret, err);
	if (!ret)
		check(r->schedules == 1);
	free(r);
}

/*
 * The word API: a variant's declarations and a program of accesses from
 * the input, run once by the patcher in a one-run exploration.  A bad
 * declaration is refused with a message; a bad access (an index past the
 * declared words, a per-CPU word without a CPU or a global one with one, a
 * CPU past the run's, an order the access cannot take, an unknown access)
 * makes the run's verdict an error; a program with none is no error.
 */
static const char *const word_names[] = {
	"fw_a", "fw_b", "fw_c", "fw_d", "fw_e", "isb", "a b", ""
};
static struct eqs_word fuzz_decl[EQS_MAX_WORDS + 2];
static const uint8_t *word_prog;
static size_t word_prog_len;

static bool access_is_bad(const uint8_t *a, unsigned nr_words, unsigned ncpu)
{
	unsigned op = a[0] % 6, order = a[1] % 5, word = a[2] % 20, cpu1 = a[3] % 70;

	if (op > EQS_WORD_CMPXCHG || order > EQS_ORDER_ACQUIRE || word >= nr_words)
		return true;
	if (op == EQS_WORD_LOAD && order != EQS_ORDER_RELAXED && order != EQS_ORDER_ACQUIRE)
		return true;
	if (op == EQS_WORD_STORE && order != EQS_ORDER_RELAXED && order != EQS_ORDER_RELEASE)
		return true;
	return fuzz_decl[word].per_cpu != (cpu1 != 0) || cpu1 > ncpu;
}

static void word_program(struct eqs_patcher *p)
{
	for (size_t i = 0; i + 4 <= word_prog_len; i += 4) {
		const uint8_t *a = &word_prog[i];
		unsigned cpu1 = a[3] % 70;
		unsigned ref = cpu1 ? EQS_CPU_WORD(a[2] % 20, cpu1 - 1) : EQS_WORD(a[2] % 20);

		eqs_patcher_word_op(p, ref, (enum eqs_word_op)(a[0] % 6),
				    (enum eqs_order)(a[1] % 5), a[0], a[1]);
	}
	eqs_patch_write(p);
	eqs_patch_cache_maint(p);
	eqs_smp_call_many(p, eqs_all_cpus(p), true);
}

static void fuzz_words(const uint8_t *data, size_t size, uint8_t pick)
{
	struct eqs_variant v = { .name = "fuzz_words", .patch = word_program };
	struct eqs_explore_config cfg;
	struct eqs_explore_report *r = calloc(1, sizeof(*r));
	char err[EQS_ERRLEN] = "";
	unsigned nr = size ? data[0] % (EQS_MAX_WORDS + 2) : 0;
	size_t at = size ? 1 : 0;
	bool bad = false;

	check(r);
	for (unsigned i = 0; i < nr; i++, at++) {
		uint8_t b = at < size ? data[at] : 0;

		fuzz_decl[i] =
			(struct eqs_word){ .name = word_names[b % 8], .per_cpu = b & 8, .init = b };
	}
	v.words = fuzz_decl;
	v.nr_words = nr;
	word_prog = data + (at < size ? at : size);
	word_prog_len = at < size ? size - at : 0;
	eqs_explore_config_default(&cfg);
	cfg.cpus = 1 + pick % 2;
	cfg.paths[0] = EQS_PATH_IDLE;
	cfg.nr_paths = 1;
	cfg.strategy = EQS_EXPLORE_PCT;
	cfg.runs = 1;
	int ret = eqs_explore_run(&v, &cfg, r, err, sizeof(err));

	judged(ret, err);
	for (size_t i = 0; !ret && i + 4 <= word_prog_len; i += 4)
		bad |= access_is_bad(&word_prog[i], nr, cfg.cpus);
	if (!ret)
		check(bad == (r->verdict == EQS_VERDICT_ERROR));
	free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t pick = data[0];
	char *s = malloc(size);

	check(s);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch ((enum target)(pick % T_COUNT_OF)) {
	case T_COUNT:
		fuzz_count(s, pick / T_COUNT_OF);
		break;
	case T_SECONDS:
		fuzz_seconds(s);
		break;
	case T_CPU_LIST:
		fuzz_cpu_list(s);
		break;
	case T_WEIGHT:
		fuzz_weight(s);
		break;
	case T_VARIANTS:
		fuzz_variants(s);
		break;
	case T_PATHS:
		fuzz_paths(s);
		break;
	case T_DELAY:
		fuzz_delay(s);
		break;
	case T_SCHEDULE:
		fuzz_schedule(s, pick / T_COUNT_OF);
		break;
	case T_REPLAY:
		fuzz_replay(s, pick / T_COUNT_OF);
		break;
	case T_WORDS:
		fuzz_words(data + 1, size - 1, pick / T_COUNT_OF);
		break;
	case T_SHARD:
	case T_COUNT_OF:
		fuzz_shard(s);
		break;
	}
	free(s);
	return 0;
}
