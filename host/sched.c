#include "sched.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "mem.h"
#include "schema.h"
#include "watchdog.h"

/* ---------------------------------------------------------------- records */

enum task_state { TASK_READY, TASK_RUNNING, TASK_WAITING, TASK_DONE };
enum box_status { BOX_PENDING, BOX_DONE, BOX_FAILED, BOX_CANCELLED };

#define TASK_MT "luaflet.task"

/* Ended tasks' coroutines kept for reuse: enough for a burst of events in one turn of the
 * loop, a few hundred KB at most. */
#define POOL_MAX 256

/* What Lua holds: a handle that outlives the record, so that a finished task still answers
 * done(), cancelled() and result(). User values: 1 the results or the error (before its
 * first run, possibly its function and arguments: see unpack_start), 2 the name, 3 the
 * control whose handler the task runs, when the name is a label such as "on_click" (the
 * whole name is only composed when asked for: most never are), and 4 its owner. */
typedef struct task_box task_box;
enum { UV_RESULT = 1, UV_NAME, UV_CONTROL, UV_OWNER, BOX_USER_VALUES = UV_OWNER };

/* One record per task. It lives in its task's box (below), which the registry anchors while
 * the task runs, so a task costs one allocation, from the Lua heap's pages; other modules
 * keep pointers to it only while the task awaits them. */
struct sched_task {
    lua_State *co;
    int co_ref;  /* anchors the coroutine while the task lives */
    int box_ref; /* anchors the box while the task lives */
    task_box *box;
    enum task_state state;
    int started;
    int cancel;  /* a cancel is pending: the next await point raises CancelledError */
    int reports; /* reports another task's failure: runs even if cancelled before it starts */
    void (*cleanup)(sched_task *);
    void *await_data;
    lua_CFunction then;       /* makes the pending await's results, or NULL */
    uv_timer_t *timer;        /* the sleep timer, made on the first sleep (most tasks, an event's,
                          never sleep) and closed when the task ends; it frees itself */
    double deadline;          /* of the last sleep, in seconds on uv_hrtime's clock */
    sched_task *next_sleeper; /* while it sleeps on the virtual clock: the next one due */
    sched_task *joiners;      /* tasks waiting in wait() for this one to end */
    sched_task *next_joiner;
    sched_task *next_ready; /* ready queue */
    int ready_nargs;
    int start_values;        /* before a deferred first run: how many values its list holds */
    sched_task *prev, *next; /* every live task, for teardown */
};

struct task_box {
    sched_task *t; /* &rec until the task has finished, then NULL */
    int status;
    int observed; /* someone collects the outcome, so a failure is not logged */
    sched_task rec;
};

static struct {
    uv_loop_t *loop;
    lua_State *L;
    sched_task *running;
    sched_task *ready_head, *ready_tail;
    uv_idle_t idle;
    int idle_open;
    sched_task *all;
    int live;
    int in_run;            /* uv_run is on the C stack: finalizers must not start it again */
    int cancelled_ref;     /* the CancelledError value */
    uint64_t slow_ns;      /* a resume longer than this is logged; 0 turns the check off */
    int virtual_clock;     /* sleeps wait for core.clock_to(), not for libuv (flet.testing) */
    double vnow;           /* the virtual clock, in seconds */
    sched_task *sleepers;  /* tasks sleeping on it, by deadline, then by when they slept */
    uv_timer_t turn_timer; /* bounds core.turn()'s wait */
    int turn_timer_open;
    /* Coroutines of tasks that ended, reset and kept for the next tasks: most tasks (an
     * event's, an acknowledgement's) run for microseconds, and a new coroutine for each, with
     * its stack, was most of their cost and most of the garbage a busy server made. Each is
     * anchored by its registry reference. */
    struct pooled {
        lua_State *co;
        int ref;
    } pool[POOL_MAX];
    int pooled;
    int task_mt_ref;  /* the tasks' metatable, fetched by number rather than by name */
    int reporter_ref; /* reporter(owner, error): hands an owned task's failure to its owner */
} S = {.cancelled_ref = LUA_NOREF, .task_mt_ref = LUA_NOREF, .reporter_ref = LUA_NOREF};

void sched_warn_slow(double seconds) { S.slow_ns = seconds > 0 ? (uint64_t)(seconds * 1e9) : 0; }

/* --------------------------------------------------------- the run queue */

static void drain_ready(uv_idle_t *h);

