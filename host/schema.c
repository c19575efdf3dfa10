#include "schema.h"

#include <lauxlib.h>
#include <string.h>

#include "intern.h"

#define REG_KEY "luaflet.schema"

/* One process holds one Lua state that uses the core (the host's, or busted's), as intern.c
 * already assumes: the schema is kept once, for it. */
static schema S;

const schema *schema_get(void) { return &S; }

int schema_is_control(lua_State *L, int idx)
{
    if (!S.ready || lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return 0;
    int t = lua_getfield(L, -1, S.class_type);
    lua_pop(L, 2);
    return t == LUA_TSTRING;
}

/* Pushes t[key] for the table at t, which must be a table. */
static int sub_table(lua_State *L, int t, const char *key)
{
    if (lua_getfield(L, t, key) != LUA_TTABLE)
        return luaL_error(L, "set_schema: schema.%s must be a table", key);
    return lua_gettop(L);
}

/* The string on top of the stack, popped and anchored in the list at anchors so that its
 * address stays its own. It must be a short string (Lua gives equal short strings one
 * address). `what` names it in the error. */
static const char *anchor(lua_State *L, const char *what, int anchors)
{
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (lua_type(L, -1) != LUA_TSTRING || len == 0 || len > 40)
        luaL_error(L, "set_schema: %s must be a name of 1 to 40 bytes", what);
    lua_rawseti(L, anchors, (lua_Integer)lua_rawlen(L, anchors) + 1);
    intern_remember(s);
    return s;
}

/* The string t[key] for the table at t, anchored. */
static const char *name(lua_State *L, int t, const char *key, int anchors)
{
    lua_getfield(L, t, key);
    return anchor(L, key, anchors);
}

/* The positive integer t[key] for the table at t. */
static int place(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    int ok;
    lua_Integer v = lua_tointegerx(L, -1, &ok);
    if (!ok || v <= 0 || v > 1000)
        return luaL_error(L, "set_schema: %s must be a small positive integer", key);
    lua_pop(L, 1);
    return (int)v;
}

/* core.set_schema(schema): takes the names and bits of lua/flet/schema.lua, which the C core
 * reads controls with from then on.   [-0, +0, e] */
static int l_set_schema(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_newtable(L); /* 2: anchors every name */
    schema s = {0};
    int f = sub_table(L, 1, "fields");
    s.marks = place(L, f, "marks");
    s.parent = place(L, f, "parent");
    s.id = place(L, f, "id");
    s.first_prop = place(L, 1, "first_prop");
    if (s.marks == s.parent || s.marks == s.id || s.parent == s.id || s.marks >= s.first_prop ||
        s.parent >= s.first_prop || s.id >= s.first_prop)
        return luaL_error(L,
                          "set_schema: marks, parent and id must be distinct and below "
                          "first_prop");
    sub_table(L, 1, "prop_names");
    lua_setfield(L, LUA_REGISTRYINDEX, SCHEMA_REG_PROP_NAMES);
    sub_table(L, 1, "prop_index");
    lua_setfield(L, LUA_REGISTRYINDEX, SCHEMA_REG_PROP_INDEX);
    s.marked_kids = name(L, f, "marked_kids", 2);
    s.built = name(L, f, "built", 2);
    s.items = name(L, f, "items", 2);
    s.key = name(L, 1, "key", 2);
    int cf = sub_table(L, 1, "class_fields");
    s.class_name = name(L, cf, "name", 2);
    s.class_type = name(L, cf, "type", 2);
    s.class_slots = name(L, cf, "slots", 2);
    s.class_props = name(L, cf, "props", 2);
    s.class_hooks = name(L, cf, "hooks", 2);
    int m = sub_table(L, 1, "methods");
    s.build = name(L, m, "build", 2);
    s.before_update = name(L, m, "before_update", 2);
    s.build_slot = name(L, 1, "build_slot", 2);
    s.handler_prefix = name(L, 1, "handler_prefix", 2);
    s.handler_len = strlen(s.handler_prefix);
    const char *private_prefix = name(L, 1, "private_prefix", 2);
    if (private_prefix[1])
        return luaL_error(L, "set_schema: private_prefix must be one byte");
    s.private_prefix = private_prefix[0];
    int marks = sub_table(L, 1, "marks");
    lua_getfield(L, marks, "DIRTY");
    lua_getfield(L, marks, "KIDS");
    s.dirty = (int)lua_tointeger(L, -2);
    s.kids = (int)lua_tointeger(L, -1);
    if (s.dirty <= 0 || s.kids <= 0 || (s.dirty & s.kids))
        return luaL_error(L, "set_schema: marks.DIRTY and marks.KIDS must be distinct bits");
    lua_pop(L, 2);
    int np = sub_table(L, 1, "not_props");
    lua_Unsigned n = lua_rawlen(L, np);
    if (n > SCHEMA_MAX_NOT_PROPS)
        return luaL_error(L, "set_schema: at most %d not_props", SCHEMA_MAX_NOT_PROPS);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, np, (lua_Integer)i);
        s.not_props[s.n_not_props++] = anchor(L, "not_props", 2);
    }
    /* The root of every snapshot is the page; its type goes to the C pool with the other
     * names a snapshot holds. */
    lua_getfield(L, 1, "page_type");
    if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "set_schema: page_type must be a string");
    s.page_type = intern(lua_tostring(L, -1));
    s.ready = 1;
    lua_pushvalue(L, 2);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_KEY);
    S = s;
    return 0;
}

/* core.new_control(cls) -> a new control of class cls: marked dirty, with no parent or id
 * yet, and room in its hash part for one prop. Lua's table constructor cannot size a hash
 * part on its own: a control of one prop made by {dirty, false, false} and then given the
 * prop is rehashed to an array of four and a hash of one, 16 bytes more than this, and most
 * controls have one prop or one list of children.   [-0, +1, m] */
static int l_new_control(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!S.ready)
        return luaL_error(L, "new_control: the schema is not set");
    lua_createtable(L, S.first_prop - 1, 1);
    for (int i = 1; i < S.first_prop; i++) {
        if (i == S.marks)
            lua_pushinteger(L, S.dirty);
        else
            lua_pushboolean(L, 0);
        lua_rawseti(L, -2, i);
    }
    lua_pushvalue(L, 1);
    lua_setmetatable(L, -2);
    return 1;
}

void schema_register(lua_State *L)
{
    lua_pushcfunction(L, l_set_schema);
    lua_setfield(L, -2, "set_schema");
    lua_pushcfunction(L, l_new_control);
    lua_setfield(L, -2, "new_control");
}
