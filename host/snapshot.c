#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "mem.h"

/* ------------------------------------------------------------------ nodes */

snap_node *snap_node_new(uint32_t id, const char *type)
{
    snap_node *d = mem_calloc(1, sizeof *d);
    d->id = id;
    d->type = type;
    return d;
}

void snap_node_free(snapshot *s, snap_node *d)
{
    if (!d)
        return;
    if (s)
        idmap_del(&s->map, d->id);
    free(d->props);
    for (int i = 0; i < d->nslots; i++) {
        for (int k = 0; k < d->slots[i].n; k++)
            snap_node_free(s, d->slots[i].kids[k]);
        free(d->slots[i].kids);
    }
    free(d->slots);
    free(d);
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
    d->slots = mem_realloc(d->slots, sizeof *d->slots * (size_t)(d->nslots + 1));
    snap_slot *s = &d->slots[d->nslots];
    s->name = name;
    s->kids = NULL;
    s->n = 0;
    return d->nslots++;
}

snap_prop *snap_props_block(const snap_prop *props, int n, snap_key *key)
{
    size_t texts = key->kind == SNAP_KEY_STR ? key->len : 0;
    for (int i = 0; i < n; i++)
        if (snap_has_text(&props[i]))
            texts += strlen(props[i].str) + 1;
    if (!n && !texts)
        return NULL;
    snap_prop *block = mem_alloc(sizeof *props * (size_t)n + texts);
    char *t = (char *)(block + n);
    for (int i = 0; i < n; i++) {
        block[i] = props[i];
        if (!snap_has_text(&props[i]))
            continue;
        block[i].str = t;
        t = stpcpy(t, props[i].str) + 1;
    }
    if (key->kind == SNAP_KEY_STR)
        key->str = memcpy(t, key->str, key->len);
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
static void replace_text(snap_node *d, int i, const char *text)
{
    size_t len = strlen(text) + 1;
    snap_prop *block = mem_alloc(props_block_size(d) + len);
    char *t = (char *)(block + d->nprops);
    for (int k = 0; k < d->nprops; k++) {
        block[k] = d->props[k];
        const char *str = k == i ? text : snap_has_text(&d->props[k]) ? d->props[k].str : NULL;
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
    free(d->props);
    d->props = block;
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
    snap_node_free(NULL, s->root);
    s->root = NULL;
    idmap_free(&s->map);
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
            replace_text(d, i, text);
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
