#include "control_read.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "intern.h"
#include "mem.h"
#include "proto.h"

/* What a field name is to a class (cr_class.fields). */
enum {
    CRF_SKIP = 1,    /* never a prop: private, or one of the schema's not_props */
    CRF_KEY = 2,     /* the control's key */
    CRF_DENIED = 4,  /* the class has a props list without it */
    CRF_HANDLER = 8, /* a function in it is an event handler */
};

typedef struct cr_field {
    const char *k;    /* the text of the name's Lua string; NULL: an empty entry */
    const char *name; /* the shared name a prop is sent under */
    int slot;         /* 1 + its index among the class's slots, or 0 */
    unsigned flags;
} cr_field;

void cr_check_schema(lua_State *L)
{
    if (!schema_get()->ready)
        luaL_error(L, "the control schema is not set: require \"flet\" first");
}

static int prop_number(cr_reader *r, const char *name);

/* The memory of the last reader that closed, and whether a reader has it now. */
static cr_reader spare;
static int spare_taken;

void cr_open(cr_reader *r, lua_State *L)
{
    memset(r, 0, sizeof *r);
    if (!spare_taken) {
        spare_taken = 1;
        r->kept = 1;
        r->classes = spare.classes;
        r->nmade = spare.nmade;
        r->capclasses = spare.capclasses;
        r->plain = spare.plain;
        r->props = spare.props;
        r->lens = spare.lens;
        r->capprops = spare.capprops;
    }
    r->L = L;
    const schema *s = r->s = schema_get();
    if (lua_getfield(L, LUA_REGISTRYINDEX, "luaflet.names") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "luaflet.names");
    }
    r->names = lua_gettop(L);
    const char *const keys[] = {s->items, s->key, s->built, s->marked_kids};
    int *slots[] = {&r->k_items, &r->k_key, &r->k_built, &r->k_dk};
    for (int i = 0; i < 4; i++) {
        lua_pushstring(L, keys[i]);
        *slots[i] = lua_gettop(L);
    }
    lua_newtable(L);
    r->class_tables = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, SCHEMA_REG_PROP_NAMES);
    r->prop_names = lua_gettop(L);
    lua_getfield(L, LUA_REGISTRYINDEX, SCHEMA_REG_PROP_INDEX);
    r->prop_index = lua_gettop(L);
    r->key_at = prop_number(r, s->key);
}

/* Makes ci hold no class, keeping its tables' memory. */
static void class_clear(cr_class *ci)
{
    cr_class keep = {.slots = ci->slots,
                     .slot_prop = ci->slot_prop,
                     .slots_cap = ci->slots_cap,
                     .fields = ci->fields,
                     .fields_cap = ci->fields_cap,
                     .numbered = ci->numbered,
                     .numbered_cap = ci->numbered_cap};
    if (keep.fields_cap)
        memset(keep.fields, 0, sizeof *keep.fields * keep.fields_cap);
    if (keep.numbered_cap)
        memset(keep.numbered, 0, sizeof *keep.numbered * keep.numbered_cap);
    *ci = keep;
}

static void class_free(cr_class *ci)
{
    free(ci->slots);
    free(ci->slot_prop);
    free(ci->numbered);
    free(ci->fields);
}