void sched_init(uv_loop_t *loop, lua_State *L)
{
    S.loop = loop;
    S.L = L;
    uv_idle_init(loop, &S.idle);
    S.idle_open = 1;
    lua_newtable(L);
    lua_pushliteral(L, "asyncio.CancelledError");
    lua_setfield(L, -2, "message");
    S.cancelled_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

uv_loop_t *sched_loop(void) { return S.loop; }
lua_State *sched_state(void) { return S.L; }
lua_State *sched_task_state(sched_task *t) { return t->co; }
int sched_live_tasks(void) { return S.live; }
int sched_any_ready(void) { return S.ready_head != NULL; }
void *sched_await_data(sched_task *t) { return t->await_data; }

void sched_ready(sched_task *t, int nargs)
{
    t->state = TASK_READY;
    t->ready_nargs = nargs;
    t->next_ready = NULL;
    if (S.ready_tail)
        S.ready_tail->next_ready = t;
    else
        S.ready_head = t;
    S.ready_tail = t;
    if (!uv_is_active((uv_handle_t *)&S.idle))
        uv_idle_start(&S.idle, drain_ready);
}

static void free_timer(uv_handle_t *h) { free(h); }

/* Closes an ended task's timer; its record goes with its box. */
static void release(sched_task *t)
{
    if (t->timer) {
        uv_close((uv_handle_t *)t->timer, free_timer);
        t->timer = NULL;
    }
}

/* Takes the task whose box is at box_idx out of the _tasks set of the owner on top of the
 * stack. A set left empty goes: most pages' tasks have all ended while the session idles,
 * and the next owned task makes one again.   [-0, +0, -] */
static void untrack(lua_State *L, int box_idx)
{
    box_idx = lua_absindex(L, box_idx);
    lua_pushliteral(L, "_tasks");
    if (lua_rawget(L, -2) == LUA_TTABLE) {
        lua_pushvalue(L, box_idx);
        lua_pushnil(L);
        lua_rawset(L, -3);
        lua_pushnil(L);
        if (lua_next(L, -2)) {
            lua_pop(L, 2);
        } else {
            lua_pushliteral(L, "_tasks");
            lua_pushnil(L);
            lua_rawset(L, -4);
        }
    }
    lua_pop(L, 1);
}

/* An owned task that ended leaves its owner's set of tasks; a failure goes to the owner (its
 * log, page.on_error, the page's error banner) through the reporter, in a task of its own,
 * as the owner may await there. Stack: box owner; pops the owner. */
static void leave_owner(lua_State *L, int failed)
{
    untrack(L, -2);
    if (failed && S.reporter_ref != LUA_NOREF) {
        lua_State *co;
        sched_task *r = sched_spawn(&co);
        r->reports = 1; /* a stop that cancels every task must not lose the report */
        lua_rawgeti(co, LUA_REGISTRYINDEX, S.reporter_ref);
        lua_getiuservalue(L, -2, UV_RESULT); /* stack: box owner error */
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_xmove(L, co, 2); /* a reset coroutine has room for these three */
        sched_ready(r, 2);
    }
    lua_pop(L, 1);
}

/* Ends a task whose coroutine returned or raised; the outcome is on top of its stack. */
static void finish(sched_task *t, int rc, int nres)
{
    lua_State *L = S.L, *co = t->co;
    task_box *box = t->box;
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref); /* stack: box */
    int owned = lua_getiuservalue(L, -1, UV_OWNER) == LUA_TTABLE;
    lua_pop(L, 1);
    if (rc == LUA_OK && !lua_checkstack(L, nres + LUA_MINSTACK)) {
        log_printf(LOG_WARN, "a task returned too many values (%d); they were dropped", nres);
        lua_pop(co, nres);
        nres = 0;
    }
    if (rc == LUA_OK && nres == 0) {
        box->status = BOX_DONE; /* no results: the user value stays nil */
        lua_pushnil(L);
    } else if (rc == LUA_OK) {
        box->status = BOX_DONE;
        lua_createtable(L, nres, 1);
        int tbl = lua_gettop(L);
        lua_xmove(co, L, nres);
        for (int i = nres; i >= 1; i--)
            lua_rawseti(L, tbl, i);
        lua_pushinteger(L, nres);
        lua_setfield(L, -2, "n");
    } else {
        lua_rawgeti(co, LUA_REGISTRYINDEX, S.cancelled_ref);
        int cancelled = lua_rawequal(co, -1, -2);
        lua_pop(co, 1);
        if (cancelled) {
            box->status = BOX_CANCELLED;
            lua_pushnil(L);
        } else {
            box->status = BOX_FAILED;
            const char *msg = lua_type(co, -1) == LUA_TSTRING ? lua_tostring(co, -1) : NULL;
            if (!msg) {
                /* No __tostring here: this runs in a loop callback, where nothing may raise. */
                lua_pushfstring(co, "(error object is a %s value)", luaL_typename(co, -1));
                msg = lua_tostring(co, -1);
            }
            /* Errors that passed through asyncio's guard already carry their traceback. */
            if (strstr(msg, "stack traceback:"))
                lua_pushstring(L, msg);
            else
                luaL_traceback(L, co, msg, 0);
            if (!box->observed && !owned)
                log_folded(LOG_ERROR, "task failed: %s", lua_tostring(L, -1));
        }
    }
    lua_setiuservalue(L, -2, UV_RESULT);
    if (owned) {
        lua_getiuservalue(L, -1, UV_OWNER);
        leave_owner(L, box->status == BOX_FAILED);
    }
    lua_pop(L, 1); /* box */

    /* A coroutine whose to-be-closed variables all closed cleanly is as good as new. */
    if (lua_resetthread(co) == LUA_OK && S.pooled < POOL_MAX) {
        S.pool[S.pooled].co = co;
        S.pool[S.pooled].ref = t->co_ref;
        S.pooled++;
        t->co_ref = LUA_NOREF;
    }
    for (sched_task *j = t->joiners; j;) {
        sched_task *next = j->next_joiner;
        j->next_joiner = NULL;
        sched_wake(j, 0);
        j = next;
    }
    t->joiners = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, t->co_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, t->box_ref);
    t->co_ref = t->box_ref = LUA_NOREF;
    box->t = NULL;
    t->state = TASK_DONE;
    if (t->prev)
        t->prev->next = t->next;
    else
        S.all = t->next;
    if (t->next)
        t->next->prev = t->prev;
    S.live--;
    release(t);
}

/* Pushes the name of the task whose box is at idx: the one it was given, or "WHAT of CLASS
 * ID" for a task labelled with the control whose handler it runs, or Task-ADDRESS. Only raw
 * reads: it runs in hooks and loop callbacks, where nothing may call into the app.
 * [-0, +1, m] */
