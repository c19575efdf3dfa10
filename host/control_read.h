/* control_read: the only C code that reads a Lua control, and writes the few fields the host
 * keeps on one. Its class (what the diff needs of it, read once per diff and class); its
 * marks; its props and key, into a snapshot props block; its slot lists; its id and parent
 * link; its hooks (build(), before_update()). Every field, bit and method name is the
 * schema's (lua/flet/schema.lua, as host/schema.c holds it): none is spelt here. Names
 * start with cr_.
 *
 * A reader lives for one diff. Values it pushes are the caller's to pop; indices are
 * absolute. */
#ifndef LUAFLET_CONTROL_READ_H
#define LUAFLET_CONTROL_READ_H

#include <lua.h>

#include "schema.h"
#include "snapshot.h"

struct cr_field; /* what a field name is to a class: control_read.c's own */

/* What the diff needs to know of a control class. */
typedef struct cr_class {
    const void *mt;
    int index;        /* its place in the reader's list of classes (from 1) */
    const char *type; /* interned; NULL when the table is not a control */
    unsigned has_build : 1, has_before : 1, has_hooks : 1, has_allow : 1;
    /* Its slots: the string entries of its slots list, each once, in order, as shared
     * names, and the number an instance keeps each one's value at (0: none yet). */
    const char **slots;
    int *slot_prop;
    int nslots, slots_cap;
    /* What each field name an instance holds is (a prop, the key, a slot, a field never
     * sent, ...), by the address of the name's Lua string: worked out the first time a name
     * is met in this diff, then one lookup. Owned by the class; cr_close keeps the array
     * for the next reader (or frees it when another is kept already). */
    struct cr_field *fields;
    unsigned fields_cap, fields_n;
    /* The same for the props an instance keeps by number: [j] for number first_prop + j. */
    struct cr_field *numbered;
    unsigned numbered_cap;
} cr_class;

typedef struct cr_reader {
    lua_State *L;
    const schema *s; /* the names and mark bits; s->dirty is a control's own-change mark */
    int names;       /* stack index of the table that anchors type, slot and prop names */
    /* Stack indices of the field names read on every control: pushing a C string costs a
     * lookup in Lua's string cache each time, pushing a stack value does not. */
    int k_items, k_key, k_built, k_dk;
    /* Stack indices of the schema's list of prop names by number and its inverse, and the
     * number the key is kept at (0: none). */
    int prop_names, prop_index, key_at;
    /* Stack index of a list: [2i-1] the i-th class (anchored, so that its address names it
     * for the whole diff), [2i] its props list or nil. */
    int class_tables;
    /* The classes met so far, [0, nclasses); the structures from there to nmade are made
     * and free for the next classes. Owned, with the props below: cr_close frees them, or
     * keeps them for the next reader (see cr_open). */
    cr_class **classes;
    int nclasses, nmade;
    size_t capclasses;
    cr_class plain; /* how a table with no class is read: no slots, no props list */
    /* The props cr_read_props read last, with their texts' lengths: reused. */
    snap_prop *props;
    size_t *lens;
    size_t capprops;
    int kept; /* it works in the memory kept from the last reader */
    /* The first error raised by app code (a build(), a before_update()) with its traceback,
     * or noted by the caller; owned by the reader until the caller takes it. */
    char *error;
} cr_reader;

/* Starts a reader on L: pushes the 8 values it keeps on the stack (names, field names, class
 * tables, the schema's prop names and numbers), which must stay there until
 * cr_close. The schema must be set (see
 * cr_check_schema). A reader works in the memory the last one left (its classes' structures
 * and tables, its props), unless another reader holds that memory (a diff run by a build()
 * inside another): an update of a few controls then makes no call to malloc. */
void cr_open(cr_reader *r, lua_State *L);

/* Raises a Lua error unless core.set_schema has run: nothing can read a control before. */
void cr_check_schema(lua_State *L);

/* Ends the reader: its memory is kept for the next one (or freed, when it had its own).
 * r->error is left for the caller, who frees it. */
void cr_close(cr_reader *r);

/* Remembers msg as the error to report, unless one is remembered already. */
void cr_note_error(cr_reader *r, const char *msg);

/* The shared copy of a type, slot or prop name: compares by pointer. */
const char *cr_name(cr_reader *r, const char *s);

/* The class of the value at idx, or NULL when it is not a table with a metatable. */
cr_class *cr_class_of(cr_reader *r, int idx);

/* Whether the value at idx is a control: schema_is_control's test, answered from the
 * reader's cache of classes. */
static inline int cr_is_control(cr_reader *r, int idx)
{
    const cr_class *ci = cr_class_of(r, idx);
    return ci && ci->type;
}

/* The small accessors below are inline: the diff calls them on every control it visits, and
 * a call into another file costs as much as their bodies. */

/* The marks of the control at ci. */
static inline int cr_marks(cr_reader *r, int ci)
{
    lua_rawgeti(r->L, ci, r->s->marks);
    int v = (int)lua_tointeger(r->L, -1);
    lua_pop(r->L, 1);
    return v;
}

