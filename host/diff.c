#include "diff.h"

#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "idmap.h"
#include "intern.h"
#include "lis.h"
#include "proto.h"
#include "proto_keys.h"

#define SNAPSHOT_MT "luaflet.snapshot"

/* ------------------------------------------------------------- snapshot */

enum prop_kind { PV_BOOL, PV_NUM, PV_STR, PV_JSON };

typedef struct diff_prop {
    const char *key; /* interned */
    union {
        double num;      /* PV_BOOL (0 or 1) and PV_NUM */
        const char *str; /* PV_STR, and PV_JSON as encoded text: in the node's props block */
    };
    enum prop_kind kind;
} diff_prop;

static int has_text(const diff_prop *p)
{
    return p->kind == PV_STR || p->kind == PV_JSON;
}

/* The app's `key` prop, as the diff compares it: a number (1 and 1.0 alike) or a string. */
enum key_kind { KEY_NONE, KEY_NUM, KEY_STR };

typedef struct node_key {
    union {
        double num;
        const char *str; /* KEY_STR: len bytes, not NUL-terminated */
    };
    uint32_t len;
    enum key_kind kind;
} node_key;

typedef struct diff_node diff_node;

typedef struct diff_slot {
    const char *name; /* interned */
    diff_node **kids; /* an entry is NULL once its node has moved elsewhere */
    int n;
} diff_slot;

struct diff_node {
    uint32_t id;
    uint32_t gen;     /* the diff that last claimed this node for a place in the tree */
    const char *type; /* interned */
    /* The address of its control's table, which the page's index keeps alive as long as the
     * node exists: whether a table is this node's object is one comparison. */
    const void *obj;
    diff_node *parent;
    int slot_idx, pos; /* where in the parent it sits */
    /* One allocation holds the props, then their texts and the key's text, so that a node
     * costs few mallocs and a changed control swaps one block. */
    diff_prop *props;
    diff_slot *slots;
    int nprops, nslots;
    /* The key, flat so that the node packs into 80 bytes (key_of makes a node_key of it). */
    union {
        double key_num;
        const char *key_str;
    };
    uint32_t key_len;
    uint8_t key_kind;
    uint8_t hooks; /* its control has lifecycle hooks: unmount must find the object */
};

static node_key key_of(const diff_node *d)
{
    node_key k;
    k.kind = d->key_kind;
    k.len = d->key_len;
    if (d->key_kind == KEY_NUM)
        k.num = d->key_num;
    else
        k.str = d->key_str;
    return k;
}

static void set_key(diff_node *d, const node_key *k)
{
    d->key_kind = (uint8_t)k->kind;
    d->key_len = k->len;
    if (k->kind == KEY_NUM)
        d->key_num = k->num;
    else
        d->key_str = k->kind == KEY_STR ? k->str : NULL;
}

/* The Lua userdata; owns the whole tree, freed by __gc. */
typedef struct diff_snapshot {
    diff_node *root;
    uint32_t next_id;
    uint32_t gen; /* counts the diffs */
    lua_Integer seq; /* numbers the messages sent: each patch and each init takes the next */
    int busy;     /* a diff is running: build() must not start another on the same page */
    int resync;   /* a diff failed half-way: the next one sends the whole tree afresh */
    idmap map;    /* id -> node, for every node but the root */
} diff_snapshot;

/* Deeper trees are refused: every walk here recurses once per level. */
#define MAX_DEPTH 500

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

/* Frees a node and its subtree (entries that moved elsewhere are NULL and skipped). */
static void free_node(diff_snapshot *snap, diff_node *d)
{
    if (!d)
        return;
    if (snap)
        idmap_del(&snap->map, d->id);
    free(d->props);
    for (int i = 0; i < d->nslots; i++) {
        for (int k = 0; k < d->slots[i].n; k++)
            free_node(snap, d->slots[i].kids[k]);
        free(d->slots[i].kids);
    }
    free(d->slots);
    free(d);
}

static const char *xintern(const char *s)
{
    const char *p = intern(s);
    if (!p)
        abort();
    return p;
}

static diff_node *new_node(uint32_t id, const char *type)
{
    diff_node *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->id = id;
    d->type = type;
    return d;
}

/* Takes d out of the slot it sits in, leaving NULL there. */
static void detach(diff_node *d)
{
    diff_node *p = d->parent;
    if (p && d->slot_idx < p->nslots) {
        diff_slot *s = &p->slots[d->slot_idx];
        if (d->pos < s->n && s->kids[d->pos] == d)
            s->kids[d->pos] = NULL;
    }
    d->parent = NULL;
}

/* The index of d's slot called name (a shared name), made if missing. */
static int find_slot(diff_node *d, const char *name)
{
    for (int i = 0; i < d->nslots; i++)
        if (d->slots[i].name == name)
            return i;
    d->slots = realloc(d->slots, sizeof *d->slots * (size_t)(d->nslots + 1));
    if (!d->slots)
        abort();
    diff_slot *s = &d->slots[d->nslots];
    s->name = name;
    s->kids = NULL;
    s->n = 0;
    return d->nslots++;
}

/* What the diff needs to know of a control class, read once per diff and class (a class's
 * fields are looked up through its metatable chain, which costs more than the diff's own
 * work). */
typedef struct class_info {
    const void *mt;
    int index; /* its place in the diff's list of classes (from 1) */
    const char *type; /* shared name; NULL when the table is not a control */
    unsigned has_build : 1, has_before : 1, has_hooks : 1, has_slots : 1, has_allow : 1;
} class_info;

/* A control already on the page that a new container takes in: it cannot be written into
 * the container's add op, so it is moved there just after, then compared. */
typedef struct deferred_move {
    diff_node *node, *parent;
    int slot_idx, k;
} deferred_move;

/* ------------------------------------------------------ one diff's state */

typedef struct dctx {
    lua_State *L;
    diff_snapshot *snap;
    int index;     /* absolute stack index of page._index: id -> control */
    int mounted;   /* absolute index of the list of added controls, 0 until needed */
    int unmounted; /* the same for removed controls */
    int depth;
    diff_node *sub; /* the node of the control the diff starts from, or NULL for the page */
    int names;      /* absolute index of the table that anchors type and prop names */
    /* Stack indices of the field names the diff uses on every control. */
    int k_m, k_p, k_id, k_parent, k_items, k_key, k_built, k_dk;
    /* New controls a slot has reserved a place for but not built yet, and the start control,
     * by table address (see stamp()); freed by l_diff. */
    const void **met;
    unsigned met_cap, met_n;
    /* Scratch arrays of diff_children calls under way, freed as each returns; what an error
     * leaves is freed by l_diff. */
    void **bufs;
    int nbufs, capbufs;
    deferred_move *moves; /* freed by l_diff */
    int nmoves, capmoves;
    int resync; /* building afresh after an error: no lifecycle lists */
    class_info **classes; /* freed by l_diff */
    int nclasses, capclasses;
    int class_tables; /* stack index of a list: [2i-1] the i-th class's _slots, [2i] _props */
    diff_node **pending; /* nodes that left their place; removed at the end unless claimed */
    int npending, cappending;
    diff_node **cleared; /* parents with a slot emptied by this diff, and which slot */
    const char **cleared_slot;
    int ncleared, capcleared;
    proto_buf ops; /* the ops written so far, after the message's opening */
    int nops;
    char *error; /* the first error raised by a build(), with its traceback */
} dctx;

static void note_error(dctx *c, const char *msg)
{
    if (!c->error)
        c->error = xstrdup(msg);
}

static void enter(dctx *c)
{
    if (++c->depth > MAX_DEPTH)
        luaL_error(c->L, "the page's control tree is nested deeper than %d levels",
                   MAX_DEPTH);
}

static void list_append(dctx *c, int *list, int vi)
{
    lua_State *L = c->L;
    vi = lua_absindex(L, vi);
    if (!*list) {
        /* The lists sit in slots 4 and 5 of the stack, reserved by l_diff. */
        lua_newtable(L);
        lua_replace(L, list == &c->mounted ? 4 : 5);
        *list = list == &c->mounted ? 4 : 5;
    }
    lua_pushvalue(L, vi);
    lua_rawseti(L, *list, (lua_Integer)lua_rawlen(L, *list) + 1);
}

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

static const char *name_of(dctx *c, const char *s);

static int has_field(lua_State *L, int mt, const char *key, int type)
{
    int t = lua_getfield(L, mt, key);
    int yes = type == LUA_TBOOLEAN ? lua_toboolean(L, -1) : t == type;
    lua_pop(L, 1);
    return yes;
}

