/* The loop's Lua allocator: a state made by luaheap_newstate runs Lua that makes, grows and
 * shrinks objects of every size class and past the largest, and gets back what it stored;
 * memory freed is used again rather than carved anew. */
#include "../../host/luaheap.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>

#include "tap.h"

/* Strings and tables of every size up to 2,100 bytes and past it, tables grown one slot at a
 * time and then emptied (their arrays shrink when the collector rehashes them), with every
 * value read back. Returns the number of mismatches. */
static const char *WORKOUT =
    "local bad = 0\n"
    "local keep = {}\n"
    "for n = 0, 2200 do\n"
    "  local s = string.rep('x', n) .. n\n"
    "  local t = {}\n"
    "  for i = 1, n % 97 do t[i] = n .. ':' .. i end\n"
    "  for i = 1, n % 13 do t['k' .. i] = i end\n"
    "  keep[#keep + 1] = {s = s, t = t, n = n}\n"
    "end\n"
    "collectgarbage()\n"
    "for _, e in ipairs(keep) do\n"
    "  if e.s ~= string.rep('x', e.n) .. e.n then bad = bad + 1 end\n"
    "  for i = 1, e.n % 97 do if e.t[i] ~= e.n .. ':' .. i then bad = bad + 1 end end\n"
    "  for i = 1, e.n % 13 do if e.t['k' .. i] ~= i then bad = bad + 1 end end\n"
    "  for i = #e.t, 1, -1 do e.t[i] = nil end\n"
    "end\n"
    "collectgarbage()\n"
    "for _, e in ipairs(keep) do\n"
    "  for i = 1, 3 do e.t[i] = i end\n"
    "  if #e.t ~= 3 or e.t[3] ~= 3 then bad = bad + 1 end\n"
    "end\n"
    "return bad\n";

static int run(lua_State *L, const char *code)
{
    if (luaL_dostring(L, code) != LUA_OK) {
        printf("# %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    int bad = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return bad;
}

/* Resident bytes of this process, from /proc. */
static size_t resident(void)
{
    long pages = 0, size = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &size, &pages) != 2)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * 4096;
}

/* Fills about `mb` megabytes with strings of `len` bytes, kept in the global `keep`. */
static void fill(lua_State *L, int mb, int len)
{
    char code[256];
    snprintf(code, sizeof code,
             "local pad = string.rep('x', %d) keep = {} "
             "for i = 1, %d do keep[i] = pad .. i end return 0",
             len, mb * 1024 * 1024 / (len + 32));
    run(L, code);
}

/* Pages that one size filled and its garbage emptied serve any other size, and the memory
 * of those past a small reserve goes back to the system. */
static void empty_pages(void)
{
    lua_State *L = luaheap_newstate();
    luaL_openlibs(L);
    fill(L, 24, 24);
    size_t chunks = luaheap_chunk_bytes(), full = resident();
    run(L, "keep = nil return 0");
    lua_gc(L, LUA_GCCOLLECT);
    size_t emptied = resident();
    fill(L, 24, 150);
    printf("# chunks %zu KB with 24 MB of short strings, %zu KB after as much of longer ones; "
           "resident %zu -> %zu KB once they were garbage\n",
           chunks / 1024, luaheap_chunk_bytes() / 1024, full / 1024, emptied / 1024);
    CHECK(luaheap_chunk_bytes() <= chunks + 2 * 1024 * 1024,
          "pages one size left empty serve another");
    CHECK(emptied + 16 * 1024 * 1024 < full, "empty pages' memory goes back to the system");
    /* Every other string freed: no page is empty, each is half full, and the next strings of
     * that size fill those halves rather than new pages. */
    run(L, "for i = 1, #keep, 2 do keep[i] = false end return 0");
    lua_gc(L, LUA_GCCOLLECT);
    chunks = luaheap_chunk_bytes();
    run(L,
        "local pad = keep[2]:sub(1, 150) for i = 1, #keep, 2 do keep[i] = pad .. -i end return 0");
    CHECK(luaheap_chunk_bytes() <= chunks + 2 * 1024 * 1024, "half-freed pages are filled again");
    lua_close(L);
    luaheap_release();
}

int main(void)
{
    lua_State *L = luaheap_newstate();
    CHECK(L != NULL, "a state is made");
    luaL_openlibs(L);
    CHECK(run(L, WORKOUT) == 0, "objects of every size keep what was stored in them");
    lua_gc(L, LUA_GCCOLLECT);
    size_t chunks = luaheap_chunk_bytes();
    CHECK(run(L, WORKOUT) == 0, "and again, in memory the first run freed");
    lua_gc(L, LUA_GCCOLLECT);
    if (chunks == 0) {
        printf("ok %d - # SKIP every block from malloc (AddressSanitizer)\n", ++tap_n);
    } else {
        /* The second run's objects fit in the blocks the first one freed (one chunk more at
         * most, for the order they come in). */
        printf("# %zu bytes of chunks after the first run, %zu after the second\n", chunks,
               luaheap_chunk_bytes());
        CHECK(luaheap_chunk_bytes() <= chunks + 1024 * 1024, "freed blocks are used again");
    }
    lua_close(L);
    luaheap_release();
    CHECK(luaheap_chunk_bytes() == 0, "every chunk is given back");
    if (chunks == 0)
        printf("ok %d - # SKIP every block from malloc (AddressSanitizer)\n", ++tap_n);
    else
        empty_pages();
    return TAP_DONE();
}
