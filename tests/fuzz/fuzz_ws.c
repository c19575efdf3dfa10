/* libFuzzer target for what a client's bytes meet once its WebSocket handshake is through:
 * libwebsockets' frame parser, then host/ws.c (messages assembled from fragments, the size
 * limit, the UTF-8 check, binary frames, the rate limit, close codes), then the session's
 * handlers of a real app. The stack is the host's own: core.serve() (tests/fuzz/ws.lua) makes
 * the lws context on the libuv loop as the host does, and each input is one connection: one
 * end of a socketpair, which the server adopts as if it had accepted it, while this file
 * plays the client on the other end, on the same loop.
 *
 * The client writes a fixed, valid handshake and waits until the server has read it; then it
 * writes the input, read as a list of records:
 *
 *   frame:  C B0 B1 [2 or 8 length bytes] [payload]    (C < 0x80)
 *     B0 is the frame's first byte as sent (FIN, RSV1-3, opcode) and B1 its second (MASK,
 *     then a length of 0-125, or 126 or 127 for a 2- or 8-byte length that follows, taken
 *     as it is). A masked frame gets a fixed key, which the client applies to the payload:
 *     the input holds payloads in clear. The payload is as long as the length says, or the
 *     rest of the input. C's bit FLUSH waits after the frame until the server has read
 *     everything written so far, and SPLIT does so in the middle of the payload as well, so
 *     that frames and messages reach the server in several reads.
 *   raw:    C B...    (C >= 0x80): C - 0x80 bytes written as they are.
 *
 * Then the client shuts its side down (a client that went away) and runs the loop until the
 * server has closed the connection and every task has ended. What the server sends is
 * checked as it comes: a 101 answer, then only whole, unmasked frames without RSV bits: text
 * frames holding a JSON object, pings, pongs, and at most one close frame, with a code an
 * endpoint may send, after which come only pings and pongs. A crash, a sanitizer report, an
 * error of the session's handlers, a reply out of shape, or a connection or task the host
 * keeps after its client went away is a finding.
 *
 * Run from the repository's root (the Lua library is found under lua/): make fuzz.
 * FUZZ_LOG=info (or warn, debug) shows the host's log, to see what an input does. */
#include <cJSON.h>
#include <errno.h>
#include <lauxlib.h>
#include <linux/sockios.h>
#include <lualib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "../../host/core.h"
#include "../../host/proto.h"
#include "../../host/sched.h"
#include "../../host/server.h"

enum { FLUSH = 0x02, SPLIT = 0x04, RAW = 0x80 };

/* How long the server may take to read what was written before the client writes on anyway,
 * and to close the connection once its client has gone before that is a finding; and how
 * often the loop wakes up to look at the clock meanwhile. Inputs take a millisecond or two:
 * these only bound the ones where the server stops reading. */
#define READ_WAIT_MS 1000
#define CLOSE_WAIT_MS 5000
#define TICK_MS 50

static const char handshake[] = "GET /ws HTTP/1.1\r\n"
                                "Host: 127.0.0.1\r\n"
                                "Upgrade: websocket\r\n"
                                "Connection: Upgrade\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                "Sec-WebSocket-Version: 13\r\n"
                                "\r\n";
static const unsigned char mask_key[4] = {0x5a, 0xc3, 0x17, 0x88};

/* Raw bytes on the client side, as unsigned char (the host's buf holds text). */
typedef struct octets {
    unsigned char *p;
    size_t len, cap;
} octets;

/* The client end of one connection. */
typedef struct client {
    int fd;
    uv_poll_t poll;
    int poll_closed;
    octets in;    /* what the server sent and is not yet checked */
    octets out;   /* what the client writes at the next flush */
    int upgraded; /* the 101 answer was seen */
    int closed;   /* a close frame was seen */
    int eof;      /* the server closed its side (or reset it) */
} client;

/* What the server answered, as features for libFuzzer beside its code coverage. libwebsockets
 * is the system's library, built without coverage instrumentation, so the fuzzer cannot see
 * which of its paths an input took; the answer is the next best thing, and an input that
 * brings a new one (another close code, a pong, a kind of reply) is kept. libFuzzer clears
 * these before each input. */