static void push_name(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_getiuservalue(L, idx, 2) != LUA_TSTRING) {
        lua_pop(L, 1);
        lua_pushfstring(L, "Task-%p", lua_touserdata(L, idx));
        return;
    }
    if (lua_getiuservalue(L, idx, 3) != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    /* stack: what control */
    const schema *s = schema_get();
    if (!s->ready) { /* no control can exist before the schema */
        lua_pop(L, 1);
        return;
    }
    lua_pushstring(L, s->page_type); /* the page's class has no name; every control class has */
    if (lua_getmetatable(L, -2)) {
        lua_pushstring(L, s->class_name);
        if (lua_rawget(L, -2) == LUA_TSTRING)
            lua_replace(L, -3);
        else
            lua_pop(L, 1);
        lua_pop(L, 1);
    }
    /* stack: what control class */
    lua_rawgeti(L, -2, s->id);
    if (lua_isinteger(L, -1))
        lua_pushfstring(L, "%s of %s %I", lua_tostring(L, -4), lua_tostring(L, -2),
                        (LUA_INTEGER)lua_tointeger(L, -1));
    else
        lua_pushfstring(L, "%s of %s", lua_tostring(L, -4), lua_tostring(L, -2));
    lua_replace(L, -5);
    lua_pop(L, 3);
}

lua_State *sched_running_state(void) { return S.running ? S.running->co : NULL; }

void sched_push_running_name(lua_State *L)
{
    if (!S.running) {
        lua_pushliteral(L, "(none)");
        return;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.running->box_ref);
    push_name(L, -1);
    lua_remove(L, -2);
}

/* A task that ran for long without awaiting held up every session: say which, and where it
 * stopped (unless the watchdog already showed where it was while it ran). */
static void warn_slow(sched_task *t, int rc, uint64_t ns)
{
    lua_State *L = S.L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref);
    push_name(L, -1);
    if (watchdog_warned())
        lua_pushliteral(L, "");
    else if (rc == LUA_YIELD)
        luaL_traceback(L, t->co, "\n", 0);
    else
        lua_pushliteral(L, "\n(it ended there)");
    log_printf(LOG_WARN, "task %s ran %.0f ms without awaiting; it held up every session%s",
               lua_tostring(L, -2), (double)ns / 1e6, lua_tostring(L, -1));
    lua_pop(L, 3);
}

/* Gives t a coroutine: one kept from an ended task, or a new one. */
static void take_coroutine(sched_task *t)
{
    if (S.pooled > 0) {
        S.pooled--;
        t->co = S.pool[S.pooled].co;
        t->co_ref = S.pool[S.pooled].ref;
    } else {
        t->co = lua_newthread(S.L);
        t->co_ref = luaL_ref(S.L, LUA_REGISTRYINDEX);
    }
}

/* A task spawned while no coroutine was kept waits for its first run with its function and
 * arguments in a list (the box's first user value, free until it ends); it gets its
 * coroutine only then. Many tasks started at once (a fan-out to every session, a gather of
 * thousands) then run on the few coroutines that the first of them leave behind, rather
 * than each holding a stack of its own while it waits its turn. Returns the number of
 * arguments now on the coroutine's stack, after the function. */
static int unpack_start(sched_task *t)
{
    lua_State *L = S.L;
    take_coroutine(t);
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref);
    lua_getiuservalue(L, -1, UV_RESULT); /* stack: box list */
    int n = t->start_values;             /* the list may hold nils: its length says nothing */
    /* Room was checked when it was spawned, on a stack that held them all. Only what is
     * pushed is asked for: a reset coroutine's stack is cut to its least, and asking for
     * more would grow it again for every task. */
    lua_checkstack(L, n);
    lua_checkstack(t->co, n);
    for (int i = 1; i <= n; i++)
        lua_rawgeti(L, -1 - (i - 1), i);
    lua_xmove(L, t->co, n);
    lua_pop(L, 1); /* the list */
    lua_pushnil(L);
    lua_setiuservalue(L, -2, UV_RESULT);
    lua_pop(L, 1); /* box */
    return n - 1;
}

/* The one resume point. Runs only from the idle callback, never inside another resume. */
static void resume(sched_task *t, int nargs)
{
    if (!t->co)
        nargs = unpack_start(t);
    if (t->cancel && !t->started && !t->reports) {
        /* Cancelled before it ever ran: it ends without running, as in Python. */
        lua_settop(t->co, 0);
        lua_rawgeti(t->co, LUA_REGISTRYINDEX, S.cancelled_ref);
        finish(t, LUA_ERRRUN, 0);
        return;
    }
    t->started = 1;
    t->state = TASK_RUNNING;
    S.running = t;
    int nres = 0;
    uint64_t t0 = S.slow_ns ? uv_hrtime() : 0;
    watchdog_begin(t->co);
    int rc = lua_resume(t->co, S.L, nargs, &nres);
    watchdog_end();
    S.running = NULL;
    if (S.slow_ns) {
        uint64_t ns = uv_hrtime() - t0;
        if (ns > S.slow_ns)
            warn_slow(t, rc, ns);
    }
    if (rc == LUA_YIELD) {
        lua_pop(t->co, nres);
        /* A bare coroutine.yield() at task level is treated as sleep(0). */
        if (t->state == TASK_RUNNING)
            sched_ready(t, 0);
        return;
    }
    finish(t, rc, nres);
}

/* How long one turn of the loop may spend on rounds of ready tasks before I/O gets its turn. */
#define DRAIN_SLICE_NS 1000000ull

static void drain_ready(uv_idle_t *h)
{
    (void)h;
    /* Tasks run in rounds: the tasks queued so far, then those they woke (a sleep(0), a task
     * they started, a lock they released), and so on, until none are ready or the slice is
     * spent. I/O waits at most a slice behind tasks that keep yielding, and a yield costs a
     * queue round rather than a turn of the loop, with its poll. */
    uint64_t start = uv_hrtime();
    do {
        sched_task *t = S.ready_head;
        S.ready_head = S.ready_tail = NULL;
        while (t) {
            sched_task *next = t->next_ready;
            resume(t, t->ready_nargs);
            t = next;
        }
    } while (S.ready_head && uv_hrtime() - start < DRAIN_SLICE_NS);
    if (!S.ready_head)
        uv_idle_stop(&S.idle);
}

/* ----------------------------------------------------------------- tasks */

