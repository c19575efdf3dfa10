#include "server.h"

#include <lauxlib.h>
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sched.h"
#include "ws.h"

#define SERVER_MT "luaflet.server"
#define DEFAULT_MAX_MESSAGE (64 * 1024)
#define DEFAULT_MAX_SEND_QUEUE (4 * 1024 * 1024)
#define DEFAULT_EVENT_RATE 100
#define DEFAULT_EVENT_BURST 200
#define DEFAULT_PING_INTERVAL 30
#define DEFAULT_PING_TIMEOUT 60
#define DEFAULT_HANDSHAKE_TIMEOUT 10
#define DEFAULT_KEEPALIVE_TIMEOUT 15

/* Owned by the list of servers from core.serve() until server_close_all() frees it; Lua holds
 * a box that points here. */
struct server {
    struct lws_context *ctx; /* set to NULL by lws when its destruction completes */
    struct lws_protocols protocols[2];
    char *roots[3]; /* real paths: the client's folder, the app's assets folder or NULL */
    char **allow_origins; /* NULL-terminated; owned */
    char *host;
    int port;
    int tls;
    server_limits limits;
    lws_retry_bo_t idle; /* the heartbeat: ping a silent socket, then hang it up */
    int on_message_ref, on_close_ref;
    struct lws_vhost *vhost;
    int stopped;
    int going_away; /* stopped, waiting for its connections to close */
    int finished;   /* stopped and its context destroyed */
    int nconns;
    uv_timer_t grace; /* bounds the wait for connections to close; closed with the server */
    int failed; /* never served: kept only until its context is gone */
    sched_task *waiter;
    struct server_box *box; /* the Lua handle, NULL once collected */
    server *next;
};

typedef struct server_box {
    server *s;
} server_box;

static server *servers;

int server_on_message_ref(const server *s) { return s->on_message_ref; }
int server_on_close_ref(const server *s) { return s->on_close_ref; }
const server_limits *server_get_limits(const server *s) { return &s->limits; }
const char *const *server_roots(const server *s) { return (const char *const *)s->roots; }

/* What every HTTP response carries: no inline script or style, nothing from elsewhere, no
 * framing by other sites, no type sniffing, no referrer. */
static const struct lws_protocol_vhost_options header_referrer = {
    NULL, NULL, "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options header_frames = {
    &header_referrer, NULL, "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options header_nosniff = {
    &header_frames, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options header_csp = {
    &header_nosniff, NULL, "content-security-policy:",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"};

/* Whether the host part of a Host header ("name:port", "[v6]:port") is a name this server
 * surely answers to: an IP address, localhost, or its --host. A domain name could have been
 * pointed at us by an attacker's DNS (rebinding), so a page served under one must be allowed
 * with --allow-origin. */
static int trusted_host(const server *s, const char *hostport)
{
    char name[256];
    const char *end;
    if (hostport[0] == '[') {
        hostport++;
        end = strchr(hostport, ']');
    } else {
        end = strrchr(hostport, ':');
    }
    size_t n = end ? (size_t)(end - hostport) : strlen(hostport);
    if (n == 0 || n >= sizeof name)
        return 0;
    memcpy(name, hostport, n);
    name[n] = '\0';
    unsigned char addr[16];
    return strcasecmp(name, "localhost") == 0 || strcasecmp(name, s->host) == 0 ||
           inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1;
}

int server_origin_allowed(const server *s, struct lws *wsi)
{
    char origin[1024], host[512];
    if (lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) <= 0)
        return 1; /* no Origin: not a browser, so no page of another site behind it */
    if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0) {
        log_printf(LOG_WARN, "refused a WebSocket with an Origin too long to check");
        return 0;
    }
    for (char **a = s->allow_origins; a && *a; a++)
        if (strcmp(origin, *a) == 0)
            return 1;
    /* Same origin: our scheme, and the host:port the request was sent to, which must be a
     * name we surely are. */
    const char *scheme = s->tls ? "https://" : "http://";
    size_t sn = strlen(scheme);
    if (strncasecmp(origin, scheme, sn) == 0 &&
        lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) > 0 &&
        strcasecmp(origin + sn, host) == 0 && trusted_host(s, host))
        return 1;
    char safe[LOG_ESCAPE_SIZE];
    log_printf(LOG_WARN, "refused a WebSocket from origin %s",
               log_escape(safe, sizeof safe, origin, strlen(origin)));
    return 0;
}

