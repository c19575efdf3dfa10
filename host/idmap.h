/* idmap: a map from control ids to snapshot nodes (open addressing, linear probing), so that
 * the diff finds a control anywhere in the tree in O(1), as moves across parents need. */
#ifndef LUAFLET_IDMAP_H
#define LUAFLET_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct idmap {
    uint32_t *keys; /* 0 is "empty"; ids start at 1 (the page, id 0, is never stored) */
    void **values;
    size_t cap, count, used; /* used counts live entries and tombstones */
} idmap;

/* Returns 0, or -1 when out of memory (the map is unchanged). */
int idmap_put(idmap *m, uint32_t id, void *value);
void *idmap_get(const idmap *m, uint32_t id);
void idmap_del(idmap *m, uint32_t id);
void idmap_free(idmap *m);
/* Bytes the map holds, for the memory figures. */
size_t idmap_bytes(const idmap *m);

#endif
