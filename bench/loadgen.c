/* loadgen: opens N WebSocket sessions against a running server and drives one scenario,
 * then prints one line of JSON with what it measured. The client side is kept as cheap as it
 * can be (one libuv thread, frames parsed in place, no JSON parsing), so that the figures
 * are the server's.
 *
 *   loadgen --port P --pid SERVER_PID --sessions N
 *           --scenario counter|idle|timers|broadcast|open [--rate R]
 *           [--seconds S] [--ready N] [--click ID] [--port2 P2 --split K] [--count-from K]
 *
 * A session is ready once it has received --ready messages (the host sends init and the
 * page; the echo baseline sends one). Scenarios:
 *   counter    every session sends a click as soon as the answer to its last one arrived;
 *              for S seconds: round trips, events per second, server CPU per event.
 *   idle       sessions only; the server's RSS before and after, per session.
 *   timers     the server sends each session a message a second; lateness of each one after
 *              the first, against one second, for S seconds; server CPU.
 *   broadcast  one session clicks and every session should hear of it: the time until half,
 *              95% and all of them have, over five clicks.
 *   open       open loop: every session clicks R times a second whatever the server does,
 *              the sessions' phases spread evenly over the period, for S seconds; each
 *              click's latency runs from the time it was due, not the time it went (the
 *              replies of a session come in the order of its clicks); the clicks this client
 *              sent over 1 ms late (late_sends) and those never answered are counted.
 * Every scenario also notes the server's CPU time per session opened, by batches of 1,000.
 *
 * With --port2 and --split K, the sessions from the K-th on (counting from 0) open on port P2:
 * a second host of the same app, for pubsub across processes. With --count-from K, a broadcast
 * counts only the sessions from the K-th on as hearers (the clicker's own host left out). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

enum scenario { COUNTER, IDLE, TIMERS, BROADCAST, OPEN };

typedef struct conn {
    uv_tcp_t tcp;
    uv_connect_t connect;
    char *buf; /* bytes received and not yet parsed */
    size_t len, cap;
    int upgraded, messages;
    long seq, acked;        /* the last message's number, and the last acknowledged */
    uint64_t unacked_since; /* ns: when the first message not yet acknowledged came, or 0 */
    uint64_t sent_at;       /* ns: when the outstanding click went, 0 if none */
    uint64_t last_at;       /* ns: when the last message arrived */
    /* Open loop: when each click not yet answered was due, oldest first. The server answers
     * a session's clicks in the order they came, so the next reply is the oldest's. */
    uint64_t *due;
    size_t due_head, due_len, due_cap;
    int dead; /* the socket closed: nothing more will come on it */
} conn;

static struct {
    uv_loop_t *loop;
    int port, nsessions, ready_msgs, click_id, pid;
    int port2, split, count_from, counted_ready; /* a second host, and who hears a broadcast */
    double seconds;
    enum scenario scenario;
    conn *conns;
    int *ack_queue; /* sessions waiting to acknowledge, oldest first: a ring of nsessions */
    size_t ack_head, ack_len;
    int connecting, next_to_open, opened, ready, failed, closed;
    uint64_t t_start, t_ready, t_window_end;
    int measuring;
    /* samples, in microseconds */
    double *samples;
    size_t nsamples, capsamples;
    long events;
    /* broadcast */
    int round, heard;
    uint64_t round_at;
    double bp50[8], bp95[8], bp99[8], bp100[8];
    double *arrivals;
    /* open loop */
    double rate;     /* clicks per second per session */
    conn **clickers; /* the ready sessions, in the order of their phases */
    int nclickers;
    double interval_ns; /* between two clicks of all the sessions together */
    uint64_t t0;        /* when the first click was due */
    long next_click;    /* the number of the next click due, over all sessions */
    int scheduling;     /* clicks are still due in the window */
    long sent;          /* clicks that fell due */
    long outstanding, unanswered, unmatched, late_sends;
    double late_max_us;
    uint64_t last_reply_at;
    int clock_fd;
    uv_poll_t clock;
    /* server figures from /proc */
    long rss_before, rss_ready, rss_after;
    double cpu_start, cpu_end;
    double own_cpu_start, own_cpu_end; /* this client's, to tell when it was the limit */
    /* the server's CPU time per session opened (us), by batches of OPEN_BATCH */
    double *open_cpu_us;
    int nbatches;
    uint64_t batch_cpu_ns;
} G;

