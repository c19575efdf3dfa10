/* watch: file-change watchers for tasks, on libuv's fs events (inotify on Linux). A watcher
 * watches folders, so that an editor's save by writing a new file and renaming it over the
 * old one is seen as well as a write in place; bursts of events are folded into one answer
 * once the folders have been quiet for a moment. */
#ifndef LUAFLET_WATCH_H
#define LUAFLET_WATCH_H

#include <lua.h>

/* Registers core.watch into the table on top of L. */
void watch_register(lua_State *L);

/* Closes every watcher still open (the host is closing); the loop must then run to finish
 * closing their handles. */
void watch_close_all(void);

#endif
