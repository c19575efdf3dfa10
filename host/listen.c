#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "mem.h"

#define ACCEPTS_PER_TURN 64 /* then other sockets get their turn */
#define PAUSE_MS 100        /* how long accepting stops once descriptors ran out */
#define WARN_EVERY_MS 10000 /* at most one warning about it per interval */

static int open_reserve(void) { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

/* The IPC pipe to the front under --workers, until a listener takes it. */
static int front_fd = -1;
static void (*front_gone)(void);
static const char *front_route; /* this worker's route id */

void listen_use_front(int fd, const char *route, void (*gone)(void))
{
    /* Not for the processes the app starts. */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    front_fd = fd;
    front_route = route;
    front_gone = gone;
}

const char *listen_front_route(void) { return front_route; }

/* A worker's first listener: the front's pipe stands for the listening socket. */
static int open_front(listener *l, uv_loop_t *loop, const char *host, int port, char *err,
                      size_t errlen)
{
    int rc = uv_pipe_init(loop, &l->front, 1);
    if (rc == 0 && (rc = uv_pipe_open(&l->front, front_fd)) < 0)
        uv_close((uv_handle_t *)&l->front, NULL);
    if (rc < 0) {
        snprintf(err, errlen, "cannot take connections from the front: %s", uv_strerror(rc));
        return rc;
    }
    front_fd = -1;
    l->via_front = 1;
    l->fd = 0; /* open: the pipe's descriptor is the handle's to close */
    l->port = port;
    snprintf(l->host, sizeof l->host, "%s", host);
    uv_timer_init(loop, &l->pause);
    l->front.data = l->pause.data = l;
    l->open_handles = 2;
    return 0;
}

int listen_open(listener *l, uv_loop_t *loop, const char *host, int port,
                void (*closed)(listener *), char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    l->closed = closed;
    l->fd = l->reserve = -1;
    if (front_fd >= 0)
        return open_front(l, loop, host, port, err, errlen);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res;
    char service[16];
    snprintf(service, sizeof service, "%d", port);
    int gai = getaddrinfo(host, service, &hints, &res);
    if (gai != 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, gai_strerror(gai));
        return -EINVAL;
    }
    int rc = -EADDRNOTAVAIL;
    for (struct addrinfo *a = res; a && l->fd < 0; a = a->ai_next) {
        int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            rc = -errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) < 0 || listen(fd, SOMAXCONN) < 0) {
            rc = -errno;
            close(fd);
            continue;
        }
        l->fd = fd;
        struct sockaddr_storage bound;
        socklen_t blen = sizeof bound;
        l->port = port;
        if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
            l->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                        : ((struct sockaddr_in *)&bound)->sin_port);
    }
    freeaddrinfo(res);
    if (l->fd < 0) {
        if (rc == -EADDRINUSE)
            snprintf(err, errlen,
                     "cannot listen on %s:%d: the port is in use (another "
                     "luaflet?); choose another with --port",
                     host, port);
        else
            snprintf(err, errlen, "cannot listen on %s:%d: %s", host, port, strerror(-rc));
        return rc;
    }
    l->reserve = open_reserve();
    uv_poll_init(loop, &l->poll, l->fd);
    uv_timer_init(loop, &l->pause);
    l->poll.data = l->pause.data = l;
    l->open_handles = 2;
    return 0;
}

/* accept() found no descriptor left. The backlog would keep the socket readable, and the
 * loop would call us again at once: so one pending connection is taken with the reserve
 * descriptor and closed (its client learns at once instead of waiting), and accepting stops
 * for a moment, as connections that end free descriptors. Logged once per interval. */
static void out_of_descriptors(listener *l, int errnum)
{
    l->fd_limit_hits++;
    if (l->reserve >= 0) {
        close(l->reserve);
        int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            close(fd);
            l->refused_at_limit++;
        }
        l->reserve = open_reserve();
    }
    log_limited(&l->warnings, uv_now(l->poll.loop), WARN_EVERY_MS, LOG_WARN,
                "out of file descriptors (%s): not accepting for %d ms (see /metrics)",
                strerror(errnum), PAUSE_MS);
    uv_poll_stop(&l->poll);
}