/* The class of the value at idx, or NULL when it has no metatable. */
static const class_info *class_of(dctx *c, int idx)
{
    lua_State *L = c->L;
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return NULL;
    const void *mt = lua_topointer(L, -1);
    for (int i = c->nclasses - 1; i >= 0; i--) {
        if (c->classes[i]->mt == mt) {
            lua_pop(L, 1);
            return c->classes[i];
        }
    }
    if (c->nclasses == c->capclasses) {
        int cap = c->capclasses ? c->capclasses * 2 : 16;
        class_info **p = realloc(c->classes, sizeof *p * (size_t)cap);
        if (!p)
            luaL_error(L, "out of memory");
        c->classes = p;
        c->capclasses = cap;
    }
    class_info *ci = calloc(1, sizeof *ci);
    if (!ci)
        luaL_error(L, "out of memory");
    c->classes[c->nclasses++] = ci;
    int m = lua_gettop(L);
    ci->mt = mt;
    if (lua_getfield(L, m, "_type") == LUA_TSTRING)
        ci->type = name_of(c, lua_tostring(L, -1));
    lua_pop(L, 1);
    ci->has_build = has_field(L, m, "build", LUA_TFUNCTION);
    ci->has_before = has_field(L, m, "before_update", LUA_TFUNCTION);
    ci->has_hooks = has_field(L, m, "_hooks", LUA_TBOOLEAN);
    ci->index = c->nclasses;
    lua_getfield(L, m, "_slots");
    ci->has_slots = lua_type(L, -1) == LUA_TTABLE;
    lua_rawseti(L, c->class_tables, 2 * ci->index - 1);
    lua_getfield(L, m, "_props");
    ci->has_allow = lua_type(L, -1) == LUA_TTABLE;
    lua_rawseti(L, c->class_tables, 2 * ci->index);
    lua_pop(L, 1);
    return ci;
}

static int is_control(dctx *c, int idx)
{
    const class_info *ci = class_of(c, idx);
    return ci && ci->type;
}

/* Pushes the table that holds a control's public fields: its _p, or for a plain table the
 * control itself. Returns its absolute index. */
static int push_fields(dctx *c, int ci)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_p);
    if (lua_rawget(L, ci) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_pushvalue(L, ci);
    }
    return lua_gettop(L);
}

/* A control's marks (flet/fields.lua): MARK_DIRTY, its own fields changed; MARK_KIDS, a
 * descendant's did. */
enum { MARK_DIRTY = 1, MARK_KIDS = 2 };

static int marks_of(lua_State *L, int ci)
{
    lua_pushliteral(L, "_m");
    lua_rawget(L, ci);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* The same, with the key string the diff keeps on its stack (pushing a C string costs a
 * lookup in Lua's string cache each time). */
static int marks(dctx *c, int ci)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_m);
    lua_rawget(L, ci);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* ci[key] = the value at vi, raw; key is the stack index of one of the diff's key strings. */
static void raw_set(dctx *c, int ci, int key, int vi)
{
    lua_State *L = c->L;
    vi = lua_absindex(L, vi);
    lua_pushvalue(L, key);
    lua_pushvalue(L, vi);
    lua_rawset(L, ci);
}

/* Clears the marks flet.fields set on a control; called as the diff visits it, so that marks
 * made while it runs (by build(), say) stay for the next update. */
static void clear_marks(dctx *c, int ci, int had_dk)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_m);
    lua_pushinteger(L, 0);
    lua_rawset(L, ci);
    if (!had_dk)
        return;
    lua_pushvalue(L, c->k_dk);
    lua_pushboolean(L, 0);
    lua_rawset(L, ci);
}

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

/* The shared copy of a type, slot or prop name. Lua already keeps one copy of each short
 * string; anchoring it in a table keeps that copy alive, so its address names it and
 * compares by pointer. Long names go to the C pool. */
static const char *name_of(dctx *c, const char *s)
{
    /* A name anchored before is its own shared copy: nothing to ask Lua. */
    if (intern_known(s))
        return s;
    lua_State *L = c->L;
    lua_pushstring(L, s);
    size_t len;
    const char *p = lua_tolstring(L, -1, &len);
    if (len > 40) {
        lua_pop(L, 1);
        return xintern(s);
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, c->names) == LUA_TNIL) {
        lua_pushvalue(L, -2);
        lua_pushboolean(L, 1);
        lua_rawset(L, c->names);
    }
    lua_pop(L, 2);
    intern_remember(p);
    return p;
}

static void *scratch(dctx *c, size_t n)
{
    if (c->nbufs == c->capbufs) {
        int cap = c->capbufs ? c->capbufs * 2 : 16;
        void **p = realloc(c->bufs, sizeof *p * (size_t)cap);
        if (!p)
            luaL_error(c->L, "out of memory");
        c->bufs = p;
        c->capbufs = cap;
    }
    void *b = malloc(n ? n : 1);
    if (!b)
        luaL_error(c->L, "out of memory");
    c->bufs[c->nbufs++] = b;
    return b;
}

/* Frees the last `count` scratch arrays. */
static void scratch_release(dctx *c, int count)
{
    while (count-- > 0)
        free(c->bufs[--c->nbufs]);
}

/* Calls the class's method `name` on the control at ci, protected, if the class has one
 * (`has` says so). Leaves its one result on the stack and returns 1, or returns 0 with
 * nothing pushed; a failure is remembered in c->error with its traceback. */
static int call_hook(dctx *c, int ci, const char *name, int has)
{
    lua_State *L = c->L;
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
        if (!c->error)
            c->error = xstrdup(lua_tostring(L, -1) ? lua_tostring(L, -1) : name);
        lua_pop(L, 2);
        return 0;
    }
    lua_remove(L, -2); /* msgh */
    return 1;
}

/* Runs a user control's build() once, the first time it is sent; its result becomes the
 * control's content. A failure is remembered and the control is sent without content. */
static void build_once(dctx *c, int ci, const class_info *info)
{
    lua_State *L = c->L;
    if (!info || !info->has_build)
        return;
    lua_pushvalue(L, c->k_built);
    if (lua_rawget(L, ci) != LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
    raw_set(c, ci, c->k_built, -1);
    lua_pop(L, 1);
    if (!call_hook(c, ci, "build", 1))
        return;
    if (is_control(c, lua_gettop(L))) {
        lua_pushvalue(L, -1);
        lua_setfield(L, ci, "content");
    }
    lua_pop(L, 1);
}

/* Runs the class's before_update(self), if it has one, before the control's fields are
 * read, so it can bring them up to date. */
static void before_update(dctx *c, int ci, const class_info *info)
{
    if (call_hook(c, ci, "before_update", info && info->has_before))
        lua_pop(c->L, 1);
}

/* Fields that are never props: private ones, and those with a meaning of their own. */
static int skipped_key(const char *key)
{
    switch (key[0]) {
    case '_':
        return 1;
    case 'p':
        return strcmp(key, "page") == 0 || strcmp(key, "parent") == 0;
    case 'd':
        return strcmp(key, "data") == 0;
    case 'k':
        return strcmp(key, "key") == 0;
    default:
        return 0;
    }
}

/* Reads the key of the control whose fields are at fi. A string key's text is borrowed from
 * the fields table, which keeps it alive. */
static void read_key(dctx *c, int fi, node_key *k)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_key);
    int t = lua_rawget(L, fi);
    k->kind = KEY_NONE;
    if (t == LUA_TNUMBER) {
        double v = lua_tonumber(L, -1);
        if (v == v) { /* NaN equals nothing, so it cannot be a key */
            k->kind = KEY_NUM;
            k->num = v == 0 ? 0 : v; /* -0 and 0 are one key */
        }
    } else if (t == LUA_TSTRING) {
        size_t len;
        k->str = lua_tolstring(L, -1, &len);
        if (len <= UINT32_MAX) {
            k->kind = KEY_STR;
            k->len = (uint32_t)len;
        }
    }
    lua_pop(L, 1);
}

static int key_equal(const node_key *a, const node_key *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == KEY_NUM)
        return a->num == b->num;
    return a->kind == KEY_NONE || (a->len == b->len && memcmp(a->str, b->str, a->len) == 0);
}

/* Reads the props of the control whose fields are at fi: every public field that is not a
 * slot, kept to the class's _props list when it has one; event handlers are sent as
 * `on_x = true`. Reads its key too. Returns them as one block (NULL when there is nothing to
 * hold), whose texts the props and the key point into. */
