/* ws: the sessions' sockets: message assembly, the outbound queue, and the connection
 * object that Lua sees. */
#ifndef LUAFLET_WS_H
#define LUAFLET_WS_H

#include <libwebsockets.h>

#include "beat.h"
#include <lua.h>
#include <stdint.h>

/* The lws protocol callback for the /ws endpoint. */
int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                size_t len);

/* Bytes lws keeps per connection for us. */
size_t ws_session_size(void);

/* The server's heartbeat (beat.h) calls these from its timer: a WebSocket is due a ping (it
 * is sent from the writeable callback), or did not answer one in time (it is dropped without
 * a close frame, as a lost network would be). */
void ws_ping(beat *b, beat_entry *e);
void ws_ping_overdue(beat *b, beat_entry *e);

/* What every session's socket did since the host started, for /metrics. */
typedef struct ws_figures {
    uint64_t messages_in;  /* whole messages taken from clients (within their rate) */
    uint64_t messages_out; /* messages written to clients */
    uint64_t bytes_out;    /* and their bytes */
    uint64_t queued;       /* bytes queued and not yet written, now */
} ws_figures;

const ws_figures *ws_get_figures(void);

/* Registers the connection metatable. */
void ws_register(lua_State *L);

#endif
