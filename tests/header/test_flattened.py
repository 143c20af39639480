"""Class 1 of issue 10: the header printed as a flattened two-column table.

Every string below is written for this test in the forms converted pages and extractors give
(cells closed by a lone ``|`` line, both columns on one line, columns glued with no space, the
Quốc hiệu wrapped over two lines). The issuer must never take the motto's words or the number,
and no value may keep a ``|``.
"""

import pytest

from vbextract import parse

BODY = """
Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;

Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

|
Nơi nhận:
- Như Điều 2;
- Lưu: VT, TH. |
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Bình
|
"""

CELLS_WRAPPED = """**ỦY BAN NHÂN
DÂN **
TỈNH HÒA BÌNH
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
321/QĐ-UBND
|
*Hòa Bình, ngày
12 tháng 11 năm 2025*
|


**QUYẾT ĐỊNH**

VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH NHIỆM KỲ 2021 - 2026

**ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH**
""" + BODY

ONE_ROW = """| **ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** |
|---|---|
| Số: 321/QĐ-UBND | *Hòa Bình, ngày 12 tháng 11 năm 2025* |

**QUYẾT ĐỊNH**

Về việc ban hành Quy chế làm việc

**ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH**
""" + BODY

BOLD_CELLS_ONE_LINE = """**ỦY BAN NHÂN DÂN**  **TỈNH HÒA BÌNH**  | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  Độc lập - Tự do - Hạnh phúc |
Số: 321/QĐ-UBND | Hòa Bình, ngày 12 tháng 11 năm 2025 |

**QUYẾT ĐỊNH**

Về việc ban hành Quy chế làm việc

**ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH**
""" + BODY

GLUED = """ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH----------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc----------- |
Số: 321/QĐ-UBND |
Hòa Bình, ngày 12 tháng 11 năm 2025
|

**QUYẾT ĐỊNH**

Về việc ban hành Quy chế làm việc

**ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH**
""" + BODY

PARENT_CELL = """**UBND TỈNH HÒA BÌNH**
**SỞ CÔNG THƯƠNG**
-------
|
**CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 88/KH-SCT
|
*Thành phố Hòa
Bình, ngày 03 tháng 12 năm 2025*
|

**KẾ HOẠCH**

Kiểm tra an toàn thực phẩm năm 2026

I. MỤC ĐÍCH, YÊU CẦU

1. Bảo đảm an toàn thực phẩm.
"""


def md(text: str):
    return parse(text.encode("utf-8"), name="page.md", use_ml=False)


@pytest.mark.parametrize("text", [CELLS_WRAPPED, ONE_ROW, BOLD_CELLS_ONE_LINE, GLUED],
                         ids=["cells-wrapped", "one-row", "bold-cells-one-line", "glued"])
def test_flattened_header_reads_issuer_number_date(text):
    d = md(text)
    h = d.header
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"
    assert h.issuer_parent is None
    assert (h.number, h.symbol) == ("321", "QĐ-UBND")
    assert h.date == "2025-11-12"
    assert h.place == "Hòa Bình"
    assert h.doc_type == "Quyết định"
    assert h.national_motto


def test_parent_line_and_wrapped_place_in_cells():
    h = md(PARENT_CELL).header
    assert (h.issuer_parent, h.issuer) == ("UBND TỈNH HÒA BÌNH", "SỞ CÔNG THƯƠNG")
    assert h.place == "Thành phố Hòa Bình"
    assert h.date == "2025-12-03"
    assert h.subject == "Kiểm tra an toàn thực phẩm năm 2026"


@pytest.mark.parametrize("text", [CELLS_WRAPPED, ONE_ROW, BOLD_CELLS_ONE_LINE, GLUED])
def test_no_bar_left_in_any_value(text):
    d = md(text)
    values = [d.header.issuer, d.header.subject, d.header.place, *d.distribution, *d.recipients]
    if d.signature:
        values += [d.signature.position, d.signature.signer, *d.signature.chain]
    assert all("|" not in v for v in values if v)
    assert "Lưu: VT, TH" in d.distribution


