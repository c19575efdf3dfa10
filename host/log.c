#include "log.h"

#include <libwebsockets.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static enum log_level current = LOG_INFO;
static const char *const names[] = {"error", "warn", "info", "debug"};

void log_set_level(enum log_level level) { current = level; }

int log_parse_level(const char *name, enum log_level *out)
{
    for (int i = 0; i <= LOG_DEBUG; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

int log_enabled(enum log_level level) { return level <= current; }

void log_printf(enum log_level level, const char *fmt, ...)
{
    if (level > current)
        return;
    /* One fputs per line keeps lines whole even if stderr is shared with a child. */
    char line[8192];
    int n = snprintf(line, sizeof line, "luaflet: %s: ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    line[len] = '\n';
    line[len + 1] = '\0';
    fputs(line, stderr);
    fflush(stderr);
}

/* The length of the valid UTF-8 sequence at s (n bytes available), with its code point in
 * *cp; 0 when s does not start one. Overlong forms, surrogates and code points past U+10FFFF
 * are not valid. */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], min;
    size_t len;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2, min = 0x80, *cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3, min = 0x800, *cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4, min = 0x10000, *cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        *cp = *cp << 6 | (s[i] & 0x3f);
    }
    if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        return 0;
    return len;
}

const char *log_escape(char *out, size_t size, const char *s, size_t len)
{
    static const char more[] = "\xe2\x80\xa6"; /* the ellipsis, with room for the NUL */
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        char piece[4 * 4 + 1];
        size_t plen = 0;
        unsigned cp;
        size_t n = utf8_char(p + i, len - i, &cp);
        if (n == 1 && (cp == '\\' || cp == '\n' || cp == '\r' || cp == '\t')) {
            piece[0] = '\\';
            piece[1] = cp == '\\' ? '\\' : cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
            plen = 2;
        } else if (n && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f) &&
                   cp != 0x2028 && cp != 0x2029) {
            memcpy(piece, p + i, n);
            plen = n;
        } else {
            /* A control character is written byte by byte, and so is one stray byte. */
            n = n ? n : 1;
            for (size_t k = 0; k < n; k++)
                plen += (size_t)snprintf(piece + plen, sizeof piece - plen, "\\x%02x", p[i + k]);
        }
        int last = i + n == len;
        if (o + plen + (last ? 1 : sizeof more) > size) {
            memcpy(out + o, more, sizeof more);
            return out;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        i += n;
    }
    out[o] = '\0';
    return out;
}

void log_lws_line(int lws_level, const char *line)
{
    /* lws ends its lines with a newline; ours add one. What is left may quote a client. */
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    char safe[1024];
    log_printf(lws_level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws: %s",
               log_escape(safe, sizeof safe, line, n));
}
