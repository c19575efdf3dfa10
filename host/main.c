/* main: the luaflet command: options, the loop, signals, and running the app script. */
#include <errno.h>
#include <lauxlib.h>
#include <libgen.h>
#include <limits.h>
#include <malloc.h>
#include <lualib.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "core.h"
#include "front.h"
#include "intern.h"
#include "listen.h"
#include "gcpace.h"
#include "log.h"
#include "luaheap.h"
#include "mem.h"
#include "options.h"
#include "nginx_config.h"
#include "redis.h"
#include "sched.h"
#include "watchdog.h"

static const char usage_head[] =
    "usage: luaflet [options] app.lua [args...] [-- args...]\n"
    "       luaflet new NAME   (makes an app's folder: main.lua, its spec, .busted, assets/)\n"
    "\n"
    "Runs a Luaflet app: serves its pages at http://HOST:PORT and runs one session per\n"
    "browser tab, all on one event loop. Options may come before or after the script; the\n"
    "script's own arguments follow it, and any that starts with a dash goes after --.\n"
    "\n"
    "options:\n";

static const char usage_tail[] =
    "  --print-nginx-config [--listen PORT] [--server-name NAME] [--tls CERT KEY] ID=HOST:PORT...\n"
    "                           print an nginx configuration for these hosts and exit\n"
    "  --help                   print this help and exit\n"
    "  --version                print the version and exit\n"
    "\n"
    "What the command line sets wins over the app's own ft.app{...} settings.\n"
    "SIGINT and SIGHUP stop the host gracefully; SIGTERM drains first (--drain-timeout);\n"
    "a second signal exits at once.\n";

static void print_usage(FILE *out)
{
    fputs(usage_head, out);
    options_print_help(out);
    fputs(usage_tail, out);
}

/* What the command line gave: for each option of options_table, its text (NULL when not
 * given; "" for a flag), or every value of a list. */
typedef struct options {
    const char **values;
    const char ***lists; /* per option, NULL-terminated, for OPTION_LIST */
    const char *script;
    char **args; /* the script's own arguments, in order */
    int nargs;
    char **worker_argv; /* the command line for workers: without --workers and --route-id */
} options;

static size_t noptions(void)
{
    size_t n = 0;
    while (options_table[n].name)
        n++;
    return n;
}

/* Checks one option's value; prints why not and returns -1 when it is not one. */
static int check_value(const option_def *d, const char *v)
{
    if (d->kind == OPTION_NUMBER) {
        char *end;
        double x = strtod(v, &end);
        if (end == v || *end || !(x >= d->min && x <= d->max)) {
            fprintf(stderr, "luaflet: --%s wants a number from %g to %g\n", d->name, d->min,
                    d->max);
            return -1;
        }
    } else if (d->kind == OPTION_LEVEL) {
        enum log_level level;
        if (log_parse_level(v, &level) < 0) {
            fprintf(stderr, "luaflet: --%s wants error, warn, info or debug\n", d->name);
            return -1;
        }
    } else if (d->kind == OPTION_CHOICE) {
        if (!options_choice_ok(d, v)) {
            fprintf(stderr, "luaflet: --%s wants one of %s\n", d->name, d->arg);
            return -1;
        }
    } else if (strcmp(d->name, "route-id") == 0 && !nginx_config_route_id_ok(v)) {
        fprintf(stderr, "luaflet: --route-id wants 1 to 32 letters, digits, - or _\n");
        return -1;
    } else if (strcmp(d->name, "workers") == 0 && strcmp(v, "auto") != 0) {
        char *end;
        long n = strtol(v, &end, 10);
        if (end == v || *end || n < 1 || n > 1024) {
            fprintf(stderr, "luaflet: --workers wants a number from 1 to 1024, or auto\n");
            return -1;
        }
    } else if (strcmp(d->name, "redis") == 0) {
        redis_addr addr;
        char why[200];
        if (redis_parse_url(v, &addr, why, sizeof why) < 0) {
            fprintf(stderr, "luaflet: --redis: %s\n", why);
            return -1;
        }
    } else if (strcmp(d->name, "allow-origin") == 0 && !strstr(v, "://")) {
        fprintf(stderr, "luaflet: --allow-origin wants an origin such as https://example.com\n");
        return -1;
    }
    return 0;
}

/* Options may come before or after the script (`luaflet app.lua --port 8600`). After the
 * script, a word that does not start with a dash is the script's own, and so is everything
 * after "--"; an unknown option is an error wherever it is, so that a typo (--prot) is not
 * taken for an app's argument. */