enum { OPEN_BATCH = 1000, MIN_WAKE_NS = 100000 };

/* CLOCK_MONOTONIC, which timerfd also counts in, so that a click can be armed at the very
 * nanosecond it is due. */
static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sample(double us)
{
    if (G.nsamples == G.capsamples) {
        G.capsamples = G.capsamples ? 2 * G.capsamples : 4096;
        G.samples = realloc(G.samples, G.capsamples * sizeof *G.samples);
        if (!G.samples)
            abort();
    }
    G.samples[G.nsamples++] = us;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

/* The server's resident memory (KiB) and CPU time (s), from /proc: of its process and of its
 * children (the workers of --workers N), summed. */
static double proc_rss(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return (double)kb;
}

static double proc_cpu(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The server's CPU time (ns) summed over its threads, from the scheduler's own count: /proc's
 * stat counts in clock ticks of 10 ms, too coarse for the cost of a thousand opens. */
static double proc_cpu_ns(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    uint64_t sum = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char file[sizeof path + sizeof e->d_name + 16];
        snprintf(file, sizeof file, "%s/%s/schedstat", path, e->d_name);
        FILE *f = fopen(file, "r");
        unsigned long long ns;
        if (f && fscanf(f, "%llu", &ns) == 1)
            sum += ns;
        if (f)
            fclose(f);
    }
    closedir(d);
    return sum;
}

/* The server's process and its children, in pids (at most max); returns how many. */
static int server_pids(int *pids, int max)
{
    int n = 0;
    pids[n++] = G.pid;
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *p = strrchr(buf, ')');
        int ppid;
        if (p && sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == G.pid)
            pids[n++] = atoi(e->d_name);
    }
    if (d)
        closedir(d);
    return n;
}

/* figure(pid) summed over the server's process and its children; a figure /proc no longer
 * has (a child that has just exited) counts as nothing. */
static double server_sum(double (*figure)(int pid))
{
    int pids[64], n = server_pids(pids, 64);
    double sum = 0;
    for (int i = 0; i < n; i++) {
        double v = figure(pids[i]);
        sum += v > 0 ? v : 0;
    }
    return sum;
}

static long server_rss(void) { return (long)server_sum(proc_rss); }
static double server_cpu(void) { return server_sum(proc_cpu); }
static uint64_t server_cpu_ns(void) { return (uint64_t)server_sum(proc_cpu_ns); }

static double own_cpu(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
        (double)(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/* Writes one text frame, masked with a zero key (the payload goes as is). */
static void write_cb(uv_write_t *w, int status)
{
    (void)status;
    free(w);
}

static void send_text(conn *c, const char *text, size_t n)
{
    uv_write_t *w = malloc(sizeof *w + 14 + n);
    if (!w)
        abort();
    unsigned char *f = (unsigned char *)(w + 1);
    size_t h = 0;
    f[h++] = 0x81;
    if (n < 126) {
        f[h++] = (unsigned char)(0x80 | n);
    } else {
        f[h++] = 0x80 | 126;
        f[h++] = (unsigned char)(n >> 8);
        f[h++] = (unsigned char)n;
    }
    memset(f + h, 0, 4);
    h += 4;
    memcpy(f + h, text, n);
    uv_buf_t b = uv_buf_init((char *)f, (unsigned)(h + n));
    uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, write_cb);
}

static void send_pong(conn *c, const unsigned char *payload, size_t n)
{
    uv_write_t *w = malloc(sizeof *w + 6 + n);
    if (!w)
        abort();
    unsigned char *f = (unsigned char *)(w + 1);
    f[0] = 0x8a;
    f[1] = (unsigned char)(0x80 | n);
    memset(f + 2, 0, 4);
    memcpy(f + 6, payload, n);
    uv_buf_t b = uv_buf_init((char *)f, (unsigned)(6 + n));
    uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, write_cb);
}

