"""Table tests on real strings (the seeds' own wording and the typos domain.md lists)."""

import pytest

from vbextract import parse_text
from vbextract.parts.units import split_units

CV = """ỦY BAN NHÂN DÂN
TỈNH KIÊN GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 403/UBND-KGVX
Kiên Giang, ngày 06 tháng 4 năm 2021
V/v triển khai thực hiện công tác trẻ em năm 2021 trên địa bàn tỉnh.

Kính gửi:
- Giám đốc (Thủ trưởng) các sở, ban, ngành, đoàn thể cấp tỉnh;
- Chủ tịch UBND các huyện, thành phố.

{body}

Nơi nhận:
- Như trên;
- Lưu: VT, tthuy (03b), "HT".
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Lưu Trung
"""


def body_doc(body: str):
    return parse_text(CV.format(body=body), use_ml=False)


@pytest.mark.parametrize(
    ("sentence", "ref", "doc_type", "date", "issuer"),
    [
        ("Căn cứ Công văn số 736/LĐT&XH-TE&BDG ngày 14/3/2024 của Giám đốc Sở Lao động - TB&XH tỉnh Bắc Giang về việc hướng dẫn.",
         "736/LĐT&XH-TE&BDG", "Công văn", "2024-03-14", "Giám đốc Sở Lao động - TB&XH tỉnh Bắc Giang"),
        ("1. Thực hiện Chỉ thị số 28-CT/TW ngày 25/12/2023 của Bộ Chính trị về “tăng cường”.",
         "28-CT/TW", "Chỉ thị", "2023-12-25", "Bộ Chính trị"),
        ("1. Theo Công văn số 2513/LĐT BXH-TTTT ngày 14/7/2022 của Bộ Lao động - Thương binh và Xã hội.",
         "2513/LĐTBXH-TTTT", "Công văn", "2022-07-14", "Bộ Lao động - Thương binh và Xã hội"),
        ("1. Triển khai Chỉ thị số 23/CT- TTg ngày 26/5/2020 của Thủ tướng Chính phủ.",
         "23/CT-TTg", "Chỉ thị", "2020-05-26", "Thủ tướng Chính phủ"),
        ("1. Theo Nghị định số 56/NĐ/2017/NĐ-CP ngày 09/5/2017 quy định chi tiết.",
         "56/NĐ/2017/NĐ-CP", "Nghị định", "2017-05-09", None),
        ("1. Theo Nghị quyết số 66.25/2026/NQ-CP ngày 02 tháng 3 năm 2026 của Chính phủ về cắt giảm.",
         "66.25/2026/NQ-CP", "Nghị quyết", "2026-03-02", "Chính phủ"),
        ("1. Thực hiện Thông tư số 13/2021/TT-BLĐTBXH ngày 30/9/2021 của Bộ trưởng Bộ Lao động - Thương binh và Xã hội ban hành Bộ chỉ tiêu.",
         "13/2021/TT-BLĐTBXH", "Thông tư", "2021-09-30", "Bộ trưởng Bộ Lao động - Thương binh và Xã hội"),
        ("1. Theo Nghị định số 30/2020/NĐ-\nCP ngày 05/3/2020 của Chính phủ về công tác văn thư.",
         "30/2020/NĐ-CP", "Nghị định", "2020-03-05", "Chính phủ"),
        ("1. Thực hiện Chỉ thị số 28 CT/TW ngày 25/12/2023 của Bộ Chính trị.",
         "28CT/TW", "Chỉ thị", "2023-12-25", "Bộ Chính trị"),
        ("1. Thực hiện Quyết định số 06/QĐ-TTg ngày 03/01/20219 của Thủ tướng Chính phủ ban hành quy định.",
         "06/QĐ-TTg", "Quyết định", None, "Thủ tướng Chính phủ"),
        ("1. Công văn số 1011/VP-KGVX, ngày 11/3/2023 của UBND tỉnh Lạng Sơn về việc hướng dẫn.",
         "1011/VP-KGVX", "Công văn", "2023-03-11", "UBND tỉnh Lạng Sơn"),
    ],
)
def test_citation_grammar(sentence, ref, doc_type, date, issuer):
    doc = body_doc(sentence)
    cits = {c.ref: c for c in doc.citations if not c.unnumbered}
    assert ref in cits, list(cits)
    c = cits[ref]
    assert (c.doc_type, c.date, c.issuer) == (doc_type, date, issuer)


