#include "metrics.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>

#include "gcpace.h"
#include "luaheap.h"
#include "sched.h"
#include "ws.h"

#define PROBE_MS 100

/* The upper bounds of the lateness histogram's buckets, in seconds (the last is +Inf). */
static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

static struct {
    uv_timer_t probe;
    int started, closed;
    uint64_t due_ns; /* when the probe should fire next */
    uint64_t counts[NBOUNDS + 1];
    uint64_t total;
    double sum;
    double sessions_open, sessions_detached, sessions_resumed;
} M;

static void probe_fired(uv_timer_t *h)
{
    uint64_t now = uv_hrtime();
    double late = now > M.due_ns ? (double)(now - M.due_ns) / 1e9 : 0;
    size_t i = 0;
    while (i < NBOUNDS && late > bounds[i])
        i++;
    M.counts[i]++;
    M.total++;
    M.sum += late;
    M.due_ns = now + PROBE_MS * 1000000ull;
    uv_timer_start(h, probe_fired, PROBE_MS, 0);
}

void metrics_start(uv_loop_t *loop)
{
    if (M.started)
        return;
    M.started = 1;
    uv_timer_init(loop, &M.probe);
    uv_unref((uv_handle_t *)&M.probe);
    M.due_ns = uv_hrtime() + PROBE_MS * 1000000ull;
    uv_timer_start(&M.probe, probe_fired, PROBE_MS, 0);
}

void metrics_close(void)
{
    if (M.started && !M.closed) {
        M.closed = 1;
        uv_close((uv_handle_t *)&M.probe, NULL);
    }
}

size_t metrics_write(char *out, size_t size)
{
    const ws_figures *w = ws_get_figures();
    lua_State *L = sched_state();
    int n = snprintf(
        out, size,
        "luaflet_sessions_open %.0f\n"
        "luaflet_sessions_detached %.0f\n"
        "luaflet_sessions_resumed_total %.0f\n"
        "luaflet_messages_received_total %llu\n"
        "luaflet_messages_sent_total %llu\n"
        "luaflet_bytes_sent_total %llu\n"
        "luaflet_send_queue_bytes %llu\n"
        "luaflet_tasks %d\n"
        "luaflet_lua_heap_bytes %lld\n"
        "luaflet_lua_heap_reserved_bytes %llu\n"
        "luaflet_gc_cycles_total %llu\n"
        "luaflet_gc_longest_slice_seconds %.6f\n"
        "# TYPE luaflet_loop_lag_seconds histogram\n",
        M.sessions_open, M.sessions_detached, M.sessions_resumed,
        (unsigned long long)w->messages_in, (unsigned long long)w->messages_out,
        (unsigned long long)w->bytes_out, (unsigned long long)w->queued, sched_live_tasks(),
        (long long)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + lua_gc(L, LUA_GCCOUNTB, 0),
        (unsigned long long)luaheap_chunk_bytes(), gcpace_cycles(), gcpace_longest_slice());
    uint64_t below = 0;
    for (size_t i = 0; i <= NBOUNDS && n >= 0 && (size_t)n < size; i++) {
        below += M.counts[i];
        char le[16];
        if (i < NBOUNDS)
            snprintf(le, sizeof le, "%g", bounds[i]);
        else
            snprintf(le, sizeof le, "+Inf");
        n +=
            snprintf(out + n, size - (size_t)n, "luaflet_loop_lag_seconds_bucket{le=\"%s\"} %llu\n",
                     le, (unsigned long long)below);
    }
    if (n >= 0 && (size_t)n < size)
        n += snprintf(out + n, size - (size_t)n,
                      "luaflet_loop_lag_seconds_sum %.6f\nluaflet_loop_lag_seconds_count %llu\n",
                      M.sum, (unsigned long long)M.total);
    return n < 0 || (size_t)n >= size ? size : (size_t)n;
}

/* core.session_figures(open, detached, resumed_total)   [-0, +0, e] */
static int l_session_figures(lua_State *L)
{
    M.sessions_open = luaL_checknumber(L, 1);
    M.sessions_detached = luaL_checknumber(L, 2);
    M.sessions_resumed = luaL_checknumber(L, 3);
    return 0;
}

void metrics_register(lua_State *L)
{
    lua_pushcfunction(L, l_session_figures);
    lua_setfield(L, -2, "session_figures");
}
