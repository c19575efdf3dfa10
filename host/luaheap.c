#include "luaheap.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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
 * (Lua's objects need no more alignment than a pointer's or a double's) up to FINE_MAX, then
 * WIDE bytes apart: the messages a session sends (a page's first patch is a kilobyte or
 * two) are garbage once acknowledged, and among malloc's blocks they left holes between
 * the long-lived ones that the process's size kept; in pages of their own they empty
 * together and go to any class. */
#define GRAIN 8
#define FINE_MAX 512
#define WIDE 128
#define SMALL_MAX 2048
#define NFINE (FINE_MAX / GRAIN)
#define NCLASS (NFINE + (SMALL_MAX - FINE_MAX) / WIDE)
#define PAGE (16 * 1024) /* aligned to its size, so that a block finds its page's header */
#define CHUNK (64 * PAGE)
/* Empty pages kept ready for any class; those past this many go back to the system (their
 * memory, not their addresses) until a class needs a page again. */
#define HOT_PAGES 64

typedef struct block {
    struct block *next;
} block;

/* A page's header, at its start; its blocks follow. A page with a free block is on its
 * class's list of such pages. The blocks not carved yet are those from `bump` to the end: a
 * page carves in address order. A page whose blocks are all free again leaves its class for
 * the list of empty pages, from which any class takes its next page, carved from its first
 * block, so that what is made together lies together (a collection frees blocks in no order
 * a cache likes, and the next page built walks them), and so that the garbage of a burst of
 * one size (a thousand sessions opening) leaves no pages that only that size may use. */
typedef struct page {
    struct page *next_free, *prev_free; /* its class's other pages with a free block */
    block *free;                        /* blocks freed and not carved again */
    char *bump;
    unsigned used; /* blocks handed out and not freed */
    unsigned size; /* its blocks' size */
    unsigned cls;  /* its size class */
    int listed;    /* on its class's list */
} page;

static struct {
    page *with_free[NCLASS];
    page *hot, *cold; /* empty pages: as they were left, and given back to the system */
    size_t nhot;
    char **chunks; /* every chunk, for luaheap_release */
    size_t nchunks, chunks_cap;
    char *chunk_next, *chunk_end; /* the pages of the newest chunk not used yet */
    size_t chunk_bytes;
} H;

static size_t class_of(size_t n)
{
    if (n <= FINE_MAX)
        return (n + GRAIN - 1) / GRAIN - 1;
    return NFINE + (n - FINE_MAX + WIDE - 1) / WIDE - 1;
}

static size_t class_size(size_t c)
{
    return c < NFINE ? (c + 1) * GRAIN : FINE_MAX + (c - NFINE + 1) * WIDE;
}

static int is_small(size_t n) { return POOLED && n <= SMALL_MAX; }

static char *page_end(page *p) { return (char *)p + PAGE; }

/* Where a page's blocks start, past its header. */
static char *first_block(page *p) { return (char *)p + ((sizeof *p + GRAIN - 1) / GRAIN) * GRAIN; }

static void list_page(page *p, size_t c)
{
    p->listed = 1;
    p->prev_free = NULL;
    p->next_free = H.with_free[c];
    if (p->next_free)
        p->next_free->prev_free = p;
    H.with_free[c] = p;
}

static void unlist_page(page *p, size_t c)
{
    if (p->prev_free)
        p->prev_free->next_free = p->next_free;
    else
        H.with_free[c] = p->next_free;
    if (p->next_free)
        p->next_free->prev_free = p->prev_free;
    p->listed = 0;
}

/* Keeps an empty page for the next class that needs one; past HOT_PAGES, its memory goes
 * back to the system (a page taken again is zero-filled by the kernel as it is touched). */
static void shelve_page(page *p)
{
    if (H.nhot < HOT_PAGES) {
        p->next_free = H.hot;
        H.hot = p;
        H.nhot++;
        return;
    }
    madvise(p, PAGE, MADV_DONTNEED);
    /* The header is written again after the call: the link must survive it. */
    p->next_free = H.cold;
    H.cold = p;
}

static page *new_page(size_t c)
{
    page *p = NULL;
    if (H.hot) {
        p = H.hot;
        H.hot = p->next_free;
        H.nhot--;
    } else if (H.cold) {
        p = H.cold;
        H.cold = p->next_free;
    } else if (H.chunk_next == H.chunk_end) {
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
    if (!p) {
        p = (page *)H.chunk_next;
        H.chunk_next += PAGE;
    }
    memset(p, 0, sizeof *p);
    p->size = (unsigned)class_size(c);
    p->cls = (unsigned)c;
    p->bump = first_block(p);
    list_page(p, c);
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
        unlist_page(p, c);
    }
}

/* Frees block b, whatever size Lua says it has now: its page knows its class. */
static void small_free(void *b)
{
    page *p = (page *)((uintptr_t)b & ~(uintptr_t)(PAGE - 1));
    size_t c = p->cls;
    if (--p->used == 0) {
        if (p->listed)
            unlist_page(p, c);
        shelve_page(p);
        return;
    }
    ((block *)b)->next = p->free;
    p->free = b;
    if (!p->listed)
        list_page(p, c);
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
