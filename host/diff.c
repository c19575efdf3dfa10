#include "diff.h"

#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control_read.h"
#include "core.h"
#include "lis.h"
#include "mem.h"
#include "patch_write.h"
#include "snapshot.h"

#define SNAPSHOT_MT "luaflet.snapshot"

/* Deeper trees are refused: every walk here recurses once per level. */
#define MAX_DEPTH 500

/* A control already on the page that a new container takes in: it cannot be written into
 * the container's add op, so it is moved there just after, then compared. */
typedef struct deferred_move {
    snap_node *node, *parent;
    int slot_idx, k;
} deferred_move;

/* A slot this diff emptied whole, cleaned with one op at the end. */
typedef struct cleared_slot {
    snap_node *parent;
    const char *slot;
} cleared_slot;

/* ------------------------------------------------------ one diff's state */

typedef struct dctx {
    lua_State *L;
    snapshot *snap;
    cr_reader cr;  /* everything read from the Lua controls goes through it */
    int index;     /* absolute stack index of page._index: id -> control */
    int mounted;   /* absolute index of the list of added controls, 0 until needed */
    int unmounted; /* the same for removed controls */
    int depth;
    snap_node *sub; /* the node of the control the diff starts from, or NULL for the page */
    /* New controls a slot has reserved a place for but not built yet, by table address (see
     * stamp()); freed by l_diff. met_live counts those not released. */
    const void **met;
    unsigned met_cap, met_n, met_live;
    const void *start_obj; /* the table of the control the diff starts from */
    /* Scratch arrays of diff_children calls under way, freed as each returns; what an error
     * leaves is freed by l_diff. */
    void **bufs;
    int nbufs;
    size_t capbufs;
    deferred_move *moves; /* freed by l_diff */
    int nmoves;
    size_t capmoves;
    int resync;          /* building afresh after an error: no lifecycle lists */
    snap_node **pending; /* nodes that left their place; removed at the end unless claimed */
    int npending;
    size_t cappending;
    cleared_slot *cleared; /* slots emptied by this diff */
    int ncleared;
    size_t capcleared;
    patch_writer ops; /* the patch written so far */
} dctx;

