#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "mem.h"

/* ------------------------------------------------------------------- pool */

/* The slabs grow from 8 KB to 64 KB: a snapshot that just turned the pool on does not take
 * much more than it needs. Each starts with a head: the link to the one before and its own
 * size, which keeps the blocks after it 16-byte aligned. */
#define SLAB_FIRST (8 * 1024)
#define SLAB_MAX (64 * 1024)

typedef struct slab_head {
    void *next;
    size_t size;
} slab_head;

_Static_assert(sizeof(slab_head) == 16, "a slab's head keeps the blocks 16-byte aligned");
_Static_assert(sizeof(void *) != 8 || sizeof(snap_node) == 72, "a node packs into 72 bytes");

/* Slabs of SLAB_MAX bytes that a freed snapshot gave back, kept for the next one that needs
 * one, up to SPARE_SLABS (4 MB): a session that drops a large page and builds another (or
 * the next session) takes memory already mapped, rather than making malloc hand back the
 * top of its heap to the kernel and fault it in again, 4 KB at a time. */
#define SPARE_SLABS 64
static void *spare_slabs;
static int nspare_slabs;

/* Blocks of snapshots that have no pool of their own come from this one, shared by them all:
 * an idle session's page of a few dozen nodes then pays no malloc header and no rounding to
 * 16 bytes on top of its sizes (some 16 bytes a block, a seventh of a small node). Under
 * AddressSanitizer they go to malloc, so that the sanitizer sees every block. Only the loop's
 * thread makes snapshots. */
#if defined(__SANITIZE_ADDRESS__)
#define SHARED_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SHARED_POOL 0
#endif
#endif
#ifndef SHARED_POOL
#define SHARED_POOL 1
#endif
static snap_pool shared_pool;

/* The pool d's blocks come from (when its pool_class says they do). */
static snap_pool *pool_of(snapshot *s, const snap_node *d)
{
    return d->shared ? &shared_pool : s->pool;
}

int snap_shared_pool_on(void) { return SHARED_POOL; }

size_t snap_shared_pool_bytes(void) { return shared_pool.slab_bytes; }

/* The pool's size class for n bytes, or 0 when the pool does not hold blocks that large. */
static unsigned pool_class_of(size_t n)
{
    size_t c = (n + SNAP_POOL_GRAIN - 1) / SNAP_POOL_GRAIN;
    return c <= SNAP_POOL_CLASSES ? (unsigned)c : 0;
}

static void *pool_take(snap_pool *p, unsigned cls)
{
    void *b = p->free[cls];
    if (b) {
        p->free[cls] = *(void **)b;
        return b;
    }
    size_t n = (size_t)cls * SNAP_POOL_GRAIN;
    if ((size_t)(p->end - p->next) < n) {
        /* What is left of the old slab stays unused: less than the largest block. */
        size_t size = p->slab_bytes ? p->slab_bytes : SLAB_FIRST;
        if (size > SLAB_MAX)
            size = SLAB_MAX;
        char *slab;
        if (size == SLAB_MAX && spare_slabs) {
            slab = spare_slabs;
            spare_slabs = ((slab_head *)slab)->next;
            nspare_slabs--;
        } else {
            slab = mem_alloc(size);
        }
        *(slab_head *)slab = (slab_head){.next = p->slabs, .size = size};
        p->slabs = slab;
        p->next = slab + sizeof(slab_head);
        p->end = slab + size;
        p->slab_bytes += size;
    }
    b = p->next;
    p->next += n;
    return b;
}

static void pool_give(snap_pool *p, void *b, unsigned cls)
{
    *(void **)b = p->free[cls];
    p->free[cls] = b;
}

static void pool_free(snap_pool *p)
{
    if (!p)
        return;
    for (void *slab = p->slabs, *next; slab; slab = next) {
        slab_head *h = slab;
        next = h->next;
        if (h->size == SLAB_MAX && nspare_slabs < SPARE_SLABS) {
            h->next = spare_slabs;
            spare_slabs = slab;
            nspare_slabs++;
        } else {
            free(slab);
        }
    }
    free(p);
}

