/* static: the HTTP side of the server: files from the client's folder and the app's assets
 * folder, and nothing else. */
#ifndef LUAFLET_STATIC_H
#define LUAFLET_STATIC_H

#include <libwebsockets.h>

/* What static_request returns for a PUT to /upload, which upload_begin() takes on. */
#define STATIC_UPLOAD 1

/* Takes an HTTP request (LWS_CALLBACK_HTTP): a GET is answered on the next turn of the loop,
 * when the connection gets LWS_CALLBACK_TIMER; a PUT to /upload is left to the caller
 * (STATIC_UPLOAD); anything else gets 405 at once. A connection's 100th request is its last.
 * Returns what the callback should, or STATIC_UPLOAD. */
int static_request(struct lws *wsi);

/* Answers the GET taken (LWS_CALLBACK_TIMER) with a file found under the first of roots
 * (real paths, NULL-terminated) that has it, or 404. Paths with "." or ".." segments, and
 * files that resolve (through symlinks) outside their root, are refused. Returns what the
 * callback should return. */
int static_answer(struct lws *wsi, const char *const *roots);

/* Whether the request's Host header is as RFC 9112 (3.2) has it: an HTTP/1.1 request
 * carries exactly one, and any request's is a host and an optional port. Otherwise the
 * answer is 400. */
int static_host_ok(struct lws *wsi);

/* Checks a request to upgrade the connection to protocol to (LWS_CALLBACK_HTTP_CONFIRM_UPGRADE)
 * before lws goes on with it: only a WebSocket (400 otherwise), with a good Host header
 * (400), version 13 (426) and a Sec-WebSocket-Key that is base64 of 16 bytes (400). Returns
 * 0 to go on, or -1 after answering, to hang up. */
int static_check_upgrade(struct lws *wsi, const char *to);

/* A file has been sent (LWS_CALLBACK_HTTP_FILE_COMPLETION): the connection waits for its
 * next request, or closes after its last. Returns what the callback should. */
int static_file_done(struct lws *wsi);

/* Answers the request with code and a body of one line of text, then ends it: the
 * connection waits for its next request, or closes after its last or when close is set.
 * Returns what the callback should. */
int static_reply(struct lws *wsi, unsigned code, const char *text, int close);

/* Writes a whole response: the status code, the headers every response carries, headers
 * (lines that end in CRLF, or NULL), "connection: close" if close, and a one-line text body.
 * Returns 0, or -1 when it could not be written. */
int static_status(struct lws *wsi, unsigned code, const char *headers, int close);

#endif
