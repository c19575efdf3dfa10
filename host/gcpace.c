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
/* Each turn's slice: this share of the time since the last turn, at most SLICE_NS; when the
 * loop has nothing to do but wait, SLICE_NS. Past BEHIND times the start threshold, the
 * collector is losing the race with the app's allocation, and gets BEHIND_NS a turn. */
#define SHARE 0.25
#define SLICE_NS 2000000ull
#define BEHIND 1.5
#define BEHIND_NS 10000000ull
/* A loop that slept this long in its last wait is quiet: then a cycle starts once the heap
 * has grown by IDLE_GROWTH since the last one, and a timer brings the loop round every
 * millisecond until it ends, so that the garbage of a burst (sessions opening, a page built)
 * is collected in time nobody was using rather than left for the next busy moment. */
#define QUIET_NS 20000000ull
#define IDLE_GROWTH 1.1

static struct {
    uv_prepare_t prepare;
    uv_timer_t nudge; /* turns the loop while a cycle started in quiet time runs */
    int open;
    lua_State *L;
    int in_cycle;
    double base_kb; /* the heap when the last cycle ended */
    uint64_t last_ns;
    unsigned long long cycles;
    uint64_t longest_ns;
} G;

static double heap_kb(void) { return (double)lua_gc(G.L, LUA_GCCOUNT, 0); }

static void cycle_ended(void)
{
    G.base_kb = heap_kb();
    uv_timer_stop(&G.nudge);
}

static void nudged(uv_timer_t *h) { (void)h; }

static void on_prepare(uv_prepare_t *h)
{
    uint64_t now = uv_hrtime();
    uint64_t since = now - G.last_ns;
    G.last_ns = now;
    /* An app that stopped the collector (collectgarbage("stop")) keeps it stopped. */
    if (!lua_gc(G.L, LUA_GCISRUNNING)) {
        uv_timer_stop(&G.nudge);
        return;
    }
    double kb = heap_kb();
    if (!G.in_cycle) {
        if (since >= QUIET_NS && kb > G.base_kb * IDLE_GROWTH)
            uv_timer_start(&G.nudge, nudged, 1, 1);
        else if (kb < G.base_kb * GROWTH)
            return;
        G.in_cycle = 1;
    }
    uint64_t slice = (uint64_t)((double)since * SHARE);
    if (slice > SLICE_NS || uv_backend_timeout(h->loop) != 0)
        slice = SLICE_NS;
    if (kb > G.base_kb * GROWTH * BEHIND)
        slice = BEHIND_NS;
    uint64_t t;
    do {
        if (lua_gc(G.L, LUA_GCSTEP, 0)) {
            G.in_cycle = 0;
            G.cycles++;
            cycle_ended();
            break;
        }
        t = uv_hrtime() - now;
    } while (t < slice);
    t = uv_hrtime() - now;
    if (t > G.longest_ns)
        G.longest_ns = t;
    /* The slice is not counted as time between turns. */
    G.last_ns = uv_hrtime();
}

void gcpace_start(uv_loop_t *loop, lua_State *L)
{
    G.L = L;
    lua_gc(L, LUA_GCINC, LUA_PAUSE, LUA_STEPMUL, LUA_STEPSIZE);
    uv_timer_init(loop, &G.nudge);
    uv_unref((uv_handle_t *)&G.nudge);
    cycle_ended();
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
