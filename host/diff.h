/* diff: the comparison of a page's Lua tree with its snapshot that yields one patch message,
 * and the snapshot's Lua face (core.snapshot() and its methods).
 *
 * The walk enters only controls that are marked (or have marked descendants), and reconciles a
 * changed list with keys, ids and the fewest moves; docs/architecture.md explains it. The tree
 * it compares against is snapshot.c's, what it knows of a control comes through
 * control_read.c, and what it sends is written by patch_write.c. */
#ifndef LUAFLET_DIFF_H
#define LUAFLET_DIFF_H

#include <lua.h>

/* Registers core.snapshot() and the snapshot methods into the table on top of L. */
void diff_register(lua_State *L);

#endif
