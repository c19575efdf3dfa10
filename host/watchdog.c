#include "watchdog.h"

#include <errno.h>
#include <lauxlib.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "log.h"
#include "sched.h"

#ifndef sigev_notify_thread_id /* glibc before 2.38 has the field, not the name */
#define sigev_notify_thread_id _sigev_un._tid
#endif

/* A tick whose hook has not answered yet comes again this soon: the loop thread may have been
 * setting a hook itself when it came, or running no Lua code at all (a long call into C). */
#define RESEND_NS 100000000u

/* The watchdog's clock: CLOCK_MONOTONIC at the kernel tick's resolution (a few ms, plenty
 * for limits of 100 ms and more), which reads in a fifth of uv_hrtime's time: it is read at
 * every resume. Async-signal-safe, as clock_gettime is. */
static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Everything the SIGURG handler reads is a lock-free atomic (plain loads and stores on x86):
 * it runs on the loop thread, between any two instructions of it. */
static struct {
    _Atomic uint64_t gen;   /* odd while a resume runs; each resume, and each fresh limit, adds 2 */
    _Atomic uint64_t start; /* now_ns() when the running resume (or its fresh limit) began */
    _Atomic(lua_State *) current;           /* the coroutine that runs Lua code, or NULL */
    _Atomic uint64_t warn_done, limit_done; /* the gen each threshold was last dealt with in */
    uint64_t limit_ns, warn_ns, idle_ns;    /* set before the timer starts, then constant */

    uint64_t gen_local; /* what gen holds, without an atomic read */
    uint64_t t0;        /* start, likewise */
    int warned;         /* the running resume was warned about */
    int interrupting;   /* the running resume was interrupted: raise again at each instruction */
    int started;

    timer_t timer;
    struct sigaction old_urg;
} W;

void watchdog_configure(double limit, double warn)
{
    W.limit_ns = limit > 0 ? (uint64_t)(limit * 1e9) : 0;
    W.warn_ns = warn > 0 ? (uint64_t)(warn * 1e9) : 0;
}

/* -------------------------------------------------------------- the hook */

static void watch_hook(lua_State *L, lua_Debug *ar);

/* Sets or clears the hook on L from the loop thread. SIGURG is held back meanwhile, so that
 * its handler never sets a hook halfway through this one. */
