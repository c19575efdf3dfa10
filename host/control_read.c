#include "control_read.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "intern.h"
#include "mem.h"
#include "proto.h"

void cr_check_schema(lua_State *L)
{
    if (!schema_get()->ready)
        luaL_error(L, "the control schema is not set: require \"flet\" first");
}

void cr_open(cr_reader *r, lua_State *L)
{
    memset(r, 0, sizeof *r);
    r->L = L;
    const schema *s = r->s = schema_get();
    if (lua_getfield(L, LUA_REGISTRYINDEX, "luaflet.names") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "luaflet.names");
    }
    r->names = lua_gettop(L);
    const char *const keys[] = {s->marks, s->props, s->id,    s->parent,
                                s->items, s->key,   s->built, s->marked_kids};
    int *slots[] = {&r->k_m,     &r->k_p,   &r->k_id,    &r->k_parent,
                    &r->k_items, &r->k_key, &r->k_built, &r->k_dk};
    for (int i = 0; i < 8; i++) {
        lua_pushstring(L, keys[i]);
        *slots[i] = lua_gettop(L);
    }
    lua_newtable(L);
    r->class_tables = lua_gettop(L);
}

void cr_close(cr_reader *r)
{
    for (int i = 0; i < r->nclasses; i++)
        free(r->classes[i]);
    free(r->classes);
    r->classes = NULL;
    r->nclasses = 0;
    r->capclasses = 0;
}

void cr_note_error(cr_reader *r, const char *msg)
{
    if (r->error)
        return;
    r->error = mem_strdup(msg);
}

/* Lua already keeps one copy of each short string; anchoring it in a table keeps that copy
 * alive, so its address names it. Long names go to the C pool. */
const char *cr_name(cr_reader *r, const char *s)
{
    /* A name anchored before is its own shared copy: nothing to ask Lua. */
    if (intern_known(s))
        return s;
    lua_State *L = r->L;
    lua_pushstring(L, s);
    size_t len;
    const char *p = lua_tolstring(L, -1, &len);
    if (len > 40) {
        lua_pop(L, 1);
        return intern(s);
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, r->names) == LUA_TNIL) {
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, r->names);
    }
    lua_pop(L, 2);
    intern_remember(p);
    return p;
}

/* ---------------------------------------------------------------- classes */

/* Pushes `key` as the instance's class has it: looked up on the metatable (and the class
 * chain behind it, all plain tables), never through the instance's __index function. */
static int class_field(lua_State *L, int idx, const char *key)
{
    if (!lua_getmetatable(L, idx)) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    int t = lua_getfield(L, -1, key);
    lua_remove(L, -2);
    return t;
}

static int has_field(lua_State *L, int mt, const char *key, int type)
{
    int t = lua_getfield(L, mt, key);
    int yes = type == LUA_TBOOLEAN ? lua_toboolean(L, -1) : t == type;
    lua_pop(L, 1);
    return yes;
}

/* A class's fields are looked up through its metatable chain, which costs more than the
 * diff's own work: each class is read once per diff and kept here. */
const cr_class *cr_class_of(cr_reader *r, int idx)
{
    lua_State *L = r->L;
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return NULL;
    const void *mt = lua_topointer(L, -1);
    for (int i = r->nclasses - 1; i >= 0; i--) {
        if (r->classes[i]->mt == mt) {
            lua_pop(L, 1);
            return r->classes[i];
        }
    }
    MEM_RESERVE(r->classes, r->capclasses, (size_t)r->nclasses + 1, 16);
    cr_class *ci = mem_calloc(1, sizeof *ci);
    r->classes[r->nclasses++] = ci;
    int m = lua_gettop(L);
    ci->mt = mt;
    const schema *s = r->s;
    if (lua_getfield(L, m, s->class_type) == LUA_TSTRING)
        ci->type = cr_name(r, lua_tostring(L, -1));
    lua_pop(L, 1);
    ci->has_build = has_field(L, m, s->build, LUA_TFUNCTION);
    ci->has_before = has_field(L, m, s->before_update, LUA_TFUNCTION);
    ci->has_hooks = has_field(L, m, s->class_hooks, LUA_TBOOLEAN);
    ci->index = r->nclasses;
    lua_getfield(L, m, s->class_slots);
    ci->has_slots = lua_type(L, -1) == LUA_TTABLE;
    lua_rawseti(L, r->class_tables, 2 * ci->index - 1);
    lua_getfield(L, m, s->class_props);
    ci->has_allow = lua_type(L, -1) == LUA_TTABLE;
    lua_rawseti(L, r->class_tables, 2 * ci->index);
    lua_pop(L, 1);
    return ci;
}

