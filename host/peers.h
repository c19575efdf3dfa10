/* peers: what each client address holds: its open WebSockets and its handshake rate, so that
 * one client cannot take every slot or open sockets as fast as it can. An address is an
 * IPv4 address, or the /64 network of an IPv6 one (a single host commonly holds a whole /64,
 * so counting single IPv6 addresses would cap nothing). */
#ifndef LUAFLET_PEERS_H
#define LUAFLET_PEERS_H

#include <libwebsockets.h>
#include <stdint.h>

#define PEER_KEY_SIZE 48

typedef struct peers peers;
typedef struct peer peer;

/* A table for these limits: handshakes a second per address (0: no limit; the burst is five
 * seconds' worth), and open WebSockets per address (0: no limit). The caller owns it and
 * frees it with peers_free(). */
peers *peers_new(double rate, unsigned max_sockets);
void peers_free(peers *p);

/* The address a connection counts under, written to key: the peer's address, or with
 * trust_proxy the last address of its X-Forwarded-For header (the one the proxy in front
 * added). Returns 0, or -1 when there is none to tell. */
int peers_key(struct lws *wsi, int trust_proxy, char key[PEER_KEY_SIZE]);

/* Whether a WebSocket handshake from key may go on: it takes one from the address's
 * handshake budget and checks its open sockets. Returns 0, or -1 (over the rate) or -2 (at
 * the cap on sockets), having logged the refusal (at most once per interval). */
int peers_admit(peers *p, const char *key, uint64_t now_ms);

/* A WebSocket from key opened; the returned entry is handed back to peers_release() when it
 * closes. NULL when out of memory (then the socket is not counted). */
peer *peers_acquire(peers *p, const char *key, uint64_t now_ms);
void peers_release(peers *p, peer *e);

/* The address an entry counts. */
const char *peers_entry_key(const peer *e);

/* Figures for /metrics: addresses tracked, handshakes refused for each reason. */
void peers_figures(const peers *p, uint64_t *tracked, uint64_t *over_rate, uint64_t *at_cap);

#endif
