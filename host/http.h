/* http: an HTTP/1.1 client for tasks, on a libwebsockets client context that shares the
 * host's libuv loop. */
#ifndef LUAFLET_HTTP_H
#define LUAFLET_HTTP_H

#include <lua.h>

/* Starts destroying the client context, if one was made (the first of lws's two steps). */
void http_stop(void);

/* Finishes destroying it; the loop must run afterwards. */
void http_close(void);

/* Registers core.http_request into the table on top of L. */
void http_register(lua_State *L);

#endif
