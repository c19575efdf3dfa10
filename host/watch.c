#include "watch.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "log.h"
#include "mem.h"
#include "sched.h"

/* Events closer together than this are one change: an editor's save is often several
 * (truncate, write, rename, chmod). */
#define QUIET_MS 40

#define WATCHER_MT "luaflet.watcher"

typedef struct watcher watcher;

/* One watched folder: its handle, embedded, freed in its close callback. */
typedef struct watch_dir {
    uv_fs_event_t h;
    watcher *w;
    char *path;
    struct watch_dir *next;
} watch_dir;

/* A watcher, owned by itself from core.watch() until its last handle has closed. Lua holds
 * a box with a pointer to it, which close sets to NULL. */
struct watcher {
    uv_timer_t quiet; /* restarted by each event; fires once the folders are quiet */
    watch_dir *dirs;
    int handles; /* handles not yet closed: the timer and each folder's */
    int closed;
    int settled;      /* the quiet timer fired since the last event */
    sched_task *task; /* waiting in changed(), or NULL */
    char **changed;   /* paths changed and not yet handed out, each once */
    size_t nchanged, cap;
    watcher **box;        /* the Lua side's pointer, NULL once collected */
    watcher *prev, *next; /* every open watcher, for watch_close_all */
};

static watcher *all;

/* ------------------------------------------------------------- handing out */

