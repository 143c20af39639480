"""The structure layer by failure class (issue 9, hold-out hold6): which headings and Điều are
tasks, on invented strings written in the real forms."""

from __future__ import annotations

import regex

import vbextract
from vbextract.linebreaks import join_wrapped_lines

from .test_task_classes import HEADER, SIGNATURE  # the same Lào Cai frame around every body


def _parse(body: str, number: str = "512/UBND-KT") -> vbextract.Document:
    return vbextract.parse_text(HEADER.format(number=number) + body + "\n" + SIGNATURE, use_ml=False)


def _tasks(doc) -> dict[str, tuple[list[str], list[str]]]:
    return {t.id: (t.lead_units, t.support_units) for t in doc.tasks if not regex.search(r"\.b\d+$", t.id)}


# --- 1. a Điều label broken after its word ------------------------------------------------------------

BROKEN = """QUYẾT ĐỊNH
Ban hành Quy định quản lý giá trên địa bàn tỉnh
QUYẾT ĐỊNH:
Điều 9. Trách nhiệm của Sở Tài chính
1. Sở Tài chính chủ trì tổng hợp báo cáo giá thị trường.
Điều
10. Trách nhiệm của Ủy ban nhân dân các xã, phường
1. Ủy ban nhân dân các xã, phường cập nhật giá tại địa phương.
2. Ủy ban nhân dân các xã, phường báo cáo Sở Tài chính.
ĐIỀU
11. HIỆU LỰC THI HÀNH
Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_article_label_broken_after_its_word_is_still_the_article():
    doc = _parse(BROKEN, number="12/2026/QĐ-UBND")
    ids = [t.id for t in doc.tasks]
    assert ids == ["Điều 9", "Điều 9.1", "Điều 10", "Điều 10.1", "Điều 10.2"]
    t10 = next(t for t in doc.tasks if t.id == "Điều 10")
    assert t10.label == "Điều 10."
    assert _tasks(doc)["Điều 10.1"][0] == ["Ủy ban nhân dân các xã, phường"]
    assert [s.label for s in doc.sections] == ["Điều 9.", "Điều 10.", "ĐIỀU 11."]


def test_converted_page_joins_the_broken_article_label():
    text = "**Điều\n10. Cập nhật dữ liệu về giá**\n\n1. Sở Tài chính chịu trách\nnhiệm cập nhật dữ liệu."
    joined = join_wrapped_lines(text)
    assert len(joined) == len(text) and joined.startswith("**Điều 10. Cập nhật dữ liệu về giá**\n")
    # a sentence whose wrapped line ends on the word is not a label
    assert join_wrapped_lines("được phân công tại Điều\n3. Sở Y tế") == "được phân công tại Điều\n3. Sở Y tế"


# --- 2. a Điều whose khoản give named units their duties -------------------------------------------------

REGULATION = """QUYẾT ĐỊNH
Ban hành Quy định phân công quản lý nhà nước về giá
QUYẾT ĐỊNH:
Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quyết định này quy định việc phân công quản lý nhà nước về giá trên địa bàn tỉnh.
Điều 2. Đối tượng áp dụng
1. Các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh;
2. Sở Tài chính chủ trì thẩm định giá theo quy định.
Chương II
QUY ĐỊNH CỤ THỂ
Điều 3. Kê khai giá
1. Danh mục hàng hóa kê khai giá được quy định tại Phụ lục kèm theo Quyết định này.
2. Sở Công Thương có trách nhiệm rà soát danh sách tổ chức kê khai giá.
3. Cơ quan tiếp nhận văn bản kê khai giá có trách nhiệm thông báo hình thức tiếp nhận.
Điều 4. Tổng hợp, dự báo giá thị trường
1. Phân công nhiệm vụ tổng hợp giá thị trường:
a) Sở Y tế: Tổng hợp giá thuốc chữa bệnh trên địa bàn.
b) Sở Xây dựng: Tổng hợp giá vật liệu xây dựng.
2. Sở Tài chính chủ trì, phối hợp với các cơ quan liên quan:
a) Tham mưu Ủy ban nhân dân tỉnh ban hành quy chế cơ sở dữ liệu về giá;
b) Giá hàng hóa do Ủy ban nhân dân tỉnh định giá.
Điều 5. Giá dịch vụ khám bệnh
Giá dịch vụ khám bệnh thực hiện theo quy định của pháp luật về khám bệnh, chữa bệnh.
Điều 6. Chế độ báo cáo
1. Báo cáo giá thị trường hằng tháng
a) Tên báo cáo: Báo cáo giá thị trường;
b) Cơ quan nhận báo cáo: Sở Tài chính;
2. Thực hiện chế độ báo cáo
a) Định kỳ trước ngày 20 hằng tháng, Ủy ban nhân dân các xã gửi báo cáo về Sở Tài chính.
Điều 7. Điều khoản thi hành
1. Quyết định này có hiệu lực kể từ ngày 15 tháng 4 năm 2026.
2. Bãi bỏ Quyết định số 04/2024/QĐ-UBND ngày 13 tháng 2 năm 2024.
"""


def test_article_whose_clauses_assign_named_units_is_a_task():
    doc = _parse(REGULATION, number="15/2026/QĐ-UBND")
    ids = {t.id for t in doc.tasks}
    # scope, subjects, a rule that binds no one, and the effective date: not tasks
    assert not ids & {"Điều 1", "Điều 2", "Điều 2.2", "Điều 5", "Điều 7", "Điều 7.1", "Điều 7.2"}
    # a subject-titled Điều is a task through the khoản that give units their duties
    assert {"Điều 3", "Điều 3.2", "Điều 3.3"} <= ids and "Điều 3.1" not in ids
    tasks = _tasks(doc)
    assert tasks["Điều 3.2"][0] == ["Sở Công Thương"]
    # unit headings ("a) Sở Y tế: …") and the actions under a unit's lead-in; a listed noun is not one
    assert {"Điều 4", "Điều 4.1", "Điều 4.1.a", "Điều 4.1.b", "Điều 4.2", "Điều 4.2.a"} <= ids
    assert "Điều 4.2.b" not in ids
    assert tasks["Điều 4.1.a"][0] == ["Sở Y tế"] and tasks["Điều 4.2.a"][0] == ["Sở Tài chính"]
    # "Chế độ báo cáo": its khoản are the reports; the fields of the report form are not tasks
    assert {"Điều 6", "Điều 6.1", "Điều 6.2", "Điều 6.2.a"} <= ids
    assert not ids & {"Điều 6.1.a", "Điều 6.1.b"}


def test_functions_of_a_body_law_text_and_amendments_give_no_tasks():
    functions = """THÔNG TƯ
