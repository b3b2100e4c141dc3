"""What the errors are: character confusions (ê -> ế, ơ -> o) and word confusions, with counts.

Both come from the hunks where the aligned texts differ. Characters are grapheme clusters, so a
confusion of one tone mark reads "ế -> ê", and each is tagged by kind: a mark only (the letters
fold to the same base), a letter, a space, or punctuation. Word confusions compare words with
their punctuation split off, so "vận," -> "vốn," counts with "vận" -> "vốn"; a hunk of different
word counts (a split or merged word) is one confusion of its phrases.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import regex
from rapidfuzz.distance import Levenshtein

from restore.evaluation.align import Opcode, hunks
from restore.evaluation.metrics import graphemes
from restore.text.normalize import fold
from restore.text.tokens import bare

MAX_PHRASE_WORDS = 4  # a longer unequal hunk is not one confusion but text gone astray


@dataclass
class Confusions:
    chars: list[tuple[str, str, str, int]]  # gold, output, kind, count; most frequent first
    words: list[tuple[str, str, int]]  # gold, output, count

    def as_dict(self) -> dict:
        return {"char_confusions": [{"gold": g, "output": o, "kind": k, "count": n} for g, o, k, n in self.chars],
                "word_confusions": [{"gold": g, "output": o, "count": n} for g, o, n in self.words]}


Segment = tuple[list[str], list[str], list[Opcode]]  # gold words, output words, alignment of the two


def count_confusions(segments: list[Segment]) -> Confusions:
    chars: Counter[tuple[str, str]] = Counter()
    words: Counter[tuple[str, str]] = Counter()
    for gold, output, ops in segments:
        for g1, g2, h1, h2 in hunks(ops):
            _count_hunk(gold[g1:g2], output[h1:h2], chars, words)
    return Confusions([(g, h, char_kind(g, h), n) for (g, h), n in _ranked(chars)],
                      [(g, h, n) for (g, h), n in _ranked(words)])


def _count_hunk(gold: list[str], output: list[str], chars: Counter[tuple[str, str]],
                words: Counter[tuple[str, str]]) -> None:
    g_text, h_text = " ".join(gold), " ".join(output)
    g, h = graphemes(g_text), graphemes(h_text)
    for op in Levenshtein.opcodes(g, h):
        g_part, h_part = g[op.src_start:op.src_end], h[op.dest_start:op.dest_end]
        if op.tag == "replace" and len(g_part) == len(h_part):
            chars.update(zip(g_part, h_part))  # one grapheme for another, each counted: à -> ạ
        elif op.tag != "equal":
            chars["".join(g_part), "".join(h_part)] += 1
    if len(gold) == len(output):
        pairs = list(zip(gold, output))
    elif max(len(gold), len(output)) <= MAX_PHRASE_WORDS:
        pairs = [(g_text, h_text)]
    else:
        return
    for g_word, h_word in pairs:
        g_core, h_core = bare(g_word), bare(h_word)
        if g_core != h_core:
            words[g_core, h_core] += 1


def char_kind(gold: str, output: str) -> str:
    if gold and output and fold(gold) == fold(output):
        return "mark"
    if (gold + output).isspace():
        return "space"
    if regex.fullmatch(r"[\p{P}\p{S}]*", gold + output):
        return "punctuation"
    return "letter"


def _ranked(counts: Counter[tuple[str, str]]) -> list[tuple[tuple[str, str], int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
