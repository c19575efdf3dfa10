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
/* While one of the host's cycles runs, Lua's own steps are at their least (a step multiplier
 * under 4 is 1): the host's slices do that cycle's work. At an eighth, Lua's steps still did
 * most of it under load, and in the sweep, where a step is 12,000 objects, they held the
 * handler that allocated for a millisecond every few events. 10,000 countdowns, four runs
 * each way, alternating: server CPU 1.24-1.37 s against 1.36-1.45, p99 lateness 3.0, 3.3,
 * 10.5 and 60 ms against 5.7, 6.5, 7.4 and 39 (both have runs with a stall of some 60 ms,
 * not found). A task that allocates for long without awaiting meets the eighth between the
 * host's cycles, or is caught in one that then runs at Lua's least pace: a host test keeps
 * 48 MB alive, starts a cycle, lets the 48 MB go and allocates for a second keeping 16 MB,
 * and the heap ends at 53 to 82 MB. */
#define LUA_STEPMUL_IN_CYCLE 1

/* A cycle starts when the heap is this many times what it was when the last one ended. */
#define GROWTH 2.0
/* While a cycle runs, each turn gets a slice of collector work: SHARE of the time since the
 * last turn, at most SLICE_NS, or, if more, as long as the loop slept in its last wait for
 * I/O, up to SLICE_NS: a loop that slept is likely to sleep again, and one that did not is
 * busy. The slice also ends a millisecond before the next timer is due (the loop knows its
 * timers to the millisecond). Past BEHIND times the start threshold, the collector is losing
 * the race with the app's allocation, and gets BEHIND_NS a turn. */
#define SHARE 0.25
#define SLICE_NS 2000000ull
#define BEHIND 1.5
#define BEHIND_NS 10000000ull
/* Once the heap has grown by IDLE_GROWTH since the last cycle, a cycle starts when the loop
 * has slept for QUIET_NS (a timer brings it round to see that, for a loop that would
 * otherwise sleep until I/O comes), so that the garbage of a burst (sessions opened, a page
 * built) is collected in time nobody was using. Such a cycle runs only in that time, with a
 * timer bringing the loop round every millisecond while it sleeps; busy turns give it
 * nothing unless the heap reaches the usual threshold. */
#define QUIET_NS 20000000ull
#define IDLE_GROWTH 1.25

enum { NO_CYCLE, QUIET_CYCLE, BUSY_CYCLE };

static struct {
    uv_prepare_t prepare;
    uv_timer_t nudge; /* brings the loop round in quiet time */
    int open;
    lua_State *L;
    int cycle;
    double base_kb;      /* the heap when the last cycle ended */
    uint64_t last_ns;    /* when the last turn's slice ended */
    uint64_t slept_seen; /* the loop's time asleep in its waits for I/O, so far */
    unsigned long long cycles;
    uint64_t longest_ns;
} G;

static double heap_kb(void) { return (double)lua_gc(G.L, LUA_GCCOUNT, 0); }

static void nudged(uv_timer_t *h) { (void)h; }

static uint64_t min_ns(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* How long the loop slept in its wait for I/O since the last turn. */
static uint64_t slept_ns(uv_loop_t *loop)
{
    uint64_t total = uv_metrics_idle_time(loop);
    uint64_t slept = total - G.slept_seen;
    G.slept_seen = total;
    return slept;
}

/* How long a slice may last before the next timer is due: a millisecond less than the
 * loop's wait; SLICE_NS when it has no timer. */
static uint64_t before_timer_ns(uv_loop_t *loop)
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
    uint64_t slept = slept_ns(h->loop);
    /* An app that stopped the collector (collectgarbage("stop")) keeps it stopped. */
    if (!lua_gc(G.L, LUA_GCISRUNNING))
        return;
    double kb = heap_kb();
    int started = G.cycle != NO_CYCLE;
    if (kb >= G.base_kb * GROWTH) {
        G.cycle = BUSY_CYCLE;
    } else if (G.cycle == NO_CYCLE && kb > G.base_kb * IDLE_GROWTH) {
        if (slept < QUIET_NS) {
            /* Come back in that long to see whether the loop has been quiet (armed once,
             * not at every busy turn). */
            if (!uv_is_active((uv_handle_t *)&G.nudge))
                uv_timer_start(&G.nudge, nudged, QUIET_NS / 1000000ull, 0);
            return;
        }
        G.cycle = QUIET_CYCLE;
    }
    if (G.cycle == NO_CYCLE)
        return;
    /* The nudge would shorten the loop's wait: the wait is read without it. */
    uv_timer_stop(&G.nudge);
    if (!started)
        lua_gc(G.L, LUA_GCINC, 0, LUA_STEPMUL_IN_CYCLE, 0);
    uint64_t slice = min_ns(min_ns(slept, SLICE_NS), before_timer_ns(h->loop));
    if (G.cycle == BUSY_CYCLE) {
        uint64_t share = min_ns((uint64_t)((double)since * SHARE), SLICE_NS);
        if (share > slice)
            slice = share;
        if (kb > G.base_kb * GROWTH * BEHIND)
            slice = BEHIND_NS;
    }
    uint64_t t = 0;
    while (t < slice) {
        if (lua_gc(G.L, LUA_GCSTEP, 0)) {
            G.cycle = NO_CYCLE;
            lua_gc(G.L, LUA_GCINC, 0, LUA_STEPMUL, 0);
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
    /* The loop measures its time asleep (two clock reads a wait), which the slices go by. */
    uv_loop_configure(loop, UV_METRICS_IDLE_TIME);
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
