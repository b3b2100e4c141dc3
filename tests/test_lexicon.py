from __future__ import annotations

import io
from itertools import product
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from lexicon import kneser_ney
from lexicon.build import MIN_OTHER_COUNT, Collected, count_words, vocabulary
from lexicon.sources import Source, read_plain_lines
from restore.decode.decoder import Lattice, decode, margins
from restore.decode.repair import repair_text
from restore.errors import LexiconError
from restore.model import compiled_folds
from restore.model import language_model as lm
from restore.model.candidates import Candidate
from restore.model.channel import search_keys
from restore.model.person_names import PersonNames, in_name_run, parse_person_names
from restore.model.resources import Resources
from restore.model.syllables import SyllableInventory, parse_inventory, parse_names
from restore.paths import lexicon_dir
from restore.text.acronyms import Acronyms, parse_acronyms, parse_counts, spelled_out
from restore.text.tokens import Kind, tokenize


def test_inventory_parser_reports_file_and_line() -> None:
    with pytest.raises(LexiconError, match="bad.tsv:2"):
        parse_inventory(io.StringIO("của\t10\nxyzq\t3\n"), "bad.tsv")
    with pytest.raises(LexiconError, match="bad.tsv:1"):
        parse_inventory(io.StringIO("của ten\n"), "bad.tsv")


def test_name_syllables_are_indexed_but_are_no_syllables() -> None:
    with pytest.raises(LexiconError, match="names.tsv:2"):
        parse_names(io.StringIO("đắk\t40\ncủa\t3\n"), "names.tsv")  # a syllable is no name syllable
    inventory = SyllableInventory({"đắc": 10, "lắc": 5}, parse_names(io.StringIO("đắk\t40\nlắk\t30\n")))
    assert "đắk" not in inventory and "đắc" in inventory
    assert inventory.by_fold["dak"] == ["đắk"] and inventory.near("dak", 1, 5, names=True)[0] == ("dak", 0)
    assert inventory.near("dak", 1, 5) == [("dac", 1)]  # running text's search never meets a name


def test_the_build_keeps_name_syllables_used_enough_and_no_unmarked_syllable() -> None:
    collected = Collected()
    collected.syllables.update({"ngọc": 9, "lắc": 4})
    collected.names.update({"đắk": 5, "krông": 3, "ea": 2, "ngoc": 30})  # ngoc: ngọc without its mark
    assert collected.name_syllables() == {"đắk": 5, "krông": 3}


def test_place_names_of_other_languages_are_restored_only_where_capitalized(resources: Resources) -> None:
    """Đắk Lắk is in the administrative-unit lists, written in syllables Vietnamese orthography lacks:
    eng drops its marks, and repair finds it; a lowercase token is never read as a name syllable."""
    assert "đắk" in resources.inventory.names and "krông" in resources.inventory.names
    assert repair_text("UBND tinh Dak Lak va huyén Krong Pa") == "UBND tỉnh Đắk Lắk và huyện Krông Pa"
    assert all(c.word not in resources.inventory.names for c in resources.generator("dak", "eng"))
    assert any(c.word == "đắk" for c in resources.generator("Dak", "eng"))
    assert "krông" in [c.word for c in resources.generator("Krong", "eng")]
    assert not {c.word for c in resources.generator("krong", "eng")} & resources.inventory.names