@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        ("BỘ CÔNG THƯƠNG | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n| Độc lập - Tự do - Hạnh phúc\n"
         "Số: 12/BCT-ĐTĐL | Hà Nội, ngày 02 tháng 3 năm 2026\nV/v góp ý dự thảo\n\nKính gửi: Sở Công Thương.\n",
         "BỘ CÔNG THƯƠNG"),
        ("CHÍNH PHỦ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc--------------- |\n"
         "Số: 16/2026/NĐ-CP |\n|\n\nNGHỊ ĐỊNH\n\nQuy định chi tiết một số điều\n", "CHÍNH PHỦ"),
        ("**BỘ KHOA HỌC VÀ **\nCÔNG NGHỆ\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
         "Độc lập - Tự do - Hạnh phúc\n|\n|\nSố: 41/QĐ-BKHCN\n|\n*Hà Nội, ngày 02\ntháng 12 năm 2025 *\n|\n\n"
         "**QUYẾT ĐỊNH**\n\nVỀ VIỆC CÔNG BỐ THỦ TỤC HÀNH CHÍNH\n", "BỘ KHOA HỌC VÀ CÔNG NGHỆ"),
    ],
)
def test_issuer_never_takes_the_motto(text, issuer):
    h = md(text).header
    assert h.issuer == issuer
    assert "NGHĨA" not in (h.issuer or "") and "/" not in (h.issuer or "")


def test_missing_issuer_is_said():
    text = ("--------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc--------- |\n"
            "Số: 1600/NQ-UBTVQH15 |\n|\n\nNGHỊ QUYẾT\n\nVề việc sắp xếp các đơn vị hành chính\n")
    d = md(text)
    assert d.header.issuer is None or d.header.issuer_inferred
    assert any("issuer" in w for w in d.warnings)
    assert (d.header.number, d.header.symbol) == ("1600", "NQ-UBTVQH15")


def test_noi_nhan_printed_on_one_line_and_form_placeholders():
    text = CELLS_WRAPPED.replace(
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT, TH. |",
        "Nơi nhận:\n- Như Điều 2; - Thường trực Tỉnh ủy; - HĐND, UBND các xã, phường;\n- ………\n- Lưu: VT, TH. |")
    d = md(text)
    assert d.distribution == ["Như Điều 2", "Thường trực Tỉnh ủy", "HĐND, UBND các xã, phường", "Lưu: VT, TH"]


def test_a_long_run_of_legal_bases_is_read_to_its_end():
    clauses = "".join(f"Căn cứ Nghị định số {n}/2025/NĐ-CP ngày 01 tháng 7 năm 2025 của Chính phủ quy định chi tiết "
                      f"một số điều về quản lý, sử dụng tài sản công tại cơ quan, tổ chức, đơn vị;\n\n" for n in range(101, 131))
    text = CELLS_WRAPPED.replace("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n", clauses)
    d = md(text)
    refs = [r for b in d.legal_bases for r in b.citation_refs]
    assert refs == [f"{n}/2025/NĐ-CP" for n in range(101, 131)]


def test_purpose_lead_in_of_a_chi_thi_names_its_bases():
    text = CELLS_WRAPPED.replace("QUYẾT ĐỊNH**", "CHỈ THỊ**").replace("321/QĐ-UBND", "07/CT-UBND").replace(
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n",
        "Trong những năm qua, công tác quản lý, bảo vệ rừng trên địa bàn tỉnh đã đạt được kết quả nhất định.\n\n"
        "Để tiếp tục thực hiện nghiêm Chỉ thị số 09/CT-TTg ngày 02/4/2024 của Thủ tướng Chính phủ; Kế hoạch số "
        "21-KH/TU ngày 15/6/2024 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân tỉnh yêu cầu:\n\n"
        "1. Ủy ban nhân dân các xã, phường tăng cường kiểm tra.\n")
    refs = [r for b in md(text).legal_bases for r in b.citation_refs]
    assert refs == ["09/CT-TTg", "21-KH/TU"]


@pytest.mark.parametrize(
    ("luu", "item"),
    [("- Lưu: VT, CT. 09 KH", "Lưu: VT, CT"), ("- Lưu: VT, CT.\n09 KH", "Lưu: VT, CT"),
     ("- Lưu: VT, KHTC, ĐL.(89).", "Lưu: VT, KHTC, ĐL.(89)"), ('- Lưu: VT, tthuy (03b), "HT".', 'Lưu: VT, tthuy (03b), "HT"')],
)
def test_luu_line_without_copy_count(luu, item):
    d = md(CELLS_WRAPPED.replace("- Lưu: VT, TH. |", luu + "\n|"))
    assert d.distribution[-1] == item


def test_kh_lead_in_trien_khai_thuc_hien_and_cyrillic_lookalike_ref():
    text = CELLS_WRAPPED.replace(
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n",
        "Triển khai thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương; Nghị quyết số "
        "45/NQ-СР ngày 10/5/2024 của Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n\n"
        "Triển khai các nhiệm vụ trọng tâm trong năm.\n")
    refs = [r for b in md(text).legal_bases for r in b.citation_refs]
    assert refs == ["18-NQ/TW", "45/NQ-СР"]  # the Cyrillic С Р printed by mistake are kept as printed
