#include "upload.h"

#include <lauxlib.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "log.h"
#include "mem.h"
#include "proto.h"
#include "static.h"

struct upload {
    int fd;
    int err;           /* errno of a failed write: the rest is dropped, the answer is 500 */
    uint64_t expected; /* Content-Length */
    uint64_t got;
    char name[256];
    char part[PATH_MAX];  /* where the bytes go until they are whole: a dot file */
    char whole[PATH_MAX]; /* where they go then */
};

/* The key URLs are signed with: LUAFLET_SECRET_KEY when set (so that every process serving
 * the app takes the others' URLs), else random bytes made once per process. */
static unsigned char key[64];
static size_t key_len;

static int key_ready(void)
{
    if (key_len)
        return 0;
    const char *given = getenv("LUAFLET_SECRET_KEY");
    if (given && *given) {
        /* Any length is a good HMAC key; a long one is hashed to fit. */
        unsigned int n = 0;
        if (!EVP_Digest(given, strlen(given), key, &n, EVP_sha256(), NULL))
            return -1;
        key_len = n;
        return 0;
    }
    if (uv_random(NULL, NULL, key, 32, 0, NULL) != 0)
        return -1;
    key_len = 32;
    return 0;
}

/* The signature of (name, expires) as 64 hex digits and a NUL. */
static int sign(const char *name, long long expires, char out[65])
{
    if (key_ready() < 0)
        return -1;
    char msg[300];
    int n = snprintf(msg, sizeof msg, "%s%c%lld", name, 0, expires);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (n < 0 || n >= (int)sizeof msg ||
        !HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, (size_t)n, md, &md_len))
        return -1;
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

int upload_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > 255 || name[0] == '.' || !proto_utf8_valid(name, len))
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
            return 0;
    }
    return 1;
}

/* A URL argument (decoded by lws) into out; 0 when it is there and fits. */
static int arg(struct lws *wsi, const char *name_eq, char *out, int size)
{
    const char *v = lws_get_urlarg_by_name(wsi, name_eq, out, size);
    if (!v)
        return -1;
    memmove(out, v, strlen(v) + 1);
    return 0;
}

/* Refuses the upload with code and why, logged at debug level. lws reads and drops a
 * refused body of a known length before the connection's next request; one of unknown length
 * (chunked) it could not tell from that request, so that connection closes. */
static int refuse(struct lws *wsi, unsigned code, const char *why)
{
    log_printf(LOG_DEBUG, "upload refused (%u): %s", code, why);
    return static_reply(wsi, code, why, code == 411);
}

int upload_begin(struct lws *wsi, const upload_conf *conf, upload **up)
{
    if (!conf->dir)
        return refuse(wsi, 404, "uploads are off: the app has no upload folder (--upload-dir)");
    char name[300], expires_text[32], signature[80], mine[65];
    if (arg(wsi, "f=", name, sizeof name) || arg(wsi, "e=", expires_text, sizeof expires_text) ||
        arg(wsi, "s=", signature, sizeof signature))
        return refuse(wsi, 403, "this upload URL is not one the app made");
    char *end;
    errno = 0;
    long long expires = strtoll(expires_text, &end, 10);
    if (errno || *end || end == expires_text || !upload_name_ok(name, strlen(name)) ||
        sign(name, expires, mine) < 0 || strlen(signature) != 64 ||
        CRYPTO_memcmp(signature, mine, 64) != 0)
        return refuse(wsi, 403, "this upload URL is not one the app made");
    if ((long long)time(NULL) > expires)
        return refuse(wsi, 403, "this upload URL has expired: ask the app for a new one");
    char length_text[32];
    int n = lws_hdr_copy(wsi, length_text, sizeof length_text, WSI_TOKEN_HTTP_CONTENT_LENGTH);
    errno = 0;
    unsigned long long length = n > 0 ? strtoull(length_text, &end, 10) : 0;
    if (n <= 0 || errno || *end || length_text[0] < '0' || length_text[0] > '9')
        return refuse(wsi, 411, "an upload must say its length (Content-Length)");
    if (length > conf->max) {
        char why[160];
        snprintf(why, sizeof why,
                 "the file is %llu bytes, over the upload limit of %" PRIu64 " (--max-upload)",
                 length, conf->max);
        return refuse(wsi, 413, why);
    }
    if (!up)
        return refuse(wsi, 500, "the upload could not be taken");
    upload *u = mem_calloc(1, sizeof *u);
    u->expected = length;
    snprintf(u->name, sizeof u->name, "%s", name);
    int pn = snprintf(u->part, sizeof u->part, "%s/.upload-XXXXXX", conf->dir);
    int wn = snprintf(u->whole, sizeof u->whole, "%s/%s", conf->dir, name);
    u->fd = pn < (int)sizeof u->part && wn < (int)sizeof u->whole ? mkostemp(u->part, O_CLOEXEC)
                                                                  : (errno = ENAMETOOLONG, -1);
    if (u->fd < 0) {
        char why[160];
        snprintf(why, sizeof why, "the upload folder cannot take files: %s", strerror(errno));
        log_printf(LOG_ERROR, "upload: %s", why);
        free(u);
        return refuse(wsi, 500, why);
    }
    /* mkostemp makes the file for its owner only; an uploaded file is like any other. */
    fchmod(u->fd, 0644);
    char safe[LOG_ESCAPE_SIZE];
    log_printf(LOG_DEBUG, "receiving %s, %llu bytes",
               log_escape(safe, sizeof safe, name, strlen(name)), length);
    *up = u;
    /* An empty file has no body to wait for. */
    return length == 0 ? upload_end(wsi, up) : 0;
}