static void send_click(conn *c)
{
    char msg[96];
    int n = snprintf(msg, sizeof msg,
                     "{\"t\":\"event\",\"id\":%d,\"name\":\"click\",\"data\":\"\"}", G.click_id);
    send_text(c, msg, (size_t)n);
}

static void click(conn *c)
{
    c->sent_at = now_ns();
    send_click(c);
}

static void open_more(void);

/* Notes when every session is either ready or failed: the end of the opening phase. */
static void check_opened(void)
{
    if (G.ready + G.failed == G.nsessions && !G.t_ready)
        G.t_ready = now_ns();
}

/* Notes the server's CPU time at every OPEN_BATCH-th session ready: what the batch cost. */
static void session_ready(conn *c)
{
    G.ready++;
    if (c - G.conns >= G.count_from)
        G.counted_ready++;
    if (G.ready % OPEN_BATCH == 0) {
        uint64_t cpu = server_cpu_ns();
        G.open_cpu_us[G.nbatches++] = (double)(cpu - G.batch_cpu_ns) / 1e3 / OPEN_BATCH;
        G.batch_cpu_ns = cpu;
    }
    check_opened();
}

/* The open loop's queue of clicks sent and not answered, per session. */
static void due_push(conn *c, uint64_t at)
{
    if (c->due_len == c->due_cap) {
        size_t cap = c->due_cap ? 2 * c->due_cap : 8;
        uint64_t *v = malloc(cap * sizeof *v);
        if (!v)
            abort();
        for (size_t i = 0; i < c->due_len; i++)
            v[i] = c->due[(c->due_head + i) % c->due_cap];
        free(c->due);
        c->due = v;
        c->due_cap = cap;
        c->due_head = 0;
    }
    c->due[(c->due_head + c->due_len++) % c->due_cap] = at;
}

static uint64_t due_pop(conn *c)
{
    uint64_t at = c->due[c->due_head];
    c->due_head = (c->due_head + 1) % c->due_cap;
    c->due_len--;
    return at;
}

/* Clicks that will never be answered (the socket closed, or the wait for the last replies
 * ran out) still count, as taking at least until now: leaving them out would flatter the
 * slowest end of the figures. */
static void give_up(conn *c, uint64_t t)
{
    while (c->due_len) {
        sample((double)(t - due_pop(c)) / 1e3);
        G.outstanding--;
        G.unanswered++;
    }
}

static void start_broadcast_round(void);

/* One whole text message from the server, at p (n bytes). */
static void on_message(conn *c, const unsigned char *p, size_t n)
{
    uint64_t t = now_ns();
    c->messages++;
    /* Its number, acknowledged later as a browser does ("seq" comes first in the host's). */
    const unsigned char *q = n > 40 ? memmem(p, 40, "\"seq\":", 6) : NULL;
    if (q)
        c->seq = strtol((const char *)q + 6, NULL, 10);
    /* As the browser's client does, a session acknowledges half a second after the first
     * message it has not acknowledged (ack_due). */
    if (c->seq > c->acked && !c->unacked_since) {
        c->unacked_since = t;
        G.ack_queue[(G.ack_head + G.ack_len++) % (size_t)G.nsessions] = (int)(c - G.conns);
    }
    if (c->messages == G.ready_msgs) {
        c->last_at = t;
        session_ready(c);
        return;
    }
    if (c->messages < G.ready_msgs || !G.measuring) {
        c->last_at = t;
        return;
    }
    switch (G.scenario) {
    case COUNTER:
        if (c->sent_at) {
            sample((double)(t - c->sent_at) / 1e3);
            G.events++;
            c->sent_at = 0;
            if (t < G.t_window_end)
                click(c);
        }
        break;
    case TIMERS:
        if (c->last_at)
            sample((double)(t - c->last_at) / 1e3 - 1e6); /* lateness against 1 s */
        G.events++;
        break;
    case BROADCAST:
        if (G.round_at && c->sent_at != G.round_at) {
            c->sent_at = G.round_at; /* heard of this round */
            if (c - G.conns < G.count_from)
                break;
            G.arrivals[G.heard++] = (double)(t - G.round_at) / 1e3;
            if (G.heard == G.counted_ready) {
                qsort(G.arrivals, (size_t)G.heard, sizeof *G.arrivals, cmp_double);
                G.bp50[G.round] = pct(G.arrivals, (size_t)G.heard, 0.5);
                G.bp95[G.round] = pct(G.arrivals, (size_t)G.heard, 0.95);
                G.bp99[G.round] = pct(G.arrivals, (size_t)G.heard, 0.99);
                G.bp100[G.round] = G.arrivals[G.heard - 1];
                G.round++;
                G.round_at = 0;
                if (G.round < 5)
                    start_broadcast_round();
                else
                    G.measuring = 0;
            }
        }
        break;
    case OPEN:
        if (c->due_len) {
            sample((double)(t - due_pop(c)) / 1e3);
            G.events++;
            G.outstanding--;
            G.last_reply_at = t;
        } else {
            G.unmatched++;
        }
        break;
    case IDLE:
        break;
    }
    c->last_at = t;
}