/* Pushes the changed paths onto L as a list and forgets them.   [-0, +1, m] */
static void push_changed(lua_State *L, watcher *w)
{
    lua_createtable(L, (int)w->nchanged, 0);
    for (size_t i = 0; i < w->nchanged; i++) {
        lua_pushstring(L, w->changed[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        free(w->changed[i]);
    }
    w->nchanged = 0;
}

static int has_news(const watcher *w) { return w->settled && w->nchanged > 0; }

/* Wakes the task waiting in changed(), if any, when there is something to tell it. */
static void deliver(watcher *w)
{
    if (!w->task || !has_news(w))
        return;
    sched_task *t = w->task;
    w->task = NULL;
    push_changed(sched_task_state(t), w);
    sched_wake(t, 1);
}

static void on_quiet(uv_timer_t *h)
{
    watcher *w = h->data;
    w->settled = 1;
    deliver(w);
}

static void note_change(watcher *w, const char *path)
{
    for (size_t i = 0; i < w->nchanged; i++)
        if (strcmp(w->changed[i], path) == 0)
            goto restart;
    if (w->nchanged == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 8;
        w->changed = mem_realloc(w->changed, w->cap * sizeof *w->changed);
    }
    w->changed[w->nchanged++] = mem_strdup(path);
restart:
    w->settled = 0;
    uv_timer_start(&w->quiet, on_quiet, QUIET_MS, 0);
}

static void on_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
    (void)events;
    watch_dir *d = h->data;
    if (status < 0) {
        log_printf(LOG_WARN, "watching %s: %s", d->path, uv_strerror(status));
        return;
    }
    if (!filename) {
        note_change(d->w, d->path);
        return;
    }
    size_t n = strlen(d->path) + strlen(filename) + 2;
    char *path = mem_alloc(n);
    snprintf(path, n, "%s/%s", d->path, filename);
    note_change(d->w, path);
    free(path);
}

/* ----------------------------------------------------------------- closing */

static void handle_closed(watcher *w)
{
    if (--w->handles > 0)
        return;
    for (size_t i = 0; i < w->nchanged; i++)
        free(w->changed[i]);
    free(w->changed);
    free(w);
}

static void dir_closed(uv_handle_t *h)
{
    watch_dir *d = h->data;
    watcher *w = d->w;
    free(d->path);
    free(d);
    handle_closed(w);
}

static void timer_closed(uv_handle_t *h) { handle_closed(h->data); }

/* Closes a watcher's handles; its memory goes with the last one. A task waiting in changed()
 * gets nil, "closed". */
static void watcher_close(watcher *w)
{
    if (w->closed)
        return;
    w->closed = 1;
    if (w->box)
        *w->box = NULL;
    w->box = NULL;
    if (w->prev)
        w->prev->next = w->next;
    else
        all = w->next;
    if (w->next)
        w->next->prev = w->prev;
    if (w->task) {
        sched_task *t = w->task;
        w->task = NULL;
        lua_State *co = sched_task_state(t);
        lua_pushnil(co);
        lua_pushliteral(co, "closed");
        sched_wake(t, 2);
    }
    for (watch_dir *d = w->dirs, *next; d; d = next) {
        next = d->next;
        uv_close((uv_handle_t *)&d->h, dir_closed);
    }
    w->dirs = NULL;
    uv_close((uv_handle_t *)&w->quiet, timer_closed);
}

void watch_close_all(void)
{
    while (all)
        watcher_close(all);
}

/* ---------------------------------------------------------------------- Lua */

static watcher *check_watcher(lua_State *L)
{
    watcher **box = luaL_checkudata(L, 1, WATCHER_MT);
    if (!*box)
        luaL_error(L, "the watcher is closed");
    return *box;
}

/* Starts watching one more folder; returns 0 or a libuv error code. */
static int add_dir(watcher *w, const char *path)
{
    for (watch_dir *d = w->dirs; d; d = d->next)
        if (strcmp(d->path, path) == 0)
            return 0;
    watch_dir *d = mem_calloc(1, sizeof *d);
    int rc = uv_fs_event_init(sched_loop(), &d->h);
    if (rc == 0) {
        d->h.data = d;
        d->w = w;
        d->path = mem_strdup(path);
        w->handles++;
        rc = uv_fs_event_start(&d->h, on_event, path, 0);
        if (rc < 0) {
            uv_close((uv_handle_t *)&d->h, dir_closed);
            return rc;
        }
        d->next = w->dirs;
        w->dirs = d;
        return 0;
    }
    free(d);
    return rc;
}

/* Pushes nil, "CODE: message: path", "CODE" for a folder that cannot be watched.
 * [-0, +3, m] */
static int push_failure(lua_State *L, int rc, const char *path)
{
    lua_pushnil(L);
    lua_pushfstring(L, "%s: %s: %s", uv_err_name(rc), uv_strerror(rc), path);
    lua_pushstring(L, uv_err_name(rc));
    return 3;
}

/* watcher:add(folder) -> true, or nil, message, code   [-0, +1|3, e] */
static int l_add(lua_State *L)
{
    watcher *w = check_watcher(L);
    const char *path = luaL_checkstring(L, 2);
    int rc = add_dir(w, path);
    if (rc < 0)
        return push_failure(L, rc, path);
    lua_pushboolean(L, 1);
    return 1;
}

static void changed_cleanup(sched_task *t)
{
    watcher *w = sched_await_data(t);
    w->task = NULL;
}

/* watcher:changed() -> the paths that changed (FOLDER/NAME, each once), once events have
 * stopped coming for a moment; nil, "closed" when the watcher is closed while waiting. An
 * await: from a task, one at a time.   [-1, +1|2, e] */
static int l_changed(lua_State *L)
{
    watcher *w = check_watcher(L);
    sched_task *t = sched_await_begin(L, "watcher:changed");
    if (w->task)
        return luaL_error(L, "watcher:changed: another task is waiting on this watcher");
    lua_settop(L, 0);
    if (has_news(w)) {
        push_changed(L, w);
        return sched_await_results(L, t, 1);
    }
    w->task = t;
    return sched_await(L, t, changed_cleanup, w, NULL);
}

/* watcher:close(): stops watching; also what __gc and __close do   [-0, +0, -] */
static int l_close(lua_State *L)
{
    watcher **box = luaL_checkudata(L, 1, WATCHER_MT);
    if (*box)
        watcher_close(*box);
    return 0;
}

/* [-0, +1, m] */
static int l_tostring(lua_State *L)
{
    watcher **box = luaL_checkudata(L, 1, WATCHER_MT);
    lua_pushfstring(L, "luaflet.watcher (%s): %p", *box ? "open" : "closed", (void *)box);
    return 1;
}

/* core.watch(folders) -> watcher, or nil, message, code when one cannot be watched
 * [-0, +1|3, e] */
static int l_watch(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_geti(L, 1, i) != LUA_TSTRING)
            return luaL_argerror(L, 1, "expected a list of folders");
        lua_pop(L, 1);
    }
    watcher **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    luaL_setmetatable(L, WATCHER_MT);
    watcher *w = mem_calloc(1, sizeof *w);
    uv_timer_init(sched_loop(), &w->quiet);
    w->quiet.data = w;
    w->handles = 1;
    w->next = all;
    if (all)
        all->prev = w;
    all = w;
    w->box = box;
    *box = w;
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        const char *path = lua_tostring(L, -1);
        int rc = add_dir(w, path);
        if (rc < 0) {
            watcher_close(w);
            return push_failure(L, rc, path);
        }
        lua_pop(L, 1);
    }
    return 1;
}

void watch_register(lua_State *L)
{
    if (luaL_newmetatable(L, WATCHER_MT)) {
        static const luaL_Reg methods[] = {
            {"add", l_add}, {"changed", l_changed}, {"close", l_close}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_close);
        lua_setfield(L, -2, "__gc");
        lua_pushcfunction(L, l_close);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, l_tostring);
        lua_setfield(L, -2, "__tostring");
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, l_watch);
    lua_setfield(L, -2, "watch");
}
