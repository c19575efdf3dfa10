/* Unit tests for host/snapshot.c: props blocks, keys, the text a browser already shows, and
 * the memory figures. */
#include "../../host/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "../../host/intern.h"
#include "tap.h"

/* Gives s's page n children of one type in its "controls" slot, each with the first nprops
 * of props (and, with_list, an empty list of two children of its own), placed as the diff
 * places nodes; returns the page's list of them. */
static snap_node **fill_page(snapshot *s, int n, const char *type, const snap_prop *props,
                             const size_t *lens, int nprops, int with_list)
{
    const char *names[] = {intern("controls")};
    int slot = snap_slot_index(s->root, names[0]);
    snap_node **kids = snap_kids_alloc(s, s->root, n);
    for (int i = 0; i < n; i++) {
        snap_key none = {.kind = SNAP_KEY_NONE};
        snap_node *k = snap_node_make(s, (uint32_t)(i + 1), type, props, lens, nprops, &none, names,
                                      with_list ? 1 : 0);
        if (with_list) {
            k->slots[0].kids = snap_kids_alloc(s, k, 2);
            k->slots[0].cap = 2;
        }
        k->parent = s->root;
        k->slot_idx = (int16_t)slot;
        k->pos = i;
        kids[i] = k;
        snap_remember(s, k);
    }
    s->root->slots[slot].kids = kids;
    s->root->slots[slot].n = s->root->slots[slot].cap = n;
    return kids;
}