/* Parses what is buffered: the upgrade answer, then frames. */
static void parse(conn *c)
{
    size_t off = 0;
    if (!c->upgraded) {
        char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
        if (!end)
            return;
        if (c->len < 12 || memcmp(c->buf + 9, "101", 3) != 0) {
            G.failed++;
            G.connecting--;
            check_opened();
            uv_read_stop((uv_stream_t *)&c->tcp);
            open_more();
            return;
        }
        c->upgraded = 1;
        off = (size_t)(end - c->buf) + 4;
        static const char reg[] = "{\"t\":\"register\",\"width\":800,\"height\":600}";
        send_text(c, reg, sizeof reg - 1);
        G.connecting--;
        G.opened++;
        open_more();
    }
    for (;;) {
        const unsigned char *p = (const unsigned char *)c->buf + off;
        size_t avail = c->len - off;
        if (avail < 2)
            break;
        size_t n = p[1] & 0x7f, h = 2;
        if (n == 126) {
            if (avail < 4)
                break;
            n = (size_t)p[2] << 8 | p[3];
            h = 4;
        } else if (n == 127) {
            if (avail < 10)
                break;
            n = 0;
            for (int i = 0; i < 8; i++)
                n = n << 8 | p[2 + i];
            h = 10;
        }
        if (avail < h + n)
            break;
        int op = p[0] & 0x0f;
        if (op == 9)
            send_pong(c, p + h, n);
        else if (op == 8)
            G.closed++;
        else if ((p[0] & 0x80) && (op == 1 || op == 0))
            on_message(c, p + h, n);
        off += h + n;
    }
    memmove(c->buf, c->buf + off, c->len - off);
    c->len -= off;
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
    (void)suggested;
    conn *c = h->data;
    if (c->cap - c->len < 4096) {
        c->cap = c->cap ? 2 * c->cap : 8192;
        c->buf = realloc(c->buf, c->cap);
        if (!c->buf)
            abort();
    }
    *b = uv_buf_init(c->buf + c->len, (unsigned)(c->cap - c->len));
}

static void read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    conn *c = s->data;
    if (n < 0) {
        uv_read_stop(s);
        c->dead = 1;
        give_up(c, now_ns());
        if (!c->upgraded) {
            G.failed++;
            G.connecting--;
            check_opened();
            open_more();
        }
        G.closed++;
        return;
    }
    c->len += (size_t)n;
    parse(c);
}

static void connect_cb(uv_connect_t *req, int status)
{
    conn *c = req->data;
    if (status < 0) {
        G.failed++;
        G.connecting--;
        check_opened();
        open_more();
        return;
    }
    char req_text[256];
    int n = snprintf(req_text, sizeof req_text,
                     "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: bHVhZmxldCBsb2FkZ2VuIQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     G.port);
    uv_write_t *w = malloc(sizeof *w + (size_t)n);
    memcpy(w + 1, req_text, (size_t)n);
    uv_buf_t b = uv_buf_init((char *)(w + 1), (unsigned)n);
    uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, write_cb);
    uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb);
}

