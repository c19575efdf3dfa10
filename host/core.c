#include "core.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fs.h"
#include "http.h"
#include "log.h"
#include "mem.h"
#include "metrics.h"
#include "options.h"
#include "proto.h"
#include "redis.h"
#include "sched.h"
#include "schema.h"
#include "server.h"
#include "thread.h"
#include "upload.h"
#include "watch.h"

static struct {
    uv_loop_t *loop;
    int own_loop; /* the loop was made here, for a plain Lua interpreter */
    int stopping;
    int closed;
    int exit_status;
} C;

int core_exit_status(void) { return C.exit_status; }

/* core.exit_status(n): the status the host exits with once the script ends   [-0, +0, e] */
static int l_exit_status(lua_State *L)
{
    C.exit_status = (int)luaL_checkinteger(L, 1);
    return 0;
}

void core_init(uv_loop_t *loop, lua_State *L)
{
    C.loop = loop;
    sched_init(loop, L);
    log_fold_init(loop);
}

void core_stop(void)
{
    C.stopping = 1;
    /* Cancelling first lets the sessions' end-of-session work, queued as the sockets close,
     * still run. */
    sched_cancel_all();
    server_stop_all();
}

void core_drain(double seconds)
{
    if (C.stopping)
        return;
    server_drain_all(seconds, core_stop);
}

void core_close(void)
{
    if (C.closed || !C.loop)
        return;
    C.closed = 1;
    server_stop_all();
    http_stop();
    /* Redis goes first: the tasks that still run (a session's end) find it closed and get
     * "not connected" at once, rather than waiting on a reply. */
    redis_close();
    /* Sessions end as their sockets close, which runs Lua: the scheduler stays open until
     * every server is done with its sockets (two seconds at most), and the tasks the last
     * closes queued (a session's end, a failure's report) have had their turn. */
    while (server_any_running() || sched_any_ready())
        uv_run(C.loop, UV_RUN_ONCE);
    sched_close();
    watch_close_all();
    log_fold_close();
    metrics_close();
    uv_run(C.loop, UV_RUN_DEFAULT);
    server_close_all();
    http_close();
    uv_run(C.loop, UV_RUN_DEFAULT);
}

int core_traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* core.stopping() -> boolean: whether the host is shutting down   [-0, +1, -] */
static int l_stopping(lua_State *L)
{
    lua_pushboolean(L, C.stopping);
    return 1;
}

/* core.log(level, message [, fold]) -> whether it was printed: with fold, a message that
 * repeats within a second is counted rather than printed (see log_folded)   [-0, +1, e] */
static int l_log(lua_State *L)
{
    enum log_level level;
    if (log_parse_level(luaL_checkstring(L, 1), &level) < 0)
        return luaL_argerror(L, 1, "expected error, warn, info or debug");
    const char *msg = luaL_checkstring(L, 2);
    if (lua_toboolean(L, 3)) {
        lua_pushboolean(L, log_folded(level, "%s", msg));
    } else {
        log_printf(level, "%s", msg);
        lua_pushboolean(L, log_enabled(level));
    }
    return 1;
}

/* core.log_escape(s [, max]) -> s made safe to put inside a log line (see log_escape), cut
 * to at most max bytes (default 200, at least 8)   [-0, +1, m] */
static int l_log_escape(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_Integer max = luaL_optinteger(L, 2, LOG_ESCAPE_SIZE - 1);
    luaL_argcheck(L, max >= 8 && max <= 65536, 2, "out of range");
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, (size_t)max + 1);
    log_escape(out, (size_t)max + 1, s, len);
    luaL_pushresultsize(&b, strlen(out));
    return 1;
}

/* core.set_log_level(name)   [-0, +0, e] */
static int l_set_log_level(lua_State *L)
{
    enum log_level level;
    if (log_parse_level(luaL_checkstring(L, 1), &level) < 0)
        return luaL_argerror(L, 1, "expected error, warn, info or debug");
    log_set_level(level);
    return 0;
}

/* core.random_token() -> 32 hex digits: 128 random bits from the OS, for session tokens
 *   [-0, +1, e] */
static int l_random_token(lua_State *L)
{
    unsigned char bytes[16];
    int rc = uv_random(NULL, NULL, bytes, sizeof bytes, 0, NULL);
    if (rc != 0)
        return luaL_error(L, "no random bytes from the OS: %s", uv_strerror(rc));
    static const char hex[] = "0123456789abcdef";
    char text[32];
    for (int i = 0; i < 16; i++) {
        text[2 * i] = hex[bytes[i] >> 4];
        text[2 * i + 1] = hex[bytes[i] & 15];
    }
    lua_pushlstring(L, text, sizeof text);
    return 1;
}

/* Runs when a plain interpreter closes its state: the loop made here is closed with it. */
static int own_loop_gc(lua_State *L)
{
    (void)L;
    core_close();
    if (C.own_loop) {
        int rc = uv_loop_close(C.loop);
        if (rc != 0)
            log_printf(LOG_ERROR, "loop closed with handles still open: %s", uv_err_name(rc));
        free(C.loop);
        C.loop = NULL;
    }
    return 0;
}

int luaopen_luaflet_core(lua_State *L)
{
    if (!C.loop) {
        C.loop = mem_alloc(sizeof *C.loop);
        if (uv_loop_init(C.loop) != 0)
            return luaL_error(L, "cannot make a libuv loop");
        C.own_loop = 1;
        lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_MAINTHREAD);
        sched_init(C.loop, lua_tothread(L, -1));
        log_fold_init(C.loop);
        lua_pop(L, 1);
        /* A userdata kept in the registry is collected when the state closes. */
        lua_newuserdatauv(L, 1, 0);
        lua_newtable(L);
        lua_pushcfunction(L, own_loop_gc);
        lua_setfield(L, -2, "__gc");
        lua_setmetatable(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, "luaflet.core.loop");
    }
    static const luaL_Reg funcs[] = {{"stopping", l_stopping},
                                     {"log", l_log},
                                     {"log_escape", l_log_escape},
                                     {"set_log_level", l_set_log_level},
                                     {"random_token", l_random_token},
                                     {"exit_status", l_exit_status},
                                     {NULL, NULL}};
    luaL_newlib(L, funcs);
    sched_register(L);
    proto_register(L);
    schema_register(L);
    diff_register(L);
    fs_register(L);
    http_register(L);
    thread_register(L);
    server_register(L);
    upload_register(L);
    metrics_register(L);
    watch_register(L);
    redis_register(L);
    lua_pushliteral(L, LUAFLET_VERSION);
    lua_setfield(L, -2, "version");
    /* Every option's default; the luaflet command puts what its command line gave over them
     * and lists those in options_given. */
    options_push_tables(L);
    lua_setfield(L, -3, "option_table");
    lua_setfield(L, -2, "options");
    lua_newtable(L);
    lua_setfield(L, -2, "options_given");
    return 1;
}
