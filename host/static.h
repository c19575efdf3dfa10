/* static: the HTTP side of the server: files from the client's folder and the app's assets
 * folder, and nothing else. */
#ifndef LUAFLET_STATIC_H
#define LUAFLET_STATIC_H

#include <libwebsockets.h>

/* Answers the HTTP request for uri (LWS_CALLBACK_HTTP) with a file found under the first of
 * roots (real paths, NULL-terminated) that has it, or 404. Paths with "." or ".." segments,
 * and files that resolve (through symlinks) outside their root, are refused. Returns what
 * the callback should return. */
int static_serve(struct lws *wsi, const char *const *roots, const char *uri);

#endif
