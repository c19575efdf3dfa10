/* schema: the control schema as the C core holds it. lua/flet/schema.lua declares, once,
 * the fields a control carries, its mark bits, the fields and methods of a control class,
 * the handler prefix and the public fields that are never props; flet.fields hands that
 * table over at load with core.set_schema, and the C files read the names from here and
 * spell none of their own. Names start with schema_.
 *
 * Every name is a Lua short string anchored in the registry, so its address is the one
 * Lua gives every equal string: a key read from a control's table compares by pointer. */
#ifndef LUAFLET_SCHEMA_H
#define LUAFLET_SCHEMA_H

#include <lua.h>
#include <stddef.h>

#define SCHEMA_MAX_NOT_PROPS 8
#define SCHEMA_REG_PROP_NAMES "luaflet.prop_names"
#define SCHEMA_REG_PROP_INDEX "luaflet.prop_index"

typedef struct schema {
    int ready; /* set once core.set_schema has run */
    /* Where a control's table holds its marks, parent and id, and where its props begin
     * (integer keys from first_prop on, each the number of a name in the list at REG_PROP_NAMES
     * in the registry, whose inverse, name -> number, is at REG_PROP_INDEX). */
    int marks, parent, id, first_prop;
    /* Its named private fields: marked children, built; a ControlList's items; and the
     * public field that holds a control's key. */
    const char *marked_kids, *built, *items, *key;
    /* A class's fields: name, wire type, slots, the props it is limited to, lifecycle
     * hooks. */
    const char *class_name, *class_type, *class_slots, *class_props, *class_hooks;
    /* The methods the diff calls, and the slot build()'s result goes to. */
    const char *build, *before_update, *build_slot;
    const char *page_type;      /* the root's wire type, in the C pool (intern.h) */
    int dirty, kids;            /* the mark bits */
    char private_prefix;        /* fields starting with it are private */
    const char *handler_prefix; /* a function in a field named so is an event handler */
    size_t handler_len;
    const char *not_props[SCHEMA_MAX_NOT_PROPS]; /* public fields that are never props */
    int n_not_props;
} schema;

/* The schema as core.set_schema last gave it; ready is 0 before. */
const schema *schema_get(void);

/* Whether the value at idx is a control: a table whose class (its metatable, and the
 * classes behind it) has a string wire type. Never asks the table itself, whose
 * metamethods may do anything. The one test in C; control_read.h's cr_is_control is the
 * same test through a diff's cache of classes. */
int schema_is_control(lua_State *L, int idx);

/* Registers core.set_schema into the table on top of L. */
void schema_register(lua_State *L);

#endif
