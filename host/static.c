#include "static.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "log.h"

/* Requests one connection may make; the answer to the last says "connection: close", and the
 * connection closes after it, so that no client holds one connection for ever by asking
 * again before it idles out. */
#define MAX_REQUESTS 100

/* The types of the files the client and apps serve; anything else is sent as bytes. Not
 * lws_get_mimetype(): its table has no charset for text, dated font types, and no .mjs,
 * .map or .webp. */
static const struct {
    const char *ext, *type;
} mime_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".otf", "font/otf"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof mime_types / sizeof mime_types[0]; i++)
            if (strcmp(dot, mime_types[i].ext) == 0)
                return mime_types[i].type;
    return "application/octet-stream";
}

/* Whether the request path is one a file may have: absolute, no segment starting with a dot
 * ("..", ".", and hidden files such as .env or .git), no backslash and no control bytes. lws
 * has decoded %XX escapes already, so an encoded ".." is caught here too; a doubly encoded
 * one stays a harmless literal name. */
static int path_ok(const char *p)
{
    if (p[0] != '/')
        return 0;
    for (const char *s = p; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f || ch == '\\')
            return 0;
        if (ch == '/' && s[1] == '.')
            return 0;
    }
    return 1;
}

/* Resolves the request path under root (a real path): fills out with the file's real path
 * and *st with its status, and returns 0 when it is a regular file inside root, symlinks and
 * all resolved; -1 otherwise. A directory means its index.html. */
static int resolve(const char *root, const char *path, char out[PATH_MAX], struct stat *st)
{
    char joined[PATH_MAX];
    size_t n = strlen(path);
    int dir = n == 0 || path[n - 1] == '/';
    if (snprintf(joined, sizeof joined, "%s%s%s", root, path, dir ? "index.html" : "") >=
        (int)sizeof joined)
        return -1;
    if (!realpath(joined, out))
        return -1;
    size_t rn = strlen(root);
    if (strncmp(out, root, rn) != 0 || out[rn] != '/')
        return -1; /* a symlink that leads out of the folder */
    if (stat(out, st) != 0)
        return -1;
    if (S_ISDIR(st->st_mode)) {
        char index[PATH_MAX];
        if (snprintf(index, sizeof index, "%s/index.html", out) >= (int)sizeof index ||
            !realpath(index, out) || strncmp(out, root, rn) != 0 || out[rn] != '/' ||
            stat(out, st) != 0)
            return -1;
    }
    return S_ISREG(st->st_mode) ? 0 : -1;
}

/* The requests this connection has made. lws keeps no count, and the per-connection data
 * it gives the protocol is freed and made anew with each request, so the count is kept in
 * the connection's opaque pointer, which lws leaves to the application and keeps for the
 * connection's life. */
static unsigned requests(struct lws *wsi)
{
    return (unsigned)(uintptr_t)lws_get_opaque_user_data(wsi);
}

/* Whether this connection's request is its last: the answer closes it. */
static int last_request(struct lws *wsi) { return requests(wsi) >= MAX_REQUESTS; }

/* Writes a whole response whose body is text and a line break (the status line's code and
 * phrase when text is NULL). */
static int write_status(struct lws *wsi, unsigned code, const char *headers, int close,
                        const char *text)
{
    const char *phrase = code == 200 ? "OK"
        : code == 400                ? "Bad Request"
        : code == 403                ? "Forbidden"
        : code == 404                ? "Not Found"
        : code == 405                ? "Method Not Allowed"
        : code == 411                ? "Length Required"
        : code == 413                ? "Content Too Large"
        : code == 426                ? "Upgrade Required"
                                     : "Error";
    char body[512];
    int blen = text ? snprintf(body, sizeof body, "%s\n", text)
                    : snprintf(body, sizeof body, "%u %s\n", code, phrase);
    if (blen >= (int)sizeof body)
        blen = (int)sizeof body - 1;
    char clen[16];
    int clen_len = snprintf(clen, sizeof clen, "%d", blen);
    /* Our own buffer, not lws's per-thread one (see static_request). */
    unsigned char buf[LWS_PRE + 2048], *start = buf + LWS_PRE, *p = start;
    unsigned char *end = buf + sizeof buf - (size_t)blen;
    if (lws_add_http_header_status(wsi, code, &p, end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
                                     (const unsigned char *)"text/plain; charset=utf-8", 25, &p,
                                     end) ||
        lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
                                     (const unsigned char *)clen, clen_len, &p, end) ||
        (close &&
         lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5,
                                      &p, end)))
        return -1;
    if (headers) {
        size_t n = strlen(headers);
        if ((size_t)(end - p) < n)
            return -1;
        memcpy(p, headers, n);
        p += n;
    }
    if (lws_finalize_http_header(wsi, &p, end))
        return -1;
    memcpy(p, body, (size_t)blen);
    p += blen;
    int n = (int)(p - start);
    return lws_write(wsi, start, (size_t)n, LWS_WRITE_HTTP_HEADERS) == n ? 0 : -1;
}

