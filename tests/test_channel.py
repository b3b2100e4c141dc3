"""The OCR channel: edit alignment, the learned file format, and estimation from aligned pairs."""

from __future__ import annotations

import io
import math
from collections import Counter
from pathlib import Path

import pytest

from lexicon import channel_training
from restore.errors import LexiconError
from restore.model import compiled_letters
from restore.model.channel import (
    TONELESS_COST,
    Channel,
    MarkCosts,
    PartGarbles,
    hand_channel,
    ocr_letters,
    search_keys,
)
from restore.model.channel_file import load_learned, parse_channel, write_channel
from restore.model.letter_edits import edit_alignment, edit_cost
from restore.model.resources import make_channel
from restore.ocr.synth import ScanStyle
from restore.paths import lexicon_dir, phrases_dir
from restore.text.normalize import fold

HAND = hand_channel()


def test_breakups_and_lookalikes_are_single_operations() -> None:
    cost, ops = edit_alignment(ocr_letters("ctia"), "cua", HAND.letters["eng"])
    assert ("ti", "u") in ops and ("c", "c") in ops and ("a", "a") in ops
    assert edit_alignment("v4i", "voi", HAND.letters["eng"])[1][1] == ("4", "o")
    assert cost < edit_alignment("ctia", "cao", HAND.letters["eng"])[0]


def test_a_one_is_searched_as_an_l_and_as_an_i() -> None:
    """"nd1" is nội and "ho1" hồi: as l alone, 1 left them two edits from any fold."""
    assert search_keys("nd1") == ["ndl", "ndi"] and search_keys("161") == ["lol", "ioi"]


def test_horn_read_as_ir_may_run_into_n_as_m() -> None:
    """đứng -> dimg, ứng -> tmg: two OCR letters for two, not three separate edits."""
    cost, ops = edit_alignment("dimg", "dung", HAND.letters["eng"])
    assert ("im", "un") in ops
    assert cost < edit_alignment("dimg", "dim", HAND.letters["eng"])[0]
    assert ("tm", "un") in edit_alignment("tmg", "ung", HAND.letters["eng"])[1]


def test_horn_of_a_serif_u_read_as_its_own_letter() -> None:
    """sử -> stv, chức -> chifc, cứ -> ctf: cheaper than any two separate edits."""
    for ocr, part in (("stv", "tv"), ("chifc", "if"), ("ctf", "tf")):
        cost, ops = edit_alignment(ocr, ocr.replace(part, "u"), HAND.letters["eng"])
        assert (part, "u") in ops and cost < 2.0


def test_a_sign_of_a_mark_eng_could_not_print_is_priced_as_learned() -> None:
    """eng has no đ and draws its stroke as a B or a P, and draws some marked vowels as digits or
    symbols (6 for ô, & for ở); a plain d it reads as d, a plain o as o. Training pairs say how
    much likelier the sign is under the marked syllable: "Ban" (Ban Giám sát) had become dân after
    "và", priced as đàn is; "tin do" stayed so beside "tín đồ" for "tin d6"."""
    pairs = Counter({("Pang", "đảng"): 5, ("dang", "đang"): 95, ("dan", "dân"): 300, ("s6", "số"): 60,
                     ("so", "số"): 440, ("to", "to"): 200})
    evidence = channel_training.estimate_marks(pairs, "eng").evidence
    # by hand: the stroke shown for 5 of 100 đ, for none of 300 d (half a sighting added); the glyph
    # for 60 of 900 marked syllables, for none of 200 plain ones
    assert evidence["stroke"] == pytest.approx(math.log10(0.05 / (0.5 / 301)), abs=1e-6)
    assert evidence["glyph"] == pytest.approx(math.log10((60 / 900) / (0.5 / 201)), abs=1e-6)
    marks = MarkCosts({(False, False): 0.0, (False, True): 0.13, (True, False): 3.5, (True, True): 0.58}, {}, 0, 0, 0,
                      evidence)
    channel = Channel("signs", HAND.letters, {"eng": marks})
    dan, dang = channel.marks_of("Ban", ocr_letters("Ban"), "eng", ["dân", "đàn"])
    assert dan == pytest.approx(dang + evidence["stroke"])
    do, ddo = channel.marks_of("d6", ocr_letters("d6"), "eng", ["do", "đồ"])
    assert do == pytest.approx(ddo - 0.13 + evidence["glyph"])
    plain = channel.marks_of("dan", ocr_letters("dan"), "eng", ["dân", "đàn"])
    assert plain[0] == plain[1]


