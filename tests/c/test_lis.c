/* Unit tests for host/lis.c against a brute-force longest increasing subsequence. */
#include "../../host/lis.h"

#include <stdlib.h>

#include "tap.h"

/* The length of the longest strictly increasing subsequence, O(n^2). */
static int brute(const int *seq, int n)
{
    int best = 0, *len = calloc((size_t)n + 1, sizeof *len);
    for (int i = 0; i < n; i++) {
        if (seq[i] < 0)
            continue;
        len[i] = 1;
        for (int j = 0; j < i; j++)
            if (seq[j] >= 0 && seq[j] < seq[i] && len[j] + 1 > len[i])
                len[i] = len[j] + 1;
        if (len[i] > best)
            best = len[i];
    }
    free(len);
    return best;
}

/* keep must mark a strictly increasing subsequence of the longest length, skipping -1s. */
static int valid(const int *seq, int n, const char *keep)
{
    int count = 0, last = -1;
    for (int i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        if (seq[i] < 0 || seq[i] <= last)
            return 0;
        last = seq[i];
        count++;
    }
    return count == brute(seq, n);
}

int main(void)
{
    int seq[64], work[128];
    char keep[64];

    int sorted[] = {0, 1, 2, 3, 4};
    lis_mark(sorted, 5, keep, work);
    CHECK(valid(sorted, 5, keep) && keep[0] && keep[4], "an ordered list keeps everything");

    int swapped[] = {0, 3, 2, 1, 4};
    lis_mark(swapped, 5, keep, work);
    int kept = 0;
    for (int i = 0; i < 5; i++)
        kept += keep[i];
    CHECK(valid(swapped, 5, keep) && kept == 3, "a swap of two keeps all but two");

    int gaps[] = {-1, 2, -1, 0, 1, -1};
    lis_mark(gaps, 6, keep, work);
    CHECK(valid(gaps, 6, keep) && !keep[0] && !keep[2] && !keep[5], "new entries (-1) never stay");

    lis_mark(seq, 0, keep, work);
    CHECK(1, "an empty list");

    unsigned rng = 42;
    int all_ok = 1;
    for (int round = 0; round < 5000; round++) {
        int n = (int)(rng % 64);
        for (int i = 0; i < n; i++) {
            rng = rng * 1103515245u + 12345u;
            seq[i] = (rng >> 16) % 5 == 0 ? -1 : (int)((rng >> 8) % 40);
        }
        lis_mark(seq, n, keep, work);
        if (!valid(seq, n, keep))
            all_ok = 0;
        rng = rng * 1103515245u + 12345u;
    }
    CHECK(all_ok, "5,000 random sequences match the brute-force length");
    return TAP_DONE();
}
