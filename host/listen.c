#include "listen.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

#define ACCEPTS_PER_TURN 64 /* then other sockets get their turn */
#define PAUSE_MS 100        /* how long accepting stops once descriptors ran out */
#define WARN_EVERY_MS 10000 /* at most one warning about it per interval */

static int open_reserve(void) { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

int listen_open(listener *l, uv_loop_t *loop, const char *host, int port,
                void (*closed)(listener *), char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    l->closed = closed;
    l->fd = l->reserve = -1;
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
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        lws_sock_file_fd_type desc;
        desc.sockfd = fd;
        int type = LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP | (l->tls ? LWS_ADOPT_ALLOW_SSL : 0);
        /* On failure lws has closed the descriptor already. */
        if (!lws_adopt_descriptor_vhost(l->vhost, (lws_adoption_type)type, desc, NULL, NULL))
            log_printf(LOG_DEBUG, "lws could not take a new connection");
    }
}

void listen_start(listener *l, struct lws_vhost *vhost, int tls)
{
    l->vhost = vhost;
    l->tls = tls;
    uv_poll_start(&l->poll, UV_READABLE, on_readable);
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
    uv_close((uv_handle_t *)&l->poll, handle_closed);
    uv_close((uv_handle_t *)&l->pause, handle_closed);
    close(l->fd);
    l->fd = -1;
    if (l->reserve >= 0)
        close(l->reserve);
    l->reserve = -1;
}
