"""Unit names that hold words the unit grammar reads as verbs, department codes with their parent
body, closing asides, and collectives named by a description (issue 9, class 1; invented strings
written in the real forms)."""

from __future__ import annotations

import pytest

import vbextract
from vbextract.parts.units import split_units, units_at

HEADER = """ỦY BAN NHÂN DÂN
TỈNH TUYÊN QUANG
Số: {number}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Tuyên Quang, ngày 10 tháng 3 năm 2026
"""
SIGNATURE = """Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Bình
"""


def _parse(body: str, number: str = "88/KH-UBND") -> vbextract.Document:
    return vbextract.parse_text(HEADER.format(number=number) + body + "\n" + SIGNATURE, use_ml=False)


@pytest.mark.parametrize("sentence, units", [
    # a business line after a company's legal form is part of its name
    ("Công ty Cổ phần xây dựng giao thông Hà Giang thực hiện giám sát", ["Công ty Cổ phần xây dựng giao thông Hà Giang"]),
    ("Công ty cổ phần Đầu tư xây dựng hạ tầng cơ sở thông báo cho các nhà thầu",
     ["Công ty cổ phần Đầu tư xây dựng hạ tầng cơ sở"]),
    ("Công ty TNHH MTV Thương mại dịch vụ Hoàng Long chịu trách nhiệm", ["Công ty TNHH MTV Thương mại dịch vụ Hoàng Long"]),
    # … unless a plan or a document follows: then it is the verb
    ("Công ty cổ phần Khoáng sản Bắc Mê xây dựng phương án nổ mìn", ["Công ty cổ phần Khoáng sản Bắc Mê"]),
    ("Viện Nghiên cứu phát triển Thành phố nghiên cứu, đề xuất", ["Viện Nghiên cứu phát triển Thành phố"]),
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh chủ trì", ["Ban Quản lý dự án đầu tư xây dựng tỉnh"]),
    ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh chủ trì",
     ["Ban Quản lý dự án đầu tư xây dựng công trình giao thông tỉnh"]),
    ("Trung tâm Dịch vụ việc làm tỉnh tổ chức", ["Trung tâm Dịch vụ việc làm tỉnh"]),
    ("Sở Xây dựng xây dựng kế hoạch kiểm tra", ["Sở Xây dựng"]),
    # a department's code and its parent body are one unit; the list goes on after it
    ("Phòng Cảnh sát quản lý hành chính về trật tự xã hội (PC06) - Công an tỉnh Tuyên Quang, UBND xã Yên Sơn "
     "và các đơn vị liên quan giám sát",
     ["Phòng Cảnh sát quản lý hành chính về trật tự xã hội (PC06) - Công an tỉnh Tuyên Quang", "UBND xã Yên Sơn",
      "các đơn vị liên quan"]),
    # a closing aside names the office inside the body, not the unit
    ("Sở Nội vụ (Ban Thi đua - Khen thưởng) tổng hợp", ["Sở Nội vụ"]),
    ("Trung tâm Dịch vụ việc làm tỉnh (Sở Nội vụ) tổ chức", ["Trung tâm Dịch vụ việc làm tỉnh"]),
    ("Giám đốc (Thủ trưởng) các sở, ban, ngành chủ trì", ["Giám đốc (Thủ trưởng) các sở, ban, ngành"]),
    # heads of associations and youth unions
    ("Thành đoàn Tuyên Quang phối hợp", ["Thành đoàn Tuyên Quang"]),
    ("Hiệp hội Doanh nghiệp tỉnh vận động", ["Hiệp hội Doanh nghiệp tỉnh"]),
    ("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh tham mưu", ["Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"]),
    ("Hội Nông dân tỉnh, Liên minh Hợp tác xã tỉnh tuyên truyền", ["Hội Nông dân tỉnh", "Liên minh Hợp tác xã tỉnh"]),
])
def test_unit_names_with_verb_words(sentence, units):
    assert units_at(sentence, 0) == units


def test_execution_clause_lists_persons_apart():
    assert split_units("Chánh Văn phòng Sở, Trưởng phòng Kinh tế, cá nhân có liên quan và các ông (bà) có tên "
                       "tại Điều 1") == ["Chánh Văn phòng Sở", "Trưởng phòng Kinh tế", "cá nhân có liên quan",
                                         "các ông (bà) có tên tại Điều 1"]
    assert split_units("các tổ chức, cá nhân có liên quan") == ["các tổ chức, cá nhân có liên quan"]
    assert split_units("các cơ quan, đơn vị, cá nhân liên quan") == ["các cơ quan, đơn vị, cá nhân liên quan"]
    assert split_units("Tổ chức, cá nhân kinh doanh dịch vụ cứu hộ") == ["Tổ chức, cá nhân kinh doanh dịch vụ cứu hộ"]