def test_a_name_run_is_three_capitalized_words_and_lifts_only_name_syllables() -> None:
    def run(text: str) -> list[bool]:
        tokens = tokenize(text)
        return [in_name_run(tokens, i) for i, t in enumerate(tokens) if t.kind is Kind.WORD]

    runs = {text: run(text) for text in ("đồng chí Phan Thanh Tùng,", "Phòng Đào tạo", "UBND Hoàng Văn",
                                         "Nguyễn  Văn An")}
    assert runs == {"đồng chí Phan Thanh Tùng,": [False, False, True, True, True],
                    "Phòng Đào tạo": [False, False, False],
                    "UBND Hoàng Văn": [False, False, False],  # an acronym is no part of a name
                    "Nguyễn  Văn An": [False, False, False]}  # a run is a space apart
    # The inventory counts every source, the name list among them.
    names = PersonNames({"phan": 90, "tùng": 10}, {"phần": 500, "phan": 95, "từng": 300, "tùng": 210})
    options = [Candidate("phần", "phần", 0.1), Candidate("phan", "phan", 0.2), Candidate(None, "<unk>", 1.0)]
    priced = names.priced(options)
    assert priced[0] == options[0] and priced[2] == options[2] and priced[1].cost < 0.1 - 1
    assert "tùng" not in names.lifts  # rarer in names than in the text: its price stays
    with pytest.raises(LexiconError, match="people.tsv:1"):
        parse_person_names(io.StringIO("ea\t3\n"), "people.tsv")


def test_acronyms_restore_the_stroke() -> None:
    acronyms = Acronyms(parse_acronyms(io.StringIO("HĐND\tHội đồng nhân dân\nNQ\tNghị quyết\nĐU\tĐảng ủy\n")))
    assert acronyms.fix("HDND") == "HĐND"
    assert acronyms.fix("HPND") == "HĐND"
    assert acronyms.fix("NO") == "NQ"
    assert acronyms.fix_code("56-KH/DU") == "56-KH/ĐU"
    assert acronyms.fix("XYZ") is None


def test_a_text_spells_out_its_acronyms_by_the_initials_of_its_names() -> None:
    spelled = spelled_out(["TRƯỜNG ĐẠI HỌC SƯ PHẠM KỸ THUẬT", "Phòng Giáo dục và Đào tạo huyện", "Dự toán, Đồng Ông"])
    assert spelled["DHSPKT"] == "ĐHSPKT" and spelled["GDDT"] == "GDĐT"  # "và" has no initial
    assert "DT" not in spelled  # Dự toán spells DT without a stroke
    acronyms = Acronyms({"UBND": "Ủy ban nhân dân"}).with_document(spelled)
    assert acronyms.fix("DHSPKT") == "ĐHSPKT" and acronyms.fix_code("214/TB-DHSPKT") == "214/TB-ĐHSPKT"
    assert acronyms.fix("DO") is None  # Đồng Ông spells ĐO, but DO is a syllable: a word
    assert Acronyms({"UBND": "Ủy ban nhân dân"}).fix("DHSPKT") is None


def test_acronyms_learn_where_the_sources_write_a_stroke() -> None:
    counts = parse_counts(io.StringIO("GDĐT\t12\nVND\t28\nVNĐ\t3\nCĐDC\t5\nCDDC\t5\nTHPT\t40\n"))
    acronyms = Acronyms(parse_acronyms(io.StringIO("HĐND\tHội đồng nhân dân\n")), counts)
    assert acronyms.fix("GDDT") == "GDĐT"
    assert acronyms.fix_code("08/2021/TT-BGDDT") == "08/2021/TT-BGDĐT"  # Bộ GDĐT
    assert acronyms.fix("PHDND") == "PHĐND"  # an initial before a hand-table acronym too
    assert acronyms.fix("VND") is None  # the sources write VND nine times in ten
    assert acronyms.fix("CDDC") is None  # both ways: no telling
    assert acronyms.fix("THONG") is None
    with pytest.raises(LexiconError, match="counts.tsv:1"):
        parse_counts(io.StringIO("GDĐT 12\n"), "counts.tsv")
    assert parse_counts(io.StringIO("\n")) == {}  # what the build writes when it counts none


