"""Document kind: a formal issued document, or an article (news/web text) that reports on one."""

from __future__ import annotations

from ..doc import Doc


def classify_kind(doc: Doc) -> None:
    h = doc.header
    formal_signals = sum(
        [
            h.national_motto,
            h.symbol is not None,
            h.date is not None,
            doc.signature is not None and doc.signature.position is not None,
            bool(doc.distribution),
            bool(doc.recipients),
        ]
    )
    if formal_signals >= 2 or (formal_signals == 1 and (h.symbol or h.national_motto)):
        doc.kind = "formal"
    elif len(doc.text) > 400:
        doc.kind = "article"
        if h.issuer or h.subject or h.doc_type:
            # an article has no header of its own: drop what the header pass guessed
            doc.header = type(h)()
            doc.warnings = [w for w in doc.warnings if not w.startswith("the header prints no issuer")]
    else:
        doc.kind = "unknown"
