/*
 * cpu_model.h - a simulated CPU's paths, callable one by one (scripts,
 * tests) or strung together by the seeded workload (cpu_thread).
 */
#ifndef EQS_CPU_MODEL_H
#define EQS_CPU_MODEL_H

#include "sim.h"

void cpu_init(struct sim *sim, struct eqs_cpu *c, unsigned id);
void *cpu_thread(void *arg);

void cpu_user_enter(struct eqs_cpu *c);
void cpu_user_exit(struct eqs_cpu *c);
void cpu_idle_enter(struct eqs_cpu *c);
void cpu_idle_exit(struct eqs_cpu *c);
void cpu_guest_enter(struct eqs_cpu *c);
void cpu_guest_exit(struct eqs_cpu *c);
void cpu_take_irq(struct eqs_cpu *c);
void cpu_kernel_work(struct eqs_cpu *c, uint32_t ns);
void cpu_do(struct eqs_cpu *c, enum script_action a);

#endif /* EQS_CPU_MODEL_H */
