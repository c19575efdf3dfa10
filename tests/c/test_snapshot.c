/* Unit tests for host/snapshot.c: props blocks, keys, the text a browser already shows, and
 * the memory figures. */
#include "../../host/snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "../../host/intern.h"
#include "tap.h"

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

    s.next_id = 41;
    snap_reset(&s);
    CHECK(s.root && s.root->nslots == 0 && s.next_id == 41,
          "a reset leaves the empty page and the id count");
    snap_free(&s);
    CHECK(s.root == NULL, "a freed snapshot holds nothing");
    intern_free_all();
    return TAP_DONE();
}
