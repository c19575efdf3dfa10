#include "front.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "listen.h"
#include "log.h"
#include "mem.h"

#define PEEK_MAX 2048       /* a request line longer than this goes to any worker */
#define RESTART_MIN_MS 100  /* a worker that died is started again after this... */
#define RESTART_MAX_MS 5000 /* ...doubling while it keeps dying young, up to this */
#define YOUNG_MS 10000      /* a worker that dies sooner than this after starting died young */

typedef struct front front;

/* One worker process; its handles are closed (and re-made) each time it dies. */
typedef struct worker {
    front *f;
    int index; /* 1..N */
    char route[48];
    uv_process_t proc;
    uv_pipe_t ipc;       /* to the worker's descriptor 3: sockets go down it, lines come up */
    uv_timer_t restart;  /* open for the front's life */
    int handles_open;    /* proc and ipc, until their close callbacks */
    int running;         /* spawned and not yet exited */
    int ready;           /* said "ready": takes connections */
    int young_deaths;    /* in a row, for the restart's backoff */
    uint64_t started_ms; /* loop time of the last start */
    char line[160];      /* what the worker has written of its current line */
    size_t nline;
} worker;

/* An accepted connection whose request line has not come yet. */
typedef struct pending {
    front *f;
    int fd;
    uv_poll_t poll;
    uv_timer_t timer; /* the retry of a partial line, and the deadline */
    uint64_t deadline_ms;
    int marked; /* its receive low-water mark was raised */
    int handles_open;
    struct pending *prev, *next;
} pending;

/* A socket on its way down a worker's pipe: the handle that carries it, and the write. */
typedef struct handoff {
    uv_write_t req;
    uv_tcp_t tcp;
    front *f;
    int tries; /* workers tried so far */
} handoff;

struct front {
    const front_conf *conf;
    uv_loop_t loop;
    worker *w;
    listener lis;
    int bound;    /* lis is open */
    int stopping; /* a signal came: no new workers, no new connections */
    int status;   /* the exit status */
    int next;     /* the worker the next new connection tries first */
    int announced;
    int finished; /* its own handles are closing */
    uv_signal_t signals[3];
    pending *pendings;
    char exe[PATH_MAX];
};

static void start_worker(worker *w);
static void stop_all(front *f, int signum);

/* ------------------------------------------------------------- connections */

static void pending_closed(uv_handle_t *h)
{
    pending *p = h->data;
    if (--p->handles_open == 0)
        free(p);
}

/* Ends p's wait; its descriptor is closed unless keep_fd (then it is on its way). */
static void pending_end(pending *p, int keep_fd)
{
    front *f = p->f;
    if (p->prev)
        p->prev->next = p->next;
    else
        f->pendings = p->next;
    if (p->next)
        p->next->prev = p->prev;
    uv_close((uv_handle_t *)&p->poll, pending_closed);
    uv_close((uv_handle_t *)&p->timer, pending_closed);
    if (!keep_fd)
        close(p->fd);
}

/* The route id in a request line's query (?route=ID or &route=ID), copied into out; 0 when
 * there is none. */
static int route_of(const char *line, size_t n, char *out, size_t size)
{
    const char *end = memchr(line, '\n', n);
    n = end ? (size_t)(end - line) : n;
    const char *q = memchr(line, '?', n);
    while (q && (size_t)(q - line) + 7 < n) {
        if (strncmp(q + 1, "route=", 6) == 0) {
            size_t i = 0;
            for (const char *c = q + 7; c < line + n && i + 1 < size; c++) {
                if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
                    break;
                out[i++] = *c;
            }
            out[i] = '\0';
            return i > 0;
        }
        q = memchr(q + 1, '&', n - (size_t)(q + 1 - line));
    }
    return 0;
}

/* The worker a connection goes to: the one its route names when that one is ready, else
 * the next ready one in turn; NULL when none is. */
