/*
 * steps.c - step names: the built-in ones, the ones users register, and
 * which of them lie inside the patcher's write/barrier/read window.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "steps.h"

static const char *const step_names[STEP_COUNT] = {
	[STEP_EXC_ENTRY] = "exc_entry",
	[STEP_EXC_RETURN] = "exc_return",
	[STEP_ENABLE_DAIF] = "enable_daif",
	[STEP_CT_USER_EXIT] = "ct_user_exit",
	[STEP_CT_USER_ENTER] = "ct_user_enter",
	[STEP_USER_RUN] = "user_run",
	[STEP_RCU_IDLE_ENTER] = "rcu_idle_enter",
	[STEP_WFI] = "wfi",
	[STEP_RCU_IDLE_EXIT] = "rcu_idle_exit",
	[STEP_RCU_IRQ_ENTER] = "rcu_irq_enter",
	[STEP_IRQ_HANDLER] = "irq_handler",
	[STEP_RCU_IRQ_EXIT] = "rcu_irq_exit",
	[STEP_GUEST_ENTER] = "guest_enter",
	[STEP_GUEST_RUN] = "guest_run",
	[STEP_LOCAL_IRQ_ENABLE] = "local_irq_enable",
	[STEP_GUEST_EXIT] = "guest_exit",
	[STEP_KERNEL_WORK] = "kernel_work",
	[STEP_ENTRY_TEXT] = "entry_text",
	[STEP_EXEC_TEXT] = "exec_text",
	[STEP_ISB] = "isb",
	[STEP_ISB_IF_EQS] = "isb_if_eqs",
	[STEP_DSB] = "dsb",
	[STEP_DMB] = "dmb",
	[STEP_DSB_ST] = "dsb_st",
	[STEP_DSB_LD] = "dsb_ld",
	[STEP_SPECIAL_EXIT] = "rcu_eqs_special_exit",
	[STEP_RCU_QS] = "rcu_quiescent_state",
	[STEP_RCU_NMI_ENTER] = "rcu_nmi_enter",
	[STEP_NMI_HANDLER] = "nmi_handler",
	[STEP_RCU_NMI_EXIT] = "rcu_nmi_exit",
	[STEP_PATCH_WRITE] = "patch_write",
	[STEP_DC_CVAU] = "dc_cvau",
	[STEP_PATCH_DSB] = "patch_dsb",
	[STEP_IC_IVAU] = "ic_ivau",
	[STEP_SMP_MB] = "smp_mb",
	[STEP_READ_DYNTICKS] = "read_dynticks",
	[STEP_SPECIAL_SET] = "special_set",
	[STEP_CT_WORK_SET] = "ct_work_set",
	[STEP_IPI_SEND] = "ipi_send",
	[STEP_IPI_WAIT] = "ipi_wait",
	[STEP_SYNCHRONIZE_RCU] = "synchronize_rcu",
	[STEP_STOP_MACHINE] = "stop_machine",
	[STEP_STOP_MACHINE_WAIT] = "stop_machine_wait",
	[STEP_PUBLISH] = "publish",
	[STEP_KERNEL_WAIT] = "kernel_wait",
	[STEP_DONE] = "done",
	[STEP_STORE_VISIBLE] = "store_visible",
	[STEP_IRQ_ARRIVES] = "irq_arrives",
	[STEP_NMI_ARRIVES] = "nmi_arrives",
	[STEP_UNKNOWN] = "unknown_step",
};

_Static_assert(STEP_COUNT <= EQS_MAX_STEPS, "raise EQS_MAX_STEPS");

/* Steps registered by users' variants, after the built-in ones. */
static char *registered[EQS_MAX_STEPS - STEP_COUNT];
static int nr_registered;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

const char *step_name(enum step s)
{
	int i = (int)s;

	if (i >= 0 && i < STEP_COUNT)
		return step_names[i];
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

int eqs_step_register(const char *name, char *err, size_t errlen)
{
	int step;

	if (!name || !*name || strchr(name, '=') || strchr(name, ','))
		return eqs_error(err, errlen, -EINVAL,
				 "a step name must be non-empty, without '=' or ','");
	pthread_mutex_lock(&registry_lock);
	step = eqs_step_lookup(name);
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
		step = STEP_COUNT + nr_registered;
		store_release(&nr_registered, nr_registered + 1);
	}
	pthread_mutex_unlock(&registry_lock);
	return step;
}

bool eqs_step_in_patch_window(int step)
{
	return step == STEP_DC_CVAU || step == STEP_PATCH_DSB || step == STEP_IC_IVAU ||
	       step == STEP_SMP_MB || step == STEP_READ_DYNTICKS || step == STEP_SPECIAL_SET ||
	       step == STEP_CT_WORK_SET;
}
