/* upload: files a page's browser sends into the app's upload folder (--upload-dir). The app
 * signs a URL for one file name and a time (page:get_upload_url); the browser PUTs the file's
 * bytes to it, and the host writes them to disk as they come, so a file is never held in
 * memory, nor seen under its name before it is whole. */
#ifndef LUAFLET_UPLOAD_H
#define LUAFLET_UPLOAD_H

#include <libwebsockets.h>
#include <lua.h>
#include <stdint.h>

/* Where a server puts uploads: dir is a real path (NULL when uploads are off); max is the
 * largest file in bytes. */
typedef struct upload_conf {
    const char *dir;
    uint64_t max;
} upload_conf;

/* One upload being received; owned by the request's per-connection data until it ends. */
typedef struct upload upload;

/* Whether name (len bytes) can be the name of a file in the upload folder: one path segment
 * of 1 to 255 bytes, valid UTF-8, with no control character, and not starting with a dot
 * (so neither "." nor "..", nor the names of files still being received). */
int upload_name_ok(const char *name, size_t len);

/* Takes a PUT to /upload (LWS_CALLBACK_HTTP): checks its URL's signature and time, its
 * length against conf->max, and opens a file to receive it, setting *up; or answers with why
 * not (404 uploads are off, 403 a URL that is not good or no longer, 411 no length, 413 too
 * large). Returns what the callback should. */
int upload_begin(struct lws *wsi, const upload_conf *conf, upload **up);

/* Writes a piece of the body (LWS_CALLBACK_HTTP_BODY). Returns what the callback should. */
int upload_body(upload *up, const void *in, size_t len);

/* The body is whole (LWS_CALLBACK_HTTP_BODY_COMPLETION): the file takes its name, and the
 * browser is told (200), or why not; *up is freed and cleared. Returns what the callback
 * should. */
int upload_end(struct lws *wsi, upload **up);

/* The connection closed before the body was whole: what was received is deleted, and *up
 * freed and cleared. Nothing happens when *up is NULL. */
void upload_abort(upload **up);

/* Registers core.upload_url(name, seconds) into the table on top of L. */
void upload_register(lua_State *L);

#endif
