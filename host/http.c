#include "http.h"

#include <lauxlib.h>
#include <libwebsockets.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "buf.h"
#include "log.h"
#include "mem.h"
#include "sched.h"

#define MAX_BODY (64u * 1024 * 1024)
#define MAX_HEADERS 64

/* One request. Owned by itself: it lives until lws is done with its connection (or never
 * made one) and its timer is closed. The waiting task lets go of it when cancelled or when
 * the timeout fires. */
typedef struct hreq {
    struct lws *wsi;
    sched_task *task;
    uv_timer_t timer;
    int finished;         /* the outcome was delivered (or dropped) */
    int starting;         /* inside lws_client_connect_via_info */
    const char *sync_err; /* an error lws reported while starting */
    char sync_err_buf[128];
    char *method, *host, *path, *body;
    size_t body_len;
    int body_sent;
    char *hnames[MAX_HEADERS], *hvalues[MAX_HEADERS];
    int nheaders;
    int status;
    char *resp_names[WSI_TOKEN_COUNT], *resp_values[WSI_TOKEN_COUNT];
    int nresp;
    buf resp; /* the response body so far */
} hreq;

static struct lws_context *ctx;
static int ctx_destroyed;

static void free_req(uv_handle_t *h)
{
    hreq *r = h->data;
    free(r->method);
    free(r->host);
    free(r->path);
    free(r->body);
    for (int i = 0; i < r->nheaders; i++) {
        free(r->hnames[i]);
        free(r->hvalues[i]);
    }
    for (int i = 0; i < r->nresp; i++) {
        free(r->resp_names[i]);
        free(r->resp_values[i]);
    }
    buf_free(&r->resp);
    free(r);
}

/* lws has let go of the connection: the request can go once its timer is closed. */
static void release(hreq *r)
{
    r->wsi = NULL;
    uv_close((uv_handle_t *)&r->timer, free_req);
}

/* Hands the outcome to the waiting task, if one still waits: a response table, or nil and
 * an error message. */
static void deliver(hreq *r, const char *err)
{
    if (r->finished)
        return;
    r->finished = 1;
    uv_timer_stop(&r->timer);
    if (r->starting) {
        if (err) {
            snprintf(r->sync_err_buf, sizeof r->sync_err_buf, "%s", err);
            r->sync_err = r->sync_err_buf;
        }
        return;
    }
    if (!r->task)
        return;
    sched_task *t = r->task;
    r->task = NULL;
    lua_State *co = sched_task_state(t);
    if (err || !lua_checkstack(co, 6)) {
        lua_pushnil(co);
        lua_pushstring(co, err ? err : "out of stack");
        sched_wake(t, 2);
        return;
    }
    lua_createtable(co, 0, 3);
    lua_pushinteger(co, r->status);
    lua_setfield(co, -2, "status");
    lua_createtable(co, 0, r->nresp);
    for (int i = 0; i < r->nresp; i++) {
        lua_pushstring(co, r->resp_values[i]);
        lua_setfield(co, -2, r->resp_names[i]);
    }
    lua_setfield(co, -2, "headers");
    lua_pushlstring(co, r->resp.p ? r->resp.p : "", r->resp.len);
    lua_setfield(co, -2, "body");
    sched_wake(t, 1);
}

/* The waiting task is gone or out of time: close the connection now. Only called from
 * outside lws callbacks (a timer, or a task), where lws allows closing at once. r may be
 * freed once this returns. */
