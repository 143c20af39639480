"""spaCy integration: ``nlp.add_pipe("vbextract")`` parses ``doc.text`` with vbextract.

The component sets ``doc._.vbextract`` to the :class:`~vbextract.document.Document` and fills
``doc.spans["vbextract"]`` with labelled spans (ISSUER, NUMBER, DATE, SUBJECT, RECIPIENT, CITATION,
LEGAL_BASIS, LEAD_UNIT, SUPPORT_UNIT, DEADLINE, SIGNER, POSITION, …) snapped outward to spaCy
tokens. The factory is registered through the ``spacy_factories`` entry point, so a blank
pipeline finds it after ``pip install vbextract[spacy]`` without importing vbextract first::

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}})
    nlp.add_pipe("vbextract")

(The default ``vi`` tokenizer needs pyvi; the rule-based tokenizer above does not.)

Values whose offsets the Document does not carry (header fields, recipients, units) are
located in the text: first inside the part they were read from (header, task, signature), then
anywhere, matching words separated by any whitespace or markup, as the Document collapses both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import regex

try:
    from spacy.language import Language
    from spacy.tokens import Doc, Span
except ModuleNotFoundError as exc:  # spaCy is an extra, not a dependency of the parser
    raise ModuleNotFoundError("the spaCy component and the HTML report need spaCy; install it with: "
                              "pip install 'vbextract[spacy]'", name=exc.name) from None

from .document import Document
from .grammars import REGISTRY

SPANS_KEY = "vbextract"
BLANK_VI_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}}

# Between two words of a value the text may hold any whitespace, markdown emphasis or a list bullet.
_GAP = r"[\s*_#>|]+"


def blank_vi() -> Language:
    """A blank Vietnamese pipeline with the rule-based tokenizer (no pyvi needed)."""
    import spacy

    return spacy.blank("vi", config=BLANK_VI_CONFIG)


def find_value(text: str, value: str | None, within: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Character offsets of ``value`` in ``text``: inside ``within`` when it is found there."""
    if not value or not value.strip():
        return None
    pattern = regex.compile(_GAP.join(regex.escape(w) for w in value.split()), regex.IGNORECASE)
    if within:
        m = pattern.search(text, within[0], within[1])
        if m:
            return m.span()
    m = pattern.search(text)
    return m.span() if m else None