static worker *choose(front *f, const char *route)
{
    int n = f->conf->workers;
    if (route)
        for (int i = 0; i < n; i++)
            if (f->w[i].ready && strcmp(f->w[i].route, route) == 0)
                return &f->w[i];
    for (int k = 0; k < n; k++) {
        worker *w = &f->w[(f->next + k) % n];
        if (w->ready) {
            f->next = (w->index) % n;
            return w;
        }
    }
    return NULL;
}

static void handoff_closed(uv_handle_t *h) { free(h->data); }

static void hand_to(worker *w, int fd, int tries);

/* A socket that could not go down a worker's pipe (the worker went meanwhile) goes to
 * another ready worker, if any is left untried: a copy of its descriptor, since the handle
 * that carried it closes its own. */
static void handoff_written(uv_write_t *req, int status)
{
    handoff *o = req->data;
    if (status < 0) {
        log_printf(LOG_DEBUG, "a connection could not be handed to a worker: %s",
                   uv_strerror(status));
        uv_os_fd_t fd;
        worker *next = o->tries < o->f->conf->workers ? choose(o->f, NULL) : NULL;
        if (next && uv_fileno((uv_handle_t *)&o->tcp, &fd) == 0 &&
            (fd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) >= 0)
            hand_to(next, fd, o->tries + 1);
    }
    uv_close((uv_handle_t *)&o->tcp, handoff_closed);
}

/* Sends fd down w's pipe (with one byte, as a socket cannot travel alone); the front's copy
 * closes once it has gone. */
static void hand_to(worker *w, int fd, int tries)
{
    handoff *o = mem_calloc(1, sizeof *o);
    o->req.data = o->tcp.data = o;
    o->f = w->f;
    o->tries = tries;
    uv_tcp_init(&w->f->loop, &o->tcp);
    if (uv_tcp_open(&o->tcp, fd) < 0) {
        close(fd);
        uv_close((uv_handle_t *)&o->tcp, handoff_closed);
        return;
    }
    uv_buf_t buf = uv_buf_init("c", 1);
    if (uv_write2(&o->req, (uv_stream_t *)&w->ipc, &buf, 1, (uv_stream_t *)&o->tcp,
                  handoff_written) < 0)
        uv_close((uv_handle_t *)&o->tcp, handoff_closed);
}

static void peek(pending *p, int events);

static void on_peek_readable(uv_poll_t *h, int status, int events)
{
    pending *p = h->data;
    if (status < 0) {
        pending_end(p, 0);
        return;
    }
    peek(p, events);
}

static void on_peek_timer(uv_timer_t *h)
{
    pending *p = h->data;
    if (uv_now(&p->f->loop) >= p->deadline_ms) {
        pending_end(p, 0); /* no request line in time: as a worker's handshake timeout */
        return;
    }
    peek(p, 0);
}

/* Looks at what has come of the request: once its first line is whole (or is longer than
 * anything a route needs), the connection goes to its worker. The bytes stay in the socket,
 * which would stay readable: so while the line is partial, the socket's low-water mark is
 * set past what it holds, and it is reported again only once more has come. The mark is put
 * back before the socket goes on (the worker inherits it). */
static void peek(pending *p, int events)
{
    char buf[PEEK_MAX];
    ssize_t n = recv(p->fd, buf, sizeof buf, MSG_PEEK);
    uint64_t now = uv_now(&p->f->loop);
    uint64_t left = p->deadline_ms > now ? p->deadline_ms - now : 0;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        /* Nothing yet: wait for bytes, but not past the deadline. */
        uv_poll_start(&p->poll, UV_READABLE | UV_DISCONNECT, on_peek_readable);
        uv_timer_start(&p->timer, on_peek_timer, left, 0);
        return;
    }
    if (n <= 0) {
        pending_end(p, 0);
        return;
    }
    if (!memchr(buf, '\n', (size_t)n) && n < (ssize_t)sizeof buf) {
        /* A peer that stopped sending will never end its line. */
        if (events & UV_DISCONNECT) {
            pending_end(p, 0);
            return;
        }
        int mark = (int)n + 1;
        if (setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &mark, sizeof mark) < 0) {
            pending_end(p, 0);
            return;
        }
        p->marked = 1;
        uv_poll_start(&p->poll, UV_READABLE | UV_DISCONNECT, on_peek_readable);
        uv_timer_start(&p->timer, on_peek_timer, left, 0);
        return;
    }
    if (p->marked) {
        int one = 1;
        setsockopt(p->fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof one);
    }
    char route[48];
    worker *w = choose(p->f, route_of(buf, (size_t)n, route, sizeof route) ? route : NULL);
    int fd = p->fd;
    pending_end(p, w != NULL);
    if (w)
        hand_to(w, fd, 1);
}