@pytest.mark.parametrize(
    "sentence",
    [
        # (a technical standard, "QCVN 01:2019/BCT", is a citation by its code: tests/header/test_citations_reach.py)
        "1. Gọi Tổng đài 111 hoặc số 0243.2233.111 khi cần.",
        "1. Phấn đấu tăng tỷ lệ từ 144/200 năm 2022 lên 150/200.",
        "1. Tổ chức vào dịp Ngày Quốc tế thiếu nhi (01/6) hằng năm.",
    ],
)
def test_not_citations(sentence):
    assert [c.ref for c in body_doc(sentence).citations if not c.unnumbered] == []


def test_unnumbered_law_is_a_named_citation():
    doc = body_doc("1. Thực hiện theo Luật Trẻ em và Luật Trợ giúp pháp lý.")
    named = [c.ref for c in doc.citations if c.unnumbered]
    assert named == ["Luật Trẻ em", "Luật Trợ giúp pháp lý"]


@pytest.mark.parametrize(
    ("line", "kind", "date", "start", "end", "inferred"),
    [
        ("1. Báo cáo trước ngày 10/5/2024.", "by", "2024-05-10", None, None, False),
        ("1. Báo cáo trước ngày 20/5.", "by", "2021-05-20", None, None, True),
        ("1. Gửi về Sở chậm nhất ngày 30/6/2021.", "by", "2021-06-30", None, None, False),
        ("1. Tổ chức từ ngày 03/10/2021 đến ngày 06/10/2021.", "range", None, "2021-10-03", "2021-10-06", False),
        ("1. Tổ chức Tháng hành động (từ ngày 01/6 đến ngày 30/6).", "range", None, "2021-06-01", "2021-06-30", True),
        ("1. Hoàn thành trong tháng 9 năm 2021.", "period", None, "2021-09-01", "2021-09-30", False),
        ("1. Rà soát.\n- Thời gian thực hiện: Quý IV.", "period", None, "2021-10-01", "2021-12-31", True),
        ("1. Rà soát.\n- Thời gian dự kiến: Tháng 6/2021.", "period", None, "2021-06-01", "2021-06-30", False),
        ("1. Rà soát.\n- Thời gian thực hiện: Thường xuyên trong năm.", "ongoing", None, None, None, False),
        ("1. Rà soát.\n- Thời gian thực hiện: Hằng năm.", "recurring", None, None, None, False),
        ("1. Báo cáo định kỳ hằng quý về UBND tỉnh.", "recurring", None, None, None, False),
    ],
)
def test_deadline_grammar(line, kind, date, start, end, inferred):
    doc = body_doc(line)
    assert len(doc.deadlines) == 1, doc.deadlines
    d = doc.deadlines[0]
    assert (d.kind, d.date, d.start, d.end, d.year_inferred) == (kind, date, start, end, inferred)
    assert d.task_id == "1"


@pytest.mark.parametrize(
    "line",
    [
        "1. Thường xuyên rà soát, kiện toàn Ban chỉ đạo.",
        "1. Tổ chức Ngày Quốc tế thiếu nhi (01/6) và Tết Trung thu năm 2021.",
        "1. Thực hiện Chương trình giai đoạn 2021-2030.",
        "1. Định kỳ, đột xuất tổng hợp báo cáo.",
        "1. Rà soát.\n- Thời gian thực hiện: Thường xuyên trong năm, cao điểm vào tháng 5, tháng 6.",
    ],
)
def test_not_deadlines(line):
    kinds = [d.kind for d in body_doc(line).deadlines]
    assert "by" not in kinds and "period" not in kinds and "range" not in kinds


