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
