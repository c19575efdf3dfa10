#include "gcpace.h"

#include <stdint.h>

/* Lua's own pacing, turned down: a basic step (2^13 bytes' worth, times STEPMUL percent) is
 * some 12,000 objects swept or 12 KB marked, about a millisecond at most; Lua itself takes
 * one every 8 KB allocated, an eighth of its usual rate, and starts a cycle of its own only
 * when the heap has tripled (ours start at twice). An eighth still keeps a task that
 * allocates for seconds without awaiting within about three times the live heap (a cycle's
 * marking is paid for by allocating some 2.7 times what is live); a twenty-fifth was
 * measured no better for the loop's lateness and would let such a task grow the heap
 * eightfold. */
#define LUA_PAUSE 300
#define LUA_STEPMUL 12
#define LUA_STEPSIZE 13

/* A cycle starts when the heap is this many times what it was when the last one ended. */
#define GROWTH 2.0
/* While a cycle runs, each turn gets a slice of collector work: SHARE of the time since the
 * last turn, at most SLICE_NS, and whatever the loop would otherwise sleep, up to SLICE_NS
 * (the loop's wait is known to the millisecond: a millisecond of it is left alone, so that a
 * timer is not made late). Past BEHIND times the start threshold, the collector is losing the
 * race with the app's allocation, and gets BEHIND_NS a turn. */
#define SHARE 0.25
#define SLICE_NS 2000000ull
#define BEHIND 1.5
#define BEHIND_NS 10000000ull
/* When the loop is about to sleep for QUIET_MS or more (or until I/O comes), a cycle starts
 * once the heap has grown by IDLE_GROWTH since the last one, so that the garbage of a burst
 * (sessions opened, a page built) is collected in time nobody was using. Such a cycle runs
 * only in that time, with a timer bringing the loop round every millisecond while it sleeps;
 * busy turns give it nothing unless the heap reaches the usual threshold. */
#define QUIET_MS 20
#define IDLE_GROWTH 1.25

enum { NO_CYCLE, QUIET_CYCLE, BUSY_CYCLE };

static struct {
    uv_prepare_t prepare;
    uv_timer_t nudge; /* turns the loop while a quiet cycle runs */
    int open;
    lua_State *L;
    int cycle;
    double base_kb; /* the heap when the last cycle ended */
    uint64_t last_ns;
    unsigned long long cycles;
    uint64_t longest_ns;
} G;

static double heap_kb(void) { return (double)lua_gc(G.L, LUA_GCCOUNT, 0); }

static void nudged(uv_timer_t *h) { (void)h; }

/* The time the loop would sleep now, in ns, less a millisecond; SLICE_NS when it would sleep
 * until I/O comes. */
static uint64_t idle_ns(uv_loop_t *loop)
{
    int wait = uv_backend_timeout(loop);
    if (wait < 0)
        return SLICE_NS;
    return wait >= 2 ? (uint64_t)(wait - 1) * 1000000ull : 0;
}

static void on_prepare(uv_prepare_t *h)
{
    uint64_t now = uv_hrtime();
    uint64_t since = now - G.last_ns;
    G.last_ns = now;
    /* The nudge would shorten the loop's wait to a millisecond: the wait is read without it. */
    uv_timer_stop(&G.nudge);
    /* An app that stopped the collector (collectgarbage("stop")) keeps it stopped. */
    if (!lua_gc(G.L, LUA_GCISRUNNING))
        return;
    double kb = heap_kb();
    uint64_t idle = idle_ns(h->loop);
    if (kb >= G.base_kb * GROWTH)
        G.cycle = BUSY_CYCLE;
    else if (G.cycle == NO_CYCLE && idle >= (QUIET_MS - 1) * 1000000ull &&
             kb > G.base_kb * IDLE_GROWTH)
        G.cycle = QUIET_CYCLE;
    if (G.cycle == NO_CYCLE)
        return;
    uint64_t slice = idle < SLICE_NS ? idle : SLICE_NS;
    if (G.cycle == BUSY_CYCLE) {
        uint64_t share = (uint64_t)((double)since * SHARE);
        if (share > SLICE_NS)
            share = SLICE_NS;
        if (share > slice)
            slice = share;
        if (kb > G.base_kb * GROWTH * BEHIND)
            slice = BEHIND_NS;
    }
    uint64_t t = 0;
    while (t < slice) {
        if (lua_gc(G.L, LUA_GCSTEP, 0)) {
            G.cycle = NO_CYCLE;
            G.cycles++;
            G.base_kb = heap_kb();
            break;
        }
        t = uv_hrtime() - now;
    }
    t = uv_hrtime() - now;
    if (t > G.longest_ns)
        G.longest_ns = t;
    if (G.cycle == QUIET_CYCLE)
        uv_timer_start(&G.nudge, nudged, 1, 0);
    /* The slice is not counted as time between turns. */
    G.last_ns = uv_hrtime();
}

void gcpace_start(uv_loop_t *loop, lua_State *L)
{
    G.L = L;
    lua_gc(L, LUA_GCINC, LUA_PAUSE, LUA_STEPMUL, LUA_STEPSIZE);
    uv_timer_init(loop, &G.nudge);
    uv_unref((uv_handle_t *)&G.nudge);
    G.base_kb = heap_kb();
    G.last_ns = uv_hrtime();
    uv_prepare_init(loop, &G.prepare);
    uv_prepare_start(&G.prepare, on_prepare);
    uv_unref((uv_handle_t *)&G.prepare);
    G.open = 1;
}

void gcpace_stop(void)
{
    if (!G.open)
        return;
    G.open = 0;
    uv_close((uv_handle_t *)&G.prepare, NULL);
    uv_close((uv_handle_t *)&G.nudge, NULL);
    lua_gc(G.L, LUA_GCINC, 200, 100, 13); /* Lua's defaults */
}

unsigned long long gcpace_cycles(void) { return G.cycles; }

double gcpace_longest_slice(void) { return (double)G.longest_ns / 1e9; }