snap_node **snap_kids_alloc(snapshot *s, const snap_node *d, int cap)
{
    size_t n = sizeof(snap_node *) * (size_t)cap;
    unsigned cls = d->pool_class ? pool_class_of(n) : 0;
    return cls ? pool_take(pool_of(s, d), cls) : mem_alloc(n);
}

void snap_kids_free(snapshot *s, const snap_node *d, snap_node **kids, int cap)
{
    if (!kids)
        return;
    unsigned cls = d->pool_class ? pool_class_of(sizeof(snap_node *) * (size_t)cap) : 0;
    if (cls)
        pool_give(pool_of(s, d), kids, cls);
    else
        free(kids);
}

/* ------------------------------------------------------------------ nodes */

snap_node *snap_node_new(uint32_t id, const char *type)
{
    snap_node *d = mem_calloc(1, sizeof *d);
    d->id = id;
    d->type = type;
    d->own = SNAP_OWN_PROPS | SNAP_OWN_SLOTS;
    return d;
}

/* Copies n props and their texts (lens[i] long, or measured when lens is NULL) and the key's
 * text into block, which has room for them; points the props and *key into it. */
static void fill_props(snap_prop *block, const snap_prop *props, const size_t *lens, int n,
                       snap_key *key)
{
    char *t = (char *)(block + n);
    for (int i = 0; i < n; i++) {
        block[i] = props[i];
        if (!snap_has_text(&props[i]))
            continue;
        size_t len = (lens ? lens[i] : strlen(props[i].str)) + 1;
        block[i].str = memcpy(t, props[i].str, len);
        t += len;
    }
    if (key->kind == SNAP_KEY_STR)
        key->str = memcpy(t, key->str, key->len);
}

/* The bytes n props, their texts and the key's text take in a block. */
static size_t props_size(const snap_prop *props, const size_t *lens, int n, const snap_key *key)
{
    size_t size = sizeof *props * (size_t)n + (key->kind == SNAP_KEY_STR ? key->len : 0);
    for (int i = 0; i < n; i++)
        if (snap_has_text(&props[i]))
            size += (lens ? lens[i] : strlen(props[i].str)) + 1;
    return size;
}

snap_node *snap_node_make(snapshot *s, uint32_t id, const char *type, const snap_prop *props,
                          const size_t *lens, int n, snap_key *key, const char *const *slot_names,
                          int nslots)
{
    /* Laid out as: the node, its slots, its props, their texts. The node's alignment covers
     * the slots', and a slot's size (pointers and ints) keeps the props aligned. */
    size_t head = sizeof(snap_node) + sizeof(snap_slot) * (size_t)nslots;
    size_t body = n || key->kind == SNAP_KEY_STR ? props_size(props, lens, n, key) : 0;
    if (!s->pool && s->map.count >= SNAP_POOL_FROM)
        s->pool = mem_calloc(1, sizeof *s->pool);
    snap_pool *pool = s->pool ? s->pool : SHARED_POOL ? &shared_pool : NULL;
    unsigned cls = pool ? pool_class_of(head + body) : 0;
    snap_node *d = cls ? pool_take(pool, cls) : mem_alloc(head + body);
    memset(d, 0, sizeof *d);
    d->pool_class = (uint8_t)cls;
    d->shared = cls && pool == &shared_pool;
    d->id = id;
    d->type = type;
    if (nslots) {
        d->slots = (snap_slot *)(d + 1);
        d->nslots = nslots;
        for (int i = 0; i < nslots; i++)
            d->slots[i] = (snap_slot){.name = slot_names[i]};
    }
    if (body) {
        d->props = (snap_prop *)((char *)d + head);
        d->nprops = n;
        fill_props(d->props, props, lens, n, key);
    }
    snap_set_key(d, key);
    return d;
}

/* Frees d's props block if it has one of its own. */
static void props_free(snapshot *s, snap_node *d)
{
    if (!(d->own & SNAP_OWN_PROPS))
        return;
    if (d->props_class)
        pool_give(pool_of(s, d), d->props, d->props_class);
    else
        free(d->props);
}

/* Gives d a props block of its own of `size` bytes (its pool's when d is pooled) and returns
 * it. The one it had is not freed yet, since the new one is at times filled from it: it comes
 * back in *old (NULL when d did not own it), with its pool class in *old_class, for the caller
 * to free with props_give_back once done. */