int static_status(struct lws *wsi, unsigned code, const char *headers, int close)
{
    return write_status(wsi, code, headers, close, NULL);
}

int static_reply(struct lws *wsi, unsigned code, const char *text, int close)
{
    int last = close || last_request(wsi);
    if (write_status(wsi, code, NULL, last, text) < 0 || last)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Answers with a status, then ends the request: closes the connection if close, lets it
 * wait for the next request otherwise. Returns what the callback should. */
static int end_with_status(struct lws *wsi, unsigned code, const char *headers, int close)
{
    if (static_status(wsi, code, headers, close) < 0 || close)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Whether v is a Host header's value: a host (a name, an IPv4 address or an IPv6 one in
 * brackets) and an optional port (RFC 9110, 7.2; RFC 3986, 3.2.2). */
static int host_value_ok(const char *v)
{
    static const char name_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-._~!$&'()*+,;=%";
    size_t n;
    if (*v == '[') {
        n = strspn(v + 1, "0123456789abcdefABCDEF:.");
        if (n == 0 || v[1 + n] != ']')
            return 0;
        v += n + 2;
    } else {
        n = strspn(v, name_chars);
        if (n == 0)
            return 0;
        v += n;
    }
    if (*v == ':')
        v += 1 + strspn(v + 1, "0123456789");
    return *v == '\0';
}

int static_host_ok(struct lws *wsi)
{
    /* lws keeps a header that comes twice as two fragments of one: the whole is then longer
     * than its first fragment (by a separator at least, even when both are empty). */
    int total = lws_hdr_total_length(wsi, WSI_TOKEN_HOST);
    if (total != lws_hdr_fragment_length(wsi, WSI_TOKEN_HOST, 0))
        return 0;
    if (total == 0) {
        char version[16];
        return lws_hdr_copy(wsi, version, sizeof version, WSI_TOKEN_HTTP) > 0 &&
            strcmp(version, "HTTP/1.0") == 0;
    }
    char host[256];
    return lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) == total && host_value_ok(host);
}

/* lws 4.1 hands a request to LWS_CALLBACK_HTTP while the bytes that came after it in the same
 * read (a pipelined request) still lie in its per-thread buffer, and only copies them aside
 * once the callback has returned; an answer written from inside the callback
 * (lws_serve_http_file(), lws_return_http_status()) builds its headers in that same buffer
 * and garbles them, so the next request gets 403 or nothing (lib/roles/h1/ops-h1.c,
 * lws_h1_server_socket_service(), and lws_buflist_aware_finished_consuming()). So the
 * request is only taken here: reading stops, which keeps lws from parsing the next request
 * into the headers of this one, and a zero timer brings the answer (LWS_CALLBACK_TIMER,
 * static_answer) on the next turn of the loop, by when lws has the rest safe. lws cancels
 * the timer if the connection goes first. */
int static_request(struct lws *wsi)
{
    lws_set_opaque_user_data(wsi, (void *)(uintptr_t)(requests(wsi) + 1));
    if (!static_host_ok(wsi)) {
        /* A client that sends such requests gets no more answers on this connection. */
        log_printf(LOG_DEBUG, "http: a request without one good Host header: 400");
        return end_with_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL, 1);
    }
    if (!lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI)) {
        /* Files are read with GET; the one other request is a PUT of an upload (upload.c).
         * Other methods are answered at once: lws then reads and drops their body before the
         * connection goes on (and they are not pipelined). */
        char uri[16];
        if (lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_PUT_URI) > 0 && !strcmp(uri, "/upload"))
            return STATIC_UPLOAD;
        return end_with_status(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED, "allow: GET\r\n",
                               last_request(wsi));
    }
    lws_rx_flow_control(wsi, 0);
    lws_set_timer_usecs(wsi, 0);
    return 0;
}

