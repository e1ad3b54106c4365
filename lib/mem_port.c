/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mem_port.c - the calling thread's memory port (mem_port.h): NULL, the
 * real instructions, unless a driver plugged a model in.
 */
#include "mem_port.h"

__thread const struct mem_port *mem_port_here __attribute__((tls_model("initial-exec")));
int mem_ports_plugged;

/* Outside any protocol step (an exploration's start and end): an RMW is fine here. */
const struct mem_port *mem_port_plug(const struct mem_port *port)
{
	const struct mem_port *old = mem_port_here;

	if (port && !old)
		__atomic_fetch_add(&mem_ports_plugged, 1, __ATOMIC_SEQ_CST);
	else if (!port && old)
		__atomic_fetch_sub(&mem_ports_plugged, 1, __ATOMIC_SEQ_CST);
	mem_port_here = port;
	return old;
}
