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
    enum prop_kind kind;
    double num;  /* PV_BOOL (0 or 1) and PV_NUM */
    char *str;   /* PV_STR, and PV_JSON as encoded text */
} diff_prop;

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
    char *key;        /* the app's `key` prop, as text, or NULL */
    diff_node *parent;
    int slot_idx, pos; /* where in the parent it sits */
    diff_prop *props;
    int nprops;
    diff_slot *slots;
    int nslots;
};

/* The Lua userdata; owns the whole tree, freed by __gc. */
typedef struct diff_snapshot {
    diff_node *root;
    uint32_t next_id;
    uint32_t gen; /* counts the diffs */
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

static void free_props(diff_prop *p, int n)
{
    for (int i = 0; i < n; i++)
        free(p[i].str);
    free(p);
}

/* Frees a node and its subtree (entries that moved elsewhere are NULL and skipped). */
static void free_node(diff_snapshot *snap, diff_node *d)
{
    if (!d)
        return;
    if (snap)
        idmap_del(&snap->map, d->id);
    free_props(d->props, d->nprops);
    for (int i = 0; i < d->nslots; i++) {
        for (int k = 0; k < d->slots[i].n; k++)
            free_node(snap, d->slots[i].kids[k]);
        free(d->slots[i].kids);
    }
    free(d->slots);
    free(d->key);
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
    int k_m, k_p, k_id, k_parent, k_items, k_key, k_built, k_s, k_dk;
    lua_Integer stamp; /* this diff's mark on the controls it visits, unique per process */
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
static void clear_marks(dctx *c, int ci)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_m);
    lua_pushinteger(L, 0);
    lua_rawset(L, ci);
    lua_pushvalue(L, c->k_dk);
    lua_pushboolean(L, 0);
    lua_rawset(L, ci);
}

/* Whether the control's class has lifecycle hooks (did_mount and the like): only those go
 * into the lists of added and removed controls that Lua walks after the patch. */
