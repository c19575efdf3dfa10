/* rate: the inbound rate limit of one client, a token bucket with no I/O in it, so that it is
 * tested alone (tests/c/test_rate.c). */
#ifndef LUAFLET_RATE_H
#define LUAFLET_RATE_H

#include <stdint.h>

/* Embedded in its connection; set up by rate_init(). */
typedef struct rate_bucket {
    double tokens;     /* messages it may send now, at most the burst */
    double excess;     /* messages dropped, decaying at half the rate */
    uint64_t refilled; /* when tokens were last refilled, ms */
} rate_bucket;

/* A full bucket at time now_ms. */
void rate_init(rate_bucket *b, double burst, uint64_t now_ms);

/* Whether one more message may pass at now_ms, for a client allowed `rate` messages a second
 * (0: no limit) in bursts of `burst`. Returns 1; 0 to drop it; or -1 when the client has
 * gone on over its rate and is to be closed: its dropped messages, less half the rate a
 * second, came to ten seconds' worth of its rate (or ten bursts, if more). So a client at
 * twice the rate is closed after some twenty seconds, and one far over it at once. */
int rate_take(rate_bucket *b, double rate, double burst, uint64_t now_ms);

#endif
