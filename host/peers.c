#include "peers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "mem.h"

#define BURST_SECONDS 5     /* the handshake budget holds this many seconds of the rate */
#define WARN_EVERY_MS 10000 /* refusals are logged at most once per interval */

struct peer {
    peer *next; /* in its bucket */
    char key[PEER_KEY_SIZE];
    unsigned sockets;  /* open WebSockets */
    double tokens;     /* handshakes it may start now */
    uint64_t refilled; /* when tokens were last refilled, ms */
};

/* A chained hash table of addresses, owned by its server. Entries whose address holds no
 * socket and whose budget is full again are dropped when the table is swept, which happens
 * as it grows: so addresses that come and go cost nothing lasting. */
struct peers {
    peer **buckets;
    size_t nbuckets, count, sweep_at;
    double rate, burst;
    unsigned max_sockets;
    uint64_t over_rate, at_cap; /* refusals, for /metrics */
    log_limiter refusals;
};

peers *peers_new(double rate, unsigned max_sockets)
{
    peers *p = mem_calloc(1, sizeof *p);
    p->nbuckets = 64;
    p->buckets = mem_calloc(p->nbuckets, sizeof *p->buckets);
    p->sweep_at = p->nbuckets;
    p->rate = rate;
    p->burst = rate * BURST_SECONDS;
    p->max_sockets = max_sockets;
    return p;
}

void peers_free(peers *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nbuckets; i++) {
        for (peer *e = p->buckets[i]; e;) {
            peer *next = e->next;
            free(e);
            e = next;
        }
    }
    free(p->buckets);
    free(p);
}

/* ------------------------------------------------------------- the key */

static void key_of(const struct sockaddr *sa, char key[PEER_KEY_SIZE])
{
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
            inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], key, PEER_KEY_SIZE);
            return;
        }
        struct in6_addr net = s6->sin6_addr;
        memset(&net.s6_addr[8], 0, 8);
        inet_ntop(AF_INET6, &net, key, PEER_KEY_SIZE - 4);
        strcat(key, "/64");
        return;
    }
    inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, key, PEER_KEY_SIZE);
}

/* The last address of an X-Forwarded-For list, parsed; 0 or -1. */
static int forwarded_for(struct lws *wsi, struct sockaddr_storage *out)
{
    char list[512];
    if (lws_hdr_total_length(wsi, WSI_TOKEN_X_FORWARDED_FOR) <= 0 ||
        lws_hdr_copy(wsi, list, sizeof list, WSI_TOKEN_X_FORWARDED_FOR) <= 0)
        return -1;
    char *last = strrchr(list, ',');
    last = last ? last + 1 : list;
    while (*last == ' ' || *last == '\t')
        last++;
    size_t n = strcspn(last, " \t");
    last[n] = '\0';
    memset(out, 0, sizeof *out);
    struct sockaddr_in *s4 = (struct sockaddr_in *)out;
    struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)out;
    if (inet_pton(AF_INET, last, &s4->sin_addr) == 1) {
        s4->sin_family = AF_INET;
        return 0;
    }
    if (inet_pton(AF_INET6, last, &s6->sin6_addr) == 1) {
        s6->sin6_family = AF_INET6;
        return 0;
    }
    return -1;
}

int peers_key(struct lws *wsi, int trust_proxy, char key[PEER_KEY_SIZE])
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (trust_proxy && forwarded_for(wsi, &ss) == 0) {
        key_of((struct sockaddr *)&ss, key);
        return 0;
    }
    int fd = (int)lws_get_socket_fd(wsi);
    if (fd < 0 || getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
        return -1;
    if (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)
        return -1;
    key_of((struct sockaddr *)&ss, key);
    return 0;
}

/* ----------------------------------------------------------- the table */

static size_t hash(const char *key)
{
    size_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)key; *s; s++)
        h = (h ^ *s) * 16777619u;
    return h;
}

static void refill(peers *p, peer *e, uint64_t now)
{
    if (p->rate <= 0)
        return;
    double t = e->tokens + (double)(now - e->refilled) * p->rate / 1000.0;
    e->tokens = t > p->burst ? p->burst : t;
    e->refilled = now;
}

/* Drops the entries that hold nothing: no socket and a full budget. */
static void sweep(peers *p, uint64_t now)
{
    for (size_t i = 0; i < p->nbuckets; i++) {
        for (peer **pe = &p->buckets[i]; *pe;) {
            peer *e = *pe;
            refill(p, e, now);
            if (e->sockets == 0 && (p->rate <= 0 || e->tokens >= p->burst)) {
                *pe = e->next;
                free(e);
                p->count--;
            } else {
                pe = &e->next;
            }
        }
    }
}

static void grow(peers *p)
{
    size_t n = p->nbuckets * 2;
    peer **b = mem_calloc(n, sizeof *b);
    for (size_t i = 0; i < p->nbuckets; i++) {
        for (peer *e = p->buckets[i]; e;) {
            peer *next = e->next;
            size_t h = hash(e->key) & (n - 1);
            e->next = b[h];
            b[h] = e;
            e = next;
        }
    }
    free(p->buckets);
    p->buckets = b;
    p->nbuckets = n;
}

/* The entry for key, made if missing and `make` is set. */
static peer *find(peers *p, const char *key, uint64_t now, int make)
{
    size_t h = hash(key) & (p->nbuckets - 1);
    for (peer *e = p->buckets[h]; e; e = e->next) {
        if (strcmp(e->key, key) == 0) {
            refill(p, e, now);
            return e;
        }
    }
    if (!make)
        return NULL;
    if (p->count >= p->sweep_at) {
        sweep(p, now);
        if (p->count * 2 > p->nbuckets)
            grow(p);
        p->sweep_at = p->count * 2 > p->nbuckets ? p->count * 2 : p->nbuckets;
        h = hash(key) & (p->nbuckets - 1);
    }
    peer *e = mem_calloc(1, sizeof *e);
    snprintf(e->key, sizeof e->key, "%s", key);
    e->tokens = p->burst;
    e->refilled = now;
    e->next = p->buckets[h];
    p->buckets[h] = e;
    p->count++;
    return e;
}

static void refused(peers *p, const char *key, const char *why, uint64_t now)
{
    log_limited(&p->refusals, now, WARN_EVERY_MS, LOG_WARN,
                "refused a WebSocket from %s: %s (see /metrics)", key, why);
}

int peers_admit(peers *p, const char *key, uint64_t now_ms)
{
    peer *e = find(p, key, now_ms, 1);
    if (p->max_sockets && e->sockets >= p->max_sockets) {
        p->at_cap++;
        refused(p, key,
                "it has --max-sessions-per-ip sockets open already (behind a proxy, "
                "see --trust-proxy)",
                now_ms);
        return -2;
    }
    if (p->rate > 0) {
        if (e->tokens < 1) {
            p->over_rate++;
            refused(p, key, "it opens sockets faster than --handshake-rate", now_ms);
            return -1;
        }
        e->tokens -= 1;
    }
    return 0;
}

peer *peers_acquire(peers *p, const char *key, uint64_t now_ms)
{
    peer *e = find(p, key, now_ms, 1);
    if (e)
        e->sockets++;
    return e;
}

void peers_release(peers *p, peer *e)
{
    (void)p;
    if (e && e->sockets)
        e->sockets--;
}

const char *peers_entry_key(const peer *e) { return e->key; }

void peers_figures(const peers *p, uint64_t *tracked, uint64_t *over_rate, uint64_t *at_cap)
{
    *tracked = p->count;
    *over_rate = p->over_rate;
    *at_cap = p->at_cap;
}