/* Keeps at most 256 handshakes in flight, so that the listen queue is never flooded. */
static void open_more(void)
{
    struct sockaddr_in addr, addr2;
    uv_ip4_addr("127.0.0.1", G.port, &addr);
    uv_ip4_addr("127.0.0.1", G.port2 ? G.port2 : G.port, &addr2);
    while (G.connecting < 256 && G.next_to_open < G.nsessions) {
        int second = G.port2 && G.next_to_open >= G.split;
        conn *c = &G.conns[G.next_to_open++];
        uv_tcp_init(G.loop, &c->tcp);
        /* As browsers do. Without it, a click written just after an acknowledgement (to which
         * the host sends nothing back) waited for the host's delayed TCP ACK of it, up to
         * 40 ms: the host's latency, not the baseline's, as the baseline is never
         * acknowledged. */
        uv_tcp_nodelay(&c->tcp, 1);
        c->tcp.data = c;
        c->connect.data = c;
        G.connecting++;
        uv_tcp_connect(&c->connect, &c->tcp, (const struct sockaddr *)(second ? &addr2 : &addr),
                       connect_cb);
    }
}

static void start_broadcast_round(void)
{
    G.heard = 0;
    G.round_at = now_ns();
    for (int i = 0; i < G.nsessions; i++)
        G.conns[i].sent_at = 0;
    /* The clicking session hears of it too: its sent_at is reset by the marker above. */
    char msg[96];
    int n = snprintf(msg, sizeof msg,
                     "{\"t\":\"event\",\"id\":%d,\"name\":\"click\",\"data\":\"\"}", G.click_id);
    for (int i = 0; i < G.nsessions; i++) {
        if (G.conns[i].messages >= G.ready_msgs) {
            send_text(&G.conns[i], msg, (size_t)n);
            break;
        }
    }
}

/* Sends the acknowledgements that are due: each session's half a second after the first
 * message it had not acknowledged, as a browser's own timer would, so that they go out spread
 * as the messages came. (A sweep of every session twice a second sent thousands at once, and
 * the ticks that arrived meanwhile were read, and timed, up to 90 ms late.) The queue is in
 * the order the sessions started waiting, which is the order they fall due. */
static void ack_due(uv_timer_t *h)
{
    (void)h;
    char msg[64];
    uint64_t t = now_ns();
    while (G.ack_len > 0) {
        conn *c = &G.conns[G.ack_queue[G.ack_head]];
        if (t - c->unacked_since < 500000000u)
            break;
        G.ack_head = (G.ack_head + 1) % (size_t)G.nsessions;
        G.ack_len--;
        c->unacked_since = 0;
        if (c->upgraded && !c->dead && c->seq > c->acked) {
            int n = snprintf(msg, sizeof msg, "{\"t\":\"ack\",\"seq\":%ld}", c->seq);
            send_text(c, msg, (size_t)n);
            c->acked = c->seq;
        }
    }
}

/* The open loop's clock: sends every click that is due, in the order they are due, then arms
 * the timer for the next one. A click goes when it is due whatever came back, so a slow
 * server gets more work, not less, as it would from people. When this client is late (its
 * loop was busy), the clicks that fell due meanwhile go at once and keep their due times:
 * the delay counts in their latency, and the lateness is counted apart (late_sends,
 * send_late_max_us) so that a figure the client held back can be told from the server's. */
static void send_due_clicks(void)
{
    uint64_t t = now_ns();
    while (G.scheduling) {
        uint64_t at = G.t0 + (uint64_t)((double)G.next_click * G.interval_ns);
        if (at >= G.t_window_end) {
            G.scheduling = 0;
            break;
        }
        if (at > t) {
            /* At most one wake-up per MIN_WAKE_NS: at rates where clicks come closer than
             * that, waking for each would cost this client more than sending them. */
            if (at < t + MIN_WAKE_NS)
                at = t + MIN_WAKE_NS;
            struct itimerspec next = {{0, 0},
                                      {(time_t)(at / 1000000000u), (long)(at % 1000000000u)}};
            timerfd_settime(G.clock_fd, TFD_TIMER_ABSTIME, &next, NULL);
            return;
        }
        conn *c = G.clickers[G.next_click % G.nclickers];
        G.next_click++;
        double late = (double)(t - at) / 1e3;
        if (late > 1000)
            G.late_sends++;
        if (late > G.late_max_us)
            G.late_max_us = late;
        G.sent++;
        G.outstanding++;
        due_push(c, at);
        if (c->dead)
            give_up(c, t);
        else
            send_click(c);
    }
}