static diff_prop *read_props(dctx *c, int fi, int slots, int allow, int *count, node_key *key)
{
    lua_State *L = c->L;
    /* Props are gathered on the C stack, their texts borrowed from Lua (the fields table
     * keeps them alive) or encoded (PV_JSON, freed here), then copied into one block. */
    diff_prop local[16];
    diff_prop *props = local, *heap = NULL;
    int n = 0, cap = 16;
    size_t texts = 0;
    lua_pushnil(L);
    while (lua_next(L, fi)) {
        if (lua_type(L, -2) != LUA_TSTRING) {
            lua_pop(L, 1);
            continue;
        }
        const char *key = lua_tostring(L, -2);
        int vt = lua_type(L, -1);
        if (skipped_key(key) || (vt == LUA_TTABLE && in_list(L, slots, key))) {
            lua_pop(L, 1);
            continue;
        }
        if (allow) {
            lua_getfield(L, allow, key);
            int ok = lua_toboolean(L, -1);
            lua_pop(L, 1);
            if (!ok) {
                lua_pop(L, 1);
                continue;
            }
        }
        diff_prop p = {0};
        switch (vt) {
        case LUA_TBOOLEAN:
            p.kind = PV_BOOL;
            p.num = lua_toboolean(L, -1);
            break;
        case LUA_TNUMBER:
            p.kind = PV_NUM;
            p.num = lua_tonumber(L, -1);
            /* JSON has no NaN or infinity: such a prop is not sent (as if it were nil). */
            if (!isfinite(p.num))
                goto skip;
            break;
        case LUA_TSTRING: {
            size_t len;
            p.kind = PV_STR;
            p.str = lua_tolstring(L, -1, &len);
            if (memchr(p.str, 0, len)) {
                /* Kept as its JSON text, where a NUL is escaped: texts end at a NUL. */
                const char *err;
                p.kind = PV_JSON;
                p.str = proto_encode_lua(L, -1, NULL, &err);
                if (!p.str)
                    goto skip;
            }
            break;
        }
        case LUA_TFUNCTION:
            if (strncmp(key, "on_", 3) != 0)
                goto skip;
            p.kind = PV_BOOL;
            p.num = 1;
            break;
        case LUA_TTABLE: {
            if (is_control(c, lua_gettop(L)))
                goto skip;
            const char *err;
            p.kind = PV_JSON;
            p.str = proto_encode_lua(L, -1, NULL, &err);
            if (!p.str)
                goto skip;
            break;
        }
        default:
            goto skip;
        }
        if (n == cap) {
            cap *= 2;
            diff_prop *grown = realloc(heap, sizeof *props * (size_t)cap);
            if (!grown)
                abort();
            if (!heap)
                memcpy(grown, local, sizeof local);
            props = heap = grown;
        }
        p.key = name_of(c, key);
        if (has_text(&p))
            texts += strlen(p.str) + 1;
        props[n++] = p;
    skip:
        lua_pop(L, 1);
    }
    read_key(c, fi, key);
    if (key->kind == KEY_STR)
        texts += key->len;
    *count = n;
    diff_prop *block = NULL;
    if (n || texts) {
        block = xmalloc(sizeof *props * (size_t)n + texts);
        char *t = (char *)(block + n);
        for (int i = 0; i < n; i++) {
            block[i] = props[i];
            if (!has_text(&props[i]))
                continue;
            size_t len = strlen(props[i].str) + 1;
            block[i].str = memcpy(t, props[i].str, len);
            t += len;
            if (props[i].kind == PV_JSON)
                free((char *)props[i].str);
        }
        if (key->kind == KEY_STR)
            key->str = memcpy(t, key->str, key->len);
    }
    free(heap);
    return block;
}

static int prop_equal(const diff_prop *a, const diff_prop *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == PV_BOOL || a->kind == PV_NUM)
        return a->num == b->num;
    return strcmp(a->str, b->str) == 0;
}

static void put_prop(proto_buf *b, const diff_prop *p, int first)
{
    pb_key(b, p->key, first);
    switch (p->kind) {
    case PV_BOOL:
        pb_lit(b, p->num ? "true" : "false");
        break;
    case PV_NUM:
        pb_num(b, p->num);
        break;
    case PV_STR:
        pb_str(b, p->str);
        break;
    case PV_JSON:
        pb_lit(b, p->str);
        break;
    }
}

/* `,"key":` for one of the protocol's own keys, written as one literal. */
#define PB_KEY(b, key) pb_raw((b), ",\"" key "\":", sizeof(",\"" key "\":") - 1)

/* Starts the next op of the patch: the comma between ops, then the op's kind (a protocol
 * constant, so plain text). */
#define op_begin(c, kind)                                                                   \
    do {                                                                                    \
        if ((c)->nops++)                                                                    \
            pb_raw(&(c)->ops, ",", 1);                                                      \
        pb_raw(&(c)->ops, "{\"" PK_OP "\":\"" kind "\"",                                     \
               sizeof("{\"" PK_OP "\":\"" kind "\"") - 1);                                     \
    } while (0)

/* Pushes the class's _slots and _props tables (or nil); returns their absolute indices, 0 for
 * nil. The caller pops 2 values. */
static void push_class_info(dctx *c, int ci, const class_info *info, int *slots, int *allow)
{
    lua_State *L = c->L;
    (void)ci;
    *slots = 0;
    *allow = 0;
    if (info && info->has_slots) {
        lua_rawgeti(L, c->class_tables, 2 * info->index - 1);
        *slots = lua_gettop(L);
    } else {
        lua_pushnil(L);
    }
    if (info && info->has_allow) {
        lua_rawgeti(L, c->class_tables, 2 * info->index);
        *allow = lua_gettop(L);
    } else {
        lua_pushnil(L);
    }
}

static unsigned ptr_hash(const void *p)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15u;
    return (unsigned)(h >> 32);
}

/* The set of new controls this diff has reserved a place for (dctx.met): a control may take
 * only one place. Entries are table addresses; a released entry becomes a tombstone. */
#define MET_GONE ((const void *)&met_gone)
static const char met_gone;

static void met_put(const void **set, unsigned mask, const void *p)
{
    unsigned j = ptr_hash(p) & mask;
    while (set[j])
        j = (j + 1) & mask;
    set[j] = p;
}

static const void **met_find(dctx *c, const void *p)
{
    if (!c->met_cap)
        return NULL;
    unsigned mask = c->met_cap - 1;
    for (unsigned j = ptr_hash(p) & mask; c->met[j]; j = (j + 1) & mask)
        if (c->met[j] == p)
            return &c->met[j];
    return NULL;
}

/* Reserves the place of the control at idx, not yet on the page; returns 0 if it is reserved
 * already: the same new control twice in one list, or the start control inside itself.
 * Controls on the page are told apart by their node's gen instead. An entry stays only while
 * something anchors its table (the diff's list of new children, or the stack for the start
 * control), so its address cannot be reused meanwhile. */
static int stamp(dctx *c, int idx)
{
    const void *p = lua_topointer(c->L, idx);
    if (met_find(c, p))
        return 0;
    if (2 * (c->met_n + 1) > c->met_cap) {
        unsigned cap = c->met_cap ? 2 * c->met_cap : 64;
        const void **grown = calloc(cap, sizeof *grown);
        if (!grown)
            luaL_error(c->L, "out of memory");
        unsigned n = 0;
        for (unsigned i = 0; i < c->met_cap; i++) {
            if (c->met[i] && c->met[i] != MET_GONE) {
                met_put(grown, cap - 1, c->met[i]);
                n++;
            }
        }
        free(c->met);
        c->met = grown;
        c->met_cap = cap;
        c->met_n = n;
    }
    met_put(c->met, c->met_cap - 1, p);
    c->met_n++;
    return 1;
}

/* Whether the control at idx has a place reserved by this diff. */
static int stamped(dctx *c, int idx)
{
    return met_find(c, lua_topointer(c->L, idx)) != NULL;
}

/* Ends the reservation of the control at idx, as it is built: from now on its node tells. */
static void unstamp(dctx *c, int idx)
{
    const void **e = met_find(c, lua_topointer(c->L, idx));
    if (e)
        *e = MET_GONE;
}

static void note_duplicate(dctx *c)
{
    note_error(c, "a control appears more than once on the page (or inside itself); only its "
                  "first place is shown");
}

/* Pushes the list behind the slot value at vi (a ControlList's items, or a plain table) and
 * returns its index and, in *n, its length. A single control is a list of one: nil is pushed
 * and 0 returned, and push_item then gives vi itself. Anything else is an empty list. */
