"""Document kind: a formal issued document, or an article (news/web text) that reports on one.

Whatever the kind, the warnings say what could not be read: a formal document whose header lacks
its number, date, type or trích yếu, or a saved web page / Markdown page in which no document
header was found at all (the page holds only the site's chrome, a translation, or a text about a
document).
"""

from __future__ import annotations

from ..dates import iso_date, parse_any
from ..doc import WorkDoc
from ..document import Signature
from ..grammars.types import canonical_type

_PAGE_FORMATS = {"html", "md"}


def classify_kind(doc: WorkDoc) -> None:
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
    elif _header_from_site(doc):
        doc.kind = "formal"  # a portal page that holds only the site's box: the document it describes
        doc.warn("the page holds no document text, only the site's attribute box: the header (and signer) "
                 "come from it (provenance 'site-metadata')", "header.from_site_metadata")
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


def _warn_missing(doc: WorkDoc) -> None:
    h = doc.header
    if h.symbol is None and h.number is None:
        doc.warn("the header prints no number and symbol (no 'Số: …/…' line was found)", "header.missing_number")
    if h.date is None:
        doc.warn("the header prints no date of issue ('…, ngày … tháng … năm …' was not found)", "header.missing_date")
    if h.doc_type is None:
        doc.warn("the document type could not be read (no type title, V/v line or type code in the symbol)", "header.missing_type")
    if h.subject is None and h.doc_type is not None:
        doc.warn("the header prints no trích yếu (no line under the type title and no V/v line)", "header.missing_subject")


def _header_from_site(doc: WorkDoc) -> bool:
    """Fill the header of a saved portal page that printed no document header from the site's own
    attribute box (vbpl.vn: "Số hiệu", "Loại văn bản", "Ngày ban hành", "Cơ quan ban hành", "Người
    ký"), each value marked ``site-metadata``; only when the box names a type and a number."""
    meta = doc.source.site_metadata
    number_symbol = " ".join(meta.get("Số hiệu", "").split()).replace(" /", "/").replace("/ ", "/")
    doc_type = canonical_type(meta.get("Loại văn bản", "")) or meta.get("Loại văn bản")
    if not number_symbol or "/" not in number_symbol or not doc_type:
        return False
    h = doc.header
    number, _, symbol = number_symbol.partition("/")
    year, _, rest = symbol.partition("/")
    if year.isdigit() and len(year) == 4 and rest:
        h.year, symbol = int(year), rest
    h.number, h.symbol, h.doc_type = number.strip() or None, symbol.strip() or None, doc_type
    filled = ["number", "symbol", "doc_type"] + (["year"] if h.year else [])
    d, mo, y = parse_any(meta.get("Ngày ban hành") or meta.get("Ngày ký xác thực") or "")
    if d and mo and y and (iso := iso_date(y, mo, d)):
        h.date = iso
        filled.append("date")
    if meta.get("Cơ quan ban hành"):
        h.issuer = meta["Cơ quan ban hành"]
        filled.append("issuer")
    if meta.get("Trích yếu"):
        h.subject = meta["Trích yếu"]
        filled.append("subject")
    h.provenance.update(dict.fromkeys(filled, "site-metadata"))
    if meta.get("Người ký") and doc.signature is None:
        position = (meta.get("Chức danh") or "").rstrip(" .") or None
        doc.signature = Signature(position=position, signer=meta["Người ký"],
                                  provenance={"signer": "site-metadata", "position": "site-metadata"})
    return True
