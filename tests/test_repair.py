from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from restore.decode import compiled
from restore.decode.block import Block
from restore.decode.repair import detect_profile, repair_lines, repair_text
from restore.model.channel import Profile
from restore.model.resources import Resources, Settings

CASES = json.loads((Path(__file__).parent / "data" / "golden_repairs.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["input"] for c in CASES])
def test_golden_cases(case: dict[str, str], resources: Resources) -> None:
    assert repair_text(case["input"], resources=resources) == case["expected"]


def test_nfc_and_nfd_input_give_the_same_output(resources: Resources) -> None:
    text = "Thực hiện Kế hoạch của Ủy ban nhân dân xã"
    nfd = unicodedata.normalize("NFD", text)
    out_nfc = repair_text(text, resources=resources)
    out_nfd = repair_text(nfd, resources=resources)
    assert out_nfc == out_nfd
    assert unicodedata.is_normalized("NFC", out_nfd)


def test_line_count_blank_lines_and_breaks_are_preserved(resources: Resources) -> None:
    text = "Thuc hién Ké hoach\n\n\nnang cao hiéu qua cong tac dan van trong tinh\nhinh moi\r\nket-\nthuc\n"
    out = repair_text(text, resources=resources)
    assert out.count("\n") == text.count("\n")
    assert [len(line) == 0 for line in out.split("\n")] == [len(line) == 0 for line in text.split("\n")]
    assert out.split("\n")[4].endswith("\r")
    assert out.split("\n")[5].endswith("-")


def test_numbers_dates_codes_and_markers_untouched(resources: Resources) -> None:
    text = "II. 1. ngay 20/01/2026 s6 55-NQ/TU va 33/CT-TTg, 73/KH-UBND; a) 2026"
    out = repair_text(text, resources=resources)
    for kept in ["II.", "1.", "20/01/2026", "55-NQ/TU", "33/CT-TTg", "73/KH-UBND", "a)", "2026"]:
        assert kept in out


def test_a_lone_6_before_a_word_may_be_a_letter_and_counts_stay_numbers(resources: Resources) -> None:
    lines = repair_lines(["nguoi dan song", "6 vung tring thap", "bao cao 6 thang, ngay 6 thang 3, 6 xa"],
                         resources=resources, profile="eng")
    assert [line.text for line in lines] == ["người dân sống", "ở vùng trũng thấp",
                                             "báo cáo 6 tháng, ngày 6 tháng 3, 6 xã"]


def test_a_section_sign_opening_a_word_is_eng_s_capital(resources: Resources) -> None:
    """ "§6:" is Số: as eng reads a dispatch's number line; inside a word the sign is a small letter's."""
    lines = repair_lines(["PHONG GIAO DUC VA DAO TAO", "_ §6: 689/PGDDT-GDTH", "ngudi dan s§ng"],
                         resources=resources, profile="eng")
    assert [line.text for line in lines][1:] == ["Số: 689/PGDĐT-GDTH", "người dân sống"]


def test_a_word_with_a_symbol_for_a_letter_is_not_kept_as_read(resources: Resources) -> None:
    """ "du¢gc" spells được but for an extra letter; kept, it is a word no dispatch writes."""
    line = repair_lines(["Nhan du¢gc cong van nay, dé nghi cac truong"], resources=resources, profile="eng")[0]
    assert line.text == "Nhận được công văn này, đề nghị các trường"


def test_a_capital_i_before_small_letters_may_be_an_l(resources: Resources) -> None:
    line = repair_lines(["khi cé bao Idn, tao diéu kién thuan Igi cho cong dan"], resources=resources,
                        profile="eng")[0]
    assert line.text == "khi có bão lớn, tạo điều kiện thuận lợi cho công dân"


def test_acronym_stroke_restored_in_codes(resources: Resources) -> None:
    out = repair_text("Ké hoach s6 56-KH/DU va 20/NQ-HPND", resources=resources)
    assert "56-KH/ĐU" in out
    assert "20/NQ-HĐND" in out


def test_a_code_split_at_its_separator_is_closed(resources: Resources) -> None:
    out = repair_text("Nghi quyét s6 29- -NQ/TW, ngay 17/11/2022 va s6 20/ NQ-HDND theo", resources=resources)
    assert "29-NQ/TW," in out
    assert "20/NQ-HĐND" in out
    assert repair_text("giai đoạn 2026 - 2030", resources=resources) == "giai đoạn 2026 - 2030"


def test_a_lowercase_garble_unknown_to_the_model_is_dearer_to_keep(resources: Resources) -> None:
    [garbled, foreign] = repair_lines(["ra sodt, !ap danh sach tré chua tiém hode tiém chua di",
                                       "trén mang xa hoi (zalo, facebook...) hodc"], resources=resources, profile="eng")
    assert "tiêm hoặc tiêm" in garbled.text  # "hode", kept as read before
    assert "(zalo, facebook...)" in foreign.text  # a name the model lacks, kept where nothing reads it better


def test_a_lone_6_after_a_word_may_be_the_o_eng_reads_it_for(resources: Resources) -> None:
    lines = ["cac cong trinh giao duc, nha 6, nudc sinh hoat cua thon", "trong thang 6, cac xa hoan thanh",
             "phan loai rac thai tai ngu6n 6 8 trén 11 thon", "gom 6 xa va 2 thi tran"]
    assert [line.text for line in repair_lines(lines, resources=resources, profile="eng")] == [
        "các công trình giáo dục, nhà ở, nước sinh hoạt của thôn", "trong tháng 6, các xã hoàn thành",
        "phân loại rác thải tại nguồn ở 8 trên 11 thôn", "gồm 6 xã và 2 thị trấn"]


@pytest.mark.parametrize(("ocr", "expected"), [
    ("TRAM TRUONG\n\nPhan Thanh Ting", "TRẠM TRƯỞNG\n\nPhan Thanh Tùng"),  # a signatory (office pages)
    ("Ong Hoang Minh Khéi, Chu tich Uy ban nhan dan xa", "Ông Hoàng Minh Khôi, Chủ tịch Ủy ban nhân dân xã"),
])
def test_a_run_of_capitalized_words_reads_as_a_person_s_name(ocr: str, expected: str, resources: Resources) -> None:
    assert repair_text(ocr, resources=resources) == expected


def test_an_abbreviation_is_kept_and_read_as_the_words_it_stands_for(resources: Resources) -> None:
    lines = ["- Ban Gidm hiéu (dé b/c);", "V/v chuan bi nam hoc moi", "va/hoac cac don vi"]
    assert [line.text for line in repair_lines(lines, resources=resources, profile="eng")] == [
        "- Ban Giám hiệu (để b/c);", "V/v chuẩn bị năm học mới", "và/hoặc các đơn vị"]


def test_all_caps_line_stays_caps(resources: Resources) -> None:
    assert repair_text("KE HOACH", resources=resources) == "KẾ HOẠCH"
    assert repair_text("I. MUC PiCH, YEU CAU", resources=resources) == "I. MỤC ĐÍCH, YÊU CẦU"


def test_new_tone_placement_is_an_option(resources: Resources) -> None:
    assert repair_text("Uy ban nhan dan", style="new", resources=resources) == "Uỷ ban nhân dân"


def test_junk_is_left_alone(resources: Resources) -> None:
    junk = "%III_I%TI_II((::I;I_I"
    assert repair_text(junk, resources=resources) == junk


def test_repair_is_deterministic(resources: Resources) -> None:
    text = "Tang cuong phdi hop chit ché giita chinh quyen v6i Uy ban"
    assert repair_text(text, resources=resources) == repair_text(text, resources=resources)


def test_profile_detection() -> None:
    assert detect_profile("Thuc hien ke hoach cua xa") == "eng"
    assert detect_profile("Thực hiện kế hoạch của Đảng ủy xã") == "vie"


def test_a_period_before_a_lowercase_word_is_a_speck() -> None:
    lines = repair_lines(["Ket qua thuc hién nhiém vu chuyén ddi s6. sau thang dau nam", "nay. thuc hién tét.",
                          "Viéc lam hay... can nhan rong ./."], profile="eng")
    assert lines[0].text.endswith("chuyển đổi số sáu tháng đầu năm")
    assert lines[1].text.startswith("nay thực hiện") and lines[1].text.endswith("tốt.")  # đầu năm nay
    assert len(lines[2].text.split()) == 7 and "hay... " in lines[2].text and lines[2].text.endswith(" ./.")


def test_a_period_before_a_lowercase_word_is_a_comma_where_the_model_expects_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A comma that lost its tail reads as a period (Times designs at 200 dpi); the compiled and the
    Python search read it alike, with the same margins."""
    lines = ["Quy dinh chuc nang. nhiem vu, quyen han cua Phong Noi vu",
             "thoat nudc, kénh mudng. trudng hoc, tram y té va nha van hoa"]

    def repaired() -> tuple[list[str], list[float]]:
        results = repair_lines(lines, profile="eng")
        return [r.text for r in results], [w.margin for r in results for w in r.words]

    fast = repaired()
    assert fast[0] == ["Quy định chức năng, nhiệm vụ, quyền hạn của Phòng Nội vụ",
                       "thoát nước, kênh mương, trường học, trạm y tế và nhà văn hóa"]
    monkeypatch.setattr(compiled, "_LIBRARY", None)
    slow = repaired()
    assert slow[0] == fast[0] and slow[1] == pytest.approx(fast[1], rel=1e-9)


def test_a_speck_in_the_space_between_words_becomes_a_space() -> None:
    ocr = "thuc hién bo-phan duoc.huong dan. Bay‘manh thuc hién; kinh té - xa hoi; Mac-Lenin"
    line = repair_lines([ocr], profile="eng")[0]
    assert "bộ phận được hướng dẫn" in line.text
    assert " mạnh thực" in line.text and "kinh tế - xã hội" in line.text and "-L" in line.text
    dates = repair_lines(["khai giang ngay 05 thang.9, nguoi cao.tuoi; Diéu 5.2 va 1.000 dong"], profile="eng")[0]
    assert dates.text == "khai giảng ngày 05 tháng 9, người cao tuổi; Điều 5.2 và 1.000 đồng"


def test_vie_may_read_any_tone_as_another_where_the_model_is_sure() -> None:
    """Specks add and drop dots: vie's "lạm việc" is làm việc, though training never showed nặng for huyền."""
    lines = repair_lines(["chuyển sang ngày lạm việc tiếp theo", "lạm dụng chức vụ"], profile="vie")
    assert [line.text for line in lines] == ["chuyển sang ngày làm việc tiếp theo", "lạm dụng chức vụ"]


def _read_at(line: str, confidence: float) -> list[tuple[int, int, float, str]]:
    """Tesseract's spans for a line whose every word it read with `confidence`."""
    spans, offset = [], 0
    for word in line.split(" "):
        spans.append((offset, offset + len(word), confidence, ""))
        offset += len(word) + 1
    return spans


def test_a_scanned_vie_word_is_also_read_by_its_letters_without_their_marks(resources: Resources) -> None:
    """On a harsh copy vie draws marks the ink lost; a word's letters alone are also a reading,
    but as text, with no confidence to guard the words read right, vie's marks are kept."""
    ocr = "Ngày tự đau năm, ủy bạn nhàn dân xã đã bạn hành kế hoạch"
    scanned = repair_lines([ocr], profile="vie", resources=resources, spans=[_read_at(ocr, 50.0)])
    assert scanned[0].text == "Ngay từ đầu năm, ủy ban nhân dân xã đã ban hành kế hoạch"
    assert repair_lines([ocr], profile="vie", resources=resources)[0].text.startswith("Ngày tự đau năm")
    name = "Ông Nguyễn Văn Sáu trưởng thôn Đông Hà"
    assert repair_lines([name], profile="vie", resources=resources, spans=[_read_at(name, 96.0)])[0].text == name


def test_a_word_in_capitals_vie_read_with_confidence_is_an_acronym_kept_as_read(resources: Resources) -> None:
    line = "Phối hợp với TTYT huyện tổ chức tiêm chủng"  # TTYT: trung tâm y tế, in no acronym table
    assert repair_lines([line], profile="vie", resources=resources, spans=[_read_at(line, 95.0)])[0].text == line
    assert repair_lines([line], profile="vie", resources=resources, spans=[_read_at(line, 60.0)])[0].text != line


def test_a_text_s_own_names_put_back_the_stroke_of_its_acronyms(resources: Resources) -> None:
    """An exam notice spells out its school and office in its header: their initials have an Đ."""
    header = "TRUONG DAI HOC SU PHAM KY THUAT\nPHONG DAO TAO\nSo: 214/TB-DHSPKT"
    footer = "Noi nhan:\n- Luu: VT, DT."
    assert repair_text(f"{header}\n\n{footer}", resources=resources).splitlines()[2:] == [
        "Số: 214/TB-ĐHSPKT", "", "Nơi nhận:", "- Lưu: VT, ĐT."]
    assert "DHSPKT" in repair_text(header.split("\n", 2)[2], resources=resources)  # spelled out nowhere


def test_a_word_of_digits_and_their_look_alikes_may_be_the_number(resources: Resources) -> None:
    assert repair_text("trién khai Nghi quyet 5O cua Bo Chinh tri", resources=resources) == (
        "triển khai Nghị quyết 50 của Bộ Chính trị")
    assert repair_text("Nghi quyet 5O\n76/NQ-CP ngay 15/7/2021", resources=resources) == (
        "Nghị quyết số\n76/NQ-CP ngày 15/7/2021")  # eng reads số as 5O too


@pytest.mark.parametrize(("garbled", "profile", "expected"), [
    ("Uy ban nhan dan xa bé tri i phong tiép cong dan", "eng", "Ủy ban nhân dân xã bố trí phòng tiếp công dân"),
    ("các nhóm mạng x xã hội của thôn", "vie", "các nhóm mạng xã hội của thôn"),
    ("Thuc hién Ké hoach s 56-KH/DU ngay 02/3/2026", "eng", "Thực hiện Kế hoạch số 56-KH/ĐU ngày 02/3/2026"),
    ("thuc hién Diéu 1 Quyét dinh nay", "eng", "thực hiện Điều 1 Quyết định này"),
])
def test_a_lone_letter_no_word_is_made_of_is_a_speck_dropped(garbled: str, profile: Profile, expected: str) -> None:
    """eng reads số as "s": only letters no word is read as (i, j, f, w, z) are specks there; a lone
    digit is a number."""
    assert repair_lines([garbled], profile=profile)[0].text == expected


@pytest.mark.parametrize(("garbled", "expected"), [
    ("Ngay 21thang 3 nam 2026 cac sinh vienSV", "Ngày 21 tháng 3 năm 2026 các sinh viên SV"),  # lost spaces
    ("tai tinh hoabinh", "tại tỉnh hòa bình"),  # two syllables glued
    ("BAN THƯ ỜNG VỤ TỈNH ỦY", "BAN THƯỜNG VỤ TỈNH ỦY"),  # a space too many
    ("Ủy ban nhân dân x Tân Lập", "Ủy ban nhân dân xã Tân Lập"),  # a capital opens a word: no join
])
def test_tokens_are_cut_and_joined_where_ocr_lost_or_added_a_space(garbled: str, expected: str,
                                                                    resources: Resources) -> None:
    assert repair_text(garbled, resources=resources, profile="eng") == expected


@pytest.mark.parametrize(("garbled", "expected"), [
    ("lich tiép cong dan vao thi? Nam", "lịch tiếp công dân vào thứ Năm"),
    ("tuan thi? hai cua thang", "tuần thứ hai của tháng"),
    ("thuc hién dan chu co s&? tai xa", "thực hiện dân chủ cơ sở tại xã"),
    ("Co hop khong? Néu co thi bao cao", "Có hợp không? Nếu có thì báo cáo"),  # a question stays one
])
def test_a_question_mark_glued_to_a_word_may_be_its_hook_or_horn(garbled: str, expected: str,
                                                                  resources: Resources) -> None:
    """eng draws the hook of hỏi or the horn of ư and ơ apart as a "?": read with the word, it gives
    only readings that have one (thứ, not thì), before a capital too; a word with neither keeps it."""
    assert repair_text(garbled, resources=resources, profile="eng") == expected


def test_cuts_and_joins_leave_numbers_codes_and_syllables_alone(resources: Resources) -> None:
    clean = "Ngày 20/01/2026, theo Kế hoạch số 73/KH-UBND, xã có 2025 hộ và tháng 12 có 31 ngày"
    assert repair_text(clean, resources=resources) == clean


def test_a_first_letter_read_apart_before_its_word_is_read_with_it(resources: Resources) -> None:
    [line] = repair_lines(["Nghi quyét s sô 29-NQ/TW va cac nhém mang x xa hoi"], resources=resources, profile="eng")
    assert line.text == "Nghị quyết số 29-NQ/TW và các nhóm mạng xã hội"
    assert ("s sô", "số") in [(w.ocr, w.text) for w in line.words]


def test_a_joined_or_cut_word_is_reported_with_the_ocr_it_came_from(resources: Resources) -> None:
    [joined] = repair_lines(["BAN THƯ ỜNG VỤ"], resources=resources, profile="eng")
    [cut] = repair_lines(["sinh vienSV"], resources=resources, profile="eng")
    assert [(w.ocr, w.text) for w in joined.words] == [("BAN", "BAN"), ("THƯ ỜNG", "THƯỜNG"), ("VỤ", "VỤ")]
    assert ("vienSV", "viên SV") in [(w.ocr, w.text) for w in cut.words]


@pytest.mark.parametrize(("ocr", "expected"), [
    # a capital of a letter drawn as its small letter, inside a sentence: OCR's guess, lowered
    ("tuần thứ hai Và tuần thứ tư", "tuần thứ hai và tuần thứ tư"),
    ("Trường hợp trùng Vào ngày nghỉ lễ", "Trường hợp trùng vào ngày nghỉ lễ"),
    ("học sinh lên 1ớp Vào ngày khai giảng", "học sinh lên lớp vào ngày khai giảng"),  # a 1 eng drew for l
    # kept: a line's first word, a name's run of capitals, a letter whose capital has its own shape,
    # and a capital the model reads as opening a sentence after a lost period
    ("Và tuần thứ tư", "Và tuần thứ tư"),
    ("đồng chí Nguyễn Văn Sáu", "đồng chí Nguyễn Văn Sáu"),
    ("phối hợp với Nhân dân", "phối hợp với Nhân dân"),
    ("giải quyết trực tuyến Chú trọng xây dựng", "giải quyết trực tuyến Chú trọng xây dựng"),
    # a word in capitals all of whose letters are such letters, after a speck glued before it
    ("niêm yết tại trụ .SỞ và", "niêm yết tại trụ sở và"),
    ("Ủy ban nhân dân xã SƠN DƯƠNG và", "Ủy ban nhân dân xã SƠN DƯƠNG và"),
    # a capital of a letter repair read as another: drawn for a letter that is not there
    ("số lượng người đại Biện không quá năm người", "số lượng người đại diện không quá năm người"),
    # but Đ's capital is the capital D shape that eng reads as B
    ("Phòng Giáo dục và Bào tạo", "Phòng Giáo dục và Đào tạo"),
    # a line's first word inside a sentence that runs on from a full line before it
    ("Chủ tịch Ủy ban nhân dân xã tiếp công dân định kỳ vào ngày thứ Năm của tuần thứ hai\nVà tuần thứ tư",
     "Chủ tịch Ủy ban nhân dân xã tiếp công dân định kỳ vào ngày thứ Năm của tuần thứ hai\nvà tuần thứ tư"),
    ("4. Trách nhiệm của các bộ phận\nVăn phòng Hội đồng nhân dân và Ủy ban nhân dân xã bố trí phòng",
     "4. Trách nhiệm của các bộ phận\nVăn phòng Hội đồng nhân dân và Ủy ban nhân dân xã bố trí phòng"),
])
def test_a_capital_ocr_guessed_inside_a_sentence_is_lowered(ocr: str, expected: str, resources: Resources) -> None:
    assert repair_text(ocr, resources=resources, profile="vie") == expected


def test_a_misread_capital_starts_no_run_of_capitals(resources: Resources) -> None:
    # eng draws a tall l as I; the capital after it is the name's, not this word's
    [line] = repair_lines(["ndi dung c6 lién quan Ién Cong thong tin dién tir"], resources=resources, profile="eng")
    assert line.text == "nội dung có liên quan lên Cổng thông tin điện tử"


@pytest.mark.parametrize(("ocr", "expected"), [
    # eng reads a short word in capitals where its small vowel's mark is as tall as a capital
    ("theo kết luận của BO trưởng Bộ Tài chính", "theo kết luận của Bộ trưởng Bộ Tài chính"),
    ("a) RA soát, đánh giá các khoản thu", "a) Rà soát, đánh giá các khoản thu"),
    # beside a word in capitals (an acronym, a heading) capitals are what was printed
    ("Căn cứ quyết định của UBND XA Tân Lập về việc", "Căn cứ quyết định của UBND XÃ Tân Lập về việc"),
])
def test_a_short_word_read_in_capitals_for_its_tall_mark_keeps_one_capital(ocr: str, expected: str,
                                                                           resources: Resources) -> None:
    assert repair_text(ocr, resources=resources, profile="eng") == expected


@pytest.mark.parametrize(("ocr", "expected"), [
    ("bảo đảm trang .", "bảo đảm trang"),  # a speck read as a period between spaces
    ("dân | xã ~ hội", "dân xã hội"),
    ("kinh tế - xã hội", "kinh tế - xã hội"),  # a dash between spaces is writing
    ("các văn bản ... và (mẫu 01)", "các văn bản ... và (mẫu 01)"),
    ("làm việc _kế tiếp", "làm việc kế tiếp"),  # glued to a word's edge, and the word repaired
    ("nhân dân và Uy| ban nhân dân", "nhân dân và Ủy ban nhân dân"),
    ("từng thôn, -từng khu", "từng thôn, từng khu"),
    ("- Như trên;", "- Như trên;"),
    ("~ - Lưu: VT.", "- Lưu: VT."),  # specks before a list item's dash
    ("_- Lưu: VT.", "- Lưu: VT."),
    ("thông báo như sau:.", "thông báo như sau:"),  # print ends a word with one such mark
    ("Số:61 /KH-UBND ngày 10:30", "Số: 61/KH-UBND ngày 10:30"),  # a colon's lost space, a time's colon
    ("ổn định, bền vững,. lâu dài.. và v.v.. được biết./. Sao?!",
     "ổn định, bền vững, lâu dài. và v.v. được biết./. Sao?!"),
    ("cho công ¡dân đến", "cho công dân đến"),
    # a single opening quote nothing closes: dispatches quote with double quotes
    ("vận hành ổn định, ‘phục vụ người dân", "vận hành ổn định, phục vụ người dân"),
    ("phong trào “Dân vận khéo” gắn với", "phong trào “Dân vận khéo” gắn với"),
    ("phong trào “Dân vận khéo™, gắn với", "phong trào “Dân vận khéo”, gắn với"),  # eng's closing quote
    # a double one at the left margin (a speck) unless it closes within two lines: quotations wrap
    ("cán bộ, phương tiện,\n“vật tư tại chỗ và hậu cần;\nphân công nhiệm vụ cụ thể",
     "cán bộ, phương tiện,\nvật tư tại chỗ và hậu cần;\nphân công nhiệm vụ cụ thể"),
    ("thi đua\n“Dân vận khéo gắn với\nchính quyền thân thiện”",
     "thi đua\n“Dân vận khéo gắn với\nchính quyền thân thiện”"),
    ("phong trào thi đua “Dân vận khéo gắn với", "phong trào thi đua “Dân vận khéo gắn với"),  # OCR lost its closing
    # a dash opening a line the sentence runs on to: a speck, unless the model reads a compound's dash
    ("giải quyết thủ tục hành chính được thực hiện theo quy\n- định.",
     "giải quyết thủ tục hành chính được thực hiện theo quy\nđịnh."),
    ("Phối hợp với Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị\n- xã hội.",
     "Phối hợp với Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị\n- xã hội."),
    ("Nơi nhận:\n- các cơ quan, đơn vị;", "Nơi nhận:\n- các cơ quan, đơn vị;"),
])
def test_marks_print_never_sets_between_spaces_are_specks(ocr: str, expected: str, resources: Resources) -> None:
    assert repair_text(ocr, resources=resources, profile="vie") == expected


@pytest.mark.parametrize(("ocr", "expected"), [
    ("Tiép tuc day manh mayest truyén, nang cao ky nang s6 cho gute dan",
     "Tiếp tục đẩy mạnh tuyên truyền, nâng cao kỹ năng số cho người dân"),
    ("Téng hgp, thong ké shige hai chinh xac", "Tổng hợp, thống kê thiệt hại chính xác"),
    ("phat huy stec manh cua toan dan toc", "phát huy sức mạnh của toàn dân tộc"),
    ("nhóm Zalo cộng đồng, trang Facebook và email", "nhóm Zalo cộng đồng, trang Facebook và email"),
    ("Các cơ quan, đơn vị tham N đầy đủ các buổi tập huấn", "Các cơ quan, đơn vị tham gia đầy đủ các buổi tập huấn"),
])
def test_a_word_its_letters_do_not_explain_reads_as_the_model_expects(ocr: str, expected: str,
                                                                     resources: Resources) -> None:
    """Worn ink that eng read as another word ("mayest", "gute") takes the word its neighbours call
    for, the nearest in letters among them ("stec": sức, not đẩy, before mạnh); so does a blot vie
    read as a capital ("N"); a capitalized name and a well-read English word stay as they are."""
    assert repair_text(ocr, resources=resources) == expected


@pytest.mark.parametrize(("ocr", "expected"), [
    ("Dai hoi dai bieu lan tha XIV cua Dang", "Đại hội đại biểu lần thứ XIV của Đảng"),
    ("tiep tuc day manh cong tac bau cur.", "tiếp tục đẩy mạnh công tác bầu cử."),
    ("trang thong tin ign tu cua xa", "trang thông tin điện tử của xã"),
    ("he thong ign thoai", "hệ thống điện thoại"),
])
def test_candidates_reach_a_fold_s_rarer_spelling_and_a_short_word_two_edits_away(ocr: str, expected: str,
                                                                                  resources: Resources) -> None:
    """Ranked by the unigram prior, thứ is cut from "tha"'s candidates and cử from "cur"'s (each a
    far fold's rarer spelling); kept as spares, they are what the model chooses after "lần" and
    "bầu". Worn ink left "ign" of điện, two edits away: three-letter tokens are searched that far."""
    assert repair_text(ocr, resources=resources) == expected


def test_vie_guesses_for_a_blot_read_as_a_capital_but_not_for_a_name_or_an_acronym(resources: Resources) -> None:
    block = Block(["đơn vị tham N cùng Ban Chỉ huy PCTT và nhóm Zalo"], resources, "vie", [None])
    guessed = {block.sources[k][0].text: [c.word for c in words] for k, words in block.guesses.items()}
    assert list(guessed) == ["N"] and "gia" in guessed["N"]


def test_the_compiled_search_chooses_what_the_python_search_chooses(resources: Resources,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same paths and margins, the document caches of adaptation included (000 is long enough).
    Margins may differ in the last bits: numpy and the C library compute the caches' powers apart."""
    assert compiled.available(resources.model), "the compiled beam search is not built: run bash scripts/install.sh"
    lines = (Path(__file__).parent.parent / "samples" / "000.ocr.txt").read_text(encoding="utf-8").split("\n")

    def repaired() -> tuple[list[str], list[str], list[float]]:
        results = repair_lines(lines, resources=resources)
        words = [w for r in results for w in r.words]
        return [r.text for r in results], [w.text for w in words], [w.margin for w in words]

    fast = repaired()
    monkeypatch.setattr(compiled, "_LIBRARY", None)
    slow = repaired()
    assert slow[:2] == fast[:2]
    assert slow[2] == pytest.approx(fast[2], rel=1e-9)


def test_adaptation_offers_an_unsure_word_what_its_neighbours_expect(resources: Resources) -> None:
    """In 000, "nghiém tac": the letters' search offers tác, tắc, tạc, never túc; the second
    decoding offers the unsure word what "nghiêm" expects an edit away (restore/model/expected.py)."""
    text = (Path(__file__).parent.parent / "samples" / "000.ocr.txt").read_text(encoding="utf-8")
    assert "túc" not in {c.word for c in resources.generator("tac", "eng")}
    assert "phải nghiêm túc, đồng bộ" in repair_text(text, resources=resources)
    without = Resources.load(Settings(adapt=False))
    assert "phải nghiêm túc" not in repair_text(text, resources=without)