static int slot_items(dctx *c, int vi, int *n)
{
    lua_State *L = c->L;
    *n = 0;
    if (is_control(c, vi)) {
        lua_pushnil(L);
        *n = 1;
        return 0;
    }
    if (lua_type(L, vi) != LUA_TTABLE) {
        lua_pushnil(L);
        return 0;
    }
    lua_pushvalue(L, c->k_items);
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

/* Pushes entry i (from 1) of a slot's list, as slot_items found it. */
static void push_item(lua_State *L, int items, int vi, int i)
{
    if (items)
        lua_rawgeti(L, items, i);
    else
        lua_pushvalue(L, vi);
}

static void build_node(dctx *c, int ci, int pi, const class_info *info, diff_node **out);

/* Takes a removed node's controls off the page: their index entries go, the top control's
 * parent link is cut (so control.page is nil for it and all under it), and controls with
 * lifecycle hooks are listed for will_unmount. Only those two kinds of control are read. */
static void unmount(dctx *c, diff_node *d, int top)
{
    lua_State *L = c->L;
    if (top || d->hooks) {
        if (lua_rawgeti(L, c->index, d->id) == LUA_TTABLE) {
            int obj = lua_gettop(L);
            lua_pushvalue(L, c->k_id);
            lua_rawget(L, obj);
            /* The object may live on under another node (it was built again elsewhere):
             * only an object that still names this node leaves the page. */
            int still = lua_tointeger(L, -1) == (lua_Integer)d->id;
            lua_pop(L, 1);
            if (still && top) {
                lua_pushnil(L);
                raw_set(c, obj, c->k_parent, -1);
                lua_pop(L, 1);
            }
            if (still && d->hooks)
                list_append(c, &c->unmounted, obj);
        }
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    lua_rawseti(L, c->index, d->id);
    for (int i = 0; i < d->nslots; i++)
        for (int k = 0; k < d->slots[i].n; k++)
            if (d->slots[i].kids[k])
                unmount(c, d->slots[i].kids[k], 0);
}

static void emit_remove(dctx *c, uint32_t id)
{
    op_begin(c, PK_REMOVE);
    PB_KEY(&c->ops, PK_ID);
    pb_num(&c->ops, id);
    pb_raw(&c->ops, "}", 1);
}

/* An add or a move into slot `name` of parent, placed before the sibling `before` (NULL:
 * at the end), left open for the caller's last field. The client applies ops in order, so
 * `before` is always already in place. */
static void place_op(dctx *c, int move, const diff_node *parent, const char *name,
                     const diff_node *before)
{
    proto_buf *b = &c->ops;
    if (move)
        op_begin(c, PK_MOVE);
    else
        op_begin(c, PK_ADD);
    PB_KEY(b, PK_PARENT);
    pb_num(b, parent->id);
    PB_KEY(b, PK_SLOT);
    pb_str(b, name);
    PB_KEY(b, PK_BEFORE);
    if (before)
        pb_num(b, before->id);
    else
        pb_lit(b, "null");
}

static void push_pending(dctx *c, diff_node *d)
{
    if (c->npending == c->cappending) {
        int cap = c->cappending ? c->cappending * 2 : 16;
        diff_node **p = realloc(c->pending, sizeof *p * (size_t)cap);
        if (!p)
            luaL_error(c->L, "out of memory");
        c->pending = p;
        c->cappending = cap;
    }
    c->pending[c->npending++] = d;
}

static void diff_control(dctx *c, diff_node *o, int ci);

/* Looks the control at child up by its id. Returns 1 with *out set when it is on this page
 * and not yet placed by this diff; -1 when this diff placed it already (it appears twice, or
 * inside itself); 0 when it is not on this page. */
static int claim_by_id(dctx *c, int child, diff_node **out)
{
    lua_State *L = c->L;
    int r = 0;
    *out = NULL;
    lua_pushvalue(L, c->k_id);
    if (lua_rawget(L, child) == LUA_TNUMBER) {
        diff_node *cand = idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1));
        if (cand && cand->obj == lua_topointer(L, child)) {
            r = cand->gen == c->snap->gen ? -1 : 1;
            if (r > 0)
                *out = cand;
        }
    }
    lua_pop(L, 1);
    return r;
}

static void defer_move(dctx *c, diff_node *node, diff_node *parent, int slot_idx, int k)
{
    if (c->nmoves == c->capmoves) {
        int cap = c->capmoves ? c->capmoves * 2 : 16;
        deferred_move *p = realloc(c->moves, sizeof *p * (size_t)cap);
        if (!p)
            luaL_error(c->L, "out of memory");
        c->moves = p;
        c->capmoves = cap;
    }
    c->moves[c->nmoves++] = (deferred_move){node, parent, slot_idx, k};
}

/* Sends the moves deferred since `start`, last first, so that each `before` is already in
 * place, then compares each moved control. */
static void flush_moves(dctx *c, int start)
{
    lua_State *L = c->L;
    for (int i = c->nmoves - 1; i >= start; i--) {
        deferred_move e = c->moves[i];
        diff_slot *s = &e.parent->slots[e.slot_idx];
        place_op(c, 1, e.parent, s->name, e.k + 1 < s->n ? s->kids[e.k + 1] : NULL);
        PB_KEY(&c->ops, PK_ID);
        pb_num(&c->ops, e.node->id);
        pb_raw(&c->ops, "}", 1);
        c->nmoves = i; /* what the comparison defers is flushed by its own walk */
        lua_rawgeti(L, c->index, e.node->id);
        diff_control(c, e.node, lua_gettop(L));
        lua_pop(L, 1);
    }
    c->nmoves = start;
}

/* Whether the old child d still sits at entry i of the slot's list: the same object, not
 * yet placed elsewhere by this diff. Claims it if so. Only the index and the list are read,
 * never the child's own table. */
static int same_child(dctx *c, diff_node *d, int items, int vi, int i)
{
    lua_State *L = c->L;
    if (!d || d->gen == c->snap->gen)
        return 0;
    push_item(L, items, vi, i);
    int same = lua_topointer(L, -1) == d->obj;
    lua_pop(L, 1);
    if (same)
        d->gen = c->snap->gen;
    return same;
}

/* Open-addressing tables of old positions, scratch memory of one diff_children call: by the
 * address of a child's Lua table, and by key. */
typedef struct pos_map {
    const void **ptrs; /* by address; NULL is empty */
    int *pos;          /* old position + 1; 0 is empty */
    unsigned mask;
} pos_map;

static void pos_map_init(dctx *c, pos_map *m, int count, int by_ptr)
{
    unsigned cap = 8;
    while (cap < 2u * (unsigned)count)
        cap *= 2;
    m->mask = cap - 1;
    m->pos = scratch(c, sizeof *m->pos * cap);
    memset(m->pos, 0, sizeof *m->pos * cap);
    m->ptrs = by_ptr ? scratch(c, sizeof *m->ptrs * cap) : NULL;
}

static void ptr_put(pos_map *m, const void *p, int pos)
{
    unsigned j = ptr_hash(p) & m->mask;
    while (m->pos[j])
        j = (j + 1) & m->mask;
    m->ptrs[j] = p;
    m->pos[j] = pos + 1;
}

static int ptr_find(const pos_map *m, const void *p)
{
    for (unsigned j = ptr_hash(p) & m->mask; m->pos[j]; j = (j + 1) & m->mask)
        if (m->ptrs[j] == p)
            return m->pos[j] - 1;
    return -1;
}

static unsigned key_hash(const node_key *k)
{
    uint64_t h = 1469598103934665603u;
    if (k->kind == KEY_NUM) {
        uint64_t bits;
        memcpy(&bits, &k->num, sizeof bits);
        h = bits * 0x9E3779B97F4A7C15u;
    } else {
        for (size_t i = 0; i < k->len; i++)
            h = (h ^ (unsigned char)k->str[i]) * 1099511628211u;
    }
    return (unsigned)(h >> 32) ^ (unsigned)h;
}

static int key_is(const diff_node *d, const node_key *k)
{
    node_key dk = key_of(d);
    return key_equal(&dk, k);
}

/* key_put and key_find compare against the old children's own keys. */
static void key_put(pos_map *m, diff_node **kids, int pos)
{
    node_key k = key_of(kids[pos]);
    unsigned j = key_hash(&k) & m->mask;
    while (m->pos[j]) {
        if (key_is(kids[m->pos[j] - 1], &k))
            return; /* the first of two equal keys is the one found */
        j = (j + 1) & m->mask;
    }
    m->pos[j] = pos + 1;
}

static int key_find(const pos_map *m, diff_node **kids, const node_key *k)
{
    for (unsigned j = key_hash(k) & m->mask; m->pos[j]; j = (j + 1) & m->mask)
        if (key_is(kids[m->pos[j] - 1], k))
            return m->pos[j] - 1;
    return -1;
}

/* Brings one slot of node o in line with the slot value at vi.
 *
 * The children that kept their place at the start and at the end of the list are claimed by
 * comparing the list with the index, without reading their tables. Each child in between is
 * matched to a node: among the slot's old children by the address of its table, else by its
 * id anywhere in the tree (a move from another parent keeps the node, its id and the
 * browser's element), else by its key among the slot's old children. Of the children that
 * were already in this slot, those on a longest increasing run of old positions stay put;
 * every other child is moved or added before its next sibling, walking from the end.
 * Children that left are removed at the end of the diff unless another slot claimed them
 * meanwhile.
 *
 * Children that stayed in this slot are compared only when `all` is set; otherwise the
 * caller visits the marked ones through the parent's list of marked children. New children,
 * children moved in from elsewhere and new objects taking over a key are compared here. */