def test_a_hyphen_inside_a_word_counts_as_no_symbol_in_training_and_repair(resources: Resources) -> None:
    # "vắc-xin" and "vắc xin" are one word to the model; a dash between spaces is punctuation.
    assert list(lm.line_symbols("tiêm vắc-xin")) == list(lm.line_symbols("tiêm vắc xin")) == ["tiêm", "vắc", "xin"]
    assert list(lm.line_symbols("Hà Nội - Huế")) == ["hà", "nội", "-", "huế"]
    assert list(lm.line_symbols("số 55-NQ/TU")) == ["số", lm.CODE]
    # The word lists write vắc-xin: counted as two words, it teaches the spaced spelling too.
    assert repair_text("tre em duoc tiem vac xin phong benh day du", resources=resources) == \
        "trẻ em được tiêm vắc xin phòng bệnh đầy đủ"


def test_an_abbreviation_counts_as_the_words_it_stands_for_in_training() -> None:
    assert list(lm.line_symbols("Ban Giám hiệu (để b/c); V/v năm học")) == [
        "ban", "giám", "hiệu", "(", "để", "báo", "cáo", ")", ";", "về", "việc", "năm", "học"]


def test_kneser_ney_distributions_sum_to_one(tmp_path: Path) -> None:
    sentences = [["tổ", "chức", "thực", "hiện"], ["thực", "hiện", "kế", "hoạch"], ["tổ", "chức", "họp"]] * 3
    vocab = [lm.UNK, lm.BOS, lm.EOS] + sorted({w for s in sentences for w in s})
    ids = {w: i for i, w in enumerate(vocab)}
    counts = kneser_ney.count_ngrams((([ids[w] for w in s], 1) for s in sentences), 3, ids[lm.BOS], ids[lm.EOS])
    tables = kneser_ney.estimate(counts, 3, len(vocab), ids[lm.BOS])
    lm.save(tmp_path / "m.bin", vocab, kneser_ney.to_arrays(tables))
    model = lm.LanguageModel.load(tmp_path / "m.bin")
    for context in [(ids["tổ"], ids["chức"]), (ids[lm.BOS], ids["thực"]), (ids["họp"], ids["kế"])]:
        total = sum(10 ** model.logp(context, w) for w in range(len(vocab)) if vocab[w] != lm.BOS)
        assert total == pytest.approx(1.0, abs=1e-4)


