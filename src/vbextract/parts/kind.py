"""Document kind: a formal issued document, or an article (news/web text) that reports on one.

Whatever the kind, the warnings say what could not be read: a formal document whose header lacks
its number, date, type or trích yếu, or a saved web page / Markdown page in which no document
header was found at all (the page holds only the site's chrome, a translation, or a text about a
document).
"""

from __future__ import annotations

from ..doc import Doc

_PAGE_FORMATS = {"html", "md"}


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
        _warn_missing(doc)
    elif len(doc.text) > 400:
        doc.kind = "article"
        if h.issuer or h.subject or h.doc_type:
            # an article has no header of its own: drop what the header pass guessed
            doc.header = type(h)()
        doc.warnings = [w for w in doc.warnings if not w.startswith("the header prints no issuer")]
        doc.notices = [n for n in doc.notices if n.message in doc.warnings]
        if doc.source.format in _PAGE_FORMATS:
            doc.warn("no document header was found in the page (no Quốc hiệu, Số/ký hiệu or issuer lines): "
                     "it holds only the site's pages around a document, a translation, or a text about a "
                     "document, so it was read as an article", "header.not_found")
    else:
        doc.kind = "unknown"
        if doc.source.format in _PAGE_FORMATS:
            doc.warn("no document header was found in the page: the text is too short to be a document", "header.not_found")


def _warn_missing(doc: Doc) -> None:
    h = doc.header
    if h.symbol is None and h.number is None:
        doc.warn("the header prints no number and symbol (no 'Số: …/…' line was found)", "header.missing_number")
    if h.date is None:
        doc.warn("the header prints no date of issue ('…, ngày … tháng … năm …' was not found)", "header.missing_date")
    if h.doc_type is None:
        doc.warn("the document type could not be read (no type title, V/v line or type code in the symbol)", "header.missing_type")
    if h.subject is None and h.doc_type is not None:
        doc.warn("the header prints no trích yếu (no line under the type title and no V/v line)", "header.missing_subject")