static void on_clock(uv_poll_t *h, int status, int events)
{
    (void)h;
    (void)status;
    (void)events;
    uint64_t expirations;
    if (read(G.clock_fd, &expirations, sizeof expirations) < 0) {
        /* nothing: the timer was re-armed before it was read */
    }
    send_due_clicks();
}

static void start_open_loop(uint64_t t)
{
    G.clickers = calloc((size_t)G.nsessions, sizeof *G.clickers);
    for (int i = 0; i < G.nsessions; i++)
        if (G.conns[i].messages >= G.ready_msgs && !G.conns[i].dead)
            G.clickers[G.nclickers++] = &G.conns[i];
    if (!G.nclickers || G.rate <= 0)
        return;
    /* Click k is session k mod N's: each session clicks every 1/R s, and session i's phase
     * is i/(N R), so that the clicks of all the sessions come evenly spaced. */
    G.interval_ns = 1e9 / ((double)G.nclickers * G.rate);
    G.t0 = t;
    G.scheduling = 1;
    G.clock_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (G.clock_fd < 0) {
        perror("loadgen: timerfd_create");
        exit(1);
    }
    uv_poll_init(G.loop, &G.clock, G.clock_fd);
    uv_poll_start(&G.clock, UV_READABLE, on_clock);
    send_due_clicks();
}

static uv_timer_t tick, acks;
static int phase; /* 0 opening, 1 measuring, 2 done */

static void begin_measuring(void)
{
    G.rss_ready = server_rss();
    G.own_cpu_start = own_cpu();
    G.cpu_start = server_cpu();
    G.measuring = 1;
    uint64_t t = now_ns();
    G.t_window_end = t + (uint64_t)(G.seconds * 1e9);
    switch (G.scenario) {
    case COUNTER:
        for (int i = 0; i < G.nsessions; i++)
            if (G.conns[i].messages >= G.ready_msgs)
                click(&G.conns[i]);
        break;
    case TIMERS:
        for (int i = 0; i < G.nsessions; i++)
            G.conns[i].last_at = 0;
        break;
    case BROADCAST:
        G.arrivals = calloc((size_t)G.nsessions, sizeof *G.arrivals);
        start_broadcast_round();
        break;
    case OPEN:
        start_open_loop(t);
        break;
    case IDLE:
        break;
    }
}

static void on_tick(uv_timer_t *h)
{
    uint64_t t = now_ns();
    if (phase == 0) {
        if (G.ready + G.failed < G.nsessions && t - G.t_start < (uint64_t)120e9)
            return;
        if (!G.t_ready)
            G.t_ready = t;
        phase = 1;
        begin_measuring();
        return;
    }
    /* Counter: the clicks still out when the window ends are not counted. Open loop: every
     * click due in the window is, so its end waits for their replies (at most 10 s). */
    int done = t >= G.t_window_end;
    if (G.scenario == BROADCAST)
        done = !G.measuring || t > G.t_window_end + (uint64_t)30e9;
    else if (G.scenario == OPEN && done)
        done = (!G.scheduling && !G.outstanding) || t > G.t_window_end + (uint64_t)10e9;
    if (!done)
        return;
    if (G.scenario == OPEN) {
        for (int i = 0; i < G.nclickers; i++)
            give_up(G.clickers[i], t);
        if (G.t0)
            uv_poll_stop(&G.clock);
    }
    G.cpu_end = server_cpu();
    G.own_cpu_end = own_cpu();
    G.rss_after = server_rss();
    G.measuring = 0;
    phase = 2;
    uv_timer_stop(h);
    uv_timer_stop(&acks);
    uv_stop(G.loop);
}

static double avg(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    return n ? s / n : 0;
}