def test_accents_become_placeholders() -> None:
    assert ocr_letters("hién") == "hiEn"
    assert ocr_letters("Thu’O’ng") == "thu’o’ng"


def test_channel_file_round_trip(tmp_path: Path) -> None:
    letters, marks = HAND.letters["eng"], HAND.marks["eng"]
    path = tmp_path / "channel.eng.tsv"
    parts = PartGarbles({"": {"": 0.0}, "tr": {"tr": 0.01}}, {"ẻ": {"é": 0.03}, "ăn": {"an": 0.02}})
    write_channel(path, letters, marks, {"ctia": {"của": 0.5}}, parts, ["test"])
    read_letters, read_marks, tokens, read_parts = parse_channel(path.open(encoding="utf-8"), str(path))
    assert read_letters.substitutions[("4", "a")] == pytest.approx(letters.substitutions[("4", "a")], abs=1e-4)
    assert read_marks.accent == pytest.approx(marks.accent, abs=1e-4)
    assert read_marks.evidence == pytest.approx(marks.evidence, abs=1e-4) and marks.evidence
    assert tokens == {"ctia": {"của": 0.5}}
    assert read_parts == parts


def test_a_rhyme_s_common_readings_price_its_other_tones() -> None:
    parts = PartGarbles({"m": {"m": 0.0}, "g": {"g": 0.0}}, {"ửa": {"tra": 0.5}, "ấn": {"an": 0.05, "én": 1.4}})
    assert parts.cost("mtra", "mửa") == pytest.approx(0.5)
    assert parts.cost("mtra", "mưa") == pytest.approx(0.5 + TONELESS_COST)  # seen under another tone
    assert parts.cost("gén", "gấn") == pytest.approx(1.4)
    assert parts.cost("gén", "gần") == math.inf  # too rare a reading of ấn to lend
    assert parts.cost("gan", "gần") == pytest.approx(0.05 + TONELESS_COST)


def test_bad_channel_line_names_file_and_line() -> None:
    with pytest.raises(LexiconError, match="ch.tsv:2"):
        parse_channel(io.StringIO("# header\nsubstitution\tx\n"), "ch.tsv")


def test_missing_learned_channel_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(LexiconError) as caught:
        load_learned(tmp_path)
    assert "vnrestore lexicon train-channel" in caught.value.one_line()


def test_estimation_learns_what_the_pairs_show() -> None:
    pairs = Counter({("v4i", "với"): 40, ("voi", "với"): 40, ("ctia", "của"): 30, ("cua", "của"): 10,
                     ("nhan", "nhân"): 60, ("dan", "dân"): 60})
    letters = channel_training.estimate_letters(pairs, HAND.letters["eng"])
    assert letters.substitutions[("4", "o")] < letters.default_substitution
    assert letters.multi["ti"]["u"] < letters.default_substitution
    tokens = channel_training.estimate_tokens(pairs)
    assert tokens["ctia"]["của"] == pytest.approx(0.1249, abs=1e-3)  # by hand: -log10(30 / 40)
    marks = channel_training.estimate_marks(pairs, "eng")
    assert marks.accent[(False, True)] < marks.accent[(True, True)]  # eng drops the marks of these words


