/* patch_write: the messages the host writes to a browser, and the only C code that frames
 * one. A patch and its ops, an init with the whole tree, an error. A node's JSON, in an add
 * op or in an init's tree, is written by one function: pw_node. The keys are proto_keys.h's
 * and the text goes through proto.c's writer. Names start with pw_.
 *
 * docs/protocol.md describes every message and op written here. */
#ifndef LUAFLET_PATCH_WRITE_H
#define LUAFLET_PATCH_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "proto.h"
#include "snapshot.h"

/* A patch being written: its text so far, and how many ops it holds. */
typedef struct patch_writer {
    buf buf;
    int nops;
} patch_writer;

/* Starts patch number seq: {"t":"patch","seq":seq,"ops":[ */
void pw_open(patch_writer *w, int64_t seq);

/* Ends the patch: ]} */
void pw_close(patch_writer *w);

/* add: the subtree `node` into slot `slot` of parent, before the sibling `before` (NULL: at
 * the end), which the client already has in place. Nodes marked `deferred` are left out. */
void pw_add(patch_writer *w, const snap_node *parent, const char *slot, const snap_node *before,
            const snap_node *node);

/* move: node, with its subtree, into slot `slot` of parent, before `before` (NULL: at the
 * end). */
void pw_move(patch_writer *w, const snap_node *parent, const char *slot, const snap_node *before,
             const snap_node *node);

/* set: node id's changed props, written one by one; the first (first != 0) opens the op and
 * pw_set_end closes it. A removed prop is sent as null. */
void pw_set_prop(patch_writer *w, uint32_t id, const snap_prop *p, int first);
void pw_set_removed(patch_writer *w, uint32_t id, const char *key, int first);
void pw_set_end(patch_writer *w);

/* remove: control id and its subtree. */
void pw_remove(patch_writer *w, uint32_t id);

/* clean: every child of slot `slot` of control id. */
void pw_clean(patch_writer *w, uint32_t id, const char *slot);

/* A node as JSON: {"id":..,"type":..,"props":{..},"slots":{..}}, with its subtree. Children
 * marked `deferred` are left out; a slot left with no child is left out too. */
void pw_node(buf *b, const snap_node *d);

/* {"t":"init","seq":seq[,"session":token],"tree":root} */
void pw_init(buf *b, const snap_node *root, int64_t seq, const char *token);

/* {"t":"error","message":msg} as text; the caller frees it. NULL when out of memory. */
char *pw_error(const char *msg, size_t *len);

#endif
