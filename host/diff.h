/* diff: each session's snapshot of the control tree as last sent, and the comparison of the
 * Lua tree against it that yields one patch message.
 *
 * The walk enters only controls that are marked (or have marked descendants), and reconciles a
 * changed list with keys, ids and the fewest moves; docs/architecture.md explains it. */
#ifndef LUAFLET_DIFF_H
#define LUAFLET_DIFF_H

#include <lua.h>

/* Registers core.snapshot() and the snapshot methods into the table on top of L. */
void diff_register(lua_State *L);

#endif