static void set_hook(lua_State *L, int on)
{
    sigset_t urg, old;
    sigemptyset(&urg);
    sigaddset(&urg, SIGURG);
    pthread_sigmask(SIG_BLOCK, &urg, &old);
    if (on)
        lua_sethook(L, watch_hook, LUA_MASKCOUNT, 1);
    else
        lua_sethook(L, NULL, 0, 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Raises the interrupt at the line L is on.   [-0, +2, v] */
static void raise_interrupt(lua_State *L)
{
    char limit[32];
    snprintf(limit, sizeof limit, "%g", (double)W.limit_ns / 1e9);
    luaL_where(L, 0);
    lua_pushfstring(L, "task ran over %s s without awaiting (--task-time-limit)", limit);
    lua_concat(L, 2);
    lua_error(L);
}

/* The warning of --debug: the task's name and where it is, while it still runs. */
static void warn(lua_State *L, uint64_t ns)
{
    lua_State *co = sched_running_state();
    sched_push_running_name(L);
    luaL_traceback(L, L, NULL, 0);
    if (co && co != L) {
        /* L is a coroutine the task resumed: show the task's own stack too. */
        luaL_traceback(L, co, "\nwhich the task resumed from:", 0);
        lua_concat(L, 2);
    }
    log_printf(LOG_WARN, "task %s has run %.0f ms without awaiting; it holds up every session\n%s",
               lua_tostring(L, -2), (double)ns / 1e6, lua_tostring(L, -1));
    lua_pop(L, 2);
}

static void watch_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    if (!(W.gen_local & 1)) {
        /* No task runs: a hook left on a coroutine that a task ran earlier. */
        set_hook(L, 0);
        return;
    }
    if (W.interrupting)
        raise_interrupt(L);
    uint64_t ns = now_ns() - W.t0;
    if (W.warn_ns && !W.warned && ns >= W.warn_ns) {
        W.warned = 1;
        atomic_store_explicit(&W.warn_done, W.gen_local, memory_order_relaxed);
        warn(L, ns);
    }
    if (W.limit_ns && ns >= W.limit_ns) {
        atomic_store_explicit(&W.limit_done, W.gen_local, memory_order_relaxed);
        W.interrupting = 1; /* the hook stays armed: the next instruction raises again */
        raise_interrupt(L);
    }
    set_hook(L, 0);
}

/* How long until threshold passes in a resume that has run ns; sets *send when it has passed
 * and the hook has not dealt with it yet. */
static uint64_t due_in(uint64_t threshold, uint64_t done, uint64_t gen, uint64_t ns, int *send)
{
    if (!threshold)
        return UINT64_MAX;
    if (ns < threshold)
        return threshold - ns;
    if (done == gen)
        return UINT64_MAX;
    *send = 1;
    return RESEND_NS;
}

/* The timer's tick, on the loop thread wherever it was (stuck in a task, or waiting for
 * events). If the running resume has passed a threshold, it arms the hook on what runs; then
 * it sets the timer for the next threshold to come. Only async-signal-safe calls: clock_gettime
 * (now_ns), lua_sethook and timer_settime. */
static void on_tick(int sig)
{
    (void)sig;
    int saved = errno;
    /* A resume that starts after this tick passes a threshold no sooner than the smaller
     * threshold after it: no wait is longer than that. */
    uint64_t wait = W.idle_ns;
    uint64_t gen = atomic_load_explicit(&W.gen, memory_order_relaxed);
    if (gen & 1) {
        uint64_t start = atomic_load_explicit(&W.start, memory_order_relaxed);
        uint64_t now = now_ns();
        uint64_t ns = now > start ? now - start : 0;
        int send = 0;
        uint64_t w = due_in(W.warn_ns, atomic_load_explicit(&W.warn_done, memory_order_relaxed),
                            gen, ns, &send);
        uint64_t l = due_in(W.limit_ns, atomic_load_explicit(&W.limit_done, memory_order_relaxed),
                            gen, ns, &send);
        if (w < wait)
            wait = w;
        if (l < wait)
            wait = l;
        lua_State *L = atomic_load_explicit(&W.current, memory_order_relaxed);
        if (send && L)
            lua_sethook(L, watch_hook, LUA_MASKCOUNT, 1);
    }
    struct itimerspec next = {.it_value = {.tv_sec = (time_t)(wait / 1000000000u),
                                           .tv_nsec = (long)(wait % 1000000000u)}};
    timer_settime(W.timer, 0, &next, NULL);
    errno = saved;
}

/* ------------------------------------------------------- the loop's side */

void watchdog_begin(lua_State *co)
{
    if (!W.started)
        return;
    W.t0 = now_ns();
    W.warned = 0;
    W.interrupting = 0;
    atomic_store_explicit(&W.start, W.t0, memory_order_relaxed);
    atomic_store_explicit(&W.current, co, memory_order_relaxed);
    atomic_store_explicit(&W.gen, ++W.gen_local, memory_order_release);
}

void watchdog_end(void)
{
    if (!W.started)
        return;
    W.interrupting = 0;
    atomic_store_explicit(&W.current, NULL, memory_order_relaxed);
    atomic_store_explicit(&W.gen, ++W.gen_local, memory_order_release);
}

int watchdog_warned(void) { return W.warned; }

void watchdog_caught(lua_State *L)
{
    if (!W.interrupting)
        return;
    W.interrupting = 0;
    set_hook(L, 0);
    /* The report (the log, page.on_error) runs in the same resume: it gets a limit of its
     * own, as if it were a new one. */
    W.t0 = now_ns();
    W.warned = 0;
    atomic_store_explicit(&W.start, W.t0, memory_order_relaxed);
    W.gen_local += 2;
    atomic_store_explicit(&W.gen, W.gen_local, memory_order_release);
}

/* ----------------------------------------------------- coroutine.resume */

/* Resumes co from L as the standard library does, telling the watchdog that co runs meanwhile.
 * Returns the number of results moved onto L, or -1 with the error on top of L. */
static int tracked_resume(lua_State *L, lua_State *co, int narg)
{
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    lua_xmove(L, co, narg);
    lua_State *prev = atomic_load_explicit(&W.current, memory_order_relaxed);
    if (prev)
        atomic_store_explicit(&W.current, co, memory_order_relaxed);
    int nres;
    int status = lua_resume(co, L, narg, &nres);
    if (prev) {
        atomic_store_explicit(&W.current, prev, memory_order_relaxed);
        /* An interrupt that ended the coroutine goes on in its resumer. */
        if (W.interrupting)
            set_hook(L, 1);
    }
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return -1;
}

/* coroutine.resume(co, ...) -> true, ... or false, err   [-?, +?, e] */
static int co_resume(lua_State *L)
{
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    int r = tracked_resume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));
    return r + 1;
}

