#include "patch_write.h"

#include <stdlib.h>

#include "proto_keys.h"

/* `,"key":` for one of the protocol's own keys, written as one literal. */
#define PB_KEY(b, key) pb_raw((b), ",\"" key "\":", sizeof(",\"" key "\":") - 1)

/* Starts the next op of the patch: the comma between ops, then the op's kind (a protocol
 * constant, so plain text). */
#define OP_BEGIN(w, kind)                                  \
    do {                                                   \
        if ((w)->nops++)                                   \
            pb_raw(&(w)->buf, ",", 1);                     \
        pb_raw(&(w)->buf, "{\"" PK_OP "\":\"" kind "\"",   \
               sizeof("{\"" PK_OP "\":\"" kind "\"") - 1); \
    } while (0)

static void put_prop(buf *b, const snap_prop *p, int first)
{
    pb_key(b, p->key, first);
    switch (p->kind) {
    case SNAP_BOOL:
        pb_lit(b, p->num ? "true" : "false");
        break;
    case SNAP_NUM:
        pb_num(b, p->num);
        break;
    case SNAP_STR:
        pb_str(b, p->str);
        break;
    case SNAP_JSON:
        pb_lit(b, p->str);
        break;
    }
}

void pw_node(buf *b, const snap_node *d)
{
    pb_lit(b, "{\"" PK_ID "\":");
    pb_num(b, d->id);
    PB_KEY(b, PK_TYPE);
    pb_str(b, d->type);
    PB_KEY(b, PK_PROPS);
    pb_raw(b, "{", 1);
    for (int i = 0; i < d->nprops; i++)
        put_prop(b, &d->props[i], i == 0);
    pb_raw(b, "}", 1);
    PB_KEY(b, PK_SLOTS);
    pb_raw(b, "{", 1);
    int first = 1;
    for (int i = 0; i < d->nslots; i++) {
        const snap_slot *s = &d->slots[i];
        /* A slot whose every child is deferred is still written, as an empty list: those
         * children are moved into it next. */
        int any = 0;
        for (int k = 0; k < s->n && !any; k++)
            any = s->kids[k] != NULL;
        if (!any)
            continue;
        pb_key(b, s->name, first);
        first = 0;
        pb_raw(b, "[", 1);
        int sep = 0;
        for (int k = 0; k < s->n; k++) {
            const snap_node *kid = s->kids[k];
            if (!kid || kid->deferred)
                continue;
            if (sep++)
                pb_raw(b, ",", 1);
            pw_node(b, kid);
        }
        pb_raw(b, "]", 1);
    }
    pb_raw(b, "}}", 2);
}

void pw_init(buf *b, const snap_node *root, int64_t seq, const char *token)
{
    pb_lit(b, "{\"" PK_T "\":\"" PK_INIT "\"");
    PB_KEY(b, PK_SEQ);
    pb_num(b, (double)seq);
    if (token) {
        PB_KEY(b, PK_SESSION);
        pb_str(b, token);
    }
    PB_KEY(b, PK_TREE);
    pw_node(b, root);
    pb_raw(b, "}", 1);
}

char *pw_error(const char *msg, size_t *len)
{
    buf b = {0};
    pb_lit(&b, "{\"" PK_T "\":\"" PK_ERROR "\"");
    PB_KEY(&b, PK_MESSAGE);
    pb_str(&b, msg);
    pb_raw(&b, "}", 1);
    buf_cstr(&b);
    if (len)
        *len = b.len;
    return b.p;
}

/* ---------------------------------------------------------------- patches */

void pw_open(patch_writer *w, int64_t seq)
{
    w->nops = 0;
    pb_lit(&w->buf, "{\"" PK_T "\":\"" PK_PATCH "\",\"" PK_SEQ "\":");
    pb_num(&w->buf, (double)seq);
    pb_lit(&w->buf, ",\"" PK_OPS "\":[");
}

void pw_close(patch_writer *w) { pb_raw(&w->buf, "]}", 2); }

/* The fields an add and a move share, after the op's kind. The client applies ops in order,
 * so `before` is always already in place. */
static void put_place(buf *b, const snap_node *parent, const char *slot, const snap_node *before)
{
    PB_KEY(b, PK_PARENT);
    pb_num(b, parent->id);
    PB_KEY(b, PK_SLOT);
    pb_str(b, slot);
    PB_KEY(b, PK_BEFORE);
    if (before)
        pb_num(b, before->id);
    else
        pb_lit(b, "null");
}

void pw_add(patch_writer *w, const snap_node *parent, const char *slot, const snap_node *before,
            const snap_node *node)
{
    OP_BEGIN(w, PK_ADD);
    put_place(&w->buf, parent, slot, before);
    PB_KEY(&w->buf, PK_NODE);
    pw_node(&w->buf, node);
    pb_raw(&w->buf, "}", 1);
}

void pw_move(patch_writer *w, const snap_node *parent, const char *slot, const snap_node *before,
             const snap_node *node)
{
    OP_BEGIN(w, PK_MOVE);
    put_place(&w->buf, parent, slot, before);
    PB_KEY(&w->buf, PK_ID);
    pb_num(&w->buf, node->id);
    pb_raw(&w->buf, "}", 1);
}

static void set_begin(patch_writer *w, uint32_t id)
{
    OP_BEGIN(w, PK_SET);
    PB_KEY(&w->buf, PK_ID);
    pb_num(&w->buf, id);
    PB_KEY(&w->buf, PK_PROPS);
    pb_raw(&w->buf, "{", 1);
}

void pw_set_prop(patch_writer *w, uint32_t id, const snap_prop *p, int first)
{
    if (first)
        set_begin(w, id);
    put_prop(&w->buf, p, first);
}

void pw_set_removed(patch_writer *w, uint32_t id, const char *key, int first)
{
    if (first)
        set_begin(w, id);
    pb_key(&w->buf, key, first);
    pb_lit(&w->buf, "null");
}

void pw_set_end(patch_writer *w) { pb_raw(&w->buf, "}}", 2); }

void pw_remove(patch_writer *w, uint32_t id)
{
    OP_BEGIN(w, PK_REMOVE);
    PB_KEY(&w->buf, PK_ID);
    pb_num(&w->buf, id);
    pb_raw(&w->buf, "}", 1);
}

void pw_clean(patch_writer *w, uint32_t id, const char *slot)
{
    OP_BEGIN(w, PK_CLEAN);
    PB_KEY(&w->buf, PK_ID);
    pb_num(&w->buf, id);
    PB_KEY(&w->buf, PK_SLOT);
    pb_str(&w->buf, slot);
    pb_raw(&w->buf, "}", 1);
}
