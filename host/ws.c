#include "ws.h"

#include <lauxlib.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "listen.h"
#include "log.h"
#include "mem.h"
#include "patch_write.h"
#include "peers.h"
#include "proto.h"
#include "proto_keys.h"
#include "rate.h"
#include "sched.h"
#include "server.h"
#include "static.h"
#include "upload.h"

#define CONN_MT "luaflet.conn"

/* The most of a client's User-Agent header kept (conn:user_agent()). */
#define USER_AGENT_MAX 512

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
    buf in;          /* a message that comes in pieces, being assembled */
    const char *msg; /* the whole message being delivered, and its length */
    size_t msg_len;
    long long ack_seq; /* its number when it is an acknowledgement in the client's form */
    out_msg *head, *tail;
    size_t queued; /* bytes in the outbound queue */
    int closing;
    int close_code; /* what our close frame says: the app's code, a refusal's, or 1001 */
    int dropped;    /* stopped reading: killed without a close frame */
    int ended;      /* lws is closing, or the client sent a close frame: nothing more is written */
    int close_sent; /* lws has been asked to close with close_code */
    int peer_code;  /* the close code the client sent, 0 if it sent none (a dropped socket) */
    rate_bucket rate;      /* the inbound rate limit */
    unsigned long ignored; /* messages dropped by the limit, for the log */
    int registered;        /* a session took the socket: the register deadline is off */
    peer *peer;            /* its address's entry, released at close */
    beat_entry beat;       /* its place in the server's heartbeat */
    int ping_due;          /* a ping is to be written at the next writeable callback */
} conn;

typedef struct conn_box {
    conn *c;
} conn_box;

/* What lws keeps per connection. */
typedef struct ws_slot {
    conn *c;
    upload *up; /* an HTTP request's upload being received; owned */
} ws_slot;

size_t ws_session_size(void) { return sizeof(ws_slot); }

static ws_figures figures;

const ws_figures *ws_get_figures(void) { return &figures; }

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
    figures.queued -= c->queued;
    c->queued = 0;
}

/* Kills the socket without a close frame, as a dropped network would: what is queued is
 * freed and the session waits for a reconnect. Outside its own callbacks lws does not notice
 * a new timeout until it next services something: it is woken. */
static void kill_conn(conn *c)
{
    drop_queue(c);
    c->dropped = 1;
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
    lws_cancel_service(lws_get_context(c->wsi));
}

/* A client that stopped reading is killed (it would not read a close frame either), so that
 * its session's memory stays bounded. */
static void drop_slow_client(conn *c)
{
    log_printf(LOG_WARN, "a client stopped reading (%zu bytes unsent): dropping it", c->queued);
    kill_conn(c);
}

/* The closing handshake has begun, by either side: no frame may follow a close frame, so
 * what is queued is dropped and nothing more is queued; and what the client sends after its
 * own close frame, or after ours, is not handed to the session. */
static void end_conn(conn *c)
{
    c->ended = 1;
    drop_queue(c);
}

/* How many lws callbacks are on the stack: inside one, lws may be in the middle of something
 * with the very socket an app writes to, and a message goes through the queue. */
static int in_callback;

/* The most one writeable callback writes from a socket's queue. */
#define WRITE_BUDGET (64 * 1024)

/* Messages up to this size may be written at once, from a buffer on the stack. */
#define WRITE_NOW_MAX 4096

/* Writes a message at once when nothing is queued before it and lws is not in a callback:
 * the socket is then almost always writable, and waiting for lws to say so cost two
 * epoll_ctl calls and a turn of the loop per message. lws takes what the kernel does not
 * and sends it itself before it calls on_writeable again (the queue then waits behind it),
 * so order is kept and nothing is lost. Returns 1 when written, 0 when the message must be
 * queued instead, -1 when the socket failed (it is then killed, as a client that stopped
 * reading is). */