def labelled_offsets(document: Document) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) for every value of ``document`` that can be placed in its text."""
    text = document.text
    yield from _header_offsets(document)
    for recipient in document.recipients:
        yield from _placed("RECIPIENT", text, recipient)
    for basis in document.legal_bases:
        yield ("LEGAL_BASIS", *basis.span)
    for citation in document.citations:
        for start, end in citation.mentions or [citation.span]:
            yield ("CITATION", start, end)
    for task in document.tasks:
        yield ("TASK", *task.span)
        for unit in task.lead_units:
            yield from _placed("LEAD_UNIT", text, unit, task.span)
        for unit in task.support_units:
            yield from _placed("SUPPORT_UNIT", text, unit, task.span)
    for deadline in document.deadlines:
        yield ("DEADLINE", *deadline.span)
    yield from _signature_offsets(document)
    for item in document.distribution:
        yield from _placed("DISTRIBUTION", text, item, _tail(document))


def _header_offsets(document: Document) -> Iterator[tuple[str, int, int]]:
    h, text = document.header, document.text
    region = h.span
    yield from _placed("ISSUER_PARENT", text, h.issuer_parent, region)
    yield from _placed("ISSUER", text, h.issuer, region if not h.issuer_inferred else None)
    number = "/".join(x for x in (h.number, str(h.year) if h.year else None, h.symbol) if x)
    yield from _placed("NUMBER", text, number, region)
    yield from _placed("PLACE", text, h.place, region)
    yield from _date_offsets(text, region)
    yield from _placed("SUBJECT", text, h.subject, region)
    yield from _placed("URGENCY", text, h.urgency, region)


def _date_offsets(text: str, region: tuple[int, int] | None) -> Iterator[tuple[str, int, int]]:
    """The printed date line "ngày 06 tháng 4 năm 2021" (the ISO value is not in the text)."""
    if not region:
        return
    m = REGISTRY["date_line"].search(text, region[0], region[1])  # grammars/date.yaml
    if m:
        yield ("DATE", m.start(), m.end())


def _signature_offsets(document: Document) -> Iterator[tuple[str, int, int]]:
    sig, text = document.signature, document.text
    if sig is None:
        return
    for line in sig.chain:
        yield from _placed("AUTHORITY", text, line, sig.span)
    yield from _placed("POSITION", text, sig.position, sig.span)
    yield from _placed("SIGNER", text, sig.signer, sig.span)


def _tail(document: Document) -> tuple[int, int] | None:
    """Where the "Nơi nhận" block is: after the signature starts, or the last third of the text."""
    n = len(document.text)
    if document.signature and document.signature.span:
        return (max(0, document.signature.span[0] - 2000), n)
    return (n * 2 // 3, n)


def _placed(label: str, text: str, value: str | None, within=None) -> Iterator[tuple[str, int, int]]:
    where = find_value(text, value, within)
    if where:
        yield (label, *where)


def spans_for(doc: Doc, document: Document) -> list[Span]:
    """spaCy spans for the values of ``document``, token-aligned, de-duplicated, in text order."""
    seen: set[tuple[str, int, int]] = set()
    out: list[Span] = []
    for label, start, end in sorted(labelled_offsets(document), key=lambda x: (x[1], x[2], x[0])):
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None or (label, span.start, span.end) in seen:
            continue
        seen.add((label, span.start, span.end))
        out.append(span)
    return out


class VbextractComponent:
    """Runs :func:`vbextract.parse_text` on each doc and exposes the result as spans."""

    def __init__(self, nlp: Language, name: str, use_ml: bool, spans_key: str) -> None:
        self.name = name
        self.use_ml = use_ml
        self.spans_key = spans_key
        if not Doc.has_extension("vbextract"):
            Doc.set_extension("vbextract", default=None)

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import parse_text

        document = parse_text(doc.text, use_ml=self.use_ml)
        if document.text != doc.text:
            # Spans point into the Document's normalized text; place them in what spaCy tokenized.
            document = _rebased(document, doc.text)
        doc._.vbextract = document
        doc.spans[self.spans_key] = spans_for(doc, document)
        return doc


def _rebased(document: Document, raw: str) -> Document:
    """A copy whose spans point into ``raw`` through ``source.offset_map`` (normalization moves text)."""
    anchors = document.source.offset_map
    if not anchors:
        return document
    import bisect

    keys = [a for a, _ in anchors]

    def move(p: int) -> int:
        i = max(0, bisect.bisect_right(keys, p) - 1)
        a, b = anchors[i]
        return min(len(raw), b + (p - a))

    data: Any = document.model_dump()
    _move_spans(data, move)
    data["text"] = raw
    return Document.model_validate(data)


def _move_spans(node: Any, move) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "span" and isinstance(value, (list, tuple)) and len(value) == 2:
                node[key] = (move(value[0]), move(value[1]))
            elif key == "mentions" and isinstance(value, list):
                node[key] = [(move(s), move(e)) for s, e in value]
            elif key != "offset_map":
                _move_spans(value, move)
    elif isinstance(node, list):
        for item in node:
            _move_spans(item, move)


@Language.factory(
    "vbextract",
    default_config={"use_ml": False, "spans_key": SPANS_KEY},
    requires=[],
    assigns=["doc._.vbextract", "doc.spans"],
)
def make_vbextract(nlp: Language, name: str, use_ml: bool, spans_key: str) -> VbextractComponent:
    return VbextractComponent(nlp, name, use_ml, spans_key)