static int has_hooks(dctx *c, int idx)
{
    const class_info *ci = class_of(c, idx);
    return ci && ci->has_hooks;
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

/* Reads the props of the control at ci: every public field that is not a slot, kept to the
 * class's _props list when it has one. Event handlers are sent as `on_x = true`. */
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

static diff_prop *read_props(dctx *c, int ci, int slots, int allow, int *count)
{
    lua_State *L = c->L;
    /* Most controls have a few props: they are gathered on the C stack and copied out once,
     * at their exact size. */
    diff_prop local[16];
    diff_prop *props = local, *heap = NULL;
    int n = 0, cap = 16;
    lua_pushnil(L);
    while (lua_next(L, ci)) {
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
        case LUA_TSTRING:
            p.kind = PV_STR;
            p.str = xstrdup(lua_tostring(L, -1));
            break;
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
        props[n++] = p;
    skip:
        lua_pop(L, 1);
    }
    *count = n;
    if (heap)
        return heap;
    diff_prop *exact = n ? xmalloc(sizeof *props * (size_t)n) : NULL;
    if (n)
        memcpy(exact, local, sizeof *props * (size_t)n);
    return exact;
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

/* Starts the next op of the patch: the comma between ops, then the op's kind. */
static void op_begin(dctx *c, const char *kind)
{
    if (c->nops++)
        pb_raw(&c->ops, ",", 1);
    pb_lit(&c->ops, "{\"" PK_OP "\":");
    pb_str(&c->ops, kind);
}

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

/* Marks the control at idx as visited by this diff (its _s field holds the diff's stamp);
 * returns 0 if it was already. */
static int stamp(dctx *c, int idx)
{
    lua_State *L = c->L;
    lua_pushvalue(L, c->k_s);
    lua_rawget(L, idx);
    int seen = lua_isinteger(L, -1) && lua_tointeger(L, -1) == c->stamp;
    lua_pop(L, 1);
    if (seen)
        return 0;
    lua_pushvalue(L, c->k_s);
    lua_pushinteger(L, c->stamp);
    lua_rawset(L, idx);
    return 1;
}

/* Pushes a list (a table) of the children in slot value vi, a single control or a list of
 * controls, and returns how many. Later passes read this copy, so a build() that changes the
 * app's lists cannot pull the ground from under the diff. A control already visited by this
 * diff (a duplicate, or a cycle) is left out and reported. */
static int collect_children(dctx *c, int vi)
{
    lua_State *L = c->L;
    lua_newtable(L);
    int list = lua_gettop(L), m = 0;
    if (is_control(c, vi)) {
        lua_pushvalue(L, vi);
    } else if (lua_type(L, vi) == LUA_TTABLE) {
        /* A ControlList keeps its controls in _items. */
        lua_pushvalue(L, c->k_items);
        if (lua_rawget(L, vi) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_pushvalue(L, vi);
        }
    } else {
        return 0;
    }
    int src = lua_gettop(L);
    int single = is_control(c, src);
    lua_Unsigned n = single ? 1 : lua_rawlen(L, src);
    for (lua_Unsigned i = 1; i <= n; i++) {
        if (single)
            lua_pushvalue(L, src);
        else
            lua_rawgeti(L, src, (lua_Integer)i);
        if (!is_control(c, lua_gettop(L))) {
            lua_pop(L, 1);
            continue;
        }
        if (!stamp(c, lua_gettop(L))) {
            lua_pop(L, 1);
            note_error(c, "a control appears more than once on the page (or inside itself); "
                          "only its first place is shown");
            continue;
        }
        lua_rawseti(L, list, ++m);
    }
    lua_pop(L, 1); /* src */
    return m;
}

static void build_node(dctx *c, int ci, int pi, diff_node **out);

static void unmount(dctx *c, diff_node *d)
{
    lua_State *L = c->L;
    if (lua_rawgeti(L, c->index, d->id) == LUA_TTABLE) {
        int obj = lua_gettop(L);
        lua_pushvalue(L, c->k_id);
        lua_rawget(L, obj);
        /* The object may live on under another node (it was built again elsewhere): only
         * an object that still names this node leaves the page. */
        int still = lua_tointeger(L, -1) == (lua_Integer)d->id;
        lua_pop(L, 1);
        if (still) {
            /* Off the page: control.page, found through _parent, is nil now. */
            lua_pushnil(L);
            raw_set(c, obj, c->k_parent, -1);
            lua_pop(L, 1);
            if (has_hooks(c, obj))
                list_append(c, &c->unmounted, obj);
        }
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_rawseti(L, c->index, d->id);
    for (int i = 0; i < d->nslots; i++)
        for (int k = 0; k < d->slots[i].n; k++)
            if (d->slots[i].kids[k])
                unmount(c, d->slots[i].kids[k]);
}

static void emit_remove(dctx *c, uint32_t id)
{
    op_begin(c, PK_REMOVE);
    pb_key(&c->ops, PK_ID, 0);
    pb_num(&c->ops, id);
    pb_raw(&c->ops, "}", 1);
}

/* An add or a move into slot `name` of parent, placed before the sibling `before` (NULL:
 * at the end), left open for the caller's last field. The client applies ops in order, so
 * `before` is always already in place. */
static void place_op(dctx *c, const char *kind, const diff_node *parent, const char *name,
                     const diff_node *before)
{
    proto_buf *b = &c->ops;
    op_begin(c, kind);
    pb_key(b, PK_PARENT, 0);
    pb_num(b, parent->id);
    pb_key(b, PK_SLOT, 0);
    pb_str(b, name);
    pb_key(b, PK_BEFORE, 0);
    if (before)
        pb_num(b, before->id);
    else
        pb_lit(b, "null");
}

/* The app's key for the control on top of the stack, as text ("s:..." or "n:..."), pushed;
 * or nothing pushed and 0 returned when it has none. */
static int push_key(dctx *c)
{
    lua_State *L = c->L;
    int fi = push_fields(c, lua_gettop(L));
    lua_pushvalue(L, c->k_key);
    int t = lua_rawget(L, fi);
    lua_remove(L, fi);
    if (t == LUA_TSTRING) {
        lua_pushfstring(L, "s:%s", lua_tostring(L, -1));
    } else if (t == LUA_TNUMBER) {
        /* 1 and 1.0 are the same key. */
        lua_Number v = lua_tonumber(L, -1);
        if (v == floor(v) && fabs(v) < 9e15)
            lua_pushfstring(L, "n:%I", (LUA_INTEGER)v);
        else
            lua_pushfstring(L, "n:%f", v);
    } else {
        lua_pop(L, 1);
        return 0;
    }
    lua_remove(L, -2);
    return 1;
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

/* The node of the control at child when it is already on this page and not yet placed by
 * this diff: its id is this session's and names this very object. */
static diff_node *claim_by_id(dctx *c, int child, const char *type)
{
    lua_State *L = c->L;
    diff_node *n = NULL;
    lua_pushvalue(L, c->k_id);
    if (lua_rawget(L, child) == LUA_TNUMBER) {
        diff_node *cand = idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1));
        if (cand && cand->gen != c->snap->gen && cand->type == type) {
            lua_rawgeti(L, c->index, cand->id);
            if (lua_rawequal(L, -1, child))
                n = cand;
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    return n;
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
        place_op(c, PK_MOVE, e.parent, s->name, e.k + 1 < s->n ? s->kids[e.k + 1] : NULL);
        pb_key(&c->ops, PK_ID, 0);
        pb_num(&c->ops, e.node->id);
        pb_raw(&c->ops, "}", 1);
        c->nmoves = i; /* what the comparison defers is flushed by its own walk */
        lua_rawgeti(L, c->index, e.node->id);
        diff_control(c, e.node, lua_gettop(L));
        lua_pop(L, 1);
    }
    c->nmoves = start;
}

/* Brings one slot of node o in line with the slot value at vi.
 *
 * Each new child is matched to a node: by its key among the slot's old children, else by
 * its id anywhere in the tree (a move from another parent keeps the node, its id and the
 * browser's element). Of the children that were already in this slot, those on a longest
 * increasing run of old positions stay put; every other child is moved or added before its
 * next sibling, walking from the end. Children that left are removed at the end of the diff
 * unless another slot claimed them meanwhile. */
static void diff_children(dctx *c, diff_node *o, int pi, const char *name, int vi)
{
    lua_State *L = c->L;
    int slot_idx = find_slot(o, name_of(c, name));
    diff_slot *s = &o->slots[slot_idx];
    name = s->name;
    int m = collect_children(c, vi);
    int list = lua_gettop(L);
    int old_n = s->n;

    diff_node **src = scratch(c, sizeof *src * (size_t)(m + 1));
    int *from = scratch(c, sizeof *from * (size_t)(3 * m + 1));
    int *work = from + m;
    char *keep = scratch(c, (size_t)m + (size_t)old_n + 2);
    char *taken = keep + m + 1;
    memset(taken, 0, (size_t)old_n + 1);

    /* The old children's keys, when any has one: key -> old position. */
    int keys = 0;
    for (int j = 0; j < old_n && !keys; j++)
        keys = s->kids[j] && s->kids[j]->key;
    if (keys) {
        lua_createtable(L, 0, old_n);
        for (int j = 0; j < old_n; j++) {
            if (s->kids[j] && s->kids[j]->key) {
                lua_pushinteger(L, j);
                lua_setfield(L, -2, s->kids[j]->key);
            }
        }
        keys = lua_gettop(L);
    }

    for (int k = 0; k < m; k++) {
        lua_rawgeti(L, list, k + 1);
        int child = lua_gettop(L);
        const class_info *info = class_of(c, child);
        const char *type = info->type;
        /* A control's own identity comes first. A key then lets a new object stand in for
         * an old one of the slot, except for controls with lifecycle hooks, whose objects
         * must each mount and unmount. */
        diff_node *n = claim_by_id(c, child, type);
        int by_key = 0;
        if (!n && keys && !info->has_hooks && push_key(c)) {
            if (lua_rawget(L, keys) == LUA_TNUMBER) {
                int j = (int)lua_tointeger(L, -1);
                diff_node *cand = s->kids[j];
                if (cand && !taken[j] && cand->gen != c->snap->gen && cand->type == type) {
                    n = cand;
                    by_key = 1;
                }
            }
            lua_pop(L, 1);
        }
        from[k] = -1;
        if (by_key) {
            /* A different object: it is compared whole. */
            lua_pushvalue(L, c->k_m);
            lua_pushinteger(L, marks(c, child) | MARK_DIRTY);
            lua_rawset(L, child);
        }
        if (n) {
            n->gen = c->snap->gen;
            if (n->parent == o && n->slot_idx == slot_idx && n->pos < old_n &&
                s->kids[n->pos] == n) {
                from[k] = n->pos;
                taken[n->pos] = 1;
            }
            /* A new Lua object with an old key is the same control: it takes over the id. */
            lua_pushinteger(L, n->id);
            raw_set(c, child, c->k_id, -1);
            lua_pop(L, 1);
            lua_pushvalue(L, child);
            lua_rawseti(L, c->index, n->id);
        }
        src[k] = n;
        lua_settop(L, child - 1);
    }

    /* A slot emptied whole is cleaned with one op at the end rather than a remove per child;
     * its children are marked by slot_idx -1. */
    int cleaning = m == 0 && old_n > 0;
    if (cleaning) {
        if (c->ncleared == c->capcleared) {
            int cap = c->capcleared ? c->capcleared * 2 : 8;
            diff_node **p = realloc(c->cleared, sizeof *p * (size_t)cap);
            if (p)
                c->cleared = p;
            const char **q = realloc(c->cleared_slot, sizeof *q * (size_t)cap);
            if (q)
                c->cleared_slot = q;
            if (!p || !q)
                luaL_error(L, "out of memory");
            c->capcleared = cap;
        }
        c->cleared[c->ncleared] = o;
        c->cleared_slot[c->ncleared++] = name;
    }
    for (int j = 0; j < old_n; j++) {
        diff_node *d = s->kids[j];
        if (d && !taken[j] && d->gen != c->snap->gen) {
            d->parent = NULL;
            if (cleaning)
                d->slot_idx = -1;
            push_pending(c, d);
        }
    }

    lis_mark(from, m, keep, work);

    diff_node **kids = malloc(sizeof *kids * (size_t)(m ? m : 1));
    if (!kids)
        luaL_error(L, "out of memory");
    /* An error from here until the slot takes `kids` leaks that array, nothing more: the
     * old children are still where the snapshot has them. */
    for (int k = m - 1; k >= 0; k--) {
        diff_node *before = k + 1 < m ? kids[k + 1] : NULL;
        lua_rawgeti(L, list, k + 1);
        int child = lua_gettop(L);
        raw_set(c, child, c->k_parent, pi);
        if (src[k]) {
            kids[k] = src[k];
            if (!keep[k]) {
                if (from[k] < 0)
                    detach(src[k]); /* from another slot, which must not keep it */
                place_op(c, PK_MOVE, o, name, before);
                pb_key(&c->ops, PK_ID, 0);
                pb_num(&c->ops, src[k]->id);
                pb_raw(&c->ops, "}", 1);
            }
            diff_control(c, src[k], child);
        } else {
            place_op(c, PK_ADD, o, name, before);
            pb_key(&c->ops, PK_NODE, 0);
            int start = c->nmoves;
            build_node(c, child, pi, &kids[k]);
            pb_raw(&c->ops, "}", 1);
            if (c->nmoves > start) {
                /* The new child's parent link must be in place before its moves are sent. */
                kids[k]->parent = o;
                kids[k]->slot_idx = slot_idx;
                kids[k]->pos = k;
                flush_moves(c, start);
            }
        }
        lua_settop(L, child - 1);
    }
    s = &o->slots[slot_idx];
    free(s->kids);
    s->kids = kids;
    s->n = m;
    for (int k = 0; k < m; k++) {
        kids[k]->parent = o;
        kids[k]->slot_idx = slot_idx;
        kids[k]->pos = k;
    }
    scratch_release(c, 3);
    lua_settop(L, list - 1);
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

/* The control did not change, but some descendants did: visit the children its _dk list
 * (at dk) names, each checked to be where the snapshot has it. Returns 0, having visited
 * nothing, when there is no list or it does not match; the caller then reads the slots. */
static int diff_listed_kids(dctx *c, diff_node *o, int fi, int dk)
{
    lua_State *L = c->L;
    if (lua_type(L, dk) != LUA_TTABLE)
        return 0;
    lua_Unsigned n = lua_rawlen(L, dk);
    /* Check everything first: a mismatch found half-way could not be undone. */
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, dk, (lua_Integer)i);
        int child = lua_gettop(L);
        int ok = 0;
        lua_pushvalue(L, c->k_id);
        if (lua_type(L, child) == LUA_TTABLE && lua_rawget(L, child) == LUA_TNUMBER) {
            diff_node *kid = idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1));
            if (kid && kid->parent == o) {
                lua_pushstring(L, o->slots[kid->slot_idx].name);
                lua_rawget(L, fi);
                int vi = lua_gettop(L);
                if (lua_rawequal(L, vi, child)) {
                    ok = kid->pos == 0;
                } else if (lua_type(L, vi) == LUA_TTABLE) {
                    lua_pushvalue(L, c->k_items);
                    int items = lua_rawget(L, vi) == LUA_TTABLE ? lua_gettop(L) : vi;
                    lua_rawgeti(L, items, kid->pos + 1);
                    ok = lua_rawequal(L, -1, child);
                }
            }
        }
        lua_settop(L, child - 1);
        if (!ok)
            return 0;
    }
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, dk, (lua_Integer)i);
        int child = lua_gettop(L);
        lua_pushvalue(L, c->k_id);
        lua_rawget(L, child);
        diff_node *kid = idmap_get(&c->snap->map, (uint32_t)lua_tointeger(L, -1));
        lua_pop(L, 1);
        if (kid && marks(c, child))
            diff_control(c, kid, child);
        lua_settop(L, child - 1);
    }
    return 1;
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
                    diff_children(c, o, ci, name, vi);
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
    pb_key(&c->ops, PK_ID, 0);
    pb_num(&c->ops, o->id);
    pb_key(&c->ops, PK_PROPS, 0);
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
    if (dirty)
        before_update(c, ci, class_of(c, ci));
    lua_pushvalue(L, c->k_dk); /* the children marked since the last visit */
    lua_rawget(L, ci);
    int dk = lua_gettop(L);
    clear_marks(c, ci);
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    int slots, allow;
    push_class_info(c, ci, class_of(c, ci), &slots, &allow);
    int fi = push_fields(c, ci);
    if (!dirty) {
        if (!diff_listed_kids(c, o, fi, dk))
            diff_marked_kids(c, o, ci, fi, slots);
        lua_pop(L, 4);
        c->depth--;
        return;
    }

    int n;
    diff_prop *props = read_props(c, fi, slots, allow, &n);
    /* The set op is written when the first changed prop shows up. */
    int changed = 0;
    char *seen = calloc((size_t)o->nprops + 1, 1);
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
    free(seen);
    free_props(o->props, o->nprops);
    o->props = props;
    o->nprops = n;
    if (changed)
        pb_raw(&c->ops, "}}", 2);

    /* The key may have changed with the other fields. */
    lua_pushvalue(L, ci);
    const char *key = push_key(c) ? lua_tostring(L, -1) : NULL;
    if (key ? !o->key || strcmp(o->key, key) != 0 : o->key != NULL) {
        free(o->key);
        o->key = key ? xstrdup(key) : NULL;
    }
    lua_settop(L, fi);

    if (slots) {
        lua_Unsigned ns = lua_rawlen(L, slots);
        for (lua_Unsigned i = 1; i <= ns; i++) {
            const char *name = push_slot(L, slots, i, fi);
            if (!name)
                continue;
            diff_children(c, o, ci, name, lua_gettop(L));
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 4);
    c->depth--;
}

