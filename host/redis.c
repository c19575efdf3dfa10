#include "redis.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <lauxlib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "log.h"
#include "mem.h"
#include "sched.h"

enum { BACKOFF_FIRST_MS = 100, BACKOFF_MAX_MS = 5000, MAX_ARGS = 64, MAX_DEPTH = 16 };

/* Messages waiting for the receiving task past this many, or past this many bytes, are
 * dropped (and counted in the log): a task that stopped reading must not let Redis fill the
 * host's memory. One message is always taken into an empty inbox, however large. The bytes are
 * Redis's own default limit for a subscriber that does not read (32 MB). */
enum { INBOX_MAX = 1000000 };
#define INBOX_MAX_BYTES ((size_t)32 << 20)

/* Publishes sent and not yet answered past this many, or this many bytes, are refused at the
 * send, as when the connection is down: a Redis that stalls must not let the senders fill
 * hiredis's output buffer (nor pubsub.lua's table of pages awaiting an answer). */
enum { PUBLISH_MAX = 10000 };
#define PUBLISH_MAX_BYTES ((size_t)64 << 20)

/* How long an answer may take when redis_connect is given no timeout, in seconds. */
#define TIMEOUT_DEFAULT 5.0

/* One of the two connections. The context belongs to hiredis, which frees it after the
 * disconnect callback (or after a failed connect's callback); ac is NULL from then on. */
typedef struct redis_conn {
    const char *name; /* "commands" or "messages", for the log */
    int subscriber;
    redisAsyncContext *ac;
    int up;           /* answering: its first PING (for the subscriber, PSUBSCRIBE) answered */
    int failures;     /* attempts that failed since it was last up */
    int resolving;    /* the lookup of the host's address is under way */
    unsigned backoff; /* ms before the next attempt */
    uv_timer_t retry;
    uv_timer_t tick; /* while there is a context: deadlines and pings */
    uv_getaddrinfo_t lookup;
    /* When each command still unanswered was sent (uv_now), oldest first: Redis answers in
     * order, so every answer ends the oldest. A ring of capowed (a power of two). */
    uint64_t *owed;
    size_t nowed, headowed, capowed;
    uint64_t last_sent;  /* when a command was last sent */
    uint64_t last_heard; /* when a reply or a message last came */
    int timed_out;       /* dropped because an answer was late */
    int refused;         /* dropped because Redis refused the subscription */
    char dropped[160];   /* why this side dropped the context, until it is gone */
    char why[160];       /* why it is down */
} redis_conn;

/* A message from the subscriber connection, kept until the receiving task takes it. */
typedef struct inbox_item {
    char *channel, *payload; /* owned here */
    size_t clen, plen;
} inbox_item;

/* A publish that failed: its ticket and why. */
typedef struct failure {
    lua_Integer ticket;
    char *why; /* owned here */
} failure;

/* A command a task awaits. Owned by hiredis's callback list until its callback runs, which
 * frees it; a task cancelled meanwhile lets go of it (task = NULL). */
typedef struct call {
    sched_task *task;
    uint64_t sent; /* uv_now when it was sent */
} call;

/* A publish awaiting its answer. */
typedef struct publish {
    lua_Integer ticket;
    size_t bytes;
} publish;

static struct {
    int configured, closing;
    redis_addr addr;
    char *url;     /* as given, to compare a second configuration with */
    char *pattern; /* what the subscriber PSUBSCRIBEs to */
    redis_conn cmd, sub;
    uint64_t timeout; /* ms an answer may take */
    inbox_item *inbox;
    size_t ninbox, capinbox, inbox_bytes;
    size_t publishing, publishing_bytes; /* publishes awaiting their answer */
    failure *failed;
    size_t nfailed, capfailed;
    lua_Integer next_ticket, completed, reported;
    long dropped;
    sched_task *receiver;
} R;

static void conn_start(redis_conn *c);
static void on_retry(uv_timer_t *h);

/* ------------------------------------------------------------- addresses */

