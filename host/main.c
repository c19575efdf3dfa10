/* main: the luaflet command: options, the loop, signals, and running the app script. */
#include <errno.h>
#include <lauxlib.h>
#include <libgen.h>
#include <limits.h>
#include <lualib.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "core.h"
#include "intern.h"
#include "log.h"
#include "sched.h"
#include "watchdog.h"

static const char usage[] =
    "usage: luaflet [options] app.lua [args...]\n"
    "\n"
    "Runs a Luaflet app: serves its pages at http://HOST:PORT and runs one session per\n"
    "browser tab, all on one event loop.\n"
    "\n"
    "options:\n"
    "  --host HOST              address to listen on (default 127.0.0.1, or the app's setting)\n"
    "  --port PORT              port to listen on (default 8550, or the app's setting)\n"
    "  --log-level LEVEL        error, warn, info (default) or debug\n"
    "  --debug                  warn when a task runs over 100 ms without awaiting (with its\n"
    "                           name and where it is), and send error details to clients\n"
    "  --task-time-limit SECS   interrupt a task that runs this long without awaiting, with an\n"
    "                           error at the line it is on (default 5; 0: never)\n"
    "  --session-timeout SECS   keep a session whose socket dropped this long (default 3600)\n"
    "  --max-sessions N         sessions at once, and WebSockets open at once; the session\n"
    "                           detached longest makes room (default 20000)\n"
    "  --max-sessions-per-ip N  the same for one client address (an IPv6 /64), which also\n"
    "                           counts its detached sessions (default 100; 0: no cap)\n"
    "  --handshake-rate N       WebSocket handshakes a second one address may keep up, in\n"
    "                           bursts of five seconds' worth (default 10; 0: no limit)\n"
    "  --trust-proxy            count clients by the last address of X-Forwarded-For (only\n"
    "                           behind a proxy that sets it, such as nginx)\n"
    "  --max-detached-memory BYTES  memory all detached sessions may hold; the oldest end\n"
    "                           first past it (default 268435456)\n"
    "  --max-message BYTES      largest message a client may send (default 65536)\n"
    "  --max-send-queue BYTES   unsent bytes past which a client that stopped reading is\n"
    "                           dropped (default 4194304)\n"
    "  --event-rate N           messages a second a client may keep sending (default 100;\n"
    "                           0: no limit); the excess is dropped\n"
    "  --event-burst N          messages a client may send at once (default 200)\n"
    "  --ping-interval SECS     ping a socket idle this long (default 30; 0: never)\n"
    "  --ping-timeout SECS      drop a socket silent this long (default 60)\n"
    "  --handshake-timeout SECS time an HTTP request or handshake has to arrive, and a new\n"
    "                           WebSocket has to register its session (default 10)\n"
    "  --keepalive-timeout SECS close an HTTP connection idle this long after an answer\n"
    "                           (default 15); one connection serves at most 100 requests\n"
    "  --allow-origin ORIGIN    also accept WebSockets from pages of ORIGIN, such as\n"
    "                           https://example.com (repeatable; default: same origin only)\n"
    "  --assets-dir DIR         serve the files of DIR too (as ft.app{assets_dir = ...})\n"
    "  --certfile FILE          serve https and wss with this certificate (PEM)...\n"
    "  --keyfile FILE           ...and this private key (PEM)\n"
    "  --help                   print this help and exit\n"
    "  --version                print the version and exit\n"
    "\n"
    "SIGINT, SIGTERM and SIGHUP stop the host gracefully; a second one exits at once.\n";

/* The options that take a value and reach Lua as core.options[name] (dashes become
 * underscores): text as given, numbers checked against their range here. */
typedef struct value_option {
    const char *flag;
    int numeric;
    double min, max;
} value_option;

static const value_option value_options[] = {
    {"--host", 0, 0, 0},
    {"--port", 1, 1, 65535},
    {"--session-timeout", 1, 0, 1e9},
    {"--max-message", 1, 16, 1 << 30},
    {"--max-sessions", 1, 1, 1e9},
    {"--max-sessions-per-ip", 1, 0, 1e9},
    {"--handshake-rate", 1, 0, 1e9},
    {"--max-detached-memory", 1, 0, 1e15},
    {"--max-send-queue", 1, 1024, 1e12},
    {"--event-rate", 1, 0, 1e9},
    {"--event-burst", 1, 1, 1e9},
    {"--ping-interval", 1, 0, 65535},
    {"--ping-timeout", 1, 1, 65535},
    {"--handshake-timeout", 1, 1, 3600},
    {"--task-time-limit", 1, 0, 1e6},
    {"--keepalive-timeout", 1, 1, 3600},
    {"--assets-dir", 0, 0, 0},
    {"--certfile", 0, 0, 0},
    {"--keyfile", 0, 0, 0},
};
#define NVALUE_OPTIONS (sizeof value_options / sizeof value_options[0])

