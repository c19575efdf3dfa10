#include "server.h"

#include <lauxlib.h>
#include <libwebsockets.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beat.h"
#include "listen.h"
#include "log.h"
#include "mem.h"
#include "metrics.h"
#include "options.h"
#include "peers.h"
#include "sched.h"
#include "ws.h"

#define SERVER_MT "luaflet.server"

/* Per-socket buffer sizes handed to lws (see where the protocol is set up). */
#define RX_BUFFER 256
#define TX_PACKET (64 * 1024)

/* Owned by the list of servers from core.serve() until server_close_all() frees it; Lua holds
 * a box that points here. */
struct server {
    struct lws_context *ctx; /* set to NULL by lws when its destruction completes */
    struct lws_protocols protocols[2];
    char *roots[3];       /* real paths: the client's folder, the app's assets folder or NULL */
    upload_conf uploads;  /* its dir a real path, owned, or NULL */
    int metrics;          /* GET /metrics answers: 0 nobody, 1 clients on this machine, 2 any */
    char **allow_origins; /* NULL-terminated; owned */
    char *host;
    /* The Content-Security-Policy header: --csp's policy, or the default; `value` is owned
     * when it is --csp's. */
    struct lws_protocol_vhost_options csp;
    int port;
    int tls;
    server_limits limits;
    lws_retry_bo_t idle; /* all zero: lws's own heartbeat is off (see beat.h) */
    beat beat;           /* the heartbeat: ping a silent socket, then hang it up */
    int on_message_ref, on_close_ref;
    int on_ack_ref; /* optional: LUA_NOREF when the app gave no on_ack */
    struct lws_vhost *vhost;
    int stopped;
    int going_away; /* stopped, waiting for its connections to close */
    int draining;   /* not listening, waiting for its connections to end by themselves */
    int finished;   /* stopped and its context destroyed */
    int nconns;
    uv_timer_t grace; /* bounds the wait for connections to close; closed with the server */
    int timers_open;  /* grace and beat's timer, until their close callbacks */
    listener lis;     /* the listening socket: closed when the server stops */
    peers *peers;     /* owned */
    uint64_t refused_full, register_timeouts; /* for /metrics */
    int failed; /* never served: kept only until its context is gone */
    sched_task *waiter;
    struct server_box *box; /* the Lua handle, NULL once collected */
    server *next;
};

typedef struct server_box {
    server *s;
} server_box;

static server *servers;
static void (*drain_done)(void); /* what runs when a drain is over (server_drain_all) */

int server_on_message_ref(const server *s) { return s->on_message_ref; }
int server_on_close_ref(const server *s) { return s->on_close_ref; }
int server_on_ack_ref(const server *s) { return s->on_ack_ref; }
const server_limits *server_get_limits(const server *s) { return &s->limits; }
const char *const *server_roots(const server *s) { return (const char *const *)s->roots; }
const upload_conf *server_uploads(const server *s) { return &s->uploads; }

/* What every HTTP response carries: no inline script or style, nothing from elsewhere but
 * images over https (an app's ft.Image may show any), no framing by other sites, no type
 * sniffing, no referrer. */
static const struct lws_protocol_vhost_options header_referrer = {
    NULL, NULL, "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options header_frames = {&header_referrer, NULL,
                                                                "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options header_nosniff = {
    &header_frames, NULL, "x-content-type-options:", "nosniff"};
static const char default_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' https: data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

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
    peers_free(s->peers);
    if (s->box)
        s->box->s = NULL;
    luaL_unref(L, LUA_REGISTRYINDEX, s->on_message_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, s->on_close_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, s->on_ack_ref);
    for (int i = 0; i < 2; i++)
        free(s->roots[i]);
    free((char *)s->uploads.dir);
    for (char **a = s->allow_origins; a && *a; a++)
        free(*a);
    free(s->allow_origins);
    free(s->host);
    if (s->csp.value != default_csp)
        free((char *)s->csp.value);
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
    beat_stop(&s->beat);
    if (s->ctx)
        lws_context_destroy(s->ctx);
    if (s->lis.via_front)
        log_printf(LOG_INFO, "stopped serving");
    else
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
    s->draining = 0;
    /* No one new: connections that arrive now are refused by the system at once. */
    listen_close(&s->lis);
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

