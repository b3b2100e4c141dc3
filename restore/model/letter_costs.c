/* The channel's letter costs (restore/model/channel.py, edit_cost) compiled: the same weighted
 * edit distance, summed in the same order, for one OCR token against many folded syllables.
 *
 * Loaded with ctypes (restore/model/compiled_letters.py): plain C, no Python headers. Characters
 * arrive as codes of the channel's alphabet; codes at or above `size` are characters no table
 * names, which cost the defaults and match only themselves.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "../sorted_keys.h"

#define LAYOUT 1
#define LONGEST 64 /* the longest target; longer ones get NAN (the caller computes them) */

int32_t letters_layout(void) { return LAYOUT; }

typedef struct {
    int32_t size;          /* codes below this have table entries */
    const double *sub;     /* size * size: (OCR char, letter) cost, NAN where the table has none */
    const double *extra;   /* size: an OCR char with no letter behind it */
    const double *missing; /* size: a letter OCR dropped */
    double default_sub, default_extra, default_missing;
    /* Two OCR chars read for one or two letters: keys ((a1 * size + a2) * size + b1) * (size + 1)
     * + b2 + 1 (b2 = -1 for one letter), sorted. */
    const int64_t *pair_keys;
    const double *pair_costs;
    int64_t pair_count;
} Letters;

static double substitution(const Letters *t, int32_t a, int32_t b) {
    if (a < t->size && b < t->size) {
        double cost = t->sub[(int64_t)a * t->size + b];
        if (!isnan(cost))
            return cost;
    }
    return a == b ? 0.0 : t->default_sub;
}

static double extra(const Letters *t, int32_t a) { return a < t->size ? t->extra[a] : t->default_extra; }

static double missing(const Letters *t, int32_t b) { return b < t->size ? t->missing[b] : t->default_missing; }

/* The cost of two OCR chars read for letters b1 (and b2 >= 0), NAN where the table has none. */
static double pair_cost(const Letters *t, int32_t a1, int32_t a2, int32_t b1, int32_t b2) {
    if (a1 >= t->size || a2 >= t->size || b1 >= t->size || b2 >= t->size)
        return NAN;
    int64_t s = t->size, key = ((a1 * s + a2) * s + b1) * (s + 1) + b2 + 1;
    int64_t at = find_in(t->pair_keys, 0, t->pair_count, key);
    return at >= 0 ? t->pair_costs[at] : NAN;
}

static double edit_cost(const Letters *t, const int32_t *a, int32_t n, const int32_t *b, int32_t m) {
    double insert[LONGEST], rows[3][LONGEST + 1];
    double *previous2 = NULL, *previous = rows[0], *row;
    previous[0] = 0.0;
    for (int32_t j = 0; j < m; j++) {
        insert[j] = missing(t, b[j]);
        previous[j + 1] = previous[j] + insert[j];
    }
    for (int32_t i = 1; i <= n; i++) {
        row = rows[i % 3];
        double drop = extra(t, a[i - 1]);
        row[0] = previous[0] + drop;
        for (int32_t j = 1; j <= m; j++) {
            double best = previous[j - 1] + substitution(t, a[i - 1], b[j - 1]);
            if (previous[j] + drop < best)
                best = previous[j] + drop;
            if (row[j - 1] + insert[j - 1] < best)
                best = row[j - 1] + insert[j - 1];
            if (previous2 != NULL) { /* from the second OCR char on */
                double two = pair_cost(t, a[i - 2], a[i - 1], b[j - 1], -1);
                if (!isnan(two) && previous2[j - 1] + two < best)
                    best = previous2[j - 1] + two;
                two = j >= 2 ? pair_cost(t, a[i - 2], a[i - 1], b[j - 2], b[j - 1]) : NAN;
                if (!isnan(two) && previous2[j - 2] + two < best)
                    best = previous2[j - 2] + two;
            }
            row[j] = best;
        }
        previous2 = previous;
        previous = row;
    }
    return previous[m];
}

/* The cost of the OCR letters (n codes) against each target [starts[k], starts[k+1]) of targets. */
void letter_costs(const Letters *t, const int32_t *letters, int32_t n, const int32_t *targets,
                  const int32_t *starts, int32_t count, double *out) {
    for (int32_t k = 0; k < count; k++) {
        int32_t m = starts[k + 1] - starts[k];
        out[k] = m <= LONGEST ? edit_cost(t, letters, n, targets + starts[k], m) : NAN;
    }
}
