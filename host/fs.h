/* fs: whole-file reads and writes for tasks, on libuv's fs requests (the thread pool), so
 * that a slow disk never stalls the loop. */
#ifndef LUAFLET_FS_H
#define LUAFLET_FS_H

#include <lua.h>

/* Registers core.fs_read and core.fs_write into the table on top of L. */
void fs_register(lua_State *L);

#endif
