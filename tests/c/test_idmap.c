/* Unit tests for host/idmap.c against a plain array. */
#include "../../host/idmap.h"

#include <stdint.h>
#include <stdlib.h>

#include "tap.h"

/* What the map holds: anything that begins with its id. */
typedef struct item {
    uint32_t id;
    int payload;
} item;

int main(void)
{
    idmap m = {0};
    CHECK(idmap_get(&m, 1) == NULL, "an empty map finds nothing");

    static item values[20001];
    static void *mirror[20001];
    for (uint32_t id = 1; id <= 20000; id++)
        values[id].id = id;
    for (uint32_t id = 1; id <= 20000; id++) {
        idmap_put(&m, &values[id]);
        mirror[id] = &values[id];
    }
    int ok = m.count == 20000;
    for (uint32_t id = 1; id <= 20000; id++)
        ok = ok && idmap_get(&m, id) == mirror[id];
    CHECK(ok, "20,000 ids put are all found");

    /* Churn: delete and re-add, as sessions remove and add controls. */
    unsigned rng = 7;
    uint32_t next = 20001;
    for (int i = 0; i < 200000; i++) {
        rng = rng * 1103515245u + 12345u;
        uint32_t id = 1 + (rng >> 8) % 20000;
        if (mirror[id]) {
            idmap_del(&m, id);
            mirror[id] = NULL;
        } else {
            idmap_put(&m, &values[id]);
            mirror[id] = &values[id];
        }
    }
    size_t live = 0;
    ok = 1;
    for (uint32_t id = 1; id <= 20000; id++) {
        live += mirror[id] != NULL;
        ok = ok && idmap_get(&m, id) == mirror[id];
    }
    CHECK(ok && m.count == live, "200,000 deletes and re-adds keep the map exact");
    CHECK(idmap_get(&m, next) == NULL, "an id never put is not found");
    CHECK(idmap_bytes(&m) <= sizeof(void *) * 65536, "tombstones do not make the map grow without end");

    item a = {5, 1}, b = {5, 2};
    live += mirror[5] == NULL;
    idmap_put(&m, &a);
    idmap_put(&m, &b);
    CHECK(idmap_get(&m, 5) == &b && m.count == live, "put replaces the object of an id");
    idmap_free(&m);
    CHECK(m.count == 0 && idmap_get(&m, 5) == NULL, "a freed map is empty");
    return TAP_DONE();
}
