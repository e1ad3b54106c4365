/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * merge.c - eqssim-merge: put the --json lines of a sharded campaign
 * (eqssim-stress or eqssim-explore run with --shard I/N, one run per
 * machine) back together into the verdict table one unsharded run prints.
 *
 * A merge is only as good as its inputs: every shard 0..N-1 of one
 * campaign must be there exactly once and must have finished.  Anything
 * else is INCOMPLETE (exit 1) with the shard and the reason on stderr,
 * never a table that looks clean.
 *
 * Exit status: 0 iff every merged verdict is as expected (the tool's own
 * rule: stress "match" with no protocol error; explore "match" or "n/a"),
 * 1 if not or if incomplete, 2 for bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_parse.h"

const char *cli_prog = "eqssim-merge";

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [--json] FILE...\n"
		"Merge the --json output of the shards of one campaign (eqssim-stress or\n"
		"eqssim-explore run with --shard I/N) into the table one unsharded run prints.\n"
		"FILE '-' is standard input; a file may hold the lines of several shards.\n"
		"\n"
		"  --json    one JSON object per merged row, nothing else\n"
		"  --help    this text\n"
		"\n"
		"Every shard 0..N-1 of one campaign (the same N, tool and campaign words) must\n"
		"be present exactly once, with its finished line; otherwise the merge is\n"
		"INCOMPLETE: each missing, unfinished or duplicated shard, and each line that\n"
		"is not JSON, is named on stderr, and nothing is printed on stdout.\n"
		"\n"
		"Stress rows are the cells of the variants x seeds matrix, in cell order.\n"
		"Explore rows are merged across shards, each of which explored its own part\n"
		"of every search tree: an error or a hang wins, then the counterexample with\n"
		"the fewest preemptions; with no violation, complete only if every shard\n"
		"completed and the worst verdict of match < n/a < inconclusive < mismatch.\n"
		"Schedules, states, violations and seconds are summed over the shards (a\n"
		"state reached by several shards counts once for each; seconds are CPU\n"
		"seconds, not wall time).\n"
		"\n"
		"Exit status: 0 if every merged verdict is as expected, 1 if not or if\n"
		"incomplete, 2 for bad usage.\n",
		cli_prog);
}

enum tool {
	TOOL_NONE,
	TOOL_STRESS,
	TOOL_EXPLORE
};

static const char *const tool_names[] = { "?", "eqssim-stress", "eqssim-explore" };

/* One row line of one shard: its key is the stress cell or the explore row. */
struct row {
	json_t *obj;
	unsigned shard;
	long long key;
	const char *file;
	unsigned long line;
};

/* What the inputs said about one shard. */
struct shard {
	const char *file; /* where its lines are; a second file is a duplicate */
	unsigned rows;	  /* row lines seen */
	bool finished;
	bool duplicate;	     /* reported as one */
	long long said_rows; /* its finished line's count */
	unsigned long finished_line;
};

static struct {
	enum tool tool;
	int cells; /* the rows are cells, each of one shard (stress; explore --shard-by rows) */
	unsigned count; /* N, from the first shard seen */
	struct shard *shards;
	char *campaign; /* from the first finished line */
	const char *campaign_file;
	struct row *rows;
	size_t nr_rows, max_rows;
	unsigned problems;
} m;

