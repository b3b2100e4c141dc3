/* The decoder's beam search (restore/decode/decoder.py) compiled: the same lattice, the same
 * trigram scores and the same tie-breaking, so that it chooses the path the Python search chooses.
 *
 * Loaded with ctypes (restore/decode/compiled.py): plain C, no Python headers. The model is
 * passed as its sorted arrays; a document's caches as dense unigram shares and sorted pair keys.
 * Every hypothesis lives in one growing pool; each lattice node keeps its hypotheses' pool
 * indices in the order they were first offered (Python's dict order), and a state reached again
 * by a better score takes the old place, as a dict update does.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "../sorted_keys.h"

#define BITS 21
/* The layout of Model and the functions' signatures; compiled.py loads only a build that says
 * the number it expects (an old build left beside newer sources would misread its arguments). */
#define LAYOUT 3

int32_t beam_layout(void) { return LAYOUT; }
#define TWO (2 * BITS)

typedef struct {
    const int64_t *keys[3];
    const double *logps[3];
    const double *backoffs[2];
    int64_t sizes[3];
    const double *unigram;         /* log10 P(word), unk where unseen: dense by id */
    const double *unigram_backoff; /* log10 backoff of a one-word context, 0 where unseen */
    /* Where the bigrams "w *" start, dense by word w (one more entry at the end); where the
     * trigrams whose context is bigram j start, by j. Every trigram's context is a bigram. */
    const int64_t *bigram_starts;
    const int64_t *trigram_starts;
    /* A document's caches (CachedLanguageModel); both weights 0 without them. */
    double weight, pair_weight;
    const double *shares;
    const int64_t *pair_keys;
    const double *pair_probs;
    int64_t pair_count;
    /* Per word, the log10 lift of the document's own spelling within the word's fold; NULL without. */
    const double *spelling;
} Model;

typedef struct {
    double score;
    int32_t a, b;   /* the state: the last two symbols */
    int32_t back;   /* pool index of the hypothesis extended, -1 at the start */
    int32_t start;  /* slot this step starts at */
    int32_t choice; /* candidate index, or -1 - arc index */
} Hyp;

typedef struct {
    int32_t *items;
    int32_t count, cap;
} Node;

typedef struct {
    Hyp *hyps;
    int32_t count, cap;
    Node *nodes;
    int failed;
} Search;

static double mixed(const Model *m, int64_t before, int64_t word, double logp) {
    double lift = m->spelling ? m->spelling[word] : 0.0;
    if (m->weight == 0.0 && m->pair_weight == 0.0)
        return logp + lift;
    int64_t at = find_in(m->pair_keys, 0, m->pair_count, (before << BITS) | word);
    double pair = at >= 0 ? m->pair_probs[at] : 0.0;
    double keep = 1.0 - m->weight - m->pair_weight;
    return log10(keep * pow(10.0, logp) + m->weight * m->shares[word] + m->pair_weight * pair) + lift;
}

/* What the lookups of c after a context (a b) share: where the trigrams a b * and the bigrams
 * b * lie in their sorted keys (read from the start tables, not searched for), and the backoff
 * of a b. Each c is then searched for in those short ranges only, which stay in cache. */
typedef struct {
    int64_t a, b, tri_lo, tri_hi, bi_lo, bi_hi;
    double backoff;
} Context;

static Context context_of(const Model *m, int64_t a, int64_t b) {
    Context c = {a, b, 0, 0, m->bigram_starts[b], m->bigram_starts[b + 1], 0.0};
    int64_t at = find_in(m->keys[1], m->bigram_starts[a], m->bigram_starts[a + 1], (a << BITS) | b);
    if (at >= 0) {
        c.backoff = m->backoffs[1][at];
        c.tri_lo = m->trigram_starts[at];
        c.tri_hi = m->trigram_starts[at + 1];
    }
    return c;
}

/* log10 P(c | a b) as LanguageModel.scores computes it (the backoffs summed as it sums them),
 * from the trigram's index (-1: unseen) and the bigram's (b c) when that is needed. */