/* The drain is over (its last connection closed, or its time ran out). */
static void drain_over(uv_timer_t *h)
{
    server *s = h->data;
    if (!s->draining || s->stopped)
        return;
    s->draining = 0;
    if (s->nconns)
        log_printf(LOG_INFO, "drain time is up with %d connections open", s->nconns);
    drain_done();
}

void server_drain_all(double seconds, void (*done)(void))
{
    drain_done = done;
    int any = 0;
    for (server *s = servers; s; s = s->next) {
        if (s->stopped || s->failed || s->draining)
            continue;
        s->draining = 1;
        listen_close(&s->lis);
        log_printf(LOG_INFO,
                   "draining: no new connections; waiting up to %g s for %d open ones to end",
                   seconds, s->nconns);
        uv_timer_start(&s->grace, drain_over, s->nconns ? (uint64_t)(seconds * 1000) : 0, 0);
        any = 1;
    }
    if (!any)
        done();
}

void server_conn_delta(server *s, int delta)
{
    s->nconns += delta;
    /* Not from inside this lws callback: the context is destroyed on the next turn. */
    if (s->going_away && s->nconns == 0)
        uv_timer_start(&s->grace, grace_over, 0, 0);
    else if (s->draining && s->nconns == 0)
        uv_timer_start(&s->grace, drain_over, 0, 0);
}

int server_going_away(const server *s) { return s->going_away; }

beat *server_beat(server *s) { return &s->beat; }

struct peers *server_peers(server *s) { return s->peers; }

void server_count_register_timeout(server *s) { s->register_timeouts++; }

int server_admit(server *s, const char *key)
{
    if ((unsigned)s->nconns >= s->limits.max_sockets) {
        s->refused_full++;
        log_printf(LOG_DEBUG, "refused a WebSocket: %d open, the most --max-sessions allows",
                   s->nconns);
        return HTTP_STATUS_SERVICE_UNAVAILABLE;
    }
    int rc = peers_admit(s->peers, key, uv_now(sched_loop()));
    return rc == 0 ? 0 : rc == -1 ? 429 : HTTP_STATUS_SERVICE_UNAVAILABLE;
}

