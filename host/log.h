/* log: the host's log lines, on stderr, one line per record.
 *
 * Lines have the stable shape "luaflet: LEVEL: message" so that tests and operators can wait
 * on them. */
#ifndef LUAFLET_LOG_H
#define LUAFLET_LOG_H

#include <stdint.h>
#include <uv.h>

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

/* As log_printf, for a message that may repeat hundreds of times a second (an app error in a
 * task that fails every millisecond): a message whose first line was printed less than a
 * second ago is counted instead, and each second a line "the same error N times in the last
 * second: FIRST LINE" says how many there were. The first one keeps its whole text. Without
 * log_fold_init, everything is printed. Returns 1 if it printed the message. */
int log_folded(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Folds on loop, whose timer prints the counts. */
void log_fold_init(uv_loop_t *loop);

/* Prints the counts not yet printed and closes the timer; the loop must run once more. */
void log_fold_close(void);

/* An emitter for libwebsockets' own lines (lws_set_log_level), in our shape. */
void log_lws_line(int lws_level, const char *line);

#endif
