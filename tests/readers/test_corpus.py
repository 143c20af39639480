"""Every file of ../shared/corpus ends in a Document or a specific InputError; no crash, no hang.

Reads the shared corpus at test time (never copied into the repository). OCR is limited to the
first page of each scan by default to keep CI time reasonable; set VBEXTRACT_CORPUS_OCR_PAGES to
OCR more pages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import vbextract
from vbextract import ocr
from vbextract.errors import InputError

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
ROWS = ([json.loads(x) for x in (CORPUS / "MANIFEST.jsonl").read_text("utf-8").splitlines()]
        if (CORPUS / "MANIFEST.jsonl").exists() else [])
PDF_PROBLEM_CLASSES = {"garbled-text-layer": "garbled", "wrong-ocr-layer": "wrong-ocr", "image-only": "none"}

pytestmark = [pytest.mark.corpus,
              pytest.mark.skipif(not ROWS, reason="shared corpus not available")]


@pytest.fixture(autouse=True)
def _ocr_first_pages(monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", int(os.environ.get("VBEXTRACT_CORPUS_OCR_PAGES", "1")))
    monkeypatch.setattr(ocr, "PAGE_TIMEOUT", 90.0)


@pytest.mark.timeout(240)
@pytest.mark.parametrize("row", ROWS, ids=[r["path"].rsplit("/", 1)[-1][:60] for r in ROWS])
def test_corpus_file(row):
    path = CORPUS / row["path"]
    try:
        doc = vbextract.parse(path)
    except InputError as exc:
        # only inputs that really cannot be read may fail, and with a specific message
        assert str(exc) and "Traceback" not in str(exc)
        assert row["format"] not in ("docx", "txt", "md", "jsonl"), f"{row['path']}: {exc}"
        return
    cls = row["class"]
    if cls in ("docx", "doc-unicode"):
        assert doc.source.legacy_conversion is None, "Unicode text must not be legacy-converted"
    if cls.startswith("legacy-"):
        assert doc.source.legacy_conversion == cls.removeprefix("legacy-")
    if cls == "signed":
        assert doc.source.signatures and doc.source.signatures[0].signing_time
    if cls in PDF_PROBLEM_CLASSES:
        # the problem is detected and reported, never a silent empty document
        assert any(PDF_PROBLEM_CLASSES[cls].replace("none", "no text layer").replace("-", " ")[:7] in w.replace("-", " ")
                   or "garbled" in w or "no text layer" in w or "without Vietnamese" in w for w in doc.warnings)
        assert doc.source.text_layer in ("ocr", PDF_PROBLEM_CLASSES[cls], "garbled", "wrong-ocr", "none")
    if row["format"] in ("pdf", "docx", "doc", "rtf"):
        assert doc.text.strip() or doc.warnings