int redis_parse_url(const char *url, redis_addr *out, char *why, size_t size)
{
    static const char scheme[] = "redis://";
    memset(out, 0, sizeof *out);
    out->port = 6379;
    if (strncmp(url, scheme, sizeof scheme - 1) != 0) {
        snprintf(why, size, "a Redis URL starts with redis:// (redis://HOST:PORT[/DB]), not %.60s",
                 url);
        return -1;
    }
    const char *p = url + sizeof scheme - 1;
    if (strchr(p, '@')) {
        snprintf(why, size, "a Redis URL with a user or password is not supported: %.60s", url);
        return -1;
    }
    size_t hlen;
    if (*p == '[') { /* an IPv6 address */
        const char *end = strchr(p, ']');
        if (!end) {
            snprintf(why, size, "no ] after the IPv6 address in %.60s", url);
            return -1;
        }
        hlen = (size_t)(end - p - 1);
        if (hlen == 0 || hlen >= sizeof out->host)
            goto bad_host;
        memcpy(out->host, p + 1, hlen);
        p = end + 1;
    } else {
        hlen = strcspn(p, ":/");
        if (hlen == 0 || hlen >= sizeof out->host)
            goto bad_host;
        memcpy(out->host, p, hlen);
        p += hlen;
    }
    if (*p == ':') {
        char *end;
        long port = strtol(p + 1, &end, 10);
        if (end == p + 1 || port < 1 || port > 65535 || (*end && *end != '/')) {
            snprintf(why, size, "the port of a Redis URL is a number from 1 to 65535: %.60s", url);
            return -1;
        }
        out->port = (int)port;
        p = end;
    }
    if (*p == '/' && p[1]) {
        char *end;
        long db = strtol(p + 1, &end, 10);
        if (end == p + 1 || *end || db < 0 || db > 1000000) {
            snprintf(why, size,
                     "the database of a Redis URL is a number (redis://HOST:PORT/DB): %.60s", url);
            return -1;
        }
        out->db = (int)db;
    } else if (*p && !(*p == '/' && !p[1])) {
        snprintf(why, size, "expected redis://HOST:PORT[/DB], not %.60s", url);
        return -1;
    }
    return 0;
bad_host:
    snprintf(why, size, "no host in the Redis URL %.60s (redis://HOST:PORT[/DB])", url);
    return -1;
}

/* ------------------------------------------------------------- hiredis on the loop */

/* hiredis asks for read and write readiness of its socket through five hooks; these give
 * it a uv_poll_t. Debian's hiredis 0.14 ships an adapter for libuv, but it drops the
 * callbacks libuv makes with an error status, and a refused connection comes as one
 * (libuv stops the poll and reports UV_EBADF on POLLERR): the connect callback then never
 * ran, and a host started while Redis was down never retried. Here an error lets hiredis
 * read or write as it asked, so that it meets the socket's error itself and reports it.
 *
 * The watch belongs to the context from redis_watch_attach until hiredis calls its cleanup
 * hook (as it frees the context); its handle is closed then, and it is freed in the close
 * callback. */
typedef struct redis_watch {
    uv_poll_t poll;
    redisAsyncContext *ac; /* NULL once hiredis has let go of it */
    int events;            /* what hiredis asked for: UV_READABLE, UV_WRITABLE */
} redis_watch;

static void watch_ready(uv_poll_t *h, int status, int events)
{
    redis_watch *w = h->data;
    if (status < 0)
        events = w->events;
    /* A read may end the context (its cleanup clears w->ac); w itself lives until its
     * handle's close callback. */
    if (w->ac && (events & UV_READABLE))
        redisAsyncHandleRead(w->ac);
    if (w->ac && (events & UV_WRITABLE))
        redisAsyncHandleWrite(w->ac);
}

static void watch_set(redis_watch *w, int events)
{
    w->events = events;
    if (events)
        uv_poll_start(&w->poll, events, watch_ready);
    else
        uv_poll_stop(&w->poll);
}

static void watch_add_read(void *p)
{
    redis_watch *w = p;
    watch_set(w, w->events | UV_READABLE);
}

static void watch_del_read(void *p)
{
    redis_watch *w = p;
    watch_set(w, w->events & ~UV_READABLE);
}

static void watch_add_write(void *p)
{
    redis_watch *w = p;
    watch_set(w, w->events | UV_WRITABLE);
}

static void watch_del_write(void *p)
{
    redis_watch *w = p;
    watch_set(w, w->events & ~UV_WRITABLE);
}

static void watch_closed(uv_handle_t *h) { free(h->data); }

static void watch_cleanup(void *p)
{
    redis_watch *w = p;
    w->ac = NULL;
    uv_close((uv_handle_t *)&w->poll, watch_closed);
}

/* Gives ac's socket a watch on the host's loop. Returns 0, or a negative libuv code (ac is
 * then as it was). */
static int redis_watch_attach(redisAsyncContext *ac)
{
    redis_watch *w = mem_calloc(1, sizeof *w);
    int rc = uv_poll_init_socket(sched_loop(), &w->poll, ac->c.fd);
    if (rc < 0) {
        free(w);
        return rc;
    }
    w->poll.data = w;
    w->ac = ac;
    ac->ev.data = w;
    ac->ev.addRead = watch_add_read;
    ac->ev.delRead = watch_del_read;
    ac->ev.addWrite = watch_add_write;
    ac->ev.delWrite = watch_del_write;
    ac->ev.cleanup = watch_cleanup;
    return 0;
}

/* ------------------------------------------------------------- connections */

static uint64_t now_ms(void) { return uv_now(sched_loop()); }

/* The timeout as a sentence's number of seconds: "5", "0.5". */
static double timeout_s(void) { return (double)R.timeout / 1000.0; }

