#include "intern.h"

#include <stdlib.h>
#include <string.h>

static char **table;
static size_t cap, count;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int grow(void)
{
    size_t ncap = cap ? cap * 2 : 256;
    char **t = calloc(ncap, sizeof *t);
    if (!t)
        return -1;
    for (size_t i = 0; i < cap; i++) {
        if (!table[i])
            continue;
        size_t j = hash(table[i]) & (ncap - 1);
        while (t[j])
            j = (j + 1) & (ncap - 1);
        t[j] = table[i];
    }
    free(table);
    table = t;
    cap = ncap;
    return 0;
}

const char *intern(const char *s)
{
    if ((count + 1) * 2 > cap && grow() < 0)
        return NULL;
    size_t j = hash(s) & (cap - 1);
    while (table[j]) {
        if (strcmp(table[j], s) == 0)
            return table[j];
        j = (j + 1) & (cap - 1);
    }
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    table[j] = copy;
    count++;
    return copy;
}

void intern_free_all(void)
{
    for (size_t i = 0; i < cap; i++)
        free(table[i]);
    free(table);
    table = NULL;
    cap = count = 0;
}