int upload_body(upload *up, const void *in, size_t len)
{
    if (!up)
        return -1;
    up->got += len;
    const char *p = in;
    /* A plain write: it lands in the page cache, which takes a piece of a few KiB at once. */
    while (len && !up->err) {
        ssize_t n = write(up->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            up->err = errno;
            break;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int upload_end(struct lws *wsi, upload **up)
{
    upload *u = *up;
    *up = NULL;
    if (!u)
        return -1;
    int err = u->err;
    if (close(u->fd) < 0 && !err)
        err = errno;
    if (!err && u->got != u->expected)
        err = EIO;
    if (!err && rename(u->part, u->whole) < 0)
        err = errno;
    char text[400], safe[LOG_ESCAPE_SIZE];
    log_escape(safe, sizeof safe, u->name, strlen(u->name));
    if (err) {
        unlink(u->part);
        snprintf(text, sizeof text, "the upload of %s failed: %s", u->name, strerror(err));
        log_printf(LOG_ERROR, "upload of %s failed: %s", safe, strerror(err));
        free(u);
        return static_reply(wsi, 500, text, 0);
    }
    log_printf(LOG_DEBUG, "uploaded %s, %" PRIu64 " bytes", safe, u->got);
    snprintf(text, sizeof text, "uploaded %s, %" PRIu64 " bytes", u->name, u->got);
    free(u);
    return static_reply(wsi, 200, text, 0);
}

void upload_abort(upload **up)
{
    upload *u = *up;
    if (!u)
        return;
    *up = NULL;
    close(u->fd);
    unlink(u->part);
    char safe[LOG_ESCAPE_SIZE];
    log_printf(LOG_DEBUG, "upload of %s dropped: the connection closed after %" PRIu64 " bytes",
               log_escape(safe, sizeof safe, u->name, strlen(u->name)), u->got);
    free(u);
}

/* core.upload_url(name, seconds) -> the path and query a browser PUTs the file name to,
 * good for seconds; or nil and why   [-0, +1|2, e] */
static int l_upload_url(lua_State *L)
{
    size_t len;
    const char *name = luaL_checklstring(L, 1, &len);
    lua_Integer seconds = luaL_checkinteger(L, 2);
    if (!upload_name_ok(name, len) || strlen(name) != len) {
        lua_pushnil(L);
        lua_pushliteral(L,
                        "not a file name (one path segment, not starting with a dot, 1 to "
                        "255 bytes of UTF-8 with no control characters)");
        return 2;
    }
    luaL_argcheck(L, seconds > 0 && seconds <= 366LL * 24 * 3600, 2, "out of range");
    long long expires = (long long)time(NULL) + (long long)seconds;
    char signature[65];
    if (sign(name, expires, signature) < 0)
        return luaL_error(L, "upload_url: cannot sign");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "/upload?f=");
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)name[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_' || ch == '~') {
            luaL_addchar(&b, (char)ch);
        } else {
            luaL_addchar(&b, '%');
            luaL_addchar(&b, hex[ch >> 4]);
            luaL_addchar(&b, hex[ch & 15]);
        }
    }
    lua_pushfstring(L, "&e=%I&s=%s", (lua_Integer)expires, signature);
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    return 1;
}

void upload_register(lua_State *L)
{
    lua_pushcfunction(L, l_upload_url);
    lua_setfield(L, -2, "upload_url");
}
