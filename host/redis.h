/* redis: the host's Redis client, for page.pubsub across processes and ft.kv's shared store.
 *
 * hiredis's asynchronous API runs on the host's own libuv loop (a poll handle per socket), so a
 * command never blocks the loop. Two connections: one for commands (GET, SET, PUBLISH, ...)
 * and one in subscribe mode, which Redis reserves for receiving. Each reconnects by itself
 * after a failure or a drop, waiting 100 ms, then twice as long each time up to 5 s, and logs
 * one line when its state changes. Every command has a timeout (redis_connect's) to be
 * answered, and a connection idle that long is pinged: a late answer drops the connection, so
 * that a Redis that stalls or vanishes without a reset is found by both connections. Both
 * sockets have TCP keepalive and a TCP user timeout.
 *
 * Nothing here calls Lua from a hiredis callback: a reply is pushed onto the waiting task's
 * coroutine and the task is woken through sched_wake(); incoming messages and the outcome of
 * publishes wait in a queue that one task reads with core.redis_receive(). */
#ifndef LUAFLET_REDIS_H
#define LUAFLET_REDIS_H

#include <lua.h>

/* A Redis address, from a URL redis://HOST[:PORT][/DB] (port 6379 and database 0 when left
 * out). */
typedef struct redis_addr {
    char host[256];
    int port;
    int db;
} redis_addr;

/* Parses url into *out. Returns 0, or -1 with why (a sentence to show as it is) in
 * why[size]. */
int redis_parse_url(const char *url, redis_addr *out, char *why, size_t size);

/* Registers core.redis_connect, redis_call, redis_publish, redis_receive and redis_url_ok
 * into the table on top of L. */
void redis_register(lua_State *L);

/* Drops both connections (pending calls end with "redis: closed"), wakes the task waiting
 * in redis_receive, and closes the retry timers. The loop must run once more for the handles
 * to close. Safe to call when Redis was never configured, and more than once. */
void redis_close(void);

#endif