int main(int argc, char **argv)
{
    G.ready_msgs = 2;
    G.click_id = 1;
    G.seconds = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--port"))
            G.port = atoi(v);
        else if (!strcmp(k, "--pid"))
            G.pid = atoi(v);
        else if (!strcmp(k, "--sessions"))
            G.nsessions = atoi(v);
        else if (!strcmp(k, "--seconds"))
            G.seconds = atof(v);
        else if (!strcmp(k, "--ready"))
            G.ready_msgs = atoi(v);
        else if (!strcmp(k, "--click"))
            G.click_id = atoi(v);
        else if (!strcmp(k, "--port2"))
            G.port2 = atoi(v);
        else if (!strcmp(k, "--split"))
            G.split = atoi(v);
        else if (!strcmp(k, "--count-from"))
            G.count_from = atoi(v);
        else if (!strcmp(k, "--rate"))
            G.rate = atof(v);
        else if (!strcmp(k, "--scenario"))
            G.scenario = !strcmp(v, "counter") ? COUNTER
                : !strcmp(v, "idle")           ? IDLE
                : !strcmp(v, "timers")         ? TIMERS
                : !strcmp(v, "open")           ? OPEN
                                               : BROADCAST;
    }
    if (!G.port || !G.pid || G.nsessions <= 0) {
        fprintf(stderr, "usage: loadgen --port P --pid PID --sessions N --scenario S\n");
        return 2;
    }
    struct rlimit files; /* as many sockets as the hard limit allows */
    if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
    }
    G.loop = uv_default_loop();
    G.conns = calloc((size_t)G.nsessions, sizeof *G.conns);
    G.ack_queue = calloc((size_t)G.nsessions, sizeof *G.ack_queue);
    G.open_cpu_us = calloc((size_t)G.nsessions / OPEN_BATCH + 1, sizeof *G.open_cpu_us);
    G.batch_cpu_ns = server_cpu_ns();
    G.rss_before = server_rss();
    G.t_start = now_ns();
    open_more();
    uv_timer_init(G.loop, &tick);
    uv_timer_start(&tick, on_tick, 10, 10);
    uv_timer_init(G.loop, &acks);
    uv_timer_start(&acks, ack_due, 1, 1);
    uv_run(G.loop, UV_RUN_DEFAULT);

    qsort(G.samples, G.nsamples, sizeof *G.samples, cmp_double);
    double window = G.seconds;
    /* The open loop's window runs from the first click due to the last reply. */
    if (G.scenario == OPEN && G.t0)
        window =
            (double)((G.last_reply_at > G.t_window_end ? G.last_reply_at : G.t_window_end) - G.t0) /
            1e9;
    double cpu = G.cpu_end - G.cpu_start;
    printf("{\"sessions\":%d,\"failed\":%d,\"establish_s\":%.3f,\"rss_before_kib\":%ld,"
           "\"rss_ready_kib\":%ld,\"rss_after_kib\":%ld,\"cpu_s\":%.3f,\"window_s\":%.3f,"
           "\"events\":%ld,\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"max_us\":%.1f,"
           "\"samples\":%zu,\"b50_ms\":%.2f,\"b95_ms\":%.2f,\"b99_ms\":%.2f,\"b100_ms\":%.2f,"
           "\"rounds\":%d,"
           "\"offered_per_s\":%.1f,\"sent\":%ld,\"unanswered\":%ld,\"unmatched\":%ld,"
           "\"late_sends\":%ld,\"send_late_max_us\":%.1f,\"client_cpu_s\":%.3f,"
           "\"open_cpu_us\":[",
           G.ready, G.failed, (double)(G.t_ready - G.t_start) / 1e9, G.rss_before, G.rss_ready,
           G.rss_after, cpu, window, G.events, pct(G.samples, G.nsamples, 0.5),
           pct(G.samples, G.nsamples, 0.9), pct(G.samples, G.nsamples, 0.99),
           G.nsamples ? G.samples[G.nsamples - 1] : 0, G.nsamples, avg(G.bp50, G.round) / 1e3,
           avg(G.bp95, G.round) / 1e3, avg(G.bp99, G.round) / 1e3, avg(G.bp100, G.round) / 1e3,
           G.round, G.nclickers * G.rate, G.sent, G.unanswered, G.unmatched, G.late_sends,
           G.late_max_us, G.own_cpu_end - G.own_cpu_start);
    for (int i = 0; i < G.nbatches; i++)
        printf("%s%.1f", i ? "," : "", G.open_cpu_us[i]);
    printf("]}\n");
    /* The sockets go with the process. */
    return 0;
}