static int write_now(conn *c, const char *text, size_t len)
{
    if (c->head || in_callback || len > WRITE_NOW_MAX || c->closing || server_going_away(c->srv) ||
        lws_partial_buffered(c->wsi))
        return 0;
    unsigned char frame[LWS_PRE + WRITE_NOW_MAX];
    memcpy(frame + LWS_PRE, text, len);
    if (lws_write(c->wsi, frame + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len) {
        kill_conn(c);
        return -1;
    }
    figures.messages_out++;
    figures.bytes_out += len;
    return 1;
}

/* Queues a message; returns 0, or -1 when the connection is closing or the client was dropped
 * instead: it had more than max_send_queue bytes not yet taken (a single large message alone
 * is let through). */
static int enqueue(conn *c, const char *text, size_t len, sched_task *waiter)
{
    if (c->dropped || c->ended)
        return -1;
    if (c->queued > server_get_limits(c->srv)->max_send_queue) {
        drop_slow_client(c);
        return -1;
    }
    out_msg *m = mem_alloc(sizeof *m + LWS_PRE + len);
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
    figures.queued += len;
    lws_callback_on_writable(c->wsi);
    return 0;
}

static void send_error(conn *c, const char *msg)
{
    size_t len;
    char *text = pw_error(msg, &len);
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
    if (proto_push_decoded(L, c->msg, c->msg_len, &err) < 0) {
        log_printf(LOG_WARN, "bad message from a client: %s", err);
        send_error(c, err);
        return 0;
    }
    sched_task *t = spawn_handler(c, server_on_message_ref(c->srv), &co);
    lua_xmove(L, co, 1); /* stack of co: handler conn message */
    sched_ready(t, 2);
    return 0;
}

/* The acknowledgement a browser sends, in the one form its client writes: {"t":"ack","seq":N}.
 * Returns N, or -1 for anything else (any other form goes the general way). */
static long long plain_ack(const char *msg, size_t len)
{
    static const char head[] = "{\"" PK_T "\":\"" PK_ACK "\",\"" PK_SEQ "\":";
    size_t h = sizeof head - 1;
    if (len < h + 2 || len > h + 16 || memcmp(msg, head, h) != 0 || msg[len - 1] != '}')
        return -1;
    long long n = 0;
    for (size_t i = h; i < len - 1; i++) {
        if (msg[i] < '0' || msg[i] > '9')
            return -1;
        n = n * 10 + (msg[i] - '0');
    }
    return n;
}

/* An acknowledgement frees what the session kept for a reconnect, and nothing in it awaits:
 * it is taken here, in the socket's callback, rather than by a task of its own. A burst of
 * them (every tab of a busy client at once) is then paid for as they are read, a batch a turn
 * of the loop, not queued as tasks ahead of the timers and events that come due meanwhile.
 * on_ack answers false for a socket with no session: the message then goes the general way,
 * whose answer says why it is refused.   [-0, +0, m] */
static int ack_body(lua_State *L)
{
    conn *c = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, server_on_ack_ref(c->srv));
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->box_ref);
    lua_pushinteger(L, (lua_Integer)c->ack_seq);
    lua_call(L, 2, 1);
    if (!lua_toboolean(L, -1))
        return message_body(L);
    return 0;
}

/* Pushes the handshake's User-Agent header, at most USER_AGENT_MAX bytes of it cut where a
 * character starts, or nil when it has none or it is not UTF-8. lws still holds the
 * handshake's headers while ESTABLISHED runs, and frees them after.   [-0, +1, m] */
static void push_user_agent(lua_State *L, struct lws *wsi)
{
    /* All of a request's headers fit in lws's default 4096 bytes, which the host keeps. */
    char ua[4096 + 1];
    int n = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_USER_AGENT);
    if (n <= 0 || n >= (int)sizeof ua ||
        lws_hdr_copy(wsi, ua, (int)sizeof ua, WSI_TOKEN_HTTP_USER_AGENT) != n) {
        lua_pushnil(L);
        return;
    }
    size_t len = (size_t)n;
    if (len > USER_AGENT_MAX) {
        len = USER_AGENT_MAX;
        while (len > 0 && ((unsigned char)ua[len] & 0xC0) == 0x80)
            len--;
    }
    if (proto_utf8_valid(ua, len))
        lua_pushlstring(L, ua, len);
    else
        lua_pushnil(L);
}

/* The box Lua sees, with the handshake's User-Agent as its user value: a Lua string, which
 * goes with the box once the connection has closed and Lua let it go.   [-0, +0, m] */