static snap_prop *props_take(snapshot *s, snap_node *d, size_t size, snap_prop **old,
                             unsigned *old_class)
{
    unsigned cls = d->pool_class ? pool_class_of(size) : 0;
    *old = d->own & SNAP_OWN_PROPS ? d->props : NULL;
    *old_class = d->props_class;
    d->props = size ? (cls ? pool_take(pool_of(s, d), cls) : mem_alloc(size)) : NULL;
    d->props_class = (uint8_t)(d->props ? cls : 0);
    d->own |= SNAP_OWN_PROPS;
    return d->props;
}

static void props_give_back(snapshot *s, const snap_node *d, snap_prop *old, unsigned old_class)
{
    if (old && old_class)
        pool_give(pool_of(s, d), old, old_class);
    else
        free(old);
}

void snap_node_set_props(snapshot *s, snap_node *d, const snap_prop *props, const size_t *lens,
                         int n, snap_key *key)
{
    size_t size = n || key->kind == SNAP_KEY_STR ? props_size(props, lens, n, key) : 0;
    snap_prop *old;
    unsigned old_class;
    snap_prop *block = props_take(s, d, size, &old, &old_class);
    if (block)
        fill_props(block, props, lens, n, key);
    d->nprops = n;
    snap_set_key(d, key);
    props_give_back(s, d, old, old_class);
}

/* Frees d and its subtree. unmap: take each out of the id map. pooled: give the snapshot's
 * pool blocks back (when its whole pool is about to go, only what malloc or the shared pool
 * gave is freed). */
static void node_free(snapshot *s, snap_node *d, int unmap, int pooled)
{
    if (unmap)
        idmap_del(&s->map, d->id);
    int give = pooled || d->shared;
    if (give || !d->props_class)
        props_free(s, d);
    for (int i = 0; i < d->nslots; i++) {
        snap_slot *sl = &d->slots[i];
        for (int k = 0; k < sl->n; k++)
            if (sl->kids[k])
                node_free(s, sl->kids[k], unmap, pooled);
        if (give || !d->pool_class || !pool_class_of(sizeof *sl->kids * (size_t)sl->cap))
            snap_kids_free(s, d, sl->kids, sl->cap);
    }
    if (d->own & SNAP_OWN_SLOTS)
        free(d->slots);
    if (!d->pool_class)
        free(d);
    else if (give)
        pool_give(pool_of(s, d), d, d->pool_class);
}

void snap_node_free(snapshot *s, snap_node *d)
{
    if (d)
        node_free(s, d, 1, 1);
}

/* The number of nodes under d, d left out. */
static size_t count_below(const snap_node *d)
{
    size_t n = 0;
    for (int i = 0; i < d->nslots; i++)
        for (int k = 0; k < d->slots[i].n; k++)
            if (d->slots[i].kids[k])
                n += 1 + count_below(d->slots[i].kids[k]);
    return n;
}

/* Puts every node under d in the id map. */
static void remember_below(snapshot *s, snap_node *d)
{
    for (int i = 0; i < d->nslots; i++) {
        for (int k = 0; k < d->slots[i].n; k++) {
            snap_node *kid = d->slots[i].kids[k];
            if (kid) {
                idmap_put(&s->map, kid);
                remember_below(s, kid);
            }
        }
    }
}

void snap_free_detached(snapshot *s, snap_node **nodes, int n, size_t count)
{
    size_t stay = s->map.count >= count ? s->map.count - count : 0;
    /* Made again only when the map holds the tree's nodes and these, as it should: then
     * the tree alone tells what stays. Any doubt, and the nodes leave one by one. */
    int remake = count > 2 * stay && s->map.count >= count && count_below(s->root) == stay;
    for (int i = 0; i < n; i++)
        if (nodes[i])
            node_free(s, nodes[i], !remake, 1);
    if (remake) {
        idmap_free(&s->map);
        remember_below(s, s->root);
    }
}

void snap_detach(snap_node *d)
{
    snap_node *p = d->parent;
    if (p && d->slot_idx < p->nslots) {
        snap_slot *s = &p->slots[d->slot_idx];
        if (d->pos < s->n && s->kids[d->pos] == d)
            s->kids[d->pos] = NULL;
    }
    d->parent = NULL;
}

