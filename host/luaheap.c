#include "luaheap.h"

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

/* Blocks up to SMALL_MAX bytes come from the free lists, in classes GRAIN bytes apart (Lua's
 * objects need no more alignment than a pointer's or a double's). */
#define GRAIN 8
#define SMALL_MAX 512
#define NCLASS (SMALL_MAX / GRAIN)
#define SLAB (256 * 1024)

typedef struct block {
    struct block *next;
} block;

/* A slab starts with the link to the previous one; blocks follow. */
typedef struct slab {
    struct slab *next;
} slab;

static struct {
    block *free[NCLASS];
    char *bump, *end; /* the part of the newest slab not carved yet */
    slab *slabs;
    size_t slab_bytes;
} H;

static size_t class_of(size_t n) { return (n + GRAIN - 1) / GRAIN - 1; }

static int is_small(size_t n) { return POOLED && n <= SMALL_MAX; }

static void *small_alloc(size_t n)
{
    size_t c = class_of(n);
    block *b = H.free[c];
    if (b) {
        H.free[c] = b->next;
        return b;
    }
    size_t size = (c + 1) * GRAIN;
    if ((size_t)(H.end - H.bump) < size) {
        /* What is left of the old slab (less than a block) is not used. */
        slab *s = malloc(SLAB);
        if (!s)
            return NULL;
        s->next = H.slabs;
        H.slabs = s;
        H.slab_bytes += SLAB;
        H.bump = (char *)s + sizeof(slab);
        H.end = (char *)s + SLAB;
    }
    void *p = H.bump;
    H.bump += size;
    return p;
}

static void small_free(void *p, size_t n)
{
    block *b = p;
    size_t c = class_of(n);
    b->next = H.free[c];
    H.free[c] = b;
}

static void *any_alloc(size_t n) { return is_small(n) ? small_alloc(n) : malloc(n); }

static void any_free(void *p, size_t n)
{
    if (is_small(n))
        small_free(p, n);
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
        /* A block that shrinks may stay where it is: it is freed later by its new size, into
         * a class no larger than its own (or, from malloc, kept in that class for good). */
        return nsize < osize ? ptr : NULL;
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
    while (H.slabs) {
        slab *s = H.slabs;
        H.slabs = s->next;
        free(s);
    }
    memset(&H, 0, sizeof H);
    warnings_on = 0;
}

size_t luaheap_slab_bytes(void) { return H.slab_bytes; }
