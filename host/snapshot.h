/* snapshot: each session's C copy of its control tree as the browser was last sent it. Its
 * nodes, their props blocks, slots and keys, the id map that finds any node, and what it all
 * costs in memory. It knows nothing of Lua: control_read.c fills nodes from Lua controls,
 * diff.c changes the tree as it walks, patch_write.c writes it out. Names start with snap_.
 *
 * Ownership: a snapshot owns every node reachable from its root; a node owns its props
 * block and its slots' arrays. A node taken out of the tree (snap_detach) is owned by
 * whoever took it until it is put back or freed with snap_node_free. */
#ifndef LUAFLET_SNAPSHOT_H
#define LUAFLET_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "idmap.h"

typedef struct snapshot snapshot;

/* ------------------------------------------------------------------ props */

enum snap_prop_kind { SNAP_BOOL, SNAP_NUM, SNAP_STR, SNAP_JSON };

typedef struct snap_prop {
    const char *key; /* interned */
    union {
        double num;      /* SNAP_BOOL (0 or 1) and SNAP_NUM */
        const char *str; /* SNAP_STR, and SNAP_JSON as encoded text: in the node's props block */
    };
    enum snap_prop_kind kind;
} snap_prop;

static inline int snap_has_text(const snap_prop *p)
{
    return p->kind == SNAP_STR || p->kind == SNAP_JSON;
}

static inline int snap_prop_equal(const snap_prop *a, const snap_prop *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == SNAP_BOOL || a->kind == SNAP_NUM)
        return a->num == b->num;
    return strcmp(a->str, b->str) == 0;
}

/* ------------------------------------------------------------------- keys */

/* The app's `key` prop, as the diff compares it: a number (1 and 1.0 alike) or a string. */
enum snap_key_kind { SNAP_KEY_NONE, SNAP_KEY_NUM, SNAP_KEY_STR };

/* The longest string key; a longer one is no key (its control is matched by place). */
#define SNAP_MAX_KEY 65535
/* The most props and slots a node holds: the reader keeps a control's first SNAP_MAX_PROPS
 * props, and a node refuses a slot past SNAP_MAX_SLOTS. */
#define SNAP_MAX_PROPS 65535
#define SNAP_MAX_SLOTS 32767

typedef struct snap_key {
    union {
        double num;
        const char *str; /* SNAP_KEY_STR: len bytes, not NUL-terminated */
    };
    uint32_t len;
    enum snap_key_kind kind;
} snap_key;

static inline int snap_key_equal(const snap_key *a, const snap_key *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind == SNAP_KEY_NUM)
        return a->num == b->num;
    return a->kind == SNAP_KEY_NONE || (a->len == b->len && memcmp(a->str, b->str, a->len) == 0);
}

/* ------------------------------------------------------------------ nodes */

typedef struct snap_node snap_node;

typedef struct snap_slot {
    const char *name; /* interned */
    snap_node **kids; /* an entry is NULL once its node has moved elsewhere */
    int n;
    int cap; /* the length kids was made with (snap_kids_alloc) */
} snap_slot;