static void abandon(hreq *r)
{
    if (r->wsi)
        lws_set_timeout(r->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
}

static void timed_out(uv_timer_t *h)
{
    hreq *r = h->data;
    deliver(r, "timeout");
    abandon(r);
}

static void read_headers(hreq *r, struct lws *wsi)
{
    r->status = (int)lws_http_client_http_response(wsi);
    for (int i = 0; i < WSI_TOKEN_COUNT && r->nresp < WSI_TOKEN_COUNT; i++) {
        int n = lws_hdr_total_length(wsi, (enum lws_token_indexes)i);
        const char *name = (const char *)lws_token_to_string((enum lws_token_indexes)i);
        /* Only real header names: lws also keeps the request line and such as tokens. */
        if (n <= 0 || !name || !name[0] || name[0] == ':' || strpbrk(name, "/ ") ||
            name[strlen(name) - 1] != ':')
            continue;
        char *value = mem_alloc((size_t)n + 1);
        if (lws_hdr_copy(wsi, value, n + 1, (enum lws_token_indexes)i) < 0) {
            free(value);
            continue;
        }
        size_t nl = strlen(name);
        char *key = mem_strdup(name);
        if (nl && key[nl - 1] == ':')
            key[nl - 1] = '\0';
        r->resp_names[r->nresp] = key;
        r->resp_values[r->nresp++] = value;
    }
}

static int append_body(hreq *r, const void *in, size_t len)
{
    if (r->resp.len + len > MAX_BODY)
        return -1;
    buf_add(&r->resp, in, len);
    return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len)
{
    hreq *r = lws_get_opaque_user_data(wsi);
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (r) {
            lws_set_opaque_user_data(wsi, NULL);
            char msg[160];
            snprintf(msg, sizeof msg, "connection failed: %s", in ? (const char *)in : "?");
            deliver(r, msg);
            if (!r->starting)
                release(r);
            else
                r->wsi = NULL;
        }
        return 0;
    case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
        if (!r)
            return 0;
        unsigned char **p = in, *end = (*p) + len;
        for (int i = 0; i < r->nheaders; i++) {
            if (lws_add_http_header_by_name(wsi, (const unsigned char *)r->hnames[i],
                                            (const unsigned char *)r->hvalues[i],
                                            (int)strlen(r->hvalues[i]), p, end))
                return -1;
        }
        if (r->body) {
            char n[24];
            int k = snprintf(n, sizeof n, "%zu", r->body_len);
            if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH, (unsigned char *)n,
                                             k, p, end))
                return -1;
            lws_client_http_body_pending(wsi, 1);
            lws_callback_on_writable(wsi);
        }
        return 0;
    }
    case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE: {
        if (!r || !r->body || r->body_sent)
            return 0;
        unsigned char *out = mem_alloc(LWS_PRE + r->body_len + 1);
        memcpy(out + LWS_PRE, r->body, r->body_len);
        int n = lws_write(wsi, out + LWS_PRE, r->body_len, LWS_WRITE_HTTP_FINAL);
        free(out);
        if (n < (int)r->body_len)
            return -1;
        r->body_sent = 1;
        lws_client_http_body_pending(wsi, 0);
        return 0;
    }
    case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
        if (r)
            read_headers(r, wsi);
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
        if (r && append_body(r, in, len) < 0) {
            deliver(r, "response body too large");
            return -1;
        }
        return 0;
    case LWS_CALLBACK_RECEIVE_CLIENT_HTTP: {
        char buffer[4096 + LWS_PRE];
        char *px = buffer + LWS_PRE;
        int lenx = sizeof buffer - LWS_PRE;
        return lws_http_client_read(wsi, &px, &lenx) < 0 ? -1 : 0;
    }
    case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
        if (r)
            deliver(r, NULL);
        return 0;
    case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
        if (r) {
            lws_set_opaque_user_data(wsi, NULL);
            deliver(r, "the connection closed before the response was complete");
            release(r);
        }
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
    {"luaflet-http-client", callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

/* The handles a new client context adds are unreferenced: an idle HTTP client must not
 * keep the loop alive (a request's own connection does, while it runs). */
typedef struct handle_set {
    uv_handle_t **h;
    size_t n, cap;
} handle_set;

static void note_handle(uv_handle_t *h, void *arg)
{
    handle_set *set = arg;
    MEM_RESERVE(set->h, set->cap, set->n + 1, 64);
    set->h[set->n++] = h;
}

static void unref_new(uv_handle_t *h, void *arg)
{
    handle_set *before = arg;
    for (size_t i = 0; i < before->n; i++)
        if (before->h[i] == h)
            return;
    uv_unref(h);
}

static struct lws_context *client_context(void)
{
    if (ctx || ctx_destroyed)
        return ctx;
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    void *loops[1] = {sched_loop()};
    lws_set_log_level(LLL_ERR | LLL_WARN, log_lws_line);
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
    info.foreign_loops = loops;
    info.pcontext = &ctx;
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    handle_set before = {0};
    uv_walk(sched_loop(), note_handle, &before);
    ctx = lws_create_context(&info);
    if (ctx)
        uv_walk(sched_loop(), unref_new, &before);
    free(before.h);
    return ctx;
}

void http_stop(void)
{
    if (ctx && !ctx_destroyed) {
        ctx_destroyed = 1;
        lws_context_destroy(ctx);
    }
}

void http_close(void)
{
    http_stop();
    if (ctx)
        lws_context_destroy(ctx);
}

static void cancel_req(sched_task *t)
{
    hreq *r = sched_await_data(t);
    r->task = NULL;
    r->finished = 1;
    uv_timer_stop(&r->timer);
    abandon(r);
}

static char *field_str(lua_State *L, const char *key, const char *def)
{
    lua_getfield(L, 1, key);
    const char *v = lua_isnil(L, -1) ? def : luaL_checkstring(L, -1);
    char *copy = v ? mem_strdup(v) : NULL;
    lua_pop(L, 1);
    return copy;
}

/* core.http_request{method=, url=, headers=, body=, timeout=}
 *   -> {status=, headers=, body=}, or nil, err   [-0, +1|2, e] */
static int l_http_request(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    sched_task *t = sched_await_begin(L, "asyncio.http.request");
    lua_getfield(L, 1, "url");
    size_t ulen;
    const char *url = luaL_checklstring(L, -1, &ulen);
    char *copy = lua_newuserdatauv(L, ulen + 1, 0); /* lws_parse_uri cuts it in place */
    memcpy(copy, url, ulen + 1);
    const char *prot, *ads, *upath;
    int port;
    if (lws_parse_uri(copy, &prot, &ads, &port, &upath) || !ads[0])
        return luaL_error(L, "asyncio.http.request: cannot parse the url '%s'", url);
    int tls = strcmp(prot, "https") == 0;
    if (!tls && strcmp(prot, "http") != 0)
        return luaL_error(L, "asyncio.http.request: only http and https urls, not '%s'", prot);
    lua_getfield(L, 1, "timeout");
    double timeout = luaL_optnumber(L, -1, 30);
    lua_pop(L, 1);
    lua_getfield(L, 1, "headers");
    if (!lua_isnil(L, -1))
        luaL_checktype(L, -1, LUA_TTABLE);
    int hidx = lua_gettop(L);

    struct lws_context *c = client_context();
    if (!c) {
        lua_pushnil(L);
        lua_pushliteral(L, "the http client is not available (host stopping?)");
        return sched_await_results(L, t, 2);
    }
    hreq *r = mem_calloc(1, sizeof *r);
    r->method = field_str(L, "method", "GET");
    if (lua_getfield(L, 1, "body") != LUA_TNIL) {
        size_t bl;
        const char *b = luaL_checklstring(L, -1, &bl);
        r->body = mem_alloc(bl + 1);
        memcpy(r->body, b, bl);
        r->body_len = bl;
    }
    lua_pop(L, 1);
    r->host = mem_strdup(ads);
    size_t pl = strlen(upath);
    r->path = mem_alloc(pl + 2);
    r->path[0] = '/';
    memcpy(r->path + 1, upath, pl + 1);
    if (!lua_isnil(L, hidx)) {
        lua_pushnil(L);
        while (lua_next(L, hidx) && r->nheaders < MAX_HEADERS) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
                const char *k = lua_tostring(L, -2);
                size_t kl = strlen(k);
                char *name = mem_alloc(kl + 2);
                memcpy(name, k, kl);
                name[kl] = ':';
                name[kl + 1] = '\0';
                r->hnames[r->nheaders] = name;
                r->hvalues[r->nheaders++] = mem_strdup(lua_tostring(L, -1));
            }
            lua_pop(L, 1);
        }
    }
    uv_timer_init(sched_loop(), &r->timer);
    r->timer.data = r;

    struct lws_client_connect_info ci;
    memset(&ci, 0, sizeof ci);
    ci.context = c;
    ci.address = r->host;
    ci.port = port;
    ci.path = r->path;
    ci.host = r->host;
    ci.origin = r->host;
    ci.method = r->method;
    ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
    ci.protocol = protocols[0].name;
    ci.local_protocol_name = protocols[0].name;
    ci.opaque_user_data = r;
    ci.pwsi = &r->wsi;
    r->starting = 1;
    struct lws *wsi = lws_client_connect_via_info(&ci);
    r->starting = 0;
    if (!wsi || r->finished) {
        /* It failed before any await: the answer comes on the loop's next turn. */
        const char *err = r->sync_err ? r->sync_err : "connection failed";
        lua_pushnil(L);
        lua_pushstring(L, err);
        r->finished = 1;
        if (wsi && r->wsi) {
            abandon(r); /* lws still holds it: freed when it lets go */
        } else {
            r->wsi = NULL;
            uv_close((uv_handle_t *)&r->timer, free_req);
        }
        return sched_await_results(L, t, 2);
    }
    r->task = t;
    if (timeout > 0)
        uv_timer_start(&r->timer, timed_out, (uint64_t)(timeout * 1000.0 + 0.999), 0);
    lua_settop(L, 0);
    return sched_await(L, t, cancel_req, r, NULL);
}

void http_register(lua_State *L)
{
    lua_pushcfunction(L, l_http_request);
    lua_setfield(L, -2, "http_request");
}
