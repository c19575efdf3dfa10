/* buf: the host's one growable byte buffer: JSON being written, a message coming in pieces,
 * a file being read, an HTTP response, values crossing to a worker thread. It grows by
 * doubling through mem.h (so it never fails) and keeps room for a NUL after its bytes. */
#ifndef LUAFLET_BUF_H
#define LUAFLET_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct buf {
    char *p; /* NULL until the first byte */
    size_t len, cap;
} buf;

/* Makes room for n more bytes and the NUL after them. */
void buf_reserve(buf *b, size_t n);

/* Appends n bytes. The common case (room left) is inline: the diff writes a few bytes at a
 * time, thousands of times per patch. */
static inline void buf_add(buf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap)
        buf_reserve(b, n);
    const char *c = s;
    if (n <= 16) {
        for (size_t i = 0; i < n; i++) /* short runs: a loop beats a call to memcpy */
            b->p[b->len + i] = c[i];
    } else {
        memcpy(b->p + b->len, c, n);
    }
    b->len += n;
}

/* The bytes as a C string (valid until the next write): "" while empty. */
const char *buf_cstr(buf *b);

/* Frees the bytes; the buffer is empty and usable again. */
void buf_free(buf *b);

#endif