sched_task *sched_spawn(lua_State **co)
{
    lua_State *L = S.L;
    task_box *box = lua_newuserdatauv(L, sizeof(task_box), BOX_USER_VALUES);
    memset(box, 0, sizeof *box);
    box->status = BOX_PENDING;
    sched_task *t = box->t = &box->rec;
    t->box = box;
    if (co)
        take_coroutine(t);
    else
        t->co_ref = LUA_NOREF; /* it takes one on its first run: see unpack_start */
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.task_mt_ref);
    lua_setmetatable(L, -2);
    t->box_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    t->next = S.all;
    if (S.all)
        S.all->prev = t;
    S.all = t;
    S.live++;
    if (co)
        *co = t->co;
    return t;
}

/* A pending cancel surfaces as CancelledError at the task's await point, once. */
static void raise_if_cancelled(lua_State *L, sched_task *t)
{
    if (t->cancel) {
        t->cancel = 0;
        lua_rawgeti(L, LUA_REGISTRYINDEX, S.cancelled_ref);
        lua_error(L);
    }
}

static int await_k(lua_State *L, int status, lua_KContext ctx)
{
    (void)status;
    sched_task *t = (sched_task *)ctx;
    lua_CFunction then = t->then;
    t->then = NULL;
    raise_if_cancelled(L, t);
    return then ? then(L) : lua_gettop(L);
}

sched_task *sched_await_begin(lua_State *L, const char *what)
{
    sched_task *t = S.running;
    if (!t || t->co != L)
        luaL_error(L,
                   "%s must be called from a task (main, an event handler or "
                   "asyncio.create_task), not from plain code or a nested coroutine",
                   what);
    /* Checked before anything is armed: a yield that fails would leave the task looking
     * suspended while it runs on. */
    if (!lua_isyieldable(L))
        luaL_error(L,
                   "%s cannot await here (inside a metamethod, a sort comparator, build() "
                   "or another call that cannot be suspended)",
                   what);
    raise_if_cancelled(L, t);
    return t;
}

int sched_await(lua_State *L, sched_task *t, void (*cleanup)(sched_task *), void *data,
                lua_CFunction then)
{
    t->state = TASK_WAITING;
    t->cleanup = cleanup;
    t->await_data = data;
    t->then = then;
    return lua_yieldk(L, 0, (lua_KContext)t, await_k);
}

int sched_await_results(lua_State *L, sched_task *t, int nres)
{
    lua_rotate(L, 1, nres);
    lua_settop(L, nres);
    /* RUNNING at a yield: resume() queues it again at once, as for sleep(0). */
    t->state = TASK_RUNNING;
    t->then = NULL;
    return lua_yieldk(L, 0, (lua_KContext)t, await_k);
}

void sched_wake(sched_task *t, int nargs)
{
    if (t->state != TASK_WAITING) {
        lua_pop(t->co, nargs);
        return;
    }
    t->cleanup = NULL;
    t->await_data = NULL;
    sched_ready(t, nargs);
}

static void cancel(sched_task *t)
{
    t->cancel = 1;
    if (t->state == TASK_WAITING) {
        if (t->cleanup)
            t->cleanup(t);
        t->cleanup = NULL;
        t->await_data = NULL;
        sched_ready(t, 0);
    }
}

void sched_cancel_all(void)
{
    for (sched_task *t = S.all; t; t = t->next)
        cancel(t);
}

void sched_close(void)
{
    /* Tasks still alive at the very end (asyncio.run and the server cancel theirs first; one
     * that caught its cancellation and awaited again is left) are dropped: the await each is
     * in is cleaned up, so that no pending operation calls back into a freed task, their
     * timers are closed so that the loop can close, and their coroutines are left to the
     * collector. Each is logged: it is a task that did not end when asked to. */
    while (S.all) {
        sched_task *t = S.all;
        S.all = t->next;
        if (t->state == TASK_WAITING && t->cleanup)
            t->cleanup(t);
        t->cleanup = NULL;
        if (t->timer)
            uv_timer_stop(t->timer);
        lua_rawgeti(S.L, LUA_REGISTRYINDEX, t->box_ref);
        push_name(S.L, -1);
        log_printf(LOG_ERROR,
                   "task %s was still running at exit: its await was cleaned up and it was "
                   "dropped",
                   lua_tostring(S.L, -1));
        lua_pop(S.L, 2);
        if (t->box)
            t->box->t = NULL;
        luaL_unref(S.L, LUA_REGISTRYINDEX, t->co_ref);
        luaL_unref(S.L, LUA_REGISTRYINDEX, t->box_ref);
        t->state = TASK_DONE;
        S.live--;
        release(t);
    }
    S.ready_head = S.ready_tail = NULL;
    S.sleepers = NULL;
    if (S.turn_timer_open) {
        uv_close((uv_handle_t *)&S.turn_timer, NULL);
        S.turn_timer_open = 0;
    }
    if (S.idle_open) {
        uv_close((uv_handle_t *)&S.idle, NULL);
        S.idle_open = 0;
    }
    luaL_unref(S.L, LUA_REGISTRYINDEX, S.cancelled_ref);
    S.cancelled_ref = LUA_NOREF;
    luaL_unref(S.L, LUA_REGISTRYINDEX, S.reporter_ref);
    S.reporter_ref = LUA_NOREF;
    while (S.pooled > 0)
        luaL_unref(S.L, LUA_REGISTRYINDEX, S.pool[--S.pooled].ref);
}

/* ---------------------------------------------------------- virtual time */

/* For app tests (flet.testing): while the clock is virtual, a sleep arms no libuv timer. It
 * waits in S.sleepers, and only core.clock_to() moves the clock and wakes the sleepers that
 * are due, in deadline order, so a test of a one-minute countdown takes milliseconds. The
 * host never turns it on: what a real run pays for it is one test of a flag in sleep and in
 * core.now(). */