/* Whether the client is on this machine: a loopback peer that no proxy speaks for. */
static int local_client(const server *s, struct lws *wsi)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = (int)lws_get_socket_fd(wsi);
    if (s->limits.trust_proxy && lws_hdr_total_length(wsi, WSI_TOKEN_X_FORWARDED_FOR) > 0)
        return 0;
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return 0;
    if (ss.ss_family == AF_INET)
        return (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
    if (ss.ss_family == AF_INET6) {
        const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return 0;
}

/* Answers GET /healthz: 200 while the server serves, 503 once it is stopping. */
static int healthz(server *s, struct lws *wsi)
{
    const char *body = s->going_away ? "stopping\n" : "ok\n";
    int n = (int)strlen(body);
    unsigned char head[LWS_PRE + 512];
    unsigned char *p = head + LWS_PRE, *end = head + sizeof head;
    if (lws_add_http_common_headers(wsi, s->going_away || s->draining ? 503 : HTTP_STATUS_OK,
                                    "text/plain; charset=utf-8", (lws_filepos_t)n, &p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
                                     (const unsigned char *)"no-store", 8, &p, end) ||
        lws_finalize_write_http_header(wsi, head + LWS_PRE, &p, end))
        return -1;
    unsigned char out[LWS_PRE + 16];
    memcpy(out + LWS_PRE, body, (size_t)n);
    if (lws_write(wsi, out + LWS_PRE, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int server_metrics(server *s, struct lws *wsi)
{
    char uri[16];
    if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) <= 0)
        return 1;
    if (strcmp(uri, "/healthz") == 0) {
        lws_rx_flow_control(wsi, 1); /* static_request paused reading until the answer */
        return healthz(s, wsi);
    }
    if (strcmp(uri, "/metrics") != 0 || !s->metrics || (s->metrics == 1 && !local_client(s, wsi)))
        return 1;
    lws_rx_flow_control(wsi, 1);
    uint64_t tracked, over_rate, at_cap;
    peers_figures(s->peers, &tracked, &over_rate, &at_cap);
    unsigned char out[LWS_PRE + 4096];
    char *body = (char *)out + LWS_PRE;
    size_t size = sizeof out - LWS_PRE;
    int n = snprintf(
        body, size,
        "# Luaflet host figures (docs/protocol.md, \"What the host promises\").\n"
        "luaflet_websockets_open %d\n"
        "luaflet_connections_accepted_total %llu\n"
        "luaflet_fd_limit_hits_total %llu\n"
        "luaflet_fd_limit_refused_total %llu\n"
        "luaflet_websockets_refused_full_total %llu\n"
        "luaflet_websockets_refused_rate_total %llu\n"
        "luaflet_websockets_refused_per_ip_total %llu\n"
        "luaflet_register_timeouts_total %llu\n"
        "luaflet_addresses_tracked %llu\n",
        s->nconns, (unsigned long long)s->lis.accepted, (unsigned long long)s->lis.fd_limit_hits,
        (unsigned long long)s->lis.refused_at_limit, (unsigned long long)s->refused_full,
        (unsigned long long)over_rate, (unsigned long long)at_cap,
        (unsigned long long)s->register_timeouts, (unsigned long long)tracked);
    if (n < 0 || (size_t)n >= size)
        return -1;
    n += (int)metrics_write(body + n, size - (size_t)n);
    unsigned char head[LWS_PRE + 512];
    unsigned char *p = head + LWS_PRE, *end = head + sizeof head;
    if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, "text/plain; version=0.0.4",
                                    (lws_filepos_t)n, &p, end) ||
        lws_finalize_write_http_header(wsi, head + LWS_PRE, &p, end) ||
        lws_write(wsi, (unsigned char *)body, (size_t)n, LWS_WRITE_HTTP_FINAL) != n)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

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

/* A server is freed once both its timers and its listener have closed, in any order. */
static void server_closed(uv_handle_t *h)
{
    server *s = h->data;
    if (--s->timers_open == 0 && s->lis.open_handles == 0)
        free_server(sched_state(), s);
}

static void listener_closed(listener *l)
{
    server *s = (server *)((char *)l - offsetof(server, lis));
    if (s->timers_open == 0)
        free_server(sched_state(), s);
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
        listen_close(&s->lis);
        uv_close((uv_handle_t *)&s->grace, server_closed);
        uv_close(beat_handle(&s->beat), server_closed);
    }
}

int server_adopt(server *s, int fd)
{
    if (s->stopped || s->failed) {
        close(fd);
        return -1;
    }
    /* lws owns fd from here, and closes it if it cannot take it. */
    return lws_adopt_socket_vhost(s->vhost, fd) ? 0 : -1;
}

/* ------------------------------------------------------------------- Lua */

server *server_check(lua_State *L, int idx)
{
    server_box *b = luaL_checkudata(L, idx, SERVER_MT);
    if (!b->s)
        luaL_error(L, "server is closed");
    return b->s;
}

static server *check_server(lua_State *L) { return server_check(L, 1); }

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
    return sched_await(L, t, wait_cleanup, s, NULL);
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

/* A number field of the options table that is one of the host's options (options.c): its
 * default and range come from there. */
static double field_option(lua_State *L, const char *key, const char *option)
{
    const option_def *d = options_find(option);
    return field_num(L, key, d->def, d->min, d->max);
}

static int field_ref(lua_State *L, const char *key)
{
    if (lua_getfield(L, 1, key) != LUA_TFUNCTION)
        luaL_error(L, "serve: '%s' must be a function", key);
    return luaL_ref(L, LUA_REGISTRYINDEX);
}

/* core.serve{host=, port=, client_dir=, assets_dir=, on_message=, on_close=, on_ack=, max_message=,
 *             max_send_queue=, event_rate=, event_burst=, ping_interval=, ping_timeout=,
 *             handshake_timeout=, keepalive_timeout=, allow_origins = {ORIGIN...},
 *             certfile=, keyfile=}
 *   -> server, or nil, err   [-0, +1|2, e]
 * A port of 0 lets the OS choose a free one (server:port() says which). Times are in
 * seconds; a ping_interval of 0 sends no pings, an event_rate of 0 sets no limit. */
