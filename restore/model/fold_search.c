/* The candidate search's fold lookup (restore/model/syllables.py, FoldIndex.near) compiled: the
 * same folds, the same distances, in the same order, about a tenth of repair's time spent in Python
 * before.
 *
 * Loaded with ctypes (restore/model/compiled_folds.py): plain C, no Python headers, no state
 * between calls (OCRmyPDF runs pages in threads). Letters arrive as codes 1-27 (a-z, then any
 * other character), so a string of up to LONGEST_KEY letters packs into one int64, five bits a
 * letter, first letter highest; no code is 0, so strings of different lengths never share a key.
 */
#include <stdint.h>
#include <stdlib.h>

#include "../sorted_keys.h"

#define LAYOUT 1
#define LONGEST_KEY 12 /* letters a key may have (60 bits packed); the caller searches longer ones */
#define MAX_DISTANCE 2

int32_t folds_layout(void) { return LAYOUT; }

typedef struct {
    int32_t count;                 /* folds */
    const uint8_t *letters;        /* the folds' letter codes, back to back */
    const int32_t *starts;         /* count + 1: where each fold's letters start */
    int64_t variant_count;
    const int64_t *variants;       /* every fold with up to MAX_DISTANCE letters deleted, packed, sorted */
    const int32_t *posting_starts; /* variant_count + 1: where each variant's folds start */
    const int32_t *postings;       /* the folds that become each variant */
} Folds;

typedef struct {
    const Folds *folds;
    const uint8_t *key;
    int32_t key_length, max_distance;
    uint64_t equal[32]; /* per letter code, the key's positions that hold it */
    uint8_t *seen;      /* per fold: measured already */
    int64_t *found;   /* (distance << 32) | fold, for each fold within max_distance */
    int32_t found_count;
} Search;

static int64_t packed(const uint8_t *letters, int32_t length, int32_t skip1, int32_t skip2) {
    int64_t value = 0;
    for (int32_t i = 0; i < length; i++)
        if (i != skip1 && i != skip2)
            value = (value << 5) | letters[i];
    return value;
}

/* Levenshtein distance of the key and b, bit-parallel (Myers, as Hyyro writes it for a whole
 * string): one step per letter of b, the key's letters as bits of `equal[code]`. */
static int32_t distance(const Search *s, const uint8_t *b, int32_t m) {
    int32_t n = s->key_length;
    if (n == 0)
        return m;
    uint64_t last = (uint64_t)1 << (n - 1), positive = ~(uint64_t)0, negative = 0;
    int32_t score = n;
    for (int32_t j = 0; j < m; j++) {
        uint64_t equal = s->equal[b[j]], vertical = equal | negative;
        uint64_t across = (((equal & positive) + positive) ^ positive) | equal;
        uint64_t up = negative | ~(across | positive), down = positive & across;
        if (up & last)
            score++;
        else if (down & last)
            score--;
        up = (up << 1) | 1;
        down <<= 1;
        positive = down | ~(vertical | up);
        negative = up & vertical;
    }
    return score;
}

/* Measure every fold not measured yet that becomes `variant` by deletions. */
static void visit(Search *s, int64_t variant) {
    const Folds *f = s->folds;
    int64_t at = find_in(f->variants, 0, f->variant_count, variant);
    if (at < 0)
        return;
    for (int32_t p = f->posting_starts[at]; p < f->posting_starts[at + 1]; p++) {
        int32_t fold = f->postings[p];
        if (s->seen[fold])
            continue;
        s->seen[fold] = 1;
        const uint8_t *letters = f->letters + f->starts[fold];
        int32_t d = distance(s, letters, f->starts[fold + 1] - f->starts[fold]);
        if (d <= s->max_distance)
            s->found[s->found_count++] = ((int64_t)d << 32) | fold;
    }
}

static int by_value(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The folds within max_distance (at most MAX_DISTANCE) of the key, closest first and ties in fold
 * order, at most `limit` of them into out_folds and out_distances; returns how many, or -1 for a
 * key longer than LONGEST_KEY or no memory (the caller searches in Python). */
int32_t fold_near(const Folds *f, const uint8_t *key, int32_t key_length, int32_t max_distance, int32_t limit,
                  int32_t *out_folds, int32_t *out_distances) {
    if (key_length > LONGEST_KEY || max_distance > MAX_DISTANCE)
        return -1;
    Search s = {f, key, key_length, max_distance, {0}, calloc((size_t)f->count, 1),
                malloc(sizeof(int64_t) * (size_t)(f->count > 0 ? f->count : 1)), 0};
    for (int32_t i = 0; i < key_length; i++)
        s.equal[key[i] & 31] |= (uint64_t)1 << i;
    if (s.seen == NULL || s.found == NULL) {
        free(s.seen);
        free(s.found);
        return -1;
    }
    /* The key's own deletions: a fold within distance d shares one made by at most d from each. */
    visit(&s, packed(key, key_length, -1, -1));
    for (int32_t i = 0; max_distance >= 1 && i < key_length; i++) {
        visit(&s, packed(key, key_length, i, -1));
        for (int32_t j = i + 1; max_distance >= 2 && j < key_length; j++)
            visit(&s, packed(key, key_length, i, j));
    }
    qsort(s.found, (size_t)s.found_count, sizeof(int64_t), by_value);
    int32_t n = s.found_count < limit ? s.found_count : limit;
    for (int32_t k = 0; k < n; k++) {
        out_folds[k] = (int32_t)(s.found[k] & 0xffffffff);
        out_distances[k] = (int32_t)(s.found[k] >> 32);
    }
    free(s.seen);
    free(s.found);
    return n;
}