/* Notes that c sent a command now: an answer is owed. */
static void owed_push(redis_conn *c)
{
    if (c->nowed == c->capowed) {
        size_t cap = c->capowed ? c->capowed * 2 : 16;
        uint64_t *q = mem_alloc(cap * sizeof *q);
        for (size_t i = 0; i < c->nowed; i++)
            q[i] = c->owed[(c->headowed + i) & (c->capowed - 1)];
        free(c->owed);
        c->owed = q;
        c->capowed = cap;
        c->headowed = 0;
    }
    c->last_sent = now_ms();
    c->owed[(c->headowed + c->nowed++) & (c->capowed - 1)] = c->last_sent;
}

/* An answer came: the oldest command is answered. */
static void owed_pop(redis_conn *c)
{
    c->last_heard = now_ms();
    if (!c->nowed)
        return;
    c->headowed = (c->headowed + 1) & (c->capowed - 1);
    c->nowed--;
}

/* Sends a command on c (which has a context) and notes that its answer is owed. Returns 0, or
 * -1 when hiredis takes no more commands on this context (it is being dropped). */
static int conn_send(redis_conn *c, redisCallbackFn *fn, void *privdata, int argc,
                     const char **argv, const size_t *lens)
{
    if (redisAsyncCommandArgv(c->ac, fn, privdata, argc, argv, lens) != REDIS_OK)
        return -1;
    owed_push(c);
    return 0;
}

/* Why a command of c's context gets no reply: the reason this side dropped it, hiredis's
 * error, or why c went down. */
static const char *lost_why(const redisAsyncContext *ac, const redis_conn *c)
{
    return R.closing    ? "closed"
        : c->dropped[0] ? c->dropped
        : ac->errstr[0] ? ac->errstr
        : c->why[0]     ? c->why
                        : "dropped";
}

enum down_kind { DOWN_CONNECT, DOWN_LOST, DOWN_REFUSED };

/* Notes why c is down and arms its next attempt. The first failure after it was up (or the
 * first ever) is a warning (an error when Redis refused the subscription); the attempts after
 * it are told at debug level only, so a Redis that stays away costs one line, not one every
 * 5 s. */
static void conn_down(redis_conn *c, const char *why, enum down_kind kind)
{
    c->ac = NULL;
    c->up = 0;
    c->nowed = c->headowed = 0;
    c->timed_out = c->refused = 0;
    snprintf(c->why, sizeof c->why, "%s", why);
    c->dropped[0] = '\0';
    if (R.closing)
        return;
    uv_timer_stop(&c->tick);
    enum log_level level = c->failures ? LOG_DEBUG : kind == DOWN_REFUSED ? LOG_ERROR : LOG_WARN;
    if (kind == DOWN_REFUSED)
        log_printf(level,
                   "redis: %s:%d refused the subscription to %s (%s): %s; retrying in %.1f s",
                   R.addr.host, R.addr.port, R.pattern, c->name, why, c->backoff / 1000.0);
    else
        log_printf(level, "redis: %s %s:%d (%s): %s; retrying in %.1f s",
                   kind == DOWN_LOST ? "lost the connection to" : "cannot connect to", R.addr.host,
                   R.addr.port, c->name, why, c->backoff / 1000.0);
    c->failures++;
    uv_timer_start(&c->retry, on_retry, c->backoff, 0);
    c->backoff = c->backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : c->backoff * 2;
}

/* Drops c's context: every command still pending gets no reply (its caller is told why),
 * and c goes down and tries again after its wait. May be called from a hiredis callback of
 * the context: hiredis then frees it once the callback returns. */
static void conn_drop(redis_conn *c, const char *why, enum down_kind kind)
{
    redisAsyncContext *ac = c->ac;
    if (!ac || (ac->c.flags & REDIS_FREEING))
        return;
    snprintf(c->dropped, sizeof c->dropped, "%s", why);
    c->up = 0;
    if (!(ac->c.flags & REDIS_CONNECTED)) {
        /* No disconnect callback comes for a context that never connected. */
        redisAsyncFree(ac);
        conn_down(c, why, DOWN_CONNECT);
        return;
    }
    c->refused = kind == DOWN_REFUSED;
    redisAsyncFree(ac);
}

static void conn_is_up(redis_conn *c)
{
    c->up = 1;
    c->failures = 0;
    c->backoff = BACKOFF_FIRST_MS;
    c->why[0] = '\0';
    if (c->subscriber)
        log_printf(LOG_INFO, "redis: subscribed to %s at %s:%d", R.pattern, R.addr.host,
                   R.addr.port);
    else
        log_printf(LOG_INFO, "redis: connected to %s:%d (commands)", R.addr.host, R.addr.port);
}

static void on_subscribed(redisAsyncContext *ac, void *r, void *privdata);

/* The PING of the commands connection: its answer makes the connection up (Redis answers,
 * not only its machine), and an error (Redis still loading its data) drops it. */
static void on_pong(redisAsyncContext *ac, void *r, void *privdata)
{
    (void)privdata;
    redisReply *reply = r;
    redis_conn *c = ac->data;
    if (!reply)
        return;
    owed_pop(c);
    if (reply->type == REDIS_REPLY_ERROR) {
        char why[sizeof c->why];
        snprintf(why, sizeof why, "PING answered %.120s", reply->str);
        conn_drop(c, why, DOWN_LOST);
        return;
    }
    if (!c->up)
        conn_is_up(c);
}

