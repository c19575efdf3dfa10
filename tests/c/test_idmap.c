/* Unit tests for host/idmap.c against a plain array. */
#include "../../host/idmap.h"

#include <stdint.h>
#include <stdlib.h>

#include "tap.h"

int main(void)
{
    idmap m = {0};
    CHECK(idmap_get(&m, 1) == NULL, "an empty map finds nothing");

    static int values[20001];
    static void *mirror[20001];
    for (uint32_t id = 1; id <= 20000; id++) {
        idmap_put(&m, id, &values[id]);
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
            idmap_put(&m, id, &values[id]);
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
    CHECK(idmap_bytes(&m) <= 16 * 2 * 65536, "tombstones do not make the map grow without end");

    idmap_put(&m, 5, &values[1]);
    idmap_put(&m, 5, &values[2]);
    CHECK(idmap_get(&m, 5) == &values[2], "put replaces the value of an id");
    idmap_free(&m);
    CHECK(m.count == 0 && idmap_get(&m, 5) == NULL, "a freed map is empty");
    return TAP_DONE();
}
