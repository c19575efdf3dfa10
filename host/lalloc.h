/* lalloc: the allocator of the host's Lua state. Lua says how large a block is when it frees
 * it, so small blocks come from free lists by size class with no header of their own: faster
 * than malloc for the many short-lived tables, strings and coroutines of each event, and a
 * few bytes smaller each. Built with sanitizers, it is plain realloc/free. */
#ifndef LUAFLET_LALLOC_H
#define LUAFLET_LALLOC_H

#include <stddef.h>

/* A lua_Alloc; ud is unused. */
void *lalloc(void *ud, void *ptr, size_t osize, size_t nsize);

/* Frees the memory the free lists hold; only once the Lua state is closed. */
void lalloc_free_all(void);

#endif
