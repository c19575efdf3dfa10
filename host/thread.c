#include "thread.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "buf.h"
#include "core.h"
#include "mem.h"
#include "sched.h"

#define MAX_DEPTH 32

/* ------------------------------------------------ values between states */

/* Values cross from one Lua state to another as bytes: a tag, then the payload. Only data
 * crosses: nil, booleans, numbers, strings and tables of those. */
typedef struct packet {
    buf bytes;
    const char *err; /* set when a value cannot cross */
} packet;

static void put(packet *b, const void *data, size_t n)
{
    if (!b->err)
        buf_add(&b->bytes, data, n);
}

static void put_tag(packet *b, char tag) { put(b, &tag, 1); }

static void encode(lua_State *L, int idx, packet *b, int depth)
{
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        put_tag(b, 'n');
        return;
    case LUA_TBOOLEAN:
        put_tag(b, lua_toboolean(L, idx) ? 't' : 'f');
        return;
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx)) {
            lua_Integer i = lua_tointeger(L, idx);
            put_tag(b, 'i');
            put(b, &i, sizeof i);
        } else {
            lua_Number d = lua_tonumber(L, idx);
            put_tag(b, 'd');
            put(b, &d, sizeof d);
        }
        return;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, idx, &n);
        put_tag(b, 's');
        put(b, &n, sizeof n);
        put(b, s, n);
        return;
    }
    case LUA_TTABLE:
        if (depth >= MAX_DEPTH) {
            b->err = "a table nested too deeply (or a cycle) cannot cross to another thread";
            return;
        }
        if (!lua_checkstack(L, 3)) {
            b->err = "out of stack";
            return;
        }
        idx = lua_absindex(L, idx);
        put_tag(b, 'T');
        lua_pushnil(L);
        while (!b->err && lua_next(L, idx)) {
            encode(L, -2, b, depth + 1);
            encode(L, -1, b, depth + 1);
            lua_pop(L, 1);
        }
        if (b->err)
            lua_pop(L, 1); /* the key lua_next left */
        put_tag(b, 'E');
        return;
    default:
        b->err = lua_type(L, idx) == LUA_TFUNCTION
            ? "a function cannot cross to another thread"
            : "only nil, booleans, numbers, strings and tables cross to another thread";
        return;
    }
}

/* Pushes the next value of the bytes at *pos; returns 0, or -1 on damage (never expected). */
static int decode(lua_State *L, const packet *b, size_t *pos)
{
    if (*pos >= b->bytes.len || !lua_checkstack(L, 3))
        return -1;
    char tag = b->bytes.p[(*pos)++];
    switch (tag) {
    case 'n':
        lua_pushnil(L);
        return 0;
    case 't':
    case 'f':
        lua_pushboolean(L, tag == 't');
        return 0;
    case 'i': {
        lua_Integer i;
        memcpy(&i, b->bytes.p + *pos, sizeof i);
        *pos += sizeof i;
        lua_pushinteger(L, i);
        return 0;
    }
    case 'd': {
        lua_Number d;
        memcpy(&d, b->bytes.p + *pos, sizeof d);
        *pos += sizeof d;
        lua_pushnumber(L, d);
        return 0;
    }
    case 's': {
        size_t n;
        memcpy(&n, b->bytes.p + *pos, sizeof n);
        *pos += sizeof n;
        lua_pushlstring(L, b->bytes.p + *pos, n);
        *pos += n;
        return 0;
    }
    case 'T':
        lua_newtable(L);
        while (*pos < b->bytes.len && b->bytes.p[*pos] != 'E') {
            if (decode(L, b, pos) < 0 || decode(L, b, pos) < 0)
                return -1;
            if (lua_isnil(L, -2)) /* a nil key cannot be; drop the pair */
                lua_pop(L, 2);
            else
                lua_rawset(L, -3);
        }
        (*pos)++;
        return 0;
    default:
        return -1;
    }
}

/* ------------------------------------------------------------- the work */

/* One call, owned by itself until its after-work callback frees it. */
typedef struct job {
    uv_work_t req;
    sched_task *task; /* NULL once the waiting task was cancelled */
    packet code;      /* the function, as string.dump made it */
    packet in;        /* its arguments: a count, then the values */
    int nargs;
    packet out; /* its results, or its error message */
    int nres;
    int failed;
} job;