enum {
    OUT_CLOSE = 0, /* + the close code's class, see close_class() */
    OUT_TEXT = 20, /* + the reply's kind: init, patch, resume, error, other */
    OUT_PING = 25,
    OUT_PONG = 26,
    OUT_REPLIES = 27,   /* counts text frames */
    OUT_EOF_FIRST = 28, /* the server closed without a close frame */
    OUT_N = 32
};
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t outcomes[OUT_N];

static void seen(int feature)
{
    if (outcomes[feature] < 255)
        outcomes[feature]++;
}

static lua_State *L;
static int module_ref;
static server *srv;
static uv_loop_t *loop;
static uv_timer_t tick;
static int base_tasks; /* tasks alive between inputs */

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_ws: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* A reply out of shape: shows what it was and stops. */
static void finding(const char *what, const unsigned char *p, size_t n)
{
    fprintf(stderr, "fuzz_ws: the host sent %s (%zu bytes):", what, n);
    for (size_t i = 0; i < n && i < 96; i++)
        fprintf(stderr, " %02x", p[i]);
    fprintf(stderr, "%s\n", n > 96 ? " ..." : "");
    abort();
}

static void reserve(octets *b, size_t more)
{
    if (b->cap - b->len >= more)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < more)
        cap *= 2;
    b->p = realloc(b->p, cap);
    if (!b->p)
        abort();
    b->cap = cap;
}

