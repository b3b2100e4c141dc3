"""Interpolated modified Kneser-Ney estimation (Chen & Goodman 1998), written in backoff form.

Counts come in as sentences of symbol ids. Highest order uses raw counts, lower orders use
continuation counts (how many distinct words precede); each order gets three discounts
D1, D2, D3+ from its count-of-counts. The result is exact in ARPA backoff form: the stored
probability of a seen n-gram already includes the interpolation term, and the backoff weight of
a context is its interpolation mass gamma(h).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import chain

from restore.model.language_model import KEY_BITS, PACKED_ORDER, pack

Ngram = tuple[int, ...]
Tables = list[tuple[dict[Ngram, float], dict[Ngram, float]]]  # per order: {ngram: log10 p}, {context: log10 backoff}


def count_ngrams(sentences: Iterable[tuple[list[int], int]], order: int, bos: int, eos: int,
                 fragments: Iterable[tuple[list[int], int]] = (), cut: int | None = None) -> Counter[Ngram]:
    """Counts of the highest order n-grams (with <s> padding), each sentence repeated `weight` times.

    A fragment (a word pair cut out of running text, a dictionary entry, a name) is neither a
    sentence start nor an end: it is padded on the left with `cut`, an unknown context, so that its
    first words gain one left neighbour in the continuation counts, and it predicts no </s>.
    `drop_symbol` removes the n-grams of `cut` once the model is estimated.
    """
    counts: Counter[Ngram] = Counter()
    padded_lines = (([bos] * (order - 1) + ids + [eos], weight) for ids, weight in sentences)
    padded_fragments = (([cut] * (order - 1) + ids, weight) for ids, weight in fragments if cut is not None)
    for padded, weight in chain(padded_lines, padded_fragments):
        for i in range(order - 1, len(padded)):
            gram = tuple(padded[i - order + 1:i + 1])
            # Drop the pure-padding prefix so that "<s> <s> w" is stored as "<s> w" at lower orders.
            counts[gram] += weight
    return counts


def _discounts(counts: Iterable[int]) -> tuple[float, float, float]:
    n = Counter(c for c in counts if c <= 4)
    n1, n2, n3, n4 = (n.get(i, 0) for i in (1, 2, 3, 4))
    if min(n1, n2, n3, n4) == 0:
        return 0.5, 1.0, 1.5
    y = n1 / (n1 + 2 * n2)
    return 1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3


def _discount(count: int, d: tuple[float, float, float]) -> float:
    return 0.0 if count == 0 else d[min(count, 3) - 1]


def estimate(top_counts: Counter[Ngram], order: int, vocab_size: int, bos: int) -> Tables:
    """Per order (1..N): {ngram: log10 p} and {context: log10 backoff}."""
    counts: list[Counter[Ngram]] = [Counter() for _ in range(order)]
    for gram, c in top_counts.items():
        # n-grams starting with padding <s> <s> are real (lower-order) events at the sentence start.
        start = 0
        while start < order - 2 and gram[start] == bos and gram[start + 1] == bos:
            start += 1
        counts[len(gram) - start - 1][gram[start:]] += c
    # Continuation counts for lower orders: distinct left extensions.
    for n in range(order - 1, 0, -1):
        continuation: Counter[Ngram] = Counter()
        for gram in counts[n]:
            continuation[gram[1:]] += 1
        for gram, c in continuation.items():
            # Sentence-initial grams have no left neighbour: they keep their raw counts.
            counts[n - 1][gram] = max(counts[n - 1][gram], c) if gram[0] == bos else c
    tables: Tables = []
    lower: dict[Ngram, float] = {}
    for n in range(order):
        d = _discounts(counts[n].values())
        context_total: dict[Ngram, float] = defaultdict(float)
        context_types: dict[Ngram, list[int]] = defaultdict(lambda: [0, 0, 0])
        for gram, c in counts[n].items():
            if c <= 0:
                continue
            context_total[gram[:-1]] += c
            context_types[gram[:-1]][min(c, 3) - 1] += 1
        gamma = {
            h: (d[0] * t[0] + d[1] * t[1] + d[2] * t[2]) / context_total[h] for h, t in context_types.items()
        }
        probs: dict[Ngram, float] = {}
        for gram, c in counts[n].items():
            if c <= 0:
                continue
            h = gram[:-1]
            lower_p = lower[gram[1:]] if n else 1.0 / (vocab_size - 1)  # <s> is never predicted
            probs[gram] = max(c - _discount(c, d), 0.0) / context_total[h] + gamma[h] * lower_p
        if n == 0:
            # Words never seen (<unk> among them) still get their share of the uniform mass.
            for word in range(vocab_size):
                if word != bos and (word,) not in probs:
                    probs[(word,)] = gamma[()] / (vocab_size - 1)
        tables.append(({g: math.log10(p) for g, p in probs.items()}, {h: math.log10(g) for h, g in gamma.items()}))
        lower = probs
    return tables


def drop_symbol(tables: Tables, symbol: int) -> Tables:
    """The tables without any n-gram or context holding `symbol`: a padding the decoder never asks about."""
    return [({g: p for g, p in probs.items() if symbol not in g},
             {h: b for h, b in backoffs.items() if symbol not in h}) for probs, backoffs in tables]


def to_arrays(tables: Tables) -> list[tuple[list[int], list[float], list[float]]]:
    """Per order: sorted keys (packed ids, or beyond PACKED_ORDER the context's index and the last
    word), log10 probs and log10 backoffs (the backoff of the n-gram as a context)."""
    arrays = []
    index: dict[Ngram, int] = {}  # the previous order's n-grams by their place in its keys
    for n, (probs, _) in enumerate(tables):
        next_backoffs = tables[n + 1][1] if n + 1 < len(tables) else {}
        if n < PACKED_ORDER:
            keyed = {pack(g): g for g in probs}
        else:
            keyed = {(index[g[:-1]] << KEY_BITS) | g[-1]: g for g in probs}
        keys = sorted(keyed)
        grams = [keyed[k] for k in keys]
        arrays.append((keys, [probs[g] for g in grams], [next_backoffs.get(g, 0.0) for g in grams]))
        index = {g: i for i, g in enumerate(grams)}
    return arrays


def perplexity(model_logp: float, tokens: int) -> float:
    return 10 ** (-model_logp / max(tokens, 1))
