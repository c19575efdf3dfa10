#include "options.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#define N(name, key, arg, def, min, max, help)                      \
    {                                                               \
        name, key, OPTION_NUMBER, arg, def, NULL, min, max, 1, help \
    }
#define T(name, key, arg, def, help)                       \
    {                                                      \
        name, key, OPTION_TEXT, arg, 0, def, 0, 0, 1, help \
    }

const option_def options_table[] = {
    T("host", "host", "HOST", "127.0.0.1", "address to listen on"),
    N("port", "port", "PORT", 8550, 0, 65535, "port to listen on (0: any free one)"),
    {"log-level", "log_level", OPTION_LEVEL, "LEVEL", 0, "info", 0, 0, 0,
     "error, warn, info or debug"},
    {"log-format", "log_format", OPTION_TEXT, "FORMAT", 0, "text", 0, 0, 0,
     "text (\"luaflet: LEVEL: message\") or json (an object a line: time, level, msg)"},
    {"debug", "debug", OPTION_FLAG, NULL, 0, NULL, 0, 0, 0,
     "warn when a task runs over 100 ms without awaiting (with its name and where it is),\n"
     "and send error details to clients"},
    {"reload", "reload", OPTION_FLAG, NULL, 0, NULL, 0, 0, 0,
     "watch the script and the modules it loads from its folder, and rebuild every open\n"
     "page with the new code when one changes; errors show in the page as with --debug"},
    {"task-time-limit", "task_time_limit", OPTION_NUMBER, "SECS", 5, NULL, 0, 1e6, 0,
     "interrupt a task that runs this long without awaiting, with an error at the line it\n"
     "is on (0: never)"},
    N("session-timeout", "session_timeout", "SECS", 3600, 0, 1e9,
      "keep a session whose socket dropped this long"),
    N("max-sessions", "max_sessions", "N", 20000, 1, 1e9,
      "sessions at once, and WebSockets open at once; the session detached longest makes\n"
      "room"),
    N("max-sessions-per-ip", "max_sessions_per_ip", "N", 100, 0, 1e9,
      "the same for one client address (an IPv6 /64), which also counts its detached\n"
      "sessions (0: no cap)"),
    N("handshake-rate", "handshake_rate", "N", 10, 0, 1e9,
      "WebSocket handshakes a second one address may keep up, in bursts of five seconds'\n"
      "worth (0: no limit)"),
    {"trust-proxy", "trust_proxy", OPTION_FLAG, NULL, 0, NULL, 0, 0, 1,
     "count clients by the last address of X-Forwarded-For (only behind a proxy that sets\n"
     "it, such as nginx)"},
    N("max-detached-memory", "max_detached_memory", "BYTES", 268435456, 0, 1e15,
      "memory all detached sessions may hold; the oldest end first past it"),
    N("max-message", "max_message", "BYTES", 65536, 16, 1 << 30,
      "largest message a client may send"),
    N("max-send-queue", "max_send_queue", "BYTES", 4194304, 1024, 1e12,
      "unsent bytes past which a client that stopped reading is dropped"),
    N("event-rate", "event_rate", "N", 100, 0, 1e9,
      "messages a second a client may keep sending (0: no limit); the excess is dropped"),
    N("event-burst", "event_burst", "N", 200, 1, 1e9, "messages a client may send at once"),
    N("ping-interval", "ping_interval", "SECS", 30, 0, 65535,
      "ping a socket idle this long (0: never)"),
    N("ping-timeout", "ping_timeout", "SECS", 60, 1, 65535, "drop a socket silent this long"),
    N("handshake-timeout", "handshake_timeout", "SECS", 10, 1, 3600,
      "time an HTTP request or handshake has to arrive, and a new WebSocket has to\n"
      "register its session"),
    N("keepalive-timeout", "keepalive_timeout", "SECS", 15, 1, 3600,
      "close an HTTP connection idle this long after an answer; one connection serves at\n"
      "most 100 requests"),
    {"allow-origin", "allow_origins", OPTION_LIST, "ORIGIN", 0, NULL, 0, 0, 1,
     "also accept WebSockets from pages of ORIGIN, such as https://example.com\n"
     "(repeatable; default: same origin only)"},
    {"metrics", "metrics", OPTION_FLAG, NULL, 0, NULL, 0, 0, 1,
     "answer GET /metrics (Prometheus's text format) to clients on this machine"},
    {"metrics-public", "metrics_public", OPTION_FLAG, NULL, 0, NULL, 0, 0, 1,
     "answer it to any client (put the port behind a firewall)"},
    T("assets-dir", "assets_dir", "DIR", NULL, "serve the files of DIR too"),
    T("upload-dir", "upload_dir", "DIR", NULL,
      "take files browsers upload (page:get_upload_url) into DIR, made if missing\n"
      "(default: uploads are off)"),
    N("max-upload", "max_upload", "BYTES", 104857600, 0, 1e15,
      "largest file a browser may upload; a larger one is refused"),
    {"route-id", "route_id", OPTION_TEXT, "ID", 0, "", 0, 0, 0,
     "this host's name among several behind a proxy (letters, digits, - and _, up to 32):\n"
     "its session tokens start with it, and a tab that reconnects asks the proxy for it\n"
     "(see --print-nginx-config)"},
    {"workers", "workers", OPTION_TEXT, "N|auto", 0, "1", 0, 0, 0,
     "serve the port from N processes, each running the app (auto: one per core); a tab\n"
     "always comes back to the one that holds its session, and one that dies is started\n"
     "again (no TLS: put nginx in front for https)"},
    {"drain-timeout", "drain_timeout", OPTION_NUMBER, "SECS", 30, NULL, 0, 1e6, 0,
     "on SIGTERM, take no new connections and wait this long for open sessions to end\n"
     "before closing them (0: close them at once, as SIGINT and SIGHUP do)"},
    {"route-url-strategy", "route_url_strategy", OPTION_CHOICE, "path|hash", 0, "path", 0, 0, 1,
     "where the browser's address holds the app's route: its path (/store) or its fragment\n"
     "(/#/store)"},
    T("csp", "csp", "POLICY", NULL,
      "the Content-Security-Policy pages are served with, in place of the default (which\n"
      "admits images over https and nothing else from elsewhere)"),
    T("redis", "redis", "URL", NULL,
      "carry page.pubsub to the other processes of the app through the Redis at\n"
      "redis://HOST:PORT[/DB], and keep ft.kv there; without it, both stay in this process"),
    T("redis-prefix", "redis_prefix", "PREFIX", NULL,
      "put before every Redis channel and key of the app, so that apps sharing one Redis\n"
      "keep apart; without it, the script's file name without .lua, then ':'"),
    N("redis-timeout", "redis_timeout", "SECS", 5, 0.1, 3600,
      "time Redis has to answer a command, and to answer the ping sent on a connection\n"
      "idle this long; past it, the command fails and the connection is made again"),
    T("certfile", "certfile", "FILE", NULL, "serve https and wss with this certificate (PEM)..."),
    T("keyfile", "keyfile", "FILE", NULL, "...and this private key (PEM)"),
    {NULL, NULL, OPTION_FLAG, NULL, 0, NULL, 0, 0, 0, NULL},
};