/* Sets the marks of the control at ci. */
static inline void cr_set_marks(cr_reader *r, int ci, int marks)
{
    lua_pushinteger(r->L, marks);
    lua_rawseti(r->L, ci, r->s->marks);
}

/* Pushes the control's list of children marked since the diff last visited it (_dk), or
 * nil; returns its index, or 0 for nil. */
static inline int cr_push_marked_kids(cr_reader *r, int ci)
{
    lua_pushvalue(r->L, r->k_dk);
    return lua_rawget(r->L, ci) == LUA_TTABLE ? lua_gettop(r->L) : 0;
}

/* Clears the control's marks (and its _dk list when it had one). The diff calls it as it
 * visits, so that marks made while it runs (by build(), say) stay for the next update. */
static inline void cr_clear_marks(cr_reader *r, int ci, int had_dk)
{
    cr_set_marks(r, ci, 0);
    if (!had_dk)
        return;
    lua_pushvalue(r->L, r->k_dk);
    lua_pushboolean(r->L, 0);
    lua_rawset(r->L, ci);
}

/* Pushes the control's _id raw and returns its Lua type. */
static inline int cr_push_id(cr_reader *r, int ci) { return lua_rawgeti(r->L, ci, r->s->id); }

/* Sets the control's _id. */
static inline void cr_set_id(cr_reader *r, int ci, uint32_t id)
{
    lua_pushinteger(r->L, id);
    lua_rawseti(r->L, ci, r->s->id);
}

/* Sets the control's _parent to the control at pi (0: nil). */
static inline void cr_set_parent(cr_reader *r, int ci, int pi)
{
    if (pi)
        lua_pushvalue(r->L, pi);
    else
        lua_pushnil(r->L);
    lua_rawseti(r->L, ci, r->s->parent);
}

/* Pushes the table holding the control's public fields, the control itself (a copy the
 * caller pops with the rest). Returns its index. */
static inline int cr_push_fields(cr_reader *r, int ci)
{
    lua_pushvalue(r->L, ci);
    return lua_gettop(r->L);
}

/* The same as cr_marks, cr_set_marks and cr_push_id for the table at idx, without a reader
 * (before one is opened). cr_mark_dirty_of sets the own-change mark. */
int cr_marks_of(lua_State *L, int idx);
void cr_set_marks_of(lua_State *L, int idx, int marks);
void cr_mark_dirty_of(lua_State *L, int idx);
int cr_push_id_of(lua_State *L, int idx);

/* Reads the key of the control whose fields are at fi. A string key's text is borrowed from
 * the fields table, which keeps it alive. */
void cr_read_key(cr_reader *r, int fi, snap_key *k);

/* Reads the props of the control whose fields are at fi, of class info (NULL: a table with
 * no class), in one pass over its fields: every public field that is not a slot nor one of
 * the schema's not_props, kept to the class's props list when it has one; event handlers are
 * sent as `on_x = true`. Reads its key too. The props go to r->props[0..n), with the length
 * of each one's text in r->lens; texts are borrowed from Lua (the fields table keeps them
 * alive) or encoded. Returns n. They are valid until cr_props_done(r, n), which the caller
 * calls once a node holds a copy (snap_node_make, snap_node_set_props) and before reading
 * anything else. */
int cr_read_props(cr_reader *r, cr_class *info, int fi, snap_key *key);
void cr_props_done(cr_reader *r, int n);

/* Pushes the value the control's fields (at fi) hold in slot i (from 0) of its class. */
static inline void cr_push_slot(cr_reader *r, const cr_class *info, int i, int fi)
{
    if (info->slot_prop[i])
        lua_rawgeti(r->L, fi, info->slot_prop[i]);
    else
        lua_pushnil(r->L);
}

/* Pushes the list behind the slot value at vi (a ControlList's items, or a plain table) and
 * returns its index, with its length in *n. A single control is a list of one: nil is pushed
 * and 0 returned, and cr_push_item then gives vi itself. Anything else is an empty list. */
int cr_slot_items(cr_reader *r, int vi, int *n);

/* Pushes entry i (from 1) of a list as cr_slot_items found it (or of any plain list). */
static inline void cr_push_item(lua_State *L, int items, int vi, int i)
{
    if (items)
        lua_rawgeti(L, items, i);
    else
        lua_pushvalue(L, vi);
}

/* Runs a user control's build() once, the first time it is sent; its result becomes the
 * control's content. A failure is noted and the control is sent without content. */
void cr_build_once(cr_reader *r, int ci, const cr_class *info);

/* Runs the class's before_update(self), if it has one, before the control's fields are
 * read, so it can bring them up to date. A failure is noted. Few classes have one: the
 * check is inline, the call is not. */
void cr_run_before_update(cr_reader *r, int ci);
static inline void cr_before_update(cr_reader *r, int ci, const cr_class *info)
{
    if (info && info->has_before)
        cr_run_before_update(r, ci);
}

#endif
