/*
 * mem_port.c - the calling thread's memory port (mem_port.h): NULL, the
 * real instructions, unless a driver plugged a model in.
 */
#include "mem_port.h"

__thread const struct mem_port *mem_port_here __attribute__((tls_model("initial-exec")));

const struct mem_port *mem_port_plug(const struct mem_port *port)
{
	const struct mem_port *old = mem_port_here;

	mem_port_here = port;
	return old;
}
