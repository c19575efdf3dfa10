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

void log_lws_line(int lws_level, const char *line)
{
    /* lws ends its lines with a newline; ours add one. */
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        n--;
    /* A handshake the host refused is logged by the host, rate-limited; lws's own line for
     * each would let a client flood the log. */
    if (strstr(line, "User code denied connection"))
        return;
    log_printf(lws_level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws: %.*s", (int)n, line);
}
