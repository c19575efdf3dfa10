#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t n)
{
    fprintf(stderr, "luaflet: out of memory (%zu bytes asked)\n", n);
    abort();
}

void *mem_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *mem_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *mem_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *mem_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(mem_alloc(n), s, n);
}

void mem_reserve(void **p, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    if (n > (size_t)-1 / size)
        out_of_memory((size_t)-1);
    *p = mem_realloc(*p, n * size);
    *cap = n;
}