static void append(octets *b, const void *p, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

/* ------------------------------------------------------------ what the server sends */

/* Close codes an endpoint may put in a close frame (RFC 6455, 7.4): never 1004-1006, 1015 or
 * those left unassigned. */
static int sendable_close_code(unsigned code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
        (code >= 3000 && code <= 4999);
}

/* 0-15: codes 1000-1015; 16: 3000-4999; 17: another; 18: a close frame without a code. */
static int close_class(const unsigned char *p, size_t n)
{
    if (n < 2)
        return 18;
    unsigned code = (unsigned)p[0] << 8 | p[1];
    if (code >= 1000 && code <= 1015)
        return (int)(code - 1000);
    return code >= 3000 && code <= 4999 ? 16 : 17;
}

/* The kind of a reply, from its "t" field. */
static int reply_kind(const cJSON *json)
{
    static const char *const kinds[] = {"init", "patch", "resume", "error"};
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(json, "t");
    for (int i = 0; i < 4; i++)
        if (cJSON_IsString(t) && strcmp(t->valuestring, kinds[i]) == 0)
            return i;
    return 4;
}

static void check_frame(client *c, const unsigned char *f, size_t hdr, size_t n)
{
    const unsigned char *p = f + hdr;
    /* RFC 6455 forbids data frames after a close frame (5.5.1); a pong answering a ping that
     * came before the client saw the close is allowed. */
    if (c->closed && (f[0] & 0x0f) != 9 && (f[0] & 0x0f) != 10)
        finding("a frame after its close frame", f, hdr + n);
    if ((f[0] & 0xf0) != 0x80)
        finding("a fragment, or a frame with RSV bits", f, hdr);
    if (f[1] & 0x80)
        finding("a masked frame", f, hdr);
    switch (f[0] & 0x0f) {
    case 1: {
        cJSON *json = cJSON_ParseWithLength((const char *)p, n);
        int object = cJSON_IsObject(json) && proto_utf8_valid((const char *)p, n);
        if (object) {
            seen(OUT_TEXT + reply_kind(json));
            seen(OUT_REPLIES);
        }
        cJSON_Delete(json);
        if (!object)
            finding("a text frame that is not a JSON object", p, n);
        break;
    }
    case 8:
        if (n == 1 || n > 125)
            finding("a close frame of a wrong length", f, hdr + n);
        if (n >= 2 && !sendable_close_code((unsigned)p[0] << 8 | p[1]))
            finding("a close code no endpoint may send", f, hdr + n);
        if (n > 2 && !proto_utf8_valid((const char *)p + 2, n - 2))
            finding("a close reason that is not UTF-8", f, hdr + n);
        seen(OUT_CLOSE + close_class(p, n));
        c->closed = 1;
        break;
    case 9:
    case 10:
        if (n > 125)
            finding("a control frame over 125 bytes", f, hdr);
        seen((f[0] & 0x0f) == 9 ? OUT_PING : OUT_PONG);
        break;
    default:
        finding("a frame of an unexpected kind", f, hdr);
    }
}

/* Checks what has come in so far: the handshake's answer, then every whole frame. */
static void check_input(client *c)
{
    size_t pos = 0;
    if (!c->upgraded) {
        unsigned char *end = memmem(c->in.p, c->in.len, "\r\n\r\n", 4);
        if (!end) {
            if (c->in.len > 4096)
                finding("an HTTP answer that does not end", c->in.p, c->in.len);
            return;
        }
        if (c->in.len < 12 || memcmp(c->in.p, "HTTP/1.1 101", 12) != 0)
            finding("another answer than 101 to a valid handshake", c->in.p,
                    (size_t)(end - c->in.p));
        c->upgraded = 1;
        pos = (size_t)(end - c->in.p) + 4;
    }
    for (;;) {
        const unsigned char *f = c->in.p + pos;
        size_t avail = c->in.len - pos, hdr = 2;
        if (avail < 2)
            break;
        uint64_t n = f[1] & 0x7f;
        if (n >= 126) {
            hdr = n == 126 ? 4 : 10;
            if (avail < hdr)
                break;
            n = 0;
            for (size_t i = 2; i < hdr; i++)
                n = n << 8 | f[i];
        }
        if (n > 16 * 1024 * 1024)
            finding("a frame longer than anything the host sends", f, hdr);
        if (avail - hdr < n)
            break;
        check_frame(c, f, hdr, (size_t)n);
        pos += hdr + (size_t)n;
    }
    memmove(c->in.p, c->in.p + pos, c->in.len - pos);
    c->in.len -= pos;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
    client *c = h->data;
    (void)events;
    while (status == 0) {
        reserve(&c->in, 4096);
        ssize_t n = recv(c->fd, c->in.p + c->in.len, c->in.cap - c->in.len, 0);
        if (n > 0) {
            c->in.len += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        status = -1; /* 0: the server shut its side; or an error such as ECONNRESET */
    }
    check_input(c);
    if (status != 0) {
        c->eof = 1;
        if (!c->closed)
            seen(OUT_EOF_FIRST);
        uv_poll_stop(h);
    }
}

/* ------------------------------------------------------------ what the client writes */

static void on_tick(uv_timer_t *h) { (void)h; }

/* Bytes the server has not read yet of what the client wrote. */
static int unread(client *c)
{
    int n = 0;
    if (ioctl(c->fd, SIOCOUTQ, &n) < 0)
        die("SIOCOUTQ", strerror(errno));
    return n;
}

/* Writes what is in c->out, then runs the loop until the server has read it all (or gone, or
 * READ_WAIT_MS have passed). */
static void flush(client *c)
{
    uint64_t deadline = uv_now(loop) + READ_WAIT_MS;
    size_t done = 0;
    while (done < c->out.len && !c->eof) {
        ssize_t n = send(c->fd, c->out.p + done, c->out.len - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += (size_t)n;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (uv_now(loop) > deadline)
                break;
            uv_run(loop, UV_RUN_ONCE);
        } else if (errno != EINTR) {
            break; /* EPIPE, ECONNRESET: the server is gone */
        }
    }
    c->out.len = 0;
    while (!c->eof && unread(c) > 0 && uv_now(loop) <= deadline)
        uv_run(loop, UV_RUN_ONCE);
}

/* Appends n payload bytes, masked from offset `at` of the payload when masked. */
static void payload(client *c, const uint8_t *p, size_t n, size_t at, int masked)
{
    reserve(&c->out, n);
    for (size_t i = 0; i < n; i++)
        c->out.p[c->out.len++] = masked ? p[i] ^ mask_key[(at + i) % 4] : p[i];
}

static void write_records(client *c, const uint8_t *data, size_t size)
{
    size_t i = 0;
    while (i < size && !c->eof) {
        uint8_t ctl = data[i++];
        if (ctl & RAW) {
            size_t n = (size_t)(ctl & ~RAW) < size - i ? (size_t)(ctl & ~RAW) : size - i;
            append(&c->out, data + i, n);
            i += n;
            continue;
        }
        /* The header: its two bytes, then the extended length when B1 announces one; a header
         * the input cuts short is written as far as it goes. */
        size_t head = size - i < 2 ? size - i : 2;
        append(&c->out, data + i, head);
        i += head;
        if (head < 2)
            break;
        uint8_t b1 = data[i - 1];
        int masked = b1 & 0x80;
        uint64_t len = b1 & 0x7f;
        if (len >= 126) {
            size_t ext = len == 126 ? 2 : 8;
            if (size - i < ext) {
                append(&c->out, data + i, size - i);
                break;
            }
            len = 0;
            for (size_t k = 0; k < ext; k++)
                len = len << 8 | data[i + k];
            append(&c->out, data + i, ext);
            i += ext;
        }
        if (masked)
            append(&c->out, mask_key, sizeof mask_key);
        size_t n = len < size - i ? (size_t)len : size - i;
        size_t first = ctl & SPLIT ? n / 2 : n;
        payload(c, data + i, first, 0, masked);
        if (ctl & SPLIT)
            flush(c);
        payload(c, data + i + first, n - first, first, masked);
        i += n;
        if (ctl & FLUSH)
            flush(c);
    }
    flush(c);
}

/* ------------------------------------------------------------ one connection */

static void poll_closed(uv_handle_t *h) { ((client *)h->data)->poll_closed = 1; }

/* Whether a task of the session's handlers failed; stops with its error if one did. */
static void check_handlers(void)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, module_ref);
    lua_getfield(L, -1, "failure");
    if (lua_isstring(L, -1))
        die("a session handler failed", lua_tostring(L, -1));
    lua_pop(L, 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static client c;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) < 0)
        die("socketpair", strerror(errno));
    c.fd = sv[0];
    c.in.len = c.out.len = 0;
    c.upgraded = c.closed = c.eof = c.poll_closed = 0;
    c.poll.data = &c;
    uv_poll_init_socket(loop, &c.poll, c.fd);
    uv_poll_start(&c.poll, UV_READABLE, on_readable);
    uv_timer_start(&tick, on_tick, TICK_MS, TICK_MS);
    uv_update_time(loop);
    if (server_adopt(srv, sv[1]) < 0)
        die("the server did not take the socket", NULL);

    append(&c.out, handshake, sizeof handshake - 1);
    flush(&c);
    write_records(&c, data, size);

    /* The client goes away: the server must notice, close, and end the session's tasks. */
    shutdown(c.fd, SHUT_WR);
    uint64_t deadline = uv_now(loop) + CLOSE_WAIT_MS;
    while ((!c.eof || sched_live_tasks() > base_tasks) && uv_now(loop) <= deadline)
        uv_run(loop, UV_RUN_ONCE);
    if (!c.eof)
        die("the host kept a connection open after its client went away", NULL);
    if (sched_live_tasks() > base_tasks)
        die("tasks of a connection outlived it", NULL);
    if (!c.upgraded)
        finding("no answer to a valid handshake", c.in.p, c.in.len);
    check_handlers();

    uv_timer_stop(&tick);
    uv_close((uv_handle_t *)&c.poll, poll_closed);
    while (!c.poll_closed)
        uv_run(loop, UV_RUN_NOWAIT);
    close(c.fd);
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    signal(SIGPIPE, SIG_IGN); /* as the host does */
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "luaflet.core", luaopen_luaflet_core, 0);
    lua_pop(L, 1);
    if (luaL_dostring(L,
                      "package.path = 'lua/?.lua;lua/?/init.lua;tests/fuzz/?.lua;' .. "
                      "package.path; require('luaflet.core').set_log_level("
                      "os.getenv('FUZZ_LOG') or 'error'); return (require 'ws')") != LUA_OK)
        die("cannot load tests/fuzz/ws.lua (run from the repository's root)", lua_tostring(L, -1));
    lua_getfield(L, -1, "server");
    srv = server_check(L, -1);
    lua_pop(L, 1);
    module_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    loop = sched_loop();
    uv_timer_init(loop, &tick);
    base_tasks = sched_live_tasks();
    return 0;
}