typedef struct options {
    const char *values[NVALUE_OPTIONS]; /* as given, NULL when not */
    char **origins; /* --allow-origin, each time it was given */
    int norigins;
    int debug;
    int trust_proxy;
    const char *script;
    char **args; /* the script's own arguments, in order */
    int nargs;
} options;

/* Options may come before or after the script (`luaflet app.lua --port 8600`); anything else
 * after the script is the script's own. */
static int parse_args(int argc, char **argv, options *o)
{
    o->args = calloc((size_t)argc, sizeof *o->args);
    o->origins = calloc((size_t)argc, sizeof *o->origins);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const value_option *vo = NULL;
        for (size_t k = 0; k < NVALUE_OPTIONS; k++)
            if (strcmp(a, value_options[k].flag) == 0)
                vo = &value_options[k];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            exit(0);
        } else if (strcmp(a, "--debug") == 0) {
            o->debug = 1;
        } else if (strcmp(a, "--trust-proxy") == 0) {
            o->trust_proxy = 1;
        } else if (strcmp(a, "--version") == 0) {
            printf("luaflet %s\n", LUAFLET_VERSION);
            exit(0);
        } else if (strcmp(a, "--log-level") == 0) {
            enum log_level level;
            if (i + 1 >= argc || log_parse_level(argv[i + 1], &level) < 0) {
                fprintf(stderr, "luaflet: --log-level wants error, warn, info or debug\n");
                return -1;
            }
            log_set_level(level);
            i++;
        } else if (strcmp(a, "--allow-origin") == 0) {
            if (i + 1 >= argc || !strstr(argv[i + 1], "://")) {
                fprintf(stderr, "luaflet: --allow-origin wants an origin such as "
                                "https://example.com\n");
                return -1;
            }
            o->origins[o->norigins++] = argv[++i];
        } else if (vo) {
            if (i + 1 >= argc) {
                fprintf(stderr, "luaflet: %s wants a value\n", a);
                return -1;
            }
            const char *v = argv[++i];
            if (vo->numeric) {
                char *end;
                double d = strtod(v, &end);
                if (end == v || *end || !(d >= vo->min && d <= vo->max)) {
                    fprintf(stderr, "luaflet: %s wants a number from %g to %g\n", a, vo->min,
                            vo->max);
                    return -1;
                }
            }
            o->values[vo - value_options] = v;
        } else if (!o->script && a[0] == '-') {
            fprintf(stderr, "luaflet: unknown option %s\n%s", a, usage);
            return -1;
        } else if (!o->script) {
            o->script = a;
        } else {
            o->args[o->nargs++] = argv[i];
        }
    }
    if (!o->script) {
        fprintf(stderr, "%s", usage);
        return -1;
    }
    return 0;
}

/* The folder that holds this executable, found through /proc. */
static int exe_dir(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    return 0;
}

/* Sets package.path so that the Lua library and the app's own modules are found, and the
 * settings the command line gave, for flet to read. */
