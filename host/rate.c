#include "rate.h"

void rate_init(rate_bucket *b, double burst, uint64_t now_ms)
{
    b->tokens = burst;
    b->excess = 0;
    b->refilled = now_ms;
}

int rate_take(rate_bucket *b, double rate, double burst, uint64_t now_ms)
{
    if (rate <= 0)
        return 1;
    double refill = (double)(now_ms - b->refilled) * rate / 1000.0;
    b->refilled = now_ms;
    b->tokens = b->tokens + refill > burst ? burst : b->tokens + refill;
    b->excess = b->excess > refill / 2 ? b->excess - refill / 2 : 0;
    if (b->tokens >= 1) {
        b->tokens -= 1;
        return 1;
    }
    b->excess += 1;
    double limit = 10 * (rate > burst ? rate : burst);
    return b->excess > limit ? -1 : 0;
}
