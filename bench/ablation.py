"""Ablation: what each part of repair buys, on a real document and on synthetic scans.

Run: python3 bench/ablation.py [--skip-synthetic]
Rows: lexicon only (hand-set channel, no language model); + language model; + learned channel
(the learned channel with the language model); the auto channel; + lattice (tokens cut and joined
where OCR lost or added a space); the shipped default (all that, and each text's repeated garbles
and a cache of its words, learned from its confident words); and + the batch's garbles: what
`vnrestore adapt` learns from the shipped default's records of all pages of a column (000 alone
for its column), given back as --garbles. Columns: the body of samples/000 against its gold copy
(Tesseract eng output of a real scan); the bench/texts pages rendered worn at 200 dpi, and clean at
300 dpi, each OCR'd with eng and with vie (the worn vie column is issue 11's `repair --profile vie`
figure); and the bench/office texts (written for this benchmark, in no
lexicon source: a university, a health station and a school office) rendered as office photocopies
in Liberation Serif (Times New Roman's metrics), 13 pt at 300 dpi and 14 pt at 200 dpi, OCR'd with
eng; and the same in TeX Gyre Termes, a Times design, whose marks eng garbles as it does on real
scans of Times New Roman ("nim" for năm, "hodc" for hoặc). The last two columns are held out: the
bench/dispatches texts (a commune's and a district's dispatches, in no lexicon source either, written
after the settings were chosen, to check that a change generalizes) drawn clean in Termes at 300 dpi
(13 pt) and 200 dpi (14 pt) and OCR'd with eng. Raw OCR is cached under .sources/bench-ocr/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from restore.decode.garbles import batch_garbles  # noqa: E402
from restore.decode.repair import repair_lines, repair_text  # noqa: E402
from restore.evaluation.evaluate import evaluate  # noqa: E402
from restore.evaluation.metrics import Scores, score  # noqa: E402
from restore.model.channel import Profile  # noqa: E402
from restore.model.resources import Resources, Settings  # noqa: E402
from restore.ocr import tesseract  # noqa: E402
from restore.ocr.synth import WEAR_LEVELS, render  # noqa: E402

ROWS = {
    "lexicon only": Settings(channel="hand", use_lm=False, adapt=False),
    "+ language model": Settings(channel="hand", adapt=False),
    "+ learned channel": Settings(channel="learned", adapt=False),
    "auto channel (learned, capped by strong hand-set confusions)": Settings(adapt=False, lattice=False),
    "+ lattice (cuts and joins)": Settings(adapt=False),
    "shipped default (+ adaptation to the text's garbles and words)": Settings(),
}
PageStyle = tuple[int, str, float, str]  # dpi, wear level (WEAR_LEVELS), font size in points, font (FONTS)
# Column: (texts folder, {page style name: PageStyle}, OCR languages)
COLUMNS: dict[str, tuple[str, dict[str, PageStyle], tuple[str, ...]]] = {
    "worn-200dpi": ("texts", {"worn-200dpi": (200, "worn", 13.0, "liberation-serif")}, ("eng", "vie")),
    "clean-300dpi": ("texts", {"clean-300dpi": (300, "clean", 13.0, "liberation-serif")}, ("eng", "vie")),
    "office": ("office", {"photocopy-300dpi": (300, "photocopy", 13.0, "liberation-serif"),
                          "photocopy-200dpi": (200, "photocopy", 14.0, "liberation-serif")}, ("eng",)),
    "office-times": ("office", {"times-photocopy-300dpi": (300, "photocopy", 13.0, "termes"),
                                "times-photocopy-200dpi": (200, "photocopy", 14.0, "termes")}, ("eng",)),
    "dispatches-300dpi": ("dispatches", {"times-clean-300dpi": (300, "clean", 13.0, "termes")}, ("eng",)),
    "dispatches-200dpi": ("dispatches", {"times-clean-200dpi": (200, "clean", 14.0, "termes")}, ("eng",)),
}
CACHE = ROOT / ".sources" / "bench-ocr"
BATCH_ROW = "+ the batch's garbles (vnrestore adapt, then --garbles)"

Pages = list[tuple[str, dict[str, str]]]  # (source text, {lang: raw OCR})


def synthetic_ocr(folder: str, styles: dict[str, PageStyle], langs: tuple[str, ...]) -> Pages:
    """(source text, {lang: raw OCR}) for each text of the folder and page style."""
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for text_path in sorted((ROOT / "bench" / folder).glob("*.txt")):
        gold = text_path.read_text(encoding="utf-8")
        for name, (dpi, level, size, font) in styles.items():
            ocr = {}
            for lang in langs:
                cached = CACHE / f"{text_path.stem}-{name}.{lang}.txt"
                if not cached.exists():
                    images = render(gold, replace(WEAR_LEVELS[level], font=font, dpi=dpi, size_pt=size, seed=dpi))
                    lines = [line.text for image in images for line in tesseract.recognize(image, lang=lang, name=name)]
                    cached.write_text("\n".join(lines), encoding="utf-8")
                ocr[lang] = cached.read_text(encoding="utf-8")
            out.append((gold, ocr))
    return out


def total_scores(pages: Pages, lang: str, repaired: Callable[[str, str], str] | None = None) -> dict[str, float]:
    """CER and WER over all pages, of the raw OCR or of `repaired(ocr, lang)`."""
    total = None
    for gold, ocr in pages:
        s = score(gold, ocr[lang] if repaired is None else repaired(ocr[lang], lang))
        total = s if total is None else total + s
    assert total is not None
    return figures(total)


def figures(s: Scores) -> dict[str, float]:
    return {"cer": round(100 * s.cer.rate, 2), "wer": round(100 * s.wer.rate, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    ocr_000 = (ROOT / "samples" / "000.ocr.txt").read_text(encoding="utf-8")
    gold_000 = (ROOT / "samples" / "000.gold.txt").read_text(encoding="utf-8")
    columns = {} if args.skip_synthetic else {name: (synthetic_ocr(*spec), spec[2]) for name, spec in COLUMNS.items()}
    table = {"raw OCR": {"000 body": figures(evaluate(ocr_000, gold_000, body=True).scores)}}
    for name, (pages, langs) in columns.items():
        for lang in langs:
            table["raw OCR"][f"{name} {lang}"] = total_scores(pages, lang)
    for row, settings in ROWS.items():
        resources = Resources.load(settings)

        def repaired(ocr: str, lang: str, resources: Resources = resources) -> str:
            profile: Profile = "vie" if lang == "vie" else "eng"
            return "\n".join(r.text for r in repair_lines(ocr.split("\n"), resources=resources, profile=profile))

        table[row] = {"000 body": figures(evaluate(repair_text(ocr_000, resources=resources), gold_000,
                                                   body=True).scores)}
        for name, (pages, langs) in columns.items():
            for lang in langs:
                table[row][f"{name} {lang}"] = total_scores(pages, lang, repaired)
    table[BATCH_ROW] = batch_row(ocr_000, gold_000, columns)
    print(json.dumps(table, indent=1, ensure_ascii=False))


def record(ocr: str, profile: Profile, resources: Resources) -> dict:
    """What a run record (NAME.json) holds of one repaired text: its lines' OCR and tokens."""
    lines = repair_lines(ocr.split("\n"), resources=resources, profile=profile)
    return {"pages": [{"lines": [{"ocr": line.ocr, "tokens": [vars(w) for w in line.words]} for line in lines]}]}


def batch_row(ocr_000: str, gold_000: str, columns: dict[str, tuple[Pages, tuple[str, ...]]]) -> dict:
    """Each column repaired again with the garbles vnrestore adapt learns from the column's records."""
    shipped = Resources.load(Settings())

    def with_garbles(texts: list[str], profile: Profile) -> Resources:
        garbles = batch_garbles([record(t, profile, shipped) for t in texts], shipped.generator.channel)
        return Resources.load(Settings(garbles=garbles))

    eng: Profile = "eng"
    resources = with_garbles([ocr_000], eng)
    out = {"000 body": figures(evaluate(repair_text(ocr_000, resources=resources, profile=eng), gold_000,
                                        body=True).scores)}
    for name, (pages, langs) in columns.items():
        for lang in langs:
            profile: Profile = "vie" if lang == "vie" else "eng"
            resources = with_garbles([ocr[lang] for _, ocr in pages], profile)
            out[f"{name} {lang}"] = total_scores(pages, lang, lambda text, _, r=resources, p=profile: "\n".join(
                line.text for line in repair_lines(text.split("\n"), resources=r, profile=p)))
    return out


if __name__ == "__main__":
    main()
