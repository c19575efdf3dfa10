#include "log.h"

#include <libwebsockets.h>
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <uv.h>

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

static int json;
/* The worker's name under --workers ("w2"), or empty: several processes share one stderr. */
static char tag[48];

void log_set_tag(const char *name) { snprintf(tag, sizeof tag, "%s", name ? name : ""); }

void log_set_json(int on) { json = on; }

/* The longest message; a longer one is cut. */
#define LOG_LINE 8192

/* Writes msg as a JSON string's contents into out (size bytes, at least 7). */
static void json_text(char *out, size_t size, const char *msg)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)msg; *p && o + 7 < size; p++) {
        if (*p == '"' || *p == '\\') {
            out[o++] = '\\';
            out[o++] = (char)*p;
        } else if (*p == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else if (*p < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o] = '\0';
}

/* Writes the time now, UTC with milliseconds ("2026-11-30T15:39:30.333Z", 24 bytes), into
 * out. Safe in a signal handler: clock_gettime and arithmetic only. */
static void put_time(char out[24])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long secs = ts.tv_sec, days = secs / 86400, rest = secs % 86400;
    /* The civil date of a day count since 1970-01-01 (H. Hinnant's days_from_civil, inverted). */
    long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    long long year = yoe + era * 400 + (month <= 2);
    long long parts[] = {
        year, month, day, rest / 3600, rest / 60 % 60, rest % 60, ts.tv_nsec / 1000000};
    static const int widths[] = {4, 2, 2, 2, 2, 2, 3};
    static const char after[] = "--T::.Z";
    char *p = out;
    for (int i = 0; i < 7; i++) {
        for (int d = widths[i] - 1; d >= 0; d--) {
            p[d] = (char)('0' + parts[i] % 10);
            parts[i] /= 10;
        }
        p += widths[i];
        *p++ = after[i];
    }
}

static void put(enum log_level level, const char *msg)
{
    char out[LOG_LINE + 256];
    if (json) {
        /* One object a line, for log shippers: the time (UTC, milliseconds), the level and
         * the message. Messages are valid UTF-8 (client text is escaped before it is
         * logged). */
        char when[24], text[LOG_LINE];
        put_time(when);
        json_text(text, sizeof text, msg);
        snprintf(out, sizeof out, "{\"time\":\"%.24s\",\"level\":\"%s\",%s%s%s\"msg\":\"%s\"}\n",
                 when, names[level], tag[0] ? "\"worker\":\"" : "", tag, tag[0] ? "\"," : "", text);
    } else {
        snprintf(out, sizeof out, "luaflet%s%s%s: %s: %s\n", tag[0] ? "[" : "", tag,
                 tag[0] ? "]" : "", names[level], msg);
    }
    /* One fputs per line keeps lines whole even if stderr is shared with a child. */
    fputs(out, stderr);
    fflush(stderr);
}

/* Appends s to line (n bytes used of size); returns the new length. */
static size_t append(char *line, size_t n, size_t size, const char *s)
{
    while (*s && n < size)
        line[n++] = *s++;
    return n;
}