static void diff_children(dctx *c, diff_node *o, int pi, const char *name, int vi, int all)
{
    lua_State *L = c->L;
    uint32_t gen = c->snap->gen;
    int slot_idx = find_slot(o, name_of(c, name));
    diff_slot *s = &o->slots[slot_idx];
    name = s->name;
    int old_n = s->n, n;
    int items = slot_items(c, vi, &n);
    lua_pushnil(L); /* the new children, by position in the middle, once there are any */
    int fresh = lua_gettop(L);

    int p = 0, q = 0;
    while (p < n && p < old_n && same_child(c, s->kids[p], items, vi, p + 1))
        p++;
    while (q < n - p && q < old_n - p && same_child(c, s->kids[old_n - 1 - q], items, vi, n - q))
        q++;
    int mid = n - p - q, old_hi = old_n - q, mid_old = old_hi - p;

    int nscratch = c->nbufs;
    diff_node **src = scratch(c, sizeof *src * (size_t)(mid + 1));
    int *from = scratch(c, sizeof *from * (size_t)(3 * mid + 1));
    int *work = from + mid;
    char *keep = scratch(c, 2 * (size_t)mid + (size_t)mid_old + 3);
    char *visit = keep + mid + 1;
    char *taken = visit + mid + 1; /* by old position - p */
    memset(taken, 0, (size_t)mid_old + 1);
    pos_map by_ptr = {0}, by_key = {0};
    if (mid && mid_old) {
        pos_map_init(c, &by_ptr, mid_old, 1);
        for (int j = p; j < old_hi; j++) {
            if (s->kids[j] && s->kids[j]->gen != gen)
                ptr_put(&by_ptr, s->kids[j]->obj, j);
        }
    }

    int m = 0;
    for (int i = p + 1; i <= n - q; i++) {
        push_item(L, items, vi, i);
        int child = lua_gettop(L);
        const class_info *info = class_of(c, child);
        if (!info || !info->type) {
            lua_pop(L, 1);
            continue;
        }
        diff_node *nd = NULL;
        int j = mid_old ? ptr_find(&by_ptr, lua_topointer(L, child)) : -1, keyed = 0;
        if (j >= 0) {
            nd = s->kids[j];
            if (taken[j - p] || nd->gen == gen) {
                note_duplicate(c);
                lua_pop(L, 1);
                continue;
            }
        } else {
            if (claim_by_id(c, child, &nd) < 0) {
                note_duplicate(c);
                lua_pop(L, 1);
                continue;
            }
            /* A key lets a new object stand in for an old one of the slot, except for
             * controls with lifecycle hooks, whose objects must each mount and unmount. */
            if (!nd && mid_old && !info->has_hooks) {
                node_key k;
                read_key(c, push_fields(c, child), &k);
                if (k.kind != KEY_NONE) {
                    if (!by_key.pos) {
                        pos_map_init(c, &by_key, mid_old, 0);
                        for (int x = p; x < old_hi; x++)
                            if (s->kids[x] && s->kids[x]->key_kind != KEY_NONE)
                                key_put(&by_key, s->kids, x);
                    }
                    int at = key_find(&by_key, s->kids, &k);
                    diff_node *cand = at >= 0 ? s->kids[at] : NULL;
                    if (cand && !taken[at - p] && cand->gen != gen && cand->type == info->type) {
                        nd = cand;
                        j = at;
                        keyed = 1;
                    }
                }
                lua_settop(L, child);
            }
            if (!nd && !stamp(c, child)) {
                note_duplicate(c);
                lua_pop(L, 1);
                continue;
            }
        }
        from[m] = j;
        visit[m] = keyed;
        src[m] = nd;
        if (nd) {
            nd->gen = gen;
            if (j >= 0)
                taken[j - p] = 1;
        }
        if (keyed) {
            /* A new Lua object with an old key is the same control: it takes over the id,
             * and it is compared whole. */
            nd->hooks = 0;
            lua_pushvalue(L, c->k_m);
            lua_pushinteger(L, marks(c, child) | MARK_DIRTY);
            lua_rawset(L, child);
            lua_pushinteger(L, nd->id);
            raw_set(c, child, c->k_id, -1);
            lua_pop(L, 1);
            lua_pushvalue(L, child);
            lua_rawseti(L, c->index, nd->id);
            nd->obj = lua_topointer(L, child);
        } else if (!nd) {
            /* Kept until it is built: the app's list may change under build(). */
            if (lua_isnil(L, fresh)) {
                lua_createtable(L, mid, 0);
                lua_replace(L, fresh);
            }
            lua_pushvalue(L, child);
            lua_rawseti(L, fresh, m + 1);
        }
        m++;
        lua_settop(L, child - 1);
    }
    int new_n = p + m + q;

    /* A slot emptied whole is cleaned with one op at the end rather than a remove per child;
     * its children are marked by slot_idx -1. */
    int cleaning = new_n == 0 && old_n > 0;
    if (cleaning) {
        if (c->ncleared == c->capcleared) {
            int cap = c->capcleared ? c->capcleared * 2 : 8;
            diff_node **pp = realloc(c->cleared, sizeof *pp * (size_t)cap);
            if (pp)
                c->cleared = pp;
            const char **qq = realloc(c->cleared_slot, sizeof *qq * (size_t)cap);
            if (qq)
                c->cleared_slot = qq;
            if (!pp || !qq)
                luaL_error(L, "out of memory");
            c->capcleared = cap;
        }
        c->cleared[c->ncleared] = o;
        c->cleared_slot[c->ncleared++] = name;
    }
    for (int j = p; j < old_hi; j++) {
        diff_node *d = s->kids[j];
        if (d && !taken[j - p] && d->gen != gen) {
            d->parent = NULL;
            if (cleaning)
                d->slot_idx = -1;
            push_pending(c, d);
        }
    }

    lis_mark(from, m, keep, work);

    diff_node **kids = malloc(sizeof *kids * (size_t)(new_n ? new_n : 1));
    if (!kids)
        luaL_error(L, "out of memory");
    /* An error from here until the slot takes `kids` leaks that array, nothing more: the
     * old children are still where the snapshot has them. */
    if (p)
        memcpy(kids, s->kids, sizeof *kids * (size_t)p);
    if (q)
        memcpy(kids + p + m, s->kids + old_hi, sizeof *kids * (size_t)q);
    for (int k = m - 1; k >= 0; k--) {
        diff_node *before = p + k + 1 < new_n ? kids[p + k + 1] : NULL;
        diff_node *nd = src[k];
        if (nd) {
            kids[p + k] = nd;
            if (!keep[k]) {
                if (from[k] < 0)
                    detach(nd); /* from another slot, which must not keep it */
                place_op(c, 1, o, name, before);
                PB_KEY(&c->ops, PK_ID);
                pb_num(&c->ops, nd->id);
                pb_raw(&c->ops, "}", 1);
            }
            if (from[k] < 0 || visit[k] || all) {
                lua_rawgeti(L, c->index, nd->id);
                int child = lua_gettop(L);
                raw_set(c, child, c->k_parent, pi);
                diff_control(c, nd, child);
                lua_settop(L, child - 1);
            }
        } else {
            lua_rawgeti(L, fresh, k + 1);
            int child = lua_gettop(L);
            unstamp(c, child);
            place_op(c, 0, o, name, before);
            PB_KEY(&c->ops, PK_NODE);
            int start = c->nmoves;
            build_node(c, child, pi, class_of(c, child), &kids[p + k]);
            pb_raw(&c->ops, "}", 1);
            if (c->nmoves > start) {
                /* The new child's parent link must be in place before its moves are sent. */
                kids[p + k]->parent = o;
                kids[p + k]->slot_idx = slot_idx;
                kids[p + k]->pos = p + k;
                flush_moves(c, start);
            }
            lua_settop(L, child - 1);
        }
    }
    for (int k = 0; all && k < new_n; k++) {
        if (k == p)
            k += m; /* the middle was compared above */
        if (k >= new_n)
            break;
        lua_rawgeti(L, c->index, kids[k]->id);
        int child = lua_gettop(L);
        raw_set(c, child, c->k_parent, pi);
        diff_control(c, kids[k], child);
        lua_settop(L, child - 1);
    }
    s = &o->slots[slot_idx];
    free(s->kids);
    s->kids = kids;
    s->n = new_n;
    /* The children at the start kept their places; those after the middle shift with it. */
    int last = p + m == old_hi ? p + m : new_n;
    for (int k = p; k < last; k++) {
        kids[k]->parent = o;
        kids[k]->slot_idx = slot_idx;
        kids[k]->pos = k;
    }
    scratch_release(c, c->nbufs - nscratch);
    lua_settop(L, vi);
}

static void diff_control(dctx *c, diff_node *o, int ci);

/* Pushes the name of the i-th entry (from 1) of a class's _slots list and the value the
 * control's fields (at fi) hold there. Returns the name, or NULL with nothing pushed for an
 * entry that is not a string. */
static const char *push_slot(lua_State *L, int slots, lua_Unsigned i, int fi)
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

