/* luaheap: the allocator of the loop's Lua state.
 *
 * Lua allocates and frees small objects all the time (a table, a string, a closure per
 * event), and says the size of every block it frees or resizes. Blocks up to 2 KB come from
 * 16 KB pages, each holding blocks of one size (in steps of 8 bytes to 512, then of 128),
 * carved in address
 * order and reused from the page's own free list: a block needs no header (glibc's malloc
 * adds 8 bytes and rounds to 16: a table of 56 bytes takes 64 there), and an allocation or a
 * free is a few instructions, where glibc's, with its fast bins off (main.c), took a fifth
 * of the time of a loop that made and finished tasks. A page whose blocks are all free again
 * is carved from its start once more, so that objects made together lie together: one free
 * list for the whole heap, tried first, handed out blocks in the order a collection freed
 * them, and walking a freshly built page of 30,000 controls took three times as long. Larger
 * blocks go to malloc. Pages stay mapped until the state closes; past 64 empty ones, their
 * memory goes back to the system (madvise).
 *
 * Only the loop's thread uses it; a to_thread job's state has glibc's. Under AddressSanitizer
 * every block goes to malloc, so that the sanitizer sees them all. */
#ifndef LUAFLET_LUAHEAP_H
#define LUAFLET_LUAHEAP_H

#include <lua.h>

/* A new Lua state that allocates through here, with luaL_newstate's panic function and
 * warnings (off until "@on"). NULL when out of memory. */
lua_State *luaheap_newstate(void);

/* Gives every chunk of pages back; call after lua_close. */
void luaheap_release(void);

/* Bytes held in chunks of pages (in use or free), for the tests. */
size_t luaheap_chunk_bytes(void);

#endif
