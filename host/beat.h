/* beat: a server's WebSocket heartbeat. Each socket is pinged once it has gone `interval` ms
 * without a pong (or since it opened), and hung up when no pong comes within `timeout` ms of
 * that (counted from the same start). All sockets of a server share both durations, so
 * deadlines come in the order sockets are added: two lists in deadline order (waiting for
 * their ping, waiting for their pong) and one libuv timer hold them, with O(1) add, confirm
 * and remove, whatever the number of sockets. (lws's own heartbeat, retry_and_idle_policy,
 * keeps each deadline in one sorted list per thread, and walks all of it at every open.) */
#ifndef LUAFLET_BEAT_H
#define LUAFLET_BEAT_H

#include <stdint.h>
#include <uv.h>

/* One socket's place in a beat; embedded in its owner. */
typedef struct beat_entry {
    struct beat_entry *prev, *next;
    uint64_t due; /* loop ms: when it is pinged, or hung up once pinged */
    int list;     /* 0: in no list, 1: waiting for its ping, 2: waiting for its pong */
} beat_entry;

typedef struct beat beat;
typedef void (*beat_fn)(beat *b, beat_entry *e);

struct beat {
    uv_timer_t timer;           /* armed for the earliest deadline while any socket is in a list */
    uint64_t interval, timeout; /* ms; an interval of 0 turns the beat off */
    beat_entry waiting, pinged; /* the two lists' heads (rings) */
    beat_fn ping, hangup;       /* what the timer does to a socket whose deadline passed */
};

/* Sets b up on loop (its timer is initialized: close it with uv_close(beat_handle(b), ...);
 * the handle's data is left to the owner).
 * ping(b, e) is called when e is due a ping, hangup(b, e) when its pong is overdue; e is
 * already out of its list when hangup runs. Both run from the timer's callback: they may
 * only ask lws for things (a writeable callback, a close), never resume a task. */
void beat_init(beat *b, uv_loop_t *loop, uint64_t interval_ms, uint64_t timeout_ms, beat_fn ping,
               beat_fn hangup);

/* A socket opened, or proved alive (a pong): its next ping is `interval` from now. */
void beat_confirm(beat *b, beat_entry *e);

/* A socket closed: it leaves its list. Harmless on one in no list. */
void beat_remove(beat_entry *e);

/* The server stops: no more pings or hangups, and the timer no longer holds the loop. */
void beat_stop(beat *b);

uv_handle_t *beat_handle(beat *b);

#endif