static int parse_args(int argc, char **argv, options *o)
{
    size_t n = noptions();
    o->values = mem_calloc(n, sizeof *o->values);
    o->lists = mem_calloc(n, sizeof *o->lists);
    o->args = mem_calloc((size_t)argc, sizeof *o->args);
    o->worker_argv = mem_calloc((size_t)argc + 1, sizeof *o->worker_argv);
    int nworker = 0;
    int rest = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (rest || (o->script && a[0] != '-')) {
            o->args[o->nargs++] = argv[i];
            o->worker_argv[nworker++] = argv[i];
            continue;
        }
        /* Workers get the command line but for --workers (none starts workers of its own)
         * and --route-id (the front gives each its own). */
        const option_def *wd = strncmp(a, "--", 2) == 0 ? options_find(a + 2) : NULL;
        if (!wd || (strcmp(wd->name, "workers") != 0 && strcmp(wd->name, "route-id") != 0)) {
            o->worker_argv[nworker++] = argv[i];
            if (wd && wd->kind != OPTION_FLAG && i + 1 < argc)
                o->worker_argv[nworker++] = argv[i + 1];
        }
        if (strcmp(a, "--") == 0 && o->script) {
            rest = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--print-nginx-config") == 0)
            exit(nginx_config_print(stdout, stderr, argc - i - 1, argv + i + 1) < 0 ? 2 : 0);
        if (strcmp(a, "--version") == 0) {
            printf("luaflet %s\n", LUAFLET_VERSION);
            exit(0);
        }
        if (a[0] != '-') {
            o->script = a;
            continue;
        }
        const option_def *d = strncmp(a, "--", 2) == 0 ? options_find(a + 2) : NULL;
        if (!d || strchr(a + 2, '_')) {
            fprintf(stderr, "luaflet: unknown option %s (luaflet --help lists them%s)\n", a,
                    o->script ? "; the app's own arguments that start with a dash go after --"
                              : "");
            return -1;
        }
        size_t k = (size_t)(d - options_table);
        if (d->kind == OPTION_FLAG) {
            o->values[k] = "";
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "luaflet: %s wants a value\n", a);
            return -1;
        }
        const char *v = argv[++i];
        if (check_value(d, v) < 0)
            return -1;
        o->values[k] = v;
        if (d->kind == OPTION_LIST) {
            size_t m = 0;
            while (o->lists[k] && o->lists[k][m])
                m++;
            const char **grown = mem_realloc(o->lists[k], (m + 2) * sizeof *grown);
            grown[m] = v;
            grown[m + 1] = NULL;
            o->lists[k] = grown;
        }
    }
    if (!o->script) {
        print_usage(stderr);
        return -1;
    }
    return 0;
}

static void free_options(options *o)
{
    size_t n = noptions();
    for (size_t k = 0; o->lists && k < n; k++)
        free(o->lists[k]);
    free(o->lists);
    free(o->values);
    free(o->args);
    free(o->worker_argv);
}

/* The value given for an option, or NULL. */
static const char *option(const options *o, const char *name)
{
    const option_def *d = options_find(name);
    return d ? o->values[d - options_table] : NULL;
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

    /* core.options starts as every option's default (options.c); what the command line
     * gave replaces it there and is marked in core.options_given, for flet to prefer over
     * the app's own settings. */
    luaL_requiref(L, "luaflet.core", luaopen_luaflet_core, 0);
    lua_getfield(L, -1, "options");
    lua_newtable(L); /* stack: core options given */
    for (const option_def *d = options_table; d->name; d++) {
        const char *v = o->values[d - options_table];
        if (!v)
            continue;
        if (d->kind == OPTION_FLAG) {
            lua_pushboolean(L, 1);
        } else if (d->kind == OPTION_LIST) {
            lua_newtable(L);
            for (int i = 0; o->lists[d - options_table][i]; i++) {
                lua_pushstring(L, o->lists[d - options_table][i]);
                lua_rawseti(L, -2, i + 1);
            }
        } else if (d->kind == OPTION_NUMBER) {
            double x = strtod(v, NULL);
            if ((double)(lua_Integer)x == x) /* whole numbers as integers */
                lua_pushinteger(L, (lua_Integer)x);
            else
                lua_pushnumber(L, x);
        } else {
            lua_pushstring(L, v);
        }
        lua_setfield(L, -3, d->key);
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, d->key);
    }
    lua_setfield(L, -3, "options_given");
    lua_pop(L, 1); /* options */
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

/* ------------------------------------------------------------- stopping */

/* SIGINT, SIGTERM (after its drain) and SIGHUP stop the host gracefully; another one while
 * it stops ends it at once. The handler is a plain sigaction one rather than a uv_signal_t, whose callback runs
 * on the loop: a loop stuck in a task would never run it, and that is exactly when the
 * second signal must work. So the handler does only what is safe in one, wherever it runs:
 * write(2), uv_async_send (which libuv documents as async-signal-safe) and _exit. */
static uv_async_t stop_async;
static volatile sig_atomic_t stop_async_open;
static atomic_int stop_signals;
static volatile sig_atomic_t stop_signum; /* the first one */
static double drain_timeout;              /* --drain-timeout */

