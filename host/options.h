/* options: every setting of the host, declared once: its name, kind, default, range and help
 * line. The command line (main.c), `luaflet --help`, core.options and the settings an app may
 * give ft.app{...} all come from this table, and so do the defaults core.serve() falls back
 * on. */
#ifndef LUAFLET_OPTIONS_H
#define LUAFLET_OPTIONS_H

#include <lua.h>
#include <stdio.h>

typedef enum option_kind {
    OPTION_FLAG,   /* no value: true when given */
    OPTION_NUMBER, /* a number within [min, max] */
    OPTION_TEXT,   /* a string */
    OPTION_LEVEL,  /* error, warn, info or debug */
    OPTION_LIST,   /* a string, repeatable: a list */
    OPTION_CHOICE, /* one of the words of its `arg`, which separates them with '|' */
} option_kind;

typedef struct option_def {
    const char *name; /* as on the command line, after "--" */
    const char *key;  /* its key in Lua (core.options, ft.app{...}) */
    option_kind kind;
    const char *arg;      /* what the value is, for --help */
    double def;           /* the default of a number */
    const char *def_text; /* the default of a text or level, or NULL */
    double min, max;
    int app; /* whether an app may set it in ft.app{...} (the command line still wins) */
    const char *help;
} option_def;

/* The table, ended by an entry whose name is NULL. */
extern const option_def options_table[];

/* The option named name (as on the command line, without the dashes), or NULL. */
const option_def *options_find(const char *name);

/* The default of a number option; aborts on a name that is not one (a programming error). */
double options_default(const char *name);

/* Whether v is one of the choices of d, an OPTION_CHOICE. */
int options_choice_ok(const option_def *d, const char *v);

/* Writes the options part of --help. */
void options_print_help(FILE *out);

/* Pushes core.options' starting point: every option's default under its Lua key (false for
 * flags, an empty table for lists, nothing for a text without default), and pushes
 * core.option_table: for each key, {kind =, default =, min =, max =, app =, flag =}, and
 * choices = {...} for a choice.
 * [-0, +2, m] */
void options_push_tables(lua_State *L);

#endif
