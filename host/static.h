/* static: the HTTP side of the server: files from the client's folder and the app's assets
 * folder, and nothing else. */
#ifndef LUAFLET_STATIC_H
#define LUAFLET_STATIC_H

#include <libwebsockets.h>

/* Takes an HTTP request (LWS_CALLBACK_HTTP): a GET is answered on the next turn of the loop,
 * when the connection gets LWS_CALLBACK_TIMER; anything else gets 405 at once. Returns what
 * the callback should. */
int static_request(struct lws *wsi);

/* Answers the GET taken (LWS_CALLBACK_TIMER) with a file found under the first of roots
 * (real paths, NULL-terminated) that has it, or 404. Paths with "." or ".." segments, and
 * files that resolve (through symlinks) outside their root, are refused. Returns what the
 * callback should return. */
int static_answer(struct lws *wsi, const char *const *roots);

#endif
