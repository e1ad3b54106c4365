/*
 * cpu_model.h - a simulated CPU's paths, callable one by one (scripts,
 * tests) or strung together by the seeded workload (cpu_thread).
 */
#ifndef EQS_CPU_MODEL_H
#define EQS_CPU_MODEL_H

#include "sim.h"

void cpu_init(struct sim *sim, struct sim_cpu *c, unsigned id);
void *cpu_thread(void *arg);

void cpu_user_enter(struct sim_cpu *c);
void cpu_user_exit(struct sim_cpu *c);
void cpu_idle_enter(struct sim_cpu *c);
void cpu_idle_exit(struct sim_cpu *c);
void cpu_guest_enter(struct sim_cpu *c);
void cpu_guest_exit(struct sim_cpu *c);
void cpu_take_irq(struct sim_cpu *c);
void cpu_kernel_work(struct sim_cpu *c, uint32_t ns);
void cpu_do(struct sim_cpu *c, enum script_action a);

#endif /* EQS_CPU_MODEL_H */