int main(void)
{
    snapshot s;
    snap_init(&s, intern("page"));
    CHECK(s.root && s.root->id == 0 && strcmp(s.root->type, "page") == 0,
          "a new snapshot holds the empty page");
    CHECK(snap_count(&s) == 1, "and counts one node");
    CHECK(sizeof(snap_node) <= 80, "a node packs into 80 bytes (docs/architecture.md)");
    size_t empty = snap_bytes(&s);

    /* A props block holds the props and every text, the key's too, in one allocation. */
    char value[] = "hello", json[] = "{\"left\":4}", keytext[] = "row-7";
    snap_prop props[3] = {
        {.key = intern("value"), .str = value, .kind = SNAP_STR},
        {.key = intern("size"), .num = 20, .kind = SNAP_NUM},
        {.key = intern("padding"), .str = json, .kind = SNAP_JSON},
    };
    snap_key key = {.str = keytext, .len = 5, .kind = SNAP_KEY_STR};
    snap_prop *block = snap_props_block(props, 3, &key);
    char *lo = (char *)block, *hi = lo + 3 * sizeof *block + 6 + 11 + 5;
    CHECK(block[0].str != value && strcmp(block[0].str, "hello") == 0 && block[0].str >= lo &&
              block[0].str < hi,
          "a string prop's text is copied into the block");
    CHECK(block[2].str >= lo && block[2].str < hi && strcmp(block[2].str, json) == 0,
          "so is a JSON prop's");
    CHECK(key.str >= lo && key.str < hi && memcmp(key.str, "row-7", 5) == 0, "and the key's text");
    memset(value, 'x', 5);
    CHECK(strcmp(block[0].str, "hello") == 0, "the block does not borrow the caller's texts");
    snap_key none = {.kind = SNAP_KEY_NONE};
    CHECK(snap_props_block(NULL, 0, &none) == NULL, "nothing to hold is no block");

    /* A node, put in the tree and the id map. */
    snap_node *d = snap_node_new(7, intern("text"));
    d->props = block;
    d->nprops = 3;
    snap_set_key(d, &key);
    snap_key back = snap_key_of(d);
    CHECK(snap_key_equal(&back, &key), "a node gives back the key it was given");
    snap_key other = {.str = "row-8", .len = 5, .kind = SNAP_KEY_STR};
    snap_key num1 = {.num = 1, .kind = SNAP_KEY_NUM}, num1b = {.num = 1.0, .kind = SNAP_KEY_NUM};
    CHECK(!snap_key_equal(&back, &other) && snap_key_equal(&num1, &num1b) &&
              !snap_key_equal(&num1, &back),
          "keys compare by kind and value");
    int slot = snap_slot_index(s.root, intern("controls"));
    CHECK(slot == 0 && snap_slot_index(s.root, intern("controls")) == 0 &&
              snap_slot_index(s.root, intern("overlay")) == 1,
          "a slot is made once, by its shared name");
    snap_slot *sl = &s.root->slots[slot];
    sl->kids = malloc(sizeof *sl->kids);
    sl->kids[0] = d;
    sl->n = 1;
    d->parent = s.root;
    d->slot_idx = slot;
    d->pos = 0;
    snap_remember(&s, d);
    CHECK(snap_lookup(&s, 7) == d, "a node is found by its id");
    CHECK(snap_lookup(&s, 8) == NULL, "and no other is");
    CHECK(snap_count(&s) == 2 && snap_bytes(&s) > empty + sizeof *d,
          "the figures count the node and its block");

    /* What a text field reports as typed: its value prop becomes that text, and the rest of
     * the block (the other texts and the key) is kept. */
    snap_set_text(&s, 7, "value", "typed by hand");
    CHECK(strcmp(d->props[0].str, "typed by hand") == 0 && d->props[0].kind == SNAP_STR,
          "set_text changes the prop");
    back = snap_key_of(d);
    snap_key row7 = {.str = "row-7", .len = 5, .kind = SNAP_KEY_STR};
    CHECK(strcmp(d->props[2].str, json) == 0 && snap_key_equal(&back, &row7) &&
              d->props[1].num == 20,
          "and keeps the other props and the key");
    snap_set_text(&s, 7, "nope", "x");
    CHECK(d->nprops == 3, "a prop the node does not have is not added");

    snap_detach(d);
    CHECK(sl->kids[0] == NULL && d->parent == NULL, "a detached node leaves NULL in its slot");
    snap_node_free(&s, d);
    CHECK(snap_lookup(&s, 7) == NULL, "a freed node leaves the id map");

    /* A node made whole: its props, their texts, the key's text and its slots in one block,
     * which copies what it is given. */
    char label[] = "a label";
    snap_prop two[2] = {
        {.key = intern("value"), .str = label, .kind = SNAP_STR},
        {.key = intern("size"), .num = 12, .kind = SNAP_NUM},
    };
    size_t lens[2] = {7, 0};
    char keytext2[] = "k-2";
    snap_key key2 = {.str = keytext2, .len = 3, .kind = SNAP_KEY_STR};
    const char *names[2] = {intern("controls"), intern("content")};
    snap_node *m = snap_node_make(&s, 9, intern("row"), two, lens, 2, &key2, names, 2);
    char *mlo = (char *)m, *mhi = mlo + sizeof *m + 2 * sizeof(snap_slot) + 2 * sizeof *two + 8 + 3;
    label[0] = 'X';
    keytext2[0] = 'X';
    back = snap_key_of(m);
    snap_key k2 = {.str = "k-2", .len = 3, .kind = SNAP_KEY_STR};
    CHECK(m->nprops == 2 && strcmp(m->props[0].str, "a label") == 0 && m->props[1].num == 12 &&
              snap_key_equal(&back, &k2),
          "a made node holds copies of its props and key");
    CHECK((char *)m->props >= mlo && m->props[0].str < mhi && (char *)m->slots > mlo &&
              (char *)m->slots < mhi && m->key_str >= mlo && m->key_str < mhi,
          "in its own block");
    CHECK(m->nslots == 2 && m->slots[0].name == names[0] && m->slots[1].name == names[1] &&
              m->slots[0].n == 0 && m->slots[1].kids == NULL,
          "with one empty slot per name, in order");
    CHECK(snap_slot_index(m, intern("overlay")) == 2 && m->slots[0].name == names[0] &&
              m->slots[2].n == 0,
          "a slot added later moves the slots out of the block, keeping them");
    snap_prop one = {.key = intern("value"), .str = "changed", .kind = SNAP_STR};
    snap_key nokey = {.kind = SNAP_KEY_NONE};
    snap_node_set_props(&s, m, &one, NULL, 1, &nokey);
    CHECK(m->nprops == 1 && strcmp(m->props[0].str, "changed") == 0 && m->key_kind == SNAP_KEY_NONE,
          "new props replace the ones in the block, and the key with them");
    snap_node_free(&s, m);

    /* Past SNAP_POOL_FROM nodes, nodes come from the snapshot's pool: a freed one's block is
     * the next one's. */
    snapshot big;
    snap_init(&big, intern("page"));
    int total = SNAP_POOL_FROM + 100;
    snap_node **kids = fill_page(&big, total, intern("text"), two, lens, 1, 0);
    int slot0 = snap_slot_index(big.root, intern("controls"));
    CHECK(kids[0]->shared == snap_shared_pool_on() && !kids[total - 1]->shared &&
              kids[total - 1]->pool_class != 0 && big.pool != NULL,
          "a snapshot takes nodes from the shared pool, then from its own once it is large");
    snap_node *last = kids[total - 1];
    snap_detach(last);
    snap_node_free(&big, last);
    snap_key none3 = {.kind = SNAP_KEY_NONE};
    snap_node *again = snap_node_make(&big, 9999, intern("text"), two, lens, 1, &none3, NULL, 0);
    CHECK(again == last, "and gives a freed node's block to the next node of its size");
    snap_remember(&big, again);
    kids[total - 1] = again;

    /* Most of the tree leaving at once: the id map is made again from what stays. */
    snap_node **gone = malloc(sizeof *gone * (size_t)(total - 2));
    for (int i = 2; i < total; i++) {
        gone[i - 2] = kids[i];
        snap_detach(kids[i]);
    }
    big.root->slots[slot0].n = 2;
    snap_free_detached(&big, gone, total - 2, (size_t)(total - 2));
    CHECK(snap_count(&big) == 3 && snap_lookup(&big, 1) == kids[0] &&
              snap_lookup(&big, 2) == kids[1] && snap_lookup(&big, 3) == NULL &&
              snap_lookup(&big, 9999) == NULL,
          "freeing most of the tree leaves a map of exactly what stays");
    /* A few leaving: one by one. */
    gone[0] = kids[1];
    snap_detach(kids[1]);
    big.root->slots[slot0].n = 1;
    snap_node *stays = kids[0];
    snap_node *extra = snap_node_make(&big, 5000, intern("text"), two, lens, 1, &none3, NULL, 0);
    snap_remember(&big, extra);
    big.root->slots[slot0].kids[1] = extra;
    big.root->slots[slot0].n = 2;
    snap_free_detached(&big, gone, 1, 1);
    CHECK(snap_count(&big) == 3 && snap_lookup(&big, 1) == stays &&
              snap_lookup(&big, 5000) == extra && snap_lookup(&big, 2) == NULL,
          "freeing a few takes just those out of the map");
    free(gone);
    snap_free(&big);
    CHECK(big.root == NULL && big.pool == NULL, "a freed snapshot holds no pool");

    /* Snapshots made and freed over and over, small ones and ones that outgrow the shared
     * pool half-way: every block goes back to the pool it came from, so the shared pool's
     * slabs stop growing once the first rounds have made room. */
    size_t after_two = 0;
    for (int round = 0; round < 10; round++) {
        for (int size = 20; size <= SNAP_POOL_FROM + 40; size += SNAP_POOL_FROM + 20) {
            snapshot r;
            snap_init(&r, intern("page"));
            fill_page(&r, size, intern("row"), two, lens, 2, 1);
            snap_free(&r);
        }
        if (round == 1)
            after_two = snap_shared_pool_bytes();
    }
    CHECK(snap_shared_pool_bytes() == after_two && (after_two > 0) == (snap_shared_pool_on() != 0),
          "blocks of the shared pool come back to it, whichever way their snapshot is freed");

    s.next_id = 41;
    snap_reset(&s);
    CHECK(s.root && s.root->nslots == 0 && s.next_id == 41,
          "a reset leaves the empty page and the id count");
    snap_free(&s);
    CHECK(s.root == NULL, "a freed snapshot holds nothing");
    intern_free_all();
    return TAP_DONE();
}