static int l_serve(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_getfield(L, 1, "host");
    const char *host = luaL_optstring(L, -1, options_find("host")->def_text);
    lua_getfield(L, 1, "client_dir");
    const char *dir = luaL_checkstring(L, -1);
    int port = field_int(L, "port", (int)options_default("port"));
    if (port < 0 || port > 65535)
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
    /* The upload folder is made if it is not there yet, as an app's first run expects. */
    lua_getfield(L, 1, "upload_dir");
    const char *upload_dir = luaL_optstring(L, -1, NULL);
    char uploads[PATH_MAX];
    if (upload_dir && mkdir(upload_dir, 0755) < 0 && errno != EEXIST) {
        lua_pushnil(L);
        lua_pushfstring(L, "cannot make the upload folder %s: %s", upload_dir, strerror(errno));
        return 2;
    }
    if (upload_dir && !realpath(upload_dir, uploads)) {
        lua_pushnil(L);
        lua_pushfstring(L, "upload folder not found at %s", upload_dir);
        return 2;
    }
    double max_upload = field_option(L, "max_upload", "max-upload");
    lua_getfield(L, 1, "metrics");
    const char *metrics = luaL_optstring(L, -1, NULL);
    if (metrics && strcmp(metrics, "local") != 0 && strcmp(metrics, "any") != 0)
        return luaL_error(L, "serve: metrics must be \"local\" or \"any\"");
    lua_getfield(L, 1, "certfile");
    const char *certfile = luaL_optstring(L, -1, NULL);
    lua_getfield(L, 1, "keyfile");
    const char *keyfile = luaL_optstring(L, -1, NULL);
    if (!certfile != !keyfile)
        return luaL_error(L, "serve: TLS wants both certfile and keyfile");
    lua_getfield(L, 1, "csp");
    const char *csp = luaL_optstring(L, -1, NULL);
    /* A header value on one line: a line break would let the policy write other headers. */
    if (csp && (strpbrk(csp, "\r\n") || !*csp))
        return luaL_error(L, "serve: the Content-Security-Policy must be one non-empty line");
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
        .max_message = (size_t)field_option(L, "max_message", "max-message"),
        .max_send_queue = (size_t)field_option(L, "max_send_queue", "max-send-queue"),
        .event_rate = field_option(L, "event_rate", "event-rate"),
        .event_burst = field_option(L, "event_burst", "event-burst"),
        .max_sockets = (unsigned)field_option(L, "max_sockets", "max-sessions"),
    };
    unsigned per_ip = (unsigned)field_option(L, "max_sockets_per_ip", "max-sessions-per-ip");
    double handshake_rate = field_option(L, "handshake_rate", "handshake-rate");
    lua_getfield(L, 1, "trust_proxy");
    limits.trust_proxy = lua_toboolean(L, -1);
    lua_pop(L, 1);
    int ping_interval = (int)field_option(L, "ping_interval", "ping-interval");
    int ping_timeout = (int)field_option(L, "ping_timeout", "ping-timeout");
    int handshake_timeout = (int)field_option(L, "handshake_timeout", "handshake-timeout");
    int keepalive_timeout = (int)field_option(L, "keepalive_timeout", "keepalive-timeout");
    if (ping_interval && ping_timeout <= ping_interval)
        return luaL_error(L, "serve: ping_timeout must be longer than ping_interval");
    limits.register_timeout = handshake_timeout;
    /* Everything that can raise is checked before anything is allocated. */
    for (const char *const *k = (const char *const[]){"on_message", "on_close", NULL}; *k; k++) {
        if (lua_getfield(L, 1, *k) != LUA_TFUNCTION)
            return luaL_error(L, "serve: '%s' must be a function", *k);
        lua_pop(L, 1);
    }
    server *s = mem_calloc(1, sizeof *s);
    s->on_message_ref = s->on_close_ref = s->on_ack_ref = LUA_NOREF;
    uv_timer_init(sched_loop(), &s->grace);
    s->grace.data = s;
    /* A socket is pinged when it has sent no pong for ping_interval, and hung up when none
     * came for ping_timeout; browsers answer pings by themselves. */
    beat_init(&s->beat, sched_loop(), (uint64_t)ping_interval * 1000, (uint64_t)ping_timeout * 1000,
              ws_ping, ws_ping_overdue);
    beat_handle(&s->beat)->data = s;
    s->timers_open = 2;
    s->roots[0] = mem_strdup(real);
    s->roots[1] = assets_dir ? mem_strdup(assets) : NULL;
    s->uploads.dir = upload_dir ? mem_strdup(uploads) : NULL;
    s->uploads.max = (uint64_t)max_upload;
    s->metrics = !metrics ? 0 : strcmp(metrics, "any") == 0 ? 2 : 1;
    if (s->metrics)
        metrics_start(sched_loop());
    s->allow_origins = mem_calloc(norigins + 1, sizeof *s->allow_origins);
    for (size_t i = 0; i < norigins; i++) {
        lua_rawgeti(L, origins_idx, (lua_Integer)i + 1);
        s->allow_origins[i] = mem_strdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    s->host = mem_strdup(host);
    s->csp.next = &header_nosniff;
    s->csp.name = "content-security-policy:";
    s->csp.value = csp ? mem_strdup(csp) : default_csp;
    s->port = port;
    s->peers = peers_new(handshake_rate, per_ip);
    char why[256];
    if (listen_open(&s->lis, sched_loop(), host, port, listener_closed, why, sizeof why) < 0) {
        s->failed = 1;
        s->next = servers;
        servers = s;
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    s->tls = certfile != NULL;
    s->limits = limits;
    s->on_message_ref = field_ref(L, "on_message");
    s->on_close_ref = field_ref(L, "on_close");
    if (lua_getfield(L, 1, "on_ack") == LUA_TFUNCTION)
        s->on_ack_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    else
        lua_pop(L, 1);

    s->protocols[0].name = "luaflet";
    s->protocols[0].callback = ws_callback;
    s->protocols[0].per_session_data_size = ws_session_size();
    /* lws gives each socket a receive buffer of this size for as long as it is open: its
     * default, 4 KB, was most of what an idle session cost (1 KB to 256 bytes: 0.9 KiB less
     * per idle session). A browser's messages are events and acknowledgements of a few
     * dozen bytes; a longer one (a register with a long route, a text field's value) arrives
     * in pieces, which ws.c joins. */
    s->protocols[0].rx_buffer_size = RX_BUFFER;
    /* Left at 0, the largest single send() would follow the receive buffer's size, and lws
     * would copy what is beyond it to send later: a page's first patch is often tens of KB. */
    s->protocols[0].tx_packet_size = TX_PACKET;

    lws_set_log_level(LLL_ERR | LLL_WARN, log_lws_line);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *loops[1] = {sched_loop()};
    /* The vhost is made explicitly, with the options below, rather than implied by the
     * context's. */
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8 |
        LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
    if (certfile)
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.foreign_loops = loops;
    info.pcontext = &s->ctx;
    info.user = s;
    /* An HTTP request or a WebSocket handshake has this long to arrive whole. These are the
     * context's: set after it is made, they would be ignored. */
    info.timeout_secs = (unsigned)handshake_timeout;
    info.timeout_secs_ah_idle = (unsigned)handshake_timeout;
    s->ctx = lws_create_context(&info);
    /* The host listens itself (listen.c) and hands lws each connection. */
    info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
    /* lws's heartbeat is off (a policy with no hangup time): beat.c keeps the server's. */
    info.retry_and_idle_policy = &s->idle;
    /* An HTTP connection idle after an answer is closed after this long. */
    info.keepalive_timeout = keepalive_timeout;
    info.protocols = s->protocols;
    info.headers = &s->csp;
    info.ssl_cert_filepath = certfile;
    info.ssl_private_key_filepath = keyfile;
    if (s->ctx)
        s->vhost = lws_create_vhost(s->ctx, &info);
    if (!s->vhost) {
        if (s->ctx)
            lws_context_destroy(s->ctx);
        listen_close(&s->lis);
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
    /* Port 0 asks the OS for a free port: the log line and server:port() give the one bound. */
    s->port = s->lis.port;
    listen_start(&s->lis, s->vhost, s->tls);
    if (s->lis.via_front) /* the front says where, once all its workers are ready */
        log_printf(LOG_INFO, "ready to take connections from the front");
    else
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
