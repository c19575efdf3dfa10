/* mem: the host's one out-of-memory policy, and the allocators that carry it out.
 *
 * An allocation made through these functions never returns NULL: when the system refuses,
 * the process writes one line to stderr and aborts. Linux overcommits, so malloc fails only
 * once the address space or a ulimit is spent; no recovery at that point is reliable, and an
 * unwinding path that no test can reach is a bug waiting. Every C file of the host allocates
 * through here, code running on a Lua stack included (Lua's own allocations still raise a
 * Lua error, as always).
 *
 * What a client or an app can make large is bounded before it is allocated, so that no input
 * reaches the abort: a message by --max-message-size, a send queue by --max-send-queue, an
 * HTTP response body and a file read by limits of their own (http.c, fs.c), kept patches by
 * --max-detached-memory.
 *
 * The libraries keep their own ways: Lua raises an error, cJSON (only in proto.c) returns
 * NULL, which proto.c reports as a failed parse or encode, and libuv and libwebsockets return
 * their error codes, which the callers handle as for any other failure of theirs. */
#ifndef LUAFLET_MEM_H
#define LUAFLET_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);

/* Makes room for at least `need` elements of `size` bytes in the array *p, whose capacity
 * (in elements) is *cap: the capacity doubles from `first`. A growable array of any type is
 * a pointer, a count and a capacity, grown with this. */
void mem_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first);

/* The same for typed arrays: MEM_RESERVE(arr, cap, n + 1, 16) with `arr` any T* and `cap` a
 * size_t. */
#define MEM_RESERVE(arr, cap, need, first)                                        \
    do {                                                                          \
        if ((size_t)(need) > (cap)) {                                             \
            void *mem_p_ = (arr);                                                 \
            mem_reserve(&mem_p_, &(cap), (size_t)(need), sizeof *(arr), (first)); \
            (arr) = mem_p_;                                                       \
        }                                                                         \
    } while (0)

#endif
