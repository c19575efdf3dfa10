#include "proto.h"

#include <cJSON.h>
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ------------------------------------------------------------ JSON -> Lua */

static int push_value(lua_State *L, const cJSON *v, int depth, const char **err)
{
    if (depth > PROTO_MAX_DEPTH) {
        *err = "nested too deeply";
        return -1;
    }
    if (!lua_checkstack(L, 4)) {
        *err = "out of stack";
        return -1;
    }
    if (cJSON_IsNull(v)) {
        lua_pushnil(L);
    } else if (cJSON_IsBool(v)) {
        lua_pushboolean(L, cJSON_IsTrue(v));
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && fabs(d) < 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)d);
        else
            lua_pushnumber(L, d);
    } else if (cJSON_IsString(v)) {
        lua_pushstring(L, v->valuestring);
    } else if (cJSON_IsArray(v)) {
        lua_createtable(L, cJSON_GetArraySize(v), 0);
        int i = 1;
        for (const cJSON *c = v->child; c; c = c->next, i++) {
            if (push_value(L, c, depth + 1, err) < 0) {
                lua_pop(L, 1);
                return -1;
            }
            lua_rawseti(L, -2, i);
        }
    } else if (cJSON_IsObject(v)) {
        lua_createtable(L, 0, cJSON_GetArraySize(v));
        for (const cJSON *c = v->child; c; c = c->next) {
            if (push_value(L, c, depth + 1, err) < 0) {
                lua_pop(L, 1);
                return -1;
            }
            lua_setfield(L, -2, c->string);
        }
    } else {
        *err = "unsupported JSON value";
        return -1;
    }
    return 0;
}

int proto_push_decoded(lua_State *L, const char *text, size_t len, const char **err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        *err = "malformed JSON";
        return -1;
    }
    while (end < text + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (end != text + len) {
        cJSON_Delete(root);
        *err = "malformed JSON (trailing data)";
        return -1;
    }
    int rc = push_value(L, root, 0, err);
    cJSON_Delete(root);
    return rc;
}

/* ------------------------------------------------------------ Lua -> JSON */

/* Returns a new node, NULL for a value that is left out, or sets *err. */
static cJSON *to_json(lua_State *L, int idx, int depth, const char **err)
{
    switch (lua_type(L, idx)) {
    case LUA_TNIL:
        return cJSON_CreateNull();
    case LUA_TBOOLEAN:
        return cJSON_CreateBool(lua_toboolean(L, idx));
    case LUA_TNUMBER: {
        double d = lua_tonumber(L, idx);
        return isfinite(d) ? cJSON_CreateNumber(d) : cJSON_CreateNull();
    }
    case LUA_TSTRING: {
        size_t len;
        const char *str = lua_tolstring(L, idx, &len);
        if (proto_utf8_valid(str, len) && !memchr(str, 0, len))
            return cJSON_CreateString(str);
        /* Browsers drop a connection over invalid UTF-8: bad bytes become U+FFFD. A NUL,
         * which cJSON's strings cannot hold, is written escaped as raw JSON. */
        buf b = {0};
        pb_strn(&b, str, len);
        cJSON *v = cJSON_CreateRaw(buf_cstr(&b));
        buf_free(&b);
        return v ? v : cJSON_CreateNull();
    }
    case LUA_TTABLE:
        break;
    default:
        return NULL;
    }
    if (depth > PROTO_MAX_DEPTH) {
        *err = "table nested too deeply (or a cycle)";
        return NULL;
    }
    if (!lua_checkstack(L, 4)) {
        *err = "out of stack";
        return NULL;
    }
    idx = lua_absindex(L, idx);
    if (schema_is_control(L, idx))
        return NULL;
    lua_Unsigned n = lua_rawlen(L, idx);
    if (n > 0) {
        cJSON *arr = cJSON_CreateArray();
        for (lua_Unsigned i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i);
            cJSON *c = to_json(L, -1, depth + 1, err);
            lua_pop(L, 1);
            if (*err) {
                cJSON_Delete(arr);
                return NULL;
            }
            cJSON_AddItemToArray(arr, c ? c : cJSON_CreateNull());
        }
        return arr;
    }
    cJSON *obj = cJSON_CreateObject();
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        char keybuf[32];
        const char *key;
        if (lua_type(L, -2) == LUA_TSTRING) {
            key = lua_tostring(L, -2);
        } else if (lua_type(L, -2) == LUA_TNUMBER) {
            /* Format a copy: lua_tostring on the key itself would confuse lua_next. */
            lua_pushvalue(L, -2);
            strncpy(keybuf, lua_tostring(L, -1), sizeof keybuf - 1);
            keybuf[sizeof keybuf - 1] = '\0';
            lua_pop(L, 1);
            key = keybuf;
        } else {
            lua_pop(L, 2);
            cJSON_Delete(obj);
            *err = "table key is neither a string nor a number";
            return NULL;
        }
        cJSON *c = to_json(L, -1, depth + 1, err);
        lua_pop(L, 1);
        if (*err) {
            lua_pop(L, 1);
            cJSON_Delete(obj);
            return NULL;
        }
        if (c)
            cJSON_AddItemToObject(obj, key, c);
    }
    return obj;
}

/* Prints and frees the tree; the caller frees the text with free(). */
static char *finish(cJSON *root, size_t *len)
{
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (text && len)
        *len = strlen(text);
    return text;
}