int snap_slot_index(snap_node *d, const char *name)
{
    for (int i = 0; i < d->nslots; i++)
        if (d->slots[i].name == name)
            return i;
    size_t size = sizeof *d->slots * (size_t)(d->nslots + 1);
    if (d->own & SNAP_OWN_SLOTS) {
        d->slots = mem_realloc(d->slots, size);
    } else {
        /* The slots sat in the node's own block: they move to one of their own. */
        snap_slot *slots = mem_alloc(size);
        if (d->nslots)
            memcpy(slots, d->slots, sizeof *d->slots * (size_t)d->nslots);
        d->slots = slots;
        d->own |= SNAP_OWN_SLOTS;
    }
    d->slots[d->nslots] = (snap_slot){.name = name};
    return d->nslots++;
}

snap_prop *snap_props_block(const snap_prop *props, int n, snap_key *key)
{
    if (!n && key->kind != SNAP_KEY_STR)
        return NULL;
    snap_prop *block = mem_alloc(props_size(props, NULL, n, key));
    fill_props(block, props, NULL, n, key);
    return block;
}

static size_t props_block_size(const snap_node *d)
{
    size_t n = sizeof *d->props * (size_t)d->nprops;
    for (int i = 0; i < d->nprops; i++)
        n += snap_has_text(&d->props[i]) ? strlen(d->props[i].str) + 1 : 0;
    return n + (d->key_kind == SNAP_KEY_STR ? d->key_len : 0);
}

/* Makes prop i of d the string `text`, in a new props block. */
static void replace_text(snapshot *s, snap_node *d, int i, const char *text)
{
    size_t len = strlen(text) + 1;
    const snap_prop *from = d->props;
    snap_prop *old;
    unsigned old_class;
    snap_prop *block = props_take(s, d, props_block_size(d) + len, &old, &old_class);
    char *t = (char *)(block + d->nprops);
    for (int k = 0; k < d->nprops; k++) {
        block[k] = from[k];
        const char *str = k == i ? text : snap_has_text(&from[k]) ? from[k].str : NULL;
        if (k == i)
            block[k].kind = SNAP_STR;
        if (!str)
            continue;
        size_t n = strlen(str) + 1;
        block[k].str = memcpy(t, str, n);
        t += n;
    }
    if (d->key_kind == SNAP_KEY_STR)
        d->key_str = memcpy(t, d->key_str, d->key_len);
    props_give_back(s, d, old, old_class);
}

/* -------------------------------------------------------------- the tree */

static snap_node *empty_page(const snapshot *s) { return snap_node_new(0, s->root_type); }

void snap_init(snapshot *s, const char *root_type)
{
    memset(s, 0, sizeof *s);
    s->root_type = root_type;
    s->root = empty_page(s);
}

void snap_free(snapshot *s)
{
    if (s->root)
        node_free(s, s->root, 0, 0);
    s->root = NULL;
    idmap_free(&s->map);
    pool_free(s->pool);
    s->pool = NULL;
}

void snap_reset(snapshot *s)
{
    snap_free(s);
    s->root = empty_page(s);
}

void snap_set_text(snapshot *s, uint32_t id, const char *key, const char *text)
{
    snap_node *d = id == 0 ? s->root : snap_lookup(s, id);
    if (!d)
        return;
    for (int i = 0; i < d->nprops; i++) {
        if (strcmp(d->props[i].key, key) == 0) {
            replace_text(s, d, i, text);
            return;
        }
    }
}

void snap_set_scalar(snapshot *s, uint32_t id, const char *key, enum snap_prop_kind kind,
                     double num)
{
    snap_node *d = id == 0 ? s->root : snap_lookup(s, id);
    if (!d)
        return;
    for (int i = 0; i < d->nprops; i++) {
        if (strcmp(d->props[i].key, key) == 0) {
            /* A text it held stays in the block unused until the block is next made. */
            d->props[i].kind = kind;
            d->props[i].num = num;
            return;
        }
    }
}

static size_t node_bytes(const snap_node *d)
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

size_t snap_bytes(const snapshot *s) { return node_bytes(s->root) + idmap_bytes(&s->map); }

size_t snap_count(const snapshot *s) { return s->map.count + 1; }