const option_def *options_find(const char *name)
{
    for (const option_def *d = options_table; d->name; d++)
        if (strcmp(d->name, name) == 0 || strcmp(d->key, name) == 0)
            return d;
    return NULL;
}

double options_default(const char *name)
{
    const option_def *d = options_find(name);
    if (!d || d->kind != OPTION_NUMBER)
        abort();
    return d->def;
}

/* Writes text from column 27, wrapped before column 92. */
static void put_wrapped(FILE *out, const char *text)
{
    enum { INDENT = 27, WIDTH = 92 };
    int col = INDENT;
    const char *p = text;
    while (*p) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t n = strcspn(p, " \n");
        if (!n)
            break;
        if (col > INDENT && col + 1 + (int)n > WIDTH) {
            fprintf(out, "\n%*s", INDENT, "");
            col = INDENT;
        } else if (col > INDENT) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += (int)n;
        p += n;
    }
    fputc('\n', out);
}

void options_print_help(FILE *out)
{
    for (const option_def *d = options_table; d->name; d++) {
        char flag[64], text[512];
        snprintf(flag, sizeof flag, "--%s%s%s", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
        if (strlen(flag) > 24)
            fprintf(out, "  %s\n  %-24s ", flag, "");
        else
            fprintf(out, "  %-24s ", flag);
        size_t n = (size_t)snprintf(text, sizeof text, "%s", d->help);
        const char *sep = " (";
        if (d->kind == OPTION_NUMBER)
            n += (size_t)snprintf(text + n, sizeof text - n, "%sdefault %.15g", sep, d->def),
                sep = "; ";
        else if (d->def_text)
            n += (size_t)snprintf(text + n, sizeof text - n, "%sdefault %s", sep, d->def_text),
                sep = "; ";
        if (d->app)
            n +=
                (size_t)snprintf(text + n, sizeof text - n, "%salso ft.app{%s = ...}", sep, d->key),
                sep = "; ";
        if (strcmp(sep, " (") != 0)
            snprintf(text + n, sizeof text - n, ")");
        put_wrapped(out, text);
    }
}

int options_choice_ok(const option_def *d, const char *v)
{
    size_t n = strlen(v);
    for (const char *p = d->arg; n && *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && strncmp(p, v, n) == 0)
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

static const char *const kind_names[] = {"flag", "number", "text", "level", "list", "choice"};

void options_push_tables(lua_State *L)
{
    lua_newtable(L); /* the defaults */
    lua_newtable(L); /* the table */
    for (const option_def *d = options_table; d->name; d++) {
        switch (d->kind) {
        case OPTION_FLAG:
            lua_pushboolean(L, 0);
            break;
        case OPTION_NUMBER:
            if ((double)(lua_Integer)d->def == d->def)
                lua_pushinteger(L, (lua_Integer)d->def);
            else
                lua_pushnumber(L, d->def);
            break;
        case OPTION_LIST:
            lua_newtable(L);
            break;
        default:
            if (d->def_text)
                lua_pushstring(L, d->def_text);
            else
                lua_pushnil(L);
        }
        lua_pushvalue(L, -1);
        lua_setfield(L, -4, d->key); /* stack: defaults table value */
        lua_createtable(L, 0, 7);
        lua_insert(L, -2);
        lua_setfield(L, -2, "default");
        lua_pushstring(L, kind_names[d->kind]);
        lua_setfield(L, -2, "kind");
        lua_pushnumber(L, d->min);
        lua_setfield(L, -2, "min");
        lua_pushnumber(L, d->max);
        lua_setfield(L, -2, "max");
        lua_pushboolean(L, d->app);
        lua_setfield(L, -2, "app");
        lua_pushstring(L, d->name);
        lua_setfield(L, -2, "flag");
        if (d->kind == OPTION_CHOICE) {
            lua_newtable(L);
            int i = 0;
            for (const char *p = d->arg; *p;) {
                size_t len = strcspn(p, "|");
                lua_pushlstring(L, p, len);
                lua_rawseti(L, -2, ++i);
                p += len + (p[len] == '|');
            }
            lua_setfield(L, -2, "choices");
        }
        lua_setfield(L, -2, d->key);
    }
}