static void setup_lua(lua_State *L, const options *o, const char *bindir, const char *argv0)
{
    char script_dir[PATH_MAX];
    snprintf(script_dir, sizeof script_dir, "%s", o->script);
    const char *sdir = dirname(script_dir);

    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/../lua/?.lua;%s/../lua/?/init.lua;%s/?.lua;", bindir, bindir, sdir);
    lua_getfield(L, -2, "path");
    lua_concat(L, 2);
    lua_setfield(L, -2, "path");
    lua_getfield(L, -1, "preload");
    lua_pushcfunction(L, luaopen_luaflet_core);
    lua_setfield(L, -2, "luaflet.core");
    lua_pop(L, 2);

    /* core.options: what the command line set; flet prefers it over the app's settings. */
    luaL_requiref(L, "luaflet.core", luaopen_luaflet_core, 0);
    lua_newtable(L);
    for (size_t k = 0; k < NVALUE_OPTIONS; k++) {
        if (!o->values[k])
            continue;
        char name[64];
        snprintf(name, sizeof name, "%s", value_options[k].flag + 2);
        for (char *p = name; *p; p++)
            if (*p == '-')
                *p = '_';
        double d = strtod(o->values[k], NULL);
        if (!value_options[k].numeric)
            lua_pushstring(L, o->values[k]);
        else if ((double)(lua_Integer)d == d) /* whole numbers as integers */
            lua_pushinteger(L, (lua_Integer)d);
        else
            lua_pushnumber(L, d);
        lua_setfield(L, -2, name);
    }
    lua_pushboolean(L, o->debug);
    lua_setfield(L, -2, "debug");
    if (o->trust_proxy) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "trust_proxy");
    }
    if (o->norigins) {
        lua_createtable(L, o->norigins, 0);
        for (int i = 0; i < o->norigins; i++) {
            lua_pushstring(L, o->origins[i]);
            lua_rawseti(L, -2, i + 1);
        }
        lua_setfield(L, -2, "allow_origins");
    }
    lua_setfield(L, -2, "options");
    /* Where the built client is, beside the executable. */
    lua_pushfstring(L, "%s/client", bindir);
    lua_setfield(L, -2, "client_dir");
    lua_pop(L, 1);

    /* arg, as the stand-alone interpreter sets it. */
    lua_createtable(L, o->nargs, 2);
    lua_pushstring(L, argv0);
    lua_rawseti(L, -2, -1);
    lua_pushstring(L, o->script);
    lua_rawseti(L, -2, 0);
    for (int i = 0; i < o->nargs; i++) {
        lua_pushstring(L, o->args[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_setglobal(L, "arg");
}

/* The value given for flag, or NULL. */
static const char *option(const options *o, const char *flag)
{
    for (size_t k = 0; k < NVALUE_OPTIONS; k++)
        if (strcmp(value_options[k].flag, flag) == 0)
            return o->values[k];
    return NULL;
}

/* ------------------------------------------------------------- stopping */

/* SIGINT, SIGTERM and SIGHUP stop the host gracefully; another one while it stops ends it at
 * once. The handler is a plain sigaction one rather than a uv_signal_t, whose callback runs
 * on the loop: a loop stuck in a task would never run it, and that is exactly when the
 * second signal must work. So the handler does only what is safe in one, wherever it runs:
 * write(2), uv_async_send (which libuv documents as async-signal-safe) and _exit. */
static uv_async_t stop_async;
static volatile sig_atomic_t stop_async_open;
static atomic_int stop_signals;

static void say(const char *a, const char *b, const char *c)
{
    char line[128];
    size_t n = 0;
    for (const char *const *p = (const char *const[]){a, b, c, NULL}; *p; p++)
        for (const char *q = *p; *q && n < sizeof line; q++)
            line[n++] = *q;
    while (write(2, line, n) < 0 && errno == EINTR)
        ;
}

static void on_stop_signal(int signum)
{
    int saved = errno;
    const char *name = signum == SIGINT ? "SIGINT" : signum == SIGHUP ? "SIGHUP" : "SIGTERM";
    if (atomic_fetch_add(&stop_signals, 1) == 0) {
        if (log_enabled(LOG_INFO))
            say("luaflet: info: received ", name, ": stopping\n");
        if (stop_async_open)
            uv_async_send(&stop_async);
    } else {
        say("luaflet: error: received ", name, " while stopping: exiting at once\n");
        _exit(128 + signum);
    }
    errno = saved;
}

static void on_stop(uv_async_t *h)
{
    (void)h;
    core_stop();
}

int main(int argc, char **argv)
{
    options o = {0};
    if (parse_args(argc, argv, &o) < 0) {
        free(o.args);
        free(o.origins);
        return 2;
    }
    char bindir[PATH_MAX];
    if (exe_dir(bindir, sizeof bindir) < 0) {
        fprintf(stderr, "luaflet: cannot find where the executable is\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    /* Each session is a socket: the soft limit on open files (often 1024) is raised to the
     * hard one, so that thousands of sessions fit. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    uv_loop_t loop;
    uv_loop_init(&loop);
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    core_init(&loop, L);
    const char *limit = option(&o, "--task-time-limit");
    watchdog_configure(limit ? strtod(limit, NULL) : 5, o.debug ? 0.1 : 0);
    if (o.debug)
        sched_warn_slow(0.1);

    /* Signals are ours (lws installs none on a foreign loop). The wake-up is unreferenced: it
     * does not keep the loop alive on its own. */
    uv_async_init(&loop, &stop_async, on_stop);
    uv_unref((uv_handle_t *)&stop_async);
    stop_async_open = 1;
    struct sigaction sa = {.sa_handler = on_stop_signal, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    setup_lua(L, &o, bindir, argv[0]);
    int wrc = watchdog_start(L);
    if (wrc != 0)
        log_printf(LOG_WARN, "no task watchdog (%s): a task that never awaits cannot be "
                             "interrupted", uv_strerror(wrc));

    int status = 0;
    lua_pushcfunction(L, core_traceback);
    if (luaL_loadfile(L, o.script) != LUA_OK || lua_pcall(L, 0, 0, -2) != LUA_OK) {
        log_printf(LOG_ERROR, "%s", lua_tostring(L, -1));
        status = 1;
    }
    lua_settop(L, 0);

    stop_async_open = 0;
    uv_close((uv_handle_t *)&stop_async, NULL);
    core_close();
    watchdog_stop();
    lua_close(L);
    intern_free_all();
    uv_run(&loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&loop);
    if (rc != 0) {
        log_printf(LOG_ERROR, "the loop still had open handles at exit (%s)", uv_err_name(rc));
        status = status ? status : 1;
    } else {
        log_printf(LOG_DEBUG, "loop closed cleanly");
    }
    free(o.args);
    free(o.origins);
    return status;
}
