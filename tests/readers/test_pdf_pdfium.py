"""The PDFium reader's pieces: word boxes, ruling segments, signature dictionaries, OCR limits."""

from __future__ import annotations

import time

import pytest

from vbextract import ocr
from vbextract.readers import pdf, pdfium, read_bytes

from . import fixtures_gen as fg

HAVE_OCR = ocr.missing_tools() is None


def test_words_of_one_line_share_top_and_bottom():
    """Tops come from the font size, not the glyph: stacked tone marks do not split a line."""
    doc = pdfium.open_document(fg.make_pdf())
    try:
        data = pdfium.read_page(doc[0])
    finally:
        doc.close()
    first = [w for w in data.words if w.text in ("ỦY", "BAN", "NHÂN", "DÂN")][:4]
    assert [w.text for w in first] == ["ỦY", "BAN", "NHÂN", "DÂN"]
    assert max(w.top for w in first) - min(w.top for w in first) < 0.5
    assert all(w.x0 < w.x1 and w.top < w.bottom for w in data.words)
    assert data.fonts and data.image_cover == 0.0


def test_ruled_task_table_found_from_path_segments():
    res = read_bytes(fg.make_pdf(), "doc.pdf")
    assert "Đơn vị chủ trì:" not in res.text  # no invented phrasing: the table comes as structure
    (table,) = res.blocks
    cells = [[res.text[c.start : c.end] for c in row.cells] for row in table.rows]
    assert cells == [fg.TASK_HEADER] + fg.TASKS
    assert table.page == 1


def test_collinear_segments_join():
    edges = [pdfium.Edge(0, 10, 50, 10), pdfium.Edge(50, 10, 90, 10), pdfium.Edge(100, 10, 120, 10),
             pdfium.Edge(5, 0, 5, 40), pdfium.Edge(5, 40, 5, 80)]
    merged = pdfium.merge_collinear(edges)
    assert pdfium.Edge(0, 10, 90, 10) in merged and pdfium.Edge(100, 10, 120, 10) in merged
    assert pdfium.Edge(5, 0, 5, 80) in merged and len(merged) == 3


def test_signature_dictionary_read_around_its_contents():
    head = (b"%PDF-1.7\n7 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/Reason(Ph\\352 duy\\352t)"
            b"/Prop_Build<</App<</Name(signing tool)>>>>/Name<FEFF0056004E>/M(D:20260527093012+07'00')"
            b"/ByteRange [0 1 2 3 ]/Contents ")
    tail = b" /Location(H\\(a\\)) /ContactInfo()>>\nendobj\n"
    data = head + b"<" + b"0" * 64 + b">" + tail
    gap_start, gap_end = len(head), len(head) + 66
    sig = pdf._signature_near(data, [0, gap_start, gap_end, len(data) - gap_end])
    assert sig is not None
    assert sig.name == "VN"  # the top-level /Name, not the one inside /Prop_Build
    assert sig.signing_time == "2026-05-27T09:30:12+07:00"
    assert sig.location == "H(a)" and sig.contact_info is None and sig.reason == "Phê duyêt"


def test_signature_with_an_indirect_value_falls_back():
    head = b"3 0 obj\n<</Type/Sig/Name 12 0 R/Contents "
    data = head + b"<00>" + b">>\nendobj\n"
    assert pdf._signature_near(data, [0, len(head), len(head) + 4, 10]) is None


def test_ocr_limits_nest_and_tighten():
    with ocr.limits(pages=3):
        assert ocr.max_pages() == 3
        with ocr.limits(pages=5, timeout=100):
            assert ocr.max_pages() == 3  # an inner call cannot loosen the outer limit
            left = ocr.time_left()
            assert left is not None and 0 < left <= 100
    assert ocr.current_limits() == ocr.NO_LIMITS


