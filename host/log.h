/* log: the host's log lines, on stderr, one line per record.
 *
 * Lines have the stable shape "luaflet: LEVEL: message" so that tests and operators can wait
 * on them. */
#ifndef LUAFLET_LOG_H
#define LUAFLET_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

/* Sets the most detailed level that is printed (LOG_INFO by default). */
void log_set_level(enum log_level level);

/* Parses "error", "warn", "info" or "debug"; returns 0 or -1 for an unknown name. */
int log_parse_level(const char *name, enum log_level *out);

int log_enabled(enum log_level level);

void log_printf(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An emitter for libwebsockets' own lines (lws_set_log_level), in our shape. */
void log_lws_line(int lws_level, const char *line);

#endif