/* Gives a new control (and its subtree) ids, records it in the index, and returns its node
 * as JSON and as a snapshot node. */
static void build_node(dctx *c, int ci, int pi, diff_node **out)
{
    lua_State *L = c->L;
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    raw_set(c, ci, c->k_parent, pi); /* build() may already look for self.page */
    const class_info *info = class_of(c, ci);
    build_once(c, ci, info);
    before_update(c, ci, info);
    clear_marks(c, ci);
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
    lua_pushvalue(L, ci);
    if (push_key(c)) {
        d->key = xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (idmap_put(&c->snap->map, id, d) < 0) {
        free_node(NULL, d);
        luaL_error(L, "out of memory");
    }
    int slots, allow;
    push_class_info(c, ci, info, &slots, &allow);
    int fi = push_fields(c, ci);
    d->props = read_props(c, fi, slots, allow, &d->nprops);

    proto_buf *b = &c->ops;
    pb_lit(b, "{\"" PK_ID "\":");
    pb_num(b, id);
    pb_key(b, PK_TYPE, 0);
    pb_str(b, d->type);
    pb_key(b, PK_PROPS, 0);
    pb_raw(b, "{", 1);
    for (int i = 0; i < d->nprops; i++)
        put_prop(b, &d->props[i], i == 0);
    pb_raw(b, "}", 1);
    pb_key(b, PK_SLOTS, 0);
    pb_raw(b, "{", 1);
    int nslots = 0;
    if (slots) {
        lua_Unsigned ns = lua_rawlen(L, slots);
        for (lua_Unsigned i = 1; i <= ns; i++) {
            const char *name = push_slot(L, slots, i, fi);
            if (!name)
                continue;
            int vi = lua_gettop(L);
            int m = collect_children(c, vi);
            int list = lua_gettop(L);
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
            for (int k = 0; k < m; k++) {
                lua_rawgeti(L, list, k + 1);
                int child = lua_gettop(L);
                diff_node *kid = claim_by_id(c, child, class_of(c, child)->type);
                if (kid) {
                    /* Already on the page: it keeps its node and element, and moves here
                     * once this container exists. */
                    kid->gen = c->snap->gen;
                    if (kid->parent)
                        detach(kid);
                    raw_set(c, child, c->k_parent, ci);
                    defer_move(c, kid, d, slot_idx, k);
                } else {
                    if (written++)
                        pb_raw(b, ",", 1);
                    build_node(c, child, ci, &kid);
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
            lua_pop(L, 3); /* list value name */
        }
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
    pb_key(b, PK_TYPE, 0);
    pb_str(b, d->type);
    pb_key(b, PK_PROPS, 0);
    pb_raw(b, "{", 1);
    for (int i = 0; i < d->nprops; i++)
        put_prop(b, &d->props[i], i == 0);
    pb_raw(b, "}", 1);
    pb_key(b, PK_SLOTS, 0);
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
                                       "_items", "key", "_built", "_s", "_dk"};
    int *slots[] = {&c->k_m,     &c->k_p,   &c->k_id, &c->k_parent, &c->k_items,
                    &c->k_key,   &c->k_built, &c->k_s, &c->k_dk};
    for (int i = 0; i < 9; i++) {
        lua_pushstring(L, keys[i]);
        *slots[i] = lua_gettop(L);
    }
    lua_newtable(L);
    c->class_tables = lua_gettop(L);
    c->L = L;
    c->index = 3;
    static lua_Integer stamps;
    c->stamp = ++stamps;
    stamp(c, c->sub ? 7 : 2);
    c->snap->gen++;
    if (c->sub)
        diff_control(c, c->sub, 7);
    else
        diff_control(c, c->snap->root, 2);
    /* Emptied slots are cleaned after every move, so what moved out of them is safe. */
    for (int i = 0; i < c->ncleared; i++) {
        op_begin(c, PK_CLEAN);
        pb_key(&c->ops, PK_ID, 0);
        pb_num(&c->ops, c->cleared[i]->id);
        pb_key(&c->ops, PK_SLOT, 0);
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
        unmount(c, d);
        free_node(c->snap, d);
        c->pending[i] = NULL;
    }
    c->npending = 0;
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 5);
    return 2;
}

/* snap:diff(page, index [, control]) -> patch text or nil, added controls or nil, removed
 * controls or nil, an error found on the way (a failed build(), a duplicate control) or nil
 *   [-0, +4, e]
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
    pb_lit(&c.ops, "{\"" PK_T "\":\"" PK_PATCH "\",\"" PK_OPS "\":[");
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
    if (rc != LUA_OK) {
        /* The snapshot may now be ahead of the browser: it is dropped, and the next diff
         * sends the whole page again. */
        pb_free(&c.ops);
        free(c.error);
        free_node(NULL, snap->root);
        idmap_free(&snap->map);
        snap->root = new_node(0, xintern("page"));
        snap->resync = 1;
        return lua_error(L);
    }
    if (c.resync) {
        snap->resync = 0;
        pb_free(&c.ops);
        c.nops = 1;
        pb_lit(&c.ops, "{\"" PK_T "\":\"" PK_INIT "\",\"" PK_TREE "\":");
        node_json(&c.ops, snap->root);
        pb_raw(&c.ops, "}", 1);
        lua_pushnil(L);
        lua_replace(L, 6);
        lua_pushnil(L);
        lua_replace(L, 7);
    } else {
        pb_raw(&c.ops, "]}", 2);
    }
    if (c.ops.failed) {
        pb_free(&c.ops);
        free(c.error);
        return luaL_error(L, "out of memory");
    }
    if (c.nops > 0)
        lua_pushlstring(L, c.ops.p, c.ops.len);
    else
        lua_pushnil(L);
    pb_free(&c.ops);
    lua_insert(L, 6); /* patch mounted unmounted */
    if (c.error) {
        lua_pushstring(L, c.error);
        free(c.error);
    } else {
        lua_pushnil(L);
    }
    return 4;
}

