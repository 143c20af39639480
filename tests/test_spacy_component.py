"""spaCy component on the seed documents: spans aligned to tokens and equal to the Document's values."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))
pytestmark = pytest.mark.skipif(not SEEDS, reason="seeds not present")


def _collapse(s: str) -> str:
    return " ".join(s.replace("*", " ").split()).lower()


@pytest.fixture(scope="module")
def nlp():
    from vbextract.spacy_component import blank_vi

    pipeline = blank_vi()
    pipeline.add_pipe("vbextract")
    return pipeline


@pytest.fixture(scope="module")
def docs(nlp):
    return [nlp(p.read_text(encoding="utf-8")) for p in SEEDS]


def test_entry_point_resolves_in_a_fresh_interpreter():
    """The factory is found by name without importing vbextract first (entry point)."""
    code = (
        "import spacy; nlp = spacy.blank('vi', config={'nlp': {'tokenizer': {'@tokenizers': 'spacy.Tokenizer.v1'}}});"
        "p = nlp.add_pipe('vbextract'); print(type(p).__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "vbextract.spacy_component"


def test_extension_holds_the_document(docs):
    from vbextract import Document

    for doc in docs:
        assert isinstance(doc._.vbextract, Document)
        assert doc._.vbextract.text == doc.text or doc._.vbextract.source.offset_map


def test_header_spans_equal_document_values(docs):
    checked = 0
    for doc in docs:
        h = doc._.vbextract.header
        by_label = {}
        for span in doc.spans["vbextract"]:
            by_label.setdefault(span.label_, []).append(span)
        for label, value in (("ISSUER", h.issuer), ("SUBJECT", h.subject), ("PLACE", h.place)):
            if value and not (label == "ISSUER" and h.issuer_inferred):
                assert label in by_label, (label, value)
                assert any(_collapse(s.text) == _collapse(value) for s in by_label[label]), (label, value)
                checked += 1
        if h.number and h.symbol:
            assert _collapse(by_label["NUMBER"][0].text) == _collapse(f"{h.number}/{h.symbol}")
            checked += 1
    assert checked >= 8


def test_signature_units_and_deadlines(docs):
    labels_seen: set[str] = set()
    for doc in docs:
        d = doc._.vbextract
        spans = doc.spans["vbextract"]
        labels_seen |= {s.label_ for s in spans}
        if d.signature and d.signature.signer:
            signers = [s for s in spans if s.label_ == "SIGNER"]
            assert [_collapse(s.text) for s in signers] == [_collapse(d.signature.signer)]
        deadlines = [s for s in spans if s.label_ == "DEADLINE"]
        assert len(deadlines) == len({(x.span[0], x.span[1]) for x in d.deadlines})
        for span, deadline in zip(deadlines, sorted(d.deadlines, key=lambda x: x.span)):
            assert _collapse(deadline.text) in _collapse(span.text)
        for task in d.tasks:
            for unit in task.lead_units:
                assert any(s.label_ == "LEAD_UNIT" and _collapse(s.text) == _collapse(unit) for s in spans), unit
    assert {"ISSUER", "SUBJECT", "DATE", "CITATION", "LEGAL_BASIS", "LEAD_UNIT", "SUPPORT_UNIT",
            "DEADLINE", "SIGNER", "POSITION", "RECIPIENT"} <= labels_seen


def test_spans_are_token_aligned(docs):
    for doc in docs:
        for span in doc.spans["vbextract"]:
            assert span.start_char == doc[span.start].idx
            assert span.end_char == doc[span.end - 1].idx + len(doc[span.end - 1])
