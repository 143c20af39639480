"""Class 7 of issue 10: the signature block as a table, as markdown, joined by a converter.

Strings written for this test: the block in cells closed by "|", lines joined into one ("KT. CHỦ
TỊCH PHÓ CHỦ TỊCH"), glued with no space ("… QUỐC HỘICHỦ TỊCH"), sharing a line with the Nơi
nhận cell, the signer after a rank, a name on two lines, "(Đã ký)" stamps.
"""

import pytest

from vbextract import parse, parse_text
from vbextract.parts.signature import split_signature_line

HEAD = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH
|
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
|
Số: 321/QĐ-UBND
|
Hòa Bình, ngày 12 tháng 11 năm 2025
|

QUYẾT ĐỊNH

Về việc thành lập Tổ công tác

ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH

Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;

Điều 1. Thành lập Tổ công tác chuyển đổi số.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

"""

NOI_NHAN = "|\nNơi nhận:\n- Như Điều 2;\n- Lưu: VT, KGVX.\n"


@pytest.mark.parametrize(
    ("block", "authority", "chain", "position", "signer"),
    [
        ("|\n**TM. ỦY BAN NHÂN DÂN**\n**KT. CHỦ TỊCH**\n**PHÓ CHỦ TỊCH**\n\n\n\n**Trần Văn Bình**\n|\n",
         "TM.", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Trần Văn Bình"),
        ("|\nTM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH PHÓ CHỦ TỊCH\nTrần Văn Bình\n|\n",
         "TM.", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Trần Văn Bình"),
        ("|\nTM. ỦY BAN NHÂN DÂN CHỦ TỊCH Trần Văn Bình\n",
         "TM.", ["TM. ỦY BAN NHÂN DÂN"], "CHỦ TỊCH", "Trần Văn Bình"),
        ("|\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nTrần Văn Bình\n|\n",
         "KT.", ["KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Trần Văn Bình"),
        ("|\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n( Đã ký) Trần Văn Bình |\n",
         "KT.", ["KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Trần Văn Bình"),
        ("|\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Thị Thanh\nHằng\n|\n",
         "KT.", ["KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Nguyễn Thị Thanh Hằng"),
    ],
    ids=["markdown-cells", "joined-chain", "one-line", "stamp-line", "stamp-inline", "name-two-lines"],
)
def test_table_and_markdown_signatures(block, authority, chain, position, signer):
    d = parse((HEAD + NOI_NHAN + block).encode("utf-8"), name="page.md", use_ml=False)
    s = d.signature
    assert s is not None
    assert (s.authority, s.chain, s.position, s.signer) == (authority, chain, position, signer)
    assert d.distribution == ["Như Điều 2", "Lưu: VT, KGVX"]


def test_block_sharing_the_line_with_noi_nhan():
    text = HEAD + ("- Chính phủ; - Văn phòng Quốc hội; - Lưu: HC, TH. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘICHỦ TỊCH\n"
                   "\nTrần Văn Bình\n")
    s = parse(text.encode("utf-8"), name="page.md", use_ml=False).signature
    assert s is not None
    assert (s.authority, s.chain, s.position, s.signer) == (
        "TM.", ["TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI"], "CHỦ TỊCH", "Trần Văn Bình")


@pytest.mark.parametrize(
    ("line", "pieces"),
    [
        ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
        ("KT. BỘ TRƯỞNG THỨ TRƯỞNG Thượng tướng Lê Văn Hùng", ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Thượng tướng Lê Văn Hùng"]),
        ("TM. CHÍNH PHỦ KT. THỦ TƯỚNG PHÓ THỦ TƯỚNG", ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]),
        ("KT. TỔNG GIÁM ĐỐC PHÓ TỔNG GIÁM ĐỐC", ["KT. TỔNG GIÁM ĐỐC", "PHÓ TỔNG GIÁM ĐỐC"]),
        ("TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ PHÁP CHẾ", ["TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ"]),
        ("KT. TRƯỞNG THUẾ TỈNH PHÓ TRƯỞNG THUẾ TỈNH", ["KT. TRƯỞNG THUẾ TỈNH", "PHÓ TRƯỞNG THUẾ TỈNH"]),
        ("T/M BAN THƯỜNG VỤ PHÓ BÍ THƯ", ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]),
        ("| **TM. ỦY BAN NHÂN DÂN** |", ["TM. ỦY BAN NHÂN DÂN"]),
        ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", ["PHÓ CHỦ TỊCH THƯỜNG TRỰC"]),
        ("GIÁM ĐỐC SỞ CÔNG THƯƠNG", ["GIÁM ĐỐC SỞ CÔNG THƯƠNG"]),
        ("(Ký tên, đóng dấu)", []),
        ("KT. BỘ TRƯỞNG, CHỦ NHIỆM PHÓ CHỦ NHIỆM", ["KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"]),
    ],
)
def test_split_signature_line(line, pieces):
    assert split_signature_line(line) == pieces


def test_pdf_interleaving_noi_nhan_with_the_signature_column():
    text = HEAD.replace("QUYẾT ĐỊNH\n\nVề việc thành lập Tổ công tác", "THÔNG BÁO\n\nKết luận của Chủ tịch UBND tỉnh") + (
        "Nơi nhận:\n- Thường trực Tỉnh ủy (báo cáo);\n- CT, PCT UBND tỉnh;\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\n"
        "PHÓ CHÁNH VĂN PHÒNG\n- Các sở, ngành: Xây dựng, Y tế,\nNông nghiệp và Môi trường,\n"
        "- Hội LHPN tỉnh;\n- Lưu: VT, KGVX.\nTrần Văn Bình\n")
    d = parse_text(text, use_ml=False)
    s = d.signature
    assert (s.authority, s.chain, s.position, s.signer) == (
        "TL.", ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"], "PHÓ CHÁNH VĂN PHÒNG", "Trần Văn Bình")
    assert d.distribution == ["Thường trực Tỉnh ủy (báo cáo)", "CT, PCT UBND tỉnh",
                              "Các sở, ngành: Xây dựng, Y tế, Nông nghiệp và Môi trường",
                              "Hội LHPN tỉnh", "Lưu: VT, KGVX"]


@pytest.mark.parametrize("tail", [
    # the wrapped ends of the Nơi nhận items land between the title and the name
    "Sở;\nphối hợp);\n.\n(Hùng)\nLê Văn Tám\n",
    "- Chi nhánh Công ty Than Lào Cai;\n- Lưu: VT, KT, XD(Hà,\nBình,\nNam)\n;\nLê Văn Tám\n",
])
def test_signer_after_the_wrapped_tail_of_the_distribution_list(tail):
    text = HEAD + ("Nơi nhận:\n- Như trên;\n- Ban Giám đốc\n- Phòng Quản lý năng lượng (để\n- Lưu: VT, CN\n"
                   "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n" + tail)
    assert parse_text(text, use_ml=False).signature.signer == "Lê Văn Tám"


def test_no_signer_taken_from_below_an_unsigned_block():
    text = HEAD + "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nPHỤ LỤC\nDanh sách đơn vị\n"
    assert parse_text(text, use_ml=False).signature.signer is None


def test_columns_interleaved_line_by_line():
    text = HEAD + ("Nơi nhận:\nKT. GIÁM ĐỐC\n- Như trên;\nPHÓ GIÁM ĐỐC\n- Giám đốc Sở (để b/c);\n"
                   "- Ban Quản lý các cụm công nghiệp của tỉnh tại\nkhu vực phía Bắc (để phối hợp);\n"
                   "- Lưu: VT, QLTM.\nTrần Văn Bình\n")
    d = parse_text(text, use_ml=False)
    assert (d.signature.chain, d.signature.position, d.signature.signer) == (
        ["KT. GIÁM ĐỐC"], "PHÓ GIÁM ĐỐC", "Trần Văn Bình")
    assert d.distribution == ["Như trên", "Giám đốc Sở (để b/c)",
                              "Ban Quản lý các cụm công nghiệp của tỉnh tại khu vực phía Bắc (để phối hợp)",
                              "Lưu: VT, QLTM"]
