"""Appendices: forms or annexes attached after the signature ("MẪU BÁO CÁO", "PHỤ LỤC").

An appendix that is itself a form with a header gets that header parsed, so its blank "Số:" and
"TM. …" lines never leak into the document's own header or signature.
"""

from __future__ import annotations

from ..doc import Doc
from ..document import Appendix
from ..normalize import clean_value


def extract_appendices(doc: Doc) -> None:
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
    doc.appendices.append(Appendix(title=title, span=(start, end), header=_form_header(doc, start, end)))


def _form_header(doc: Doc, start: int, end: int):
    """Parse the appendix on its own; return its header when it looks like a form with one."""
    from ..pipeline import parse_text

    sub = parse_text(doc.text[start:end], use_ml=False)
    h = sub.header
    if h.symbol or h.national_motto or h.doc_type:
        return h.model_copy(update={"span": None, "page": None, "bbox": None})
    return None
