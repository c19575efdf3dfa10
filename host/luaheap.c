#include "luaheap.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define POOLED 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOLED 0
#endif
#endif
#ifndef POOLED
#define POOLED 1
#endif

/* Blocks up to SMALL_MAX bytes come from pages of one size class each, GRAIN bytes apart
 * (Lua's objects need no more alignment than a pointer's or a double's). */
#define GRAIN 8
#define SMALL_MAX 512
#define NCLASS (SMALL_MAX / GRAIN)
#define PAGE (16 * 1024) /* aligned to its size, so that a block finds its page's header */
#define CHUNK (64 * PAGE)

typedef struct block {
    struct block *next;
} block;

/* A page's header, at its start; its blocks follow. A page with a free block is on its
 * class's list of such pages. The blocks not carved yet are those from `bump` to the end: a
 * page carves in address order, and one whose blocks are all free again starts over from its
 * first, so that what is made together lies together (a collection frees blocks in no order
 * a cache likes, and the next page built walks them). */
typedef struct page {
    struct page *next_free; /* the next page of its class with a free block */
    block *free;            /* blocks freed and not carved again */
    char *bump;
    unsigned used; /* blocks handed out and not freed */
    unsigned size; /* its blocks' size */
    int listed;    /* on its class's list */
} page;

static struct {
    page *with_free[NCLASS];
    char **chunks; /* every chunk, for luaheap_release */
    size_t nchunks, chunks_cap;
    char *chunk_next, *chunk_end; /* the pages of the newest chunk not used yet */
    size_t chunk_bytes;
} H;

static size_t class_of(size_t n) { return (n + GRAIN - 1) / GRAIN - 1; }

static int is_small(size_t n) { return POOLED && n <= SMALL_MAX; }

static char *page_end(page *p) { return (char *)p + PAGE; }

/* Where a page's blocks start, past its header. */
static char *first_block(page *p) { return (char *)p + ((sizeof *p + GRAIN - 1) / GRAIN) * GRAIN; }

static page *new_page(size_t c)
{
    if (H.chunk_next == H.chunk_end) {
        /* Pages come from chunks of CHUNK bytes: an aligned allocation of each page would
         * leave up to a page's worth unused beside it. */
        if (H.nchunks == H.chunks_cap) {
            size_t cap = H.chunks_cap ? 2 * H.chunks_cap : 16;
            char **more = realloc(H.chunks, cap * sizeof *more);
            if (!more)
                return NULL;
            H.chunks = more;
            H.chunks_cap = cap;
        }
        char *k = aligned_alloc(PAGE, CHUNK);
        if (!k)
            return NULL;
        H.chunks[H.nchunks++] = k;
        H.chunk_bytes += CHUNK;
        H.chunk_next = k;
        H.chunk_end = k + CHUNK;
    }
    page *p = (page *)H.chunk_next;
    H.chunk_next += PAGE;
    memset(p, 0, sizeof *p);
    p->size = (unsigned)((c + 1) * GRAIN);
    p->bump = first_block(p);
    p->listed = 1;
    p->next_free = H.with_free[c];
    H.with_free[c] = p;
    return p;
}

static void *small_alloc(size_t n)
{
    size_t c = class_of(n);
    for (;;) {
        page *p = H.with_free[c];
        if (!p && !(p = new_page(c)))
            return NULL;
        void *b = NULL;
        if (p->free) {
            b = p->free;
            p->free = p->free->next;
        } else if (page_end(p) - p->bump >= (ptrdiff_t)p->size) {
            b = p->bump;
            p->bump += p->size;
        }
        if (b) {
            p->used++;
            return b;
        }
        /* Full: off the list until a block of it is freed. */
        H.with_free[c] = p->next_free;
        p->listed = 0;
    }
}

/* Frees block b, whatever size Lua says it has now: its page knows its class. */
static void small_free(void *b)
{
    page *p = (page *)((uintptr_t)b & ~(uintptr_t)(PAGE - 1));
    if (--p->used == 0) {
        /* Every block is free: carve it again from the start. */
        p->free = NULL;
        p->bump = first_block(p);
    } else {
        ((block *)b)->next = p->free;
        p->free = b;
    }
    if (!p->listed) {
        size_t c = p->size / GRAIN - 1;
        p->listed = 1;
        p->next_free = H.with_free[c];
        H.with_free[c] = p;
    }
}

static void *any_alloc(size_t n) { return is_small(n) ? small_alloc(n) : malloc(n); }

static void any_free(void *p, size_t n)
{
    if (is_small(n))
        small_free(p);
    else
        free(p);
}

/* Lua's lua_Alloc. When ptr is NULL, osize says what kind of object is made, not a size. */
static void *alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    (void)ud;
    if (nsize == 0) {
        if (ptr)
            any_free(ptr, osize);
        return NULL;
    }
    if (!ptr)
        return any_alloc(nsize);
    if (!is_small(osize) && !is_small(nsize))
        return realloc(ptr, nsize);
    if (is_small(osize) && is_small(nsize) && class_of(osize) == class_of(nsize))
        return ptr;
    void *q = any_alloc(nsize);
    if (!q) {
        /* A small block that shrinks may stay where it is: its page takes it back whatever
         * size it is freed by. One from malloc may not, and Lua copes with the failure. */
        return nsize < osize && is_small(osize) ? ptr : NULL;
    }
    memcpy(q, ptr, osize < nsize ? osize : nsize);
    any_free(ptr, osize);
    return q;
}

static int panic(lua_State *L)
{
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "an error object";
    fprintf(stderr, "PANIC: unprotected error in call to Lua API (%s)\n", msg);
    return 0;
}

/* Warnings, as luaL_newstate has them: off until a "@on" control message, then written to
 * stderr, a message's pieces on one line. */
static int warnings_on;
static void warn(void *ud, const char *msg, int tocont)
{
    static int continuing;
    (void)ud;
    if (!continuing && !tocont && *msg == '@') {
        if (strcmp(msg, "@on") == 0)
            warnings_on = 1;
        else if (strcmp(msg, "@off") == 0)
            warnings_on = 0;
        return;
    }
    if (warnings_on) {
        if (!continuing)
            fputs("Lua warning: ", stderr);
        fputs(msg, stderr);
        if (!tocont)
            fputc('\n', stderr);
    }
    continuing = tocont;
}

lua_State *luaheap_newstate(void)
{
    lua_State *L = lua_newstate(alloc, NULL);
    if (L) {
        lua_atpanic(L, panic);
        lua_setwarnf(L, warn, NULL);
    }
    return L;
}

void luaheap_release(void)
{
    for (size_t i = 0; i < H.nchunks; i++)
        free(H.chunks[i]);
    free(H.chunks);
    memset(&H, 0, sizeof H);
    warnings_on = 0;
}

size_t luaheap_chunk_bytes(void) { return H.chunk_bytes; }