/* snap:init_message() -> {"t":"init","tree":...} as text   [-0, +1, m] */
static int l_init_message(lua_State *L)
{
    diff_snapshot *snap = check_snap(L);
    proto_buf b = {0};
    pb_lit(&b, "{\"" PK_T "\":\"" PK_INIT "\",\"" PK_TREE "\":");
    node_json(&b, snap->root);
    pb_raw(&b, "}", 1);
    if (b.failed) {
        pb_free(&b);
        return luaL_error(L, "out of memory");
    }
    lua_pushlstring(L, b.p, b.len);
    pb_free(&b);
    return 1;
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
        if (strcmp(d->props[i].key, key) != 0)
            continue;
        char *copy = xstrdup(text);
        free(d->props[i].str);
        d->props[i].kind = PV_STR;
        d->props[i].str = copy;
        return 0;
    }
    return 0;
}

static size_t node_bytes(const diff_node *d)
{
    size_t n = sizeof *d + sizeof *d->props * (size_t)d->nprops +
               sizeof *d->slots * (size_t)d->nslots + (d->key ? strlen(d->key) + 1 : 0);
    for (int i = 0; i < d->nprops; i++)
        n += d->props[i].str ? strlen(d->props[i].str) + 1 : 0;
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
        {"set_prop", l_set_prop}, {NULL, NULL}};
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
