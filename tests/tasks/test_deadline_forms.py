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


def _plan(body: str, subject: str):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\n{MOTTO}Số: 91/KH-UBND\nHòa Bình, ngày 20 tháng 11 năm 2025\n\n"
            f"KẾ HOẠCH\n{subject}\n\n{body}\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nBùi Văn Khánh\n")
    return parse_text(text, use_ml=False)


REPORTS = ("1. Sở Công Thương tổng hợp, báo cáo Ủy ban nhân dân tỉnh định kỳ hàng tháng (trước ngày 16 hàng "
           "tháng), 6 tháng (trước ngày 16/6), tổng kết năm (trước ngày 20/11 hàng năm).")


def test_a_multi_year_plan_makes_yearless_limits_recur():
    got = [(d.kind, d.date) for d in _plan(REPORTS, "Phát triển thương mại giai đoạn 2026 - 2030").deadlines]
    assert got == [("recurring", None)] * 3


def test_a_one_year_plan_keeps_the_inferred_year():
    got = [(d.kind, d.date) for d in _plan(REPORTS, "Phát triển thương mại năm 2026").deadlines]
    assert got == [("recurring", None), ("by", "2026-06-16"), ("recurring", None)]


@pytest.mark.parametrize("body, expected", [
    # a daily limit with a time of day, one recurring deadline
    ("1. Sở Công Thương tổng hợp nhu cầu, báo cáo UBND tỉnh trước 17h00’ hằng ngày.", [("recurring", None)]),
    # a report specification (NĐ 09/2019): frequency and data cut-off are not limits; the limits of a
    # reporting period recur
    ("Điều 5. Chế độ báo cáo\n1. Báo cáo tình hình vận tải\na) Tần suất thực hiện báo cáo: Định kỳ 06 tháng;\n"
     "b) Thời hạn gửi báo cáo: Trước ngày 05 tháng 07 của kỳ báo cáo đối với báo cáo định kỳ 06 tháng đầu năm "
     "và trước ngày 05 tháng 01 của năm tiếp theo đối với báo cáo định kỳ 06 tháng cuối năm;\n"
     "c) Thời gian chốt số liệu báo cáo: Từ ngày 01 tháng 01 đến ngày 30 tháng 06 của kỳ báo cáo đối với báo "
     "cáo định kỳ 06 tháng đầu năm và từ ngày 01 tháng 07 đến ngày 31 tháng 12 của kỳ báo cáo.",
     [("recurring", None), ("recurring", None)]),
    # a certificate's validity and an inspection's term are not limits
    ("1. Đề nghị Công ty bổ sung Giấy chứng nhận số 12/KĐI (hiệu lực từ ngày 26/8/2025 đến ngày 25/8/2027); "
     "thời hạn kiểm định của phương tiện đến hết tháng 8/2026.", []),
])
def test_recurring_limits_and_dates_that_are_not_limits(body, expected):
    assert [(d.kind, d.date) for d in _doc(body).deadlines] == expected


def _circular(body: str):
    text = (f"BỘ CÔNG THƯƠNG\n{MOTTO}Số: 21/2025/TT-BCT\nHà Nội, ngày 15 tháng 8 năm 2025\n\n"
            f"THÔNG TƯ\nQuy định chế độ báo cáo về cụm công nghiệp\n\n{body}\n\n"
            "Nơi nhận:\n- Như trên;\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nNguyễn Văn An\n")
    return parse_text(text, use_ml=False)


@pytest.mark.parametrize("body, expected", [
    # "Định kỳ" before a yearless limit: it repeats, it is not a one-off in the document's year
    ("Điều 3. Thực hiện chế độ báo cáo\n1. Định kỳ trước ngày 10 tháng 02 hằng năm, Ủy ban nhân dân cấp "
     "huyện gửi báo cáo về Sở Công Thương.", [("recurring", None, "Điều 3.1")]),
    # "định kỳ" governs the report and its yearless limit in the same clause
    ("Điều 3. Thực hiện chế độ báo cáo\n1. Các sở, ngành định kỳ báo cáo kết quả thực hiện trước ngày 25/11 về Sở "
     "Công Thương; Sở Công Thương báo cáo, định kỳ, đột xuất trước ngày 05/12.",
     [("recurring", None, "Điều 3.1"), ("by", "2025-12-05", "Điều 3.1")]),
    # two limits and one "hằng năm" for both: two recurring limits
    ("Điều 3. Thực hiện chế độ báo cáo\n1. Định kỳ trước ngày 15 tháng 6 và trước ngày 15 tháng 12 hằng năm, "
     "Sở Công Thương báo cáo Bộ Công Thương.\n2. Chủ đầu tư gửi báo cáo trước ngày 20/6 và trước ngày 20/12 "
     "hàng năm.\n3. Sở Tài chính gửi báo cáo trước ngày 20/6.",
     [("recurring", None, "Điều 3.1"), ("recurring", None, "Điều 3.1"), ("recurring", None, "Điều 3.2"),
      ("recurring", None, "Điều 3.2"), ("by", "2025-06-20", "Điều 3.3")]),
    # a span of months or days every year: one recurring limit, not two months of this year
    ("Điều 3. Trách nhiệm của Sở Nông nghiệp và Môi trường\n1. Tổ chức quan trắc môi trường.\n"
     "Thời gian thực hiện: Từ tháng 4 đến tháng 10 hằng năm.\n2. Kiểm tra các cơ sở nuôi từ ngày 01/5 đến "
     "ngày 30/9 hằng năm.", [("recurring", None, "Điều 3.1"), ("recurring", None, "Điều 3.2")]),
])
def test_limits_that_repeat_every_year(body, expected):
    assert [(d.kind, d.date, d.task_id) for d in _circular(body).deadlines] == expected


