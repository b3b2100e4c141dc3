"""Repair garbled OCR text: tokenize each line, decode each block of lines, write words back.

WORD tokens are rewritten, and so is a number of look-alike digits where the model reads it as a
word (13 -> là); marks that are specks are dropped (restore/text/specks.py), a period before a
lowercase word is dropped or read as a comma, as the model finds likelier, and a repeated section
numeral is renumbered (restore/text/headings.py); spaces, other numbers, dates, codes, the other
punctuation and line breaks are copied, so the output has the input's lines one for one. Blank
lines separate blocks, and the language model's context runs across the line breaks inside one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice

from restore.decode.block import Block, WordSpans
from restore.decode.decoder import Arc, CandidateArrays, Step, decode, margins
from restore.model import language_model as lm
from restore.model.adaptation import (
    CONFIDENT_MARGIN,
    Observation,
    adapted_resources,
    document_cache,
    document_pairs,
    expected_words,
    learned_garbles,
    observation,
    part_readable,
    spelling_lift,
)
from restore.model.candidates import Candidate
from restore.model.channel import Profile
from restore.model.resources import Resources, default_resources
from restore.text.acronyms import spelled_out
from restore.text.headings import renumber
from restore.text.normalize import CasePattern, apply_case, case_pattern, fold, nfc
from restore.text.orthography import ToneStyle, restyle
from restore.text.tokens import Kind

REVIEW_MARGIN = 1.0  # log10: a choice less than 10x better than its rival is flagged for review
REVIEW_CHANNEL_COST = 3.5  # log10: a reading of the OCR token the channel puts at under 1 in 3000
RIVALS = 4  # a word's rivals written out in its report (JSON), best first
# log10: a capital OCR read inside a line counts ten to one for a sentence opening after a lost period.
CAPITAL_EVIDENCE = 1.0
# eng reads a short word whose small vowel carries a mark ("Bộ", "Mỹ", "Rà") in capitals ("BO", "MY",
# "RA"): the mark makes the vowel as tall as a capital. Such a reading of at most this many letters,
# inside a line of small letters, is written with its first capital only (_tall_capitals).
TALL_WORD = 3

_VIETNAMESE_MARKS = frozenset("ăâêôơưđ")


@dataclass
class WordResult:
    """One repaired word: what OCR read, what we wrote, the rivals, and whether to review it."""

    ocr: str
    text: str
    alternatives: list[str]
    margin: float
    review: bool


@dataclass
class LineResult:
    ocr: str
    text: str
    words: list[WordResult] = field(default_factory=list)


def detect_profile(text: str) -> Profile:
    """"vie" when the text already carries Vietnamese-only letters on many words, else "eng"."""
    words = text.lower().split()
    if not words:
        return "eng"
    marked = sum(1 for w in words if _VIETNAMESE_MARKS.intersection(w))
    return "vie" if marked / len(words) >= 0.12 else "eng"


def _choose(block: Block, res: Resources) -> list[Step]:
    if res.settings.use_lm:
        return decode(block.lattice, res.model, lm_weight=res.settings.lm_weight, beam=res.settings.beam)
    # Without the model, each slot's cheapest candidate; a period that may be a comma or a speck is
    # dropped (its arc reading nothing comes first at the same price): only the model tells commas.
    return [Step(k, min((*(a for a in block.arcs.get(k, ()) if not a.readings),
                         *(Arc(k + 1, (c,), 0.0) for c in options)), key=lambda a: a.total))
            for k, options in enumerate(block.options)]


def _margins(block: Block, path: list[Step], res: Resources) -> list[float]:
    if res.settings.use_lm:
        return margins(block.lattice, path, res.model, lm_weight=res.settings.lm_weight)
    return [float("inf")] * len(path)


def _pattern(token: str, caps_line: bool) -> CasePattern:
    """Casing to write. A token of mixed case (PiCH) takes its line's: caps in a caps line. Outside
    a caps line, a garbled all-caps token (HO6) is Title; a plainly cased token keeps its case."""
    pattern = case_pattern(token)
    if caps_line and pattern == "mixed":
        return "upper"
    if pattern == "upper" and not caps_line and not token.isalpha():
        return "title"
    return pattern


def _tall_capitals(pieces: tuple[str, ...], text: str, before: str | None, after: str | None) -> bool:
    """Whether `text`, repaired from one OCR piece in capitals, is a word eng read in capitals for its
    tall marked vowel: a short piece, given only marks by repair, with no word in capitals beside it
    (a heading's words, an acronym: those keep their capitals)."""
    if len(pieces) != 1:
        return False
    piece = pieces[0]
    return (2 <= len(piece) <= TALL_WORD and piece.isalpha() and piece.isupper()
            and text != piece and fold(text) == fold(piece)
            and not any(n is not None and len(n) > 1 and n.isupper() for n in (before, after)))


def _written(pieces: tuple[str, ...], readings: tuple[Candidate, ...], caps_line: bool, style: ToneStyle) -> str:
    """The text of a step: each reading cased like the OCR piece it stands for, kept as read when
    it has no word; the readings of a cut token a space apart."""
    out = []
    for piece, candidate in zip(pieces, readings):
        if candidate.word is None:
            out.append(piece)
        else:
            word = candidate.word if style == "old" else restyle(candidate.word, style)
            out.append(apply_case(word, _pattern(piece, caps_line)))
    return " ".join(out)


def _rival_texts(block: Block, step: Step, token: str, caps_line: bool, style: ToneStyle) -> list[str]:
    """The first few other readings of the step's slots, as they would be written."""
    arc = step.arc
    others: list[tuple[tuple[str, ...], tuple[Candidate, ...]]] = []
    if arc.end == step.start + 1:
        others += [((token,), (c,)) for c in block.options[step.start]]
    others += [(a.pieces, a.readings) for a in block.arcs.get(step.start, ()) if a.end == arc.end]
    rivals = (_written(pieces, readings, caps_line, style) for pieces, readings in others if readings != arc.readings)
    return list(islice(rivals, RIVALS))


def _neighbour(block: Block, li: int, ti: int, step: int) -> str | None:
    """The text of the nearest token before (step -1) or after (+1) token ti of line li, spaces and
    dropped specks skipped; past the line's edge, on the line before or after where the sentence
    goes on across the break (Block.runs_on)."""
    k = ti + step
    while True:
        tokens = block.lines[li]
        while 0 <= k < len(tokens):
            if tokens[k].kind is not Kind.SPACE and block.fixed.get((li, k)) != "":
                return tokens[k].text
            k += step
        if not block.runs_on(li + 1 if step > 0 else li):
            return None
        li += step
        k = 0 if step > 0 else len(block.lines[li]) - 1


def _goes_on(pieces: list[str], word: str, res: Resources) -> bool:
    """Whether the model reads `word` as going on with the sentence written so far rather than as
    opening one after a period OCR lost; the capital OCR read counts CAPITAL_EVIDENCE for the latter
    ("trùng Vào ngày" goes on; "trực tuyến Chú trọng" may open a sentence). The model without the
    document's caches: they tell which words a text uses, not where its sentences end."""
    model = res.model.uncached
    symbols: list[str] = []
    k = len(pieces)
    while k > 0 and len(symbols) < 2:  # the last two symbols, without reading a long line again
        k -= 1
        symbols = list(lm.line_symbols("".join(pieces[k:])))
    context = [model.id(lm.BOS), model.id(lm.BOS), *(model.id(s) for s in symbols)]
    a, b, w, period = *context[-2:], model.id(lm.word_symbol(word)), model.id(".")
    return model.logp((a, b), w) > model.logp((a, b), period) + model.logp((b, period), w) + CAPITAL_EVIDENCE


def repair_block(block: Block, lines: list[str], res: Resources, style: ToneStyle, report_words: bool = True,
                 rivals: bool = True) -> tuple[list[LineResult], frozenset[int]]:
    """Repair one block of `lines` over its lattice; with `report_words`, each line also lists its
    words with their margins and review flags (what adaptation and JSON output need, at about a
    third more time), and with `rivals` too, the rivals written out (JSON only). Also returns the
    slots chosen without confidence (none without `report_words`), for a second decoding."""
    path = _choose(block, res)
    sureness = _margins(block, path, res) if report_words else [float("inf")] * len(path)
    unsure = frozenset(step.start for step, margin in zip(path, sureness) if margin < CONFIDENT_MARGIN)
    chosen = {block.slots[step.start]: (step, margin) for step, margin in zip(path, sureness)}
    results: list[LineResult] = []
    for li, tokens in enumerate(block.lines):
        pieces: list[str] = []
        words: list[WordResult] = []
        skip_to = -1
        for ti, token in enumerate(tokens):
            if ti <= skip_to:
                continue
            text = block.fixed.get((li, ti), token.text)
            read = chosen.get((li, ti)) if (li, ti) not in block.fixed else None
            if read is not None and token.kind is Kind.PUNCT:  # a mark kept, or read as a comma or nothing
                readings = read[0].arc.readings
                text = (readings[0].word or text) if readings else ""
                if not text and ti == 0 and len(tokens) > 1 and tokens[1].kind is Kind.SPACE:
                    skip_to = 1  # a line's opening mark read as nothing takes its space along
            elif read is not None and (token.kind is Kind.WORD or read[0].arc.readings[0].word is not None):
                step, margin = read
                skip_to = block.slots[step.arc.end - 1][1]
                ocr = "".join(t.text for t in tokens[ti:skip_to + 1])
                own = step.arc.pieces or (token.text,)
                text = _written(own, step.arc.readings, block.caps[li], style)
                if not block.caps[li] and text[:1].isupper():  # only a capital may be lowered
                    before, after = _neighbour(block, li, ti, -1), _neighbour(block, li, skip_to, 1)
                    if _tall_capitals(own, text, before, after):
                        text = apply_case(text.lower(), "title")
                    lowered = res.casing.written(text, before, after, glyph=own[0][:1])
                    so_far = [results[-1].text, " "] if not pieces and block.runs_on(li) else pieces
                    if lowered != text and _goes_on(so_far, lowered, res):
                        text = lowered
                if report_words:
                    readings = step.arc.readings
                    # Unsure between rivals, a reading the channel finds unlikely, or left as OCR read
                    # it though it is no Vietnamese syllable.
                    review = (margin < REVIEW_MARGIN or any(r.cost > REVIEW_CHANNEL_COST for r in readings)
                              or (not step.arc.pieces and readings[0].word is None))
                    others = _rival_texts(block, step, token.text, block.caps[li], style) if rivals else []
                    words.append(WordResult(ocr, text, others, margin, review))
            pieces.append(text)
        results.append(LineResult(lines[li], "".join(pieces), words))
    return results, unsure


def repair_lines(lines: list[str], *, style: ToneStyle = "old", profile: Profile | None = None,
                 resources: Resources | None = None, spans: list[WordSpans] | None = None,
                 report_words: bool = True) -> list[LineResult]:
    """Repair lines (no line endings); blank lines split blocks and come back unchanged.

    `spans` gives, per line, Tesseract's confidence for each OCR word; with the vie profile it
    makes confidently read words harder to change. Without `report_words`, lines carry no words.
    Unless the settings say no, the garbles the text repeats are learned from its confident words
    and the lines holding them decoded again (restore/model/adaptation.py).
    """
    res = resources or default_resources()
    lines = [nfc(line) for line in lines]
    line_spans: list[WordSpans | None] = list(spans) if spans is not None else [None] * len(lines)
    chosen_profile = profile or detect_profile("\n".join(lines))
    blocks = _blocks(lines)

    arrays = CandidateArrays(res.model)
    lattices = [Block(lines[start:end], res, chosen_profile, line_spans[start:end], arrays) for start, end in blocks]
    unsure: list[frozenset[int]] = [frozenset()] * len(blocks)  # per block, as its last decoding left it

    def run(k: int, with_resources: Resources, words: bool) -> list[LineResult]:
        start, end = blocks[k]
        results, unsure[k] = repair_block(lattices[k], lines[start:end], with_resources, style, words,
                                          rivals=report_words)
        return results

    def run_adapted(k: int, adapted: Resources, learned: frozenset[str]) -> list[LineResult]:
        lattices[k] = lattices[k].relearned(adapted, learned, unsure[k])
        return run(k, adapted, report_words)

    # Adaptation learns from the words' margins: the first decoding reports them.
    repaired = [run(k, res, report_words or res.settings.adapt) for k in range(len(blocks))]
    # The acronyms the text spells out, as first read: the blocks whose acronyms they change again.
    documented = res.acronyms.with_document(spelled_out(r.text for block in repaired for r in block))
    if documented.document:
        plain, res = res.acronyms, replace(res, acronyms=documented)
        for k, (start, end) in enumerate(blocks):
            if lattices[k].read_otherwise(plain, documented):
                lattices[k] = Block(lines[start:end], res, chosen_profile, line_spans[start:end], arrays)
                repaired[k] = run(k, res, report_words or res.settings.adapt)
    if res.settings.adapt:
        _adapt(repaired, res, chosen_profile, run_adapted)
    results = [LineResult(line, line) for line in lines]
    for (start, _), block_results in zip(blocks, repaired):
        results[start:start + len(block_results)] = block_results
    if not report_words:
        for result in results:
            result.words = []
    for result, text in zip(results, renumber([r.text for r in results])):
        result.text = text
    return results


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of non-blank lines."""
    blocks, start = [], 0
    for i, line in enumerate([*lines, ""]):
        if not line.strip():
            if start < i:
                blocks.append((start, i))
            start = i + 1
    return blocks


def _adapt(repaired: list[list[LineResult]], res: Resources, profile: Profile,
           run: Callable[[int, Resources, frozenset[str]], list[LineResult]]) -> None:
    """Learn the text's repeated garbles and, for an eng reading, its own vocabulary (caches of its
    words and of its confident word pairs, its spellings of each fold), mostly from its confident
    words; decode again (`run`) the blocks either can change: those holding a learned garble and,
    with a cache, those holding a word chosen without confidence (offered then the words its
    neighbours make likely, restore/model/expected.py). A vie reading shows the marks, and there the
    vocabulary overrode marks read right: bench/ablation.py shipped row, worn-200dpi vie 3.87 -> 3.80
    and clean-300dpi vie 0.14 -> 0.07 WER without it, bench/page_preparation.py's phone photo 0.61
    -> 0.52; on bench/ocr_quality.py's pages the vie reading repaired has a word error fewer at worn
    200 dpi and harsh 300 and 200 dpi, and 4 more (949 against 945) at harsh 150 dpi, where the vie
    reading is at its worst."""
    lines = [line for block in repaired for line in block]
    observed = [[observation(w.ocr, w.text, w.margin, w.review) for w in line.words] for line in lines]
    seen = Counter(o for line in observed for o in line if o is not None)
    readable = part_readable(w.ocr for line in lines for w in line.words)
    learned = learned_garbles(seen, res.generator.channel, profile, readable, res.inventory)
    cache: dict[int, float] = {}
    pairs: dict[tuple[int, int], float] = {}
    spelling: dict[int, float] = {}
    if profile == "eng":  # vie shows the marks; the text's own statistics overrode marks it read right
        cache = document_cache(expected_words((w.text, w.margin) for line in lines for w in line.words), res.model)
        pairs = document_pairs(Counter(p for line, sure in zip(lines, observed) for p in _confident_pairs(line, sure)),
                               res.model)
        spelling = spelling_lift(seen, res.model, res.inventory)
    model_adapted = bool(cache or pairs or spelling)
    if not learned and not model_adapted:
        return
    adapted = adapted_resources(res, profile, learned, cache, pairs, spelling)
    tokens = frozenset(learned)
    for k, block in enumerate(repaired):
        words = [w for line in block for w in line.words]
        if any(w.ocr.lower() in tokens or (model_adapted and w.margin < CONFIDENT_MARGIN) for w in words):
            repaired[k] = run(k, adapted, tokens)


def _confident_pairs(line: LineResult, observed: list[Observation | None]) -> Iterator[tuple[str, str]]:
    """Two confidently chosen words (an observation each) written next to each other on the line,
    lowercased."""
    text = line.text.lower()
    for first, second in zip(observed, observed[1:]):
        if first is not None and second is not None and f"{first[1]} {second[1]}" in text:
            yield first[1], second[1]


def repair_text(text: str, *, style: ToneStyle = "old", profile: Profile | None = None,
                resources: Resources | None = None) -> str:
    """Repair a whole text; line count and line endings are preserved exactly."""
    body = text.split("\n")
    endings = ["\r" if line.endswith("\r") else "" for line in body]
    results = repair_lines([line.rstrip("\r") for line in body], style=style, profile=profile,
                           resources=resources, report_words=False)
    return "\n".join(r.text + end for r, end in zip(results, endings))
