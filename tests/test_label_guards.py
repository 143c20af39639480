"""The first-character guards of vbextract/marks.py must admit every line its label and marker patterns
match: a guard narrower than its pattern would silently drop items and landmarks."""

import pytest

from vbextract import marks as S
from vbextract.grammars import REGISTRY
from vbextract.grammars.blocks import ARABIC_LABEL, BULLET, LETTER_LABEL, ORDINAL_LABEL_F, ROMAN_LABEL
from vbextract.grammars.structure import ARTICLE_LABEL, CHAPTER_LABEL, ORDINAL_THU_F, ROMAN_LOWER_LABEL
from vbextract.normalize import fold

GUARDS = [
    (ARTICLE_LABEL, False, lambda s: s.startswith(S._ARTICLE_START)),
    (CHAPTER_LABEL, False, lambda s: s.startswith(S._CHAPTER_START)),
    (ROMAN_LABEL, False, lambda s: s[0] in S._ROMAN_FIRST),
    (ORDINAL_LABEL_F, True, lambda f: f.startswith(S._ORDINAL_START_F)),
    (ARABIC_LABEL, False, lambda s: s[0].isdigit()),
    (LETTER_LABEL, False, lambda s: s[0] in S._LETTER_FIRST),
    (ORDINAL_THU_F, True, lambda f: f.startswith(S._ORDINAL_THU_START_F)),
    (ROMAN_LOWER_LABEL, False, lambda s: s[0] in S._ROMAN_LOWER_FIRST),
    (REGISTRY["paren_number_label"], False, lambda s: s[0] == "("),
    (BULLET, False, lambda s: s[0] in S._BULLET_FIRST),
    (REGISTRY["kinh_gui"], True, lambda f: "kính" in f),
    (REGISTRY["dong_kinh_gui"], True, lambda f: "kính" in f and "đồng" in f),
    (REGISTRY["legal_basis_verb"], True, lambda f: f.startswith(S._LEGAL_VERB_START_F)),
    (REGISTRY["subject_stop"], True, lambda f: f.startswith(S._SUBJECT_STOP_START_F)),
    (REGISTRY["noi_nhan"], True, lambda f: "nơi" in f),
    (REGISTRY["authority"], False, lambda s: s[0] in S._AUTHORITY_FIRST),
]

LINES = ["Điều 3. Tổ chức thực hiện", "ĐIỀU 12: Hiệu lực", "Chương II QUY ĐỊNH CHUNG", "PHẦN 1", "Mục 2. Kinh phí",
         "III. NHIỆM VỤ", "IV- TỔ CHỨC", "Một là, tăng cường", "Mười hai là: rà soát", "1. Sở Y tế", "2.3.1. Rà soát",
         "12) Báo cáo", "5 Sở Tư pháp", "a) Chủ trì", "đ) Phối hợp", "Thứ nhất, rà soát", "thứ tư: báo cáo",
         "ii) kiểm tra", "(iv) rà soát", "x. tổng hợp", "(1) Sở A", "- Sở Y tế", "– Sở A", "+ UBND", "• Sở", "* Sở",
         "(a) Sở", "Các sở, ngành", "Trong quá trình", "UBND tỉnh", "Sở Y tế chủ trì", "Hai là, kiểm tra",
         "- Kính gửi: Sở Tài chính", "Kính trình: Thủ tướng Chính phủ", "Đồng kính gửi: Bộ Tài chính", "- Đồng kính gửi:", "Căn cứ Luật Tổ chức chính quyền địa phương;",
         "Xét đề nghị của Giám đốc Sở Nội vụ", "Theo đề nghị của Sở Tài chính", "Thực hiện Chỉ thị số 05/CT-TTg",
         "Nơi nhận:", "  Nơi nhận", "KT. CHỦ TỊCH", "T/M BAN THƯỜNG VỤ", "Q. GIÁM ĐỐC", "TUQ. BỘ TRƯỞNG"]


@pytest.mark.parametrize("pattern,on_fold,guard", GUARDS, ids=[g[0].name if hasattr(g[0], "name") else "paren"
                                                               for g in GUARDS])
def test_guard_admits_every_match(pattern, on_fold, guard):
    examples = list(getattr(pattern, "examples", [])) + LINES
    matched = 0
    for line in examples:
        s = line.strip()
        key = fold(s) if on_fold else s
        if s and pattern.match(key):
            matched += 1
            assert guard(key), f"{line!r} matches but its guard refuses it"
    assert matched, "no example matched: the test checks nothing for this pattern"