static double backed_off(const Model *m, int64_t trigram, double backoff, int64_t bigram, int64_t b, int64_t c) {
    double logp;
    if (trigram >= 0)
        logp = m->logps[2][trigram];
    else
        logp = backoff + (bigram >= 0 ? m->logps[1][bigram] : m->unigram_backoff[b] + m->unigram[c]);
    return mixed(m, b, c, logp);
}

/* The same value, searched for in the ranges of the context. */
static double column_logp(const Model *m, const Context *x, int64_t c) {
    int64_t trigram = find_in(m->keys[2], x->tri_lo, x->tri_hi, (x->a << TWO) | (x->b << BITS) | c);
    int64_t bigram = trigram >= 0 ? -1 : find_in(m->keys[1], x->bi_lo, x->bi_hi, (x->b << BITS) | c);
    return backed_off(m, trigram, x->backoff, bigram, x->b, c);
}

/* log10 P(c | a b) as LanguageModel.logp computes it (its backoffs summed in its order), for
 * arcs and the end of the block. */
static double single_logp(const Model *m, int64_t a, int64_t b, int64_t c) {
    Context x = context_of(m, a, b);
    int64_t at = find_in(m->keys[2], x.tri_lo, x.tri_hi, (a << TWO) | (b << BITS) | c);
    if (at >= 0)
        return mixed(m, b, c, m->logps[2][at]);
    double penalty = x.backoff;
    at = find_in(m->keys[1], x.bi_lo, x.bi_hi, (b << BITS) | c);
    if (at >= 0)
        return mixed(m, b, c, penalty + m->logps[1][at]);
    penalty += m->unigram_backoff[b];
    return mixed(m, b, c, penalty + m->unigram[c]);
}

static int grow(void **items, int32_t *cap, size_t size) {
    int32_t wanted = *cap ? 2 * *cap : 16;
    void *more = realloc(*items, (size_t)wanted * size);
    if (!more)
        return 0;
    *items = more;
    *cap = wanted;
    return 1;
}

/* Python's _offer: keep the better hypothesis per state, in first-offered order. */
static void offer(Search *s, int32_t node, double score, int32_t a, int32_t b, int32_t back, int32_t start,
                  int32_t choice) {
    Node *held = &s->nodes[node];
    for (int32_t i = 0; i < held->count; i++) {
        Hyp *h = &s->hyps[held->items[i]];
        if (h->a == a && h->b == b) {
            if (score > h->score) /* no hypothesis extends one of a node not yet reached */
                *h = (Hyp){score, a, b, back, start, choice};
            return;
        }
    }
    if ((s->count == s->cap && !grow((void **)&s->hyps, &s->cap, sizeof(Hyp)))
        || (held->count == held->cap && !grow((void **)&held->items, &held->cap, sizeof(int32_t)))) {
        s->failed = 1;
        return;
    }
    s->hyps[s->count] = (Hyp){score, a, b, back, start, choice};
    held->items[held->count++] = s->count++;
}

typedef struct {
    double value;
    int32_t index;
} Ranked;

/* Best first; of equal scores, the first offered (the order of a stable sort on the score). */
static int better(const Ranked *p, const Ranked *q) {
    return p->value > q->value || (p->value == q->value && p->index < q->index);
}

static void sift_down(Ranked *heap, int32_t count, int32_t at) {
    for (;;) {
        int32_t best = at, left = 2 * at + 1, right = left + 1;
        if (left < count && better(&heap[left], &heap[best]))
            best = left;
        if (right < count && better(&heap[right], &heap[best]))
            best = right;
        if (best == at)
            return;
        Ranked held = heap[at];
        heap[at] = heap[best];
        heap[best] = held;
        at = best;
    }
}

/* A heap of the rankings, popped best first: a column is consumed only until the beam is full,
 * so ordering all of it (as a sort would) is wasted work. */
static void heapify(Ranked *heap, int32_t count) {
    for (int32_t i = count / 2 - 1; i >= 0; i--)
        sift_down(heap, count, i);
}

static Ranked pop_best(Ranked *heap, int32_t *count) {
    Ranked top = heap[0];
    heap[0] = heap[--*count];
    sift_down(heap, *count, 0);
    return top;
}

