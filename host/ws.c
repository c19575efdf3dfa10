#include "ws.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proto.h"
#include "sched.h"
#include "server.h"
#include "static.h"

#define CONN_MT "luaflet.conn"
/* How long a client has to answer our close frame with its own before it is cut off. */
#define CLOSE_ACK_SECS 5

/* One queued outbound message, with LWS_PRE bytes free before the payload as lws asks. */
typedef struct out_msg {
    struct out_msg *next;
    sched_task *waiter; /* a task in send_async, woken once the message is written */
    size_t len;
    unsigned char buf[];
} out_msg;

/* One WebSocket session's socket state. Created at ESTABLISHED, freed at CLOSED; Lua's box
 * points here until then. */
typedef struct conn {
    struct lws *wsi;
    server *srv;
    struct conn_box *box;
    int box_ref;
    char *in; /* the message being assembled */
    size_t in_len, in_cap;
    out_msg *head, *tail;
    size_t queued; /* bytes in the outbound queue */
    int closing;    /* the socket is to close: nothing more from the client is read */
    int close_code; /* what the close frame says */
    int close_sent; /* our close frame is out; the client's answer ends the connection */
    int dropped; /* stopped reading: killed without a close frame */
    int peer_code; /* the close code the client sent, 0 if it sent none (a dropped socket) */
    /* The inbound rate limit: a token bucket, and the excess (dropped messages, decaying at
     * the same rate) past which the client is closed. */
    double tokens, excess;
    uint64_t refilled; /* loop time of the last refill, ms */
    unsigned long ignored; /* messages dropped by the limit, for the log */
} conn;

typedef struct conn_box {
    conn *c;
} conn_box;

/* What lws keeps per connection. */
typedef struct ws_slot {
    conn *c;
} ws_slot;

size_t ws_session_size(void) { return sizeof(ws_slot); }

/* Wakes a task waiting in send_async for m with false, "closed". */
static void fail_waiter(out_msg *m)
{
    if (m->waiter) {
        lua_State *co = sched_task_state(m->waiter);
        lua_pushboolean(co, 0);
        lua_pushliteral(co, "closed");
        sched_wake(m->waiter, 2);
    }
}

/* Empties the outbound queue. */
static void drop_queue(conn *c)
{
    while (c->head) {
        out_msg *m = c->head;
        c->head = m->next;
        fail_waiter(m);
        free(m);
    }
    c->tail = NULL;
    c->queued = 0;
}

/* A client that stopped reading: what it has not taken is freed and the socket is killed
 * without a close frame (it would not read one), as a dropped network would be, so that its
 * session's memory stays bounded; the session waits for a reconnect. */