Quy định về vận tải qua cửa khẩu
Điều 1. Trạm kiểm soát tại cửa khẩu
1. Trạm kiểm soát tại cửa khẩu là cơ quan thuộc Sở Xây dựng.
2. Trạm kiểm soát tại cửa khẩu thực hiện các nhiệm vụ sau:
a) Kiểm tra giấy phép vận tải của phương tiện;
b) Thống kê số liệu về hoạt động vận tải.
Điều 2. Sửa đổi khoản 1 Điều 6 như sau:
1. Sở Xây dựng có trách nhiệm cấp giấy phép vận tải.
Điều 3. Đoàn Kiểm tra có nhiệm vụ kiểm tra việc cấp giấy phép theo Điều 1 Thông tư này.
"""
    doc = _parse(functions, number="05/2026/TT-BXD")
    ids = {t.id for t in doc.tasks}
    assert not ids & {"Điều 1", "Điều 1.2", "Điều 1.2.a", "Điều 2", "Điều 2.1"}
    assert "Điều 3" in ids  # a Điều of one sentence that gives a named unit its duty
    # a công văn quoting a Điều of a law: the quoted Điều is not the letter's task
    letter = "V/v cấp giấy phép\nKính gửi: Công ty Cổ phần Hóa chất Lào Cai\n" \
             "Điều 59. Cấp giấy phép\n1. Sở Công Thương có trách nhiệm cấp giấy phép trong 05 ngày.\n"
    assert not {t.id for t in _parse(letter).tasks} & {"Điều 59", "Điều 59.1"}


# --- 3. a task section headed in sentence case with a final period ----------------------------------------

def test_sentence_case_task_heading_with_a_final_period():
    body = """KẾ HOẠCH
