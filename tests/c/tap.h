/* A few lines of TAP for the C unit tests: "ok N - name" or "not ok N - name". */
#ifndef LUAFLET_TAP_H
#define LUAFLET_TAP_H

#include <stdio.h>

static int tap_n, tap_failed;

#define CHECK(cond, name)                                                   \
    do {                                                                    \
        int ok_ = (cond);                                                   \
        printf("%sok %d - %s\n", ok_ ? "" : "not ", ++tap_n, name);         \
        if (!ok_) {                                                         \
            printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            tap_failed++;                                                   \
        }                                                                   \
    } while (0)

#define TAP_DONE() (printf("1..%d\n", tap_n), tap_failed ? 1 : 0)

#endif