/* The function coroutine.wrap returns: errors propagate, with where it was called from. */
static int co_wrapped(lua_State *L)
{
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = tracked_resume(L, co, lua_gettop(L));
    if (r >= 0)
        return r;
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {
        /* The coroutine died: its to-be-closed variables are closed now. */
        status = lua_resetthread(co);
        lua_xmove(co, L, 1);
    }
    if (status != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

/* coroutine.wrap(f) -> function   [-1, +1, m] */
static int co_wrap(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, co_wrapped, 1);
    return 1;
}

/* ------------------------------------------------------------- the timer */

int watchdog_start(lua_State *L)
{
    if (W.started || (!W.limit_ns && !W.warn_ns))
        return 0;
    W.idle_ns = W.warn_ns && (!W.limit_ns || W.warn_ns < W.limit_ns) ? W.warn_ns : W.limit_ns;
    /* A timer that signals this thread, rather than a thread of the watchdog's own: with a
     * second thread, glibc takes a lock in every malloc and free of the process, which
     * measured here as 45 ns more per resume (against 10 ns for the watchdog's own work). */
    struct sigaction sa = {.sa_handler = on_tick, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGURG, &sa, &W.old_urg) < 0)
        return -errno;
    struct sigevent ev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGURG};
    ev.sigev_notify_thread_id = gettid();
    if (timer_create(CLOCK_MONOTONIC, &ev, &W.timer) < 0) {
        int err = -errno;
        sigaction(SIGURG, &W.old_urg, NULL);
        return err;
    }
    lua_getglobal(L, "coroutine");
    if (lua_istable(L, -1)) {
        lua_pushcfunction(L, co_resume);
        lua_setfield(L, -2, "resume");
        lua_pushcfunction(L, co_wrap);
        lua_setfield(L, -2, "wrap");
    }
    lua_pop(L, 1);
    W.started = 1;
    struct itimerspec first = {.it_value = {.tv_sec = (time_t)(W.idle_ns / 1000000000u),
                                            .tv_nsec = (long)(W.idle_ns % 1000000000u)}};
    timer_settime(W.timer, 0, &first, NULL);
    return 0;
}

void watchdog_stop(void)
{
    if (!W.started)
        return;
    /* The handler may set the timer again as it is deleted: hold its signal back meanwhile. */
    sigset_t urg, old;
    sigemptyset(&urg);
    sigaddset(&urg, SIGURG);
    pthread_sigmask(SIG_BLOCK, &urg, &old);
    timer_delete(W.timer);
    sigaction(SIGURG, &W.old_urg, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    W.started = 0;
}