Quan trắc môi trường vùng nuôi trồng thủy sản năm 2026
I. MỤC TIÊU
1. Theo dõi chất lượng nước các vùng nuôi.
II. DỰ TOÁN KINH PHÍ
1. Kinh phí quan trắc: 300.000.000 đồng.
III. Tổ chức thực hiện.
1. Sở Nông nghiệp và Môi trường chủ trì triển khai kế hoạch.
2. Sở Tài chính bố trí kinh phí thực hiện.
"""
    doc = _parse(body, number="88/KH-UBND")
    assert [(s.id, s.kind) for s in doc.sections] == [("I", "targets"), ("II", "funding"), ("III", "organization")]
    tasks = _tasks(doc)
    assert set(tasks) == {"III.1", "III.2"}
    assert tasks["III.1"][0] == ["Sở Nông nghiệp và Môi trường"]


# --- 4. requirements addressed to a unit -----------------------------------------------------------------

def test_requirements_addressed_to_a_unit_are_its_tasks():
    body = """THÔNG BÁO
Kết quả kiểm tra công tác nghiệm thu kho chứa vật liệu nổ công nghiệp
1. Thông tin về công trình
a) Tên công trình: Kho chứa vật liệu nổ công nghiệp Bản Mòng;
b) Địa điểm xây dựng: xã Bản Mòng, tỉnh Lào Cai;
c) Loại, cấp công trình: Công trình tạm.
2. Yêu cầu đối với chủ đầu tư
a) Lưu trữ hồ sơ hoàn thành công trình theo quy định;
b) Quản lý, vận hành công trình theo đúng thiết kế được duyệt.
"""
    doc = _parse(body, number="77/TB-SCT")
    tasks = _tasks(doc)
    # the description of the works informs; the requirements direct the unit they address
    assert set(tasks) == {"2", "2.a", "2.b"}
    assert tasks["2"][0] == ["chủ đầu tư"] and tasks["2.a"][0] == ["chủ đầu tư"]
    assert next(s.kind for s in doc.sections if s.id == "2") == "organization"


# --- 5. targets, award counts and procedure are not tasks ----------------------------------------------

def test_targets_block_in_a_content_section_and_award_procedure_are_not_tasks():
    body = """KẾ HOẠCH
Phòng, chống ma túy giai đoạn 2026 - 2030
I. NỘI DUNG TRỌNG TÂM
1. Tổ chức tuyên truyền sâu rộng về phòng, chống ma túy.
2. Chỉ tiêu chủ yếu đến năm 2030
2.1. Trên 80% xã, phường không có ma túy.
2.2. Phấn đấu 100% cơ sở cai nghiện bảo đảm điều kiện.
3. Tiếp tục thực hiện các mục tiêu về phòng ngừa
3.1. Về mục tiêu giảm người nghiện mới.
II. SỐ LƯỢNG ĐỀ NGHỊ KHEN THƯỞNG
1. Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể.
III. THỦ TỤC, HỒ SƠ VÀ THỜI GIAN KHEN THƯỞNG
1. Hồ sơ đề nghị khen thưởng gửi về Sở Nội vụ trước ngày 15/12/2026.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ hướng dẫn thực hiện Kế hoạch.
"""
    doc = _parse(body, number="90/KH-UBND")
    ids = {t.id for t in doc.tasks}
    assert {"I.1", "I.3", "I.3.1", "IV.1"} <= ids
    assert not ids & {"I.2", "I.2.1", "I.2.2", "II.1", "III.1"}


def test_heading_kind_reads_words_that_open_with_roman_letters():
    # "II. CHỈ TIÊU …": the label is "II.", the C is the heading's first letter
    from vbextract.parts.sections import section_kind
    assert section_kind("II. CHỈ TIÊU XUẤT KHẨU ĐẾN NĂM 2030") == "targets"
    assert section_kind("V. CHẾ ĐỘ THÔNG TIN, BÁO CÁO") == "reporting"
    assert section_kind("Chế độ báo cáo định kỳ") == "reporting"
    assert section_kind("2.1. Nhiệm vụ trọng tâm") == "tasks"
    assert section_kind("IV. CÔNG TÁC TỔ CHỨC THỰC HIỆN") == "organization"


def test_description_item_under_a_content_section_is_not_a_task():
    body = """KẾ HOẠCH
Phát triển hạ tầng viễn thông khu công nghiệp năm 2026
II. NỘI DUNG THỰC HIỆN
1. Hiện trạng
Khu công nghiệp có 03 trạm phát sóng, tốc độ truy cập trung bình 50 Mbps.
2. Triển khai nền tảng kết nối cho doanh nghiệp trong khu công nghiệp.
III. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ chủ trì triển khai Kế hoạch.
"""
    ids = {t.id for t in _parse(body, number="91/KH-UBND").tasks}
    assert {"II.2", "III.1"} <= ids and "II.1" not in ids


def test_who_organizes_fields_of_an_event_plan_are_not_tasks():
    body = """KẾ HOẠCH
