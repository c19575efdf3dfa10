/* idmap: a map from control ids to snapshot nodes (open addressing, linear probing), so that
 * the diff finds a control anywhere in the tree in O(1), as moves across parents need.
 *
 * The map holds only pointers. Each object put in it begins with its uint32_t id, which a
 * lookup compares: finding a node reads one slot and the node itself, which the caller was
 * about to read anyway. */
#ifndef LUAFLET_IDMAP_H
#define LUAFLET_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct idmap {
    void **slots;            /* NULL is empty; a removed entry is a tombstone */
    size_t cap, count, used; /* used counts live entries and tombstones */
} idmap;

/* Puts value, whose first member is the uint32_t id (not 0), replacing the object that had
 * that id. */
void idmap_put(idmap *m, void *value);
void *idmap_get(const idmap *m, uint32_t id);
void idmap_del(idmap *m, uint32_t id);
void idmap_free(idmap *m);
/* Bytes the map holds, for the memory figures. */
size_t idmap_bytes(const idmap *m);

#endif
