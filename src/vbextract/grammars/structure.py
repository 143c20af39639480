"""Labels of normative structure: Phần, Chương, Mục, Điều (decisions, nghị quyết, thông tư).

Khoản ("1.") and điểm ("a)") are the ordinary arabic and letter labels of :mod:`.blocks`; inside a
Điều they take the Điều's id (``Điều 3.1``, ``Điều 3.1.a``). Lower-case roman sub-items ("i.",
"ii)") are used by some công văn under a numbered item.
"""

from __future__ import annotations

from . import pattern

ARTICLE_LABEL = pattern(
    "article_label",
    r"^(?P<word>Điều|ĐIỀU)[ \t]+(?P<num>\d{1,3}[a-zđ]?)[ \t]*(?:[.:\-–][ \t]*(?P<rest>\S.*)?)?$",
    examples=["Điều 1. Ban hành kèm theo Quyết định này Kế hoạch", "Điều 5. Trách nhiệm thi hành",
              "ĐIỀU 2. HIỆU LỰC", "Điều 4: Chánh Văn phòng Ủy ban nhân dân tỉnh"],
    counter_examples=["Điều chỉnh quy hoạch", "Điều kiện bảo đảm", "Điều 3 Quyết định số 12/QĐ-UBND quy định"],
)
CHAPTER_LABEL = pattern(
    "chapter_label",
    r"^(?P<word>Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)[ \t]+(?P<num>[IVXLC]+|\d{1,2}|[A-Z])\b[ \t]*[.:\-–]?[ \t]*(?P<rest>.*)$",
    examples=["Chương I", "CHƯƠNG II. QUY ĐỊNH CHUNG", "Mục 2. THỦ TỤC", "PHẦN I"],
    counter_examples=["Mục đích, yêu cầu", "Chương trình hành động", "Phần mềm quản lý"],
)
ROMAN_LOWER_LABEL = pattern(
    "roman_lower_label",
    r"^\(?(?P<num>i{1,3}|iv|vi{0,3}|ix|x)[ \t]*(?:\)[ \t]*\.?|\.)[ \t]+(?P<rest>\S.*)$",
    examples=["i. Rà soát các quy định", "ii) Chủ động kiểm tra", "(iii) Báo cáo kết quả", "(i). Chỉ đạo Cục"],
    counter_examples=["ii nội dung", "vi.5 điểm", "x là số"],
)
ORDINAL_THU_F = pattern(
    "ordinal_thu",
    r"^thứ[ \t]+(?P<num>nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)[ \t]*[,:.]",
    examples=["thứ nhất, cục đăng kiểm đã có văn bản", "thứ hai: đề nghị bộ xây dựng"],
    counter_examples=["thứ hai tuần sau", "thứ tự ưu tiên"],
    doc="Folded text: 'Thứ nhất, …' paragraphs are the sub-items 1, 2, … of the item above.",
)
THU_NUMBERS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