static void fail(job *j, const char *msg)
{
    j->failed = 1;
    j->out.bytes.len = 0;
    put(&j->out, msg, strlen(msg));
}

/* Runs on a pool thread: a state of its own, so nothing is shared with the loop's. */
static void work(uv_work_t *req)
{
    job *j = req->data;
    lua_State *L = luaL_newstate();
    if (!L) {
        fail(j, "to_thread: out of memory");
        return;
    }
    luaL_openlibs(L);
    lua_pushcfunction(L, core_traceback);
    if (luaL_loadbufferx(L, j->code.bytes.p, j->code.bytes.len, "=to_thread", "b") != LUA_OK) {
        fail(j, lua_tostring(L, -1));
        lua_close(L);
        return;
    }
    size_t pos = 0;
    for (int i = 0; i < j->nargs; i++)
        decode(L, &j->in, &pos);
    int base = 1;
    if (lua_pcall(L, j->nargs, LUA_MULTRET, base) != LUA_OK) {
        fail(j, lua_tostring(L, -1));
        lua_close(L);
        return;
    }
    j->nres = lua_gettop(L) - base;
    for (int i = 1; i <= j->nres && !j->out.err; i++)
        encode(L, base + i, &j->out, 0);
    if (j->out.err) {
        char msg[160];
        snprintf(msg, sizeof msg, "to_thread: a result cannot come back: %s", j->out.err);
        j->out.err = NULL;
        fail(j, msg);
    }
    lua_close(L);
}

static void job_free(job *j)
{
    buf_free(&j->code.bytes);
    buf_free(&j->in.bytes);
    buf_free(&j->out.bytes);
    free(j);
}

static void after_work(uv_work_t *req, int status)
{
    job *j = req->data;
    if (j->task && status == 0) {
        lua_State *co = sched_task_state(j->task);
        if (j->failed) {
            lua_pushboolean(co, 0);
            lua_pushlstring(co, j->out.bytes.p, j->out.bytes.len);
            sched_wake(j->task, 2);
        } else {
            lua_pushboolean(co, 1);
            size_t pos = 0;
            for (int i = 0; i < j->nres; i++)
                decode(co, &j->out, &pos);
            sched_wake(j->task, j->nres + 1);
        }
    }
    job_free(j);
}

static void cancel_job(sched_task *t)
{
    job *j = sched_await_data(t);
    j->task = NULL;
    /* Not yet started: it never will. Running: its results are thrown away. */
    uv_cancel((uv_req_t *)&j->req);
}

static int dump_writer(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    put(ud, p, n);
    return 0;
}

/* core.to_thread(fn, ...) -> true, results... or false, error message   [-?, +?, e] */
static int l_to_thread(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (lua_iscfunction(L, 1))
        return luaL_argerror(L, 1, "a Lua function is needed (C functions cannot be copied)");
    sched_task *t = sched_await_begin(L, "asyncio.to_thread");
    job *j = mem_calloc(1, sizeof *j);
    lua_pushvalue(L, 1);
    lua_dump(L, dump_writer, &j->code, 0);
    lua_pop(L, 1);
    j->nargs = lua_gettop(L) - 1;
    for (int i = 2; i <= lua_gettop(L) && !j->in.err; i++)
        encode(L, i, &j->in, 0);
    if (j->code.err || j->in.err) {
        const char *err = j->code.err ? j->code.err : j->in.err;
        job_free(j);
        return luaL_error(L, "asyncio.to_thread: an argument cannot cross: %s", err);
    }
    j->task = t;
    j->req.data = j;
    int rc = uv_queue_work(sched_loop(), &j->req, work, after_work);
    if (rc < 0) {
        job_free(j);
        return luaL_error(L, "asyncio.to_thread: %s", uv_strerror(rc));
    }
    lua_settop(L, 0);
    return sched_await(L, t, cancel_job, j, NULL);
}

void thread_register(lua_State *L)
{
    lua_pushcfunction(L, l_to_thread);
    lua_setfield(L, -2, "to_thread");
}