static void take(listener *l, int fd)
{
    front *f = l->data;
    pending *p = mem_calloc(1, sizeof *p);
    p->f = f;
    p->fd = fd;
    p->deadline_ms = uv_now(&f->loop) + (uint64_t)(f->conf->handshake_timeout * 1000);
    if (uv_poll_init(&f->loop, &p->poll, fd) < 0) {
        close(fd);
        free(p);
        return;
    }
    uv_timer_init(&f->loop, &p->timer);
    p->poll.data = p->timer.data = p;
    p->handles_open = 2;
    p->next = f->pendings;
    if (p->next)
        p->next->prev = p;
    f->pendings = p;
    /* Most requests are there as soon as the connection is. */
    peek(p, 0);
}

/* ----------------------------------------------------------------- workers */

static void listener_closed(listener *l) { (void)l; }

/* A worker said it serves: the first one tells where to listen. */
static void worker_ready(worker *w, const char *host, int port, int tls)
{
    front *f = w->f;
    /* A worker that was loading the app when the front was told to stop still says it is
     * ready: nothing is bound then, or the port would stay open with no one to close it. */
    if (f->stopping)
        return;
    if (tls) {
        log_printf(LOG_ERROR,
                   "--workers cannot serve https: the front reads each request's first line "
                   "to route it. Put nginx in front for TLS (docs/deploy.md), or run one "
                   "process");
        f->status = 2;
        stop_all(f, SIGTERM);
        return;
    }
    w->ready = 1;
    log_printf(LOG_INFO, "worker %s ready (pid %d)", w->route, w->proc.pid);
    if (!f->bound) {
        char err[256];
        if (listen_open(&f->lis, &f->loop, host, port, listener_closed, err, sizeof err) < 0) {
            log_printf(LOG_ERROR, "%s", err);
            f->status = 1;
            stop_all(f, SIGTERM);
            return;
        }
        f->bound = 1;
        listen_start_taking(&f->lis, take, f);
    }
    int all = 1;
    for (int i = 0; i < f->conf->workers; i++)
        all &= f->w[i].ready;
    if (all && !f->announced) {
        f->announced = 1;
        log_printf(LOG_INFO, "serving http://%s:%d with %d workers", host, f->lis.port,
                   f->conf->workers);
    }
}

/* One line from a worker: "ready HOST PORT TLS". */
static void worker_line(worker *w, char *line)
{
    char host[64];
    int port, tls;
    if (sscanf(line, "ready %63s %d %d", host, &port, &tls) == 3)
        worker_ready(w, host, port, tls);
}

static void ipc_alloc(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
    (void)size;
    worker *w = h->data;
    *buf = uv_buf_init(w->line + w->nline, (unsigned)(sizeof w->line - 1 - w->nline));
}

static void ipc_read(uv_stream_t *h, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    worker *w = h->data;
    if (nread < 0) {
        /* The worker is going (stopping, or dead before its exit is seen): nothing more is
         * handed to it; its exit says the rest. */
        uv_read_stop(h);
        w->ready = 0;
        return;
    }
    w->nline += (size_t)nread;
    w->line[w->nline] = '\0';
    char *nl;
    while ((nl = strchr(w->line, '\n'))) {
        *nl = '\0';
        worker_line(w, w->line);
        size_t rest = w->nline - (size_t)(nl + 1 - w->line);
        memmove(w->line, nl + 1, rest + 1);
        w->nline = rest;
    }
    if (w->nline == sizeof w->line - 1)
        w->nline = 0; /* not a line of ours */
}

/* Once stopping and every worker's handles are closed, the front closes its own, and the
 * loop ends. */
