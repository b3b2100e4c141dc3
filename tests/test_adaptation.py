"""Adaptation: the garbles a text repeats, learned from its confident words, without gold."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from restore.decode.repair import repair_lines, repair_text
from restore.model import adaptation
from restore.model.adaptation import (
    MIN_CONFIDENT_WORDS,
    PRIOR_WEIGHT,
    document_cache,
    document_pairs,
    expected_words,
    learned_part_readings,
    learned_tokens,
    observation,
    part_readable,
    spelling_lift,
)
from restore.model.channel import ocr_letters
from restore.model.language_model import CachedLanguageModel
from restore.model.resources import Resources

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _observations(text: str, resources: Resources) -> Counter:
    lines = repair_lines(text.split("\n"), resources=replace(resources, settings=replace(resources.settings,
                                                                                           adapt=False)))
    return Counter(o for line in lines for w in line.words
                   if (o := observation(w.ocr, w.text, w.margin, w.review)) is not None)


def test_a_repeated_garble_is_learned_from_raw_ocr(resources: Resources) -> None:
    # 002 is raw eng OCR with no gold copy: "dân chủ & cơ sở" (ở read as &) runs through it.
    seen = _observations((SAMPLES / "002.ocr.txt").read_text(encoding="utf-8"), resources)
    learned = learned_tokens(seen, resources.generator.channel, "eng")
    assert "ở" in learned["&"]
    shipped = resources.generator.channel.token_costs("&", "eng").get("ở", 99.0)
    assert learned["&"]["ở"] < shipped  # cheaper than the shipped channel priced it
    assert all(token != syllable for token, costs in learned.items() for syllable in costs)


def test_too_little_text_learns_nothing(resources: Resources) -> None:
    seen = Counter({("ctia", "của"): MIN_CONFIDENT_WORDS - 1})
    assert learned_tokens(seen, resources.generator.channel, "eng") == {}


def test_a_garble_seen_once_is_not_learned(resources: Resources) -> None:
    seen = Counter({("xa", "xã"): MIN_CONFIDENT_WORDS, ("ctia", "của"): 1})
    assert "ctia" not in learned_tokens(seen, resources.generator.channel, "eng")


def test_a_rhyme_garble_the_text_repeats_reads_words_it_never_saw_read_that_way(resources: Resources) -> None:
    # ức read "irc" in chức and thức alone; đức and mức were never read "irc" with confidence.
    channel = resources.generator.channel
    seen = Counter({("xa", "xã"): MIN_CONFIDENT_WORDS, ("chirc", "chức"): 3, ("thirc", "thức"): 2})
    readings = learned_part_readings(seen, channel, "eng", {"dirc", "mirc", "xa"}, resources.inventory)
    shipped = channel.cost("dirc", ocr_letters("dirc"), "duc", "đức", "eng")
    assert readings["dirc"]["đức"] < shipped and "mức" in readings["mirc"]
    assert "xa" not in readings  # no learned part reads it
    # MAP: 5 of the text's 5 ức read "irc", the shipped part's price a prior worth PRIOR_WEIGHT sightings.
    prior = 10 ** -channel.parts["eng"].rhymes["ức"]["irc"]
    onset = channel.parts["eng"].onsets["đ"]["d"]
    assert readings["dirc"]["đức"] == pytest.approx(onset - math.log10((5 + PRIOR_WEIGHT * prior) / (5 + PRIOR_WEIGHT)))
    assert learned_part_readings(Counter({("chirc", "chức"): 5}), channel, "eng", {"dirc"},
                                 resources.inventory) == {}  # too little text
    assert part_readable(["Dirc", "dirc", "ban hanh"]) == {"dirc"}  # not names, not merged words


def test_a_glyph_the_text_draws_for_a_marked_vowel_reads_every_rhyme_of_its_class(resources: Resources) -> None:
    # é for a hatted a with an acute, seen in chất and cấp: gắn (ắ: breve, acute) reads by it, and
    # gặn (a dot, another class) and gén's ê readings learn nothing from it.
    channel = resources.generator.channel
    seen = Counter({("xa", "xã"): MIN_CONFIDENT_WORDS, ("chét", "chất"): 2, ("cép", "cấp"): 1, ("cấp", "cấp"): 7})
    readings = learned_part_readings(seen, channel, "eng", {"gén"}, resources.inventory)["gén"]
    assert readings["gắn"] < channel.cost("gén", ocr_letters("gén"), "gan", "gắn", "eng")
    assert "gặn" not in readings and "gến" not in readings
    # MAP: 3 of the class's 10 confident words drew é, the shipped price of "én" for ắn the prior.
    prior = 10 ** -channel.cost("én", ocr_letters("én"), "an", "ắn", "eng")
    onset = channel.parts["eng"].onsets["g"]["g"]
    assert readings["gắn"] == pytest.approx(onset - math.log10((3 + PRIOR_WEIGHT * prior) / (10 + PRIOR_WEIGHT)))
    assert "gén" not in learned_part_readings(Counter({("xa", "xã"): MIN_CONFIDENT_WORDS, ("chét", "chất"): 1}),
                                              channel, "eng", {"gén"}, resources.inventory)  # seen once


def test_adaptation_is_deterministic_and_can_be_turned_off(resources: Resources) -> None:
    text = (SAMPLES / "000.ocr.txt").read_text(encoding="utf-8")
    off = replace(resources, settings=replace(resources.settings, adapt=False))
    adapted = repair_text(text, resources=resources)
    assert adapted == repair_text(text, resources=resources)
    assert repair_text(text, resources=off) != adapted  # 000 repeats garbles enough to change words
    assert len(adapted.split("\n")) == len(text.split("\n"))


def test_no_adapt_on_the_command_line(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    cli = [sys.executable, str(SAMPLES.parent / "cli.py")]
    source = SAMPLES / "000.ocr.txt"
    plain = subprocess.run([*cli, "repair", "--no-adapt", str(source)], capture_output=True, text=True, check=True)
    adapted = subprocess.run([*cli, "repair", str(source)], capture_output=True, text=True, check=True)
    assert plain.stdout != adapted.stdout
    subprocess.run([*cli, "run", str(source), "--out-dir", str(tmp_path), "--no-adapt", "--quiet"], check=True)
    assert json.loads((tmp_path / "000.json").read_text(encoding="utf-8"))["options"].endswith(";adapt=off")


def test_the_document_cache_makes_the_text_s_own_words_likelier(resources: Resources) -> None:
    model = resources.model
    words = expected_words([("thi", math.inf)] * 100 + [("Thi", 0.0)] * 100 + [("của", 2.0)] * 150 + [("SV", 3.0)])
    assert words["thi"] == 150 and math.isclose(words["của"], 150 / 1.01) and "sv" not in words
    cache = document_cache(words, model)
    assert math.isclose(cache[model.id("thi")], 150 / (150 + 150 / 1.01))  # a toss-up counts half
    assert document_cache({"thi": MIN_CONFIDENT_WORDS - 1}, model) == {}
    mixed = CachedLanguageModel(model, cache, 0.02)
    context = (model.id("tổ"), model.id("chức"))
    thi, thi_grave = model.id("thi"), model.id("thì")
    ids = np.array([thi, thi_grave])
    before, after = (m.scores(np.array(context[0]), np.array(context[1]), ids) for m in (model, mixed))
    assert after[0] > before[0] and after[1] < before[1]  # the cached word gains, the others give way
    assert math.isclose(10 ** after[0], 0.98 * 10 ** before[0] + 0.02 * cache[thi])
    assert math.isclose(mixed.logp(tuple(context), thi_grave), after[1])


def test_the_text_s_spelling_of_a_fold_is_lifted_and_other_folds_are_left_alone(resources: Resources) -> None:
    # A provincial plan writes tỉnh where the corpus writes tình and tính as often.
    model, inventory = resources.model, resources.inventory
    seen = Counter({("tinh", "tỉnh"): 40, ("tinh", "tình"): 2, ("xa", "xã"): 200})
    lift = spelling_lift(seen, model, inventory)
    tinh, tinh_grave, tinh_acute = model.id("tỉnh"), model.id("tình"), model.id("tính")
    assert lift[tinh] > 0 > lift[tinh_grave] > lift[tinh_acute]  # tính, never chosen, loses most
    assert model.id("dân") not in lift and model.id("ban") not in lift  # folds the text did not show
    corpus = [inventory.counts[s] for s in inventory.by_fold["tinh"] if model.id(s)]
    share = inventory.counts["tỉnh"] / sum(corpus)
    text_share = (40 + adaptation.SPELLING_PRIOR * share) / (42 + adaptation.SPELLING_PRIOR)
    assert lift[tinh] == pytest.approx(adaptation.SPELLING_POWER * math.log10(text_share / share))
    assert spelling_lift(Counter({("tinh", "tỉnh"): MIN_CONFIDENT_WORDS - 1}), model, inventory) == {}
    # A rare spelling seen a few times beside the text's usual one may fall, never rise.
    rare = spelling_lift(Counter({("cong", "công"): 30, ("cong", "cống"): 3, ("xa", "xã"): 200}), model, inventory)
    assert rare[model.id("công")] > 0 and rare[model.id("cống")] == 0.0
    mixed = CachedLanguageModel(model, {}, 0.0, spelling=lift)
    context = (model.id("của"),)
    assert mixed.logp(context, tinh) == pytest.approx(model.logp(context, tinh) + lift[tinh])


def test_the_pair_cache_keeps_the_pairs_a_text_repeats(resources: Resources) -> None:
    model = resources.model
    pairs = Counter({("dân", "vận"): 150, ("dân", "dẫn"): 1, ("công", "tác"): 60})
    cache = document_pairs(pairs, model)
    assert cache == {(model.id("dân"), model.id("vận")): 150 / 151, (model.id("công"), model.id("tác")): 1.0}
    assert document_pairs(Counter({("dân", "vận"): MIN_CONFIDENT_WORDS - 1}), model) == {}
    mixed = CachedLanguageModel(model, {}, 0.0, cache, 0.1)
    context = (model.id("vụ"), model.id("dân"))
    van, dan = model.id("vận"), model.id("dẫn")
    assert mixed.logp(context, van) > model.logp(context, van) and mixed.logp(context, dan) < model.logp(context, dan)
    assert math.isclose(10 ** mixed.logp(context, van), 0.9 * 10 ** model.logp(context, van) + 0.1 * 150 / 151)


def test_a_pair_the_text_repeats_is_read_where_its_context_is_weak(resources: Resources,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # "công tác dân vận" read 25 times, then "dan van" after "nhiệm vụ", where the corpus prefers "dẫn vẫn"
    text = "\n".join(["Nang cao hieu qua cong tac dan van cua chinh quyen cac cap"] * 25
                     + ["", "to chirc thyc hién nhiém vy dan van gin voi nhiém vu phat trién kinh té"])
    assert "nhiệm vụ dân vận" in repair_text(text, resources=resources, profile="eng")
    monkeypatch.setattr(adaptation, "PAIR_CACHE_WEIGHT", 0.0)
    # The text's dân and vận would lift them alone, by their share of its words or of their folds.
    monkeypatch.setattr(adaptation, "CACHE_WEIGHT", 0.0)
    monkeypatch.setattr(adaptation, "SPELLING_POWER", 0.0)
    assert "nhiệm vụ dẫn vẫn" in repair_text(text, resources=resources, profile="eng")


def test_a_batch_s_garbles_are_saved_and_reused(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    cli = [sys.executable, str(SAMPLES.parent / "cli.py")]
    source = SAMPLES / "000.ocr.txt"
    subprocess.run([*cli, "run", str(source), "--out-dir", str(tmp_path / "first"), "--quiet"], check=True)
    learned = subprocess.run([*cli, "adapt", str(tmp_path / "first"), "--out", str(tmp_path / "g.tsv")],
                             capture_output=True, text=True, check=True)
    rows = [line.split("\t") for line in (tmp_path / "g.tsv").read_text(encoding="utf-8").splitlines()
            if not line.startswith("#")]
    assert rows and all(len(row) == 4 and row[0] == "eng" for row in rows)
    assert ["eng", "1am", "làm"] in [row[:3] for row in rows]  # a garble 000 repeats
    assert f"{len(rows)} garbles learned from 1 records" in learned.stderr
    subprocess.run([*cli, "run", str(source), "--out-dir", str(tmp_path / "next"), "--quiet",
                    "--garbles", str(tmp_path / "g.tsv")], check=True)
    record = json.loads((tmp_path / "next" / "000.json").read_text(encoding="utf-8"))
    assert ";garbles=" in record["options"]  # a changed table redoes the file on resume
    (tmp_path / "bad.tsv").write_text("eng\t1am\n", encoding="utf-8")
    bad = subprocess.run([*cli, "repair", "--garbles", str(tmp_path / "bad.tsv"), str(source)],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "bad.tsv line 1: expected profile" in bad.stderr
    assert "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    empty = subprocess.run([*cli, "adapt", str(tmp_path / "bad.tsv"), "--out", str(tmp_path / "x.tsv")],
                           capture_output=True, text=True)
    assert empty.returncode == 2 and "Traceback" not in empty.stderr