static void vsleep_cleanup(sched_task *t)
{
    for (sched_task **p = &S.sleepers; *p; p = &(*p)->next_sleeper) {
        if (*p == t) {
            *p = t->next_sleeper;
            break;
        }
    }
    t->next_sleeper = NULL;
}

/* Queues t after every sleeper due at its deadline or before, so that equal deadlines wake
 * in the order they slept, as libuv's timers do. */
static void vsleep_insert(sched_task *t)
{
    sched_task **p = &S.sleepers;
    while (*p && (*p)->deadline <= t->deadline)
        p = &(*p)->next_sleeper;
    t->next_sleeper = *p;
    *p = t;
}

/* core.virtual_clock(on): turns the virtual clock on (it starts at the real one's time) or
 * off; off only once no task sleeps on it   [-0, +0, e] */
static int l_virtual_clock(lua_State *L)
{
    int on = lua_toboolean(L, 1);
    if (on && !S.virtual_clock)
        S.vnow = (double)uv_hrtime() / 1e9;
    if (!on && S.sleepers)
        return luaL_error(L, "tasks still sleep on the virtual clock");
    S.virtual_clock = on;
    return 0;
}

/* core.clock_to(t): moves the virtual clock forward to t (never back) and wakes, in order,
 * the tasks whose sleep is then over   [-0, +0, e] */
static int l_clock_to(lua_State *L)
{
    lua_Number to = luaL_checknumber(L, 1);
    if (!S.virtual_clock)
        return luaL_error(L, "the clock is not virtual");
    if (to > S.vnow)
        S.vnow = to;
    while (S.sleepers && S.sleepers->deadline <= S.vnow) {
        sched_task *t = S.sleepers;
        S.sleepers = t->next_sleeper;
        t->next_sleeper = NULL;
        sched_wake(t, 0);
    }
    return 0;
}

/* core.next_deadline() -> when the next sleep on the virtual clock is due, or nil
 * [-0, +1, -] */
static int l_next_deadline(lua_State *L)
{
    if (S.sleepers)
        lua_pushnumber(L, S.sleepers->deadline);
    else
        lua_pushnil(L);
    return 1;
}

static void turn_over(uv_timer_t *h) { (void)h; }

/* core.turn(ms) -> whether tasks are ready to run: one turn of the loop from plain code,
 * waiting at most ms milliseconds for an event (0: not at all)   [-0, +1, e] */
static int l_turn(lua_State *L)
{
    lua_Integer ms = luaL_optinteger(L, 1, 0);
    if (S.running || S.in_run)
        return luaL_error(L, "the loop is already running");
    S.in_run = 1;
    if (ms > 0 && !S.ready_head) {
        if (!S.turn_timer_open) {
            uv_timer_init(S.loop, &S.turn_timer);
            S.turn_timer_open = 1;
        }
        uv_timer_start(&S.turn_timer, turn_over, (uint64_t)ms, 0);
        uv_run(S.loop, UV_RUN_ONCE);
        uv_timer_stop(&S.turn_timer);
    } else {
        uv_run(S.loop, UV_RUN_NOWAIT);
    }
    S.in_run = 0;
    lua_pushboolean(L, S.ready_head != NULL);
    return 1;
}

/* ------------------------------------------------------------ Lua: sleep */

static void sleep_cleanup(sched_task *t) { uv_timer_stop(t->timer); }

static void sleep_fired(uv_timer_t *h) { sched_wake(h->data, 0); }

/* core.sleep(seconds [, value]) -> value   [-?, +?, e] */
static int l_sleep(lua_State *L)
{
    lua_Number s = luaL_checknumber(L, 1);
    sched_task *t = sched_await_begin(L, "asyncio.sleep");
    lua_settop(L, 2);
    lua_remove(L, 1); /* stack: value */
    if (!(s > 0))
        return sched_await_results(L, t, 1); /* lets every other ready task run first */
    /* libuv counts timers in whole milliseconds of a coarse clock that may lag the precise
     * one by a few milliseconds. The deadline is taken on the precise clock and rounded up
     * to the millisecond, so a sleeper never wakes early, and sleepers wake in deadline
     * order. */
    if (s * 1e3 >= 4503599627370496.0) /* 2^52 ms: beyond any real deadline */
        return sched_await(L, t, NULL, NULL, NULL);
    if (S.virtual_clock) {
        t->deadline = S.vnow + s;
        vsleep_insert(t);
        return sched_await(L, t, vsleep_cleanup, NULL, NULL);
    }
    uv_update_time(S.loop);
    uint64_t now_ms = uv_now(S.loop);
    double deadline = (double)uv_hrtime() / 1e6 + s * 1e3;
    t->deadline = deadline / 1e3;
    uint64_t due = (uint64_t)deadline;
    if ((double)due < deadline)
        due++;
    if (!t->timer) {
        t->timer = mem_alloc(sizeof *t->timer);
        uv_timer_init(S.loop, t->timer);
        t->timer->data = t;
    }
    uv_timer_start(t->timer, sleep_fired, due > now_ms ? due - now_ms : 0, 0);
    return sched_await(L, t, sleep_cleanup, NULL, NULL);
}

/* ------------------------------------------------------------ Lua: tasks */

static task_box *check_box(lua_State *L, int idx) { return luaL_checkudata(L, idx, TASK_MT); }

/* Queues a task running the function at index first with the values above it as its
 * arguments: they leave the stack, and the task's box takes the function's place.
 * [-(top-first+1), +1, e] */