static void maybe_finish(front *f)
{
    if (!f->stopping || f->finished)
        return;
    for (int i = 0; i < f->conf->workers; i++)
        if (f->w[i].running || f->w[i].handles_open)
            return;
    f->finished = 1;
    for (int i = 0; i < f->conf->workers; i++)
        uv_close((uv_handle_t *)&f->w[i].restart, NULL);
    for (int i = 0; i < 3; i++)
        uv_close((uv_handle_t *)&f->signals[i], NULL);
}

static void worker_handle_closed(uv_handle_t *h)
{
    worker *w = h->data;
    w->handles_open--;
    maybe_finish(w->f);
}

static void restart_due(uv_timer_t *h)
{
    worker *w = h->data;
    if (w->f->stopping)
        return;
    if (w->handles_open) { /* the last one's handles are still closing */
        uv_timer_start(&w->restart, restart_due, 10, 0);
        return;
    }
    start_worker(w);
}

static void worker_exited(uv_process_t *h, int64_t status, int signum)
{
    worker *w = h->data;
    front *f = w->f;
    int was_ready = w->ready;
    w->running = w->ready = 0;
    uv_close((uv_handle_t *)&w->proc, worker_handle_closed);
    uv_close((uv_handle_t *)&w->ipc, worker_handle_closed);
    char how[64];
    if (signum)
        snprintf(how, sizeof how, "was killed by signal %d", signum);
    else
        snprintf(how, sizeof how, "exited with status %d", (int)status);
    if (f->stopping) {
        log_printf(signum || status ? LOG_WARN : LOG_INFO, "worker %s %s", w->route, how);
        return;
    }
    if (!was_ready && !f->bound) {
        /* It never served, and none has yet: the app cannot start (its error is above). */
        log_printf(LOG_ERROR, "worker %s %s before it served: stopping", w->route, how);
        f->status = status ? (int)status : 1;
        stop_all(f, SIGTERM);
        return;
    }
    uint64_t lived = uv_now(&f->loop) - w->started_ms;
    w->young_deaths = lived < YOUNG_MS ? w->young_deaths + 1 : 0;
    uint64_t delay = RESTART_MIN_MS;
    for (int i = 0; i < w->young_deaths && delay < RESTART_MAX_MS; i++)
        delay *= 2;
    if (delay > RESTART_MAX_MS)
        delay = RESTART_MAX_MS;
    log_printf(LOG_ERROR, "worker %s %s: starting it again in %llu ms (its tabs get new sessions)",
               w->route, how, (unsigned long long)delay);
    uv_timer_start(&w->restart, restart_due, delay, 0);
}

static void start_worker(worker *w)
{
    front *f = w->f;
    /* The arguments: the executable, the worker's route id, then the command line's. */
    size_t nargs = 0;
    while (f->conf->argv[nargs])
        nargs++;
    char **args = mem_calloc(nargs + 4, sizeof *args);
    args[0] = f->exe;
    args[1] = "--route-id";
    args[2] = w->route;
    memcpy(args + 3, f->conf->argv, nargs * sizeof *args);
    /* The environment: this one, and where the pipe is. */
    extern char **environ;
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    char **env = mem_calloc(nenv + 2, sizeof *env);
    memcpy(env, environ, nenv * sizeof *env);
    char fdvar[32];
    snprintf(fdvar, sizeof fdvar, "%s=3", FRONT_ENV);
    env[nenv] = fdvar;

    uv_pipe_init(&f->loop, &w->ipc, 1);
    w->ipc.data = w;
    uv_stdio_container_t stdio[4] = {
        {.flags = UV_INHERIT_FD, .data.fd = 0},
        {.flags = UV_INHERIT_FD, .data.fd = 1},
        {.flags = UV_INHERIT_FD, .data.fd = 2},
        {.flags = UV_CREATE_PIPE | UV_READABLE_PIPE | UV_WRITABLE_PIPE,
         .data.stream = (uv_stream_t *)&w->ipc},
    };
    /* Each worker in a session of its own: a terminal's Ctrl-C reaches the front alone, which
     * passes it on once (twice would end a worker at once). */
    uv_process_options_t opts = {
        .flags = UV_PROCESS_DETACHED,
        .exit_cb = worker_exited,
        .file = f->exe,
        .args = args,
        .env = env,
        .stdio_count = 4,
        .stdio = stdio,
    };
    w->proc.data = w;
    w->nline = 0;
    w->started_ms = uv_now(&f->loop);
    int rc = uv_spawn(&f->loop, &w->proc, &opts);
    free(args);
    free(env);
    w->handles_open = 2;
    if (rc < 0) {
        log_printf(LOG_ERROR, "cannot start worker %s: %s", w->route, uv_strerror(rc));
        uv_close((uv_handle_t *)&w->proc, worker_handle_closed);
        uv_close((uv_handle_t *)&w->ipc, worker_handle_closed);
        if (!f->bound) {
            f->status = 1;
            stop_all(f, SIGTERM);
        } else {
            uv_timer_start(&w->restart, restart_due, RESTART_MAX_MS, 0);
        }
        return;
    }
    w->running = 1;
    log_printf(LOG_INFO, "worker %s started (pid %d)", w->route, w->proc.pid);
    uv_read_start((uv_stream_t *)&w->ipc, ipc_alloc, ipc_read);
}