/* Whether the request's Accept-Encoding takes `coding` (RFC 9110, 12.5.3): listed, and not
 * with q=0. */
static int accepts(struct lws *wsi, const char *coding)
{
    char v[256];
    if (lws_hdr_copy(wsi, v, sizeof v, WSI_TOKEN_HTTP_ACCEPT_ENCODING) <= 0)
        return 0;
    size_t n = strlen(coding);
    char *save = NULL;
    for (char *item = strtok_r(v, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        item += strspn(item, " \t");
        size_t len = strcspn(item, " \t;");
        if (len != n || strncasecmp(item, coding, n) != 0)
            continue;
        char *q = strstr(item + len, "q=");
        return !q || strtod(q + 2, NULL) > 0;
    }
    return 0;
}

/* The file to send for `file` (whose status resolve() gave in *st): a copy of it compressed
 * at build time (FILE.br or FILE.gz, client/compress.mjs) when the request takes that
 * encoding and the copy is as new as the file, else the file itself. Fills out, and *st with
 * the status of what is sent, and sets *coding (NULL for none). */
static void pick_encoding(struct lws *wsi, const char *file, char out[PATH_MAX], struct stat *st,
                          const char **coding)
{
    static const struct {
        const char *token, *suffix;
    } codings[] = {{"br", ".br"}, {"gzip", ".gz"}};
    *coding = NULL;
    snprintf(out, PATH_MAX, "%s", file);
    for (size_t i = 0; i < sizeof codings / sizeof codings[0]; i++) {
        char alt[PATH_MAX];
        struct stat ast;
        if (!accepts(wsi, codings[i].token) ||
            snprintf(alt, sizeof alt, "%s%s", file, codings[i].suffix) >= (int)sizeof alt ||
            stat(alt, &ast) != 0 || !S_ISREG(ast.st_mode) || ast.st_mtime < st->st_mtime)
            continue;
        snprintf(out, PATH_MAX, "%s", alt);
        *st = ast;
        *coding = codings[i].token;
        return;
    }
}

/* Answers 304 Not Modified: headers alone, then the request ends. */
static int not_modified(struct lws *wsi, const char *headers, int close)
{
    unsigned char buf[LWS_PRE + 1024], *start = buf + LWS_PRE, *p = start;
    unsigned char *end = buf + sizeof buf;
    size_t n = strlen(headers);
    if (lws_add_http_header_status(wsi, HTTP_STATUS_NOT_MODIFIED, &p, end) ||
        (size_t)(end - p) < n + 64)
        return -1;
    memcpy(p, headers, n);
    p += n;
    if ((close &&
         lws_add_http_header_by_token(wsi, WSI_TOKEN_CONNECTION, (const unsigned char *)"close", 5,
                                      &p, end)) ||
        lws_finalize_http_header(wsi, &p, end))
        return -1;
    int len = (int)(p - start);
    if (lws_write(wsi, start, (size_t)len, LWS_WRITE_HTTP_HEADERS) != len || close)
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int static_answer(struct lws *wsi, const char *const *roots)
{
    lws_rx_flow_control(wsi, 1);
    int last = last_request(wsi);
    char uri[PATH_MAX] = "", file[PATH_MAX];
    struct stat st;
    int found = 0, client = 0;
    int ok = lws_hdr_copy(wsi, uri, sizeof uri, WSI_TOKEN_GET_URI) > 0 && path_ok(uri);
    if (ok)
        for (const char *const *r = roots; *r && !found; r++)
            client = (found = resolve(*r, uri, file, &st) == 0) && r == roots;
    /* A browser's navigation to a path that names no file and has no extension is one of the
     * app's routes (a deep link, or a reload on /settings): the app's page answers it, and
     * opens at that route. Anything else (a script's request, a missing asset) stays 404. */
    const char *last_segment = strrchr(uri, '/');
    char accept[256];
    if (!found && ok && last_segment && !strchr(last_segment, '.') &&
        lws_hdr_copy(wsi, accept, sizeof accept, WSI_TOKEN_HTTP_ACCEPT) > 0 &&
        strstr(accept, "text/html"))
        found = resolve(roots[0], "/", file, &st) == 0;
    if (!found) {
        char safe[LOG_ESCAPE_SIZE];
        log_printf(LOG_DEBUG, "http: not served: %s",
                   log_escape(safe, sizeof safe, uri, strlen(uri)));
        return end_with_status(wsi, HTTP_STATUS_NOT_FOUND, NULL, last);
    }
    /* The compressed copy if the browser takes it, and an ETag of what is sent (its size
     * and time), so that a page loaded again costs a 304 per file instead of its bytes;
     * no-cache makes the browser ask each time, as the files keep their names when rebuilt.
     * The client's own icons (/icons/VERSION/NAME.svg, see client/build.mjs) never change
     * under their URL, which holds their package's version: browsers may keep them for good. */
    char sent[PATH_MAX], headers[256], tag[64], theirs[128];
    const char *coding;
    pick_encoding(wsi, file, sent, &st, &coding);
    snprintf(tag, sizeof tag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec);
    int hn =
        snprintf(headers, sizeof headers,
                 "etag: %s\r\ncache-control: %s\r\nvary: accept-encoding\r\n%s%s%s", tag,
                 client && strncmp(uri, "/icons/", 7) == 0 ? "public, max-age=31536000, immutable"
                                                           : "no-cache",
                 coding ? "content-encoding: " : "", coding ? coding : "", coding ? "\r\n" : "");
    if (lws_hdr_copy(wsi, theirs, sizeof theirs, WSI_TOKEN_HTTP_IF_NONE_MATCH) > 0 &&
        strstr(theirs, tag))
        return not_modified(wsi, headers, last);
    if (last)
        hn += snprintf(headers + hn, sizeof headers - (size_t)hn, "connection: close\r\n");
    int rc = lws_serve_http_file(wsi, sent, mime_of(file), headers, hn);
    if (rc < 0 || (rc > 0 && static_file_done(wsi)))
        return -1;
    return 0;
}

/* Whether key is a Sec-WebSocket-Key: 16 bytes in base64, so 22 characters of the base64
 * alphabet (the last carrying 2 bits, so one of A, Q, g and w) and "==" (RFC 6455, 4.1). */
static int ws_key_ok(const char *key)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    return strlen(key) == 24 && strspn(key, b64) == 22 && strchr("AQgw", key[21]) &&
        strcmp(key + 22, "==") == 0;
}

int static_check_upgrade(struct lws *wsi, const char *to)
{
    char value[64];
    if (!static_host_ok(wsi)) {
        log_printf(LOG_DEBUG, "http: an upgrade without one good Host header: 400");
        static_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL, 1);
        return -1;
    }
    if (!to || strcasecmp(to, "websocket") != 0) {
        /* lws would switch a cleartext connection to HTTP/2 on "h2c"; the host serves its
         * files over HTTP/1.1 only, and its callbacks are not made for HTTP/2 streams. */
        log_printf(LOG_DEBUG, "http: an upgrade to something else than a WebSocket: 400");
        static_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL, 1);
        return -1;
    }
    /* lws 4.1 upgrades a handshake of any version, and with any key (it only hashes it). */
    if (lws_hdr_copy(wsi, value, sizeof value, WSI_TOKEN_VERSION) <= 0 ||
        strcmp(value, "13") != 0) {
        log_printf(LOG_DEBUG, "http: a WebSocket handshake of another version: 426");
        static_status(wsi, 426, "sec-websocket-version: 13\r\n", 1);
        return -1;
    }
    if (lws_hdr_copy(wsi, value, sizeof value, WSI_TOKEN_KEY) <= 0 || !ws_key_ok(value)) {
        log_printf(LOG_DEBUG, "http: a WebSocket handshake with a bad key: 400");
        static_status(wsi, HTTP_STATUS_BAD_REQUEST, NULL, 1);
        return -1;
    }
    return 0;
}

int static_file_done(struct lws *wsi)
{
    if (last_request(wsi))
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}
