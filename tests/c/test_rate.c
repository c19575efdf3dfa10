/* The inbound rate limit alone: a token bucket on a clock the test moves by hand. */
#include "../../host/rate.h"

#include "tap.h"

/* How many of n messages sent at once, at time now, pass. */
static int passed(rate_bucket *b, double rate, double burst, uint64_t now, int n)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        k += rate_take(b, rate, burst, now) == 1;
    return k;
}

int main(void)
{
    rate_bucket b;
    rate_init(&b, 10, 0);
    CHECK(passed(&b, 20, 10, 0, 40) == 10, "a full bucket lets a burst through, no more");

    /* A long idle time refills the bucket only to the burst, not beyond. */
    rate_init(&b, 10, 0);
    passed(&b, 20, 10, 0, 10);
    CHECK(passed(&b, 20, 10, 2000, 40) == 10, "idle for long, the bucket holds only a burst");

    /* Refills at the rate: 20 a second is one every 50 ms. */
    rate_init(&b, 10, 0);
    passed(&b, 20, 10, 0, 10);
    CHECK(passed(&b, 20, 10, 100, 5) == 2, "100 ms at 20 a second refill two");

    /* No limit at rate 0. */
    rate_init(&b, 1, 0);
    CHECK(passed(&b, 0, 1, 0, 1000) == 1000, "rate 0 sets no limit");

    /* Far over the rate at once: closed once the excess passes ten seconds' worth. */
    rate_init(&b, 10, 0);
    int closed_after = 0;
    for (int i = 1; i <= 1000 && !closed_after; i++)
        if (rate_take(&b, 20, 10, 0) < 0)
            closed_after = i;
    CHECK(closed_after == 10 + 200 + 1, "closed when the excess passes ten seconds' worth");

    /* At the rate exactly, for a long time: never closed, never dropped. */
    rate_init(&b, 10, 0);
    int dropped = 0;
    for (uint64_t t = 0; t < 60000; t += 50)
        dropped += rate_take(&b, 20, 10, t) != 1;
    CHECK(dropped == 0, "a client at the rate loses nothing");

    /* At twice the rate: messages dropped, then closed after about twenty seconds. */
    rate_init(&b, 10, 0);
    uint64_t closed_at = 0;
    for (uint64_t t = 0; t < 60000 && !closed_at; t += 25)
        if (rate_take(&b, 20, 10, t) < 0)
            closed_at = t;
    CHECK(closed_at >= 15000 && closed_at <= 25000, "twice the rate is closed after about 20 s");
    return TAP_DONE();
}
