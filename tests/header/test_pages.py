"""Class 9 of issue 10: every saved web page and Markdown page of ../shared/corpus either yields a
header with an issuer, a type and a number, or says in a warning why not.

Reads the shared corpus at run time (MANIFEST.jsonl classes ``web-page`` and ``markdown-page``);
nothing of it is stored here. Skips when the corpus is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import vbextract

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.jsonl"
ROWS = ([r for r in map(json.loads, MANIFEST.read_text("utf-8").splitlines())
         if r.get("class") in {"web-page", "markdown-page"}] if MANIFEST.exists() else [])

pytestmark = pytest.mark.skipif(not ROWS, reason="shared corpus not available")

# What a warning must name when the part is missing; "no document header" covers all three.
_SAYS = {
    "issuer": ("issuer",),
    "type": ("type",),
    "number": ("number",),
}


def _missing(doc) -> list[str]:
    h = doc.header
    out = []
    if not h.issuer:
        out.append("issuer")
    if not h.doc_type:
        out.append("type")
    if not h.number and not (h.symbol and h.is_draft):  # a blank number is a draft, and flagged so
        out.append("number")
    return out


@pytest.mark.parametrize("row", ROWS or [None], ids=[r["path"].rsplit("/", 1)[-1] for r in ROWS] or ["none"])
def test_page_has_a_header_or_says_why_not(row):
    path = CORPUS / row["path"]
    if not path.is_file():
        pytest.skip(f"{row['path']} absent")
    doc = vbextract.parse(path, use_ml=False)
    text = " ".join(doc.warnings).lower()
    if "no document header was found" in text:
        assert doc.kind != "formal"
        return
    for part in _missing(doc):
        assert any(word in text for word in _SAYS[part]), (
            f"{row['path']}: no {part} and no warning saying so (warnings: {doc.warnings})")
    if doc.header.issuer_inferred:
        assert "issuer" in text