struct snap_node {
    uint32_t id;      /* first: the id map compares it */
    uint32_t gen;     /* the diff that last claimed this node for a place in the tree */
    const char *type; /* interned */
    /* The address of its control's table, which the page's index keeps alive as long as the
     * node exists: whether a table is this node's object is one comparison. */
    const void *obj;
    snap_node *parent;
    int pos; /* where in the parent it sits: at pos of its slot slot_idx (below) */
    /* Its props (at most SNAP_MAX_PROPS) and slots (at most SNAP_MAX_SLOTS): narrow, so that
     * the node packs into 72 bytes. */
    uint16_t nprops, nslots;
    /* One allocation holds the props, then their texts and the key's text, so that a node
     * costs few mallocs and a changed control swaps one block. */
    snap_prop *props;
    snap_slot *slots;
    /* The key, flat (snap_key_of makes a snap_key); a string key is at most SNAP_MAX_KEY
     * bytes. */
    union {
        double key_num;
        const char *key_str;
    };
    uint16_t key_len;
    int16_t slot_idx; /* -1 while the diff holds it out of a slot it cleaned */
    uint8_t key_kind;
    uint8_t hooks : 1; /* its control has lifecycle hooks: unmount must find the object */
    /* It sits in a container new to the browser but the browser still shows it elsewhere:
     * the container's add op leaves it out, and a move op written after brings it. */
    uint8_t deferred : 1;
    /* Which of props and slots are allocations of their own (SNAP_OWN_*): a node made by
     * snap_node_make holds both inside its own block until one is replaced. */
    uint8_t own : 2;
    /* Its blocks come from the pool shared by snapshots that have none of their own (when
     * pool_class says they come from a pool), not from its snapshot's. */
    uint8_t shared : 1;
    /* The size class of its block in its pool (the snapshot's or the shared one); 0 when it
     * was malloc'd. Its children's arrays and props blocks come from that pool too when it
     * does. */
    uint8_t pool_class;
    uint8_t props_class; /* the same for a props block of its own (SNAP_OWN_PROPS) */
};

enum { SNAP_OWN_PROPS = 1, SNAP_OWN_SLOTS = 2 };

static inline snap_key snap_key_of(const snap_node *d)
{
    snap_key k;
    k.kind = d->key_kind;
    k.len = d->key_len;
    if (d->key_kind == SNAP_KEY_NUM)
        k.num = d->key_num;
    else
        k.str = d->key_str;
    return k;
}

/* Sets d's key; a string key's text must already be in d's props block. */
static inline void snap_set_key(snap_node *d, const snap_key *k)
{
    d->key_kind = (uint8_t)k->kind;
    d->key_len = k->len;
    if (k->kind == SNAP_KEY_NUM)
        d->key_num = k->num;
    else
        d->key_str = k->kind == SNAP_KEY_STR ? k->str : NULL;
}

/* A new node with no props, slots or key, malloc'd; the caller owns it. Aborts when out of
 * memory. */
snap_node *snap_node_new(uint32_t id, const char *type);

/* A new node of s that holds, in the one block it is made of, its n props (their texts and
 * the key's text copied as snap_props_block does; lens[i] is the length of prop i's text,
 * which saves measuring it) and its slots, one for each of the nslots names, empty. Sets its
 * key from *key. Most nodes are made once and never change: one block per node rather than
 * three, from the snapshot's pool once it is large, is much of the cost of sending a new
 * subtree. The caller owns it until it is put in the tree; it is freed with
 * snap_node_free(s, ...). */
snap_node *snap_node_make(snapshot *s, uint32_t id, const char *type, const snap_prop *props,
                          const size_t *lens, int n, snap_key *key, const char *const *slot_names,
                          int nslots);

/* An array for cap (> 0) children of node d's slots, which the caller fills and gives to a
 * slot (with the slot's cap set to cap). Freed with snap_kids_free and the same d and cap. */
snap_node **snap_kids_alloc(snapshot *s, const snap_node *d, int cap);
void snap_kids_free(snapshot *s, const snap_node *d, snap_node **kids, int cap);

/* Gives d, a node of s, a new props block holding n props and the key's text (copied as
 * snap_node_make does), sets its key from *key, and frees the block it had. */
void snap_node_set_props(snapshot *s, snap_node *d, const snap_prop *props, const size_t *lens,
                         int n, snap_key *key);

/* Frees d, a node of s, and its subtree (entries that moved elsewhere are NULL and skipped),
 * taking each out of s's id map. */
void snap_node_free(snapshot *s, snap_node *d);

/* Frees the n subtrees nodes[0..n), detached from the tree, which hold `count` nodes in all.
 * Taking nodes out of the id map one by one costs a cache miss each: when they are most of
 * the snapshot (a list of thousands cleared), the map is made again from the nodes that stay
 * instead. */