def test_name_length_limits():
    # a listed unit counts its head and longest member, a department with its code counts its longer part
    assert split_units("Các Bộ: Giáo dục và Đào tạo, Y tế, Khoa học và Công nghệ, Văn hóa, Thể thao và Du lịch") == [
        "Các Bộ: Giáo dục và Đào tạo, Y tế, Khoa học và Công nghệ, Văn hóa, Thể thao và Du lịch"]
    # a sentence that ran on is still no unit
    assert split_units("Người đứng đầu đơn vị được Bộ trưởng hoặc Lãnh đạo Bộ phân công trực tiếp thực hiện nhiệm vụ, "
                       "hoạt động kiểm tra theo kế hoạch") == []
    # a long closing aside is dropped from a piece of a list too
    assert split_units("các cơ quan quản lý ngành, lĩnh vực (gồm các Sở: Xây dựng, Công Thương, Tài chính)") == [
        "các cơ quan quản lý ngành, lĩnh vực"]


def test_a_collective_described_in_its_heading_is_the_whole_heading():
    doc = _parse("KẾ HOẠCH\nPhát triển hạ tầng số năm 2026\nIV. TỔ CHỨC THỰC HIỆN\n"
                 "1. Sở Khoa học và Công nghệ\nChủ trì theo dõi, đôn đốc thực hiện Kế hoạch.\n"
                 "2. Các doanh nghiệp viễn thông đang hoạt động trên địa bàn tỉnh\n"
                 "- Chủ động đầu tư hạ tầng mạng 5G tại các khu công nghiệp.\n"
                 "3. Đề nghị các tổ chức cung cấp dịch vụ thanh toán\n"
                 "a) Mở tài khoản miễn phí cho người hưởng trợ cấp.\n"
                 "b) Hướng dẫn người dân sử dụng dịch vụ.\n"
                 "4. Tổ chức thực hiện\nCác sở, ngành báo cáo kết quả trước ngày 15/12/2026.\n")
    tasks = {t.id: t for t in doc.tasks}
    assert tasks["IV.2"].lead_units == ["Các doanh nghiệp viễn thông đang hoạt động trên địa bàn tỉnh"]
    assert tasks["IV.3"].lead_units == ["các tổ chức cung cấp dịch vụ thanh toán"]
    assert tasks["IV.3.a"].lead_units == ["các tổ chức cung cấp dịch vụ thanh toán"]
    assert tasks["IV.3.a"].lead_inherited
    # a singular capital is a topic, not a body
    assert "Tổ chức thực hiện" not in tasks["IV.4"].lead_units


@pytest.mark.parametrize("phrase, units", [
    # a collective head with its own ':' list is one unit (gold README) ...
    ("các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội",
     ["các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội"]),
    ("Các Bộ: Quốc phòng, Công an; Đài Tiếng nói Việt Nam", ["Các Bộ: Quốc phòng, Công an", "Đài Tiếng nói Việt Nam"]),
    # ... up to a member that opens with another body than the list's own
    ("UBND các phường: Tân An, Hưng Thành, Minh Xuân và UBND xã Kim Phú",
     ["UBND các phường: Tân An, Hưng Thành, Minh Xuân", "UBND xã Kim Phú"]),
    ("Chánh Văn phòng UBND tỉnh, Giám đốc: Sở Tài chính, Sở Xây dựng, Sở Nội vụ, Chủ tịch UBND các xã, phường",
     ["Chánh Văn phòng UBND tỉnh", "Giám đốc: Sở Tài chính, Sở Xây dựng, Sở Nội vụ", "Chủ tịch UBND các xã, phường"]),
])
def test_a_unit_with_its_own_list(phrase, units):
    assert split_units(phrase) == units


def test_unit_headings_closed_by_a_stop_and_investors():
    body = """KẾ HOẠCH
Tổ chức Tuần Văn hóa - Du lịch năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Quảng bá hình ảnh địa phương.
II. TỔ CHỨC THỰC HIỆN
1. Trung tâm Văn hóa - Nghệ thuật tỉnh.
- Chủ trì dàn dựng chương trình nghệ thuật khai mạc.
2. Chủ đầu tư các dự án khu dân cư:
- Bảo đảm vệ sinh môi trường trong phạm vi dự án.
3. UBND các phường: Tân An, Hưng Thành và UBND xã Kim Phú.
- Phối hợp với Sở Văn hóa, Thể thao và Du lịch trang trí đường phố.
"""
    leads = {t.id: t.lead_units for t in _parse(body, "12/KH-UBND").tasks}
    assert leads["II.1"] == ["Trung tâm Văn hóa - Nghệ thuật tỉnh"]
    assert leads["II.2"] == ["Chủ đầu tư các dự án khu dân cư"]
    assert leads["II.3"] == ["UBND các phường: Tân An, Hưng Thành", "UBND xã Kim Phú"]


