/* listen: a server's listening socket. The host accepts connections itself and hands each to
 * libwebsockets, so that running out of file descriptors pauses accepting for a moment (as
 * nginx does) instead of spinning on accept(), and so that a failed bind says why. */
#ifndef LUAFLET_LISTEN_H
#define LUAFLET_LISTEN_H

#include <libwebsockets.h>
#include <stdint.h>
#include <uv.h>

#include "log.h"

/* Embedded in its server; its handles are closed by listen_close(). */
typedef struct listener {
    uv_poll_t poll;   /* readable: connections wait to be accepted */
    uv_timer_t pause; /* ends a pause after the file-descriptor limit was hit */
    int fd;           /* the listening socket, -1 once closed */
    int port;         /* the port it is bound to (the one the OS chose, for port 0) */
    int reserve;      /* a descriptor kept open to free when accept() runs out */
    int tls;
    struct lws_vhost *vhost;
    int open_handles; /* handles not yet closed */
    void (*closed)(struct listener *);
    /* Figures for /metrics and the log. */
    uint64_t accepted;
    uint64_t fd_limit_hits;    /* times accept() failed for want of descriptors */
    uint64_t refused_at_limit; /* connections closed at once to drain the backlog then */
    log_limiter warnings;
} listener;

/* Binds host:port and listens; 0, or a negative errno with a sentence in err (then l holds
 * nothing to close). closed(l) will run once the handles have closed after listen_close(). */
int listen_open(listener *l, uv_loop_t *loop, const char *host, int port,
                void (*closed)(listener *), char *err, size_t errlen);

/* Starts accepting: each connection is adopted by vhost (as HTTP, with TLS when tls). */
void listen_start(listener *l, struct lws_vhost *vhost, int tls);

/* Stops accepting and closes the socket; the closed callback runs once both handles have
 * closed. Safe to call more than once. */
void listen_close(listener *l);

#endif