void log_signal_line(enum log_level level, const char *msg)
{
    if (level > current)
        return;
    char line[256], when[25];
    size_t n = 0;
    if (json) {
        put_time(when);
        when[24] = '\0';
        n = append(line, n, sizeof line, "{\"time\":\"");
        n = append(line, n, sizeof line, when);
        n = append(line, n, sizeof line, "\",\"level\":\"");
        n = append(line, n, sizeof line, names[level]);
        if (tag[0]) {
            n = append(line, n, sizeof line, "\",\"worker\":\"");
            n = append(line, n, sizeof line, tag);
        }
        n = append(line, n, sizeof line, "\",\"msg\":\"");
    } else {
        n = append(line, n, sizeof line, "luaflet");
        if (tag[0]) {
            n = append(line, n, sizeof line, "[");
            n = append(line, n, sizeof line, tag);
            n = append(line, n, sizeof line, "]");
        }
        n = append(line, n, sizeof line, ": ");
        n = append(line, n, sizeof line, names[level]);
        n = append(line, n, sizeof line, ": ");
    }
    n = append(line, n, sizeof line, msg);
    n = append(line, n, sizeof line, json ? "\"}\n" : "\n");
    while (write(2, line, n) < 0 && errno == EINTR)
        ;
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    if (level > current)
        return;
    char line[LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    put(level, line);
}

/* ---------------------------------------------------------------- folding */

#define FOLD_SLOTS 32 /* distinct messages counted at once; more are printed */
#define FOLD_KEY 512  /* bytes of the first line that tell messages apart */

typedef struct fold_slot {
    int in_use;
    enum log_level level;
    unsigned long repeats; /* since the last summary */
    char key[FOLD_KEY];    /* the message's first line, cut to fit */
} fold_slot;

static struct {
    uv_timer_t timer;
    int timer_open;
    int used;
    fold_slot slots[FOLD_SLOTS];
} F;

/* Prints each count, and forgets the messages that did not repeat since the last tick: the
 * next one of those is printed whole again. */
static void fold_tick(uv_timer_t *h)
{
    (void)h;
    for (int i = 0; i < FOLD_SLOTS; i++) {
        fold_slot *s = &F.slots[i];
        if (!s->in_use)
            continue;
        if (s->repeats) {
            log_printf(s->level, "the same error %lu times in the last second: %s", s->repeats,
                       s->key);
            s->repeats = 0;
        } else {
            s->in_use = 0;
            F.used--;
        }
    }
    if (!F.used)
        uv_timer_stop(&F.timer);
}

void log_fold_init(uv_loop_t *loop)
{
    if (F.timer_open)
        return;
    uv_timer_init(loop, &F.timer);
    /* The counts never keep the loop alive on their own. */
    uv_unref((uv_handle_t *)&F.timer);
    F.timer_open = 1;
}

void log_fold_close(void)
{
    if (!F.timer_open)
        return;
    fold_tick(&F.timer);
    for (int i = 0; i < FOLD_SLOTS; i++)
        F.slots[i].in_use = 0;
    F.used = 0;
    uv_close((uv_handle_t *)&F.timer, NULL);
    F.timer_open = 0;
}

int log_folded(enum log_level level, const char *fmt, ...)
{
    if (level > current)
        return 0;
    char line[LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    const char *msg = line;
    va_end(ap);
    size_t keylen = strcspn(msg, "\n");
    if (keylen > FOLD_KEY - 1)
        keylen = FOLD_KEY - 1;
    fold_slot *free_slot = NULL;
    for (int i = 0; F.timer_open && i < FOLD_SLOTS; i++) {
        fold_slot *s = &F.slots[i];
        if (!s->in_use) {
            free_slot = free_slot ? free_slot : s;
        } else if (s->level == level && strncmp(s->key, msg, keylen) == 0 && !s->key[keylen]) {
            s->repeats++;
            return 0;
        }
    }
    if (free_slot) {
        free_slot->in_use = 1;
        free_slot->level = level;
        free_slot->repeats = 0;
        memcpy(free_slot->key, msg, keylen);
        free_slot->key[keylen] = '\0';
        if (!F.used++)
            uv_timer_start(&F.timer, fold_tick, 1000, 1000);
    }
    put(level, line);
    return 1;
}

void log_limited(log_limiter *lim, uint64_t now_ms, uint64_t interval_ms, enum log_level level,
                 const char *fmt, ...)
{
    if (level > current)
        return;
    if (lim->last_ms && now_ms - lim->last_ms < interval_ms) {
        lim->held++;
        return;
    }
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (lim->held)
        log_printf(level, "%s (and %llu more such since the last)", msg,
                   (unsigned long long)lim->held);
    else
        log_printf(level, "%s", msg);
    lim->last_ms = now_ms ? now_ms : 1;
    lim->held = 0;
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
        } else if (n && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f) && cp != 0x2028 &&
                   cp != 0x2029) {
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
    /* A handshake the host refused is logged by the host, rate-limited; lws's own line for
     * each would let a client flood the log. */
    if (strstr(line, "User code denied connection"))
        return;
    char safe[1024];
    log_printf(lws_level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws: %s",
               log_escape(safe, sizeof safe, line, n));
}