@pytest.mark.parametrize(
    ("item", "lead", "support"),
    [
        ("6. Giao Sở Lao động - Thương binh và Xã hội chủ trì và phối hợp với các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các huyện, thành phố:",
         ["Sở Lao động - Thương binh và Xã hội"], ["các sở, ban, ngành, đoàn thể cấp tỉnh", "UBND các huyện, thành phố"]),
        ("6. Ủy ban nhân dân các huyện, thành phố:", ["Ủy ban nhân dân các huyện, thành phố"], []),
        ("6. Rà soát.\n- Đơn vị chủ trì: Văn phòng HĐND và UBND thị xã, UBND các xã, phường.",
         ["Văn phòng HĐND và UBND thị xã", "UBND các xã, phường"], []),
        ("6. Rà soát.\n- Đơn vị chủ trì: UBND các xã, phường ; Tòa án nhân dân thị xã; Viện Kiểm sát nhân dân thị xã.",
         ["UBND các xã, phường", "Tòa án nhân dân thị xã", "Viện Kiểm sát nhân dân thị xã"], []),
        ("6. Đoàn Thanh niên Cộng sản Hồ Chí Minh thị xã chủ trì phát triển mô hình; phối hợp với Văn phòng HĐND và UBND thị xã tổ chức các hoạt động.",
         ["Đoàn Thanh niên Cộng sản Hồ Chí Minh thị xã"], ["Văn phòng HĐND và UBND thị xã"]),
        ("6. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam thị xã và các tổ chức thành viên phối hợp tổ chức thực hiện.",
         ["Ủy ban Mặt trận Tổ quốc Việt Nam thị xã", "các tổ chức thành viên"], []),
        ("6. Phát hiện khó khăn. Đồng thời, phối hợp với Ủy ban Mặt trận Tổ quốc huyện tổ chức thực hiện phong trào.",
         [], ["Ủy ban Mặt trận Tổ quốc huyện"]),
        ("6. Phối hợp thực hiện công tác giám sát của Hội đồng nhân dân.", [], []),
    ],
)
def test_task_units(item, lead, support):
    doc = body_doc(item)
    task = next(t for t in doc.tasks if t.id == "6")
    assert (task.lead_units, task.support_units) == (lead, support)


def test_bullets_inherit_the_lead_of_their_item():
    doc = body_doc("6. Giao Sở Y tế chủ trì:\n- Tham mưu cho UBND tỉnh xây dựng kế hoạch.\n- Tổng hợp báo cáo.")
    bullets = [t for t in doc.tasks if t.id.startswith("6.b")]
    assert [t.id for t in bullets] == ["6.b1", "6.b2"]
    assert all(t.lead_units == ["Sở Y tế"] and t.lead_inherited for t in bullets)


@pytest.mark.parametrize(
    ("phrase", "units"),
    [
        ("Phòng Văn hóa, Khoa học và Thông tin thị xã, Đoàn Thanh niên Cộng sản Hồ Chí Minh thị xã, Phòng Giáo dục và Đào tạo thị xã",
         ["Phòng Văn hóa, Khoa học và Thông tin thị xã", "Đoàn Thanh niên Cộng sản Hồ Chí Minh thị xã",
          "Phòng Giáo dục và Đào tạo thị xã"]),
        ("Các phòng, ban, ngành, các tổ chức xã hội, Ủy ban nhân dân các cấp",
         ["Các phòng, ban, ngành", "các tổ chức xã hội", "Ủy ban nhân dân các cấp"]),
        ("Trung tâm Văn hóa và Truyền thanh thị xã, Đài phát thanh các xã, phường",
         ["Trung tâm Văn hóa và Truyền thanh thị xã", "Đài phát thanh các xã, phường"]),
    ],
)
def test_split_units(phrase, units):
    assert split_units(phrase) == units


@pytest.mark.parametrize(
    ("block", "authority", "chain", "position", "signer"),
    [
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Lưu Trung", "KT.", ["KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Nguyễn Lưu Trung"),
        ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nNguyễn Quốc Khánh", "TM.",
         ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"], "PHÓ CHỦ TỊCH", "Nguyễn Quốc Khánh"),
        ("TL. CỤC TRƯỞNG\nKT. TRƯỞNG BAN QUẢN LÝ\nPHÓ TRƯỞNG BAN\nLê Văn Tám", "TL.",
         ["TL. CỤC TRƯỞNG", "KT. TRƯỞNG BAN QUẢN LÝ"], "PHÓ TRƯỞNG BAN", "Lê Văn Tám"),
        ("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nTrần Văn Bình", "T/M", ["T/M BAN THƯỜNG VỤ"], "PHÓ BÍ THƯ", "Trần Văn Bình"),
        ("GIÁM ĐỐC\n\nHoàng Văn Hùng", None, [], "GIÁM ĐỐC", "Hoàng Văn Hùng"),
    ],
)
def test_signature_chains(block, authority, chain, position, signer):
    text = CV.format(body="1. Rà soát.").replace("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Lưu Trung", block)
    sig = parse_text(text, use_ml=False).signature
    assert sig is not None
    assert (sig.authority, sig.chain, sig.position, sig.signer) == (authority, chain, position, signer)


