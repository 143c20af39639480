"""One document, one answer: the same content as .txt, .docx and .pdf parses to the same JSON."""

from __future__ import annotations

import pytest

import vbextract
from vbextract.readers import read_bytes

from . import fixtures_gen as fg


@pytest.fixture(scope="module")
def inputs() -> dict[str, bytes]:
    return {"txt": fg.make_txt().encode("utf-8"), "docx": fg.make_docx(), "pdf": fg.make_pdf()}


def _lines(text: str) -> list[str]:
    return [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_reader_text_matches_txt_reading_order(inputs, fmt):
    expected = fg.reading_order_lines()
    got = _lines(read_bytes(inputs[fmt], f"doc.{fmt}").text)
    assert got == expected


def test_pdf_layout_boxes_carry_pages_and_boxes(inputs):
    res = read_bytes(inputs["pdf"], "doc.pdf")
    assert res.source.pages == 1 and res.source.text_layer == "good"
    start = res.text.index("Số: 125/KH-UBND")
    box = next(b for b in res.layout if b.start <= start < b.end)
    assert box.page == 1 and box.bbox is not None
    assert box.bbox[0] < 300  # the left header column


def _comparable(doc) -> dict:
    d = doc.model_dump(mode="json")
    header = {k: v for k, v in d["header"].items() if k not in ("span", "page", "bbox")}
    sig = d["signature"] and {k: v for k, v in d["signature"].items() if k not in ("span", "page", "bbox")}
    return {
        "header": header,
        "recipients": d["recipients"],
        "citations": sorted(c["ref"] for c in d["citations"]),
        "tasks": [(t["id"], t["lead_units"], t["support_units"]) for t in d["tasks"]],
        "signature": sig,
        "distribution": d["distribution"],
    }


def test_one_document_one_answer(inputs):
    docs = {fmt: vbextract.parse(data, name=f"doc.{fmt}") for fmt, data in inputs.items()}
    base = _comparable(docs["txt"])
    for fmt in ("docx", "pdf"):
        assert _comparable(docs[fmt]) == base, fmt
    assert docs["pdf"].source.format == "pdf" and docs["docx"].source.format == "docx"


def test_pdf_header_and_signature_pages(inputs):
    doc = vbextract.parse(inputs["pdf"], name="doc.pdf")
    if doc.header.span is None or doc.signature is None:
        pytest.skip("the core parser does not report header and signature yet")
    assert doc.header.page == 1
    assert doc.signature.page == 1


def test_html_table_header_left_cell_first():
    left, right = fg.HEADER_LEFT, fg.HEADER_RIGHT
    cells = ["".join(f"<p>{x}</p>" for x in col) for col in (left, right)]
    html = (f"<html><head><meta charset='utf-8'></head><body><table><tr><td>{cells[0]}</td>"
            f"<td>{cells[1]}</td></tr></table><p>Kính gửi: Sở A</p><ol><li>Một</li><li>Hai</li></ol>"
            "</body></html>")
    res = read_bytes(html.encode("utf-8"), "a.html")
    assert _lines(res.text) == left + right + ["Kính gửi: Sở A", "1. Một", "2. Hai"]


def test_html_windows_1258_charset():
    import unicodedata

    def cp1258(text: str) -> bytes:
        # windows-1258 has the vowels with circumflex/breve/horn but writes tones as combining marks
        out = b""
        for ch in text:
            try:
                out += ch.encode("cp1258")
            except UnicodeEncodeError:
                parts = unicodedata.normalize("NFD", ch)
                tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
                base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
                out += base.encode("cp1258") + tones.encode("cp1258")
        return out

    body = cp1258("Hà Nội, ngày 5 tháng 6 năm 2026")
    html = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head><body><p>'
    res = read_bytes(html + body + b"</p></body></html>", "a.htm")
    assert unicodedata.normalize("NFC", res.text) == "Hà Nội, ngày 5 tháng 6 năm 2026"
    assert res.source.encoding == "windows-1258"


def test_docx_numbering_labels():
    import io

    import docx

    d = docx.Document()
    d.add_paragraph("Mở đầu")
    for item in ("Việc thứ nhất", "Việc thứ hai", "Việc thứ ba"):
        d.add_paragraph(item, style="List Number")
    d.add_paragraph("Ý kiến", style="List Bullet")
    buf = io.BytesIO()
    d.save(buf)
    lines = _lines(read_bytes(buf.getvalue(), "n.docx").text)
    assert lines == ["Mở đầu", "1. Việc thứ nhất", "2. Việc thứ hai", "3. Việc thứ ba", "- Ý kiến"]


def test_docx_vertically_merged_cell_read_once():
    import io

    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=5)
    for cell, v in zip(t.rows[0].cells, fg.TASK_HEADER):
        cell.text = v
    t.cell(1, 0).text, t.cell(1, 1).text, t.cell(1, 2).text = "1", "Việc A", "Sở Y tế"
    t.cell(2, 0).text, t.cell(2, 1).text = "2", "Việc B"
    merged = t.cell(1, 2).merge(t.cell(2, 2))
    merged.text = "Sở Y tế"
    buf = io.BytesIO()
    d.save(buf)
    res = read_bytes(buf.getvalue(), "m.docx")
    text = res.text
    assert text.count("Sở Y tế") == 1
    assert "Việc A\nSở Y tế\n2\nViệc B" in text  # only what the table printed, cell by cell
    (table,) = res.blocks
    cells = [[text[c.start : c.end] for c in row.cells] for row in table.rows]
    assert cells[0] == fg.TASK_HEADER
    assert cells[1][:3] == ["1", "Việc A", "Sở Y tế"] and cells[2][:2] == ["2", "Việc B"]
