/* intern: one shared copy of each control type and prop name, so that a snapshot stores a
 * pointer where it would otherwise store a string per control. */
#ifndef LUAFLET_INTERN_H
#define LUAFLET_INTERN_H

/* The shared copy of s. It lives until intern_free_all(). */
const char *intern(const char *s);

/* A set of addresses of names already shared elsewhere (Lua strings the diff anchored for
 * good), so that a name seen before costs no Lua call. */
int intern_known(const void *p);
void intern_remember(const void *p);

/* Frees every shared copy and the set; only when no snapshot is left. */
void intern_free_all(void);

#endif