static int open_body(lua_State *L)
{
    conn *c = lua_touserdata(L, 1);
    c->box = lua_newuserdatauv(L, sizeof *c->box, 1);
    c->box->c = c;
    luaL_setmetatable(L, CONN_MT);
    push_user_agent(L, c->wsi);
    lua_setiuservalue(L, -2, 1);
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
    conn *c = mem_calloc(1, sizeof *c);
    c->wsi = wsi;
    c->srv = lws_context_user(lws_get_context(wsi));
    char key[PEER_KEY_SIZE];
    const server_limits *lim = server_get_limits(c->srv);
    if (peers_key(wsi, lim->trust_proxy, key) == 0)
        c->peer = peers_acquire(server_peers(c->srv), key, uv_now(sched_loop()));
    /* A socket must carry a session soon: one that only answers pings would hold its slot
     * for ever. */
    lws_set_timer_usecs(wsi, (lws_usec_t)(lim->register_timeout * LWS_USEC_PER_SEC));
    c->box_ref = LUA_NOREF;
    rate_init(&c->rate, server_get_limits(c->srv)->event_burst, uv_now(sched_loop()));
    if (protected(open_body, c) < 0) {
        peers_release(server_peers(c->srv), c->peer);
        free(c);
        return NULL;
    }
    server_conn_delta(c->srv, 1);
    beat_confirm(server_beat(c->srv), &c->beat);
    return c;
}

static void conn_closed(conn *c)
{
    beat_remove(&c->beat);
    drop_queue(c);
    if (c->ignored)
        log_printf(LOG_WARN, "a client went after %lu messages over its rate were dropped",
                   c->ignored);
    protected(closed_body, c);
    peers_release(server_peers(c->srv), c->peer);
    server_conn_delta(c->srv, -1);
    c->box->c = NULL;
    luaL_unref(sched_state(), LUA_REGISTRYINDEX, c->box_ref);
    buf_free(&c->in);
    free(c);
}

/* Whether the client may send one more message now (rate.h): 1, 0 to drop it, or -1 to close
 * the client. The first drop is logged. */
static int within_rate(conn *c)
{
    const server_limits *lim = server_get_limits(c->srv);
    int rc = rate_take(&c->rate, lim->event_rate, lim->event_burst, uv_now(sched_loop()));
    if (rc <= 0 && !c->ignored++)
        log_printf(LOG_WARN, "a client sends over %g messages a second: dropping the excess",
                   lim->event_rate);
    return rc;
}

/* Closes the connection of a client that broke one of the host's rules, with `code`: what
 * is queued for it is dropped, what it sends from now on is ignored, and the close begins at
 * the next writable callback (see on_writeable). Returning -1 from the receive callback would
 * close at once, but lws then throws away the rest of what it had read and loses its place
 * in the client's frames: when more arrives before it could write, it takes those bytes for
 * a broken frame and hangs up without a close frame (a client that went on sending saw 1006).
 * Returns 0, for the receive callback. */
static int refuse(conn *c, struct lws *wsi, int code)
{
    drop_queue(c);
    c->closing = 1;
    c->close_code = code;
    lws_callback_on_writable(wsi);
    return 0;
}

/* Hands a whole message to the session, within the rate. */
static int deliver(conn *c, struct lws *wsi, const char *msg, size_t len)
{
    int rate = within_rate(c);
    if (rate < 0) {
        log_printf(LOG_WARN, "a client kept sending far over its rate: closing it");
        return refuse(c, wsi, PK_CLOSE_POLICY);
    }
    if (rate > 0) {
        figures.messages_in++;
        c->msg = msg;
        c->msg_len = len;
        c->ack_seq = server_on_ack_ref(c->srv) != LUA_NOREF ? plain_ack(msg, len) : -1;
        protected(c->ack_seq >= 0 ? ack_body : message_body, c);
        c->msg = NULL;
    }
    return 0;
}