/* Sends what makes sure c's Redis still answers: PING on the commands connection, and on the
 * subscriber its PSUBSCRIBE again (Redis confirms it, and nothing changes). hiredis 0.14
 * loses the callback of a PING sent in subscribe mode: its answer, ["pong", ""], is looked
 * up among the patterns, found under none, and dropped, while the callback stays queued. */
static void conn_ping(redis_conn *c)
{
    if (c->subscriber) {
        const char *argv[2] = {"PSUBSCRIBE", R.pattern};
        size_t lens[2] = {10, strlen(R.pattern)};
        conn_send(c, on_subscribed, NULL, 2, argv, lens);
    } else {
        const char *argv[1] = {"PING"};
        size_t lens[1] = {4};
        conn_send(c, on_pong, NULL, 1, argv, lens);
    }
}

/* Every timeout/10 while c has a context: an answer owed for longer than the timeout (or a
 * connection not made in that time) drops the context; a connection that has neither sent nor
 * heard anything for as long is pinged. So a Redis that stalls, or whose machine is gone without a word, is found within
 * twice the timeout, and even the subscriber, which otherwise never writes, finds it. */
static void on_tick(uv_timer_t *h)
{
    redis_conn *c = h->data;
    if (!c->ac || R.closing)
        return;
    uint64_t now = now_ms();
    if (c->nowed && now - c->owed[c->headowed] >= R.timeout) {
        char why[sizeof c->why];
        int connected = (c->ac->c.flags & REDIS_CONNECTED) != 0;
        snprintf(why, sizeof why, "%s in %g s", connected ? "no answer" : "no connection",
                 timeout_s());
        c->timed_out = 1;
        conn_drop(c, why, DOWN_LOST);
        return;
    }
    uint64_t last = c->last_sent > c->last_heard ? c->last_sent : c->last_heard;
    if (c->up && !c->nowed && now - last >= R.timeout)
        conn_ping(c);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    redis_conn *c = ac->data;
    /* Once connected, it is up when Redis answers its PING or PSUBSCRIBE. */
    if (status != REDIS_OK) /* hiredis frees the context once this returns */
        conn_down(c, ac->errstr[0] ? ac->errstr : "connection failed", DOWN_CONNECT);
}

static void on_disconnect(const redisAsyncContext *ac, int status)
{
    redis_conn *c = ac->data;
    char why[sizeof c->why];
    enum down_kind kind = DOWN_LOST;
    if (c->dropped[0]) {
        if (c->refused)
            kind = DOWN_REFUSED;
        snprintf(why, sizeof why, "%s", c->dropped);
    } else {
        snprintf(why, sizeof why, "%s",
                 status == REDIS_OK  ? "closed"
                     : ac->errstr[0] ? ac->errstr
                                     : "dropped");
        /* hiredis 0.14 takes an error reply that no command awaits, as the refusal of a
         * PSUBSCRIBE is (-NOPERM from an ACL), for a word from a server about to close the
         * connection, and drops it with the error as its reason. */
        if (c->subscriber && !c->up && ac->err == REDIS_ERR_OTHER)
            kind = DOWN_REFUSED;
    }
    conn_down(c, why, kind);
}

static void wake_receiver(void);

/* Every reply the subscriber connection gets: the confirmation of its PSUBSCRIBE (the first,
 * then one for each ping), then each message, ["pmessage", pattern, channel, payload].
 * hiredis frees the reply afterwards, so what is kept is copied. */
static void on_subscribed(redisAsyncContext *ac, void *r, void *privdata)
{
    (void)privdata;
    redisReply *reply = r;
    redis_conn *c = ac->data;
    if (!reply)
        return;
    if (reply->type == REDIS_REPLY_ERROR) {
        /* A refused PSUBSCRIBE, should a hiredis hand it here. */
        char why[sizeof c->why];
        snprintf(why, sizeof why, "%.150s", reply->str);
        conn_drop(c, why, DOWN_REFUSED);
        return;
    }
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements < 1 ||
        reply->element[0]->type != REDIS_REPLY_STRING)
        return;
    const char *kind = reply->element[0]->str;
    if (strcmp(kind, "psubscribe") == 0) {
        owed_pop(c);
        if (!c->up)
            conn_is_up(c);
        return;
    }
    if (strcmp(kind, "pmessage") != 0 || reply->elements != 4)
        return;
    c->last_heard = now_ms();
    redisReply *ch = reply->element[2], *msg = reply->element[3];
    size_t bytes = ch->len + msg->len;
    if (R.ninbox >= INBOX_MAX || (R.ninbox && R.inbox_bytes + bytes > INBOX_MAX_BYTES)) {
        if (R.dropped++ == 0)
            log_printf(LOG_WARN, "redis: the pubsub task is not keeping up: messages dropped");
        return;
    }
    MEM_RESERVE(R.inbox, R.capinbox, R.ninbox + 1, 64);
    inbox_item *it = &R.inbox[R.ninbox++];
    R.inbox_bytes += bytes;
    it->clen = ch->len;
    it->channel = mem_alloc(ch->len + 1);
    memcpy(it->channel, ch->str, ch->len + 1);
    it->plen = msg->len;
    it->payload = mem_alloc(msg->len + 1);
    memcpy(it->payload, msg->str, msg->len + 1);
    wake_receiver();
}

