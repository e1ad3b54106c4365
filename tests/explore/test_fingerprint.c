/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test_fingerprint.c - the state cache's fingerprint cannot forget a field
 * of the machine's explored state: every byte of every region state.h
 * declares (sim_state_regions()) changes it when changed, and the
 * bookkeeping kept outside those regions (statistics, the oracle's and the
 * race accounting's counts, the step ring) never does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "driver.h"
#include "error.h"
#include "eqssim.h"
#include "fingerprint.h"
#include "scheduler.h"

struct fixture {
	struct sim *sim;
	struct explorer *x;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct eqs_config cfg;
	char err[EQS_ERRLEN];

	assert_non_null(f);
	eqs_config_default(&cfg);
	cfg.cpus = 2;
	cfg.sites = 1;
	cfg.entry_sites = 0;
	f->sim = sim_alloc(struct sim, 1);
	assert_non_null(f->sim);
	assert_int_equal(sim_init(f->sim, eqs_variant_find("eqs_exit_sync"), &cfg, NULL, NULL, err,
				  sizeof(err)),
			 0);
	/* No thread has run: the fingerprint is the machine's state and the scheduler's flags. */
	f->x = calloc(1, sizeof(*f->x));
	assert_non_null(f->x);
	f->x->sim = f->sim;
	f->x->cur = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_destroy(f->sim);
	free(f->sim);
	free(f->x);
	free(f);
	return 0;
}

static bool same(struct fingerprint a, struct fingerprint b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

struct flip {
	struct explorer *x;
	struct fingerprint before;
	unsigned regions;
	size_t bytes, unchanged;
};

/* Flip each byte of a region in turn (and back): the fingerprint must move each time. */
static void flip_each_byte(void *arg, const void *p, size_t n)
{
	struct flip *fl = arg;
	unsigned char *b = (unsigned char *)p;

	fl->regions++;
	for (size_t i = 0; i < n; i++) {
		b[i] ^= 0x5a;
		fl->unchanged += same(explore_fingerprint(fl->x), fl->before);
		b[i] ^= 0x5a;
		fl->bytes++;
	}
}

static void test_every_byte_of_the_declared_state_counts(void **state)
{
	struct fixture *f = *state;
	struct flip fl = { .x = f->x, .before = explore_fingerprint(f->x) };

	sim_state_regions(f->sim, flip_each_byte, &fl);
	print_message("%u regions, %zu bytes flipped one at a time, %zu left it unchanged\n",
		      fl.regions, fl.bytes, fl.unchanged);
	/* The text, the run's flags, the patcher's context and thread state, the words, then 6 per CPU. */
	assert_int_equal(fl.regions, 5 + 6 * f->sim->ncpu);
	assert_int_equal(fl.unchanged, 0);
	assert_true(same(explore_fingerprint(f->x), fl.before)); /* every byte put back */
}

/* Each context field by name, as a reader of state.h would change it. */
static void test_each_context_field_counts(void **state)
{
	struct fixture *f = *state;
	struct eqs_cpu *c = &f->sim->cpus[1];
	struct eqs_patcher *p = &f->sim->patcher;
	struct fingerprint before = explore_fingerprint(f->x);

#define CHANGES(lvalue, value)                                                                     \
	do {                                                                                       \
		__typeof__(lvalue) keep = (lvalue);                                                \
		(lvalue) = (value);                                                                \
		assert_false(same(explore_fingerprint(f->x), before));                             \
		(lvalue) = keep;                                                                   \
	} while (0)
	CHANGES(c->ctx.fetched[0], c->ctx.fetched[0] + 1);
	CHANGES(c->ctx.last_exit_path, EQS_PATH_GUEST);
	CHANGES(c->ctx.irqs_on, !c->ctx.irqs_on);
	CHANGES(c->ctx.watching, !c->ctx.watching);
	CHANGES(c->ctx.nohz_full, !c->ctx.nohz_full);
	CHANGES(c->ctx.at_el0, !c->ctx.at_el0);
	CHANGES(c->ctx.in_nmi, !c->ctx.in_nmi);
	CHANGES(c->ctx.nmi_at, NMI_IN_WFI);
	CHANGES(c->t.st.place.path, EQS_PATH_IDLE);
	CHANGES(c->t.st.place.on_entry, !c->t.st.place.on_entry);
	CHANGES(c->t.st.points.seen[STEP_ISB], 1);
	CHANGES(c->msg.acked, 1);
	CHANGES(p->ctx.ipis_in_flight, 2);
	CHANGES(p->ctx.ipis_waited, 1);
	CHANGES(p->ctx.site, 1);
	CHANGES(p->ctx.gen, 7);
	CHANGES(p->ctx.in_window, true);
	CHANGES(f->sim->words.cells[WORD_STOP_MACHINE_COUNT], 1);
	CHANGES(f->sim->text.gen[0], 3);
	CHANGES(f->sim->text.pou[0], 3);
	CHANGES(f->sim->text.synced[0], 3);
	CHANGES(f->sim->flags.patcher_done, 1);
#undef CHANGES
	assert_true(same(explore_fingerprint(f->x), before));
}

/* Bookkeeping never feeds back: changing it leaves the fingerprint as it was. */
static void test_bookkeeping_is_not_state(void **state)
{
	struct fixture *f = *state;
	struct eqs_cpu *c = &f->sim->cpus[0];
	struct eqs_patcher *p = &f->sim->patcher;
	struct fingerprint before = explore_fingerprint(f->x);

	c->oracle.violations = 5;
	c->oracle.nr_records = 1;
	c->race.left_out[EQS_PATH_USER] = 9;
	c->race.seq = 3;
	c->stats.eqs_exits = 11;
	c->t.ring_next = 4;
	c->t.ring_step[0] = STEP_ISB;
	p->patches = 2;
	p->ipis_sent = 6;
	p->seq = 5;
	p->race.sync_seq = 5;
	assert_true(same(explore_fingerprint(f->x), before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_byte_of_the_declared_state_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_each_context_field_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bookkeeping_is_not_state, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
