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
    uv_pipe_t front;  /* under --workers, in place of poll: the front hands connections here */
    int via_front;    /* whether this listener takes its connections from the front */
    uv_timer_t pause; /* ends a pause after the file-descriptor limit was hit */
    int fd;           /* the listening socket, -1 once closed */
    int port;         /* the port it is bound to (the one the OS chose, for port 0) */
    int reserve;      /* a descriptor kept open to free when accept() runs out */
    int tls;
    char host[64]; /* under --workers: what the front is told to bind */
    struct lws_vhost *vhost;
    void (*take)(struct listener *, int fd); /* or NULL: lws's vhost adopts each one */
    void *data;                              /* the taker's */
    int open_handles;                        /* handles not yet closed */
    void (*closed)(struct listener *);
    /* Figures for /metrics and the log. */
    uint64_t accepted;
    uint64_t fd_limit_hits;    /* times accept() failed for want of descriptors */
    uint64_t refused_at_limit; /* connections closed at once to drain the backlog then */
    log_limiter warnings;
} listener;

/* Under --workers (front.h), the next listener opened takes its connections from the front
 * over the IPC pipe fd instead of binding a port; route is this worker's route id (kept, not
 * copied); gone() runs if the front goes away (the pipe ends). Called once, before any
 * listen_open(). */
void listen_use_front(int fd, const char *route, void (*gone)(void));

/* This worker's route id under --workers, or NULL. */
const char *listen_front_route(void);

/* Binds host:port and listens; 0, or a negative errno with a sentence in err (then l holds
 * nothing to close). closed(l) will run once the handles have closed after listen_close().
 * A worker's first listener binds nothing: it tells the front host, port and whether it
 * serves TLS, so that the front binds them, and takes what the front accepts. */
int listen_open(listener *l, uv_loop_t *loop, const char *host, int port,
                void (*closed)(listener *), char *err, size_t errlen);

/* Starts accepting: each connection is adopted by vhost (as HTTP, with TLS when tls). */
void listen_start(listener *l, struct lws_vhost *vhost, int tls);

/* Starts accepting: each connection (a non-blocking socket) goes to take(l, fd), which owns
 * it from then on. */
void listen_start_taking(listener *l, void (*take)(listener *, int fd), void *data);

/* Stops accepting and closes the socket; the closed callback runs once both handles have
 * closed. Safe to call more than once. */
void listen_close(listener *l);

#endif
