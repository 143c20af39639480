"""Citations are every numbered document cited anywhere (gold README): footnotes and plans printed
after the signature count, the document naming itself ("Kèm theo Quyết định số …" above its attached
plan) does not, technical standards count by their code, and a symbol printed with a space before
its last part is still one ref. Strings written for this test (numbers and names invented).
"""

from __future__ import annotations

from vbextract import parse_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
DOC = ("ỦY BAN NHÂN DÂN\nTỈNH HÒA BÌNH\n" + MOTTO + "Số: 415/QĐ-UBND\nHòa Bình, ngày 12 tháng 11 năm 2025\n\n"
       "QUYẾT ĐỊNH\nBan hành Kế hoạch kiểm tra an toàn kho vật liệu nổ\n\n"
       "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\n\n"
       "Căn cứ Nghị định số 71/2018/NĐ-CP ngày 15/5/2018 của Chính phủ;\n"
       "Căn cứ Quy chuẩn kỹ thuật quốc gia QCVN 01:2019/BCT về an toàn trong sản xuất vật liệu nổ;\n\n"
       "QUYẾT ĐỊNH:\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra an toàn kho vật liệu nổ[1].\n"
       "Điều 2. Kinh phí thực hiện từ nguồn đã giao tại Quyết định số 5969/QĐ UBND ngày 28/11/2024 của "
       "Ủy ban nhân dân tỉnh.\n"
       "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.\n\n"
       "Nơi nhận:\n- Như Điều 3;\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nBùi Văn Khánh\n\n"
       "[1] Thực hiện Chỉ thị số 17-CT/TU ngày 07/3/2022 của Ban Thường vụ Tỉnh ủy.\n\n"
       "KẾ HOẠCH\nKIỂM TRA AN TOÀN KHO VẬT LIỆU NỔ\n(Kèm theo Quyết định số 415/QĐ-UBND ngày 12 tháng 11 năm 2025 "
       "của Chủ tịch UBND tỉnh)\n\n1. Sở Công Thương chủ trì kiểm tra theo Thông tư số 13/2018/TT-BCT "
       "ngày 15/6/2018 của Bộ Công Thương.\n")


def _refs(doc):
    return {c.ref: c for c in doc.citations if not c.unnumbered}


def test_citations_after_the_signature_count_and_the_document_itself_does_not():
    refs = _refs(parse_text(DOC, use_ml=False))
    assert "17-CT/TU" in refs  # a footnote printed after the signature
    assert refs["17-CT/TU"].date == "2022-03-07"
    assert "13/2018/TT-BCT" in refs  # cited by the attached plan
    assert "415/QĐ-UBND" not in refs  # the plan's "Kèm theo Quyết định số 415/QĐ-UBND" is the document


def test_standard_is_cited_by_its_code_and_is_a_legal_basis():
    doc = parse_text(DOC, use_ml=False)
    refs = _refs(doc)
    assert refs["QCVN01:2019/BCT"].doc_type == "QCVN"
    assert any("QCVN01:2019/BCT" in b.citation_refs for b in doc.legal_bases)


def test_symbol_printed_with_a_space_before_its_last_part_is_one_ref():
    refs = _refs(parse_text(DOC, use_ml=False))
    assert refs["5969/QĐUBND"].date == "2024-11-28"
    assert "5969/QĐ" not in refs


def test_type_word_before_a_ref_is_searched_only_where_it_can_start():
    """``type_before`` starts the search at the longest title before the window's tail: the same
    match as a search of the whole window (windows written for this test, every title, odd tails)."""
    import sys

    import regex

    from vbextract.grammars.types import TYPE_TITLES
    from vbextract.parts.citations import TYPE_BEFORE, TYPE_TAIL_CHARS, type_before

    # every character the tail after a title can match (any case) is in the tail set
    tail = regex.compile(r"[ \t:]|s|ố", regex.IGNORECASE)
    assert {chr(c) for c in range(sys.maxunicode + 1)
            if not 0xD800 <= c < 0xE000 and tail.fullmatch(chr(c))} <= set(TYPE_TAIL_CHARS)
    heads = ["", "Căn cứ ", "theo quy định tại ", "xem Phụ lục kèm theo văn bản, ", "x" * 70]
    tails = ["", " ", " số ", " Số:", " SỐ : ", "\tsố\t", " số\n", ":", " sổ ", " số 12"]
    windows = [h + t.upper() + s + "\n" * nl for h in heads for t in [*TYPE_TITLES, "thông tư", "bộ LUẬT"]
               for s in tails for nl in (0, 1)]
    windows += [w[-60:] for w in windows] + [DOC[i : i + 60] for i in range(0, len(DOC) - 60, 7)]
    for w in windows:
        a, b = type_before(w), TYPE_BEFORE.search(w)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), w
