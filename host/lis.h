/* lis: the longest increasing subsequence, which tells the diff which children can stay
 * where they are when a list is reordered (every other one is moved). */
#ifndef LUAFLET_LIS_H
#define LUAFLET_LIS_H

/* seq[i] is an old position, or -1 for an entry that takes no part. Sets keep[i] to 1 for
 * the entries of one longest strictly increasing subsequence, 0 for the others. work must
 * hold 2 * n ints. O(n log n). */
void lis_mark(const int *seq, int n, char *keep, int *work);

#endif
