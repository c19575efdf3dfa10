/* metrics: the figures GET /metrics reports with --metrics, beyond each server's own: what
 * the sessions' sockets carried, the sessions the app keeps, its tasks, its Lua heap, and how
 * late the loop runs (a histogram of a probe's lateness). */
#ifndef LUAFLET_METRICS_H
#define LUAFLET_METRICS_H

#include <lua.h>
#include <stddef.h>
#include <uv.h>

/* Starts the loop's lateness probe, once (a server with --metrics asks for it): an unreferenced
 * timer every 100 ms that records how late it fires. */
void metrics_start(uv_loop_t *loop);

/* Closes the probe, if it was started. */
void metrics_close(void);

/* Appends the figures to out (size bytes) in Prometheus's text format; returns the bytes
 * written, or size when they did not fit. */
size_t metrics_write(char *out, size_t size);

/* Registers core.session_figures(open, detached, resumed_total) into the table on top of L:
 * the app's sessions as flet.session counts them. */
void metrics_register(lua_State *L);

#endif
