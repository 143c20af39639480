"""Class 3 of issue 10: the addressees under "Kính gửi:" in every printed form.

Strings written for this test: one per line with and without dashes, several on one line
separated by ";", a cell of a flattened table, "Đồng kính gửi:", an addressee wrapped over two
lines, a parenthesis under the addressee, a form's fields after it, a Công điện's "… điện:" list.
"""

import pytest

from vbextract import parse, parse_text

HEAD = """SỞ CÔNG THƯƠNG
TỈNH HÒA BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 412/SCT-QLTM
Hòa Bình, ngày 12 tháng 11 năm 2025
V/v rà soát hồ sơ cấp phép năm 2025

"""
BODY = """
Thực hiện Công văn số 77/UBND-KT ngày 03/02/2026 của Ủy ban nhân dân tỉnh về việc rà soát hồ sơ, Sở Công Thương đề nghị các đơn vị báo cáo trước ngày 20/11/2025.

Nơi nhận:
- Như trên;
- Lưu: VT, QLTM.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Lê Văn Hùng
"""


@pytest.mark.parametrize(
    ("block", "recipients"),
    [
        ("Kính gửi: Sở Tài chính tỉnh Hòa Bình.\n", ["Sở Tài chính tỉnh Hòa Bình"]),
        ("Kính gửi:\n- Sở Tài chính;\n- Sở Nội vụ;\n- Ủy ban nhân dân các xã, phường.\n",
         ["Sở Tài chính", "Sở Nội vụ", "Ủy ban nhân dân các xã, phường"]),
        ("Kính gửi:\nSở Tài chính;\nSở Nội vụ;\nỦy ban nhân dân các xã, phường.\n",
         ["Sở Tài chính", "Sở Nội vụ", "Ủy ban nhân dân các xã, phường"]),
        ("Kính gửi: Sở Tài chính; Sở Nội vụ; Ủy ban nhân dân các xã, phường.\n",
         ["Sở Tài chính", "Sở Nội vụ", "Ủy ban nhân dân các xã, phường"]),
        ("Kính gửi:\n- Các doanh nghiệp kinh doanh xăng dầu, khí hóa lỏng\ntrên địa bàn tỉnh;\n- Sở Xây dựng.\n",
         ["Các doanh nghiệp kinh doanh xăng dầu, khí hóa lỏng trên địa bàn tỉnh", "Sở Xây dựng"]),
        ("Kính gửi: Công ty TNHH Thương mại Hòa Bình\n(địa chỉ: Số 16 đường Cù Chính Lan, phường Phương Lâm)\n",
         ["Công ty TNHH Thương mại Hòa Bình"]),
        ("Kính gửi:\n- Sở Tài chính;\n- Sở Nội vụ.\nĐồng kính gửi:\n- Thường trực Tỉnh ủy;\n- Thường trực HĐND tỉnh.\n",
         ["Sở Tài chính", "Sở Nội vụ", "Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh"]),
    ],
    ids=["one-line", "dashed", "no-dash", "semicolons", "wrapped", "parenthesis", "dong-kinh-gui"],
)
def test_recipient_forms(block, recipients):
    d = parse_text(HEAD + block + BODY, use_ml=False)
    assert d.recipients == recipients


def test_recipient_in_a_cell_and_form_fields_after_it():
    text = HEAD + "| Kính gửi: Cục trưởng Lê Văn Nam |\nĐơn vị trình : Phòng Quản lý thương mại.\n" + BODY
    d = parse(text.encode("utf-8"), name="page.md", use_ml=False)
    assert d.recipients == ["Cục trưởng Lê Văn Nam"]


def test_cong_dien_lists_its_addressees():
    text = ("THỦ TƯỚNG CHÍNH PHỦ\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
            "Số: 99/CĐ-TTg\n|\nHà Nội, ngày 16 tháng 11 năm 2025\n|\n\nCÔNG ĐIỆN\n\n"
            "Về việc chủ động ứng phó mưa lũ\n\nTHỦ TƯỚNG CHÍNH PHỦ điện:\n\n"
            "- Chủ tịch Ủy ban nhân dân các tỉnh: Hòa Bình, Sơn La;\n\n- Các Bộ: Quốc phòng, Công an;\n\n"
            "- Ban Chỉ huy phòng, chống thiên tai tỉnh Hòa Bình.\n\n"
            "Theo dự báo của cơ quan khí tượng, mưa lớn sẽ còn kéo dài trong ba ngày tới trên diện rộng.\n")
    d = parse(text.encode("utf-8"), name="page.md", use_ml=False)
    assert d.header.doc_type == "Công điện"
    assert d.recipients == ["Chủ tịch Ủy ban nhân dân các tỉnh: Hòa Bình, Sơn La", "Các Bộ: Quốc phòng, Công an",
                            "Ban Chỉ huy phòng, chống thiên tai tỉnh Hòa Bình"]


def test_kinh_gui_in_the_cell_beside_the_vv():
    text = ("SỞ CÔNG THƯƠNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 412/SCT-QLTM | Hòa Bình, ngày 12 tháng 11 năm 2025 |\n"
            "V/v rà soát hồ sơ cấp phép | Kính gửi: Sở Tài chính; Sở Nội vụ. |\n\n" + BODY)
    d = parse(text.encode("utf-8"), name="page.md", use_ml=False)
    assert d.header.subject == "rà soát hồ sơ cấp phép"
    assert d.recipients == ["Sở Tài chính", "Sở Nội vụ"]
