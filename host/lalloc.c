#include "lalloc.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define LALLOC_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LALLOC_PLAIN 1
#endif
#endif

#define CLASS_BYTES 16
#define MAX_SMALL 512 /* larger blocks go to malloc */
#define NCLASSES (MAX_SMALL / CLASS_BYTES)
#define CHUNK_BYTES (64 * 1024)

typedef struct block {
    struct block *next;
} block;

typedef struct chunk {
    struct chunk *next;
} chunk;

static block *free_lists[NCLASSES];
static chunk *chunks;   /* every chunk carved, for lalloc_free_all */
static char *carve;     /* the unused rest of the newest chunk */
static size_t carve_left;

static size_t class_of(size_t n) { return (n + CLASS_BYTES - 1) / CLASS_BYTES - 1; }

static void *small_alloc(size_t n)
{
    size_t c = class_of(n);
    block *b = free_lists[c];
    if (b) {
        free_lists[c] = b->next;
        return b;
    }
    size_t size = (c + 1) * CLASS_BYTES;
    if (carve_left < size) {
        /* What is left of the old chunk is too small for this class: it goes to the lists
         * it fits. */
        while (carve_left >= CLASS_BYTES) {
            size_t k = carve_left / CLASS_BYTES - 1;
            if (k >= NCLASSES)
                k = NCLASSES - 1;
            block *rest = (block *)carve;
            rest->next = free_lists[k];
            free_lists[k] = rest;
            carve += (k + 1) * CLASS_BYTES;
            carve_left -= (k + 1) * CLASS_BYTES;
        }
        chunk *ch = malloc(CHUNK_BYTES);
        if (!ch)
            return NULL;
        ch->next = chunks;
        chunks = ch;
        carve = (char *)ch + CLASS_BYTES; /* the link takes the first slot */
        carve_left = CHUNK_BYTES - CLASS_BYTES;
    }
    void *p = carve;
    carve += size;
    carve_left -= size;
    return p;
}

static void small_free(void *p, size_t n)
{
    block *b = p;
    size_t c = class_of(n);
    b->next = free_lists[c];
    free_lists[c] = b;
}

void *lalloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
#ifdef LALLOC_PLAIN
    (void)osize;
    if (nsize == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, nsize);
#else
    /* When ptr is NULL, osize names the kind of object, not a size. */
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (old > MAX_SMALL)
            free(ptr);
        else if (ptr)
            small_free(ptr, old);
        return NULL;
    }
    if (old > MAX_SMALL && nsize > MAX_SMALL)
        return realloc(ptr, nsize);
    if (ptr && old <= MAX_SMALL && nsize <= MAX_SMALL && class_of(old) == class_of(nsize))
        return ptr;
    void *p = nsize <= MAX_SMALL ? small_alloc(nsize) : malloc(nsize);
    if (!p)
        return NULL; /* Lua keeps the old block when growing fails */
    if (ptr) {
        memcpy(p, ptr, old < nsize ? old : nsize);
        if (old > MAX_SMALL)
            free(ptr);
        else
            small_free(ptr, old);
    }
    return p;
#endif
}

void lalloc_free_all(void)
{
    while (chunks) {
        chunk *c = chunks;
        chunks = c->next;
        free(c);
    }
    memset(free_lists, 0, sizeof free_lists);
    carve = NULL;
    carve_left = 0;
}