void cr_close(cr_reader *r)
{
    if (r->kept) {
        for (int i = 0; i < r->nclasses; i++)
            class_clear(r->classes[i]);
        class_clear(&r->plain);
        spare.classes = r->classes;
        spare.nmade = r->nmade;
        spare.capclasses = r->capclasses;
        spare.plain = r->plain;
        spare.props = r->props;
        spare.lens = r->lens;
        spare.capprops = r->capprops;
        spare_taken = 0;
    } else {
        for (int i = 0; i < r->nmade; i++) {
            class_free(r->classes[i]);
            free(r->classes[i]);
        }
        free(r->classes);
        class_free(&r->plain);
        free(r->props);
        free(r->lens);
    }
    r->classes = NULL;
    r->nclasses = r->nmade = 0;
    r->capclasses = 0;
    memset(&r->plain, 0, sizeof r->plain);
    r->props = NULL;
    r->lens = NULL;
    r->capprops = 0;
    r->kept = 0;
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

/* Takes the class's slots list (on top of L, popped): its string entries, each once, as
 * shared names, with the numbers their values are kept at, for cr_push_slot. */
static void take_slots(cr_reader *r, cr_class *ci)
{
    lua_State *L = r->L;
    int list = lua_gettop(L);
    if (lua_type(L, list) == LUA_TTABLE) {
        lua_Unsigned n = lua_rawlen(L, list);
        for (lua_Unsigned i = 1; i <= n; i++) {
            lua_rawgeti(L, list, (lua_Integer)i);
            const char *name =
                lua_type(L, -1) == LUA_TSTRING ? cr_name(r, lua_tostring(L, -1)) : NULL;
            for (int j = 0; name && j < ci->nslots; j++)
                if (ci->slots[j] == name)
                    name = NULL; /* a second entry for a slot changes nothing */
            if (ci->nslots >= SNAP_MAX_SLOTS)
                name = NULL; /* more than a node holds: a class of that many is a mistake */
            if (!name) {
                lua_pop(L, 1);
                continue;
            }
            if (ci->nslots == ci->slots_cap) {
                ci->slots_cap = ci->slots_cap ? 2 * ci->slots_cap : 4;
                ci->slots = mem_realloc(ci->slots, sizeof *ci->slots * (size_t)ci->slots_cap);
                ci->slot_prop =
                    mem_realloc(ci->slot_prop, sizeof *ci->slot_prop * (size_t)ci->slots_cap);
            }
            ci->slot_prop[ci->nslots] = prop_number(r, lua_tostring(L, -1));
            ci->slots[ci->nslots++] = name;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

/* A class's fields are looked up through its metatable chain, which costs more than the
 * diff's own work: each class is read once per diff and kept here. */
cr_class *cr_class_of(cr_reader *r, int idx)
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
    if (r->nclasses == r->nmade) {
        MEM_RESERVE(r->classes, r->capclasses, (size_t)r->nmade + 1, 16);
        r->classes[r->nmade++] = mem_calloc(1, sizeof(cr_class));
    }
    cr_class *ci = r->classes[r->nclasses++];
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
    take_slots(r, ci);
    lua_getfield(L, m, s->class_props);
    ci->has_allow = lua_type(L, -1) == LUA_TTABLE;
    lua_rawseti(L, r->class_tables, 2 * ci->index);
    lua_rawseti(L, r->class_tables, 2 * ci->index - 1); /* the class itself, anchored */
    return ci;
}

/* The number a control's table keeps the prop `name` at (a C string), or 0 when no control
 * has been given it yet (flet.fields numbers every slot name when it makes a class, and the
 * key at load). */
static int prop_number(cr_reader *r, const char *name)
{
    lua_getfield(r->L, r->prop_index, name);
    int n = (int)lua_tointeger(r->L, -1);
    lua_pop(r->L, 1);
    return n;
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
    lua_rawgeti(L, ci, schema_get()->marks);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

void cr_set_marks_of(lua_State *L, int idx, int marks)
{
    idx = lua_absindex(L, idx);
    lua_pushinteger(L, marks);
    lua_rawseti(L, idx, schema_get()->marks);
}

void cr_mark_dirty_of(lua_State *L, int idx) { cr_set_marks_of(L, idx, schema_get()->dirty); }

int cr_push_id_of(lua_State *L, int ci) { return lua_rawgeti(L, ci, schema_get()->id); }

/* -------------------------------------------------------- props and key */

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

/* Makes p the JSON text of the value on top of L (a table, or a string that holds a NUL),
 * with its length in *len; 0, or -1 when it cannot be written as JSON (then the prop is not
 * sent). The text is malloc'd: cr_props_done frees it. */
static int take_json(lua_State *L, snap_prop *p, size_t *len)
{
    const char *err;
    p->kind = SNAP_JSON;
    p->str = proto_encode_lua(L, -1, len, &err);
    return p->str ? 0 : -1;
}

/* Makes *k the key the value at idx gives (of Lua type t): a number or a string. */
static void key_of_value(lua_State *L, int idx, int t, snap_key *k)
{
    k->kind = SNAP_KEY_NONE;
    if (t == LUA_TNUMBER) {
        double v = lua_tonumber(L, idx);
        if (v == v) { /* NaN equals nothing, so it cannot be a key */
            k->kind = SNAP_KEY_NUM;
            k->num = v == 0 ? 0 : v; /* -0 and 0 are one key */
        }
    } else if (t == LUA_TSTRING) {
        size_t len;
        k->str = lua_tolstring(L, idx, &len);
        if (len <= SNAP_MAX_KEY) {
            k->kind = SNAP_KEY_STR;
            k->len = (uint32_t)len;
        }
    }
}

void cr_read_key(cr_reader *r, int fi, snap_key *k)
{
    lua_State *L = r->L;
    int t;
    if (cr_is_control(r, fi)) { /* as cr_read_props tells a control's numbered props */
        t = r->key_at ? lua_rawgeti(L, fi, r->key_at) : (lua_pushnil(L), LUA_TNIL);
    } else {
        lua_pushvalue(L, r->k_key);
        t = lua_rawget(L, fi);
    }
    key_of_value(L, -1, t, k);
    lua_pop(L, 1);
}

static unsigned field_hash(const char *k)
{
    return (unsigned)(((uintptr_t)k >> 3) * 0x9E3779B97F4A7C15u >> 32);
}

/* Works out what the field name k is to class ci, from the schema and the class (its slots,
 * its props list at 2 * ci->index in the class tables). */
static void field_classify(cr_reader *r, cr_class *ci, const char *k, cr_field *f)
{
    lua_State *L = r->L;
    const schema *s = r->s;
    f->k = k;
    f->name = cr_name(r, k);
    f->flags = (skipped_key(s, k) ? CRF_SKIP : 0) | (k == s->key ? CRF_KEY : 0);
    if (strncmp(k, s->handler_prefix, s->handler_len) == 0)
        f->flags |= CRF_HANDLER;
    f->slot = 0;
    for (int j = 0; j < ci->nslots; j++)
        if (ci->slots[j] == f->name)
            f->slot = j + 1;
    if (ci->has_allow) {
        lua_rawgeti(L, r->class_tables, 2 * ci->index);
        lua_getfield(L, -1, k);
        if (!lua_toboolean(L, -1))
            f->flags |= CRF_DENIED;
        lua_pop(L, 2);
    }
}

/* What the field name k is to class ci: from the class's table of names, filled here the
 * first time. A name is kept there only when it is its own shared copy: the names table
 * anchors it, so no other string can take its address during the diff. Otherwise (a long
 * name, one holding a NUL) *tmp is filled and returned. */
static const cr_field *field_of(cr_reader *r, cr_class *ci, const char *k, cr_field *tmp)
{
    if (ci->fields_cap) {
        unsigned mask = ci->fields_cap - 1;
        for (unsigned j = field_hash(k) & mask; ci->fields[j].k; j = (j + 1) & mask)
            if (ci->fields[j].k == k)
                return &ci->fields[j];
    }
    field_classify(r, ci, k, tmp);
    if (tmp->name != k)
        return tmp;
    if (2 * (ci->fields_n + 1) > ci->fields_cap) {
        unsigned cap = ci->fields_cap ? 2 * ci->fields_cap : 16, mask = cap - 1;
        cr_field *grown = mem_calloc(cap, sizeof *grown);
        for (unsigned i = 0; i < ci->fields_cap; i++) {
            if (!ci->fields[i].k)
                continue;
            unsigned j = field_hash(ci->fields[i].k) & mask;
            while (grown[j].k)
                j = (j + 1) & mask;
            grown[j] = ci->fields[i];
        }
        free(ci->fields);
        ci->fields = grown;
        ci->fields_cap = cap;
    }
    unsigned mask = ci->fields_cap - 1, j = field_hash(k) & mask;
    while (ci->fields[j].k)
        j = (j + 1) & mask;
    ci->fields[j] = *tmp;
    ci->fields_n++;
    return &ci->fields[j];
}

/* What the prop kept at number first_prop + j is to class ci: from the class's array by
 * number, filled here the first time. NULL for a number that names nothing. */
static const cr_field *numbered_field(cr_reader *r, cr_class *ci, lua_Integer j)
{
    lua_State *L = r->L;
    if (j < 0 || j >= 1 << 16)
        return NULL;
    if ((unsigned)j < ci->numbered_cap && ci->numbered[j].k)
        return &ci->numbered[j];
    if ((unsigned)j >= ci->numbered_cap) {
        unsigned cap = ci->numbered_cap ? ci->numbered_cap : 16;
        while (cap <= (unsigned)j)
            cap *= 2;
        ci->numbered = mem_realloc(ci->numbered, sizeof *ci->numbered * cap);
        memset(ci->numbered + ci->numbered_cap, 0, sizeof *ci->numbered * (cap - ci->numbered_cap));
        ci->numbered_cap = cap;
    }
    /* The name stays anchored in the list of names, which only grows. */
    if (lua_rawgeti(L, r->prop_names, j + 1) != LUA_TSTRING) {
        lua_pop(L, 1);
        return NULL;
    }
    field_classify(r, ci, lua_tostring(L, -1), &ci->numbered[j]);
    lua_pop(L, 1);
    return &ci->numbered[j];
}

int cr_read_props(cr_reader *r, cr_class *info, int fi, snap_key *key)
{
    lua_State *L = r->L;
    /* A control keeps its props at numbers, beside named fields of its own that are never
     * sent; a table with no class keeps them under their names. */
    int numbered = info && info->type;
    lua_Integer first = r->s->first_prop;
    if (!info)
        info = &r->plain;
    int n = 0;
    key->kind = SNAP_KEY_NONE;
    lua_pushnil(L);
    while (lua_next(L, fi)) {
        cr_field tmp;
        const cr_field *f;
        if (n == SNAP_MAX_PROPS) { /* more than a node holds: the rest are not sent */
            lua_pop(L, 2);
            break;
        }
        if (numbered) {
            f = lua_isinteger(L, -2) ? numbered_field(r, info, lua_tointeger(L, -2) - first) : NULL;
        } else {
            f = lua_type(L, -2) == LUA_TSTRING ? field_of(r, info, lua_tostring(L, -2), &tmp)
                                               : NULL;
        }
        if (!f) {
            lua_pop(L, 1);
            continue;
        }
        int vt = lua_type(L, -1);
        if (f->flags & CRF_KEY)
            key_of_value(L, -1, vt, key);
        if ((f->flags & (CRF_SKIP | CRF_DENIED)) || (vt == LUA_TTABLE && f->slot)) {
            lua_pop(L, 1);
            continue;
        }
        snap_prop p = {0};
        size_t len = 0;
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
        case LUA_TSTRING:
            p.kind = SNAP_STR;
            p.str = lua_tolstring(L, -1, &len);
            /* Kept as its JSON text, where a NUL is escaped: texts end at a NUL. */
            if (memchr(p.str, 0, len) && take_json(L, &p, &len) < 0)
                goto skip;
            break;
        case LUA_TFUNCTION:
            if (!(f->flags & CRF_HANDLER))
                goto skip;
            p.kind = SNAP_BOOL;
            p.num = 1;
            break;
        case LUA_TTABLE:
            if (cr_is_control(r, lua_gettop(L)) || take_json(L, &p, &len) < 0)
                goto skip;
            break;
        default:
            goto skip;
        }
        if ((size_t)n == r->capprops) {
            size_t cap = r->capprops ? 2 * r->capprops : 16;
            r->props = mem_realloc(r->props, sizeof *r->props * cap);
            r->lens = mem_realloc(r->lens, sizeof *r->lens * cap);
            r->capprops = cap;
        }
        p.key = f->name;
        r->props[n] = p;
        r->lens[n++] = len;
    skip:
        lua_pop(L, 1);
    }
    return n;
}

void cr_props_done(cr_reader *r, int n)
{
    for (int i = 0; i < n; i++)
        if (r->props[i].kind == SNAP_JSON)
            free((char *)r->props[i].str);
}

/* ------------------------------------------------------------------ slots */

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
