/* front: `luaflet app.lua --workers N`. One process listens on the port and hands every
 * connection to one of N worker processes, each a whole host running the app (the same
 * executable, started with the same arguments). The front never runs Lua.
 *
 * Before a connection is handed on, the front peeks at its request line (MSG_PEEK: the bytes
 * stay for the worker to read). A tab that reconnects asks for /ws?route=ID, ID being the
 * route id its session token starts with, and each worker has its own (w1, w2, ... or
 * BASE-w1 with --route-id BASE): so a resume, an upload or /metrics?route=ID always reaches
 * the worker that owns it. Anything else goes to the next ready worker in turn.
 *
 * A worker that dies is started again, under the same route id: the tabs it held come back
 * to it, find their session gone and get a new one (with the notice any unknown session
 * gets). SIGTERM, SIGINT and SIGHUP close the port and are passed on to every worker, which
 * stops as it would alone (SIGTERM drains); the front exits when they all have. */
#ifndef LUAFLET_FRONT_H
#define LUAFLET_FRONT_H

/* Worker processes are told the descriptor of their pipe to the front in this variable. */
#define FRONT_ENV "LUAFLET_WORKER_FD"

typedef struct front_conf {
    int workers;              /* how many, at least 2 */
    const char *route_base;   /* --route-id, or "" */
    char **argv;              /* the workers' arguments after the executable: NULL-ended */
    double handshake_timeout; /* seconds a connection has to send its request line */
} front_conf;

/* Runs the front until it stops; returns the process's exit status. */
int front_run(const front_conf *conf);

#endif