/* ------------------------------------------------- marks, id and parent */

/* ci[key] = the value at vi, raw; key is the stack index of one of the reader's names. */
static void raw_set(cr_reader *r, int ci, int key, int vi)
{
    lua_State *L = r->L;
    vi = lua_absindex(L, vi);
    lua_pushvalue(L, key);
    lua_pushvalue(L, vi);
    lua_rawset(L, ci);
}

int cr_marks_of(lua_State *L, int ci)
{
    ci = lua_absindex(L, ci);
    lua_pushstring(L, schema_get()->marks);
    lua_rawget(L, ci);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

void cr_set_marks_of(lua_State *L, int idx, int marks)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, schema_get()->marks);
    lua_pushinteger(L, marks);
    lua_rawset(L, idx);
}

void cr_mark_dirty_of(lua_State *L, int idx) { cr_set_marks_of(L, idx, schema_get()->dirty); }

int cr_push_id_of(lua_State *L, int ci)
{
    ci = lua_absindex(L, ci);
    lua_pushstring(L, schema_get()->id);
    return lua_rawget(L, ci);
}

/* -------------------------------------------------------- props and key */

static int in_list(lua_State *L, int list, const char *key)
{
    if (!list)
        return 0;
    lua_Unsigned n = lua_rawlen(L, list);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, list, (lua_Integer)i);
        const char *s = lua_tostring(L, -1);
        int eq = s && strcmp(s, key) == 0;
        lua_pop(L, 1);
        if (eq)
            return 1;
    }
    return 0;
}

/* Fields that are never props: private ones, and the schema's not_props, which have a
 * meaning of their own. key is a Lua string's text: equal to a schema name only if it is
 * the very same string, so addresses are compared. */
static int skipped_key(const schema *s, const char *key)
{
    if (key[0] == s->private_prefix)
        return 1;
    for (int i = 0; i < s->n_not_props; i++)
        if (key == s->not_props[i])
            return 1;
    return 0;
}

/* Makes p the JSON text of the value on top of L (a table, or a string that holds a NUL);
 * 0, or -1 when it cannot be written as JSON (then the prop is not sent). The text is
 * malloc'd: the props block takes a copy and frees it. */
static int take_json(lua_State *L, snap_prop *p)
{
    const char *err;
    p->kind = SNAP_JSON;
    p->str = proto_encode_lua(L, -1, NULL, &err);
    return p->str ? 0 : -1;
}

void cr_read_key(cr_reader *r, int fi, snap_key *k)
{
    lua_State *L = r->L;
    lua_pushvalue(L, r->k_key);
    int t = lua_rawget(L, fi);
    k->kind = SNAP_KEY_NONE;
    if (t == LUA_TNUMBER) {
        double v = lua_tonumber(L, -1);
        if (v == v) { /* NaN equals nothing, so it cannot be a key */
            k->kind = SNAP_KEY_NUM;
            k->num = v == 0 ? 0 : v; /* -0 and 0 are one key */
        }
    } else if (t == LUA_TSTRING) {
        size_t len;
        k->str = lua_tolstring(L, -1, &len);
        if (len <= UINT32_MAX) {
            k->kind = SNAP_KEY_STR;
            k->len = (uint32_t)len;
        }
    }
    lua_pop(L, 1);
}

