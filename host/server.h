/* server: one libwebsockets context on the host's libuv loop, serving the client's files over
 * HTTP and the WebSocket endpoint /ws on the same port. */
#ifndef LUAFLET_SERVER_H
#define LUAFLET_SERVER_H

#include <libwebsockets.h>
#include <lua.h>
#include <stddef.h>

#include "beat.h"
#include "upload.h"

typedef struct server server;

/* What a server allows its clients; set by core.serve(). */
typedef struct server_limits {
    size_t max_message;      /* largest inbound message, bytes */
    size_t max_send_queue;   /* unsent bytes past which a client that stops reading is dropped */
    double event_rate;       /* inbound messages per second a client may keep up (0: no limit) */
    double event_burst;      /* and how many it may send at once */
    unsigned max_sockets;    /* WebSockets open at once, registered or not */
    double register_timeout; /* seconds a new WebSocket has to register a session */
    int trust_proxy;         /* count clients by X-Forwarded-For's last address */
} server_limits;

/* Registry refs of the Lua functions that take a connection's messages and its end. */
int server_on_message_ref(const server *s);
int server_on_close_ref(const server *s);
/* on_ack(conn, seq) -> true once taken: the acknowledgements' fast path (ws.c), or LUA_NOREF. */
int server_on_ack_ref(const server *s);
const server_limits *server_get_limits(const server *s);

/* The folders files are served from (real paths, NULL-terminated): the client's, then the
 * app's assets. */
const char *const *server_roots(const server *s);

/* Where the server puts uploads, and their largest size. */
const upload_conf *server_uploads(const server *s);

/* Whether a WebSocket handshake may go on: its Origin (when the client sent one) is this
 * server's own (the Host it asked for) or one of the allowed origins. */
int server_origin_allowed(const server *s, struct lws *wsi);

/* A connection opened (+1) or closed (-1); the last to close lets a stopping server finish. */
void server_conn_delta(server *s, int delta);

/* Whether one more WebSocket may open: under max_sockets in all, and its address (key)
 * within its own caps (see peers.h). Returns 0, or an HTTP status to refuse it with. */
int server_admit(server *s, const char *key);

/* Per-address accounting, for the sockets of this server. */
struct peers *server_peers(server *s);

/* A WebSocket did not register in time (for /metrics). */
void server_count_register_timeout(server *s);

/* Answers GET /healthz, and GET /metrics with --metrics (only to a client on this machine
 * unless --metrics-public: the figures are the operator's), when static_request() has taken a
 * request for it; returns what the callback returns, or 1 if the request is for something
 * else. */
int server_metrics(server *s, struct lws *wsi);

/* Whether the server is stopping: no new connections, and open ones are closed with 1001
 * once their queued messages are out. */
int server_going_away(const server *s);

/* The heartbeat of the server's WebSockets (see beat.h). */
beat *server_beat(server *s);

/* Stops every running server: no new connections; open sockets are told the host is going
 * away (1001) and given up to two seconds before the server is torn down. */
void server_stop_all(void);

/* Drains every running server (SIGTERM): closes its port, so that no one new comes, and
 * lets the open connections end by themselves. done() runs once, when none is left or after
 * `seconds`, whichever comes first; it is expected to stop the host. */
void server_drain_all(double seconds, void (*done)(void));

/* Whether a server is still serving or still closing its sockets. */
int server_any_running(void);

/* Finishes the teardown of stopped servers and frees them; the loop must run afterwards. */
void server_close_all(void);

/* Serves fd, a connected stream socket accepted elsewhere, as if it had come in on s's port:
 * its first bytes are an HTTP request or a WebSocket handshake. The server owns fd from then
 * on, failure included. Returns 0, or -1 when the server is stopping or lws refused it. The
 * WebSocket fuzz target (tests/fuzz/fuzz_ws.c) serves one end of a socketpair this way. */
int server_adopt(server *s, int fd);

/* The server behind the handle that core.serve() returned, at index idx of L; raises if the
 * value is not one or the server is closed.   [-0, +0, v] */
server *server_check(lua_State *L, int idx);

/* Registers core.serve() into the table on top of L. */
void server_register(lua_State *L);

#endif
