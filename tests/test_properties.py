"""Invariants: parse never raises on text, spans lie inside text, JSON round-trips."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vbextract import Document, parse_text

SEED_TEXT = (Path(__file__).resolve().parent / "seeds" / "002_65f01fc30d0adf68.txt").read_text(encoding="utf-8")
VOCAB = ["Số:", "/", "KH-UBND", "ngày", "tháng", "năm", "2024", "Kính gửi:", "Nơi nhận:", "- ", "KT.",
         "CHỦ TỊCH", "\n", "1.", "a)", "I.", "Căn cứ", "Quyết định số 23/QĐ-TTg", "trước ngày 10/5",
         "Đơn vị chủ trì:", "Giao", "Sở Y tế", "phối hợp với", "**", "|", "Quý IV", "Thời gian thực hiện:",
         "TM.", "Nguyễn Văn A", "Một là,", "V/v", " ", ";", ":", "(", ")", "\u00a0", "\u0301"]


def _spans(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("span",) and v is not None:
                yield tuple(v)
            elif k == "mentions":
                yield from (tuple(x) for x in v)
            else:
                yield from _spans(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _spans(v)


def _check(doc: Document) -> None:
    n = len(doc.text)
    data = doc.model_dump(mode="json")
    for a, b in _spans({k: v for k, v in data.items() if k != "source"}):
        assert 0 <= a <= b <= n
    assert Document.model_validate_json(doc.model_dump_json()) == doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCAB), max_size=60).map("".join))
def test_parse_never_raises_on_document_like_text(text):
    _check(parse_text(text, use_ml=False))


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_parse_never_raises_on_arbitrary_text(text):
    _check(parse_text(text, use_ml=False))


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(SEED_TEXT)), st.integers(min_value=0, max_value=400))
def test_parse_survives_cut_documents(start, length):
    _check(parse_text(SEED_TEXT[start : start + length * 20], use_ml=False))


def test_value_spans_point_at_their_values():
    doc = parse_text(SEED_TEXT, use_ml=False)
    for c in doc.citations:
        a, b = c.mentions[0]
        printed = doc.text[a:b]
        assert (" ".join(printed.split()) if c.unnumbered else printed.replace(" ", "")) == c.ref
    for d in doc.deadlines:
        a, b = d.span
        assert " ".join(doc.text[a:b].split()) == d.text