static void free_server(lua_State *L, server *s)
{
    if (s->box)
        s->box->s = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, s->on_message_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, s->on_close_ref);
    for (int i = 0; i < 2; i++)
        free(s->roots[i]);
    for (char **a = s->allow_origins; a && *a; a++)
        free(*a);
    free(s->allow_origins);
    free(s->host);
    free(s);
}

static void finish(server *s)
{
    if (s->finished)
        return;
    s->finished = 1;
    if (s->failed)
        return;
    uv_timer_stop(&s->grace);
    if (s->ctx)
        lws_context_destroy(s->ctx);
    log_printf(LOG_INFO, "stopped serving http://%s:%d", s->host, s->port);
    if (s->waiter) {
        sched_task *t = s->waiter;
        s->waiter = NULL;
        sched_wake(t, 0);
    }
}

static void grace_over(uv_timer_t *h)
{
    server *s = h->data;
    if (s->nconns)
        log_printf(LOG_WARN, "%d connections did not close in time", s->nconns);
    finish(s);
}

static void stop(server *s)
{
    if (s->stopped || s->failed)
        return;
    s->stopped = 1;
    if (!s->ctx || !s->nconns) {
        finish(s);
        return;
    }
    /* Each socket is written what it has queued, then closed with 1001 (going away); the
     * context goes once the last has closed, or after two seconds whatever happens. */
    s->going_away = 1;
    log_printf(LOG_INFO, "closing %d connections", s->nconns);
    lws_callback_on_writable_all_protocol_vhost(
        s->vhost, lws_vhost_name_to_protocol(s->vhost, s->protocols[0].name));
    uv_timer_start(&s->grace, grace_over, 2000, 0);
}

void server_conn_delta(server *s, int delta)
{
    s->nconns += delta;
    /* Not from inside this lws callback: the context is destroyed on the next turn. */
    if (s->going_away && s->nconns == 0)
        uv_timer_start(&s->grace, grace_over, 0, 0);
}

int server_going_away(const server *s) { return s->going_away; }

int server_any_running(void)
{
    for (server *s = servers; s; s = s->next)
        if (!s->finished && !s->failed)
            return 1;
    return 0;
}

void server_stop_all(void)
{
    for (server *s = servers; s; s = s->next)
        stop(s);
}

static void server_closed(uv_handle_t *h)
{
    free_server(sched_state(), h->data);
}

void server_close_all(void)
{
    while (servers) {
        server *s = servers;
        servers = s->next;
        stop(s);
        finish(s);
        /* lws finishes destroying a context on a foreign loop in two steps; the second call
         * releases what the first left for the loop to close. */
        if (s->ctx)
            lws_context_destroy(s->ctx);
        uv_close((uv_handle_t *)&s->grace, server_closed);
    }
}

/* ------------------------------------------------------------------- Lua */

static server *check_server(lua_State *L)
{
    server_box *b = luaL_checkudata(L, 1, SERVER_MT);
    if (!b->s)
        luaL_error(L, "server is closed");
    return b->s;
}

static void wait_cleanup(sched_task *t)
{
    server *s = sched_await_data(t);
    if (s->waiter == t)
        s->waiter = NULL;
}

/* server:wait(): yields until the server stops   [-0, +0, e] */
static int l_wait(lua_State *L)
{
    server *s = check_server(L);
    sched_task *t = sched_await_begin(L, "server:wait");
    if (s->stopped)
        return 0;
    if (s->waiter)
        return luaL_error(L, "another task already waits for this server");
    s->waiter = t;
    lua_settop(L, 0);
    return sched_await(L, t, wait_cleanup, s);
}

/* server:stop()   [-0, +0, -] */
static int l_stop(lua_State *L)
{
    stop(check_server(L));
    return 0;
}

/* server:port() -> integer   [-0, +1, -] */
static int l_port(lua_State *L)
{
    lua_pushinteger(L, check_server(L)->port);
    return 1;
}