static void spawn_values(lua_State *L, int first)
{
    int n = lua_gettop(L) - first + 1;
    /* The coroutine will need room for these values and a little more; this stack has it
     * if it has that little more (see unpack_start). */
    if (!lua_checkstack(L, LUA_MINSTACK))
        luaL_error(L, "too many arguments for a task");
    if (S.pooled > 0) {
        lua_State *co;
        sched_task *t = sched_spawn(&co);
        lua_checkstack(co, n); /* see unpack_start */
        lua_xmove(L, co, n);
        sched_ready(t, n - 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref);
        return;
    }
    lua_createtable(L, n, 0);
    lua_insert(L, first);
    for (int i = n; i >= 1; i--)
        lua_rawseti(L, first, i);
    sched_task *t = sched_spawn(NULL);
    t->start_values = n;
    lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref);
    lua_insert(L, first);
    lua_setiuservalue(L, first, UV_RESULT); /* the list, until it starts */
    sched_ready(t, 0);
}

/* core.spawn(fn, ...) -> task: a task of no owner   [-0, +1, e] */
static int l_spawn(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    spawn_values(L, 1);
    return 1;
}

/* Makes the value at owner_idx (a table; its _tasks set is made here when missing) the
 * owner of the task whose box is at box_idx, taking it out of its former owner's set (a task
 * that runs handlers for one page, then another).   [-0, +0, m] */
static void own(lua_State *L, int box_idx, int owner_idx)
{
    box_idx = lua_absindex(L, box_idx);
    owner_idx = lua_absindex(L, owner_idx);
    if (lua_getiuservalue(L, box_idx, UV_OWNER) == LUA_TTABLE && !lua_rawequal(L, -1, owner_idx))
        untrack(L, box_idx);
    lua_pop(L, 1);
    lua_pushvalue(L, owner_idx);
    lua_setiuservalue(L, box_idx, UV_OWNER);
    lua_pushliteral(L, "_tasks");
    if (lua_rawget(L, owner_idx) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "_tasks");
        lua_pushvalue(L, -2);
        lua_rawset(L, owner_idx);
    }
    lua_pushvalue(L, box_idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Pushes the running task's owner (nil when none, or outside any task).   [-0, +1, -] */
static void push_running_owner(lua_State *L)
{
    if (!S.running || S.running->co != L) {
        lua_pushnil(L);
        return;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.running->box_ref);
    lua_getiuservalue(L, -1, UV_OWNER);
    lua_remove(L, -2);
}

/* The task for (name, fn, ...) at index 2 and above, owned by the value at 1 (nil: none);
 * the name may be left out. `what` names the function in errors.   [-?, +1, e] */
static int spawn_named(lua_State *L, const char *what)
{
    int first = 2, name = 0;
    if (lua_type(L, first) != LUA_TFUNCTION) {
        if (!lua_isnil(L, first) && lua_type(L, first) != LUA_TSTRING)
            return luaL_error(L, "%s: expected a name or a function, got %s", what,
                              luaL_typename(L, first));
        name = lua_isnil(L, first) ? 0 : first;
        first++;
        if (lua_type(L, first) != LUA_TFUNCTION)
            return luaL_error(L, "%s: expected a function, got %s", what, luaL_typename(L, first));
    }
    spawn_values(L, first);
    if (name) {
        lua_pushvalue(L, name);
        lua_setiuservalue(L, -2, UV_NAME);
    }
    if (!lua_isnil(L, 1))
        own(L, -1, 1);
    return 1;
}

/* core.create_task([name,] fn, ...) -> task: asyncio.create_task, a task of the running
 * task's owner   [-?, +1, e] */
static int l_create_task(lua_State *L)
{
    push_running_owner(L);
    lua_insert(L, 1);
    return spawn_named(L, "asyncio.create_task");
}

/* core.create_owned(owner, [name,] fn, ...) -> task: a task of owner, a table whose _tasks
 * set holds its live tasks   [-?, +1, e] */
static int l_create_owned(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    return spawn_named(L, "run_task");
}

/* core.own(owner): makes owner the running task's owner from now on   [-0, +0, e] */
static int l_own(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!S.running || S.running->co != L)
        return luaL_error(L, "core.own must be called from a task");
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.running->box_ref);
    own(L, -1, 1);
    return 0;
}

/* core.owner() -> the running task's owner, or nil   [-0, +1, -] */
static int l_owner(lua_State *L)
{
    push_running_owner(L);
    return 1;
}

/* core.set_reporter(fn): fn(owner, error) is run, in a task, for each owned task that fails
 * [-0, +0, e] */
