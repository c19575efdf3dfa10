/* ws: the sessions' sockets: message assembly, the outbound queue, and the connection
 * object that Lua sees. */
#ifndef LUAFLET_WS_H
#define LUAFLET_WS_H

#include <libwebsockets.h>
#include <lua.h>

/* The lws protocol callback for the /ws endpoint. */
int ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                size_t len);

/* Bytes lws keeps per connection for us. */
size_t ws_session_size(void);

/* Registers the connection metatable. */
void ws_register(lua_State *L);

#endif