@pytest.mark.parametrize("body, expected", [
    # a condition on other documents ("… có hiệu lực trước ngày … thì …") is not a limit
    ("Điều 9. Hiệu lực thi hành\n1. Thông tư này có hiệu lực thi hành từ ngày 01 tháng 10 năm 2025.\n"
     "2. Trường hợp văn bản quy phạm pháp luật được ban hành sau ngày Thông tư này có hiệu lực và có hiệu lực "
     "trước ngày 01 tháng 7 năm 2027 thì áp dụng quy định của văn bản đó.", []),
    # a document's remaining term is not a limit
    ("Điều 3. Trách nhiệm của Sở Công Thương\n1. Kiểm tra các cửa hàng có Giấy chứng nhận còn hiệu lực đến hết "
     "năm 2026.", []),
    # a directed target stays: the texts must be in force by that day
    ("Điều 3. Trách nhiệm của Sở Tư pháp\n1. Trình ban hành các văn bản sửa đổi, bảo đảm có hiệu lực trước "
     "ngày 01/3/2027.", [("by", "2027-03-01", "Điều 3.1")]),
])
def test_validity_conditions_are_not_limits(body, expected):
    assert [(d.kind, d.date, d.task_id) for d in _circular(body).deadlines] == expected


PLAN_2030 = (
    "I. MỤC ĐÍCH, YÊU CẦU\n1. Mục đích\nNâng cao hiệu quả phòng, chống tội phạm; bảo đảm đến hết năm 2030, có ít "
    "nhất 60% xã, phường đạt tiêu chí an toàn.\n2. Chỉ tiêu cụ thể đến năm 2030\na) Hằng năm, giảm 5% số vụ phạm "
    "tội về trật tự xã hội.\nb) Hằng năm, 100% cán bộ được tập huấn nghiệp vụ.\n3. Thời gian thực hiện: Từ năm "
    "2026 - 2030.\nII. NHIỆM VỤ, GIẢI PHÁP\n1. Công an tỉnh chủ trì xây dựng mô hình điểm, phấn đấu đạt 30% xã "
    "năm 2026, bảo đảm đến hết năm 2030 đạt 60% xã, phường an toàn; hoàn thành đến hết năm 2027 việc rà soát.\n"
    "2. Sở Tài chính căn cứ khả năng cân đối ngân sách hằng năm, bố trí kinh phí thực hiện Kế hoạch.\n"
    "3. Sở Nông nghiệp và Môi trường lưu trữ các báo cáo tổng hợp hằng quý và hằng năm được lập theo quy định.\n"
    "4. Hằng năm, Sở Nội vụ tổ chức sơ kết, báo cáo Ủy ban nhân dân tỉnh.")


def test_targets_programme_periods_and_annual_nouns_are_not_limits():
    got = [(d.kind, d.date, d.task_id) for d in _plan(PLAN_2030, "Phòng, chống tội phạm giai đoạn 2026 - 2030").deadlines]
    assert got == [("by", "2027-12-31", "II.1"), ("recurring", None, "II.4")]


@pytest.mark.parametrize("body, expected", [
    # a frequency opening its bullet or closing the clause of the action is the action's time
    ("1. Sở Văn hóa và Thể thao:\n- Hằng năm tổ chức Ngày hội văn hóa các dân tộc của tỉnh.", [("recurring", "1")]),
    ("1. Sở Khoa học và Công nghệ xây dựng phương án sao lưu dữ liệu và tổ chức diễn tập ứng phó sự cố hằng năm.",
     [("recurring", "1")]),
    # inside the clause it is a manner adverb; after a plan it names the plan
    ("1. Sở Văn hóa và Thể thao tổ chức hằng năm các hoạt động giao lưu văn hóa.", []),
    ("1. Sở Tài chính trình phê duyệt Kế hoạch sao lưu, phục hồi dữ liệu và ứng phó sự cố hằng năm.", []),
    # a periodic report with its dated limit is that limit; a report period's definition is none
    ("1. Các sở, ngành định kỳ hàng năm báo cáo kết quả thực hiện về Sở Tài chính chậm nhất ngày 10 tháng 12. "
     "Thời gian báo cáo định kỳ hàng năm tính từ ngày 15 tháng 12 năm trước kỳ báo cáo.", [("by", "1")]),
    # a weekly schedule is not a time limit
    ("1. Công ty nổ mìn vào các ngày thứ Tư và thứ Bảy hàng tuần.", []),
])
def test_a_frequency_in_running_text(body, expected):
    assert [(d.kind, d.task_id) for d in _doc(body).deadlines] == expected