static int l_set_reporter(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_settop(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, S.reporter_ref);
    S.reporter_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* core.current() -> task or nil   [-0, +1, -] */
static int l_current(lua_State *L)
{
    if (S.running && S.running->co == L)
        lua_rawgeti(L, LUA_REGISTRYINDEX, S.running->box_ref);
    else
        lua_pushnil(L);
    return 1;
}

/* task:cancel() -> boolean   [-0, +1, -] */
static int l_task_cancel(lua_State *L)
{
    task_box *b = check_box(L, 1);
    if (!b->t) {
        lua_pushboolean(L, 0);
        return 1;
    }
    cancel(b->t);
    lua_pushboolean(L, 1);
    return 1;
}

/* task:done() -> boolean   [-0, +1, -] */
static int l_task_done(lua_State *L)
{
    lua_pushboolean(L, check_box(L, 1)->status != BOX_PENDING);
    return 1;
}

/* task:cancelled() -> boolean   [-0, +1, -] */
static int l_task_cancelled(lua_State *L)
{
    lua_pushboolean(L, check_box(L, 1)->status == BOX_CANCELLED);
    return 1;
}

/* task:result() -> the task's results; raises its error, CancelledError, or if not done */
static int l_task_result(lua_State *L)
{
    task_box *b = check_box(L, 1);
    lua_settop(L, 1);
    b->observed = 1;
    switch (b->status) {
    case BOX_PENDING:
        return luaL_error(L, "task is not done");
    case BOX_CANCELLED:
        lua_rawgeti(L, LUA_REGISTRYINDEX, S.cancelled_ref);
        return lua_error(L);
    case BOX_FAILED:
        lua_getiuservalue(L, 1, 1);
        return lua_error(L);
    default:
        break;
    }
    if (lua_getiuservalue(L, 1, 1) == LUA_TNIL)
        return 0;
    lua_getfield(L, -1, "n");
    int n = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    luaL_checkstack(L, n, "too many results");
    for (int i = 1; i <= n; i++)
        lua_rawgeti(L, 2, i);
    return n;
}

static void join_cleanup(sched_task *t)
{
    sched_task *target = sched_await_data(t);
    for (sched_task **p = &target->joiners; *p; p = &(*p)->next_joiner) {
        if (*p == t) {
            *p = t->next_joiner;
            break;
        }
    }
    t->next_joiner = NULL;
}

/* The results of task:wait() once the task it waits for has ended. */
static int wait_result(lua_State *L)
{
    lua_settop(L, 1);
    return l_task_result(L);
}

/* task:wait() -> the task's results once it has ended; raises its error   [-0, +?, e] */
static int l_task_wait(lua_State *L)
{
    task_box *b = check_box(L, 1);
    sched_task *me = sched_await_begin(L, "task:wait");
    b->observed = 1;
    if (b->status != BOX_PENDING)
        return l_task_result(L);
    if (b->t == me)
        return luaL_error(L, "a task cannot wait for itself");
    sched_task *target = b->t;
    me->next_joiner = target->joiners;
    target->joiners = me;
    lua_settop(L, 1);
    return sched_await(L, me, join_cleanup, target, wait_result);
}

/* task:get_name() -> string   [-0, +1, m] */
static int l_task_get_name(lua_State *L)
{
    check_box(L, 1);
    push_name(L, 1);
    return 1;
}

/* task:set_name(name)   [-0, +0, e] */
static int l_task_set_name(lua_State *L)
{
    check_box(L, 1);
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    lua_setiuservalue(L, 1, 2);
    lua_pushnil(L);
    lua_setiuservalue(L, 1, 3);
    return 0;
}

/* core.label(what [, control [, task]]): names the task (the running one by default) after
 * what it runs, "main" or "on_click" of a control, without composing the name until it is
 * asked for: events label their task, and a string.format per event would be a cost for
 * nothing.   [-0, +0, e] */
static int l_label(lua_State *L)
{
    luaL_checkstring(L, 1);
    if (!lua_isnoneornil(L, 2))
        luaL_checktype(L, 2, LUA_TTABLE);
    if (lua_isnoneornil(L, 3)) {
        if (!S.running || S.running->co != L)
            return 0;
        lua_settop(L, 2);
        lua_rawgeti(L, LUA_REGISTRYINDEX, S.running->box_ref);
    } else {
        check_box(L, 3);
        lua_settop(L, 3);
    }
    /* stack: what control box */
    lua_insert(L, 1);
    lua_setiuservalue(L, 1, 3);
    lua_setiuservalue(L, 1, 2);
    return 0;
}

/* core.task_traceback(err) -> err with the traceback of where it was raised, or
 * CancelledError as it is: the message handler of a task's outermost xpcall. It is C so that
 * no hook can fire in it, and it is where an interrupt by the watchdog ends.
 * [-0, +1, m] */
static int l_task_traceback(lua_State *L)
{
    watchdog_caught(L);
    lua_settop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.cancelled_ref);
    if (lua_rawequal(L, 1, 2)) {
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    luaL_traceback(L, L, luaL_tolstring(L, 1, NULL), 1);
    return 1;
}

/* core.suspend() -> the values core.wake() passed   [-0, +?, e]
 * The plain await on which asyncio's primitives (Event, Lock, Queue...) are built. */
static int l_suspend(lua_State *L)
{
    sched_task *t = sched_await_begin(L, "this asyncio operation");
    lua_settop(L, 0);
    /* &S marks a plain suspend, which core.wake may end. */
    return sched_await(L, t, NULL, &S, NULL);
}

/* core.wake(task, ...) -> true if the task was suspended in core.suspend() and is now queued
 * to resume with the given values   [-0, +1, e] */
static int l_wake(lua_State *L)
{
    task_box *b = check_box(L, 1);
    sched_task *t = b->t;
    if (!t || t->state != TASK_WAITING || t->await_data != &S) {
        lua_pushboolean(L, 0);
        return 1;
    }
    int n = lua_gettop(L) - 1;
    luaL_checkstack(t->co, n, "too many values");
    lua_xmove(L, t->co, n);
    sched_wake(t, n);
    lua_pushboolean(L, 1);
    return 1;
}

/* core.all_tasks() -> a list of every task that has not ended   [-0, +1, m] */
static int l_all_tasks(lua_State *L)
{
    lua_createtable(L, S.live, 0);
    int i = 1;
    for (sched_task *t = S.all; t; t = t->next) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, t->box_ref);
        lua_rawseti(L, -2, i++);
    }
    return 1;
}

/* task:_reported(): its failure has been logged elsewhere and must not be logged again */
static int l_task_reported(lua_State *L)
{
    check_box(L, 1)->observed = 1;
    return 0;
}

/* core.run_until(task): runs the loop until the task has finished. Only from plain code. */
static int l_run_until(lua_State *L)
{
    task_box *b = check_box(L, 1);
    if (S.running)
        return luaL_error(L,
                          "the loop is already running: asyncio.run cannot be called "
                          "from a task (use asyncio.create_task or await the work)");
    if (S.in_run)
        return luaL_error(L, "the loop is already running");
    b->observed = 1;
    S.in_run = 1;
    while (b->status == BOX_PENDING) {
        int more = uv_run(S.loop, UV_RUN_ONCE);
        if (!more && b->status == BOX_PENDING && !S.ready_head) {
            S.in_run = 0;
            return luaL_error(L,
                              "the task waits for something that can never happen "
                              "(nothing is left on the loop to wake it)");
        }
    }
    S.in_run = 0;
    return 0;
}

