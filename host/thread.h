/* thread: asyncio.to_thread: runs a self-contained Lua function in a fresh Lua state on
 * libuv's thread pool, copying its arguments in and its results out. */
#ifndef LUAFLET_THREAD_H
#define LUAFLET_THREAD_H

#include <lua.h>

/* Registers core.to_thread into the table on top of L. */
void thread_register(lua_State *L);

#endif