/* A SELECT that fails (a database number past the server's) leaves commands going to
 * database 0, which would share keys the app meant to keep apart: said loudly. */
static void on_selected(redisAsyncContext *ac, void *r, void *privdata)
{
    (void)privdata;
    redisReply *reply = r;
    if (!reply)
        return;
    owed_pop(ac->data);
    if (reply->type == REDIS_REPLY_ERROR)
        log_printf(LOG_ERROR, "redis: SELECT %d failed: %s", R.addr.db, reply->str);
}

/* TCP keepalive, which probes a connection that has nothing to send, and a user timeout: the
 * kernel ends the connection once data or probes sent stay unacknowledged that long. The
 * pings and deadlines above do not rely on them. */
static void tune_socket(redisAsyncContext *ac)
{
    redisEnableKeepAlive(&ac->c);
    unsigned int ms = (unsigned int)R.timeout;
    setsockopt(ac->c.fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &ms, sizeof ms);
    ac->c.err = 0;
    ac->c.errstr[0] = '\0';
}

static void attach(redis_conn *c, const char *ip)
{
    redisAsyncContext *ac = redisAsyncConnect(ip, R.addr.port);
    if (!ac) {
        conn_down(c, "out of memory", DOWN_CONNECT);
        return;
    }
    if (ac->err) {
        char why[sizeof c->why];
        snprintf(why, sizeof why, "%s", ac->errstr);
        redisAsyncFree(ac);
        conn_down(c, why, DOWN_CONNECT);
        return;
    }
    ac->data = c;
    int rc = redis_watch_attach(ac);
    if (rc < 0) {
        char why[sizeof c->why];
        snprintf(why, sizeof why, "cannot watch its socket: %s", uv_strerror(rc));
        redisAsyncFree(ac);
        conn_down(c, why, DOWN_CONNECT);
        return;
    }
    tune_socket(ac);
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    c->ac = ac;
    c->nowed = c->headowed = 0;
    c->dropped[0] = '\0';
    /* Sent as soon as the connection is made, before anything else; their deadline counts
     * from now, so it bounds the connection's making too. */
    if (!c->subscriber && R.addr.db) {
        char db[16];
        snprintf(db, sizeof db, "%d", R.addr.db);
        const char *argv[2] = {"SELECT", db};
        size_t lens[2] = {6, strlen(db)};
        conn_send(c, on_selected, NULL, 2, argv, lens);
    }
    conn_ping(c);
    uint64_t every = R.timeout / 10 ? R.timeout / 10 : 1;
    uv_timer_start(&c->tick, on_tick, every, every);
}

/* The host name is looked up on libuv's thread pool: hiredis would look it up blocking the
 * loop. A name with several addresses (localhost: ::1 and 127.0.0.1) has them tried in
 * turn, one per attempt, so that a Redis listening on only one of them is found. */
static void on_lookup(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
    redis_conn *c = req->data;
    c->resolving = 0;
    char ip[64] = "";
    if (status == 0 && res) {
        int n = 0;
        for (struct addrinfo *a = res; a; a = a->ai_next)
            n++;
        struct addrinfo *a = res;
        for (int i = c->failures % n; i > 0; i--)
            a = a->ai_next;
        if (a->ai_family == AF_INET6)
            uv_ip6_name((struct sockaddr_in6 *)a->ai_addr, ip, sizeof ip);
        else
            uv_ip4_name((struct sockaddr_in *)a->ai_addr, ip, sizeof ip);
    }
    if (res)
        uv_freeaddrinfo(res);
    if (R.closing)
        return;
    if (!ip[0]) {
        char why[sizeof c->why];
        snprintf(why, sizeof why, "cannot find its address: %s",
                 status ? uv_strerror(status) : "none");
        conn_down(c, why, DOWN_CONNECT);
        return;
    }
    attach(c, ip);
}

static void conn_start(redis_conn *c)
{
    if (R.closing)
        return;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    c->lookup.data = c;
    int rc = uv_getaddrinfo(sched_loop(), &c->lookup, on_lookup, R.addr.host, NULL, &hints);
    if (rc < 0) {
        char why[sizeof c->why];
        snprintf(why, sizeof why, "cannot find its address: %s", uv_strerror(rc));
        conn_down(c, why, DOWN_CONNECT);
        return;
    }
    c->resolving = 1;
}

