/* proto_keys: every key and message kind of the wire protocol, once, for C.
 * docs/protocol.md documents them; lua/flet/protocol.lua and client/src/constants.js hold
 * the same names for their languages. */
#ifndef LUAFLET_PROTO_KEYS_H
#define LUAFLET_PROTO_KEYS_H

#define PK_WS_PATH "/ws" /* where sessions' WebSockets connect */

#define PK_T "t"
#define PK_INIT "init"
#define PK_PATCH "patch"
#define PK_ERROR "error"

#define PK_SEQ "seq"
#define PK_SESSION "session"
#define PK_TREE "tree"
#define PK_OPS "ops"
#define PK_MESSAGE "message"

#define PK_OP "op"
#define PK_ADD "add"
#define PK_SET "set"
#define PK_REMOVE "remove"
#define PK_MOVE "move"
#define PK_CLEAN "clean"

#define PK_ID "id"
#define PK_TYPE "type"
#define PK_PROPS "props"
#define PK_SLOTS "slots"
#define PK_PARENT "parent"
#define PK_SLOT "slot"
#define PK_BEFORE "before"
#define PK_NODE "node"

#endif