/* Python's _survivors: the best `beam` hypotheses of a node within `span` of the best, best first. */
static int32_t survivors(const Search *s, int32_t node, int32_t beam, double span, int32_t *out, Ranked *scratch) {
    const Node *held = &s->nodes[node];
    int32_t count = held->count, kept = 0;
    for (int32_t i = 0; i < count; i++)
        scratch[i] = (Ranked){s->hyps[held->items[i]].score, i};
    heapify(scratch, count);
    double floor = count ? scratch[0].value - span : 0.0;
    while (count > 0 && kept < beam) {
        Ranked next = pop_best(scratch, &count);
        if (next.value < floor)
            break;
        out[kept++] = held->items[next.index];
    }
    return kept;
}

/*
 * Decode one block. Slot k offers candidates [slot_starts[k], slot_starts[k+1]) of cand_ids and
 * cand_costs; arc j reads slots [arc_starts[j], arc_ends[j]) as symbols [arc_symbol_starts[j],
 * arc_symbol_starts[j+1]) of arc_symbols at arc_totals[j] (arcs sorted by start, in the caller's
 * order). Writes the chosen path backwards into out_starts/out_choices and returns its length,
 * or -1 when memory runs out.
 */
int32_t beam_decode(const Model *m, int32_t n, const int32_t *slot_starts, const int32_t *cand_ids,
                    const double *cand_costs, int32_t n_arcs, const int32_t *arc_starts, const int32_t *arc_ends,
                    const double *arc_totals, const int32_t *arc_symbol_starts, const int32_t *arc_symbols,
                    double lm_weight, int32_t beam, double span, int32_t bos, int32_t eos, int32_t *out_starts,
                    int32_t *out_choices) {
    Search s = {0};
    int32_t result = -1, widest = 1, most = 16;
    s.nodes = calloc((size_t)n + 1, sizeof(Node));
    char *crossed = calloc((size_t)n + 1, 1);
    for (int32_t k = 0; k < n; k++)
        if (slot_starts[k + 1] - slot_starts[k] > widest)
            widest = slot_starts[k + 1] - slot_starts[k];
    int32_t *hyps = malloc(sizeof(int32_t) * (size_t)beam);
    Ranked *ranked = malloc(sizeof(Ranked) * (size_t)beam * (size_t)widest);
    Ranked *scratch = NULL;
    int32_t *offered = malloc(sizeof(int32_t) * 2 * (size_t)beam);
    if (!s.nodes || !crossed || !hyps || !ranked || !offered)
        goto done;
    for (int32_t j = 0; j < n_arcs; j++)
        for (int32_t k = arc_starts[j]; k < arc_ends[j]; k++)
            crossed[k] = 1;
    offer(&s, 0, 0.0, bos, bos, -1, -1, -1);
    int32_t next_arc = 0;
    for (int32_t i = 0; i < n && !s.failed; i++) {
        if (s.nodes[i].count > most || !scratch) {
            most = s.nodes[i].count > most ? s.nodes[i].count : most;
            free(scratch);
            scratch = malloc(sizeof(Ranked) * (size_t)most);
            if (!scratch)
                goto done;
        }
        int32_t h_count = survivors(&s, i, beam, span, hyps, scratch);
        if (h_count == 0)
            continue;
        int32_t first = slot_starts[i], width = slot_starts[i + 1] - first;
        if (h_count == 1 && width == 1 && !crossed[i]) {
            /* Every path goes this one way: its score is the same for all and need not be looked up. */
            const Hyp *h = &s.hyps[hyps[0]];
            offer(&s, i + 1, h->score, h->b, cand_ids[first], hyps[0], i, 0);
            continue;
        }
        /* Every survivor extended by every candidate; ranked best first (ties: survivor, then
         * candidate order), and offered until `beam` distinct states are offered. */
        int32_t total = h_count * width;
        for (int32_t h = 0; h < h_count; h++) {
            const Hyp *hyp = &s.hyps[hyps[h]];
            Context context = context_of(m, hyp->a, hyp->b);
            for (int32_t k = 0; k < width; k++) {
                double logp = column_logp(m, &context, cand_ids[first + k]);
                ranked[h * width + k] = (Ranked){hyp->score + lm_weight * logp + -cand_costs[first + k],
                                                 h * width + k};
            }
        }
        heapify(ranked, total);
        double floor = ranked[0].value - span;
        int32_t n_offered = 0;
        while (total > 0 && n_offered < beam) {
            Ranked next = pop_best(ranked, &total);
            if (next.value < floor)
                break;
            int32_t h = next.index / width, k = next.index % width;
            const Hyp *hyp = &s.hyps[hyps[h]];
            int32_t a = hyp->b, b = cand_ids[first + k], seen = 0;
            for (int32_t o = 0; o < n_offered && !seen; o++)
                seen = offered[2 * o] == a && offered[2 * o + 1] == b;
            if (seen)
                continue;
            offered[2 * n_offered] = a;
            offered[2 * n_offered + 1] = b;
            n_offered++;
            offer(&s, i + 1, next.value, a, b, hyps[h], i, k);
        }
        for (; next_arc < n_arcs && arc_starts[next_arc] == i; next_arc++) {
            for (int32_t h = 0; h < h_count; h++) {
                const Hyp *hyp = &s.hyps[hyps[h]];
                int32_t a = hyp->a, b = hyp->b;
                double score = hyp->score - arc_totals[next_arc];
                for (int32_t w = arc_symbol_starts[next_arc]; w < arc_symbol_starts[next_arc + 1]; w++) {
                    score += lm_weight * single_logp(m, a, b, arc_symbols[w]);
                    a = b;
                    b = arc_symbols[w];
                }
                offer(&s, arc_ends[next_arc], score, a, b, hyps[h], i, -1 - next_arc);
            }
        }
    }
    if (s.failed || s.nodes[n].count == 0)
        goto done;
    int32_t best = -1;
    double best_score = 0.0;
    for (int32_t i = 0; i < s.nodes[n].count; i++) {
        const Hyp *h = &s.hyps[s.nodes[n].items[i]];
        double score = h->score + lm_weight * single_logp(m, h->a, h->b, eos);
        if (best < 0 || score > best_score) {
            best = s.nodes[n].items[i];
            best_score = score;
        }
    }
    result = 0;
    for (int32_t at = best; at >= 0 && s.hyps[at].start >= 0; at = s.hyps[at].back) {
        out_starts[result] = s.hyps[at].start;
        out_choices[result] = s.hyps[at].choice;
        result++;
    }
done:
    if (s.nodes)
        for (int32_t i = 0; i <= n; i++)
            free(s.nodes[i].items);
    free(s.nodes);
    free(s.hyps);
    free(crossed);
    free(hyps);
    free(ranked);
    free(scratch);
    free(offered);
    return result;
}