def test_shipped_manifest_names_sources_and_no_gold() -> None:
    import json

    manifest = json.loads((lexicon_dir() / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["gold_texts_used"] is False
    for source in manifest["sources"]:
        assert source["version"] and source["licence"]
    assert all("gold" not in s["name"] for s in manifest["sources"])


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError) as caught:
        lm.LanguageModel.load(tmp_path / "absent.bin")
    assert "absent.bin" in caught.value.one_line() and "vnrestore lexicon build" in caught.value.one_line()


def test_logp_reads_only_the_context_the_model_has(tmp_path: Path) -> None:
    sentences = [["tổ", "chức", "thực", "hiện"], ["thực", "hiện", "kế", "hoạch"]] * 3
    vocab = [lm.UNK, lm.BOS, lm.EOS] + sorted({w for s in sentences for w in s})
    ids = {w: i for i, w in enumerate(vocab)}
    counts = kneser_ney.count_ngrams((([ids[w] for w in s], 1) for s in sentences), 2, ids[lm.BOS], ids[lm.EOS])
    lm.save(tmp_path / "bigram.bin", vocab, kneser_ney.to_arrays(kneser_ney.estimate(counts, 2, len(vocab),
                                                                                       ids[lm.BOS])))
    model = lm.LanguageModel.load(tmp_path / "bigram.bin")
    a, b, c = ids["tổ"], ids["chức"], ids["thực"]
    assert model.logp((a, b), c) == model.logp((b,), c)


def test_word_pair_fragments_count_inside_and_leave_no_padding(tmp_path: Path) -> None:
    sentences = [["tổ", "chức", "thực", "hiện"], ["thực", "hiện", "kế", "hoạch"]] * 3
    fragments = [(["phối", "hợp", "chặt", "chẽ"], 5)]
    vocab = [lm.UNK, lm.BOS, lm.EOS, lm.CUT] + sorted({w for s in sentences + [fragments[0][0]] for w in s})
    ids = {w: i for i, w in enumerate(vocab)}
    cut = ids[lm.CUT]
    counts = kneser_ney.count_ngrams((([ids[w] for w in s], 1) for s in sentences), 3, ids[lm.BOS], ids[lm.EOS],
                                     (([ids[w] for w in f], n) for f, n in fragments), cut)
    tables = kneser_ney.drop_symbol(kneser_ney.estimate(counts, 3, len(vocab), ids[lm.BOS]), cut)
    assert not any(cut in gram for probs, backoffs in tables for gram in [*probs, *backoffs])
    lm.save(tmp_path / "m.bin", vocab, kneser_ney.to_arrays(tables))
    model = lm.LanguageModel.load(tmp_path / "m.bin")
    inside = (ids["hợp"], ids["chặt"])
    assert model.logp(inside, ids["chẽ"]) > model.logp(inside, ids["tổ"]) + 1
    # A fragment's end is not a sentence's end: </s> after it is no likelier than after any word.
    assert model.logp((ids["chặt"], ids["chẽ"]), ids[lm.EOS]) < model.logp((ids["thực"], ids["hiện"]), ids[lm.EOS])


def test_a_unit_written_after_numbers_joins_the_vocabulary_and_a_foreign_word_does_not() -> None:
    collected = Collected()
    news_pairs = Source("pairs", "pypi", "p", "1", "fragments", 1, read_plain_lines, ())
    for _ in range(MIN_OTHER_COUNT):
        for line in ("4,2 km", "120 m2", "300 SV", "time biểu", "visa 2"):
            count_words(collected, line, list(lm.line_symbols(line)), news_pairs)
    words = vocabulary(collected, [])
    assert {"km", "m2", "biểu"} <= set(words)
    assert not {"sv", "time", "visa"} & set(words)


@pytest.mark.parametrize("order", [2, 3, 4])
def test_batched_lookup_agrees_with_logp_in_every_context(tmp_path: Path, order: int) -> None:
    """The decoder's array lookup gives logp's value in every context, <s> (bigrams, no entry of
    its own) included, at the shipped order and at those the file format also holds (4-grams are
    keyed by their context's index)."""
    sentences = [["tổ", "chức", "thực", "hiện"], ["thực", "hiện", "kế", "hoạch"], ["tổ", "chức", "họp"]] * 2
    vocab = [lm.UNK, lm.BOS, lm.EOS] + sorted({w for s in sentences for w in s})
    ids = {w: i for i, w in enumerate(vocab)}
    counts = kneser_ney.count_ngrams((([ids[w] for w in s], 1) for s in sentences), order, ids[lm.BOS],
                                     ids[lm.EOS])
    tables = kneser_ney.estimate(counts, order, len(vocab), ids[lm.BOS])
    lm.save(tmp_path / "m.bin", vocab, kneser_ney.to_arrays(tables))
    model = lm.LanguageModel.load(tmp_path / "m.bin")
    assert model.order == order and [len(keys) for keys in model.keys] == [len(probs) for probs, _ in tables]
    words = list(range(len(vocab)))
    for context in product(words, repeat=order - 1):
        looked_up = model.scores(*(np.array(w) for w in context), np.array(words)).tolist()
        assert looked_up == pytest.approx([model.logp(context, w) for w in words])
    for gram, logp in tables[-1][0].items():  # every highest-order n-gram is found as estimated
        assert model.logp(gram[:-1], gram[-1]) == pytest.approx(logp, abs=1e-6)


def test_the_deletion_index_finds_what_a_scan_of_every_fold_finds(resources: Resources) -> None:
    """inventory.near against rapidfuzz's scan of all folds: the same folds, distances and order."""
    folds = resources.inventory.syllable_folds.folds
    keys = ["a", "ng", "cua", "ctia", "nguoi", "nudc", "thuong", "xyzzy", "khongg", "qu", "ddi", "hoabinh"]
    for key in keys:
        for max_distance, limit in ((1, 25), (2, 25), (2, 100)):
            scanned = process.extract(key, folds, scorer=Levenshtein.distance, score_cutoff=max_distance, limit=limit)
            assert resources.inventory.near(key, max_distance, limit) == [(f, d) for f, d, _ in scanned], key


def test_the_compiled_fold_search_finds_what_the_python_search_finds(resources: Resources) -> None:
    """fold_search.c against FoldIndex.searched: the same folds, distances and order, for OCR-like
    keys (digits, marks' placeholders, symbols, the empty key, the longest key it takes) and names."""
    assert compiled_folds.available(), "the compiled fold search is not built: run bash scripts/install.sh"
    keys = ["", "a", "ng", "cua", "ctia", "nguoi", "nudc", "thuong", "xyzzy", "khongg", "qu", "hoabinh", "v4i",
            "hiEn", "s&", "dak", "krong", "nghieng", "aaaaaaaaaaaa"]
    for index in (resources.inventory.syllable_folds, resources.inventory.name_folds):
        for key in keys:
            for max_distance, limit in ((0, 25), (1, 25), (2, 25), (2, 100)):
                assert index.near(key, max_distance, limit) == index.searched(key, max_distance, limit), key
    assert resources.inventory.syllable_folds.near("a" * 13, 2, 25) == []  # longer than it takes: Python's


def test_a_four_gram_model_decodes_on_what_three_words_back_say(tmp_path: Path) -> None:
    """At order 4 the search keeps three symbols of history: after "nghị tỉnh", ủy follows only
    "hội" three words back and đoàn every other word; a trigram model sees only that đoàn is the
    commoner, the 4-gram model reads the word three back, margins included."""
    sentences = [["hội", "nghị", "tỉnh", "ủy"]] * 2 + [[w, "nghị", "tỉnh", "đoàn"] for w in ("kỳ", "lễ", "tết")] * 2
    vocab = [lm.UNK, lm.BOS, lm.EOS] + sorted({w for s in sentences for w in s})
    ids = {w: i for i, w in enumerate(vocab)}

    def read(order: int, first: str) -> tuple[str, list[float]]:
        counts = kneser_ney.count_ngrams((([ids[w] for w in s], 1) for s in sentences), order, ids[lm.BOS],
                                         ids[lm.EOS])
        lm.save(tmp_path / "m.bin", vocab, kneser_ney.to_arrays(kneser_ney.estimate(counts, order, len(vocab),
                                                                                      ids[lm.BOS])))
        model = lm.LanguageModel.load(tmp_path / "m.bin")
        slots = [[Candidate(first, first, 0.0)], [Candidate("nghị", "nghị", 0.0)], [Candidate("tỉnh", "tỉnh", 0.0)],
                 [Candidate("đoàn", "đoàn", 0.0), Candidate("ủy", "ủy", 0.0)]]
        lattice = Lattice(slots, {}, model)
        path = decode(lattice, model, beam=4)
        return path[-1].arc.readings[0].symbol, margins(lattice, path, model)

    assert read(3, "hội")[0] == "đoàn"
    (hoi, hoi_margins), (ky, ky_margins) = read(4, "hội"), read(4, "kỳ")
    assert hoi == "ủy" and ky == "đoàn"
    assert hoi_margins[-1] > 0 and ky_margins[-1] > 0 and hoi_margins[0] == float("inf")


def test_the_model_expects_a_word_an_edit_from_a_garble(resources: Resources) -> None:
    """"sot" after cơ: the letters' search never reaches sở (a dropped t costs too much), the
    neighbour's expectations do; nothing is offered where the left word expects nothing like it."""
    model, expected = resources.model, resources.expected
    assert "sở" not in {c.word for c in resources.generator("sot", "eng")}
    assert "sở" in expected.near(search_keys("sot"), [model.id("cơ")], [])
    assert "phủ" in expected.near(search_keys("phua"), [model.id("chính")], [])
    assert not expected.near(search_keys("xyzq"), [model.id("cơ")], [])