static int on_receive(conn *c, struct lws *wsi, const void *in, size_t len)
{
    /* Once a close is under way, by the app, by a refusal or by either side's close frame,
     * nothing more reaches the session. */
    if (c->closing || c->ended || server_going_away(c->srv))
        return 0;
    size_t max = server_get_limits(c->srv)->max_message;
    int whole = lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi);
    if (whole && c->in.len == 0 && len <= max) {
        /* The common case, a message in one piece, is read where lws has it: no buffer is
         * kept per socket. */
        if (lws_frame_is_binary(wsi)) {
            log_printf(LOG_WARN, "a client sent a binary frame: closing it");
            return refuse(c, wsi, PK_CLOSE_UNSUPPORTED);
        }
        return deliver(c, wsi, in, len);
    }
    if (c->in.len + len > max) {
        log_printf(LOG_WARN, "a client sent a message over %zu bytes: closing it", max);
        buf_free(&c->in);
        return refuse(c, wsi, PK_CLOSE_TOO_LARGE);
    }
    /* An empty fragment adds nothing; and before the first byte there is no buffer at all. */
    if (len > 0)
        buf_add(&c->in, in, len);
    if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
        return 0;
    int rc;
    if (lws_frame_is_binary(wsi)) {
        log_printf(LOG_WARN, "a client sent a binary frame: closing it");
        rc = refuse(c, wsi, PK_CLOSE_UNSUPPORTED);
    } else {
        rc = deliver(c, wsi, c->in.p ? c->in.p : "", c->in.len);
    }
    /* A message that came in pieces leaves no buffer behind. */
    buf_free(&c->in);
    return rc;
}

static int on_writeable(conn *c, struct lws *wsi)
{
    if (c->dropped)
        return -1;
    if (c->ended || c->close_sent)
        return 0; /* nothing may follow a close frame */
    if (server_going_away(c->srv) && !c->closing) {
        /* The host stops: what is queued goes out, then 1001; nothing new is queued after
         * (a page that keeps updating would otherwise hold the close back for ever). */
        c->closing = 1;
        c->close_code = PK_CLOSE_GOING_AWAY;
    }
    if (c->ping_due) {
        /* A pong comes back as LWS_CALLBACK_RECEIVE_PONG, but only one with a payload:
         * lws 4.1 does not pass an empty one on. */
        unsigned char ping[LWS_PRE + 1];
        ping[LWS_PRE] = 'b';
        c->ping_due = 0;
        if (lws_write(wsi, ping + LWS_PRE, 1, LWS_WRITE_PING) < 1)
            return -1;
        if (c->head || c->closing || server_going_away(c->srv))
            lws_callback_on_writable(wsi);
        return 0;
    }
    out_msg *m = c->head;
    if (!m) {
        if (c->closing || server_going_away(c->srv)) {
            /* lws closes the connection from its timer, and the close code is set as it
             * does (see LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL): it sends the close frame,
             * then waits up to five seconds for the client's, reading and ignoring what
             * comes before it, as RFC 6455 has it. Each other way loses something in lws
             * 4.1: returning -1 here drops the code (no close frame at all); returning -1
             * from the receive callback throws away the rest of what was read, so lws loses
             * its place in the client's frames and, when more comes, hangs up without a
             * close frame; and a close frame written here with lws_write() goes behind
             * lws's back, which then answers a bad frame after it with a second close frame
             * and hangs up at once, resetting a client still sending. Of the timeout
             * reasons only the keep-alive one lets lws close politely; the others mark the
             * socket dead. */
            if (!c->close_sent) {
                if (!c->closing)
                    c->close_code = PK_CLOSE_GOING_AWAY;
                c->close_sent = 1;
                lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_KEEPALIVE_IDLE, LWS_TO_KILL_ASYNC);
            }
            return 0;
        }
        return 0;
    }
    /* Queued messages go out one after the other while the kernel takes each whole, up to
     * WRITE_BUDGET bytes a callback so that one busy socket does not hold up the others;
     * once lws has had to keep part of one, the rest wait for the next callback. */
    size_t written = 0;
    do {
        int n = lws_write(wsi, m->buf + LWS_PRE, m->len, LWS_WRITE_TEXT);
        if (n < (int)m->len)
            return -1;
        written += m->len;
        c->head = m->next;
        if (!c->head)
            c->tail = NULL;
        c->queued -= m->len;
        figures.queued -= m->len;
        figures.messages_out++;
        figures.bytes_out += m->len;
        if (m->waiter) {
            lua_pushboolean(sched_task_state(m->waiter), 1);
            sched_wake(m->waiter, 1);
        }
        free(m);
        m = c->head;
    } while (m && written < WRITE_BUDGET && !lws_partial_buffered(wsi));
    if (c->head || c->closing || server_going_away(c->srv))
        lws_callback_on_writable(wsi);
    return 0;
}

/* Whether a WebSocket handshake may go on: a page of another site must not open a session
 * here, and the host's and the client address's caps must allow one more socket. A refusal
 * is answered with an HTTP status before lws drops the connection. */
