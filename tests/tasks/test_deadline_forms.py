"""Deadline forms seen on real documents (sentences written for this test, numbers invented):
a range whose first day shares the second date's month, "trước" and "ngày" split by a line break,
a numbered time field of a working visit, a time "Vào lúc … giờ, ngày …", and a past event in a
notice (not a deadline)."""

from __future__ import annotations

import pytest

from vbextract import parse_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def _doc(body: str, date: str = "ngày 20 tháng 11 năm 2025"):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\n{MOTTO}Số: 88/KH-UBND\nHòa Bình, {date}\n\n"
            f"KẾ HOẠCH\nKiểm tra an toàn kho vật liệu nổ\n\n{body}\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nBùi Văn Khánh\n")
    return parse_text(text, use_ml=False)


@pytest.mark.parametrize("body, expected", [
    ("1. Sở Công Thương tổ chức kiểm tra từ ngày 08 đến ngày 10 tháng 12 năm 2025.",
     [("range", None, "2025-12-08", "2025-12-10")]),
    ("1. Sở Công Thương tổ chức kiểm tra từ ngày 08 - 10/12/2025.", [("range", None, "2025-12-08", "2025-12-10")]),
    ("1. Sở Công Thương tổng hợp, báo cáo Ủy ban nhân dân tỉnh (trước\nngày 10/12/2025).",
     [("by", "2025-12-10", None, None)]),
    ("1. Thành phần: Sở Công Thương, Công an tỉnh.\n2. Thời gian kiểm tra: Ngày 05 tháng 12 năm 2025 (thứ Sáu).",
     [("on", "2025-12-05", None, None)]),
    ("1. Thời gian: Vào lúc 08 giờ 00 phút, ngày 09/12/2025 (sáng Thứ Ba).", [("on", "2025-12-09", None, None)]),
])
def test_deadline_forms(body, expected):
    assert [(d.kind, d.date, d.start, d.end) for d in _doc(body).deadlines] == expected


def test_a_range_that_ended_before_the_document_was_signed_is_an_event():
    body = ("Từ ngày 08 đến ngày 09 tháng 11 năm 2025, Đoàn công tác của tỉnh đã kiểm tra kho vật liệu nổ.\n"
            "1. Sở Công Thương khắc phục tồn tại từ ngày 01 đến ngày 15 tháng 12 năm 2025.")
    got = [(d.kind, d.start, d.end) for d in _doc(body).deadlines]
    assert got == [("range", "2025-12-01", "2025-12-15")]
