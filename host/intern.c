#include "intern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static char **table;
static size_t cap, count;

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static void grow(void)
{
    size_t ncap = cap ? cap * 2 : 256;
    char **t = mem_calloc(ncap, sizeof *t);
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
}

const char *intern(const char *s)
{
    if ((count + 1) * 2 > cap)
        grow();
    size_t j = hash(s) & (cap - 1);
    while (table[j]) {
        if (strcmp(table[j], s) == 0)
            return table[j];
        j = (j + 1) & (cap - 1);
    }
    char *copy = mem_strdup(s);
    table[j] = copy;
    count++;
    return copy;
}

static const void **known;
static size_t known_cap, known_count;

static size_t slot_of(const void *p, size_t cap)
{
    return (size_t)(((uintptr_t)p >> 4) * 11400714819323198485u) & (cap - 1);
}

int intern_known(const void *p)
{
    if (!known_cap)
        return 0;
    for (size_t j = slot_of(p, known_cap); known[j]; j = (j + 1) & (known_cap - 1))
        if (known[j] == p)
            return 1;
    return 0;
}

void intern_remember(const void *p)
{
    if ((known_count + 1) * 2 > known_cap) {
        size_t cap = known_cap ? known_cap * 2 : 256;
        const void **t = mem_calloc(cap, sizeof *t);
        for (size_t i = 0; i < known_cap; i++) {
            if (!known[i])
                continue;
            size_t j = slot_of(known[i], cap);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = known[i];
        }
        free(known);
        known = t;
        known_cap = cap;
    }
    size_t j = slot_of(p, known_cap);
    while (known[j]) {
        if (known[j] == p)
            return;
        j = (j + 1) & (known_cap - 1);
    }
    known[j] = p;
    known_count++;
}

void intern_free_all(void)
{
    free(known);
    known = NULL;
    known_cap = known_count = 0;
    for (size_t i = 0; i < cap; i++)
        free(table[i]);
    free(table);
    table = NULL;
    cap = count = 0;
}