/* The node of the control at child when it is a child of o in the snapshot, or NULL. */
static diff_node *kid_of(dctx *c, diff_node *o, int child)
{
    lua_State *L = c->L;
    diff_node *kid = NULL;
    if (lua_type(L, child) != LUA_TTABLE)
        return NULL;
    lua_pushvalue(L, c->k_id);
    if (lua_rawget(L, child) == LUA_TNUMBER) {
        kid = idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1));
        if (kid && (kid->parent != o || kid->obj != lua_topointer(L, child)))
            kid = NULL;
    }
    lua_pop(L, 1);
    return kid;
}

/* After o's slots were brought in line: compares the children its _dk list (at dk) names
 * that are still its children. */
static void diff_dk(dctx *c, diff_node *o, int dk)
{
    lua_State *L = c->L;
    if (!dk)
        return;
    lua_Unsigned n = lua_rawlen(L, dk);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, dk, (lua_Integer)i);
        int child = lua_gettop(L);
        diff_node *kid = kid_of(c, o, child);
        if (kid)
            diff_control(c, kid, child);
        lua_settop(L, child - 1);
    }
}

/* The control did not change, but some descendants did: visit the children its _dk list
 * (at dk) names, each checked to be still its child and this very object. The lists did not
 * change through the accessors, or the control would be marked itself, so positions are
 * taken as the snapshot has them (changes behind the accessors' back are for the control's
 * own update(), which marks it). Returns 0, having visited nothing, when there is no list or
 * an entry does not match; the caller then reads the slots. */
static int diff_listed_kids(dctx *c, diff_node *o, int dk)
{
    lua_State *L = c->L;
    if (!dk)
        return 0;
    int n = (int)lua_rawlen(L, dk);
    int nscratch = c->nbufs;
    diff_node *few[8]; /* most lists name a child or two */
    diff_node **kids = n <= 8 ? few : scratch(c, sizeof *kids * (size_t)n);
    /* Check everything first: a mismatch found half-way could not be undone. */
    int ok = 1;
    for (int i = 1; i <= n && ok; i++) {
        lua_rawgeti(L, dk, i);
        kids[i - 1] = kid_of(c, o, lua_gettop(L));
        ok = kids[i - 1] != NULL;
        lua_pop(L, 1);
    }
    for (int i = 1; ok && i <= n; i++) {
        lua_rawgeti(L, dk, i);
        diff_control(c, kids[i - 1], lua_gettop(L));
        lua_pop(L, 1);
    }
    scratch_release(c, c->nbufs - nscratch);
    return ok;
}

/* The control at ci did not change, but some of its descendants did: visit only the
 * children that are marked. A child that is not where the snapshot has it (changed behind
 * the accessors' back) makes the whole slot compared. */
static void diff_marked_kids(dctx *c, diff_node *o, int ci, int fi, int slots)
{
    lua_State *L = c->L;
    lua_Unsigned ns = slots ? lua_rawlen(L, slots) : 0;
    for (lua_Unsigned i = 1; i <= ns; i++) {
        const char *name = push_slot(L, slots, i, fi);
        if (!name)
            continue;
        int vi = lua_gettop(L);
        int items = vi;
        if (lua_type(L, vi) == LUA_TTABLE && !is_control(c, vi)) {
            lua_pushvalue(L, c->k_items);
            if (lua_rawget(L, vi) == LUA_TTABLE)
                items = lua_gettop(L);
            else
                lua_pop(L, 1);
        }
        int single = is_control(c, vi);
        int slot_idx = find_slot(o, name_of(c, name));
        lua_Unsigned n = single ? 1 : (lua_type(L, items) == LUA_TTABLE ? lua_rawlen(L, items) : 0);
        for (lua_Unsigned k = 1; k <= n; k++) {
            if (single)
                lua_pushvalue(L, vi);
            else
                lua_rawgeti(L, items, (lua_Integer)k);
            int child = lua_gettop(L);
            if (lua_type(L, child) == LUA_TTABLE && marks(c, child)) {
                lua_pushvalue(L, c->k_id);
                lua_rawget(L, child);
                diff_node *kid = lua_isinteger(L, -1)
                                     ? idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1))
                                     : NULL;
                lua_pop(L, 1);
                if (!kid || kid->parent != o || kid->slot_idx != slot_idx ||
                    kid->pos != (int)k - 1) {
                    lua_settop(L, vi);
                    diff_children(c, o, ci, name, vi, 1);
                    break;
                }
                diff_control(c, kid, child);
            }
            lua_settop(L, child - 1);
        }
        lua_settop(L, vi - 2);
    }
}

static void set_begin(dctx *c, const diff_node *o)
{
    op_begin(c, PK_SET);
    PB_KEY(&c->ops, PK_ID);
    pb_num(&c->ops, o->id);
    PB_KEY(&c->ops, PK_PROPS);
    pb_raw(&c->ops, "{", 1);
}

/* Compares the control at ci with its snapshot node o and emits what changed. A control
 * with no mark is skipped at once, whatever its size. */
static void diff_control(dctx *c, diff_node *o, int ci)
{
    lua_State *L = c->L;
    int m = marks(c, ci), dirty = m & MARK_DIRTY;
    if (!m)
        return;
    const class_info *info = dirty ? class_of(c, ci) : NULL;
    if (dirty)
        before_update(c, ci, info);
    lua_pushvalue(L, c->k_dk); /* the children marked since the last visit */
    int dk = lua_rawget(L, ci) == LUA_TTABLE ? lua_gettop(L) : 0;
    clear_marks(c, ci, dk);
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    if (!dirty && diff_listed_kids(c, o, dk)) {
        lua_pop(L, 1);
        c->depth--;
        return;
    }
    int slots, allow;
    push_class_info(c, ci, info ? info : class_of(c, ci), &slots, &allow);
    int fi = push_fields(c, ci);
    if (!dirty) {
        diff_marked_kids(c, o, ci, fi, slots);
        lua_pop(L, 4);
        c->depth--;
        return;
    }

    int n;
    node_key key;
    diff_prop *props = read_props(c, fi, slots, allow, &n, &key);
    /* The set op is written when the first changed prop shows up. */
    int changed = 0;
    char seen_local[32];
    char *seen = o->nprops < 32 ? seen_local : xmalloc((size_t)o->nprops);
    memset(seen, 0, (size_t)o->nprops);
    for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < o->nprops && o->props[j].key != props[i].key)
            j++;
        if (j < o->nprops) {
            seen[j] = 1;
            if (prop_equal(&o->props[j], &props[i]))
                continue;
        }
        if (!changed++)
            set_begin(c, o);
        put_prop(&c->ops, &props[i], changed == 1);
    }
    for (int j = 0; j < o->nprops; j++) {
        if (seen[j])
            continue;
        if (!changed++)
            set_begin(c, o);
        pb_key(&c->ops, o->props[j].key, changed == 1);
        pb_lit(&c->ops, "null");
    }
    if (seen != seen_local)
        free(seen);
    free(o->props);
    o->props = props;
    o->nprops = n;
    set_key(o, &key); /* it may have changed with the other fields */
    if (changed)
        pb_raw(&c->ops, "}}", 2);

    if (slots) {
        lua_Unsigned ns = lua_rawlen(L, slots);
        for (lua_Unsigned i = 1; i <= ns; i++) {
            const char *name = push_slot(L, slots, i, fi);
            if (!name)
                continue;
            diff_children(c, o, ci, name, lua_gettop(L), 0);
            lua_pop(L, 2);
        }
    }
    diff_dk(c, o, dk);
    lua_pop(L, 4);
    c->depth--;
}

/* Gives a new control (and its subtree) ids, records it in the index, and returns its node
 * as JSON and as a snapshot node. The slots' lists are read as they are, not copied: a
 * build() below that changes one marks this control again, for the next update. */