/* core.drain(): runs the loop until every task has finished, or nothing is left to wake the
 * ones that remain. Only from plain code. */
static int l_drain(lua_State *L)
{
    if (S.running || S.in_run)
        return luaL_error(L, "the loop is already running");
    S.in_run = 1;
    while (S.live > 0 && (uv_run(S.loop, UV_RUN_ONCE) || S.ready_head))
        ;
    S.in_run = 0;
    return 0;
}

/* core.cancel_all() */
static int l_cancel_all(lua_State *L)
{
    (void)L;
    sched_cancel_all();
    return 0;
}

/* core.live_tasks() -> integer */
static int l_live_tasks(lua_State *L)
{
    lua_pushinteger(L, S.live);
    return 1;
}

static void count_active(uv_handle_t *h, void *arg)
{
    lua_State *L = arg;
    if (!uv_is_active(h) || uv_is_closing(h) || !uv_has_ref(h))
        return;
    const char *type = uv_handle_type_name(uv_handle_get_type(h));
    lua_getfield(L, -1, type);
    lua_pushinteger(L, lua_tointeger(L, -1) + 1);
    lua_setfield(L, -3, type);
    lua_pop(L, 1);
}

/* core.loop_report() -> {handles = {type = count}, requests = n}: what keeps the loop
 * alive now, for tests that check nothing was left behind   [-0, +1, m] */
static int l_loop_report(lua_State *L)
{
    lua_newtable(L);
    lua_newtable(L);
    uv_walk(S.loop, count_active, L);
    lua_setfield(L, -2, "handles");
    lua_pushinteger(L, (lua_Integer)S.loop->active_reqs.count);
    lua_setfield(L, -2, "requests");
    return 1;
}

/* core.deadline() -> when the running task's last sleep was due, in core.now()'s seconds;
 * for tests of timer order   [-0, +1, -] */
static int l_deadline(lua_State *L)
{
    if (S.running && S.running->co == L)
        lua_pushnumber(L, S.running->deadline);
    else
        lua_pushnil(L);
    return 1;
}

/* core.task_stack(task) -> the traceback of the await a task is suspended in ("stack
 * traceback:" and its frames, the await first), also when it has been woken but has not run
 * yet; nil for a task that is running, has not started or has ended. For a test that gives
 * up on a task, to say what it was waiting for.   [-0, +1, m] */
static int l_task_stack(lua_State *L)
{
    sched_task *t = check_box(L, 1)->t;
    if (!t || t == S.running || !t->started)
        lua_pushnil(L);
    else
        luaL_traceback(L, t->co, NULL, 0);
    return 1;
}

/* core.sleeper_c_bytes() -> bytes a task that has slept keeps outside the Lua heap: its
 * timer (the record itself is in its box)   [-0, +1, -] */
static int l_sleeper_c_bytes(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)sizeof(uv_timer_t));
    return 1;
}

/* core.now() -> seconds on the loop's monotonic clock, with sub-millisecond precision; the
 * virtual clock's while it is on   [-0, +1, -] */
static int l_now(lua_State *L)
{
    lua_pushnumber(L, S.virtual_clock ? S.vnow : (lua_Number)uv_hrtime() / 1e9);
    return 1;
}

/* core.real_now() -> seconds on the monotonic clock, virtual or not   [-0, +1, -] */
static int l_real_now(lua_State *L)
{
    lua_pushnumber(L, (lua_Number)uv_hrtime() / 1e9);
    return 1;
}

static int l_task_tostring(lua_State *L)
{
    static const char *const names[] = {"pending", "done", "failed", "cancelled"};
    task_box *b = check_box(L, 1);
    lua_pushfstring(L, "Task(%s) %p", names[b->status], (void *)b);
    return 1;
}

void sched_register(lua_State *L)
{
    static const luaL_Reg task_methods[] = {{"cancel", l_task_cancel},
                                            {"done", l_task_done},
                                            {"cancelled", l_task_cancelled},
                                            {"result", l_task_result},
                                            {"_reported", l_task_reported},
                                            {"wait", l_task_wait},
                                            {"get_name", l_task_get_name},
                                            {"set_name", l_task_set_name},
                                            {NULL, NULL}};
    static const luaL_Reg funcs[] = {{"spawn", l_spawn},
                                     {"create_task", l_create_task},
                                     {"create_owned", l_create_owned},
                                     {"own", l_own},
                                     {"owner", l_owner},
                                     {"set_reporter", l_set_reporter},
                                     {"sleep", l_sleep},
                                     {"current", l_current},
                                     {"run_until", l_run_until},
                                     {"drain", l_drain},
                                     {"suspend", l_suspend},
                                     {"wake", l_wake},
                                     {"all_tasks", l_all_tasks},
                                     {"cancel_all", l_cancel_all},
                                     {"live_tasks", l_live_tasks},
                                     {"now", l_now},
                                     {"real_now", l_real_now},
                                     {"virtual_clock", l_virtual_clock},
                                     {"clock_to", l_clock_to},
                                     {"next_deadline", l_next_deadline},
                                     {"turn", l_turn},
                                     {"sleeper_c_bytes", l_sleeper_c_bytes},
                                     {"deadline", l_deadline},
                                     {"loop_report", l_loop_report},
                                     {"task_stack", l_task_stack},
                                     {"label", l_label},
                                     {"task_traceback", l_task_traceback},
                                     {NULL, NULL}};
    if (luaL_newmetatable(L, TASK_MT)) {
        luaL_newlib(L, task_methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_task_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    luaL_unref(L, LUA_REGISTRYINDEX, S.task_mt_ref);
    S.task_mt_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    luaL_setfuncs(L, funcs, 0);
    lua_rawgeti(L, LUA_REGISTRYINDEX, S.cancelled_ref);
    lua_setfield(L, -2, "CancelledError");
}