char *proto_encode_lua(lua_State *L, int idx, size_t *len, const char **err)
{
    *err = NULL;
    cJSON *v = to_json(L, idx, 0, err);
    if (!v) {
        if (!*err)
            *err = "value cannot be encoded as JSON";
        return NULL;
    }
    return finish(v, len);
}

/* ------------------------------------------------------------ text writer */

void pb_lit(buf *b, const char *s) { pb_raw(b, s, strlen(s)); }

/* The length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

int proto_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t n = (size_t)(end - p) >= 4 ? utf8_seq(p) : 0;
        if (!n) {
            /* Near the end: check on a padded copy. */
            unsigned char tail[4] = {0};
            for (size_t i = 0; i < 4 && p + i < end; i++)
                tail[i] = p[i];
            n = utf8_seq(tail);
            if (!n || p + n > end)
                return 0;
        }
        p += n;
    }
    return 1;
}

/* 1 for the bytes a JSON string holds as they are: ASCII from space up, but '"' and '\\'. */
/* clang-format off: a row of the table per line */
#define ONES16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
static const unsigned char plain_byte[256] = {
    [0x20] = 1,
    1,
    0 /* " */,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    [0x30] = ONES16,
    ONES16,
    [0x50] = 1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0 /* \\ */,
    1,
    1,
    1,
    [0x60] = ONES16,
    ONES16,
};
#undef ONES16
/* clang-format on */

void pb_str(buf *b, const char *s) { pb_strn(b, s, strlen(s)); }

void pb_strn(buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const char *end = s + len;
    pb_raw(b, "\"", 1);
    const char *run = s;
    for (;; s++) {
        /* A NUL is never plain: it ends the scan, at the end or as a byte to escape. */
        while (plain_byte[(unsigned char)*s])
            s++;
        unsigned char ch = (unsigned char)*s;
        if (s >= end)
            break;
        if (ch >= 0x80) {
            /* Browsers drop a connection over invalid UTF-8: a bad byte becomes U+FFFD. */
            size_t n = utf8_seq((const unsigned char *)s);
            if (n) {
                s += n - 1;
                continue;
            }
            pb_raw(b, run, (size_t)(s - run));
            pb_raw(b, "\xEF\xBF\xBD", 3);
            run = s + 1;
            continue;
        }
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        pb_raw(b, run, (size_t)(s - run));
        run = s + 1;
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (ch) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[ch >> 4];
            esc[5] = hex[ch & 15];
            n = 6;
        }
        pb_raw(b, esc, n);
    }
    pb_raw(b, run, (size_t)(s - run));
    pb_raw(b, "\"", 1);
}

void pb_num(buf *b, double d)
{
    char tmp[32];
    int n;
    if (!isfinite(d)) {
        n = snprintf(tmp, sizeof tmp, "null");
    } else if (d == floor(d) && fabs(d) < 1e15) {
        /* Integers, most numbers sent (ids above all), without printf. */
        long long v = (long long)d;
        unsigned long long u = v < 0 ? (unsigned long long)-v : (unsigned long long)v;
        char *e = tmp + sizeof tmp, *q = e;
        do {
            *--q = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        if (v < 0 || signbit(d)) /* -0 stays -0, as JSON.parse reads it */
            *--q = '-';
        pb_raw(b, q, (size_t)(e - q));
        return;
    } else {
        /* The shortest form that reads back as the same double. */
        n = snprintf(tmp, sizeof tmp, "%.15g", d);
        if (strtod(tmp, NULL) != d)
            n = snprintf(tmp, sizeof tmp, "%.17g", d);
    }
    pb_raw(b, tmp, (size_t)n);
}

void pb_key(buf *b, const char *key, int first)
{
    if (!first)
        pb_raw(b, ",", 1);
    pb_str(b, key);
    pb_raw(b, ":", 1);
}

/* ------------------------------------------------------------------- Lua */

/* core.json_encode(v) -> string, or nil, err   [-0, +1|2, m] */
static int l_json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    size_t len;
    const char *err;
    char *text = proto_encode_lua(L, 1, &len, &err);
    if (!text) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    lua_pushlstring(L, text, len);
    free(text);
    return 1;
}

/* core.json_decode(s) -> value, or nil, err   [-0, +1|2, m] */
static int l_json_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *err;
    if (proto_push_decoded(L, s, len, &err) < 0) {
        lua_pushnil(L);
        lua_pushstring(L, err);
        return 2;
    }
    return 1;
}

/* core.base64(bytes) -> the bytes in base64 (RFC 4648, with padding), for bytes a JSON
 * string cannot carry as they are   [-0, +1, e] */
static int l_base64(lua_State *L)
{
    size_t len;
    const unsigned char *in = (const unsigned char *)luaL_checklstring(L, 1, &len);
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, (len + 2) / 3 * 4);
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0) |
            (i + 2 < len ? in[i + 2] : 0);
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = i + 1 < len ? abc[v >> 6 & 63] : '=';
        out[o++] = i + 2 < len ? abc[v & 63] : '=';
    }
    luaL_pushresultsize(&b, o);
    return 1;
}

void proto_register(lua_State *L)
{
    static const luaL_Reg funcs[] = {{"json_encode", l_json_encode},
                                     {"json_decode", l_json_decode},
                                     {"base64", l_base64},
                                     {NULL, NULL}};
    luaL_setfuncs(L, funcs, 0);
}