static void on_stop_signal(int signum)
{
    int saved = errno;
    int first = atomic_fetch_add(&stop_signals, 1) == 0;
    const char *msg = signum == SIGINT
        ? (first ? "received SIGINT: stopping" : "received SIGINT while stopping: exiting at once")
        : signum == SIGHUP
        ? (first ? "received SIGHUP: stopping" : "received SIGHUP while stopping: exiting at once")
        : (first ? "received SIGTERM: stopping"
                 : "received SIGTERM while stopping: exiting at once");
    log_signal_line(first ? LOG_INFO : LOG_ERROR, msg);
    if (!first)
        _exit(128 + signum);
    stop_signum = signum;
    if (stop_async_open)
        uv_async_send(&stop_async);
    errno = saved;
}

/* Whether a script that loaded flet went on to serve its app: flet marks `_app_called` when
 * ft.app (or app_async) is reached. A script that never loaded flet (a plain Lua or asyncio
 * script) has nothing to serve. */
static int app_served(lua_State *L)
{
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    /* Read raw: flet's table answers an unknown name with an error. */
    int served = lua_getfield(L, -1, "flet") != LUA_TTABLE ||
        (lua_pushliteral(L, "_app_called"), lua_rawget(L, -2), lua_toboolean(L, -1));
    lua_settop(L, 0);
    return served;
}

/* Checks the script before anything starts: a name that is not there or is a folder is a
 * mistake on the command line (2), told in one line. */
static int script_ok(const char *script)
{
    struct stat st;
    if (stat(script, &st) < 0) {
        fprintf(stderr, "luaflet: error: no script at %s (%s)\n", script, strerror(errno));
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr,
                "luaflet: error: %s is a folder: give the app's Lua script, such as %s/main.lua\n",
                script, script);
        return 0;
    }
    return 1;
}

/* SIGTERM drains (what a service manager sends to end a service, or the front under
 * --workers): the tabs open may finish what they do. SIGINT and SIGHUP, a person at a
 * terminal, stop at once. */
static void on_stop(uv_async_t *h)
{
    (void)h;
    if (stop_signum == SIGTERM && drain_timeout > 0)
        core_drain(drain_timeout);
    else
        core_stop();
}

/* Under --workers, the front went away: nothing can reach this worker any more. */
static void on_front_gone(void) { core_stop(); }

/* How many processes --workers asks for (1 when not given). */
static int workers_wanted(const options *o)
{
    const char *v = option(o, "workers");
    if (!v)
        return 1;
    if (strcmp(v, "auto") == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
    }
    return atoi(v);
}

/* Runs the front of --workers N (front.h). */
static int run_front(const options *o, int workers)
{
    if (option(o, "reload")) {
        fprintf(stderr, "luaflet: --reload runs one process: drop --workers while developing\n");
        return 2;
    }
    const char *route = option(o, "route-id");
    if (route && strlen(route) > 32 - 6) {
        fprintf(stderr,
                "luaflet: with --workers, --route-id takes up to 26 characters (each "
                "worker's adds -wN)\n");
        return 2;
    }
    const char *timeout = option(o, "handshake-timeout");
    front_conf conf = {
        .workers = workers,
        .route_base = route ? route : "",
        .argv = o->worker_argv,
        .handshake_timeout = timeout ? strtod(timeout, NULL) : options_default("handshake-timeout"),
    };
    return front_run(&conf);
}

/* mkdir(path) -> true, or nil and why not   [-1, +1..2, -] */
static int l_mkdir(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    if (mkdir(path, 0777) == 0) {
        lua_pushboolean(L, 1);
        return 1;
    }
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path, strerror(errno));
    return 2;
}

/* `luaflet new NAME`: makes a new app's folder (lua/flet/template.lua writes it), whose
 * .busted finds this build's Lua library and C core: the library beside the executable as
 * setup_lua() finds it, and core.so under the executable's folder as the build puts it. */