/* One reason the merge is incomplete, on stderr; the merge goes on to find the others. */
static void incomplete(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void incomplete(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: INCOMPLETE: ", cli_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	m.problems++;
}

static const char *str_field(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* A count from the row, or -1 if it is absent or not a non-negative integer. */
static long long int_field(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) && json_integer_value(v) >= 0 ? json_integer_value(v) : -1;
}

/*
 * The shard a line names, checked against the others seen; returns its
 * index, or -1 (reported) if the line cannot be placed.
 */
static long place(json_t *obj, enum tool tool, const char *file, unsigned long line)
{
	const char *name = str_field(obj, "shard");
	char err[EQS_ERRLEN];
	unsigned i, n;

	if (!name) {
		incomplete("%s:%lu: a row with no \"shard\": not the output of --shard I/N", file,
			   line);
		return -1;
	}
	if (cli_shard("shard", name, &i, &n, err, sizeof(err))) {
		incomplete("%s:%lu: %s", file, line, err);
		return -1;
	}
	if (!m.count) {
		m.count = n;
		m.tool = tool;
		m.shards = calloc(n, sizeof(*m.shards));
		if (!m.shards) {
			fprintf(stderr, "%s: out of memory\n", cli_prog);
			exit(1);
		}
	}
	if (n != m.count) {
		incomplete(
			"%s:%lu: shard %u/%u: a mix of campaigns (the first shard seen was of %u)",
			file, line, i, n, m.count);
		return -1;
	}
	if (tool != m.tool) {
		incomplete("%s:%lu: shard %s: a mix of campaigns (%s and %s)", file, line, name,
			   tool_names[tool], tool_names[m.tool]);
		return -1;
	}
	struct shard *s = &m.shards[i];

	/* A shard's lines come from one file and end at its finished line. */
	if (s->file && strcmp(s->file, file) && !s->duplicate)
		incomplete("%s:%lu: shard %s: a duplicate (also in %s)", file, line, name, s->file);
	else if (s->finished && !s->duplicate)
		incomplete("%s:%lu: shard %s: a duplicate (it already finished at line %lu: the "
			   "same output given twice?)",
			   file, line, name, s->finished_line);
	if ((s->file && strcmp(s->file, file)) || s->finished) {
		s->duplicate = true;
		return -1;
	}
	s->file = file;
	return (long)i;
}

static void finished_line(json_t *obj, const char *file, unsigned long line)
{
	const char *tool_name = str_field(obj, "tool"), *campaign = str_field(obj, "campaign");
	long long rows = int_field(obj, "rows");
	enum tool tool = TOOL_NONE;

	for (int t = TOOL_STRESS; t <= TOOL_EXPLORE; t++)
		if (tool_name && !strcmp(tool_name, tool_names[t]))
			tool = (enum tool)t;
	if (tool == TOOL_NONE || !json_is_true(json_object_get(obj, "finished")) || rows < 0 ||
	    !campaign) {
		incomplete("%s:%lu: a finished line wants \"tool\" (eqssim-stress or "
			   "eqssim-explore), \"finished\":true, \"rows\" and \"campaign\"",
			   file, line);
		return;
	}
	long i = place(obj, tool, file, line);

	if (i < 0)
		return;
	m.shards[i].finished = true;
	m.shards[i].said_rows = rows;
	m.shards[i].finished_line = line;
	if (!m.campaign) {
		m.campaign = strdup(campaign);
		m.campaign_file = file;
	} else if (strcmp(m.campaign, campaign)) {
		incomplete("%s:%lu: shard %s: a mix of campaigns ('%s' here, '%s' in %s)", file,
			   line, str_field(obj, "shard"), campaign, m.campaign, m.campaign_file);
	}
}

static void row_line(json_t *obj, const char *file, unsigned long line)
{
	static const char *const need[] = { "variant", "expected", "verdict" };
	bool cell = json_object_get(obj, "cell") != NULL;
	/* An exploration's rows count schedules; with --shard-by rows they are cells too. */
	bool stress = cell && !json_object_get(obj, "schedules");
	long long key = int_field(obj, cell ? "cell" : "row");

	if (!cell && !json_object_get(obj, "row")) {
		incomplete("%s:%lu: a row with neither \"cell\" (eqssim-stress) nor \"row\" "
			   "(eqssim-explore): not the output of --shard I/N",
			   file, line);
		return;
	}
	for (unsigned k = 0; k < sizeof(need) / sizeof(need[0]); k++)
		if (!str_field(obj, need[k])) {
			incomplete("%s:%lu: the row lacks \"%s\"", file, line, need[k]);
			return;
		}
	if (key < 0 || (stress ? int_field(obj, "seed") < 0 : !str_field(obj, "model"))) {
		incomplete("%s:%lu: the row lacks %s", file, line,
			   key < 0  ? "its cell or row number"
			   : stress ? "\"seed\""
				    : "\"model\"");
		return;
	}
	long i = place(obj, stress ? TOOL_STRESS : TOOL_EXPLORE, file, line);

	if (i < 0)
		return;
	if (m.nr_rows && m.cells != (int)cell) {
		incomplete("%s:%lu: shard %ld/%u: a row split by %s among rows split by %s: a mix "
			   "of campaigns",
			   file, line, i, m.count, cell ? "cells" : "search tree",
			   m.cells ? "cells" : "search tree");
		return;
	}
	m.cells = cell;
	if (cell && key % m.count != (long long)i) {
		incomplete("%s:%lu: shard %ld/%u holds cell %lld, which is shard %lld's", file,
			   line, i, m.count, key, key % m.count);
		return;
	}
	if (m.nr_rows == m.max_rows) {
		m.max_rows = m.max_rows ? 2 * m.max_rows : 64;
		m.rows = realloc(m.rows, m.max_rows * sizeof(*m.rows));
		if (!m.rows) {
			fprintf(stderr, "%s: out of memory\n", cli_prog);
			exit(1);
		}
	}
	m.rows[m.nr_rows++] = (struct row){ json_incref(obj), (unsigned)i, key, file, line };
	m.shards[i].rows++;
}

/* Every line of one input; a file that cannot be opened is bad usage. */
static void read_input(const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long line = 0;

	if (!f)
		cli_bad_usage("cannot read '%s': %s", file, strerror(errno));
	while ((len = getline(&buf, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *obj;

		line++;
		if (strspn(buf, " \t\r\n") == (size_t)len)
			continue;
		obj = json_loads(buf, 0, &jerr);
		if (!json_is_object(obj)) {
			incomplete("%s:%lu: not a JSON object%s%s (a shard cut off mid-line?)",
				   file, line, obj ? "" : ": ", obj ? "" : jerr.text);
			json_decref(obj);
			continue;
		}
		if (json_object_get(obj, "finished"))
			finished_line(obj, file, line);
		else
			row_line(obj, file, line);
		json_decref(obj);
	}
	if (ferror(f))
		cli_bad_usage("cannot read '%s': %s", file, strerror(errno));
	free(buf);
	if (f != stdin)
		fclose(f);
}

static int by_key_then_shard(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->shard < y->shard ? -1 : x->shard > y->shard;
}

/* The shards one by one: each present, finished, with the rows it said. */
static void check_shards(void)
{
	if (!m.count) {
		incomplete("no shard's line in the input");
		return;
	}
	for (unsigned i = 0; i < m.count; i++) {
		const struct shard *s = &m.shards[i];

		if (!s->file)
			incomplete("shard %u/%u: missing", i, m.count);
		else if (!s->finished)
			incomplete(
				"shard %u/%u (%s): no finished line: the shard did not finish, or "
				"its output was cut off after %u row%s",
				i, m.count, s->file, s->rows, s->rows == 1 ? "" : "s");
		else if (s->said_rows != (long long)s->rows)
			incomplete("shard %u/%u (%s): its finished line says %lld rows, the input "
				   "holds %u",
				   i, m.count, s->file, s->said_rows, s->rows);
	}
}

/*
 * The sorted rows: stress cells each once and 0..M-1 with none left out;
 * explore rows 0..R-1 each from every shard.
 */
static void check_rows(void)
{
	bool tree = m.tool == TOOL_EXPLORE && !m.cells;
	unsigned per_key = tree ? m.count : 1;

	for (size_t k = 0; k < m.nr_rows; k++) {
		const struct row *r = &m.rows[k];
		long long want_key = (long long)(k / per_key);
		unsigned want_shard = tree ? (unsigned)(k % per_key) : r->shard;

		if (r->key != want_key || r->shard != want_shard) {
			incomplete("%s:%lu: shard %u/%u: %s %lld %s", r->file, r->line, r->shard,
				   m.count, m.cells ? "cell" : "row", r->key,
				   k && r->key == m.rows[k - 1].key &&
						   r->shard == m.rows[k - 1].shard
					   ? "appears twice"
					   : "does not follow on from the rows before it (a row is "
					     "missing)");
			return;
		}
		if (tree && want_shard &&
		    (strcmp(str_field(r->obj, "variant"),
			    str_field(m.rows[k - 1].obj, "variant")) ||
		     strcmp(str_field(r->obj, "model"), str_field(m.rows[k - 1].obj, "model")))) {
			incomplete(
				"%s:%lu: shard %u/%u: row %lld is %s under %s, not %s under %s as in "
				"shard 0",
				r->file, r->line, r->shard, m.count, r->key,
				str_field(r->obj, "variant"), str_field(r->obj, "model"),
				str_field(m.rows[k - 1].obj, "variant"),
				str_field(m.rows[k - 1].obj, "model"));
			return;
		}
	}
}

/* Verdicts with no violation, best first: the merge keeps the worst. */
static int verdict_rank(const char *v)
{
	static const char *const order[] = { "match", "n/a", "inconclusive", "mismatch" };

	for (int k = 0; k < 4; k++)
		if (!strcmp(v, order[k]))
			return k;
	return 4; /* a verdict this merge does not know: worse than any it does */
}

static long long preemptions(json_t *obj)
{
	long long p = int_field(json_object_get(obj, "counterexample"), "preemptions");

	return p < 0 ? LLONG_MAX : p;
}

/*
 * One explore row from its N shards (rows[0..n), shard order): a new
 * object, the chosen shard's row with the sums and the verdict put in.
 */
static json_t *merge_explore(const struct row *rows, unsigned n)
{
	long long schedules = 0, states = 0, violations = 0;
	double seconds = 0;
	unsigned error = n, hung = n, cx = n, worst = 0;
	bool complete = true;

	for (unsigned s = 0; s < n; s++) {
		json_t *o = rows[s].obj;

		schedules += int_field(o, "schedules") > 0 ? int_field(o, "schedules") : 0;
		states += int_field(o, "states") > 0 ? int_field(o, "states") : 0;
		violations += int_field(o, "violations") > 0 ? int_field(o, "violations") : 0;
		seconds += json_number_value(json_object_get(o, "seconds"));
		complete &= json_is_true(json_object_get(o, "complete"));
		if (error == n && !strcmp(str_field(o, "verdict"), "error"))
			error = s;
		if (hung == n && json_is_true(json_object_get(o, "hung")))
			hung = s;
		if (int_field(o, "violations") > 0 &&
		    (cx == n || preemptions(o) < preemptions(rows[cx].obj)))
			cx = s;
		if (verdict_rank(str_field(o, "verdict")) >
		    verdict_rank(str_field(rows[worst].obj, "verdict")))
			worst = s;
	}
	unsigned pick = error < n ? error : hung < n ? hung : cx < n ? cx : worst;
	json_t *out = json_deep_copy(rows[pick].obj);

	json_object_del(out, "shard");
	json_object_del(out, "row");
	json_object_set_new(out, "violations", json_integer(violations));
	json_object_set_new(out, "schedules", json_integer(schedules));
	json_object_set_new(out, "states", json_integer(states));
	json_object_set_new(out, "seconds", json_real(seconds));
	if (pick == worst && error == n && hung == n && cx == n)
		json_object_set_new(out, "complete", json_boolean(complete));
	return out;
}

/* Whether the tool itself would count the verdict as expected (its exit status). */
static bool as_expected(json_t *row)
{
	const char *v = str_field(row, "verdict");

	if (m.tool == TOOL_STRESS) /* examples/stress.c: match, with no protocol error */
		return !strcmp(v, "match") && int_field(row, "protocol_errors") <= 0;
	return !strcmp(v, "match") || !strcmp(v, "n/a"); /* examples/explore.c */
}

static void print_row(json_t *row, bool json)
{
	if (json) {
		char *text = json_dumps(row, JSON_COMPACT | JSON_REAL_PRECISION(6));

		if (text)
			puts(text);
		free(text);
		return;
	}
	if (m.tool == TOOL_STRESS) {
		printf("%-20s %-8lld %-8s %-12s %s\n", str_field(row, "variant"),
		       int_field(row, "seed"), str_field(row, "expected"),
		       str_field(row, "verdict"),
		       int_field(row, "protocol_errors") > 0 ? "ERROR" : "ok");
		return;
	}
	printf("%-20s %-10s %-8s %-13s %12lld  %-10s %10lld\n", str_field(row, "variant"),
	       str_field(row, "model"), str_field(row, "expected"), str_field(row, "verdict"),
	       int_field(row, "schedules"),
	       json_is_true(json_object_get(row, "complete")) ? "complete" : "incomplete",
	       int_field(row, "violations"));
}

int main(int argc, char **argv)
{
	enum {
		OPT_JSON = 256,
		OPT_HELP
	};
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int opt;

	opterr = 0;
	/* '-' alone is a file (stdin), so options end at the first operand. */
	while ((opt = getopt_long(argc, argv, "+:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return 0;
		default:
			cli_option_error(opt, argv);
		}
	}
	if (optind == argc)
		cli_bad_usage("no FILE to merge");
	for (int i = optind; i < argc; i++)
		read_input(argv[i]);
	check_shards();
	qsort(m.rows, m.nr_rows, sizeof(*m.rows), by_key_then_shard);
	if (!m.problems)
		check_rows();
	if (m.problems) {
		fprintf(stderr, "%s: INCOMPLETE: %u problem%s; no verdict\n", cli_prog, m.problems,
			m.problems == 1 ? "" : "s");
		return 1;
	}

	bool tree = m.tool == TOOL_EXPLORE && !m.cells;
	unsigned per_key = tree ? m.count : 1;
	int good = 0, verdicts = 0;

	if (!json) {
		printf("%s campaign of %u shard%s: %s\n\n", tool_names[m.tool], m.count,
		       m.count == 1 ? "" : "s", m.campaign);
		if (m.tool == TOOL_STRESS)
			printf("%-20s %-8s %-8s %-12s %s\n", "variant", "seed", "expected",
			       "verdict", "protocol");
		else
			printf("%-20s %-10s %-8s %-13s %12s  %-10s %10s\n", "variant", "model",
			       "expected", "verdict", "schedules", "complete", "violations");
	}
	for (size_t k = 0; k < m.nr_rows; k += per_key) {
		json_t *row;

		if (tree) {
			row = merge_explore(&m.rows[k], per_key);
		} else {
			row = json_deep_copy(m.rows[k].obj);
			json_object_del(row, "shard");
			json_object_del(row, "cell");
		}
		verdicts++;
		good += as_expected(row);
		print_row(row, json);
		json_decref(row);
	}
	if (!json)
		printf("\n%d of %d verdicts as expected\n", good, verdicts);
	for (size_t k = 0; k < m.nr_rows; k++)
		json_decref(m.rows[k].obj);
	free(m.rows);
	free(m.shards);
	free(m.campaign);
	return good == verdicts ? 0 : 1;
}
