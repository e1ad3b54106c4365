/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * litmus.c - a variant's EQS-exit shape as a herd7 litmus test.  One
 * execution of a 1-CPU scenario under a fixed pick: the CPU runs into its
 * EQS, the patcher makes its patch (it must skip the CPU), then the CPU
 * leaves EQS and runs the patched site.  The logged steps are the shape:
 * the patcher's write, cache maintenance, barriers and RCU-word read; the
 * CPU's exit update (as its exit_order has it) and what lies between it
 * and the site.  They are
 * written in herd7's AArch64 syntax for its instruction-fetch model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <urcu/compiler.h>

#include "scheduler.h"
#include "strategy.h"

/* The fixed pick's strategy (strategy.h): where it is in the shape. */
struct shape_pick {
	struct explore_strategy s;
	unsigned phase;
};

/* CPU into EQS, then the patcher as far as it can go, then anyone (the CPU first). */
static int pick_shape(struct explore_strategy *s, struct explorer *x, uint64_t enabled)
{
	struct shape_pick *p = caa_container_of(s, struct shape_pick, s);
	unsigned cpu = 0, patcher = x->ncpu;

	if (p->phase == 0 && !load_relaxed(&x->sim->cpus[0].ctx.watching))
		p->phase = 1;
	if (p->phase == 1 && !(enabled >> patcher & 1))
		p->phase = 2;
	if (p->phase == 1)
		return (int)patcher;
	if (enabled >> cpu & 1)
		return (int)cpu;
	return enabled >> patcher & 1 ? (int)patcher : -1;
}

static const struct strategy_ops shape_ops = { .pick = pick_shape };

struct shape {
	const char *p0[16], *p1[16];
	unsigned n0, n1;
	bool too_long; /* more instructions than a side holds: refused, not cut */
};

static void add(struct shape *sh, const char **list, unsigned *n, const char *insn)
{
	if (*n == 16)
		sh->too_long = true;
	else
		list[(*n)++] = insn;
}

/* The instruction step s stands for on side (steps.def), or NULL: none of the shape's. */
static const char *insn_of(enum step_side side, enum step s)
{
	const struct step_info *info = step_info(s);

	return info && info->side == side ? info->litmus : NULL;
}

/* The patcher's side: its write to its read of the CPU's RCU word. */
static int patcher_side(const struct explorer *x, struct shape *sh, char *err, size_t errlen)
{
	const char *name = x->v->name;
	bool wrote = false;

	for (unsigned i = 0; i < x->nr_log; i++) {
		enum step st = (enum step)x->log[i].step;

		if (x->log[i].thread != EQS_EXPLORE_PATCHER)
			continue;
		if (st == STEP_SPECIAL_SET || st == STEP_CT_WORK_SET)
			return eqs_error(err, errlen, -EINVAL,
					 "%s sets work in the CPU's RCU word (%s), not the plain "
					 "read of the EQS-exit shape: not expressed yet",
					 name, step_name(st));
		wrote |= st == STEP_PATCH_WRITE;
		if (!wrote) /* the shape starts at the write */
			continue;
		if (st == STEP_IPI_SEND || st == STEP_SYNCHRONIZE_RCU || st == STEP_STOP_MACHINE ||
		    st == STEP_PUBLISH)
			return eqs_error(
				err, errlen, -EINVAL,
				"%s does not skip a CPU in EQS by reading its RCU word (it "
				"reached %s first): no EQS-exit shape",
				name, step_name(st));
		if (insn_of(STEP_SIDE_PATCHER, st))
			add(sh, sh->p0, &sh->n0, insn_of(STEP_SIDE_PATCHER, st));
		if (st == STEP_READ_DYNTICKS)
			return 0;
	}
	return eqs_error(err, errlen, -EINVAL,
			 "%s never read the CPU's RCU word after its write: no EQS-exit shape",
			 name);
}

static bool is_exit_update(enum step s)
{
	return s == STEP_CT_USER_EXIT || s == STEP_RCU_IDLE_EXIT || s == STEP_RCU_IRQ_ENTER ||
	       s == STEP_RCU_NMI_ENTER || s == STEP_GUEST_EXIT;
}

/* The exit update as the variant orders it (its exit_order). */
static const char *exit_update(enum eqs_order order)
{
	switch (order) {
	case EQS_ORDER_RELEASE:
		return "STLR W4,[X3]";
	case EQS_ORDER_RELAXED:
		return "STR W4,[X3]";
	case EQS_ORDER_FULL:
	default:
		return "LDADDAL W4,W5,[X3]";
	}
}

