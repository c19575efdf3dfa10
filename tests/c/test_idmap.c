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

/* Non-empty slots, tombstones included, counted in the slots themselves. */
static size_t filled(const idmap *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->cap; i++)
        n += m->slots[i] != NULL;
    return n;
}

/* The host hands out ever-growing ids and never reuses one: a page that keeps about the same
 * number of controls while replacing them moves a window of live ids up. Each removal leaves
 * a tombstone that no later id takes back by chance; unless growth counts them, they fill
 * every empty slot, and a probe for an id that is not there never ends. So the checks below
 * read the slots before any lookup that could spin: an empty slot must always be left. */
static void sliding_window(void)
{
    enum { LIVE = 1000, STEPS = 100000 };
    static item values[LIVE + STEPS + 1];
    for (uint32_t id = 1; id <= LIVE + STEPS; id++)
        values[id].id = id;
    idmap m = {0};
    uint32_t low = 1, next = 1; /* the live ids are low..next-1 */
    while (next <= LIVE)
        idmap_put(&m, &values[next++]);
    int ok = 1, bounded = 1, tombstone = 0;
    for (int step = 0; step < STEPS && ok && bounded; step++) {
        idmap_del(&m, low++);
        /* A removed entry stays in its slot as a tombstone: the probe for an id placed past
         * it goes on there. */
        if (step == 0)
            tombstone = filled(&m) == m.count + 1;
        idmap_put(&m, &values[next++]);
        /* What is filled, tombstones included, stays under three quarters of the slots. */
        bounded = m.used * 4 <= m.cap * 3;
        if (step % 1000 == 0 || !bounded)
            bounded = bounded && filled(&m) == m.used;
        if (bounded && step % 1000 == 0) {
            for (uint32_t id = low; id < next; id++)
                ok = ok && idmap_get(&m, id) == &values[id];
            ok = ok && idmap_get(&m, low - 1) == NULL && idmap_get(&m, next) == NULL;
        }
    }
    CHECK(tombstone, "a removal leaves a tombstone");
    CHECK(bounded, "growth counts tombstones: an empty slot is always left");
    CHECK(ok && m.count == LIVE, "a sliding window of 100,000 new ids keeps the map exact");
    if (bounded) {
        int none = 1;
        for (uint32_t id = 1; id < low; id++)
            none = none && idmap_get(&m, id) == NULL;
        CHECK(none, "every removed id is gone, and each lookup ends");
    } else {
        CHECK(0, "every removed id is gone, and each lookup ends (not tried: it could spin)");
    }
    CHECK(idmap_bytes(&m) <= sizeof(void *) * 4 * LIVE, "the map stays the size of what is live");
    idmap_free(&m);
}

int main(void)
{
    idmap m = {0};
    CHECK(idmap_get(&m, 1) == NULL, "an empty map finds nothing");

    static item values[20001];
    static void *mirror[20001];
    for (uint32_t id = 1; id <= 20000; id++)
        values[id].id = id;
    /* A page of a few controls (an idle counter's has two) is the common case, thousands of
     * times over: its map is a few words, not a large page's. */
    for (uint32_t id = 1; id <= 3; id++)
        idmap_put(&m, &values[id]);
    CHECK(idmap_get(&m, 3) == &values[3] && idmap_bytes(&m) <= 8 * sizeof(void *),
          "a map of three ids holds at most eight slots");
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
    CHECK(idmap_bytes(&m) <= sizeof(void *) * 65536,
          "tombstones do not make the map grow without end");

    item a = {5, 1}, b = {5, 2};
    live += mirror[5] == NULL;
    idmap_put(&m, &a);
    idmap_put(&m, &b);
    CHECK(idmap_get(&m, 5) == &b && m.count == live, "put replaces the object of an id");
    idmap_free(&m);
    CHECK(m.count == 0 && idmap_get(&m, 5) == NULL, "a freed map is empty");
    sliding_window();
    return TAP_DONE();
}