static void build_node(dctx *c, int ci, int pi, const class_info *info, diff_node **out)
{
    lua_State *L = c->L;
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    raw_set(c, ci, c->k_parent, pi); /* build() may already look for self.page */
    build_once(c, ci, info);
    before_update(c, ci, info);
    /* Its _dk is left: a control never sent has none, and one that comes back holds a
     * stale list at worst, which the diff checks entry by entry. */
    clear_marks(c, ci, 0);
    uint32_t id = ++c->snap->next_id;
    lua_pushinteger(L, id);
    raw_set(c, ci, c->k_id, -1);
    lua_pop(L, 1);
    lua_pushvalue(L, ci);
    lua_rawseti(L, c->index, id);
    if (info->has_hooks && !c->resync)
        list_append(c, &c->mounted, ci);

    diff_node *d = new_node(id, info->type);
    d->gen = c->snap->gen;
    d->obj = lua_topointer(L, ci);
    d->hooks = info->has_hooks;
    if (idmap_put(&c->snap->map, d) < 0) {
        free_node(NULL, d);
        luaL_error(L, "out of memory");
    }
    int slots, allow;
    push_class_info(c, ci, info, &slots, &allow);
    int fi = push_fields(c, ci);
    node_key key;
    d->props = read_props(c, fi, slots, allow, &d->nprops, &key);
    set_key(d, &key);

    proto_buf *b = &c->ops;
    pb_lit(b, "{\"" PK_ID "\":");
    pb_num(b, id);
    PB_KEY(b, PK_TYPE);
    pb_str(b, d->type);
    PB_KEY(b, PK_PROPS);
    pb_raw(b, "{", 1);
    for (int i = 0; i < d->nprops; i++)
        put_prop(b, &d->props[i], i == 0);
    pb_raw(b, "}", 1);
    PB_KEY(b, PK_SLOTS);
    pb_raw(b, "{", 1);
    int nslots = 0;
    lua_Unsigned ns = slots ? lua_rawlen(L, slots) : 0;
    for (lua_Unsigned i = 1; i <= ns; i++) {
        const char *name = push_slot(L, slots, i, fi);
        if (!name)
            continue;
        int vi = lua_gettop(L), m;
        int items = slot_items(c, vi, &m);
        int slot_idx = find_slot(d, name_of(c, name));
        diff_slot *s = &d->slots[slot_idx];
        name = s->name;
        s->kids = malloc(sizeof *s->kids * (size_t)(m ? m : 1));
        if (!s->kids)
            abort();
        /* A slot is written even if all its children move in: an empty list. */
        if (m) {
            pb_key(b, name, nslots++ == 0);
            pb_raw(b, "[", 1);
        }
        int written = 0;
        for (int k = 1; k <= m; k++) {
            push_item(L, items, vi, k);
            int child = lua_gettop(L);
            const class_info *ki = class_of(c, child);
            diff_node *kid = NULL;
            if (!ki || !ki->type) {
                lua_pop(L, 1);
                continue;
            }
            if (claim_by_id(c, child, &kid) < 0 || (!kid && stamped(c, child))) {
                note_duplicate(c);
                lua_pop(L, 1);
                continue;
            }
            if (kid) {
                /* Already on the page: it keeps its node and element, and moves here once
                 * this container exists. */
                kid->gen = c->snap->gen;
                if (kid->parent)
                    detach(kid);
                raw_set(c, child, c->k_parent, ci);
                defer_move(c, kid, d, slot_idx, s->n);
            } else {
                if (written++)
                    pb_raw(b, ",", 1);
                build_node(c, child, ci, ki, &kid);
            }
            lua_pop(L, 1);
            s = &d->slots[slot_idx];
            kid->parent = d;
            kid->slot_idx = slot_idx;
            kid->pos = s->n;
            s->kids[s->n++] = kid;
        }
        if (m)
            pb_raw(b, "]", 1);
        lua_settop(L, vi - 2); /* name value items */
    }
    pb_raw(b, "}}", 2);
    lua_pop(L, 3);
    c->depth--;
    *out = d;
}

/* The snapshot as JSON, for the init message. */
static void node_json(proto_buf *b, const diff_node *d)
{
    pb_lit(b, "{\"" PK_ID "\":");
    pb_num(b, d->id);
    PB_KEY(b, PK_TYPE);
    pb_str(b, d->type);
    PB_KEY(b, PK_PROPS);
    pb_raw(b, "{", 1);
    for (int i = 0; i < d->nprops; i++)
        put_prop(b, &d->props[i], i == 0);
    pb_raw(b, "}", 1);
    PB_KEY(b, PK_SLOTS);
    pb_raw(b, "{", 1);
    int first = 1;
    for (int i = 0; i < d->nslots; i++) {
        const diff_slot *s = &d->slots[i];
        int any = 0;
        for (int k = 0; k < s->n && !any; k++)
            any = s->kids[k] != NULL;
        if (!any)
            continue;
        pb_key(b, s->name, first);
        first = 0;
        pb_raw(b, "[", 1);
        int sep = 0;
        for (int k = 0; k < s->n; k++) {
            if (!s->kids[k])
                continue;
            if (sep++)
                pb_raw(b, ",", 1);
            node_json(b, s->kids[k]);
        }
        pb_raw(b, "]", 1);
    }
    pb_raw(b, "}}", 2);
}

/* {"t":"init","seq":seq[,"session":token],"tree":...} */
static void init_json(proto_buf *b, const diff_snapshot *snap, lua_Integer seq,
                      const char *token)
{
    pb_lit(b, "{\"" PK_T "\":\"" PK_INIT "\"");
    PB_KEY(b, PK_SEQ);
    pb_num(b, (double)seq);
    if (token) {
        PB_KEY(b, PK_SESSION);
        pb_str(b, token);
    }
    PB_KEY(b, PK_TREE);
    node_json(b, snap->root);
    pb_raw(b, "}", 1);
}

/* ------------------------------------------------------------------- Lua */

static diff_snapshot *check_snap(lua_State *L)
{
    return luaL_checkudata(L, 1, SNAPSHOT_MT);
}

/* core.snapshot() -> a snapshot holding only the empty page   [-0, +1, m] */
static int l_snapshot(lua_State *L)
{
    diff_snapshot *s = lua_newuserdatauv(L, sizeof *s, 0);
    s->root = new_node(0, xintern("page"));
    s->next_id = 0;
    s->gen = 0;
    s->busy = 0;
    s->resync = 0;
    s->seq = 0;
    memset(&s->map, 0, sizeof s->map);
    luaL_setmetatable(L, SNAPSHOT_MT);
    return 1;
}

/* The walk itself, run protected by l_diff. Its stack: 1 the diff's state, 2 page, 3 index,
 * 4 mounted, 5 unmounted, 6 unused, 7 the control to start from (or nil for the page).
 * Returns mounted and unmounted. */
static int diff_body(lua_State *L)
{
    dctx *c = lua_touserdata(L, 1);
    lua_settop(L, 4);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_rotate(L, 4, -1); /* the start control goes last */
    if (lua_getfield(L, LUA_REGISTRYINDEX, "luaflet.names") != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, "luaflet.names");
    }
    c->names = lua_gettop(L); /* 8 */
    static const char *const keys[] = {"_m",     "_p",  "_id",    "_parent",
                                       "_items", "key", "_built", "_dk"};
    int *slots[] = {&c->k_m,     &c->k_p,   &c->k_id, &c->k_parent, &c->k_items,
                    &c->k_key,   &c->k_built, &c->k_dk};
    for (int i = 0; i < 8; i++) {
        lua_pushstring(L, keys[i]);
        *slots[i] = lua_gettop(L);
    }
    lua_newtable(L);
    c->class_tables = lua_gettop(L);
    c->L = L;
    c->index = 3;
    /* The start control cannot sit inside itself: the page is stamped, a control's node
     * claimed. */
    stamp(c, c->sub ? 7 : 2);
    c->snap->gen++;
    if (c->sub)
        c->sub->gen = c->snap->gen;
    if (c->sub)
        diff_control(c, c->sub, 7);
    else
        diff_control(c, c->snap->root, 2);
    /* Emptied slots are cleaned after every move, so what moved out of them is safe. */
    for (int i = 0; i < c->ncleared; i++) {
        op_begin(c, PK_CLEAN);
        PB_KEY(&c->ops, PK_ID);
        pb_num(&c->ops, c->cleared[i]->id);
        PB_KEY(&c->ops, PK_SLOT);
        pb_str(&c->ops, c->cleared_slot[i]);
        pb_raw(&c->ops, "}", 1);
    }
    c->ncleared = 0;
    /* What left its place and found no other: removed, with its whole subtree. */
    for (int i = 0; i < c->npending; i++) {
        diff_node *d = c->pending[i];
        if (d->gen == c->snap->gen)
            continue;
        if (d->slot_idx >= 0)
            emit_remove(c, d->id);
        unmount(c, d, 1);
        free_node(c->snap, d);
        c->pending[i] = NULL;
    }
    c->npending = 0;
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 5);
    return 2;
}

/* Returns a diff's patch buffer: to `kept` for the next diff when it came from there (and is
 * not too large to hold on to), else freed. */
static void give_back(proto_buf *b, int own, proto_buf *kept, int *kept_busy)
{
    if (!own) {
        pb_free(b);
        return;
    }
    if (b->failed || b->cap > ((size_t)1 << 20))
        pb_free(b);
    b->len = 0;
    b->failed = 0;
    *kept = *b;
    *kept_busy = 0;
}

/* snap:diff(page, index [, control]) -> patch text or nil, added controls or nil, removed
 * controls or nil, an error found on the way (a failed build(), a duplicate control) or nil,
 * and whether the text is an init (the whole page, sent after an earlier diff failed)
 *   [-0, +5, e]
 * Each message made is numbered (its "seq") one past the last.
 * Updates the snapshot to the page's current tree (only control's subtree when given and on
 * the page) and index to its controls by id. */
