/* diff: each session's snapshot of the control tree as last sent, and the comparison of the
 * Lua tree against it that yields one patch message.
 *
 * This first engine walks the whole tree on every update and matches children by the id the
 * host gave them; a child that is new or out of order is sent whole. */
#ifndef LUAFLET_DIFF_H
#define LUAFLET_DIFF_H

#include <lua.h>

/* Registers core.snapshot() and the snapshot methods into the table on top of L. */
void diff_register(lua_State *L);

#endif
