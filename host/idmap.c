#include "idmap.h"

#include <stdlib.h>

#include "mem.h"

/* A removed entry: probing goes on past it. */
static const uint32_t gone_id = 0;
#define GONE ((void *)&gone_id)

static size_t slot_of(uint32_t id, size_t cap)
{
    /* Fibonacci hashing spreads the sequential ids the host hands out. */
    return (size_t)((id * 2654435769u) & (uint32_t)(cap - 1));
}

static uint32_t id_of(const void *v) { return *(const uint32_t *)v; }

static void grow(idmap *m)
{
    /* Most pages hold a few controls: a map starts at four slots (three ids), not at the
     * size of a large page's. */
    size_t cap = m->cap ? m->cap * 2 : 4;
    /* Only tombstones: rebuild at the same size. */
    if (m->cap && m->count * 2 < m->cap)
        cap = m->cap;
    void **slots = mem_calloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++) {
        void *v = m->slots[i];
        if (!v || v == GONE)
            continue;
        size_t j = slot_of(id_of(v), cap);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = v;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    m->used = m->count;
}

void idmap_put(idmap *m, void *value)
{
    uint32_t id = id_of(value);
    if ((m->used + 1) * 4 > m->cap * 3)
        grow(m);
    size_t j = slot_of(id, m->cap), tomb = (size_t)-1;
    for (void *v; (v = m->slots[j]); j = (j + 1) & (m->cap - 1)) {
        if (v == GONE) {
            if (tomb == (size_t)-1)
                tomb = j;
        } else if (id_of(v) == id) {
            m->slots[j] = value;
            return;
        }
    }
    if (tomb != (size_t)-1)
        j = tomb;
    else
        m->used++;
    m->slots[j] = value;
    m->count++;
}

void *idmap_get(const idmap *m, uint32_t id)
{
    if (!m->cap || id == 0)
        return NULL;
    for (size_t j = slot_of(id, m->cap); m->slots[j]; j = (j + 1) & (m->cap - 1)) {
        void *v = m->slots[j];
        if (v != GONE && id_of(v) == id)
            return v;
    }
    return NULL;
}

void idmap_del(idmap *m, uint32_t id)
{
    if (!m->cap || id == 0)
        return;
    for (size_t j = slot_of(id, m->cap); m->slots[j]; j = (j + 1) & (m->cap - 1)) {
        void *v = m->slots[j];
        if (v != GONE && id_of(v) == id) {
            m->slots[j] = GONE;
            m->count--;
            return;
        }
    }
}

void idmap_free(idmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = m->used = 0;
}

size_t idmap_bytes(const idmap *m) { return m->cap * sizeof *m->slots; }