snap_prop *cr_read_props(cr_reader *r, int fi, int slots, int allow, int *count, snap_key *key)
{
    lua_State *L = r->L;
    /* Props are gathered on the C stack, their texts borrowed from Lua (the fields table
     * keeps them alive) or encoded (SNAP_JSON, freed here), then copied into one block. */
    snap_prop local[16];
    snap_prop *props = local, *heap = NULL;
    int n = 0;
    size_t cap = 16;
    lua_pushnil(L);
    while (lua_next(L, fi)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue;
        }
        const char *k = lua_tostring(L, -2);
        int vt = lua_type(L, -1);
        if (skipped_key(r->s, k) || (vt == LUA_TTABLE && in_list(L, slots, k))) {
            lua_pop(L, 1);
            continue;
        }
        if (allow) {
            lua_getfield(L, allow, k);
            int ok = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (!ok) {
                lua_pop(L, 1);
                continue;
            }
        }
        snap_prop p = {0};
        switch (vt) {
        case LUA_TBOOLEAN:
            p.kind = SNAP_BOOL;
            p.num = lua_toboolean(L, -1);
            break;
        case LUA_TNUMBER:
            p.kind = SNAP_NUM;
            p.num = lua_tonumber(L, -1);
            /* JSON has no NaN or infinity: such a prop is not sent (as if it were nil). */
            if (!isfinite(p.num))
                goto skip;
            break;
        case LUA_TSTRING: {
            size_t len;
            p.kind = SNAP_STR;
            p.str = lua_tolstring(L, -1, &len);
            /* Kept as its JSON text, where a NUL is escaped: texts end at a NUL. */
            if (memchr(p.str, 0, len) && take_json(L, &p) < 0)
                goto skip;
            break;
        }
        case LUA_TFUNCTION:
            if (strncmp(k, r->s->handler_prefix, r->s->handler_len) != 0)
                goto skip;
            p.kind = SNAP_BOOL;
            p.num = 1;
            break;
        case LUA_TTABLE: {
            if (cr_is_control(r, lua_gettop(L)) || take_json(L, &p) < 0)
                goto skip;
            break;
        }
        default:
            goto skip;
        }
        if ((size_t)n == cap) {
            int first = !heap;
            MEM_RESERVE(heap, cap, cap + 1, 16);
            if (first)
                memcpy(heap, local, sizeof local);
            props = heap;
        }
        p.key = cr_name(r, k);
        props[n++] = p;
    skip:
        lua_pop(L, 1);
    }
    cr_read_key(r, fi, key);
    *count = n;
    snap_prop *block = snap_props_block(props, n, key);
    for (int i = 0; i < n; i++)
        if (props[i].kind == SNAP_JSON)
            free((char *)props[i].str);
    free(heap);
    return block;
}

/* ------------------------------------------------------------------ slots */

const char *cr_push_slot(lua_State *L, int slots, lua_Unsigned i, int fi)
{
    lua_rawgeti(L, slots, (lua_Integer)i);
    const char *name = lua_tostring(L, -1);
    if (!name) {
        lua_pop(L, 1);
        return NULL;
    }
    lua_pushvalue(L, -1);
    lua_rawget(L, fi); /* stack: name value */
    return name;
}

int cr_slot_items(cr_reader *r, int vi, int *n)
{
    lua_State *L = r->L;
    *n = 0;
    if (cr_is_control(r, vi)) {
        lua_pushnil(L);
        *n = 1;
        return 0;
    }
    if (lua_type(L, vi) != LUA_TTABLE) {
        lua_pushnil(L);
        return 0;
    }
    lua_pushvalue(L, r->k_items);
    if (lua_rawget(L, vi) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_pushvalue(L, vi);
    }
    lua_Unsigned len = lua_rawlen(L, -1);
    if (len > (lua_Unsigned)(INT32_MAX / 4))
        luaL_error(L, "a list of controls is too long");
    *n = (int)len;
    return lua_gettop(L);
}

/* ------------------------------------------------------------------ hooks */

/* Calls the class's method `name` on the control at ci, protected, if the class has one
 * (`has` says so). Leaves its one result on the stack and returns 1, or returns 0 with
 * nothing pushed; a failure is noted with its traceback. */
static int call_hook(cr_reader *r, int ci, const char *name, int has)
{
    lua_State *L = r->L;
    if (!has)
        return 0;
    if (class_field(L, ci, name) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return 0;
    }
    lua_pushcfunction(L, core_traceback);
    lua_insert(L, -2); /* stack: msgh method */
    lua_pushvalue(L, ci);
    if (lua_pcall(L, 1, 1, -3) != LUA_OK) {
        cr_note_error(r, lua_tostring(L, -1) ? lua_tostring(L, -1) : name);
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2); /* msgh */
    return 1;
}

void cr_build_once(cr_reader *r, int ci, const cr_class *info)
{
    lua_State *L = r->L;
    if (!info || !info->has_build)
        return;
    lua_pushvalue(L, r->k_built);
    if (lua_rawget(L, ci) != LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
    raw_set(r, ci, r->k_built, -1);
    lua_pop(L, 1);
    if (!call_hook(r, ci, r->s->build, 1))
        return;
    if (cr_is_control(r, lua_gettop(L))) {
        lua_pushvalue(L, -1);
        lua_setfield(L, ci, r->s->build_slot);
    }
    lua_pop(L, 1);
}

void cr_run_before_update(cr_reader *r, int ci)
{
    if (call_hook(r, ci, r->s->before_update, 1))
        lua_pop(r->L, 1);
}