/*
 * decoder._one_slot_margins: for step s (the candidates of slot slots[s], at offsets[s] in the
 * path's ids), how much worse (log10) the path gets when that symbol takes its best other
 * candidate; INFINITY where no candidate differs from the chosen symbol.
 */
void one_slot_margins(const Model *m, int32_t count, const int32_t *slots, const int32_t *offsets,
                      const int32_t *slot_starts, const int32_t *cand_ids, const double *cand_costs,
                      const int32_t *path, int32_t path_len, double lm_weight, double *out) {
    for (int32_t s = 0; s < count; s++) {
        int32_t at = offsets[s];
        double chosen = -INFINITY, rival = -INFINITY;
        Context before = context_of(m, path[at - 2], path[at - 1]);
        for (int32_t k = slot_starts[slots[s]]; k < slot_starts[slots[s] + 1]; k++) {
            int32_t c = cand_ids[k];
            Context after = context_of(m, path[at - 1], c);
            double sum = column_logp(m, &before, c) + column_logp(m, &after, path[at + 1]);
            if (at + 2 < path_len) {
                Context second = context_of(m, c, path[at + 1]);
                sum = sum + column_logp(m, &second, path[at + 2]);
            }
            double total = lm_weight * sum - cand_costs[k];
            if (c == path[at])
                chosen = total > chosen ? total : chosen;
            else
                rival = total > rival ? total : rival;
        }
        out[s] = rival == -INFINITY ? INFINITY : chosen - rival;
    }
}
