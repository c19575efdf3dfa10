/* The baseline for asyncio's timer figures: N bare libuv timers with the same deadlines as
 * the benchmark's sleepers, and how late each one fires. Prints "p50 p99 max" in ms. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <uv.h>

typedef struct sleeper {
    uv_timer_t timer;
    double deadline_ms;
} sleeper;

static double *lateness;
static int fired;

static void on_timer(uv_timer_t *h)
{
    sleeper *s = (sleeper *)h;
    lateness[fired++] = (double)uv_hrtime() / 1e6 - s->deadline_ms;
    uv_close((uv_handle_t *)h, NULL);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    uv_loop_t loop;
    uv_loop_init(&loop);
    sleeper *s = calloc((size_t)n, sizeof *s);
    lateness = calloc((size_t)n, sizeof *lateness);
    unsigned rng = 12345;
    for (int i = 0; i < n; i++) {
        rng = rng * 1103515245u + 12345u;
        double d = (double)(rng % 1000u) + 1.0; /* 1..1000 ms, as the Lua bench */
        uv_update_time(&loop);
        double now = (double)uv_hrtime() / 1e6;
        s[i].deadline_ms = now + d;
        uint64_t due = (uint64_t)ceil(s[i].deadline_ms);
        uint64_t lnow = uv_now(&loop);
        uv_timer_init(&loop, &s[i].timer);
        uv_timer_start(&s[i].timer, on_timer, due > lnow ? due - lnow : 0, 0);
    }
    uv_run(&loop, UV_RUN_DEFAULT);
    qsort(lateness, (size_t)fired, sizeof *lateness, cmp);
    printf("%.3f %.3f %.3f\n", lateness[fired / 2], lateness[(int)(fired * 0.99)],
           lateness[fired - 1]);
    uv_loop_close(&loop);
    free(s);
    free(lateness);
    return 0;
}