@pytest.mark.parametrize(
    ("header_lines", "number", "symbol", "date", "draft"),
    [
        ("Số: /KH-UBND\nMỹ Hào, ngày tháng năm 2025", None, "KH-UBND", "2025", True),
        ("Số:    /UBND-LĐT&XH\nTân Yên, ngày   tháng 3 năm 2024", None, "UBND-LĐT&XH", "2024-03", True),
        ("Số:\n7360/KH-UBND\nHà Nội, ngày 20\ntháng 11 năm 2025", "7360", "KH-UBND", "2025-11-20", False),
        ("Số: 4378 /SCT - CN\nLào Cai, ngày 05 tháng 01 năm 2026", "4378", "SCT-CN", "2026-01-05", False),
        ("Số: 249/2025/NĐ-CP\nHà Nội, ngày 29 tháng 02 năm 2024", "249", "NĐ-CP", "2024-02-29", False),
    ],
)
def test_header_number_and_date(header_lines, number, symbol, date, draft):
    text = f"ỦY BAN NHÂN DÂN\nTHỊ XÃ MỸ HÀO\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{header_lines}\n\nKẾ HOẠCH\nThực hiện công tác\n\n1. Rà soát."
    h = parse_text(text, use_ml=False).header
    assert (h.number, h.symbol, h.date, h.is_draft, h.national_motto) == (number, symbol, date, draft, True)


def test_two_lines_of_authority():
    text = "UBND TỈNH LẠNG SƠN\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 12/SLĐTBXH-VP\nV/v báo cáo\n\nKính gửi: Sở Nội vụ."
    h = parse_text(text, use_ml=False).header
    assert (h.issuer_parent, h.issuer) == ("UBND TỈNH LẠNG SƠN", "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")
    assert h.doc_type == "Công văn"


def test_interleaved_header_columns():
    text = ("ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH KIÊN GIANG\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 403/UBND-KGVX\nKiên Giang, ngày 06 tháng 4 năm 2021\nV/v triển khai công tác trẻ em\n\nKính gửi: Sở Y tế.")
    h = parse_text(text, use_ml=False).header
    assert (h.issuer, h.number, h.place, h.date, h.subject) == (
        "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG", "403", "Kiên Giang", "2021-04-06", "triển khai công tác trẻ em")


def test_form_after_signature_is_an_appendix_not_the_signature():
    text = CV.format(body="1. Rà soát.") + "\nMẪU BÁO CÁO\nTÊN ĐƠN VỊ\nSố: /BC-UBND\nBÁO CÁO\nKết quả\n\nTM.UBND XÃ, THỊ TRẤN\n(Ký tên, đóng dấu)\n"
    doc = parse_text(text, use_ml=False)
    assert doc.signature is not None and doc.signature.signer == "Nguyễn Lưu Trung"
    assert [a.title for a in doc.appendices] == ["MẪU BÁO CÁO"]
    assert doc.appendices[0].header is not None and doc.appendices[0].header.symbol == "BC-UBND"
    assert doc.header.number == "403"


@pytest.mark.parametrize("rule", ["-------", "*", "===&===", "_____"])
def test_decoration_rules_in_the_header_are_skipped(rule):
    text = (f"UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\n{rule}\nSố: 1150/SCT-CN\nV/v kiểm tra an toàn\n"
            f"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{rule}\n"
            "Lào Cai, ngày 12 tháng 3 năm 2026\n\nKính gửi: Các doanh nghiệp.\n\n1. Rà soát hồ sơ.")
    h = parse_text(text, use_ml=False).header
    assert (h.issuer, h.number, h.symbol, h.date) == ("SỞ CÔNG THƯƠNG", "1150", "SCT-CN", "2026-03-12")


def test_warnings_as_data_and_the_header_ref():
    from vbextract import parse_text

    doc = parse_text("ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 125/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nKẾ HOẠCH\nPhòng cháy năm 2026\n1. Công an tỉnh kiểm tra.\n"
                     "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n", use_ml=False)
    assert doc.header.ref == "125/KH-UBND"
    assert [n.message for n in doc.notices] == doc.warnings  # the plain view and the data agree
    codes = {n.code: n for n in doc.notices}
    assert "header.missing_date" in codes and codes["header.missing_date"].path == "kind"
    assert "signature.missing_signer" in codes and codes["signature.missing_signer"].producer == "rules"