def test_a_rhyme_garble_seen_in_some_words_prices_a_word_training_never_saw() -> None:
    pairs = Counter({("tré", "trở"): 40, ("tro", "trở"): 10, ("ké", "kẻ"): 9, ("dé", "để"): 9, ("tra", "trả"): 5})
    parts = channel_training.estimate_parts(pairs)
    assert parts.rhymes["ẻ"] == {"é": pytest.approx(-math.log10(9 / 10))}  # Witten-Bell: one reading seen
    # eng shows an accent on a marked syllable one time in four (as the learned channel has it)
    marks = MarkCosts({(False, False): 0.0, (False, True): 0.13, (True, False): 3.5, (True, True): 0.58}, {}, 0, 0, 0)
    tokens = {"eng": channel_training.estimate_tokens(pairs)}
    whole = Channel("tokens", HAND.letters, {"eng": marks}, tokens)
    by_parts = Channel("parts", HAND.letters, {"eng": marks}, tokens, {"eng": parts})

    def cost(channel: Channel, token: str, syllable: str) -> float:
        return channel.cost(token, ocr_letters(token), fold(syllable), syllable, "eng")

    assert cost(whole, "tré", "trẻ") > 0.5 > cost(whole, "tré", "trở")  # the remembered word wins
    assert cost(by_parts, "tré", "trẻ") < cost(by_parts, "tré", "trở")  # tr + ẻ read é: both seen
    # A capitalized token may be a name: it is priced by its letters and marks alone.
    assert cost(by_parts, "Tré", "trẻ") == pytest.approx(cost(whole, "Tré", "trẻ"))


def test_alignment_pairs_ocr_words_with_syllables() -> None:
    pairs = list(channel_training.aligned_pairs(["Thực hiện Kế hoạch của xã"], ["Thyec hién Ké hoach ctia x4"]))
    assert ("Thyec", "thực") in pairs and ("ctia", "của") in pairs and ("x4", "xã") in pairs


@pytest.mark.ocr
def test_pairs_from_real_ocr_of_rendered_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    phrases = [line for line in (phrases_dir() / "admin_phrases.vi.txt").read_text(encoding="utf-8").splitlines()
               if line and not line.startswith("#")]
    monkeypatch.setattr(channel_training, "training_lines", lambda count, seed: phrases[:count])
    pairs = channel_training.collect_pairs(2, 1, seed=1, log=lambda line: None)
    assert sum(pairs["eng"].values()) > 50 and sum(pairs["vie"].values()) > 50
    assert any(token.lower() != syllable for token, syllable in pairs["eng"])  # eng loses diacritics


def test_the_pair_cache_is_keyed_by_the_page_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs OCR'd from clean pages are not reused once training renders worn ones."""
    lines = ["Thực hiện Kế hoạch của xã"] * 60
    before = channel_training.cache_key(lines, 2, seed=1)
    assert channel_training.cache_key(lines, 2, seed=1) == before
    monkeypatch.setattr(channel_training, "page_style", lambda rng: ScanStyle(blur=rng.choice((0.0, 2.0))))
    assert channel_training.cache_key(lines, 2, seed=1) != before


def test_compiled_letter_costs_equal_the_python_table() -> None:
    """letter_costs.c against edit_cost, both profiles of the hand, learned and auto tables, on OCR-like
    tokens (digits, capitals, accents, pairs such as ii and rn) and folds near and far."""
    assert compiled_letters.available(), "the compiled letter costs are not built: run bash scripts/install.sh"
    tokens = ["ctia", "nguoi", "Thu'O'ng", "hién", "tiii", "rnot", "s0", "Ðông", "&", "$6", "viénSV", "qu6c", "x4",
              "aaaaaaaaaa"]
    targets = ["cua", "nguoi", "thuong", "hien", "tu", "mot", "so", "dong", "o", "vien", "quoc", "xa", "a", "nghieng"]
    for channel in (make_channel(name, lexicon_dir()) for name in ("hand", "learned", "auto")):
        for profile in ("eng", "vie"):
            tables = compiled_letters.CompiledLetters(channel.letters[profile])
            for token in tokens:
                letters = ocr_letters(token)
                assert tables.costs(letters, targets) == [edit_cost(letters, t, channel.letters[profile])
                                                          for t in targets], token
