"""Section numbering: a heading that repeats the numeral before it takes the next one."""

from __future__ import annotations

from restore.decode.repair import LineResult
from restore.run.pipeline import PageResult, _renumber_across_pages
from restore.text.headings import renumber


def test_a_repeated_numeral_is_the_next_one() -> None:
    lines = ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. NỘI DUNG", "II. TỔ CHỨC THỰC HIỆN", "II. Nội dung khác"]
    assert renumber(lines) == ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN",
                               "II. Nội dung khác"]


def test_a_heading_gets_back_the_space_after_its_period() -> None:
    assert renumber(["I.MỤC ĐÍCH, YÊU CẦU", "1.Mục đích", "II.  NỘI DUNG"]) == [
        "I. MỤC ĐÍCH, YÊU CẦU", "1.Mục đích", "II.  NỘI DUNG"]


def test_first_and_skipping_headings_are_left_alone() -> None:
    lines = ["II. NỘI DUNG", "IV. KINH PHÍ", "I. CĂN CỨ"]
    assert renumber(lines) == lines
    assert renumber(renumber(["I. A B C", "I. D E F"])) == ["I. A B C", "II. D E F"]


def test_numbering_runs_across_pages() -> None:
    pages = [PageResult(1, [LineResult("II. TON TAI", "II. TỒN TẠI")]),
             PageResult(2, [LineResult("", ""), LineResult("II. PHUONG HUONG", "II. PHƯƠNG HƯỚNG")])]
    _renumber_across_pages(pages)
    assert pages[1].lines[1].text == "III. PHƯƠNG HƯỚNG"


def test_an_item_read_as_a_digit_in_a_lettered_list_gets_its_letter() -> None:
    lines = ["4) Tuyên truyền", "nội dung", "b) Kiểm tra", "8) Tổng hợp", "d) Báo cáo"]
    assert [line[:2] for line in renumber(lines)] == ["a)", "nộ", "b)", "c)", "d)"]


def test_an_item_read_as_another_letter_gets_the_letter_of_its_gap_and_a_second_d_is_đ() -> None:
    # eng's ¢ for c, repaired as a word (ở); eng prints đ as d
    lines = ["a) Chủ trì", "b) Tham mưu", "ở) Triển khai", "d) Xây dựng", "d) Chủ trì", "e) Báo cáo"]
    assert [line[:2] for line in renumber(lines)] == ["a)", "b)", "c)", "d)", "đ)", "e)"]
    # a repeated letter that no lost mark explains may be the document's own
    assert renumber(["a) x", "b) y", "b) z"]) == ["a) x", "b) y", "b) z"]


def test_a_numbered_list_and_a_digit_after_the_last_letter_are_left_alone() -> None:
    assert renumber(["1) một", "2) hai", "3) ba"]) == ["1) một", "2) hai", "3) ba"]
    assert renumber(["a) x", "b) y", "4) z"]) == ["a) x", "b) y", "4) z"]


def test_a_numbered_item_read_as_a_look_alike_letter_gets_its_number() -> None:
    lines = ["4. Trách nhiệm", "a) Các khoa", "S. Sinh viên vắng thi", "B) tám"]
    assert renumber(lines) == ["4. Trách nhiệm", "a) Các khoa", "5. Sinh viên vắng thi", "B) tám"]
    assert renumber(["7) bảy", "B) tám"]) == ["7) bảy", "8) tám"]
    assert renumber(["S. Nguyễn", "3. ba", "S. năm"]) == ["S. Nguyễn", "3. ba", "S. năm"]
    assert renumber(["4. bốn", "S. năm", "G. sáu"]) == ["4. bốn", "5. năm", "6. sáu"]


def test_a_first_item_read_as_a_look_alike_of_1_before_item_2_is_1() -> None:
    rows = ["l Thu ngân sách trên địa bàn 14.500", "2 Số hộ được hỗ trợ 35", "3 Tỷ lệ trẻ em 98%"]  # a table's
    assert renumber(rows) == ["1 Thu ngân sách trên địa bàn 14.500", *rows[1:]]
    assert renumber(["i. Mục đích", "2. Yêu cầu"]) == ["1. Mục đích", "2. Yêu cầu"]
    assert renumber(["I. MỤC ĐÍCH", "2. Yêu cầu"]) == ["I. MỤC ĐÍCH", "2. Yêu cầu"]  # a Roman heading
    assert renumber(["l Thu", "2. Số"]) == ["l Thu", "2. Số"]  # another mark: no list of the same kind


def test_an_item_whose_period_eng_read_as_a_comma_or_an_s_gets_it_back() -> None:
    lines = ["1. Tiêm chủng đầy đủ", "cho trẻ", "2s Chủ động giám sát", "3, Nâng cao nhận thức", "4. Bảo quản"]
    assert [line[:2] for line in renumber(lines)] == ["1.", "ch", "2.", "3.", "4."]
    # not without the item before it, nor before a small letter
    assert renumber(["3, 4 và 5", "1. a", "2, bảo"]) == ["3, 4 và 5", "1. a", "2, bảo"]


def test_an_item_whose_period_is_lost_gets_it_back_between_its_neighbours() -> None:
    assert renumber(["6. Sở Văn hóa", "chí", "7 Sở Khoa học", "8. UBND các xã"])[2] == "7. Sở Khoa học"
    # a footnote's number, or an item whose next is not the one numbered one more, stays
    assert renumber(["1 Trọng tâm", "2 Kết luận"]) == ["1 Trọng tâm", "2 Kết luận"]
    assert renumber(["1. Các phòng", "2 Ủy ban", "2. Trung tâm"])[1] == "2 Ủy ban"
