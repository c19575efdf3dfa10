/* proto: JSON on the wire. The only file that includes cJSON: it turns received text into Lua
 * values and Lua values into JSON, and holds the text writer (pb_*) with which patch_write.c
 * writes the host's messages. */
#ifndef LUAFLET_PROTO_H
#define LUAFLET_PROTO_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/* Deepest nesting accepted from a client or produced from a Lua table. */
#define PROTO_MAX_DEPTH 32

/* Parses len bytes of JSON and pushes the value as Lua data (objects and arrays become
 * tables, null becomes nil in tables and a pushed nil at top level).
 * Returns 0, or -1 with nothing pushed and *err set to a static description. */
int proto_push_decoded(lua_State *L, const char *text, size_t len, const char **err);

/* Encodes the Lua value at idx as JSON text. Functions, userdata, threads and controls
 * (schema_is_control) are left out. The caller frees the result with free().
 * Returns NULL and sets *err on failure (too deep, a key that is neither string nor number). */
char *proto_encode_lua(lua_State *L, int idx, size_t *len, const char **err);

/* Whether len bytes at s are well-formed UTF-8. */
int proto_utf8_valid(const char *s, size_t len);

/* Registers json_encode and json_decode into the table on top of L. */
void proto_register(lua_State *L);

/* ------------------------------------------------------------ text writer */

/* JSON written straight into a growing buffer (buf.h): what the diff uses, as building a
 * tree of nodes first costs more than the diff itself. */
static inline void pb_raw(buf *b, const char *s, size_t n) { buf_add(b, s, n); }
void pb_lit(buf *b, const char *s);              /* s as is, by strlen */
void pb_str(buf *b, const char *s);              /* s as a JSON string, quoted and escaped */
void pb_strn(buf *b, const char *s, size_t len); /* the same for len bytes, NULs and all;
                                                         s[len] must be readable */
void pb_num(buf *b, double d);
/* `"key":` with the comma before it when `first` is 0. */
void pb_key(buf *b, const char *key, int first);

#endif
