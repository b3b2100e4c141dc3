/* A search of sorted int64 keys, shared by the compiled parts (beam.c, letter_costs.c,
 * fold_search.c): each looks n-grams, letter pairs or deletion variants up by a packed key. */
#ifndef VNRESTORE_SORTED_KEYS_H
#define VNRESTORE_SORTED_KEYS_H

#include <stdint.h>

/* First index in keys[lo, hi) not below key. */
static inline int64_t lower_bound(const int64_t *keys, int64_t lo, int64_t hi, int64_t key) {
    while (lo < hi) {
        int64_t mid = (lo + hi) >> 1;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The index of key in keys[lo, hi), or -1. */
static inline int64_t find_in(const int64_t *keys, int64_t lo, int64_t hi, int64_t key) {
    int64_t at = lower_bound(keys, lo, hi, key);
    return at < hi && keys[at] == key ? at : -1;
}

#endif
