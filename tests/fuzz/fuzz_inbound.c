/* libFuzzer target for the path a client's message takes through the host: the checks the
 * socket layer makes (size, UTF-8), the JSON decoder that turns it into Lua values, and the
 * session's handler (register, events, acknowledgements) of a real app, whose replies must
 * stay well-formed. Any crash, sanitizer report or Lua error is a finding.
 *
 * Run from the repository's root (the Lua library is found under lua/): make fuzz. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../host/core.h"
#include "../../host/proto.h"

#define MAX_MESSAGE (64 * 1024) /* the host's default limit: larger messages are closed */
#define RESET_EVERY 256         /* inputs per session */

static lua_State *L;
static int feed_ref, reset_ref;

static void die(const char *what)
{
    fprintf(stderr, "fuzz_inbound: %s: %s\n", what, lua_tostring(L, -1));
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    L = luaL_newstate();
    luaL_openlibs(L);
    luaL_requiref(L, "luaflet.core", luaopen_luaflet_core, 0);
    lua_pop(L, 1);
    if (luaL_dostring(L,
                      "package.path = 'lua/?.lua;lua/?/init.lua;tests/fuzz/?.lua;' .. "
                      "package.path; require('luaflet.core').set_log_level('error'); "
                      "return (require 'inbound')") != LUA_OK)
        die("cannot load tests/fuzz/inbound.lua (run from the repository's root)");
    lua_getfield(L, -1, "reset");
    reset_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, -1, "feed");
    feed_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pop(L, 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned inputs;
    const char *text = (const char *)data, *err;
    /* What the socket layer refuses never reaches the decoder. */
    if (size > MAX_MESSAGE || !proto_utf8_valid(text, size))
        return 0;
    lua_pushcfunction(L, core_traceback);
    lua_rawgeti(L, LUA_REGISTRYINDEX, feed_ref);
    if (proto_push_decoded(L, text, size, &err) < 0) {
        lua_pop(L, 2); /* the host answers with an error message */
        return 0;
    }
    if (lua_pcall(L, 1, 0, -3) != LUA_OK)
        die("a message made the session's handler fail");
    if (++inputs % RESET_EVERY == 0) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, reset_ref);
        if (lua_pcall(L, 0, 0, -2) != LUA_OK)
            die("ending the session failed");
    }
    lua_pop(L, 1);
    return 0;
}
