/* core: the C core as the Lua module "luaflet.core", shared by the host binary (which links
 * it in) and by busted specs (which load it as build/lua/luaflet/core.so). */
#ifndef LUAFLET_CORE_H
#define LUAFLET_CORE_H

#include <lua.h>
#include <uv.h>

#define LUAFLET_VERSION "0.1.0"

/* Binds the core to the host's loop and main state. Without it, the first require makes and
 * owns a loop of its own. */
void core_init(uv_loop_t *loop, lua_State *L);

/* Tells tasks that the host is stopping: cancels every task, then stops every server. */
void core_stop(void);

/* SIGTERM: the servers stop taking connections, and the host stops (core_stop) once the
 * open ones have ended by themselves, or after `seconds`. */
void core_drain(double seconds);

/* Releases every handle the core holds and runs the loop until they are closed. */
void core_close(void);

/* A message handler for lua_pcall: the error message with a traceback of where it was
 * raised (a non-string error is described, not called).   [-1, +1, m] */
int core_traceback(lua_State *L);

/* The status the host exits with when the script itself ends well: 0, or what the app set
 * with core.exit_status(n) (a server that could not start). */
int core_exit_status(void);

int luaopen_luaflet_core(lua_State *L);

#endif
