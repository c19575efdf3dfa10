/* Unit tests for host/patch_write.c: the exact text of each op and message, and one node
 * writer for an add op and an init alike. */
#include "../../host/patch_write.h"

#include <stdlib.h>
#include <string.h>

#include "../../host/intern.h"
#include "tap.h"

/* Whether the buffer holds exactly `want`; resets it. */
static int text_is(buf *b, const char *want)
{
    int ok = b->len == strlen(want) && memcmp(b->p, want, b->len) == 0;
    if (!ok)
        printf("#   got:  %.*s\n#   want: %s\n", (int)b->len, b->p, want);
    b->len = 0;
    return ok;
}

static snap_node *node(uint32_t id, const char *type) { return snap_node_new(id, intern(type)); }

static void put_kid(snap_node *parent, const char *slot, snap_node *kid)
{
    int i = snap_slot_index(parent, intern(slot));
    snap_slot *s = &parent->slots[i];
    s->kids = realloc(s->kids, sizeof *s->kids * (size_t)(s->n + 1));
    kid->parent = parent;
    kid->slot_idx = i;
    kid->pos = s->n;
    s->kids[s->n++] = kid;
}

int main(void)
{
    snapshot snap;
    snap_init(&snap, intern("page"));
    snap_node *root = snap.root;
    snap_node *col = node(1, "column"), *a = node(2, "text"), *b = node(3, "text");
    snap_prop pa[2] = {{.key = intern("value"), .str = "a \"q\"", .kind = SNAP_STR},
                       {.key = intern("italic"), .num = 1, .kind = SNAP_BOOL}};
    snap_key none = {.kind = SNAP_KEY_NONE};
    a->props = snap_props_block(pa, 2, &none);
    a->nprops = 2;
    put_kid(root, "controls", col);
    put_kid(col, "controls", a);
    put_kid(col, "controls", b);
    snap_slot_index(col, intern("empty")); /* a slot with no child is left out */

    buf buf = {0};
    pw_node(&buf, col);
    CHECK(text_is(&buf,
                  "{\"id\":1,\"type\":\"column\",\"props\":{},\"slots\":{\"controls\":["
                  "{\"id\":2,\"type\":\"text\",\"props\":{\"value\":\"a \\\"q\\\"\","
                  "\"italic\":true},\"slots\":{}},"
                  "{\"id\":3,\"type\":\"text\",\"props\":{},\"slots\":{}}]}}"),
          "a node is written with its props and its subtree");

    /* A child the browser still has elsewhere is left out of its new container's add op;
     * the move written after brings it. */
    b->deferred = 1;
    pw_node(&buf, col);
    CHECK(text_is(&buf,
                  "{\"id\":1,\"type\":\"column\",\"props\":{},\"slots\":{\"controls\":["
                  "{\"id\":2,\"type\":\"text\",\"props\":{\"value\":\"a \\\"q\\\"\","
                  "\"italic\":true},\"slots\":{}}]}}"),
          "a deferred child is left out");
    a->deferred = 1;
    pw_node(&buf, col);
    CHECK(text_is(&buf, "{\"id\":1,\"type\":\"column\",\"props\":{},\"slots\":{\"controls\":[]}}"),
          "a slot whose children are all deferred is an empty list");
    a->deferred = b->deferred = 0;

    patch_writer w = {0};
    pw_open(&w, 42);
    pw_add(&w, root, intern("controls"), NULL, a);
    pw_move(&w, col, intern("controls"), a, b);
    snap_prop size = {.key = intern("size"), .num = 1.5, .kind = SNAP_NUM};
    pw_set_prop(&w, 2, &size, 1);
    pw_set_removed(&w, 2, intern("italic"), 0);
    pw_set_end(&w);
    pw_remove(&w, 3);
    pw_clean(&w, 1, intern("controls"));
    pw_close(&w);
    CHECK(w.nops == 5, "a patch counts its ops");
    CHECK(text_is(&w.buf,
                  "{\"t\":\"patch\",\"seq\":42,\"ops\":["
                  "{\"op\":\"add\",\"parent\":0,\"slot\":\"controls\",\"before\":null,\"node\":"
                  "{\"id\":2,\"type\":\"text\",\"props\":{\"value\":\"a \\\"q\\\"\","
                  "\"italic\":true},\"slots\":{}}},"
                  "{\"op\":\"move\",\"parent\":1,\"slot\":\"controls\",\"before\":2,\"id\":3},"
                  "{\"op\":\"set\",\"id\":2,\"props\":{\"size\":1.5,\"italic\":null}},"
                  "{\"op\":\"remove\",\"id\":3},"
                  "{\"op\":\"clean\",\"id\":1,\"slot\":\"controls\"}]}"),
          "a patch holds its ops in order, each as docs/protocol.md has it");

    pw_init(&buf, root, 7, "9f0c");
    CHECK(text_is(&buf,
                  "{\"t\":\"init\",\"seq\":7,\"session\":\"9f0c\",\"tree\":"
                  "{\"id\":0,\"type\":\"page\",\"props\":{},\"slots\":{\"controls\":["
                  "{\"id\":1,\"type\":\"column\",\"props\":{},\"slots\":{\"controls\":["
                  "{\"id\":2,\"type\":\"text\",\"props\":{\"value\":\"a \\\"q\\\"\","
                  "\"italic\":true},\"slots\":{}},"
                  "{\"id\":3,\"type\":\"text\",\"props\":{},\"slots\":{}}]}}]}}}"),
          "an init holds the whole tree, written as an add op's node is");
    pw_init(&buf, root, 8, NULL);
    CHECK(buf.len > 0 && memmem(buf.p, buf.len, "\"session\"", 9) == NULL,
          "an init without a token leaves the session out");
    buf.len = 0;

    size_t len;
    char *err = pw_error("bad \"x\"\n", &len);
    CHECK(err && len == strlen(err) &&
              strcmp(err, "{\"t\":\"error\",\"message\":\"bad \\\"x\\\"\\n\"}") == 0,
          "an error message is escaped and NUL-terminated");
    free(err);

    buf_free(&buf);
    buf_free(&w.buf);
    snap_free(&snap);
    intern_free_all();
    return TAP_DONE();
}
