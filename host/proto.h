/* proto: JSON on the wire. The only file that includes cJSON: it turns received text into Lua
 * values and Lua values into JSON, and holds the text writer (pb_*) with which patch_write.c
 * writes the host's messages. */
#ifndef LUAFLET_PROTO_H
#define LUAFLET_PROTO_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* JSON written straight into a growing buffer: what the diff uses, as building a tree of
 * nodes first costs more than the diff itself. On allocation failure `failed` is set and
 * further writes are ignored. */
typedef struct proto_buf {
    char *p;
    size_t len, cap;
    int failed;
} proto_buf;

/* Appends n bytes. The common case (room left) is inline: the diff writes a few bytes at a
 * time, thousands of times per patch. */
void pb_grow_write(proto_buf *b, const char *s, size_t n);
static inline void pb_raw(proto_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        pb_grow_write(b, s, n);
        return;
    }
    if (n <= 16) {
        for (size_t i = 0; i < n; i++) /* short runs: a loop beats a call to memcpy */
            b->p[b->len + i] = s[i];
    } else {
        memcpy(b->p + b->len, s, n);
    }
    b->len += n;
}
void pb_lit(proto_buf *b, const char *s);  /* s as is, by strlen */
void pb_str(proto_buf *b, const char *s);  /* s as a JSON string, quoted and escaped */
void pb_strn(proto_buf *b, const char *s, size_t len); /* the same for len bytes, NULs and all;
                                                         s[len] must be readable */
void pb_num(proto_buf *b, double d);
/* `"key":` with the comma before it when `first` is 0. */
void pb_key(proto_buf *b, const char *key, int first);
void pb_free(proto_buf *b);

#endif