static int filter_handshake(struct lws *wsi)
{
    server *srv = lws_context_user(lws_get_context(wsi));
    /* Sessions live at one path; lws would upgrade any. */
    char path[16];
    if (lws_hdr_copy(wsi, path, sizeof path, WSI_TOKEN_GET_URI) <= 0 ||
        strcmp(path, PK_WS_PATH) != 0) {
        lws_return_http_status(wsi, HTTP_STATUS_NOT_FOUND, NULL);
        return -1;
    }
    if (!server_origin_allowed(srv, wsi))
        return -1;
    char key[PEER_KEY_SIZE];
    if (peers_key(wsi, server_get_limits(srv)->trust_proxy, key) < 0)
        return 0;
    int status = server_admit(srv, key);
    if (status) {
        lws_return_http_status(wsi, (unsigned)status, NULL);
        return -1;
    }
    return 0;
}

/* A socket that has not registered a session in time is closed with 1008. */
static void register_overdue(conn *c)
{
    static log_limiter warnings;
    server_count_register_timeout(c->srv);
    log_limited(&warnings, uv_now(sched_loop()), 10000, LOG_WARN,
                "a WebSocket did not register within %g s: closing it (1008)",
                server_get_limits(c->srv)->register_timeout);
    if (!c->closing)
        refuse(c, c->wsi, PK_CLOSE_POLICY);
    /* A client that does not read cannot take the close frame: it goes anyway. */
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, 5);
}

void ws_ping(beat *b, beat_entry *e)
{
    (void)b;
    conn *c = (conn *)((char *)e - offsetof(conn, beat));
    c->ping_due = 1;
    lws_callback_on_writable(c->wsi);
}

void ws_ping_overdue(beat *b, beat_entry *e)
{
    (void)b;
    conn *c = (conn *)((char *)e - offsetof(conn, beat));
    log_printf(LOG_DEBUG, "a WebSocket did not answer a ping in time: dropping it");
    kill_conn(c);
}

static int dispatch(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                    size_t len);

int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    in_callback++;
    int rc = dispatch(wsi, reason, user, in, len);
    in_callback--;
    return rc;
}

static int dispatch(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
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
    case LWS_CALLBACK_RECEIVE_PONG:
        if (slot->c)
            beat_confirm(server_beat(slot->c->srv), &slot->c->beat);
        return 0;
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
        return static_check_upgrade(wsi, in);
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return filter_handshake(wsi);
    case LWS_CALLBACK_HTTP: {
        /* Under --workers the front routes connections, not requests: a request on a
         * connection the browser kept from an earlier one (to another worker) may name
         * another worker's route. 421 and a closed connection make the browser send it
         * again on a new connection, which the front routes. */
        const char *mine = listen_front_route();
        char buf[64];
        const char *route = mine ? lws_get_urlarg_by_name(wsi, "route=", buf, sizeof buf) : NULL;
        if (route && strcmp(route, mine) != 0)
            return static_reply(wsi, 421, "this request is for another worker: send it again", 1);
        int rc = static_request(wsi);
        if (rc != STATIC_UPLOAD)
            return rc;
        server *srv = lws_context_user(lws_get_context(wsi));
        return upload_begin(wsi, server_uploads(srv), slot ? &slot->up : NULL);
    }
    case LWS_CALLBACK_HTTP_BODY:
        return slot ? upload_body(slot->up, in, len) : -1;
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        return slot ? upload_end(wsi, &slot->up) : -1;
    case LWS_CALLBACK_CLOSED_HTTP:
        if (slot)
            upload_abort(&slot->up);
        break;
    case LWS_CALLBACK_TIMER: {
        /* A WebSocket's timer is its register deadline; an HTTP request's answers it. */
        if (slot && slot->c) {
            if (!slot->c->registered)
                register_overdue(slot->c);
            return 0;
        }
        server *srv = lws_context_user(lws_get_context(wsi));
        int rc = server_metrics(srv, wsi);
        return rc != 1 ? rc : static_answer(wsi, server_roots(srv));
    }
    case LWS_CALLBACK_HTTP_FILE_COMPLETION:
        return static_file_done(wsi);
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
        /* A close frame from the client: a tab that goes away says so (1000 or 1001). lws
         * echoes the frame back, having turned the codes it knows to be invalid into 1002;
         * but a one-byte body or a code past 4999 it would echo as it is, and a reason that
         * stops inside a UTF-8 sequence too (it checks only that the bytes could begin valid
         * text). The client would take either for a protocol error of ours: they get 1002 and
         * 1007 here. */
        const unsigned char *body = in;
        unsigned code = len >= 2 ? (unsigned)body[0] << 8 | body[1] : 0;
        if (len == 1 || code > 4999) {
            lws_close_reason(wsi, PK_CLOSE_PROTOCOL_ERROR, NULL, 0);
            return -1;
        }
        if (len > 2 && !proto_utf8_valid((const char *)body + 2, len - 2)) {
            lws_close_reason(wsi, PK_CLOSE_INVALID_PAYLOAD, NULL, 0);
            return -1;
        }
        if (slot->c) {
            slot->c->peer_code = (int)code;
            end_conn(slot->c);
        }
        return 0;
    }
    case LWS_CALLBACK_WS_SERVER_DROP_PROTOCOL:
        /* lws is closing the connection, and sends its close frame next, before anything
         * we would write: with its own code for a frame its parser refused, or with ours.
         * Ours is set only now: lws keeps it in the buffer where it also keeps a ping's
         * payload for the pong, so a ping read between the two would have replaced it. */
        if (slot->c) {
            if (slot->c->close_sent)
                lws_close_reason(wsi, (enum lws_close_status)slot->c->close_code, NULL, 0);
            end_conn(slot->c);
        }
        return 0;
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
    if (!c || c->closing || c->dropped || c->ended) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return 2;
    }
    int now = write_now(c, text, len);
    if (now < 0 || (now == 0 && enqueue(c, text, len, NULL) < 0)) {
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
    if (!c || c->closing || c->dropped || c->ended || enqueue(c, text, len, t) < 0) {
        lua_pushboolean(L, 0);
        lua_pushliteral(L, "closed");
        return sched_await_results(L, t, 2);
    }
    lua_settop(L, 0);
    return sched_await(L, t, send_cleanup, c->tail, NULL);
}

