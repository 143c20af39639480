"""Class 2 of issue 10: a trích yếu over several lines is read whole, and ends where it ends.

Strings written for this test in the printed forms: a title under QUYẾT ĐỊNH / KẾ HOẠCH / NGHỊ
ĐỊNH wrapped over two to four lines, in capitals or not, a "V/v" wrapped in its cell, markdown
splitting words, a title glued to its type name by a converter.
"""

import pytest

from vbextract import parse

HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {symbol}
Hòa Bình, ngày 12 tháng 11 năm 2025

"""


def parse_md(text: str):
    return parse(text.encode("utf-8"), name="page.md", use_ml=False)


CASES = [
    (  # capitals over three lines, ended by the authority line after a blank line
        "QUYẾT ĐỊNH\n\nVỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN MẠNG LƯỚI\nTHƯ VIỆN CÔNG CỘNG TỈNH HÒA BÌNH GIAI ĐOẠN "
        "2026-2030,\nĐỊNH HƯỚNG ĐẾN NĂM 2035\n\nỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\n\nCăn cứ Luật Tổ chức chính quyền địa "
        "phương số 72/2025/QH15;\n",
        "321/QĐ-UBND",
        "VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN MẠNG LƯỚI THƯ VIỆN CÔNG CỘNG TỈNH HÒA BÌNH GIAI ĐOẠN 2026-2030, "
        "ĐỊNH HƯỚNG ĐẾN NĂM 2035",
    ),
    (  # capitals, the authority line follows with no blank line
        "QUYẾT ĐỊNH\nPHÊ DUYỆT DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ THUỘC PHẠM VI QUẢN LÝ CỦA\nSỞ NỘI VỤ TỈNH HÒA "
        "BÌNH\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\nCăn cứ Luật Tổ chức chính quyền địa phương;\n",
        "322/QĐ-UBND",
        "PHÊ DUYỆT DANH MỤC THỦ TỤC HÀNH CHÍNH NỘI BỘ THUỘC PHẠM VI QUẢN LÝ CỦA SỞ NỘI VỤ TỈNH HÒA BÌNH",
    ),
    (  # mixed case over two lines, ended by the first item
        "KẾ HOẠCH\nTriển khai công tác bảo vệ, chăm sóc trẻ em\ntrên địa bàn tỉnh năm 2026\nI. MỤC ĐÍCH, YÊU CẦU\n"
        "1. Mục đích\n",
        "45/KH-UBND",
        "Triển khai công tác bảo vệ, chăm sóc trẻ em trên địa bàn tỉnh năm 2026",
    ),
    (  # mixed case, the authority line in capitals ends it
        "QUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo chuyển đổi số\ncủa tỉnh Hòa Bình\nỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n",
        "323/QĐ-UBND",
        "Về việc thành lập Ban Chỉ đạo chuyển đổi số của tỉnh Hòa Bình",
    ),
    (  # a "V/V" under the type title: the trích yếu follows it; "Căn cứ" ends it
        "KẾ HOẠCH\n\nV/V CẤP PHÁT GẠO CỨU TRỢ CHO CÁC HỘ BỊ THIỆT HẠI DO BÃO SỐ 3\n\nCăn cứ Nghị định số "
        "200/2023/NĐ-CP;\n",
        "46/KH-UBND",
        "CẤP PHÁT GẠO CỨU TRỢ CHO CÁC HỘ BỊ THIỆT HẠI DO BÃO SỐ 3",
    ),
    (  # every printed line its own paragraph (saved web pages): lower-case lines carry on
        "THÔNG TƯ\nHướng dẫn một số điều của Nghị định số 12/2025/NĐ-CP\n\nngày 06 tháng 3 năm "
        "2025 của Chính phủ về quản lý chợ theo Nghị quyết\n\nsố 19/2025/QH15 của Quốc hội\n\nCăn cứ Luật "
        "Tổ chức Chính phủ;\n",
        "05/2026/TT-BCT",
        "Hướng dẫn một số điều của Nghị định số 12/2025/NĐ-CP ngày 06 tháng 3 năm 2025 của Chính "
        "phủ về quản lý chợ theo Nghị quyết số 19/2025/QH15 của Quốc hội",
    ),
    (  # an open end ("tỉnh,") carries over a blank line
        "NGHỊ ĐỊNH\n\nBan hành Quy chế phối hợp giữa các sở, ban, ngành,\n\nđịa phương trong quản lý cụm công nghiệp"
        "\n\nCăn cứ Luật Tổ chức Chính phủ;\n",
        "31/2025/NĐ-CP",
        "Ban hành Quy chế phối hợp giữa các sở, ban, ngành, địa phương trong quản lý cụm công nghiệp",
    ),
    (  # a Chỉ thị whose body follows its trích yếu in capitals with no blank line
        "CHỈ THỊ\nVỀ VIỆC TĂNG CƯỜNG PHÒNG CHÁY, CHỮA CHÁY TẠI CÁC CHỢ TRÊN ĐỊA BÀN TỈNH\nThời gian gần đây, trên "
        "địa bàn tỉnh đã xảy ra một số vụ cháy chợ gây thiệt hại lớn về tài sản của tiểu thương.\n",
        "07/CT-UBND",
        "VỀ VIỆC TĂNG CƯỜNG PHÒNG CHÁY, CHỮA CHÁY TẠI CÁC CHỢ TRÊN ĐỊA BÀN TỈNH",
    ),
    (  # a PDF with no blank lines: the body's first paragraph follows the trích yếu directly
        "THÔNG BÁO\nVề việc nghỉ Tết Nguyên đán\nNhân dịp Tết Nguyên đán năm 2026, cán bộ được nghỉ 9 ngày. Ủy ban nhân "
        "dân tỉnh đề nghị các cơ quan, đơn vị bố trí trực.\nNơi nhận:\n- Như trên;\n",
        "45/TB-UBND",
        "Về việc nghỉ Tết Nguyên đán",
    ),
    (  # a wrapped trích yếu, then a long dated paragraph
        "THÔNG BÁO\nKết luận của Phó Chủ tịch UBND tỉnh\ntại buổi làm việc về tiến độ giải ngân vốn của 03\nchương trình "
        "mục tiêu: nông thôn mới; giảm nghèo; vùng dân tộc\nNgày 05/3/2026, tại trụ sở UBND tỉnh, Phó Chủ tịch "
        "UBND tỉnh chủ trì buổi làm việc về tiến độ giải ngân vốn đầu tư công năm 2026 của các chủ đầu tư.\n",
        "565/TB-UBND",
        "Kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc về tiến độ giải ngân vốn của 03 chương trình mục tiêu: "
        "nông thôn mới; giảm nghèo; vùng dân tộc",
    ),
    (  # a trích yếu that itself opens with "Thực hiện"
        "KẾ HOẠCH\nThực hiện công tác trẻ em năm 2026\n\nThực hiện Quyết định số 23/QĐ-TTg ngày 07/01/2021 của "
        "Thủ tướng Chính phủ;\n",
        "47/KH-UBND",
        "Thực hiện công tác trẻ em năm 2026",
    ),
]


@pytest.mark.parametrize(("body", "symbol", "subject"), CASES)
def test_wrapped_subject_is_read_whole(body, symbol, subject):
    d = parse_md(HEAD.format(symbol=symbol) + body)
    assert d.header.subject == subject


def test_markdown_split_words_and_decoration_rule():
    text = ("--------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc--------- |\n"
            "Số: 1700/NQ-UBTVQH15 |\n|\n\n**NGHỊ QUYẾT**\n\n"
            "**Về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh ****Hòa Bình ****năm 2025**\n\n"
            "---------\n\n**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n*Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;*\n")
    h = parse_md(text).header
    assert h.subject == "Về việc sắp xếp các đơn vị hành chính cấp xã của tỉnh Hòa Bình năm 2025"
    assert h.doc_type == "Nghị quyết"
    # the page lost the issuer cell: the authority line names it, and that is said
    assert h.issuer == "ỦY BAN THƯỜNG VỤ QUỐC HỘI" and h.issuer_inferred


def test_title_glued_to_its_type_name():
    text = ("| CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc |\nSố: 07/2026/NĐ-CP |\n|\n\n"
            "**NGHỊ ĐỊNH****Quy định về chính sách hỗ trợ sản xuất nông nghiệp**\n\n*Căn cứ Luật Tổ chức Chính phủ;*\n")
    h = parse_md(text).header
    assert h.doc_type == "Nghị định"
    assert h.subject == "Quy định về chính sách hỗ trợ sản xuất nông nghiệp"


@pytest.mark.parametrize(
    ("vv", "subject"),
    [
        ("V/v góp ý về\ndự thảo Quy chế quản lý chợ đầu mối\n|\n",
         "góp ý về dự thảo Quy chế quản lý chợ đầu mối"),
        ("V/v: góp ý dự thảo Kế hoạch năm 2026 | Hòa Bình, ngày 12 tháng 11 năm 2025 |\n", "góp ý dự thảo Kế hoạch năm 2026"),
    ],
)
def test_vv_in_a_cell(vv, subject):
    text = ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
            "Số: 51/BNNMT-TTN\n" + vv + "\n\nKính gửi: Sở Nông nghiệp và Môi trường tỉnh Hòa Bình.\n")
    h = parse_md(text).header
    assert h.subject == subject
    assert h.doc_type == "Công văn"


def test_vv_letter_with_type_code_lookalike_is_a_cong_van():
    text = ("BỘ TÀI CHÍNH\nCỤC THUẾ\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
            "Số: 1234/CT-CS\nV/v thuế thu nhập cá nhân\n|\nHà Nội, ngày 01 tháng 12 năm 2025\n|\n\nKính gửi: Thuế tỉnh Hòa Bình\n")
    h = parse_md(text).header
    assert (h.issuer_parent, h.issuer) == ("BỘ TÀI CHÍNH", "CỤC THUẾ")
    assert h.doc_type == "Công văn"


def test_resolution_dated_by_its_adoption_sentence():
    text = ("--------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc--------- |\n"
            "Số: 1700/NQ-UBTVQH15 |\n|\n\n**NGHỊ QUYẾT**\n\n**Về việc sắp xếp các đơn vị hành chính**\n\n"
            "**ỦY BAN THƯỜNG VỤ QUỐC HỘI**\n\n*Căn cứ Luật Tổ chức Quốc hội, được Quốc hội thông qua ngày 20 "
            "tháng 11 năm 2014;*\n\n**QUYẾT NGHỊ:**\n\n**Điều 1.** Sắp xếp các đơn vị hành chính.\n\n"
            "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XV thông qua ngày 16 tháng 6 năm 2025.\n")
    d = parse_md(text)
    assert (d.header.date, d.header.date_source) == ("2025-06-16", "body")
    assert any("date of adoption" in w for w in d.warnings)


@pytest.mark.parametrize(
    ("head", "doc_type"),
    [
        # a V/v letter of Cục Thuế: "CT" is the issuer's code, not Chỉ thị
        ("CỤC THUẾ\nSố: 1234/CT-CS\nV/v thuế thu nhập cá nhân\n", "Công văn"),
        # an old decision printing "Về việc" and no type title: its QĐ code stands
        ("ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\nSố: 256/QĐ-UB\nVề việc ban hành Chương trình cải cách hành chính\n",
         "Quyết định"),
        # a VBQPPL symbol with its year: TT is Thông tư even beside a V/v
        ("BỘ TÀI CHÍNH\nSố: 120/2003/TT-BTC\nV/v hướng dẫn in, phát hành hóa đơn\n", "Thông tư"),
    ],
)
def test_type_code_lookalikes(head, doc_type):
    text = head + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 01 tháng 12 năm 2025\n\n" \
        "Kính gửi: Sở Tài chính tỉnh Hòa Bình\n\nNội dung văn bản được gửi kèm theo để các đơn vị nghiên cứu thực hiện.\n"
    assert parse_md(text).header.doc_type == doc_type


@pytest.mark.parametrize(
    ("head", "issuer", "parent"),
    [
        ("UBND TỈNH HÒA BÌNH\nSỞ CÔNG THƯƠNG\nGIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP\nGIÁM ĐỐC SỞ CÔNG THƯƠNG\n",
         "SỞ CÔNG THƯƠNG", "UBND TỈNH HÒA BÌNH"),
        ("UBND TỈNH HÒA BÌNH\nBQL CÁC KHU CÔNG NGHIỆP HÒA BÌNH\n", "BQL CÁC KHU CÔNG NGHIỆP HÒA BÌNH", "UBND TỈNH HÒA BÌNH"),
        ("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG TỈNH HÒA BÌNH\n", "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG TỈNH HÒA BÌNH", None),
    ],
)
def test_issuer_stops_at_a_long_title_line(head, issuer, parent):
    text = head + "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/GP-SCT\n" \
        "Hòa Bình, ngày 01 tháng 12 năm 2025\n\nCăn cứ Luật số 42/2024/QH15;\n"
    h = parse_md(text).header
    assert (h.issuer, h.issuer_parent) == (issuer, parent)


def test_place_kept_when_even_the_year_is_blank():
    text = ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: /TB-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập – Tự do – Hạnh phúc\nHà Nội, ngày tháng năm\nTHÔNG BÁO\nVề việc nghỉ Tết Nguyên đán\n")
    h = parse_md(text).header
    assert (h.place, h.date, h.is_draft) == ("Hà Nội", None, True)
