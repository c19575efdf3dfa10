/* log: the host's log lines, on stderr, one line per record.
 *
 * Lines have the stable shape "luaflet: LEVEL: message" so that tests and operators can wait
 * on them. */
#ifndef LUAFLET_LOG_H
#define LUAFLET_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Sets the most detailed level that is printed (LOG_INFO by default). */
void log_set_level(enum log_level level);

/* Writes each record as one JSON object a line ({"time", "level", "msg"}) rather than
 * "luaflet: LEVEL: message" (--log-format json). */
void log_set_json(int on);

/* Names this process in every line ("luaflet[w2]: info: ..."; "worker" in JSON): workers
 * of one front share its stderr. Empty or NULL: no name. */
void log_set_tag(const char *name);

/* Writes the record msg (ASCII that JSON takes as it is) at once with write(2), in the log's
 * format: for a signal handler, where nothing else here is safe. */
void log_signal_line(enum log_level level, const char *msg);

/* Parses "error", "warn", "info" or "debug"; returns 0 or -1 for an unknown name. */
int log_parse_level(const char *name, enum log_level *out);

int log_enabled(enum log_level level);

void log_printf(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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

/* Writes into out (size bytes, at least 8) a copy of the len bytes at s that is safe inside
 * one log line, and returns out. Whatever a client sent may be in s, so nothing in the copy
 * can end the line or steer a terminal: a backslash is doubled; a newline, a carriage return
 * and a tab are written as a backslash and n, r or t; any other control character (C0, DEL,
 * the C1 range, and the Unicode line and paragraph separators that some log viewers break
 * lines at) and every byte that is not part of valid UTF-8 is written as \xNN. Valid UTF-8
 * text is kept as it is. A copy that does not fit is cut at a character and ends with "…".
 * Every piece of client text that goes into a log line passes through here (from Lua too,
 * as core.log_escape). */
const char *log_escape(char *out, size_t size, const char *s, size_t len);

/* The room a piece of client text gets in a line: 200 bytes, and the NUL. */
#define LOG_ESCAPE_SIZE 201

/* An emitter for libwebsockets' own lines (lws_set_log_level), in our shape. */
void log_lws_line(int lws_level, const char *line);

#endif
