/* watchdog: notices a task that runs too long without awaiting, although the loop thread is
 * then stuck in that task's Lua code and no libuv timer can fire.
 *
 * The loop thread only stamps each resume (watchdog_begin/watchdog_end: a clock read and a
 * few stores). A POSIX timer signals the loop thread (SIGURG) when the running resume would
 * pass a threshold; the signal handler, which runs even while the thread is stuck in Lua, arms
 * a Lua count hook on the coroutine that runs (lua_sethook may be called from a signal
 * handler) and sets the timer for the next threshold. At the next Lua instruction the hook
 * checks the clock itself: past --debug's threshold it logs a warning with the task's name
 * and where it is; past the time limit it raises an error at the current line, and raises it
 * again at every instruction until the error reaches the task's outermost handler, so that
 * pcall in app code cannot keep the task running. */
#ifndef LUAFLET_WATCHDOG_H
#define LUAFLET_WATCHDOG_H

#include <lua.h>

/* The time limit of one resume (0: none) and the time after which --debug warns about one
 * (0: no warning), in seconds. Takes effect at watchdog_start(). */
void watchdog_configure(double limit, double warn);

/* Starts the timer, if either threshold is set, and replaces coroutine.resume and
 * coroutine.wrap in L's globals with equivalents that tell the watchdog which coroutine runs
 * (a loop inside a coroutine of a task is caught too). Called once, from the loop thread,
 * which the timer signals. Returns 0 or a negative errno. */
int watchdog_start(lua_State *L);

/* Deletes the timer and gives SIGURG back. */
void watchdog_stop(void);

/* A resume of the task whose coroutine is co starts, and ends. Cheap (a coarse clock read and
 * a few stores): they run for every resume. */
void watchdog_begin(lua_State *co);
void watchdog_end(void);

/* Whether the resume that just ended was warned about while it ran. */
int watchdog_warned(void);

/* Called by a task's outermost error handler, on the thread the error is raised in: an
 * interrupt ends there, and the code that reports it runs under a fresh time limit. */
void watchdog_caught(lua_State *L);

#endif