static void conn_init(redis_conn *c, const char *name, int subscriber)
{
    c->name = name;
    c->subscriber = subscriber;
    c->backoff = BACKOFF_FIRST_MS;
    snprintf(c->why, sizeof c->why, "connecting");
    uv_timer_init(sched_loop(), &c->retry);
    c->retry.data = c;
    uv_timer_init(sched_loop(), &c->tick);
    c->tick.data = c;
    /* The timers alone must not keep a host that has stopped serving alive. */
    uv_unref((uv_handle_t *)&c->retry);
    uv_unref((uv_handle_t *)&c->tick);
}

/* The retry timer's callback gets the timer: its data is the connection. */
static void on_retry(uv_timer_t *h) { conn_start(h->data); }

static void conn_close(redis_conn *c)
{
    uv_timer_stop(&c->retry);
    uv_timer_stop(&c->tick);
    if (c->resolving)
        uv_cancel((uv_req_t *)&c->lookup);
    if (c->ac) {
        redisAsyncContext *ac = c->ac;
        c->ac = NULL;
        /* Runs every pending callback with no reply, then the disconnect callback. */
        redisAsyncFree(ac);
    }
    c->up = 0;
    free(c->owed);
    c->owed = NULL;
    c->nowed = c->headowed = c->capowed = 0;
    uv_close((uv_handle_t *)&c->retry, NULL);
    uv_close((uv_handle_t *)&c->tick, NULL);
}

void redis_close(void)
{
    if (!R.configured || R.closing)
        return;
    R.closing = 1;
    conn_close(&R.cmd);
    conn_close(&R.sub);
    if (R.receiver) {
        sched_task *t = R.receiver;
        R.receiver = NULL;
        sched_wake(t, 0);
    }
    for (size_t i = 0; i < R.ninbox; i++) {
        free(R.inbox[i].channel);
        free(R.inbox[i].payload);
    }
    free(R.inbox);
    for (size_t i = 0; i < R.nfailed; i++)
        free(R.failed[i].why);
    free(R.failed);
    free(R.url);
    free(R.pattern);
    R.inbox = NULL;
    R.failed = NULL;
    R.url = R.pattern = NULL;
    R.ninbox = R.capinbox = R.nfailed = R.capfailed = R.inbox_bytes = 0;
}

/* ------------------------------------------------------------- replies to Lua */

/* Pushes a reply as a Lua value: a status or string as a string, an integer as an integer,
 * nil as nil, an array as a list (its errors as their text), a double (RESP3) as a number.
 * [-0, +1, m] */
static void push_reply(lua_State *L, const redisReply *r, int depth)
{
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        lua_pushlstring(L, r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        lua_pushinteger(L, (lua_Integer)r->integer);
        break;
    case REDIS_REPLY_ARRAY:
        if (depth >= MAX_DEPTH || !lua_checkstack(L, 4)) {
            lua_pushnil(L);
            break;
        }
        lua_createtable(L, (int)r->elements, 0);
        for (size_t i = 0; i < r->elements; i++) {
            push_reply(L, r->element[i], depth + 1);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        break;
    default:
        lua_pushnil(L);
    }
}

/* Pushes a reply as an await's results: the value, or nil and why.   [-0, +1|2, m] */
static int push_results(lua_State *L, const redisReply *r, const char *lost)
{
    if (!r) {
        lua_pushnil(L);
        lua_pushfstring(L, "redis: %s", lost);
        return 2;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        lua_pushnil(L);
        lua_pushlstring(L, r->str, r->len);
        return 2;
    }
    push_reply(L, r, 0);
    return 1;
}

static void on_call_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    call *cl = privdata;
    redis_conn *c = ac->data;
    if (r)
        owed_pop(c);
    if (cl->task) {
        char lost[256];
        /* The calls whose own time is up when the connection is dropped for a late answer
         * are told so; the others, that it was lost. */
        if (!r && c->timed_out && !R.closing && now_ms() - cl->sent >= R.timeout)
            snprintf(lost, sizeof lost, "no answer in %g s", timeout_s());
        else
            snprintf(lost, sizeof lost, "the connection was lost before the reply (%s)",
                     lost_why(ac, c));
        lua_State *co = sched_task_state(cl->task);
        sched_wake(cl->task, push_results(co, r, lost));
    }
    free(cl);
}

static void call_cleanup(sched_task *t)
{
    call *cl = sched_await_data(t);
    cl->task = NULL;
}

/* Collects the arguments from index `from` on as strings (numbers converted).   [-0, +0, e] */
static int collect_args(lua_State *L, int from, const char **argv, size_t *lens)
{
    int n = lua_gettop(L) - from + 1;
    if (n < 1)
        luaL_error(L, "core.redis: no command");
    if (n > MAX_ARGS)
        luaL_error(L, "core.redis: at most %d arguments", MAX_ARGS);
    for (int i = 0; i < n; i++) {
        int t = lua_type(L, from + i);
        if (t != LUA_TSTRING && t != LUA_TNUMBER)
            luaL_argerror(L, from + i, "expected a string or a number");
        argv[i] = lua_tolstring(L, from + i, &lens[i]);
    }
    return n;
}