/* ----------------------------------------------------------------- stopping */

/* No new connections; every worker is sent signum (and stops as it would alone). */
static void stop_all(front *f, int signum)
{
    if (!f->stopping) {
        f->stopping = 1;
        if (f->bound)
            listen_close(&f->lis);
        while (f->pendings)
            pending_end(f->pendings, 0);
        for (int i = 0; i < f->conf->workers; i++)
            uv_timer_stop(&f->w[i].restart);
    }
    for (int i = 0; i < f->conf->workers; i++)
        if (f->w[i].running)
            uv_process_kill(&f->w[i].proc, signum);
    maybe_finish(f); /* when no worker runs, nothing else will */
}

static void on_signal(uv_signal_t *h, int signum)
{
    front *f = h->data;
    const char *name = signum == SIGINT ? "SIGINT" : signum == SIGHUP ? "SIGHUP" : "SIGTERM";
    if (f->stopping) {
        log_printf(LOG_ERROR, "received %s while stopping: ending the workers at once", name);
        stop_all(f, SIGKILL);
        if (!f->status)
            f->status = 128 + signum;
        return;
    }
    log_printf(LOG_INFO, "received %s: stopping", name);
    stop_all(f, signum);
}

int front_run(const front_conf *conf)
{
    front *f = mem_calloc(1, sizeof *f);
    f->conf = conf;
    ssize_t n = readlink("/proc/self/exe", f->exe, sizeof f->exe - 1);
    if (n <= 0) {
        log_printf(LOG_ERROR, "cannot find the executable to start workers");
        free(f);
        return 1;
    }
    f->exe[n] = '\0';
    uv_loop_init(&f->loop);
    int sigs[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        uv_signal_init(&f->loop, &f->signals[i]);
        f->signals[i].data = f;
        uv_signal_start(&f->signals[i], on_signal, sigs[i]);
    }
    f->w = mem_calloc((size_t)conf->workers, sizeof *f->w);
    for (int i = 0; i < conf->workers; i++) {
        worker *w = &f->w[i];
        w->f = f;
        w->index = i + 1;
        snprintf(w->route, sizeof w->route, "%s%sw%d", conf->route_base,
                 conf->route_base[0] ? "-" : "", i + 1);
        uv_timer_init(&f->loop, &w->restart);
        w->restart.data = w;
    }
    for (int i = 0; i < conf->workers && !f->stopping; i++)
        start_worker(&f->w[i]);
    uv_run(&f->loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close(&f->loop);
    if (rc != 0)
        log_printf(LOG_ERROR, "the front's loop still had open handles at exit (%s)",
                   uv_err_name(rc));
    else
        log_printf(LOG_DEBUG, "loop closed cleanly");
    int status = f->status ? f->status : rc != 0;
    free(f->w);
    free(f);
    return status;
}
