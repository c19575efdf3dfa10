#include "buf.h"

#include <stdlib.h>

#include "mem.h"

void buf_reserve(buf *b, size_t n)
{
    void *p = b->p;
    mem_reserve(&p, &b->cap, b->len + n + 1, 1, 256);
    b->p = p;
}

const char *buf_cstr(buf *b)
{
    buf_reserve(b, 0);
    b->p[b->len] = '\0';
    return b->p;
}

void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
