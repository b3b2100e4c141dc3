"""Would a 4-gram model pay? Held-out perplexity, and repair's WER, at orders 3 and 4.

Run: python3 bench/lm_order.py [--orders 3,4]
Reads the same sources as `vnrestore lexicon build` (lexicon/sources.py), holds out the same
lines (every 50th line of each corpus source) and estimates the same interpolated modified
Kneser-Ney model at each order. Each model is written to a scratch lexicon directory beside a
copy of the shipped data (syllables, channel, case table) and loaded as repair loads it; it is
scored on the held-out lines, then bench/ablation.py runs on it and its shipped-default row is
reported. Perplexity is measured on lines of the sources themselves; the ablation's pages are text
in no source, so it is the WER that says whether an order pays. A model of order 4 is decoded by
the Python search (restore/decode/beam.c is trigram-only): the same path, more time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lexicon import build, kneser_ney  # noqa: E402
from restore.model import language_model as lm  # noqa: E402
from restore.paths import lexicon_dir  # noqa: E402

SHIPPED_ROW = "shipped default (+ adaptation to the text's garbles and words)"


def shipped_row(directory: Path) -> dict[str, dict[str, float]]:
    """bench/ablation.py's shipped-default row with the lexicon in `directory`."""
    env = {**os.environ, "VNRESTORE_LEXICON_DIR": str(directory)}
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "ablation.py")], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)[SHIPPED_ROW]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", default="3,4")
    orders = [int(o) for o in parser.parse_args().orders.split(",")]
    collected, _ = build.collect(build.SOURCES, lambda _: None)
    vocab = build.vocabulary(collected, collected.name_syllables())
    ids = {w: i for i, w in enumerate(vocab)}
    everything = [line for lines in collected.held_out.values() for line in lines]
    for order in orders:
        with tempfile.TemporaryDirectory() as scratch:
            directory = Path(scratch) / "lexicon"
            shutil.copytree(lexicon_dir(), directory)
            path = directory / lm.MODEL_FILE
            lm.save(path, vocab, kneser_ney.to_arrays(build.estimate(collected, ids, order)),
                    build.count_unknown_types(collected, ids))
            model = lm.LanguageModel.load(path)
            figures = {"ngrams": [len(keys) for keys in model.keys],
                       "perplexity": round(build.held_out_perplexity(model, everything), 2),
                       "per_source": {name: round(build.held_out_perplexity(model, lines), 2)
                                      for name, lines in collected.held_out.items()},
                       "wer": {column: scores["wer"] for column, scores in shipped_row(directory).items()}}
        print(json.dumps({order: figures}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