static int l_diff(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (snap->busy)
        return luaL_error(L, "the page cannot be updated while it is being updated "
                             "(from build() or a metamethod)");
    lua_settop(L, 4);
    /* A control's own update compares its subtree only, if it is this page's. */
    diff_node *sub = NULL;
    if (lua_type(L, 4) == LUA_TTABLE && !lua_rawequal(L, 2, 4)) {
        lua_pushliteral(L, "_id");
        if (lua_rawget(L, 4) == LUA_TNUMBER) {
            diff_node *n = idmap_get(&snap->map, (uint32_t)lua_tointeger(L, -1));
            if (n && lua_rawgeti(L, 3, n->id) != LUA_TNIL && lua_rawequal(L, -1, 4))
                sub = n;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (!sub) {
        lua_pushnil(L);
        lua_replace(L, 4);
    }
    if (snap->resync) {
        /* After a failed diff the browser's tree is unknown: build everything anew (new
         * ids) and send it whole in an init message. */
        sub = NULL;
        lua_pushnil(L);
        lua_replace(L, 4);
        lua_pushnil(L);
        while (lua_next(L, 3)) {
            lua_pop(L, 1);
            if (!(lua_isinteger(L, -1) && lua_tointeger(L, -1) == 0)) {
                lua_pushvalue(L, -1);
                lua_pushnil(L);
                lua_rawset(L, 3);
            }
        }
        lua_pushliteral(L, "_m");
        lua_pushinteger(L, MARK_DIRTY);
        lua_rawset(L, 2);
    }
    int start = sub ? 4 : 2;
    /* Nothing marked where the diff starts: nothing to compare, whatever the size. */
    if (!marks_of(L, start)) {
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        return 4;
    }
    dctx c = {.snap = snap, .sub = sub, .resync = snap->resync};
    /* The patch is written into a buffer kept from one diff to the next, so that a large
     * patch does not grow a new one each time. A diff started while another runs (a build()
     * updating another page) has its own. */
    static proto_buf kept;
    static int kept_busy;
    int own_buf = !kept_busy;
    if (own_buf) {
        kept_busy = 1;
        c.ops = kept;
    }
    pb_lit(&c.ops, "{\"" PK_T "\":\"" PK_PATCH "\",\"" PK_SEQ "\":");
    pb_num(&c.ops, (double)(snap->seq + 1));
    pb_lit(&c.ops, ",\"" PK_OPS "\":[");
    /* Protected, so that an error (a metamethod, too deep a tree) cannot leave the snapshot
     * marked busy or the patch leaked. */
    snap->busy = 1;
    lua_pushcfunction(L, core_traceback); /* 5 */
    lua_pushcfunction(L, diff_body);
    lua_pushlightuserdata(L, &c);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, 3);
    lua_pushvalue(L, 4);
    int rc = lua_pcall(L, 4, 2, 5); /* 6 mounted, 7 unmounted */
    snap->busy = 0;
    c.L = L;
    scratch_release(&c, c.nbufs);
    free(c.bufs);
    free(c.moves);
    for (int i = 0; i < c.nclasses; i++)
        free(c.classes[i]);
    free(c.classes);
    free(c.pending);
    free(c.cleared);
    free(c.cleared_slot);
    free(c.met);
    if (rc != LUA_OK) {
        /* The snapshot may now be ahead of the browser: it is dropped, and the next diff
         * sends the whole page again. */
        give_back(&c.ops, own_buf, &kept, &kept_busy);
        free(c.error);
        free_node(NULL, snap->root);
        idmap_free(&snap->map);
        snap->root = new_node(0, xintern("page"));
        snap->resync = 1;
        return lua_error(L);
    }
    if (c.resync) {
        snap->resync = 0;
        c.ops.len = 0;
        c.nops = 1;
        init_json(&c.ops, snap, snap->seq + 1, NULL);
        lua_pushnil(L);
        lua_replace(L, 6);
        lua_pushnil(L);
        lua_replace(L, 7);
    } else {
        pb_raw(&c.ops, "]}", 2);
    }
    if (c.ops.failed) {
        give_back(&c.ops, own_buf, &kept, &kept_busy);
        free(c.error);
        return luaL_error(L, "out of memory");
    }
    if (c.nops > 0) {
        lua_pushlstring(L, c.ops.p, c.ops.len);
        snap->seq++;
    } else {
        lua_pushnil(L);
    }
    give_back(&c.ops, own_buf, &kept, &kept_busy);
    lua_insert(L, 6); /* patch mounted unmounted */
    if (c.error) {
        lua_pushstring(L, c.error);
        free(c.error);
    } else {
        lua_pushnil(L);
    }
    lua_pushboolean(L, c.resync && c.nops > 0);
    return 5;
}

/* snap:init_message([token]) -> {"t":"init","seq":...,"tree":...} as text: the whole page,
 * numbered as the next message (what a client that has nothing, or has lost track, needs).
 *   [-0, +1, m] */
static int l_init_message(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    const char *token = luaL_optstring(L, 2, NULL);
    proto_buf b = {0};
    init_json(&b, snap, snap->seq + 1, token);
    if (b.failed) {
        pb_free(&b);
        return luaL_error(L, "out of memory");
    }
    lua_pushlstring(L, b.p, b.len);
    pb_free(&b);
    snap->seq++;
    return 1;
}

/* snap:resyncing() -> whether the snapshot was dropped after a failed diff: until the next
 * diff rebuilds it, it holds only the empty page   [-0, +1, -] */
static int l_resyncing(lua_State *L)
{
    lua_pushboolean(L, check_snap(L)->resync);
    return 1;
}

static size_t props_block_size(const diff_node *d)
{
    size_t n = sizeof *d->props * (size_t)d->nprops;
    for (int i = 0; i < d->nprops; i++)
        n += has_text(&d->props[i]) ? strlen(d->props[i].str) + 1 : 0;
    return n + (d->key_kind == KEY_STR ? d->key_len : 0);
}

/* Makes prop i of d the string `text`, in a new props block. */
static void replace_text(diff_node *d, int i, const char *text)
{
    size_t len = strlen(text) + 1;
    diff_prop *block = xmalloc(props_block_size(d) + len);
    char *t = (char *)(block + d->nprops);
    for (int k = 0; k < d->nprops; k++) {
        block[k] = d->props[k];
        const char *str = k == i ? text : has_text(&d->props[k]) ? d->props[k].str : NULL;
        if (k == i)
            block[k].kind = PV_STR;
        if (!str)
            continue;
        size_t n = strlen(str) + 1;
        block[k].str = memcpy(t, str, n);
        t += n;
    }
    if (d->key_kind == KEY_STR)
        d->key_str = memcpy(t, d->key_str, d->key_len);
    free(d->props);
    d->props = block;
}

/* snap:set_prop(id, key, text): records that the browser already shows `text` as the
 * control's prop `key` (what a text field reports as it is edited), so the diff compares
 * the app's next value with it.   [-0, +0, e] */
static int l_set_prop(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    lua_Integer id = luaL_checkinteger(L, 2);
    const char *key = luaL_checkstring(L, 3);
    const char *text = luaL_checkstring(L, 4);
    diff_node *d = id == 0 ? snap->root : idmap_get(&snap->map, (uint32_t)id);
    if (!d)
        return 0;
    for (int i = 0; i < d->nprops; i++) {
        if (strcmp(d->props[i].key, key) == 0) {
            replace_text(d, i, text);
            break;
        }
    }
    return 0;
}

/* snap:seq() -> the number of the last message made   [-0, +1, -] */
static int l_seq(lua_State *L)
{
    lua_pushinteger(L, check_snap(L)->seq);
    return 1;
}

static size_t node_bytes(const diff_node *d)
{
    size_t n = sizeof *d + props_block_size(d) + sizeof *d->slots * (size_t)d->nslots;
    for (int i = 0; i < d->nslots; i++) {
        n += sizeof *d->slots[i].kids * (size_t)d->slots[i].n;
        for (int k = 0; k < d->slots[i].n; k++)
            if (d->slots[i].kids[k])
                n += node_bytes(d->slots[i].kids[k]);
    }
    return n;
}

/* snap:stats() -> bytes the snapshot holds (without malloc's own overhead), and its number of
 * controls   [-0, +2, -] */
static int l_stats(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    lua_pushinteger(L, (lua_Integer)(node_bytes(snap->root) + idmap_bytes(&snap->map)));
    lua_pushinteger(L, (lua_Integer)snap->map.count + 1);
    return 2;
}

static int l_snapshot_gc(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    free_node(NULL, snap->root);
    snap->root = NULL;
    idmap_free(&snap->map);
    return 0;
}

void diff_register(lua_State *L)
{
    static const luaL_Reg methods[] = {
        {"diff", l_diff},   {"init_message", l_init_message}, {"stats", l_stats},
        {"set_prop", l_set_prop}, {"seq", l_seq}, {"resyncing", l_resyncing}, {NULL, NULL}};
    if (luaL_newmetatable(L, SNAPSHOT_MT)) {
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, l_snapshot_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_pop(L, 1);
    lua_pushcfunction(L, l_snapshot);
    lua_setfield(L, -2, "snapshot");
}