def test_scan_resolution_follows_its_image():
    import pypdfium2 as pdfium_

    doc = pdfium_.PdfDocument(fg.make_scanned_pdf())  # a 2480 px wide bitmap across A4: 300 dpi
    try:
        assert ocr.render_dpi(doc[0]) == 300
    finally:
        doc.close()
    doc = pdfium_.PdfDocument(fg.make_pdf())  # no image: the vector default
    try:
        assert ocr.render_dpi(doc[0]) == ocr.DPI
    finally:
        doc.close()


@pytest.mark.skipif(not HAVE_OCR, reason="tesseract with Vietnamese data not installed")
def test_ocr_past_its_deadline_keeps_the_document_and_says_so():
    with ocr.limits(deadline=time.monotonic() - 1):
        res = read_bytes(fg.make_scanned_pdf(), "scan.pdf")
    assert any("OCR stopped at the time limit" in w for w in res.warnings)
    assert res.source.text_layer == "none"


@pytest.mark.skipif(not HAVE_OCR, reason="tesseract with Vietnamese data not installed")
def test_ocr_page_limit_from_limits():
    with ocr.limits(pages=0):
        res = read_bytes(fg.make_scanned_pdf(), "scan.pdf")
    assert any("OCR limited to the first 0" in w for w in res.warnings)


def _grid(rows: list[list[str]]):
    """A ruled 'table' over ``rows`` of words, 20 pt per column and row, with the words inside."""
    from types import SimpleNamespace

    from vbextract.readers import pdf_layout as pl

    words, trows = [], []
    for r, row in enumerate(rows):
        cells = []
        for c, text in enumerate(row):
            box = (c * 20.0, r * 20.0, c * 20.0 + 20, r * 20.0 + 20)
            cells.append(box)
            x = box[0] + 1
            for part in text.split():
                words.append(pl.Word(part, x, x + 2, box[1] + 5, box[1] + 15))
                x += 3
        trows.append(SimpleNamespace(cells=cells))
    return SimpleNamespace(rows=trows), words


def test_justified_prose_drawn_with_rules_is_not_a_table():
    prose = ["Rà", "soát", "các", "quy", "định", "hiện", "hành", "về", "quản", "lý", "và", "đề", "xuất", "kiến", "nghị", "cơ", "quan", "có", "thẩm", "quyền", "sửa", "đổi"]
    table, words = _grid([prose, prose, prose])  # 20 one-word "cells" per row
    assert not pdf._is_real_table(table, words)
    figures, fwords = _grid([[str(i * 3) for i in range(20)]] * 3)  # a wide table of figures stays
    assert pdf._is_real_table(figures, fwords)
    tasks, twords = _grid([fg.TASK_HEADER] + fg.TASKS)
    assert pdf._is_real_table(tasks, twords)


def _pdf_of_paragraphs(paragraphs: list[str]) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    regular, _ = fg._register_fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=14, leading=20)
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(p, style) for p in paragraphs])
    return buf.getvalue()


def test_footnote_mark_is_not_glued_to_the_ref_before_it():
    """A superscript footnote number printed right after a symbol ("QH15¹", as a word processor
    prints it: about two thirds the size, raised a third of an em) is a word of its own, so the ref
    reads "42/2024/QH15"; a lowercase unit's exponent ("m²") is left alone."""
    data = _pdf_of_paragraphs([
        "Căn cứ Luật số 42/2024/QH15<super rise='4' size='9'>1</super> ngày 29/6/2024 của Quốc hội;",
        "Căn cứ Nghị định số 105/2025/NĐ-CP<super rise='4' size='9'>12</super> ngày 15/5/2025 của Chính phủ;",
        "Diện tích kho chứa 250 m<super rise='4' size='9'>2</super>.",
    ])
    text = read_bytes(data, "cv.pdf").text
    assert "42/2024/QH15 1 ngày" in text and "105/2025/NĐ-CP 12 ngày" in text
    assert "250 m2" in text
    from vbextract import parse

    refs = {(c.number, c.symbol) for c in parse(data, name="cv.pdf", use_ml=False).citations}
    assert {("42", "QH15"), ("105", "NĐ-CP")} <= refs
