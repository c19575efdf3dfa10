/* log: the host's log lines, on stderr, one line per record.
 *
 * Lines have the stable shape "luaflet: LEVEL: message" so that tests and operators can wait
 * on them. */
#ifndef LUAFLET_LOG_H
#define LUAFLET_LOG_H

#include <stdint.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Sets the most detailed level that is printed (LOG_INFO by default). */
void log_set_level(enum log_level level);

/* Parses "error", "warn", "info" or "debug"; returns 0 or -1 for an unknown name. */
int log_parse_level(const char *name, enum log_level *out);

int log_enabled(enum log_level level);

void log_printf(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A line that a client can cause again and again (a refused connection, a dropped socket)
 * is logged through a limiter: at most once per interval, with the number of lines held back
 * since the last one appended. Zero-initialised. */
typedef struct log_limiter {
    uint64_t last_ms;
    uint64_t held;
} log_limiter;

void log_limited(log_limiter *lim, uint64_t now_ms, uint64_t interval_ms, enum log_level level,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* An emitter for libwebsockets' own lines (lws_set_log_level), in our shape. */
void log_lws_line(int lws_level, const char *line);

#endif