static int new_app(int argc, char **argv, const char *bindir)
{
    if (argc != 3 || argv[2][0] == '-') {
        fprintf(stderr, "usage: luaflet new NAME\n");
        return 2;
    }
    char path[PATH_MAX + 8], luadir[PATH_MAX];
    snprintf(path, sizeof path, "%s/../lua", bindir);
    if (!realpath(path, luadir)) {
        fprintf(stderr, "luaflet: no Lua library at %s\n", path);
        return 1;
    }
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_getglobal(L, "package");
    lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", luadir, luadir);
    lua_setfield(L, -2, "path");
    lua_pop(L, 1);
    int status = 1;
    lua_getglobal(L, "require");
    lua_pushliteral(L, "flet.template");
    if (lua_pcall(L, 1, 1, 0) == LUA_OK) {
        lua_getfield(L, -1, "new"); /* stack: template new */
        lua_pushstring(L, argv[2]);
        lua_pushstring(L, luadir);
        lua_pushfstring(L, "%s/lua", bindir);
        lua_pushcfunction(L, l_mkdir);
        if (lua_pcall(L, 4, 2, 0) == LUA_OK && lua_toboolean(L, -2))
            status = 0;
    }
    if (status)
        fprintf(stderr, "luaflet new: %s\n", lua_tostring(L, -1));
    else
        printf("made %s: cd %s && luaflet main.lua --reload, and busted to test it\n", argv[2],
               argv[2]);
    lua_close(L);
    return status;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "new") == 0) {
        char dir[PATH_MAX];
        if (exe_dir(dir, sizeof dir) < 0) {
            fprintf(stderr, "luaflet: cannot find where the executable is\n");
            return 1;
        }
        return new_app(argc, argv, dir);
    }
    options o = {0};
    if (parse_args(argc, argv, &o) < 0 || !script_ok(o.script)) {
        free_options(&o);
        return 2;
    }
    const char *log_format = option(&o, "log-format");
    if (log_format && strcmp(log_format, "json") != 0 && strcmp(log_format, "text") != 0) {
        fprintf(stderr, "luaflet: --log-format takes text or json, not %s\n", log_format);
        free_options(&o);
        return 2;
    }
    log_set_json(log_format && strcmp(log_format, "json") == 0);
    char bindir[PATH_MAX];
    if (exe_dir(bindir, sizeof bindir) < 0) {
        fprintf(stderr, "luaflet: cannot find where the executable is\n");
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    /* Each session is a socket (and, in the front of --workers, each connection it has yet
     * to hand on): the soft limit on open files (often 1024) is raised to the hard one, so
     * that thousands of sessions fit. */
    struct rlimit files;
    if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }

    const char *drain = option(&o, "drain-timeout");
    drain_timeout = drain ? strtod(drain, NULL) : options_default("drain-timeout");
    const char *front_fd = getenv(FRONT_ENV);
    int workers = workers_wanted(&o);
    if (front_fd) {
        /* A worker: its connections come from the front, and its lines name it. */
        listen_use_front(atoi(front_fd), option(&o, "route-id"), on_front_gone);
        unsetenv(FRONT_ENV);
        log_set_tag(option(&o, "route-id"));
    } else if (workers > 1) {
        int status = run_front(&o, workers);
        free_options(&o);
        return status;
    }
    /* glibc keeps small freed blocks in "fast bins" and merges them all the next time a
     * larger block is asked for. A collector's sweep frees a million small Lua objects at a
     * time, and the one merge that follows held the loop for tens of milliseconds: without
     * fast bins, small blocks go back through the per-thread cache and are merged as they
     * are freed, a little at a time. Two runs each way of the 1,000-session counter (loadgen)
     * showed no difference in CPU per event beyond the runs' noise. */
    mallopt(M_MXFAST, 0);
    uv_loop_t loop;
    uv_loop_init(&loop);
    lua_State *L = luaheap_newstate();
    luaL_openlibs(L);
    core_init(&loop, L);
    gcpace_start(&loop, L);
    const char *level = option(&o, "log-level");
    if (level) {
        enum log_level l;
        log_parse_level(level, &l);
        log_set_level(l);
    }
    int debug = option(&o, "debug") != NULL;
    const char *limit = option(&o, "task-time-limit");
    watchdog_configure(limit ? strtod(limit, NULL) : options_default("task-time-limit"),
                       debug ? 0.1 : 0);
    if (debug)
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
        log_printf(LOG_WARN,
                   "no task watchdog (%s): a task that never awaits cannot be "
                   "interrupted",
                   uv_strerror(wrc));

    int status = 0;
    lua_pushcfunction(L, core_traceback);
    if (luaL_loadfile(L, o.script) != LUA_OK || lua_pcall(L, 0, 0, -2) != LUA_OK) {
        log_printf(LOG_ERROR, "%s", lua_tostring(L, -1));
        status = 1;
    } else if (!app_served(L)) {
        log_printf(LOG_ERROR, "%s: the script ended without calling ft.app (nothing was served)",
                   o.script);
        status = 1;
    } else {
        status = core_exit_status();
    }
    lua_settop(L, 0);

    stop_async_open = 0;
    uv_close((uv_handle_t *)&stop_async, NULL);
    core_close();
    watchdog_stop();
    gcpace_stop();
    lua_close(L);
    luaheap_release();
    intern_free_all();
    uv_run(&loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&loop);
    if (rc != 0) {
        log_printf(LOG_ERROR, "the loop still had open handles at exit (%s)", uv_err_name(rc));
        status = status ? status : 1;
    } else {
        log_printf(LOG_DEBUG, "loop closed cleanly");
    }
    free_options(&o);
    return status;
}