Tổ chức Lễ hội Hoa Đào năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Quảng bá hình ảnh địa phương.
II. CƠ QUAN CHỈ ĐẠO VÀ TỔ CHỨC THỰC HIỆN
1. Danh nghĩa tổ chức: Ủy ban nhân dân tỉnh Lào Cai.
2. Cơ quan chỉ đạo: Ủy ban nhân dân tỉnh.
3. Đơn vị chủ trì thực hiện: Sở Văn hóa, Thể thao và Du lịch.
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch xây dựng chương trình lễ hội.
"""
    ids = {t.id for t in _parse(body, number="92/KH-UBND").tasks}
    assert "III.1" in ids and not ids & {"II.1", "II.2", "II.3"}


# --- meeting logistics: time, place and participants are not tasks (issue 9, class 6) -----------------

def test_meeting_logistics_items_are_not_tasks():
    body = """V/v kiểm tra công tác nghiệm thu kho vật liệu nổ công nghiệp
Kính gửi: Công ty cổ phần Khoáng sản Bắc Hà.
Sở Công Thương thông báo kế hoạch kiểm tra như sau:
1. Thành phần
- Đại diện lãnh đạo Sở Công Thương;
- Đại diện Công an tỉnh.
2. Thời gian kiểm tra: Vào lúc 08 giờ 00 phút, ngày 15/4/2026.
3. Địa điểm: Tại kho vật liệu nổ công nghiệp của Công ty.
4. Nội dung kiểm tra: Công ty chuẩn bị đầy đủ hồ sơ nghiệm thu, báo cáo Sở Công Thương trước ngày 10/4/2026.
"""
    doc = _parse(body, "611/SCT-KTAT")
    assert sorted(_tasks(doc)) == ["4"]
    on_day = [d for d in doc.deadlines if d.date == "2026-04-15"]
    assert on_day and on_day[0].task_id is None  # the meeting's date is kept, linked to no task


# --- duties named by "Quyền hạn, trách nhiệm của X" / "Nghĩa vụ của X"; reviews that mention nhiệm vụ ---

def test_duty_articles_of_a_decree_are_tasks():
    body = """NGHỊ ĐỊNH
Về quản lý, phát triển cụm công nghiệp
Chương IV
TRÁCH NHIỆM QUẢN LÝ NHÀ NƯỚC
Điều 30. Quyền hạn, trách nhiệm của Bộ Công Thương
1. Xây dựng, trình cơ quan có thẩm quyền ban hành chính sách phát triển cụm công nghiệp.
2. Hằng năm tổng hợp, báo cáo Thủ tướng Chính phủ tình hình phát triển cụm công nghiệp.
Điều 31. Nghĩa vụ của chủ đầu tư xây dựng hạ tầng kỹ thuật cụm công nghiệp
1. Đầu tư xây dựng hạ tầng kỹ thuật theo quy hoạch được duyệt.
Điều 32. Quyền của tổ chức, cá nhân đầu tư sản xuất kinh doanh
Được sử dụng các công trình hạ tầng kỹ thuật dùng chung.
"""
    ids = set(_tasks(_parse(body, "32/2024/NĐ-CP")))
    assert {"Điều 30", "Điều 30.1", "Điều 30.2", "Điều 31", "Điều 31.1"} <= ids
    assert not any(i.startswith("Điều 32") for i in ids)


def test_a_review_section_naming_nhiem_vu_gives_no_tasks():
    body = """KẾ HOẠCH
Tài chính - ngân sách nhà nước 03 năm 2026 - 2028
I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ KINH TẾ - XÃ HỘI NĂM 2025
1. Đánh giá tình hình phát triển kinh tế - xã hội
Tốc độ tăng trưởng kinh tế năm 2025 ước đạt 8%.
2. Đánh giá thu, chi ngân sách
Thu ngân sách ước đạt 105% dự toán.
II. NHIỆM VỤ, GIẢI PHÁP
1. Sở Tài chính chủ trì tham mưu điều hành ngân sách.
"""
    assert sorted(_tasks(_parse(body, "88/KH-UBND"))) == ["II.1"]