/* The CPU's side: its first exit update after the patch, to the patched site. */
static int cpu_side(const struct explorer *x, struct shape *sh, char *err, size_t errlen)
{
	const char *name = x->v->name;
	bool after_patch = false, updated = false;

	for (unsigned i = 0; i < x->nr_log; i++) {
		const struct eqs_explore_step *s = &x->log[i];
		enum step st = (enum step)s->step;

		if (s->thread == EQS_EXPLORE_PATCHER) {
			after_patch |= st == STEP_READ_DYNTICKS;
			continue;
		}
		if (!after_patch)
			continue;
		if (!updated) {
			if (is_exit_update(st)) {
				updated = true;
				add(sh, sh->p1, &sh->n1, exit_update(x->v->exit_order));
			}
			continue;
		}
		if (st == STEP_EXEC_TEXT)
			return 0;
		if (st == STEP_ISB_IF_EQS || st == STEP_EXC_ENTRY || st == STEP_EXC_RETURN ||
		    st == STEP_SPECIAL_EXIT)
			return eqs_error(err, errlen, -EINVAL,
					 "%s: a %s between the exit update and the text is not "
					 "expressed yet",
					 name, step_name(st));
		if (insn_of(STEP_SIDE_CPU, st))
			add(sh, sh->p1, &sh->n1, insn_of(STEP_SIDE_CPU, st));
	}
	return eqs_error(err, errlen, -EINVAL,
			 updated ? "%s: the CPU never ran the patched site after its exit update"
				 : "%s: the CPU made no EQS exit update after the patch",
			 name);
}

static int print_shape(const struct explorer *x, enum eqs_path path, const struct shape *sh,
		       char *buf, size_t len)
{
	/* P1 goes on from its barriers into the site: B Lold is the old insn, NOP the new. */
	static const char *const site[] = { "Lsite:", " B Lold", " MOV W6,#1", "Lold:" };
	unsigned rows = sh->n1 + 4 > sh->n0 ? sh->n1 + 4 : sh->n0;
	size_t used = 0;
	int n;

	n = snprintf(buf, len,
		     "AArch64 eqssim.%s.%s\n"
		     "(* eqssim-explore --emit-litmus: P0 the patcher, P1 the CPU leaving EQS *)\n"
		     "{\n"
		     "0:X0=NOP; 0:X1=P1:Lsite; 0:X3=z; 1:X3=z; 1:X4=1;\n"
		     "}\n"
		     " %-12s | %-19s ;\n",
		     x->v->name, eqs_path_name(path), "P0", "P1");
	for (unsigned r = 0; r < rows && n >= 0 && (size_t)n < len - used; r++) {
		const char *left = r < sh->n0 ? sh->p0[r] : "";
		const char *right = r < sh->n1 ? sh->p1[r] : r - sh->n1 < 4 ? site[r - sh->n1] : "";

		used += (size_t)n;
		n = snprintf(buf + used, len - used, " %-12s | %-19s ;\n", left, right);
	}
	if (n >= 0 && (size_t)n < len - used) {
		used += (size_t)n;
		n = snprintf(
			buf + used, len - used,
			"(* stale: P0 read z = 0 (in EQS: skipped P1), P1 ran the old insn *)\n"
			"exists (0:X2=0 /\\ 1:X6=0)\n");
	}
	return n < 0 || (size_t)n >= len - used ? -ENOSPC : 0;
}

int eqs_explore_litmus(const struct eqs_variant *v, enum eqs_path path, char *buf, size_t len,
		       char *err, size_t errlen)
{
	struct eqs_explore_config cfg;
	struct explorer *x;
	struct shape_pick pick = { .s.ops = &shape_ops };
	struct shape sh = { .n0 = 0 };
	int ret = eqs_variant_check(v, err, errlen);

	if (ret)
		return ret;
	if (!buf || !len)
		return eqs_error(err, errlen, -EINVAL, "a buffer is required");
	if ((unsigned)path >= EQS_PATH_COUNT)
		return eqs_error(err, errlen, -EINVAL, "unknown path %d", (int)path);
	if (!coro_available())
		return eqs_error(err, errlen, -ENOSYS, "exploration is not available here");
	if (rcu_layout_of(v->rcu)->blocks_outside_steps)
		return eqs_error(err, errlen, -EINVAL,
				 "%s blocks inside liburcu, outside the step hooks: no shape",
				 v->name);
	eqs_explore_config_default(&cfg);
	cfg.cpus = 1;
	cfg.nr_paths = 1;
	cfg.paths[0] = path;
	cfg.patches = 1;
	x = calloc(1, sizeof(*x));
	if (!x)
		return eqs_error(err, errlen, -ENOMEM, "out of memory");
	ret = explore_init(x, v, &cfg);
	if (!ret)
		ret = explore_execute(x, &pick.s, err, errlen);
	if (!ret && x->spun)
		ret = eqs_error(err, errlen, -EINVAL,
				"%s: a thread loops without reaching a step: no shape", v->name);
	if (!ret)
		ret = patcher_side(x, &sh, err, errlen);
	if (!ret)
		ret = cpu_side(x, &sh, err, errlen);
	if (!ret && sh.too_long)
		ret = eqs_error(err, errlen, -E2BIG,
				"%s: more than 16 instructions on one side: not expressed",
				v->name);
	if (!ret && print_shape(x, path, &sh, buf, len))
		ret = eqs_error(err, errlen, -ENOSPC, "the litmus test does not fit %zu bytes",
				len);
	else if (ret == -ENOMEM)
		eqs_error(err, errlen, ret, "out of memory");
	explore_destroy(x);
	free(x);
	return ret;
}
