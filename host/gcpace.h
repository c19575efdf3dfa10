/* gcpace: runs Lua's collector in slices of loop time instead of in bursts paid by whoever
 * allocates.
 *
 * Lua's incremental collector pays for its work out of allocation: every few KB allocated
 * buy a fixed amount of work. While it marks, that work is a few KB of objects, a few
 * microseconds; while it sweeps, the same amount is counted in objects, so the whole heap is
 * swept by the next hundred KB of allocation. Under load that is the next few dozen events,
 * which then wait 50 to 100 ms behind freeing a million objects: the timers' p99.
 *
 * Here Lua's own pacing is turned down to a trickle (a safety net: a task that allocates for
 * seconds without awaiting still makes the collector progress), and a prepare handle, which
 * runs once per loop turn just before the loop waits for I/O, does the work instead. A cycle
 * starts when the heap has doubled since the last one ended; while it runs each turn gets a
 * slice in proportion to the time since the last turn, or as long as the loop slept in its
 * last wait if that is more (all it needs when the heap has run far ahead). The loop's work
 * and the collector's then interleave in slices of a millisecond or two. A cycle also starts,
 * with less growth, once the loop has slept for a while; that one runs only in such time, so
 * that a server whose load comes in waves spends its quiet moments, and none of its busy
 * ones, on the garbage of the last wave. */
#ifndef LUAFLET_GCPACE_H
#define LUAFLET_GCPACE_H

#include <lua.h>
#include <uv.h>

/* Takes over pacing L's collector from the loop. The handle is unreferenced: it never keeps
 * the loop alive. */
void gcpace_start(uv_loop_t *loop, lua_State *L);

/* Closes the handle (before lua_close) and gives the collector its own pacing back. */
void gcpace_stop(void);

/* The figures /metrics reports: cycles completed, and the longest slice so far in seconds. */
unsigned long long gcpace_cycles(void);
double gcpace_longest_slice(void);

#endif
