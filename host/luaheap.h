/* luaheap: the allocator of the loop's Lua state.
 *
 * Lua allocates and frees small objects all the time (a table, a string, a closure per
 * event), and says the size of every block it frees or resizes. Small blocks here come from
 * free lists, one per size in steps of 8 bytes, carved from large slabs: a block needs no
 * header (glibc's malloc adds 8 bytes and rounds to 16, a table of 56 bytes takes 64 there),
 * and a free or an allocation is a push or a pop, where glibc's, with its fast bins off
 * (main.c), took a fifth of the time of a loop that made and finished tasks. Larger blocks go
 * to malloc. Freed small blocks are kept for later ones of their size, never given back
 * before the state closes.
 *
 * Only the loop's thread uses it; a to_thread job's state has glibc's. Under AddressSanitizer
 * every block goes to malloc, so that the sanitizer sees them all. */
#ifndef LUAFLET_LUAHEAP_H
#define LUAFLET_LUAHEAP_H

#include <lua.h>

/* A new Lua state that allocates through here, with luaL_newstate's panic function and
 * warnings (off until "@on"). NULL when out of memory. */
lua_State *luaheap_newstate(void);

/* Gives every slab back; call after lua_close. */
void luaheap_release(void);

/* Bytes held in slabs (in use or free): for /metrics and the benchmarks. */
size_t luaheap_slab_bytes(void);

#endif