def test_execution_clause_with_courtesy_and_listed_director():
    body = """QUYẾT ĐỊNH
Về việc phê duyệt phương án bảo vệ rừng năm 2026
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
QUYẾT ĐỊNH:
Điều 1. Phê duyệt phương án bảo vệ rừng năm 2026 (có phương án kèm theo).
Điều 2. Các ông (bà) Chánh văn phòng UBND tỉnh, Giám đốc: Sở Tài chính, Sở Nông nghiệp và Môi trường, Chủ tịch UBND các xã; thủ trưởng các đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này.
"""
    tasks = {t.id: t for t in _parse(body, "15/QĐ-UBND").tasks}
    assert tasks["Điều 2"].lead_units == [
        "Chánh văn phòng UBND tỉnh", "Giám đốc: Sở Tài chính, Sở Nông nghiệp và Môi trường", "Chủ tịch UBND các xã",
        "thủ trưởng các đơn vị có liên quan"]


@pytest.mark.parametrize("phrase, units", [
    ("các sở, ban, ngành, UBND các xã, phường và cơ quan, đơn vị có liên quan",
     ["các sở, ban, ngành", "UBND các xã, phường", "cơ quan, đơn vị có liên quan"]),
    ("sở, ban, ngành, Ủy ban nhân dân xã, phường", ["sở, ban, ngành", "Ủy ban nhân dân xã, phường"]),
])
def test_support_lists_closed_by_the_related_bodies(phrase, units):
    assert split_units(phrase) == units


def test_responsibility_articles_name_the_unit_not_its_field():
    body = """QUYẾT ĐỊNH
Ban hành Quy định phân công trách nhiệm quản lý nhà nước
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH
QUYẾT ĐỊNH:
Điều 1. Trách nhiệm của Ủy ban nhân dân cấp xã trong lĩnh vực quản lý chợ
Ủy ban nhân dân cấp xã thực hiện nhiệm vụ quản lý chợ trên địa bàn theo quy định.
Điều 2. Trách nhiệm của Sở quản lý ngành, lĩnh vực
1. Sở quản lý ngành, lĩnh vực có trách nhiệm rà soát danh mục hàng hóa bình ổn giá.
2. Trường hợp có vướng mắc trong quá trình thực hiện, Giám đốc Sở Tài chính hướng dẫn các đơn vị.
3. Trong quá trình thực hiện, nếu có khó khăn, các cơ quan, đơn vị có liên quan phản ánh về Sở Tài chính.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài chính và Chủ tịch UBND các xã chịu trách nhiệm thi hành Quyết định này.
"""
    tasks = {t.id: t for t in _parse(body, "21/2026/QĐ-UBND").tasks}
    assert tasks["Điều 1"].lead_units == ["Ủy ban nhân dân cấp xã"]
    assert tasks["Điều 2.1"].lead_units == ["Sở quản lý ngành, lĩnh vực"]
    assert tasks["Điều 2.2"].lead_units == ["Giám đốc Sở Tài chính"]
    assert tasks["Điều 2.3"].lead_units == ["các cơ quan, đơn vị có liên quan"]


@pytest.mark.parametrize("sentence, units", [
    ("Ủy ban nhân dân cấp tỉnh quyết định việc phân cấp", ["Ủy ban nhân dân cấp tỉnh"]),
    ("Sở Công Thương kính đề nghị Ủy ban nhân dân tỉnh xem xét", ["Sở Công Thương"]),
])
def test_unit_ends_at_verbs(sentence, units):
    assert units_at(sentence, 0) == units


def test_support_of_someone_elses_action_is_not_the_tasks():
    body = """KẾ HOẠCH
Thực hiện Chương trình phòng, chống ma túy năm 2026
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao hiệu quả công tác phòng, chống ma túy.
II. TỔ CHỨC THỰC HIỆN
1. Sở Y tế
Chủ trì, phối hợp với các đơn vị liên quan tham mưu Ủy ban nhân dân tỉnh phối hợp Bộ Y tế triển khai Dự án 6.
2. Sở Giáo dục và Đào tạo
Chỉ đạo các trường học phối hợp với lực lượng Công an rà soát học sinh có nguy cơ.
3. Bộ Chỉ huy Bộ đội Biên phòng tỉnh
Chủ động phối hợp với Công an tỉnh, lực lượng Hải quan triển khai tuần tra khu vực biên giới.
"""
    tasks = {t.id: t for t in _parse(body, "30/KH-UBND").tasks}
    assert tasks["II.1"].support_units == ["các đơn vị liên quan"]
    assert tasks["II.2"].support_units == []
    assert tasks["II.3"].support_units == ["Công an tỉnh", "lực lượng Hải quan"]


@pytest.mark.parametrize("sentence, units", [
    ("Ủy ban nhân dân các xã, phường phân công cán bộ theo dõi người nghiện", ["Ủy ban nhân dân các xã, phường"]),
    ("Sở Tài chính phân bổ kinh phí thực hiện", ["Sở Tài chính"]),
])
def test_assignment_verbs_end_a_unit(sentence, units):
    assert units_at(sentence, 0) == units