void snap_free_detached(snapshot *s, snap_node **nodes, int n, size_t count);

/* Takes d out of the slot it sits in, leaving NULL there. */
void snap_detach(snap_node *d);

/* The index of d's slot called name (an interned name), made if missing. */
int snap_slot_index(snap_node *d, const char *name);

/* Copies n props and their texts, and the key's text, into one block that the props and
 * *key then point into; NULL when there is nothing to hold. The node it is given to owns
 * the block. Aborts when out of memory. The host makes nodes with snap_node_make and
 * snap_node_set_props, which lay a block out the same way; the C tests build props with
 * this. */
snap_prop *snap_props_block(const snap_prop *props, int n, snap_key *key);

/* -------------------------------------------------------------- the tree */

/* Where a large snapshot's nodes and small child arrays come from: blocks in size classes of
 * 16 bytes, up to 512, cut from slabs the snapshot owns and kept on a free list per class
 * once freed. Building or dropping thousands of nodes then costs no call to malloc or free
 * each, whose cost here depends on how much garbage the Lua collector just handed back. A
 * snapshot makes its pool once it holds SNAP_POOL_FROM nodes, so that the many small pages
 * of idle sessions carry no pool of their own (their blocks come from one pool that they all
 * share, snapshot.c's), and keeps its slabs until it is freed or reset: what a session once
 * held, it keeps room for. */
#define SNAP_POOL_FROM 128
#define SNAP_POOL_GRAIN 16
#define SNAP_POOL_CLASSES 32

typedef struct snap_pool {
    void *free[SNAP_POOL_CLASSES + 1]; /* by class: blocks linked through their first word */
    char *next, *end;                  /* the room left in the newest slab */
    void *slabs;                       /* every slab, linked through its first word */
    size_t slab_bytes;
} snap_pool;

/* Whether snapshots with no pool of their own take their blocks from the shared one (not
 * under AddressSanitizer), and the bytes it holds in slabs: for the tests. */
int snap_shared_pool_on(void);
size_t snap_shared_pool_bytes(void);

struct snapshot {
    snap_node *root; /* the page, id 0 */
    uint32_t next_id;
    uint32_t gen;          /* counts the diffs */
    int busy;              /* a diff is running: build() must not start another on the same page */
    int resync;            /* a diff failed half-way: the next one sends the whole tree afresh */
    idmap map;             /* id -> node, for every node but the root */
    const char *root_type; /* the page's type, shared (intern.h) */
    snap_pool *pool;       /* owned, made once the page is large: freed with the snapshot */
};

/* Makes s hold only the empty page, whose type is root_type: a shared name (intern.h),
 * which the schema gives (host/schema.h). */
void snap_init(snapshot *s, const char *root_type);

/* Frees every node and the pool; s holds nothing after. */
void snap_free(snapshot *s);

/* Drops every node but the counters, leaving the empty page: after a failed diff, when the
 * tree may be ahead of the browser. Ids go on from where they were. */
void snap_reset(snapshot *s);

/* The node with this id, the root excluded, or NULL. */
static inline snap_node *snap_lookup(const snapshot *s, uint32_t id)
{
    return idmap_get(&s->map, id);
}

/* Records d in the id map. */
static inline void snap_remember(snapshot *s, snap_node *d) { idmap_put(&s->map, d); }

/* Makes the prop `key` of node `id` (0: the page) the string text, if the node has that
 * prop: what the browser already shows (a text field's typed text). */
void snap_set_text(snapshot *s, uint32_t id, const char *key, const char *text);
/* The same for a number or a boolean (kind SNAP_NUM or SNAP_BOOL): a slider's position, a
 * checkbox's state. */
void snap_set_scalar(snapshot *s, uint32_t id, const char *key, enum snap_prop_kind kind,
                     double num);

/* Bytes the snapshot holds (without malloc's own overhead), and its number of nodes. */
size_t snap_bytes(const snapshot *s);
size_t snap_count(const snapshot *s);

#endif
