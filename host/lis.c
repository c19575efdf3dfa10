#include "lis.h"

void lis_mark(const int *seq, int n, char *keep, int *work)
{
    int *tails = work;    /* tails[l]: index in seq of the smallest tail of a run of l+1 */
    int *prev = work + n; /* prev[i]: the index before i in its best run */
    int len = 0;
    for (int i = 0; i < n; i++) {
        keep[i] = 0;
        if (seq[i] < 0)
            continue;
        int lo = 0, hi = len;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (seq[tails[mid]] < seq[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        prev[i] = lo > 0 ? tails[lo - 1] : -1;
        tails[lo] = i;
        if (lo == len)
            len++;
    }
    for (int i = len ? tails[len - 1] : -1; i >= 0; i = prev[i])
        keep[i] = 1;
}