static void drop_slow_client(conn *c)
{
    log_printf(LOG_WARN, "a client stopped reading (%zu bytes unsent): dropping it", c->queued);
    drop_queue(c);
    c->dropped = 1;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Queues a message; returns 0, or -1 when the client was dropped instead: it had more than
 * max_send_queue bytes not yet taken (a single large message alone is let through). */
static int enqueue(conn *c, const char *text, size_t len, sched_task *waiter)
{
    if (c->dropped)
        return -1;
    if (c->queued > server_get_limits(c->srv)->max_send_queue) {
        drop_slow_client(c);
        return -1;
    }
    out_msg *m = malloc(sizeof *m + LWS_PRE + len);
    if (!m)
        abort();
    m->next = NULL;
    m->waiter = waiter;
    m->len = len;
    memcpy(m->buf + LWS_PRE, text, len);
    if (c->tail)
        c->tail->next = m;
    else
        c->head = m;
    c->tail = m;
    c->queued += len;
    lws_callback_on_writable(c->wsi);
    return 0;
}

static void send_error(conn *c, const char *msg)
{
    size_t len;
    char *text = proto_error_text(msg, &len);
    if (text) {
        enqueue(c, text, len, NULL);
        free(text);
    }
}

/* Starts a task running the server's handler fn_ref(conn, ...). */
static sched_task *spawn_handler(conn *c, int fn_ref, lua_State **co)
{
    sched_task *t = sched_spawn(co);
    lua_rawgeti(*co, LUA_REGISTRYINDEX, fn_ref);
    lua_rawgeti(*co, LUA_REGISTRYINDEX, c->box_ref);
    return t;
}

/* Runs f(c) protected: these run inside lws callbacks, where an error (out of memory) must
 * not unwind through lws. Returns 0, or -1 after logging. */
static int protected(lua_CFunction f, conn *c)
{
    lua_State *L = sched_state();
    if (!lua_checkstack(L, 3))
        return -1;
    lua_pushcfunction(L, f);
    lua_pushlightuserdata(L, c);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        log_printf(LOG_ERROR, "session: %s", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    return 0;
}

/* [-0, +0, m] */
static int message_body(lua_State *L)
{
    conn *c = lua_touserdata(L, 1);
    lua_State *co;
    const char *err;
    if (proto_push_decoded(L, c->in, c->in_len, &err) < 0) {
        log_printf(LOG_WARN, "bad message from a client: %s", err);
        send_error(c, err);
        return 0;
    }
    sched_task *t = spawn_handler(c, server_on_message_ref(c->srv), &co);
    lua_xmove(L, co, 1); /* stack of co: handler conn message */
    sched_ready(t, 2);
    return 0;
}

/* [-0, +0, m] */
static int open_body(lua_State *L)
{
    conn *c = lua_touserdata(L, 1);
    c->box = lua_newuserdatauv(L, sizeof *c->box, 0);
    c->box->c = c;
    luaL_setmetatable(L, CONN_MT);
    c->box_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* [-0, +0, m] */
static int closed_body(lua_State *L)
{
    conn *c = lua_touserdata(L, 1);
    lua_State *co;
    sched_task *t = spawn_handler(c, server_on_close_ref(c->srv), &co);
    lua_pushinteger(co, c->peer_code);
    sched_ready(t, 2);
    return 0;
}

static conn *conn_open(struct lws *wsi)
{
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->wsi = wsi;
    c->srv = lws_context_user(lws_get_context(wsi));
    c->box_ref = LUA_NOREF;
    c->tokens = server_get_limits(c->srv)->event_burst;
    c->refilled = uv_now(sched_loop());
    if (protected(open_body, c) < 0) {
        free(c);
        return NULL;
    }
    server_conn_delta(c->srv, 1);
    return c;
}

static void conn_closed(conn *c)
{
    drop_queue(c);
    if (c->ignored)
        log_printf(LOG_WARN, "a client went after %lu messages over its rate were dropped",
                   c->ignored);
    protected(closed_body, c);
    server_conn_delta(c->srv, -1);
    c->box->c = NULL;
    luaL_unref(sched_state(), LUA_REGISTRYINDEX, c->box_ref);
    free(c->in);
    free(c);
}

/* Whether the client may send one more message now (a token bucket refilled at event_rate,
 * holding at most event_burst). Returns 1, 0 to drop the message, or -1 when the client has
 * gone on over its rate and is to be closed: its dropped messages, less half event_rate a
 * second, came to ten seconds' worth of its rate (or ten bursts, if more). So a client at
 * twice the rate is closed after some twenty seconds, and one far over it at once. */
static int within_rate(conn *c)
{
    const server_limits *lim = server_get_limits(c->srv);
    if (lim->event_rate <= 0)
        return 1;
    uint64_t now = uv_now(sched_loop());
    double refill = (double)(now - c->refilled) * lim->event_rate / 1000.0;
    c->refilled = now;
    c->tokens = c->tokens + refill > lim->event_burst ? lim->event_burst : c->tokens + refill;
    c->excess = c->excess > refill / 2 ? c->excess - refill / 2 : 0;
    if (c->tokens >= 1) {
        c->tokens -= 1;
        return 1;
    }
    if (!c->ignored++)
        log_printf(LOG_WARN, "a client sends over %g messages a second: dropping the excess",
                   lim->event_rate);
    c->excess += 1;
    double limit = 10 * (lim->event_rate > lim->event_burst ? lim->event_rate : lim->event_burst);
    return c->excess > limit ? -1 : 0;
}

/* Closes c with code, the way WebSocket closes: from now on what the client sends is read
 * and dropped, what is queued for it is still written, then our close frame (on_writeable),
 * and the connection ends when the client answers with its own (on_peer_close).
 *
 * Not by returning -1 from the receive callback with lws_close_reason(): lws 4.1 then drops
 * the rest of the bytes it had read and goes on parsing the stream from the middle of a
 * frame; it takes the garbage for a protocol error, or hands us one more message, and either
 * way kills the socket at once. Nor is it enough to write the close frame and hang up: bytes
 * the client sent that are still unread at close() make the kernel answer with a reset,
 * which can destroy the close frame before the client reads it, so that it sees 1006. Read
 * to the client's close, nothing is left unread. */
static void start_close(conn *c, int code)
{
    if (c->closing)
        return;
    c->closing = 1;
    c->close_code = code;
    lws_callback_on_writable(c->wsi);
}

/* Hands the whole message at c->in (c->in_len bytes) to the session, within the rate. */
static void deliver(conn *c)
{
    int rate = within_rate(c);
    if (rate < 0) {
        log_printf(LOG_WARN, "a client kept sending far over its rate: closing it");
        start_close(c, LWS_CLOSE_STATUS_POLICY_VIOLATION);
    } else if (rate > 0) {
        protected(message_body, c);
    }
}

static int on_receive(conn *c, struct lws *wsi, const void *in, size_t len)
{
    if (c->closing || server_going_away(c->srv))
        return 0; /* read on, to the client's close */
    size_t max = server_get_limits(c->srv)->max_message;
    int whole = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
    if (whole && c->in_len == 0 && len <= max) {
        /* The common case, a message in one piece, is read where lws has it: no buffer is
         * kept per socket. */
        if (lws_frame_is_binary(wsi)) {
            log_printf(LOG_WARN, "a client sent a binary frame: closing it");
            start_close(c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
            return 0;
        }
        char *saved = c->in;
        c->in = (char *)in;
        c->in_len = len;
        deliver(c);
        c->in = saved;
        c->in_len = 0;
        return 0;
    }
    if (c->in_len + len > max) {
        log_printf(LOG_WARN, "a client sent a message over %zu bytes: closing it", max);
        free(c->in);
        c->in = NULL;
        c->in_len = c->in_cap = 0;
        start_close(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
        return 0;
    }
    if (c->in_len + len > c->in_cap) {
        size_t cap = c->in_cap ? c->in_cap : 512;
        while (cap < c->in_len + len)
            cap *= 2;
        char *p = realloc(c->in, cap);
        if (!p)
            return -1;
        c->in = p;
        c->in_cap = cap;
    }
    memcpy(c->in + c->in_len, in, len);
    c->in_len += len;
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return 0;
    if (lws_frame_is_binary(wsi)) {
        log_printf(LOG_WARN, "a client sent a binary frame: closing it");
        start_close(c, LWS_CLOSE_STATUS_UNACCEPTABLE_OPCODE);
        return 0;
    }
    deliver(c);
    /* A message that came in pieces leaves no buffer behind. */
    free(c->in);
    c->in = NULL;
    c->in_len = c->in_cap = 0;
    return 0;
}

static int on_writeable(conn *c, struct lws *wsi)
{
    if (c->dropped)
        return -1;
    if (c->close_sent)
        return 0;
    if (server_going_away(c->srv))
        start_close(c, LWS_CLOSE_STATUS_GOINGAWAY);
    out_msg *m = c->head;
    if (!m) {
        if (c->closing) {
            /* The close frame is written here, while the socket is writable: lws 4.1 drops
             * the reason set with lws_close_reason() when a writable callback returns -1.
             * (Close is an opcode lws_write() takes; its header leaves it out of the enum.)
             * Then the socket waits, reading, for the client's answer (see start_close). */
            unsigned code = (unsigned)c->close_code;
            unsigned char frame[LWS_PRE + 2];
            frame[LWS_PRE] = (unsigned char)(code >> 8);
            frame[LWS_PRE + 1] = (unsigned char)(code & 0xff);
            if (lws_write(wsi, frame + LWS_PRE, 2, (enum lws_write_protocol)4) < 2)
                return -1;
            c->close_sent = 1;
            lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, CLOSE_ACK_SECS);
        }
        return 0;
    }
    int n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
    if (n < (int)m->len)
        return -1;
    c->head = m->next;
    if (!c->head)
        c->tail = NULL;
    c->queued -= m->len;
    if (m->waiter) {
        lua_pushboolean(sched_task_state(m->waiter), 1);
        sched_wake(m->waiter, 1);
    }
    free(m);
    if (c->head || c->closing)
        lws_callback_on_writable(wsi);
    return 0;
}

/* Whether code may end a close frame from a client (RFC 6455, 7.4): the codes defined for
 * the protocol that an endpoint may send, and those for libraries and applications. */
static int close_code_ok(unsigned code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

/* A close frame from the client (its payload is in, len bytes). Returns what the callback
 * should: 0 to let lws answer it with the same frame and hang up. */
static int on_peer_close(conn *c, struct lws *wsi, const unsigned char *in, size_t len)
{
    if (c->close_sent)
        return -1; /* the answer to ours: all the client sent is read, so hang up now */
    unsigned code = len >= 2 ? (unsigned)(in[0] << 8 | in[1]) : 0;
    /* lws 4.1 echoes a code past 4999 (and a lone byte) as it came: the answer to a close
     * that breaks the protocol is 1002. lws sends it from its own close path, which waits
     * for the client to hang up. */
    if (len == 1 || (len >= 2 && !close_code_ok(code))) {
        log_printf(LOG_WARN, "a client sent a close frame with a bad code: closing it with 1002");
        lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, NULL, 0);
        return -1;
    }
    c->peer_code = (int)code; /* a tab that goes away says so (1000 or 1001) */
    return 0;
}

int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                size_t len)
{
    ws_slot *slot = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        /* A handshake that was under way when the server began to stop opens no session. */
        if (server_going_away(lws_context_user(lws_get_context(wsi))))
            return -1;
        slot->c = conn_open(wsi);
        return slot->c ? 0 : -1;
    case LWS_CALLBACK_RECEIVE:
        return slot->c ? on_receive(slot->c, wsi, in, len) : -1;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return slot->c ? on_writeable(slot->c, wsi) : -1;
    case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
        /* A stopping server takes no one new. */
        return server_going_away(lws_context_user(lws_get_context(wsi))) ? -1 : 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return static_check_upgrade(wsi, in);
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        /* A page of another site must not open a session here. */
        return server_origin_allowed(lws_context_user(lws_get_context(wsi)), wsi) ? 0 : -1;
    case LWS_CALLBACK_HTTP:
        return static_request(wsi);
    case LWS_CALLBACK_TIMER:
        /* Only an HTTP request arms this timer. */
        return static_answer(wsi, server_roots(lws_context_user(lws_get_context(wsi))));
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
        return static_file_done(wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        return slot->c ? on_peer_close(slot->c, wsi, in, len) : 0;
    case LWS_CALLBACK_CLOSED:
        if (slot->c) {
            conn_closed(slot->c);
            slot->c = NULL;
        }
        return 0;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* ------------------------------------------------------------------- Lua */

static conn *check_open(lua_State *L)
{
    conn_box *b = luaL_checkudata(L, 1, CONN_MT);
    return b->c;
}

/* conn:send(text) -> true, or false, "closed"   [-0, +1|2, e] */
static int l_send(lua_State *L)
{
    conn *c = check_open(L);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    if (!c || c->closing || c->dropped) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return 2;
    }
    if (enqueue(c, text, len, NULL) < 0) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static void send_cleanup(sched_task *t)
{
    out_msg *m = sched_await_data(t);
    m->waiter = NULL;
}

/* conn:send_async(text) -> true once lws has written it, or false, "closed"   [-0, +1|2, e] */
static int l_send_async(lua_State *L)
{
    conn *c = check_open(L);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    sched_task *t = sched_await_begin(L, "send_async");
    if (!c || c->closing || c->dropped) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return 2;
    }
    if (enqueue(c, text, len, t) < 0) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return 2;
    }
    lua_settop(L, 0);
    return sched_await(L, t, send_cleanup, c->tail);
}

/* conn:close([code]): closes after what is queued has been written, with close code `code`
 * (default 1000; 1000 or 3000 to 4999)   [-0, +0, e] */
static int l_close(lua_State *L)
{
    conn *c = check_open(L);
    lua_Integer code = luaL_optinteger(L, 2, LWS_CLOSE_STATUS_NORMAL);
    luaL_argcheck(L, code == 1000 || (code >= 3000 && code <= 4999), 2, "not a close code an app may send");
    if (c)
        start_close(c, (int)code);
    return 0;
}

/* conn:is_open() -> boolean   [-0, +1, -] */
static int l_is_open(lua_State *L)
{
    conn *c = check_open(L);
    lua_pushboolean(L, c && !c->closing && !c->dropped);
    return 1;
}

void ws_register(lua_State *L)
{
    static const luaL_Reg methods[] = {{"send", l_send},
                                       {"send_async", l_send_async},
                                       {"close", l_close},
                                       {"is_open", l_is_open},
                                       {NULL, NULL}};
    if (luaL_newmetatable(L, CONN_MT)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
}
