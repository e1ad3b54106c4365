/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * driver.h - what the simulated machine offers the drivers that run it
 * (stress, exploration, a test's scripted interleavings): build a run
 * around a driver's ops table (struct sim_driver, thread.h), begin and end
 * a simulated thread, run one half of a path or one stay on a CPU, make
 * one patch, judge a run.  Thread loops and workloads belong to the drivers.
 */
#ifndef EQS_DRIVER_H
#define EQS_DRIVER_H

#include "cpu_paths.h"
#include "patcher.h"
#include "sim.h"
#include "state.h"
#include "sync.h"
#include "verdict.h"

#endif /* EQS_DRIVER_H */