/* Pushes "redis: not connected (why)".   [-0, +1, m] */
static void push_not_connected(lua_State *L, const redis_conn *c)
{
    if (!R.configured)
        lua_pushliteral(L, "redis: not configured (--redis)");
    else
        lua_pushfstring(L, "redis: not connected (%s)", c->why[0] ? c->why : "connecting");
}

/* core.redis_call(cmd, args...) -> the reply (status or string: a string, integer, nil,
 * array: a list), or nil and the error reply ("ERR ...") or "redis: not connected (why)".
 * An await: from a task; it suspends even when the answer is known at once. With no answer
 * within the timeout it returns nil, "redis: no answer in N s", and the connection is
 * dropped (the other calls pending on it fail too) and made again.
 * [-n, +1|2, e] */
static int l_redis_call(lua_State *L)
{
    const char *argv[MAX_ARGS];
    size_t lens[MAX_ARGS];
    int n = collect_args(L, 1, argv, lens);
    sched_task *t = sched_await_begin(L, "core.redis_call");
    if (!R.cmd.up || !R.cmd.ac) {
        lua_pushnil(L);
        push_not_connected(L, &R.cmd);
        return sched_await_results(L, t, 2);
    }
    call *cl = mem_alloc(sizeof *cl);
    cl->task = t;
    cl->sent = now_ms();
    if (conn_send(&R.cmd, on_call_reply, cl, n, argv, lens) < 0) {
        free(cl);
        lua_pushnil(L);
        push_not_connected(L, &R.cmd);
        return sched_await_results(L, t, 2);
    }
    lua_settop(L, 0);
    return sched_await(L, t, call_cleanup, cl, NULL);
}

/* ------------------------------------------------------------- publishing */

static int has_news(void) { return R.ninbox || R.nfailed || R.completed != R.reported; }

/* Pushes what the receiving task is told: the messages as a flat list (channel, payload,
 * channel, payload, ...), the failed publishes ({[ticket] = why}), and the last ticket
 * answered; and forgets them.   [-0, +3, m] */
static void push_news(lua_State *L)
{
    lua_createtable(L, (int)(2 * R.ninbox), 0);
    for (size_t i = 0; i < R.ninbox; i++) {
        lua_pushlstring(L, R.inbox[i].channel, R.inbox[i].clen);
        lua_rawseti(L, -2, (lua_Integer)(2 * i + 1));
        lua_pushlstring(L, R.inbox[i].payload, R.inbox[i].plen);
        lua_rawseti(L, -2, (lua_Integer)(2 * i + 2));
        free(R.inbox[i].channel);
        free(R.inbox[i].payload);
    }
    R.ninbox = 0;
    R.inbox_bytes = 0;
    lua_createtable(L, 0, (int)R.nfailed);
    for (size_t i = 0; i < R.nfailed; i++) {
        lua_pushstring(L, R.failed[i].why);
        lua_rawseti(L, -2, R.failed[i].ticket);
        free(R.failed[i].why);
    }
    R.nfailed = 0;
    lua_pushinteger(L, R.completed);
    R.reported = R.completed;
    if (R.dropped) {
        log_printf(LOG_WARN, "redis: %ld messages were dropped while the pubsub task lagged",
                   R.dropped);
        R.dropped = 0;
    }
}

/* Wakes the receiving task. What it is told is gathered when it resumes (receive_results),
 * so that everything that arrived meanwhile goes in one batch. */
static void wake_receiver(void)
{
    if (!R.receiver || !has_news())
        return;
    sched_task *t = R.receiver;
    R.receiver = NULL;
    sched_wake(t, 0);
}

static void on_published(redisAsyncContext *ac, void *r, void *privdata)
{
    redisReply *reply = r;
    publish *p = privdata;
    lua_Integer ticket = p->ticket;
    redis_conn *c = ac->data;
    R.publishing--;
    R.publishing_bytes -= p->bytes;
    free(p);
    if (reply)
        owed_pop(c);
    if (!reply || reply->type == REDIS_REPLY_ERROR) {
        char why[256];
        if (reply)
            snprintf(why, sizeof why, "redis: %s", reply->str);
        else
            snprintf(why, sizeof why,
                     "redis: the connection was lost before Redis confirmed it (%s)",
                     lost_why(ac, c));
        MEM_RESERVE(R.failed, R.capfailed, R.nfailed + 1, 16);
        R.failed[R.nfailed].ticket = ticket;
        R.failed[R.nfailed].why = mem_strdup(why);
        R.nfailed++;
    }
    if (ticket > R.completed)
        R.completed = ticket;
    wake_receiver();
}

/* core.redis_publish(channel, payload) -> a ticket (an integer), or nil and
 * "redis: not connected (why)", or nil and "redis: N publishes await Redis's answer" past
 * PUBLISH_MAX or PUBLISH_MAX_BYTES of them. Returns at once; how the publish went comes later
 * through core.redis_receive: its ticket among the failures, or at most the last ticket
 * answered.   [-2, +1|2, e] */
