"""Every failure class ends in a Document with a plain warning or an InputError with a plain message."""

from __future__ import annotations

import shutil

import pytest

import vbextract
from vbextract import ocr
from vbextract.errors import InputError, MissingToolError
from vbextract.readers import read_bytes

from . import fixtures_gen as fg

HAVE_OCR = ocr.missing_tools() is None


def test_zero_byte_file():
    with pytest.raises(InputError, match="empty file"):
        vbextract.parse(b"", name="empty.pdf")


def test_truncated_pdf():
    data = fg.make_pdf()
    with pytest.raises(InputError, match="damaged or truncated"):
        read_bytes(data[: len(data) // 3], "cut.pdf")


def test_encrypted_pdf():
    with pytest.raises(InputError, match="encrypted"):
        read_bytes(fg.make_pdf(encrypt="secret"), "locked.pdf")


def test_docx_that_is_a_zip_of_junk():
    with pytest.raises(InputError, match="not a Word .docx"):
        read_bytes(fg.make_junk_docx(), "junk.docx")


def test_docx_that_is_not_a_zip():
    with pytest.raises(InputError):
        read_bytes(b"PK\x03\x04 this is not really a zip", "broken.docx")


def test_wrong_extension_is_read_by_content():
    res = read_bytes(fg.make_docx(), "actually-a-docx.pdf")
    assert res.source.format == "docx" and "Số: 125/KH-UBND" in res.text
    res = read_bytes(fg.make_pdf(), "actually-a-pdf.doc")
    assert res.source.format == "pdf" and "Số: 125/KH-UBND" in res.text


def test_text_named_doc_is_read_as_text():
    res = read_bytes(fg.make_txt().encode("utf-8"), "letter.doc")
    assert res.source.format == "txt"


def test_doc_without_any_converter(monkeypatch):
    from vbextract.readers import msword as doc_reader

    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError, match="antiword"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc")


@pytest.mark.skipif(shutil.which("antiword") is None, reason="antiword not installed")
def test_corrupt_doc_gives_specific_error():
    with pytest.raises(InputError, match="could not be read"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc")


def test_scanned_page_without_tesseract(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None if name == "tesseract" else real_which(name))
    doc = vbextract.parse(fg.make_scanned_pdf(), name="scan.pdf")
    assert doc.source.text_layer == "none"
    assert any("no text layer" in w for w in doc.warnings)
    assert any("OCR skipped" in w and "tesseract" in w for w in doc.warnings)


@pytest.mark.skipif(not HAVE_OCR, reason="tesseract with Vietnamese data or pdftoppm not installed")
def test_scanned_page_with_tesseract():
    res = read_bytes(fg.make_scanned_pdf(), "scan.pdf")
    assert res.source.text_layer == "ocr"
    assert "Độc lập" in res.text and "Kính gửi" in res.text
    assert any("read by OCR" in w for w in res.warnings)


def test_ocr_page_limit(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 0)
    res = read_bytes(fg.make_scanned_pdf(), "scan.pdf")
    assert any("OCR limited" in w or "OCR skipped" in w for w in res.warnings)


def test_unsupported_format_name():
    with pytest.raises(InputError, match="unsupported format"):
        read_bytes(b"abc", "x.bin", fmt="xls")
