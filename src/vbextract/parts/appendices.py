"""Appendices: forms or annexes attached after the signature ("MẪU BÁO CÁO", "PHỤ LỤC").

An appendix that is itself a form with a header gets that header read, so its blank "Số:" and
"TM. …" lines never leak into the document's own header or signature. The form is read by the
header stages themselves, run on a working document built for the appendix's span (no nested
pipeline): a position ``p`` in that view is ``start + p`` in the parent's text.
"""

from __future__ import annotations

from collections.abc import Callable

from ..doc import WorkDoc
from ..document import Appendix, Header
from ..limits import LimitExceeded
from ..marks import mark_lines
from ..normalize import clean_value
from . import distribution, header, kind, recipients, signature, zones

# What decides whether a form has a header of its own: the header, and the kind classification,
# which reads the signature, Nơi nhận and Kính gửi and drops a header that an article could not have.
_FORM_STAGES: list[Callable[[WorkDoc], None]] = [
    mark_lines,
    zones.segment,
    header.extract_header,
    signature.extract_signature,
    distribution.extract_distribution,
    recipients.extract_recipients,
    kind.classify_kind,
]


def extract_appendices(doc: WorkDoc) -> None:
    if not doc.zones.appendix:
        return
    start, end = doc.zones.appendix
    title = None
    for ln in doc.lines_in(start, end):
        if any(c.isalpha() for c in ln.stripped):  # not a table bar or a rule
            title = clean_value(ln.stripped)
            break
    if not title:
        return
    doc.appendices.append(Appendix(title=title, span=(start, end), header=form_header(doc, start, end)))


def view(doc: WorkDoc, start: int, end: int) -> WorkDoc:
    """A working document for ``doc.text[start:end]`` (already normalized), rules only."""
    return WorkDoc(text=doc.text[start:end], use_ml=False)


def form_header(doc: WorkDoc, start: int, end: int) -> Header | None:
    """The header of the form printed in ``[start, end)``, when it looks like a form with one.

    The returned header carries no span, page or box: the contract's ``Appendix.header`` has
    always been given without them (the appendix's own ``span`` locates it).
    """
    sub = view(doc, start, end)
    if not sub.text.strip():
        return None
    for stage in _FORM_STAGES:
        try:
            stage(sub)
        except (MemoryError, LimitExceeded):
            raise
        except Exception:  # odd text in a form must not lose the appendix (as pipeline._run_stage)
            continue
    h = sub.header
    if h.symbol or h.national_motto or h.doc_type:
        return h.model_copy(update={"span": None, "page": None, "bbox": None})
    return None