static int field_int(lua_State *L, const char *key, int def)
{
    lua_getfield(L, 1, key);
    int v = lua_isnil(L, -1) ? def : (int)luaL_checkinteger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* A number field of the options table, def when absent; raises unless min <= it <= max. */
static double field_num(lua_State *L, const char *key, double def, double min, double max)
{
    lua_getfield(L, 1, key);
    double v = lua_isnil(L, -1) ? def : luaL_checknumber(L, -1);
    lua_pop(L, 1);
    if (!(v >= min && v <= max))
        luaL_error(L, "serve: '%s' must be from %f to %f", key, min, max);
    return v;
}

static int field_ref(lua_State *L, const char *key)
{
    if (lua_getfield(L, 1, key) != LUA_TFUNCTION)
        luaL_error(L, "serve: '%s' must be a function", key);
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* core.serve{host=, port=, client_dir=, assets_dir=, on_message=, on_close=, max_message=,
 *             max_send_queue=, event_rate=, event_burst=, ping_interval=, ping_timeout=,
 *             handshake_timeout=, keepalive_timeout=, allow_origins = {ORIGIN...},
 *             certfile=, keyfile=}
 *   -> server, or nil, err   [-0, +1|2, e]
 * Times are in seconds; a ping_interval of 0 sends no pings, an event_rate of 0 sets no
 * limit. */
static int l_serve(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "host");
    const char *host = luaL_optstring(L, -1, "127.0.0.1");
    lua_getfield(L, 1, "client_dir");
    const char *dir = luaL_checkstring(L, -1);
    int port = field_int(L, "port", 8550);
    if (port <= 0 || port > 65535)
        return luaL_error(L, "serve: port %d is out of range", port);
    char real[PATH_MAX], assets[PATH_MAX];
    if (!realpath(dir, real)) {
        lua_pushnil(L);
        lua_pushfstring(L, "client files not found at %s (run make)", dir);
        return 2;
    }
    lua_getfield(L, 1, "assets_dir");
    const char *assets_dir = luaL_optstring(L, -1, NULL);
    if (assets_dir && !realpath(assets_dir, assets)) {
        lua_pushnil(L);
        lua_pushfstring(L, "assets folder not found at %s", assets_dir);
        return 2;
    }
    lua_getfield(L, 1, "certfile");
    const char *certfile = luaL_optstring(L, -1, NULL);
    lua_getfield(L, 1, "keyfile");
    const char *keyfile = luaL_optstring(L, -1, NULL);
    if (!certfile != !keyfile)
        return luaL_error(L, "serve: TLS wants both certfile and keyfile");
    size_t norigins = 0;
    if (lua_getfield(L, 1, "allow_origins") == LUA_TTABLE) {
        norigins = lua_rawlen(L, -1);
        for (size_t i = 1; i <= norigins; i++) {
            int t = lua_rawgeti(L, -1, (lua_Integer)i);
            lua_pop(L, 1);
            if (t != LUA_TSTRING)
                return luaL_error(L, "serve: allow_origins must be a list of origins");
        }
    } else if (!lua_isnil(L, -1)) {
        return luaL_error(L, "serve: allow_origins must be a list of origins");
    }
    int origins_idx = lua_gettop(L);

    server_limits limits = {
        .max_message = (size_t)field_num(L, "max_message", DEFAULT_MAX_MESSAGE, 16, 1 << 30),
        .max_send_queue =
            (size_t)field_num(L, "max_send_queue", DEFAULT_MAX_SEND_QUEUE, 1024, 1e12),
        .event_rate = field_num(L, "event_rate", DEFAULT_EVENT_RATE, 0, 1e9),
        .event_burst = field_num(L, "event_burst", DEFAULT_EVENT_BURST, 1, 1e9),
    };
    int ping_interval = (int)field_num(L, "ping_interval", DEFAULT_PING_INTERVAL, 0, 65535);
    int ping_timeout = (int)field_num(L, "ping_timeout", DEFAULT_PING_TIMEOUT, 1, 65535);
    int handshake_timeout =
        (int)field_num(L, "handshake_timeout", DEFAULT_HANDSHAKE_TIMEOUT, 1, 3600);
    int keepalive_timeout =
        (int)field_num(L, "keepalive_timeout", DEFAULT_KEEPALIVE_TIMEOUT, 1, 3600);
    if (ping_interval && ping_timeout <= ping_interval)
        return luaL_error(L, "serve: ping_timeout must be longer than ping_interval");
    /* Everything that can raise is checked before anything is allocated. */
    for (const char *const *k = (const char *const[]){"on_message", "on_close", NULL}; *k; k++) {
        if (lua_getfield(L, 1, *k) != LUA_TFUNCTION)
            return luaL_error(L, "serve: '%s' must be a function", *k);
        lua_pop(L, 1);
    }
    server *s = calloc(1, sizeof *s);
    if (!s)
        return luaL_error(L, "out of memory");
    uv_timer_init(sched_loop(), &s->grace);
    s->grace.data = s;
    s->roots[0] = strdup(real);
    s->roots[1] = assets_dir ? strdup(assets) : NULL;
    s->allow_origins = calloc(norigins + 1, sizeof *s->allow_origins);
    for (size_t i = 0; s->allow_origins && i < norigins; i++) {
        lua_rawgeti(L, origins_idx, (lua_Integer)i + 1);
        s->allow_origins[i] = strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    s->host = strdup(host);
    s->port = port;
    s->tls = certfile != NULL;
    s->limits = limits;
    /* lws pings a socket idle this long, and hangs up one silent (no data, no pong) this
     * long; browsers answer pings by themselves. */
    s->idle.secs_since_valid_ping = (uint16_t)(ping_interval ? ping_interval : 65535);
    s->idle.secs_since_valid_hangup = (uint16_t)(ping_interval ? ping_timeout : 65535);
    s->on_message_ref = field_ref(L, "on_message");
    s->on_close_ref = field_ref(L, "on_close");

    s->protocols[0].name = "luaflet";
    s->protocols[0].callback = ws_callback;
    s->protocols[0].per_session_data_size = ws_session_size();

    lws_set_log_level(LLL_ERR | LLL_WARN, log_lws_line);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *loops[1] = {sched_loop()};
    /* The vhost is made explicitly: the context's implicit one hides a failed bind. */
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8 |
                   LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    if (certfile)
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.foreign_loops = loops;
    info.pcontext = &s->ctx;
    info.user = s;
    s->ctx = lws_create_context(&info);
    info.port = port;
    info.iface = s->host;
    info.retry_and_idle_policy = &s->idle;
    /* An HTTP request or a WebSocket handshake has this long to arrive whole. */
    info.timeout_secs = (unsigned)handshake_timeout;
    info.timeout_secs_ah_idle = (unsigned)handshake_timeout;
    /* An HTTP connection idle after an answer is closed after this long. */
    info.keepalive_timeout = keepalive_timeout;
    info.protocols = s->protocols;
    info.headers = &header_csp;
    info.ssl_cert_filepath = certfile;
    info.ssl_private_key_filepath = keyfile;
    if (s->ctx)
        s->vhost = lws_create_vhost(s->ctx, &info);
    if (!s->vhost) {
        if (s->ctx)
            lws_context_destroy(s->ctx);
        /* Freed with the others (its timer closed, lws done with its context). */
        s->failed = 1;
        s->next = servers;
        servers = s;
        lua_pushnil(L);
        lua_pushfstring(L, "cannot listen on %s:%d", host, port);
        return 2;
    }
    s->next = servers;
    servers = s;
    log_printf(LOG_INFO, "serving %s://%s:%d", certfile ? "https" : "http", s->host, s->port);

    server_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->s = s;
    s->box = b;
    luaL_setmetatable(L, SERVER_MT);
    return 1;
}

static int l_server_gc(lua_State *L)
{
    server_box *b = luaL_checkudata(L, 1, SERVER_MT);
    if (b->s)
        b->s->box = NULL;
    return 0;
}

void server_register(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"wait", l_wait}, {"stop", l_stop}, {"port", l_port}, {NULL, NULL}};
    if (luaL_newmetatable(L, SERVER_MT)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_server_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, l_serve);
    lua_setfield(L, -2, "serve");
    ws_register(L);
}