static int l_redis_publish(lua_State *L)
{
    size_t clen, plen;
    const char *ch = luaL_checklstring(L, 1, &clen);
    const char *payload = luaL_checklstring(L, 2, &plen);
    if (!R.cmd.up || !R.cmd.ac) {
        lua_pushnil(L);
        push_not_connected(L, &R.cmd);
        return 2;
    }
    size_t bytes = clen + plen;
    if (R.publishing >= PUBLISH_MAX || R.publishing_bytes + bytes > PUBLISH_MAX_BYTES) {
        lua_pushnil(L);
        lua_pushfstring(L, "redis: %d publishes (%d kB) await Redis's answer", (int)R.publishing,
                        (int)(R.publishing_bytes / 1024));
        return 2;
    }
    publish *p = mem_alloc(sizeof *p);
    p->ticket = ++R.next_ticket;
    p->bytes = bytes;
    const char *argv[3] = {"PUBLISH", ch, payload};
    size_t lens[3] = {7, clen, plen};
    if (conn_send(&R.cmd, on_published, p, 3, argv, lens) < 0) {
        R.next_ticket--;
        free(p);
        lua_pushnil(L);
        push_not_connected(L, &R.cmd);
        return 2;
    }
    R.publishing++;
    R.publishing_bytes += bytes;
    lua_pushinteger(L, p->ticket);
    return 1;
}

static void receive_cleanup(sched_task *t)
{
    (void)t;
    R.receiver = NULL;
}

/* The results of redis_receive, made as the task resumes.   [-0, +2|3, m] */
static int receive_results(lua_State *L)
{
    lua_settop(L, 0);
    if (R.closing) {
        lua_pushnil(L);
        lua_pushliteral(L, "closed");
        return 2;
    }
    push_news(L);
    return 3;
}

/* core.redis_receive() -> messages, failures, completed (see push_news), once there is
 * something to tell; nil, "closed" once Redis is closed. An await, for one task at a time.
 * [-0, +2|3, e] */
static int l_redis_receive(lua_State *L)
{
    sched_task *t = sched_await_begin(L, "core.redis_receive");
    if (!R.configured)
        return luaL_error(L, "core.redis_receive: Redis is not configured");
    if (R.receiver)
        return luaL_error(L, "core.redis_receive: another task is receiving");
    lua_settop(L, 0);
    if (R.closing || has_news())
        return sched_await_results(L, t, receive_results(L));
    R.receiver = t;
    return sched_await(L, t, receive_cleanup, NULL, receive_results);
}

/* ------------------------------------------------------------- setting up */

/* core.redis_connect(url, pattern [, timeout]) -> true, or nil and why the URL is not one.
 * Starts both connections (and keeps them up from then on); the subscriber PSUBSCRIBEs to
 * pattern. timeout (seconds, TIMEOUT_DEFAULT when nil) bounds every answer, and how long a
 * connection stays idle before it is pinged. A second call with the same URL and pattern does
 * nothing.   [-2|3, +1|2, e] */
static int l_redis_connect(lua_State *L)
{
    const char *url = luaL_checkstring(L, 1);
    const char *pattern = luaL_checkstring(L, 2);
    double timeout = luaL_optnumber(L, 3, TIMEOUT_DEFAULT);
    luaL_argcheck(L, timeout >= 0.01 && timeout <= 1e6, 3, "expected 0.01 to 1e6 seconds");
    if (R.configured) {
        if (!R.closing && strcmp(url, R.url) == 0 && strcmp(pattern, R.pattern) == 0) {
            lua_pushboolean(L, 1);
            return 1;
        }
        return luaL_error(L, "core.redis_connect: Redis is already configured (%s)",
                          R.url ? R.url : "closed");
    }
    char why[200];
    if (redis_parse_url(url, &R.addr, why, sizeof why) < 0) {
        lua_pushnil(L);
        lua_pushstring(L, why);
        return 2;
    }
    R.configured = 1;
    R.timeout = (uint64_t)(timeout * 1000 + 0.5);
    R.url = mem_strdup(url);
    R.pattern = mem_strdup(pattern);
    conn_init(&R.cmd, "commands", 0);
    conn_init(&R.sub, "messages", 1);
    /* Through the timer, so that both start from the loop and not inside this call. */
    uv_timer_start(&R.cmd.retry, on_retry, 0, 0);
    uv_timer_start(&R.sub.retry, on_retry, 0, 0);
    lua_pushboolean(L, 1);
    return 1;
}

/* core.redis_url_ok(url) -> true, or false and why not   [-1, +1|2, e] */
static int l_redis_url_ok(lua_State *L)
{
    redis_addr a;
    char why[200];
    if (redis_parse_url(luaL_checkstring(L, 1), &a, why, sizeof why) < 0) {
        lua_pushboolean(L, 0);
        lua_pushstring(L, why);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

void redis_register(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        {"redis_connect", l_redis_connect}, {"redis_call", l_redis_call},
        {"redis_publish", l_redis_publish}, {"redis_receive", l_redis_receive},
        {"redis_url_ok", l_redis_url_ok},   {NULL, NULL}};
    luaL_setfuncs(L, funcs, 0);
}
