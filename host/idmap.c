#include "idmap.h"

#include <stdlib.h>

#define TOMBSTONE UINT32_MAX

static size_t slot_of(uint32_t id, size_t cap)
{
    /* Fibonacci hashing spreads the sequential ids the host hands out. */
    return (size_t)((id * 2654435769u) & (uint32_t)(cap - 1));
}

static int grow(idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    /* Only tombstones: rebuild at the same size. */
    if (m->cap && m->count * 2 < m->cap)
        cap = m->cap;
    uint32_t *keys = calloc(cap, sizeof *keys);
    void **values = calloc(cap, sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        uint32_t k = m->keys[i];
        if (k == 0 || k == TOMBSTONE)
            continue;
        size_t j = slot_of(k, cap);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = k;
        values[j] = m->values[i];
    }
    free(m->keys);
    free(m->values);
    m->keys = keys;
    m->values = values;
    m->cap = cap;
    m->used = m->count;
    return 0;
}

int idmap_put(idmap *m, uint32_t id, void *value)
{
    if ((m->used + 1) * 4 > m->cap * 3 && grow(m) < 0)
        return -1;
    size_t j = slot_of(id, m->cap), tomb = (size_t)-1;
    while (m->keys[j]) {
        if (m->keys[j] == id) {
            m->values[j] = value;
            return 0;
        }
        if (m->keys[j] == TOMBSTONE && tomb == (size_t)-1)
            tomb = j;
        j = (j + 1) & (m->cap - 1);
    }
    if (tomb != (size_t)-1)
        j = tomb;
    else
        m->used++;
    m->keys[j] = id;
    m->values[j] = value;
    m->count++;
    return 0;
}

void *idmap_get(const idmap *m, uint32_t id)
{
    if (!m->cap || id == 0 || id == TOMBSTONE)
        return NULL;
    size_t j = slot_of(id, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == id)
            return m->values[j];
        j = (j + 1) & (m->cap - 1);
    }
    return NULL;
}

void idmap_del(idmap *m, uint32_t id)
{
    if (!m->cap || id == 0 || id == TOMBSTONE)
        return;
    size_t j = slot_of(id, m->cap);
    while (m->keys[j]) {
        if (m->keys[j] == id) {
            m->keys[j] = TOMBSTONE;
            m->values[j] = NULL;
            m->count--;
            return;
        }
        j = (j + 1) & (m->cap - 1);
    }
}

void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->cap = m->count = m->used = 0;
}

size_t idmap_bytes(const idmap *m) { return m->cap * (sizeof *m->keys + sizeof *m->values); }