/* conn:close([code]): closes after what is queued has been written, with close code `code`
 * (default 1000; 1000 or 3000 to 4999)   [-0, +0, e] */
static int l_close(lua_State *L)
{
    conn *c = check_open(L);
    lua_Integer code = luaL_optinteger(L, 2, PK_CLOSE_NORMAL);
    luaL_argcheck(L, code == 1000 || (code >= 3000 && code <= 4999), 2,
                  "not a close code an app may send");
    if (c && !c->closing) {
        c->closing = 1;
        c->close_code = (int)code;
        lws_callback_on_writable(c->wsi);
    }
    return 0;
}

/* conn:registered(): a session took the socket; the register deadline is off   [-0, +0, -] */
static int l_registered(lua_State *L)
{
    conn *c = check_open(L);
    if (c && !c->registered) {
        c->registered = 1;
        lws_set_timer_usecs(c->wsi, LWS_SET_TIMER_USEC_CANCEL);
    }
    return 0;
}

/* conn:address() -> the address the client counts under (peers.h), or nil   [-0, +1, -] */
static int l_address(lua_State *L)
{
    conn *c = check_open(L);
    if (c && c->peer)
        lua_pushstring(L, peers_entry_key(c->peer));
    else
        lua_pushnil(L);
    return 1;
}

/* conn:user_agent() -> the User-Agent header of the socket's handshake (at most 512 bytes),
 * or nil   [-0, +1, -] */
static int l_user_agent(lua_State *L)
{
    luaL_checkudata(L, 1, CONN_MT);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

/* conn:is_open() -> boolean   [-0, +1, -] */
static int l_is_open(lua_State *L)
{
    conn *c = check_open(L);
    lua_pushboolean(L, c && !c->closing && !c->dropped && !c->ended);
    return 1;
}

void ws_register(lua_State *L)
{
    static const luaL_Reg methods[] = {{"send", l_send},
                                       {"send_async", l_send_async},
                                       {"close", l_close},
                                       {"is_open", l_is_open},
                                       {"registered", l_registered},
                                       {"address", l_address},
                                       {"user_agent", l_user_agent},
                                       {NULL, NULL}};
    if (luaL_newmetatable(L, CONN_MT)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
}