static void enter(dctx *c)
{
    if (++c->depth > MAX_DEPTH)
        luaL_error(c->L, "the page's control tree is nested deeper than %d levels", MAX_DEPTH);
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

static void *scratch(dctx *c, size_t n)
{
    MEM_RESERVE(c->bufs, c->capbufs, (size_t)c->nbufs + 1, 16);
    void *b = mem_alloc(n);
    c->bufs[c->nbufs++] = b;
    return b;
}

/* Frees the last `count` scratch arrays. */
static void scratch_release(dctx *c, int count)
{
    while (count-- > 0)
        free(c->bufs[--c->nbufs]);
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

/* Makes room in the set for `more` entries, at most half full, dropping released ones when
 * it grows: a slot of a thousand new children grows it once. */
static void met_reserve(dctx *c, unsigned more)
{
    if (2 * (c->met_n + more) <= c->met_cap)
        return;
    unsigned cap = 64;
    while (cap < 2 * (c->met_live + more))
        cap *= 2;
    const void **grown = mem_calloc(cap, sizeof *grown);
    for (unsigned i = 0; i < c->met_cap; i++)
        if (c->met[i] && c->met[i] != MET_GONE)
            met_put(grown, cap - 1, c->met[i]);
    free(c->met);
    c->met = grown;
    c->met_cap = cap;
    c->met_n = c->met_live;
}

/* Reserves the place of the control at idx, not yet on the page; returns 0 if it is reserved
 * already: the same new control twice in one list, or the start control inside itself (the
 * start control counts as reserved for the whole diff). Controls on the page are told apart
 * by their node's gen instead. An entry stays only while something anchors its table (the
 * diff's list of new children, or the stack for the start control), so its address cannot
 * be reused meanwhile. */
static int stamp(dctx *c, int idx)
{
    const void *p = lua_topointer(c->L, idx);
    if (p == c->start_obj || met_find(c, p))
        return 0;
    met_reserve(c, 1);
    met_put(c->met, c->met_cap - 1, p);
    c->met_n++;
    c->met_live++;
    return 1;
}

/* Whether the control at idx has a place reserved by this diff. Most new controls are built
 * where no other reservation waits: then no lookup. */
static int stamped(dctx *c, int idx)
{
    const void *p = lua_topointer(c->L, idx);
    return p == c->start_obj || (c->met_live && met_find(c, p));
}

/* Ends the reservation of the control at idx, as it is built: from now on its node tells. */
static void unstamp(dctx *c, int idx)
{
    const void **e = met_find(c, lua_topointer(c->L, idx));
    if (e) {
        *e = MET_GONE;
        c->met_live--;
    }
}

static void note_duplicate(dctx *c)
{
    cr_note_error(&c->cr,
                  "a control appears more than once on the page (or inside itself); "
                  "only its first place is shown");
}

static snap_node *build_node(dctx *c, int ci, int pi, cr_class *info);

/* Takes a removed node's controls off the page: their index entries go, the top control's
 * parent link is cut (so control.page is nil for it and all under it), and controls with
 * lifecycle hooks are listed for will_unmount. Only those two kinds of control are read.
 * Returns the number of nodes in d's subtree. */
static size_t unmount(dctx *c, snap_node *d, int top)
{
    lua_State *L = c->L;
    if (top || d->hooks) {
        if (lua_rawgeti(L, c->index, d->id) == LUA_TTABLE) {
            int obj = lua_gettop(L);
            cr_push_id(&c->cr, obj);
            /* The object may live on under another node (it was built again elsewhere):
             * only an object that still names this node leaves the page. */
            int still = lua_tointeger(L, -1) == (lua_Integer)d->id;
            lua_pop(L, 1);
            if (still && top)
                cr_set_parent(&c->cr, obj, 0);
            if (still && d->hooks)
                list_append(c, &c->unmounted, obj);
        }
        lua_pop(L, 1);
    }
    lua_pushnil(L);
    lua_rawseti(L, c->index, d->id);
    size_t count = 1;
    for (int i = 0; i < d->nslots; i++)
        for (int k = 0; k < d->slots[i].n; k++)
            if (d->slots[i].kids[k])
                count += unmount(c, d->slots[i].kids[k], 0);
    return count;
}

static void push_pending(dctx *c, snap_node *d)
{
    MEM_RESERVE(c->pending, c->cappending, (size_t)c->npending + 1, 16);
    c->pending[c->npending++] = d;
}

static void diff_control(dctx *c, snap_node *o, int ci);

/* Looks the control at child up by its id. Returns 1 with *out set when it is on this page
 * and not yet placed by this diff; -1 when this diff placed it already (it appears twice, or
 * inside itself); 0 when it is not on this page. */
static int claim_by_id(dctx *c, int child, snap_node **out)
{
    lua_State *L = c->L;
    int r = 0;
    *out = NULL;
    if (cr_push_id(&c->cr, child) == LUA_TNUMBER) {
        snap_node *cand = snap_lookup(c->snap, (uint32_t)lua_tointeger(L, -1));
        if (cand && cand->obj == lua_topointer(L, child)) {
            r = cand->gen == c->snap->gen ? -1 : 1;
            if (r > 0)
                *out = cand;
        }
    }
    lua_pop(L, 1);
    return r;
}

static void defer_move(dctx *c, snap_node *node, snap_node *parent, int slot_idx, int k)
{
    MEM_RESERVE(c->moves, c->capmoves, (size_t)c->nmoves + 1, 16);
    node->deferred = 1;
    c->moves[c->nmoves++] = (deferred_move){node, parent, slot_idx, k};
}

/* Sends the moves deferred since `start`, last first, so that each `before` is already in
 * place, then compares each moved control. */
static void flush_moves(dctx *c, int start)
{
    lua_State *L = c->L;
    for (int i = c->nmoves - 1; i >= start; i--) {
        deferred_move e = c->moves[i];
        snap_slot *s = &e.parent->slots[e.slot_idx];
        e.node->deferred = 0;
        pw_move(&c->ops, e.parent, s->name, e.k + 1 < s->n ? s->kids[e.k + 1] : NULL, e.node);
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
static int same_child(dctx *c, snap_node *d, int items, int vi, int i)
{
    lua_State *L = c->L;
    if (!d || d->gen == c->snap->gen)
        return 0;
    cr_push_item(L, items, vi, i);
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

static unsigned key_hash(const snap_key *k)
{
    uint64_t h = 1469598103934665603u;
    if (k->kind == SNAP_KEY_NUM) {
        uint64_t bits;
        memcpy(&bits, &k->num, sizeof bits);
        h = bits * 0x9E3779B97F4A7C15u;
    } else {
        for (size_t i = 0; i < k->len; i++)
            h = (h ^ (unsigned char)k->str[i]) * 1099511628211u;
    }
    return (unsigned)(h >> 32) ^ (unsigned)h;
}

static int key_is(const snap_node *d, const snap_key *k)
{
    snap_key dk = snap_key_of(d);
    return snap_key_equal(&dk, k);
}

/* key_put and key_find compare against the old children's own keys. */
static void key_put(pos_map *m, snap_node **kids, int pos)
{
    snap_key k = snap_key_of(kids[pos]);
    unsigned j = key_hash(&k) & m->mask;
    while (m->pos[j]) {
        if (key_is(kids[m->pos[j] - 1], &k))
            return; /* the first of two equal keys is the one found */
        j = (j + 1) & m->mask;
    }
    m->pos[j] = pos + 1;
}

static int key_find(const pos_map *m, snap_node **kids, const snap_key *k)
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
static void diff_children(dctx *c, snap_node *o, int pi, const char *name, int vi, int all)
{
    lua_State *L = c->L;
    cr_reader *r = &c->cr;
    uint32_t gen = c->snap->gen;
    int slot_idx = snap_slot_index(o, name);
    snap_slot *s = &o->slots[slot_idx];
    int old_n = s->n, n;
    int items = cr_slot_items(r, vi, &n);
    lua_pushnil(L); /* the new children, by position in the middle, once there are any */
    int fresh = lua_gettop(L);

    int p = 0, q = 0;
    while (p < n && p < old_n && same_child(c, s->kids[p], items, vi, p + 1))
        p++;
    while (q < n - p && q < old_n - p && same_child(c, s->kids[old_n - 1 - q], items, vi, n - q))
        q++;
    int mid = n - p - q, old_hi = old_n - q, mid_old = old_hi - p;

    int nscratch = c->nbufs;
    snap_node **src = scratch(c, sizeof *src * (size_t)(mid + 1));
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

    int m = 0, stamped_here = 0;
    for (int i = p + 1; i <= n - q; i++) {
        cr_push_item(L, items, vi, i);
        int child = lua_gettop(L);
        cr_class *info = cr_class_of(r, child);
        if (!info || !info->type) {
            lua_pop(L, 1);
            continue;
        }
        snap_node *nd = NULL;
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
                snap_key k;
                cr_read_key(r, cr_push_fields(r, child), &k);
                if (k.kind != SNAP_KEY_NONE) {
                    if (!by_key.pos) {
                        pos_map_init(c, &by_key, mid_old, 0);
                        for (int x = p; x < old_hi; x++)
                            if (s->kids[x] && s->kids[x]->key_kind != SNAP_KEY_NONE)
                                key_put(&by_key, s->kids, x);
                    }
                    int at = key_find(&by_key, s->kids, &k);
                    snap_node *cand = at >= 0 ? s->kids[at] : NULL;
                    if (cand && !taken[at - p] && cand->gen != gen && cand->type == info->type) {
                        nd = cand;
                        j = at;
                        keyed = 1;
                    }
                }
                lua_settop(L, child);
            }
            /* The first new child makes room for all that may follow. */
            if (!nd && !stamped_here++)
                met_reserve(c, (unsigned)(n - q - i + 1));
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
            cr_set_marks(r, child, cr_marks(r, child) | r->s->dirty);
            cr_set_id(r, child, nd->id);
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
        MEM_RESERVE(c->cleared, c->capcleared, (size_t)c->ncleared + 1, 8);
        c->cleared[c->ncleared++] = (cleared_slot){o, name};
    }
    for (int j = p; j < old_hi; j++) {
        snap_node *d = s->kids[j];
        if (d && !taken[j - p] && d->gen != gen) {
            d->parent = NULL;
            if (cleaning)
                d->slot_idx = -1;
            push_pending(c, d);
        }
    }

    lis_mark(from, m, keep, work);

    snap_node **kids = new_n ? snap_kids_alloc(c->snap, o, new_n) : NULL;
    /* An error from here until the slot takes `kids` leaks that array, nothing more: the
     * old children are still where the snapshot has them. */
    if (p)
        memcpy(kids, s->kids, sizeof *kids * (size_t)p);
    if (q)
        memcpy(kids + p + m, s->kids + old_hi, sizeof *kids * (size_t)q);
    for (int k = m - 1; k >= 0; k--) {
        snap_node *before = p + k + 1 < new_n ? kids[p + k + 1] : NULL;
        snap_node *nd = src[k];
        if (nd) {
            kids[p + k] = nd;
            if (!keep[k]) {
                if (from[k] < 0)
                    snap_detach(nd); /* from another slot, which must not keep it */
                pw_move(&c->ops, o, name, before, nd);
            }
            if (from[k] < 0 || visit[k] || all) {
                lua_rawgeti(L, c->index, nd->id);
                int child = lua_gettop(L);
                cr_set_parent(r, child, pi);
                diff_control(c, nd, child);
                lua_settop(L, child - 1);
            }
        } else {
            lua_rawgeti(L, fresh, k + 1);
            int child = lua_gettop(L);
            unstamp(c, child);
            int start = c->nmoves;
            nd = build_node(c, child, pi, cr_class_of(r, child));
            kids[p + k] = nd;
            pw_add(&c->ops, o, name, before, nd);
            if (c->nmoves > start) {
                /* The new child's parent link must be in place before its moves are sent. */
                nd->parent = o;
                nd->slot_idx = slot_idx;
                nd->pos = p + k;
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
        cr_set_parent(r, child, pi);
        diff_control(c, kids[k], child);
        lua_settop(L, child - 1);
    }
    s = &o->slots[slot_idx];
    snap_kids_free(c->snap, o, s->kids, s->cap);
    s->kids = kids;
    s->n = new_n;
    s->cap = new_n;
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

/* The node of the control at child when it is a child of o in the snapshot, or NULL. */
static snap_node *kid_of(dctx *c, snap_node *o, int child)
{
    lua_State *L = c->L;
    snap_node *kid = NULL;
    if (lua_type(L, child) != LUA_TTABLE)
        return NULL;
    if (cr_push_id(&c->cr, child) == LUA_TNUMBER) {
        kid = snap_lookup(c->snap, (uint32_t)lua_tointeger(L, -1));
        if (kid && (kid->parent != o || kid->obj != lua_topointer(L, child)))
            kid = NULL;
    }
    lua_pop(L, 1);
    return kid;
}

/* After o's slots were brought in line: compares the children its _dk list (at dk) names
 * that are still its children. */
static void diff_dk(dctx *c, snap_node *o, int dk)
{
    lua_State *L = c->L;
    if (!dk)
        return;
    int n = (int)lua_rawlen(L, dk);
    for (int i = 1; i <= n; i++) {
        cr_push_item(L, dk, 0, i);
        int child = lua_gettop(L);
        snap_node *kid = kid_of(c, o, child);
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
static int diff_listed_kids(dctx *c, snap_node *o, int dk)
{
    lua_State *L = c->L;
    if (!dk)
        return 0;
    int n = (int)lua_rawlen(L, dk);
    int nscratch = c->nbufs;
    snap_node *few[8]; /* most lists name a child or two */
    snap_node **kids = n <= 8 ? few : scratch(c, sizeof *kids * (size_t)n);
    /* Check everything first: a mismatch found half-way could not be undone. */
    int ok = 1;
    for (int i = 1; i <= n && ok; i++) {
        cr_push_item(L, dk, 0, i);
        kids[i - 1] = kid_of(c, o, lua_gettop(L));
        ok = kids[i - 1] != NULL;
        lua_pop(L, 1);
    }
    for (int i = 1; ok && i <= n; i++) {
        cr_push_item(L, dk, 0, i);
        diff_control(c, kids[i - 1], lua_gettop(L));
        lua_pop(L, 1);
    }
    scratch_release(c, c->nbufs - nscratch);
    return ok;
}

/* The control at ci did not change, but some of its descendants did: visit only the
 * children that are marked. A child that is not where the snapshot has it (changed behind
 * the accessors' back) makes the whole slot compared. */
static void diff_marked_kids(dctx *c, snap_node *o, int ci, int fi, const cr_class *info)
{
    lua_State *L = c->L;
    cr_reader *r = &c->cr;
    int ns = info ? info->nslots : 0;
    for (int i = 0; i < ns; i++) {
        const char *name = info->slots[i];
        cr_push_slot(r, info, i, fi);
        int vi = lua_gettop(L), n;
        int items = cr_slot_items(r, vi, &n);
        int slot_idx = snap_slot_index(o, name);
        for (int k = 1; k <= n; k++) {
            cr_push_item(L, items, vi, k);
            int child = lua_gettop(L);
            if (lua_type(L, child) == LUA_TTABLE && cr_marks(r, child)) {
                cr_push_id(r, child);
                snap_node *kid = lua_isinteger(L, -1)
                    ? snap_lookup(c->snap, (uint32_t)lua_tointeger(L, -1))
                    : NULL;
                lua_pop(L, 1);
                if (!kid || kid->parent != o || kid->slot_idx != slot_idx || kid->pos != k - 1) {
                    lua_settop(L, vi);
                    diff_children(c, o, ci, name, vi, 1);
                    break;
                }
                diff_control(c, kid, child);
            }
            lua_settop(L, child - 1);
        }
        lua_settop(L, vi - 1);
    }
}

/* Compares the control at ci with its snapshot node o and writes what changed. A control
 * with no mark is skipped at once, whatever its size. */
static void diff_control(dctx *c, snap_node *o, int ci)
{
    lua_State *L = c->L;
    cr_reader *r = &c->cr;
    int m = cr_marks(r, ci), dirty = m & r->s->dirty;
    if (!m)
        return;
    cr_class *info = dirty ? cr_class_of(r, ci) : NULL;
    if (dirty)
        cr_before_update(r, ci, info);
    int dk = cr_push_marked_kids(r, ci);
    cr_clear_marks(r, ci, dk);
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    if (!dirty && diff_listed_kids(c, o, dk)) {
        lua_pop(L, 1);
        c->depth--;
        return;
    }
    if (!dirty)
        info = cr_class_of(r, ci);
    int fi = cr_push_fields(r, ci);
    if (!dirty) {
        diff_marked_kids(c, o, ci, fi, info);
        lua_pop(L, 2);
        c->depth--;
        return;
    }

    snap_key key;
    int n = cr_read_props(r, info, fi, &key);
    snap_prop *props = r->props;
    /* The set op is opened when the first changed prop shows up. */
    int changed = 0;
    char seen_local[32];
    char *seen = o->nprops < 32 ? seen_local : mem_alloc((size_t)o->nprops);
    memset(seen, 0, (size_t)o->nprops);
    for (int i = 0; i < n; i++) {
        int j = 0;
        while (j < o->nprops && o->props[j].key != props[i].key)
            j++;
        if (j < o->nprops) {
            seen[j] = 1;
            if (snap_prop_equal(&o->props[j], &props[i]))
                continue;
        }
        pw_set_prop(&c->ops, o->id, &props[i], changed++ == 0);
    }
    for (int j = 0; j < o->nprops; j++) {
        if (!seen[j])
            pw_set_removed(&c->ops, o->id, o->props[j].key, changed++ == 0);
    }
    if (seen != seen_local)
        free(seen);
    /* The key may have changed with the other fields. */
    snap_node_set_props(c->snap, o, props, r->lens, n, &key);
    cr_props_done(r, n);
    if (changed)
        pw_set_end(&c->ops);

    int ns = info ? info->nslots : 0;
    for (int i = 0; i < ns; i++) {
        cr_push_slot(r, info, i, fi);
        diff_children(c, o, ci, info->slots[i], lua_gettop(L), 0);
        lua_pop(L, 1);
    }
    diff_dk(c, o, dk);
    lua_pop(L, 2);
    c->depth--;
}

/* Gives a new control (and its subtree) ids, records it in the index, and returns its
 * snapshot node, which the caller places and writes. Children already on the page that it
 * takes in are marked deferred and their moves queued (flush_moves sends them). The slots'
 * lists are read as they are, not copied: a build() below that changes one marks this
 * control again, for the next update. */
static snap_node *build_node(dctx *c, int ci, int pi, cr_class *info)
{
    lua_State *L = c->L;
    cr_reader *r = &c->cr;
    enter(c);
    luaL_checkstack(L, 16, "control tree too deep");
    cr_set_parent(r, ci, pi); /* build() may already look for self.page */
    cr_build_once(r, ci, info);
    cr_before_update(r, ci, info);
    /* Its _dk is left: a control never sent has none, and one that comes back holds a
     * stale list at worst, which the diff checks entry by entry. */
    cr_clear_marks(r, ci, 0);
    uint32_t id = ++c->snap->next_id;
    cr_set_id(r, ci, id);
    lua_pushvalue(L, ci);
    lua_rawseti(L, c->index, id);
    if (info->has_hooks && !c->resync)
        list_append(c, &c->mounted, ci);

    int fi = cr_push_fields(r, ci);
    snap_key key;
    int n = cr_read_props(r, info, fi, &key);
    snap_node *d = snap_node_make(c->snap, id, info->type, r->props, r->lens, n, &key, info->slots,
                                  info->nslots);
    cr_props_done(r, n);
    d->gen = c->snap->gen;
    d->obj = lua_topointer(L, ci);
    d->hooks = info->has_hooks;
    snap_remember(c->snap, d);

    for (int slot_idx = 0; slot_idx < info->nslots; slot_idx++) {
        cr_push_slot(r, info, slot_idx, fi);
        int vi = lua_gettop(L), m;
        int items = cr_slot_items(r, vi, &m);
        snap_slot *s = &d->slots[slot_idx];
        if (m) {
            s->kids = snap_kids_alloc(c->snap, d, m);
            s->cap = m;
        }
        for (int k = 1; k <= m; k++) {
            cr_push_item(L, items, vi, k);
            int child = lua_gettop(L);
            cr_class *ki = cr_class_of(r, child);
            snap_node *kid = NULL;
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
                    snap_detach(kid);
                cr_set_parent(r, child, ci);
                defer_move(c, kid, d, slot_idx, s->n);
            } else {
                kid = build_node(c, child, ci, ki);
            }
            lua_pop(L, 1);
            s = &d->slots[slot_idx];
            kid->parent = d;
            kid->slot_idx = slot_idx;
            kid->pos = s->n;
            s->kids[s->n++] = kid;
        }
        lua_settop(L, vi - 1); /* value items */
    }
    lua_pop(L, 1);
    c->depth--;
    return d;
}

/* ------------------------------------------------------------------- Lua */

static snapshot *check_snap(lua_State *L) { return luaL_checkudata(L, 1, SNAPSHOT_MT); }

/* core.snapshot() -> a snapshot holding only the empty page   [-0, +1, e] */
static int l_snapshot(lua_State *L)
{
    cr_check_schema(L);
    snapshot *s = lua_newuserdatauv(L, sizeof *s, 0);
    snap_init(s, schema_get()->page_type);
    luaL_setmetatable(L, SNAPSHOT_MT);
    return 1;
}

/* The walk itself, run protected by l_diff. Its stack: 1 the diff's state, 2 page, 3 index,
 * 4 mounted, 5 unmounted, 6 unused, 7 the control to start from (or nil for the page), then
 * the reader's values. Returns mounted and unmounted. */
static int diff_body(lua_State *L)
{
    dctx *c = lua_touserdata(L, 1);
    lua_settop(L, 4);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_pushnil(L);
    lua_rotate(L, 4, -1); /* the start control goes last */
    cr_open(&c->cr, L);
    c->L = L;
    c->index = 3;
    /* The start control cannot sit inside itself: the page counts as reserved, a control's
     * node is claimed. */
    c->start_obj = lua_topointer(L, c->sub ? 7 : 2);
    c->snap->gen++;
    if (c->sub)
        c->sub->gen = c->snap->gen;
    if (c->sub)
        diff_control(c, c->sub, 7);
    else
        diff_control(c, c->snap->root, 2);
    /* Emptied slots are cleaned after every move, so what moved out of them is safe. */
    for (int i = 0; i < c->ncleared; i++)
        pw_clean(&c->ops, c->cleared[i].parent->id, c->cleared[i].slot);
    c->ncleared = 0;
    /* What left its place and found no other: removed, with its whole subtree. The nodes
     * are freed together once all are off the page. */
    size_t gone = 0;
    int ngone = 0;
    for (int i = 0; i < c->npending; i++) {
        snap_node *d = c->pending[i];
        if (d->gen == c->snap->gen)
            continue;
        if (d->slot_idx >= 0)
            pw_remove(&c->ops, d->id);
        gone += unmount(c, d, 1);
        c->pending[ngone++] = d;
    }
    c->npending = 0;
    snap_free_detached(c->snap, c->pending, ngone, gone);
    lua_pushvalue(L, 4);
    lua_pushvalue(L, 5);
    return 2;
}

/* Returns a diff's patch buffer: to `kept` for the next diff when it came from there (and is
 * not too large to hold on to), else freed. */
static void give_back(buf *b, int own, buf *kept, int *kept_busy)
{
    if (!own) {
        buf_free(b);
        return;
    }
    if (b->cap > ((size_t)1 << 20))
        buf_free(b);
    b->len = 0;
    *kept = *b;
    *kept_busy = 0;
}

/* snap:diff(page, index, control or nil, seq) -> patch text or nil, added controls or nil,
 * removed controls or nil, an error found on the way (a failed build(), a duplicate control)
 * or nil, and whether the text is an init (the whole page, sent after an earlier diff failed)
 *   [-0, +5, e]
 * The message is numbered seq: the session's channel numbers its messages, and gives the
 * number the next one takes.
 * Updates the snapshot to the page's current tree (only control's subtree when given and on
 * the page) and index to its controls by id. */
static int l_diff(lua_State *L)
{
    snapshot *snap = check_snap(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checktype(L, 3, LUA_TTABLE);
    if (snap->busy)
        return luaL_error(L,
                          "the page cannot be updated while it is being updated "
                          "(from build() or a metamethod)");
    lua_settop(L, 5);
    /* A control's own update compares its subtree only, if it is this page's. */
    snap_node *sub = NULL;
    if (lua_type(L, 4) == LUA_TTABLE && !lua_rawequal(L, 2, 4)) {
        if (cr_push_id_of(L, 4) == LUA_TNUMBER) {
            snap_node *n = snap_lookup(snap, (uint32_t)lua_tointeger(L, -1));
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
        cr_mark_dirty_of(L, 2);
    }
    int start = sub ? 4 : 2;
    /* Nothing marked where the diff starts: nothing to compare, whatever the size. */
    if (!cr_marks_of(L, start)) {
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        lua_pushnil(L);
        return 4;
    }
    /* The number is read only once there is something to write: an update that changed
     * nothing is the most frequent, and costs next to nothing. */
    lua_Integer seq = luaL_checkinteger(L, 5);
    lua_settop(L, 4);
    dctx c = {.snap = snap, .sub = sub, .resync = snap->resync};
    /* The patch is written into a buffer kept from one diff to the next, so that a large
     * patch does not grow a new one each time. A diff started while another runs (a build()
     * updating another page) has its own. */
    static buf kept;
    static int kept_busy;
    int own_buf = !kept_busy;
    if (own_buf) {
        kept_busy = 1;
        c.ops.buf = kept;
    }
    pw_open(&c.ops, seq);
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
    cr_close(&c.cr);
    free(c.pending);
    free(c.cleared);
    free(c.met);
    char *error = c.cr.error;
    if (rc != LUA_OK) {
        /* The snapshot may now be ahead of the browser: it is dropped, and the next diff
         * sends the whole page again. */
        give_back(&c.ops.buf, own_buf, &kept, &kept_busy);
        free(error);
        snap_reset(snap);
        snap->resync = 1;
        return lua_error(L);
    }
    if (c.resync) {
        snap->resync = 0;
        c.ops.buf.len = 0;
        c.ops.nops = 1;
        pw_init(&c.ops.buf, snap->root, seq, NULL);
        lua_pushnil(L);
        lua_replace(L, 6);
        lua_pushnil(L);
        lua_replace(L, 7);
    } else {
        pw_close(&c.ops);
    }
    if (c.ops.nops > 0) {
        lua_pushlstring(L, c.ops.buf.p, c.ops.buf.len);
    } else {
        lua_pushnil(L);
    }
    give_back(&c.ops.buf, own_buf, &kept, &kept_busy);
    lua_insert(L, 6); /* patch mounted unmounted */
    if (error) {
        lua_pushstring(L, error);
        free(error);
    } else {
        lua_pushnil(L);
    }
    lua_pushboolean(L, c.resync && c.ops.nops > 0);
    return 5;
}

/* snap:init_message(seq [, token]) -> {"t":"init","seq":seq,"tree":...} as text: the whole
 * page, as message number seq (what a client that has nothing, or has lost track, needs).
 *   [-0, +1, m] */
static int l_init_message(lua_State *L)
{
    snapshot *snap = check_snap(L);
    lua_Integer seq = luaL_checkinteger(L, 2);
    const char *token = luaL_optstring(L, 3, NULL);
    buf b = {0};
    pw_init(&b, snap->root, seq, token);
    lua_pushlstring(L, b.p, b.len);
    buf_free(&b);
    return 1;
}

/* snap:resyncing() -> whether the snapshot was dropped after a failed diff: until the next
 * diff rebuilds it, it holds only the empty page   [-0, +1, -] */
static int l_resyncing(lua_State *L)
{
    lua_pushboolean(L, check_snap(L)->resync);
    return 1;
}

/* snap:set_prop(id, key, value): records that the browser already shows `value` (a string, a
 * number or a boolean) as the control's prop `key`: what an input reports as it is edited,
 * so the diff compares the app's next value with it.   [-0, +0, e] */
static int l_set_prop(lua_State *L)
{
    snapshot *snap = check_snap(L);
    lua_Integer id = luaL_checkinteger(L, 2);
    const char *key = luaL_checkstring(L, 3);
    /* Ids are 32 bits; one that only wraps to the page's 0 names no control. */
    int named = id == 0 || (uint32_t)id != 0;
    switch (lua_type(L, 4)) {
    case LUA_TBOOLEAN:
        if (named)
            snap_set_scalar(snap, (uint32_t)id, key, SNAP_BOOL, lua_toboolean(L, 4));
        break;
    case LUA_TNUMBER:
        if (named && isfinite(lua_tonumber(L, 4)))
            snap_set_scalar(snap, (uint32_t)id, key, SNAP_NUM, lua_tonumber(L, 4));
        break;
    default: {
        const char *text = luaL_checkstring(L, 4);
        if (named)
            snap_set_text(snap, (uint32_t)id, key, text);
    }
    }
    return 0;
}

/* snap:stats() -> bytes the snapshot holds (without malloc's own overhead), and its number of
 * controls   [-0, +2, -] */
static int l_stats(lua_State *L)
{
    snapshot *snap = check_snap(L);
    lua_pushinteger(L, (lua_Integer)snap_bytes(snap));
    lua_pushinteger(L, (lua_Integer)snap_count(snap));
    return 2;
}

static int l_snapshot_gc(lua_State *L)
{
    snap_free(check_snap(L));
    return 0;
}

void diff_register(lua_State *L)
{
    static const luaL_Reg methods[] = {{"diff", l_diff},           {"init_message", l_init_message},
                                       {"stats", l_stats},         {"set_prop", l_set_prop},
                                       {"resyncing", l_resyncing}, {NULL, NULL}};
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