/* Hands a connected socket to lws, as HTTP (and TLS when the server has it). */
static void adopt(listener *l, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    lws_sock_file_fd_type desc;
    desc.sockfd = fd;
    int type = LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP | (l->tls ? LWS_ADOPT_ALLOW_SSL : 0);
    /* On failure lws has closed the descriptor already. */
    if (!lws_adopt_descriptor_vhost(l->vhost, (lws_adoption_type)type, desc, NULL, NULL))
        log_printf(LOG_DEBUG, "lws could not take a new connection");
}

static void on_readable(uv_poll_t *h, int status, int events);

static void pause_over(uv_timer_t *h)
{
    listener *l = h->data;
    if (l->fd >= 0)
        uv_poll_start(&l->poll, UV_READABLE, on_readable);
}

static void on_readable(uv_poll_t *h, int status, int events)
{
    (void)events;
    listener *l = h->data;
    if (status < 0 || l->fd < 0)
        return;
    for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
        int fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED || errno == EPROTO)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                out_of_descriptors(l, errno);
                uv_timer_start(&l->pause, pause_over, PAUSE_MS, 0);
            }
            return; /* EAGAIN: none left */
        }
        l->accepted++;
        if (l->take)
            l->take(l, fd);
        else
            adopt(l, fd);
    }
}

void listen_start_taking(listener *l, void (*take)(listener *, int fd), void *data)
{
    l->take = take;
    l->data = data;
    uv_poll_start(&l->poll, UV_READABLE, on_readable);
}

/* ---------------------------------------------------------- under --workers */

static void front_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
    (void)size;
    static char scratch[64]; /* the front's bytes only mark that a socket came with them */
    (void)h;
    *buf = uv_buf_init(scratch, sizeof scratch);
}

/* The front wrote a byte with each socket it passed. Each pending socket is taken as a
 * libuv handle (the only way libuv gives it), its descriptor copied for lws, and the handle
 * closed. When the pipe ends, the front has gone: this worker stops as on SIGTERM, since no
 * connection can reach it any more. */
static void front_read(uv_stream_t *h, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    listener *l = h->data;
    uv_pipe_t *p = (uv_pipe_t *)h;
    while (uv_pipe_pending_count(p) > 0) {
        uv_handle_type type = uv_pipe_pending_type(p);
        uv_tcp_t *conn = mem_calloc(1, sizeof *conn);
        uv_os_fd_t fd = -1;
        if (type != UV_TCP || uv_tcp_init(h->loop, conn) < 0) {
            free(conn);
            break;
        }
        if (uv_accept(h, (uv_stream_t *)conn) == 0 && uv_fileno((uv_handle_t *)conn, &fd) == 0)
            fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        uv_close((uv_handle_t *)conn, (uv_close_cb)free);
        if (fd >= 0 && l->vhost) {
            l->accepted++;
            adopt(l, fd);
        } else if (fd >= 0)
            close(fd);
    }
    if (nread < 0 && l->fd >= 0) {
        log_printf(LOG_WARN, "the front process has gone: stopping");
        uv_read_stop(h);
        if (front_gone)
            front_gone();
    }
}

static void ready_written(uv_write_t *req, int status)
{
    (void)status;
    free(req);
}

void listen_start(listener *l, struct lws_vhost *vhost, int tls)
{
    l->vhost = vhost;
    l->tls = tls;
    if (!l->via_front) {
        uv_poll_start(&l->poll, UV_READABLE, on_readable);
        return;
    }
    /* The front binds what this says once its first worker is ready: one line. */
    struct {
        uv_write_t req;
        char line[sizeof l->host + 32];
    } *w = mem_calloc(1, sizeof *w);
    int n = snprintf(w->line, sizeof w->line, "ready %s %d %d\n", l->host, l->port, tls);
    uv_buf_t buf = uv_buf_init(w->line, (unsigned)n);
    if (uv_write(&w->req, (uv_stream_t *)&l->front, &buf, 1, ready_written) < 0)
        free(w);
    uv_read_start((uv_stream_t *)&l->front, front_alloc, front_read);
}

static void handle_closed(uv_handle_t *h)
{
    listener *l = h->data;
    if (--l->open_handles == 0 && l->closed)
        l->closed(l);
}

void listen_close(listener *l)
{
    if (l->fd < 0)
        return;
    uv_close(l->via_front ? (uv_handle_t *)&l->front : (uv_handle_t *)&l->poll, handle_closed);
    uv_close((uv_handle_t *)&l->pause, handle_closed);
    if (!l->via_front)
        close(l->fd);
    l->fd = -1;
    if (l->reserve >= 0)
        close(l->reserve);
    l->reserve = -1;
}
