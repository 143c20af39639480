"""The header: issuer (and the body above it), Quốc hiệu, số/ký hiệu, place and date, type, trích yếu.

The header lines arrive in either column order (whole left cell first, or interleaved L1 R1 L2
R2), so every field is found by its own pattern inside the header zone rather than by position.
"""

from __future__ import annotations

import regex

from ..dates import iso_date
from ..doc import Doc
from ..document import Header
from ..grammars.blocks import PARTY_F, PLACE_DATE, QUOC_HIEU_F, SO_LINE, TIEU_NGU_F, VV_LINE
from ..grammars.types import canonical_type, type_from_symbol
from ..normalize import clean_value, fold
from .units import ISSUER_HEAD_F, infer_issuer

_URGENCY = {"khẩn": "Khẩn", "thượng khẩn": "Thượng khẩn", "hỏa tốc": "Hỏa tốc"}
_SECRECY = {"mật": "Mật", "tối mật": "Tối mật", "tuyệt mật": "Tuyệt mật"}
_NOT_ISSUER_F = regex.compile(
    r"^(?:cộng\s*hòa|độc\s*lập|đảng\s+cộng\s+sản|số\b|v/v|dự\s+thảo|khẩn|thượng\s+khẩn|hỏa\s+tốc|"
    r"mật|tối\s+mật|tuyệt\s+mật|[*\-–_.…=]+$|kính\s+gửi)"
)


def extract_header(doc: Doc) -> None:
    h = Header()
    zone = doc.zones.header or (0, 0)
    start, end = zone
    text, folded = doc.text[start:end], doc.folded[start:end]
    h.party_header = bool(PARTY_F.search(folded))
    h.national_motto = bool(QUOC_HIEU_F.search(folded) or TIEU_NGU_F.search(folded) or h.party_header)
    _read_number(h, text)
    _read_place_date(h, text)
    title_idx = _read_title_and_subject(doc, h, start, end)
    _read_issuer(doc, h, start, end, title_idx)
    _read_flags(doc, h, start, end)
    h.doc_type = _doc_type(doc, h)
    if zone[1] > zone[0]:
        h.span = zone
        h.page = doc.page_at(start)
        h.bbox = doc.bbox_of(start, end)
    doc.header = h
    if h.date is not None and h.date_source is None:
        h.date_source = "header"
    _fill_date_from_signature(doc)


def _read_number(h: Header, text: str) -> None:
    m = SO_LINE.search(text)
    if not m:
        return
    if m["ptype"]:  # Party: "Số 28-CT/TW"
        h.number = m["pnum"]
        h.symbol = f"{m['ptype']}/{m['porg']}"
        return
    h.number = m["num"] or None
    h.year = int(m["year"]) if m["year"] else None
    h.symbol = regex.sub(r"\s+", "", m["sym"]).replace("–", "-")


def _read_place_date(h: Header, text: str) -> None:
    m = PLACE_DATE.search(text)
    if not m:
        return
    place = _clean_place(m["place"])
    h.place = place
    d = int(m["d"]) if m["d"] else None
    mo = int(m["m"]) if m["m"] else None
    h.date = iso_date(int(m["y"]), mo, d if mo else None)


def _clean_place(place: str | None) -> str | None:
    if not place or not regex.search(r"\p{L}", place):
        return None
    words = place.split()
    # Interleaved columns can glue the end of the symbol line to the place ("KGVX Kiên Giang").
    while len(words) > 1 and words[0].isupper() and not words[1].isupper():
        words = words[1:]
    return clean_value(" ".join(words))


def _read_title_and_subject(doc: Doc, h: Header, start: int, end: int) -> int | None:
    """Type title line ("KẾ HOẠCH") and the trích yếu under it, or the V/v block."""
    lines = doc.lines_in(start, end)
    for i, ln in enumerate(lines):
        s = ln.stripped
        if s and s.upper() == s and canonical_type(s):
            subject_lines: list[str] = []
            for nxt in lines[i + 1 :]:
                t = nxt.stripped
                if not t:
                    if subject_lines:
                        break
                    continue
                if _is_header_furniture(doc.folded[nxt.start : nxt.end].strip()) or (
                    t.upper() == t and subject_lines
                ):
                    break
                subject_lines.append(t)
            if subject_lines:
                h.subject = clean_value(" ".join(subject_lines))
            doc.header_title = canonical_type(s)
            return doc.line_index_at(ln.start)
    text = doc.text[start:end]
    m = VV_LINE.search(text)
    if m:
        parts = [m["subj"]]
        after = start + m.end()
        for nxt in doc.lines_in(after + 1, end):
            t = nxt.stripped
            f = doc.folded[nxt.start : nxt.end].strip()
            if not t or _is_header_furniture(f) or t.upper() == t:
                break
            parts.append(t)
        h.subject = clean_value(" ".join(parts))
        doc.header_vv = True
    return None


def _is_header_furniture(f: str) -> bool:
    return bool(
        _NOT_ISSUER_F.match(f) or ", ngày" in f or f.startswith(("kính gửi", "căn cứ"))
    )


def _read_issuer(doc: Doc, h: Header, start: int, end: int, title_idx: int | None) -> None:
    """Issuer lines: capitals in the header zone that are not the motto, number, date or title."""
    names: list[str] = []
    for ln in doc.lines_in(start, end):
        if title_idx is not None and doc.line_index_at(ln.start) >= title_idx:
            break
        s = ln.stripped
        f = doc.folded[ln.start : ln.end].strip()
        if not s or s.upper() != s or not regex.search(r"\p{L}", s):
            continue
        if _NOT_ISSUER_F.match(f) or ", ngày" in f or canonical_type(s):
            continue
        names.append(" ".join(s.split()))
    if names:
        parent, issuer = _split_authority(names)
        h.issuer, h.issuer_parent = clean_value(issuer), clean_value(parent)
        return
    inferred = infer_issuer(doc)
    if inferred:
        h.issuer, h.issuer_inferred = inferred, True
        doc.warn(f"the header prints no issuer; '{inferred}' was inferred from the text")


def _split_authority(names: list[str]) -> tuple[str | None, str]:
    """Two lines of authority: the governing body above the issuer ("UBND TỈNH X" / "SỞ Y").

    A line that opens a new body (SỞ, PHÒNG, BAN, CỤC …) after a complete body splits the two;
    a line that only continues a name ("HUYỆN TÂN YÊN" under "ỦY BAN NHÂN DÂN") does not.
    """
    split_at = None
    for k in range(1, len(names)):
        if ISSUER_HEAD_F.match(fold(names[k])) and _is_complete_body(names[:k]):
            split_at = k
    if split_at is None:
        return None, " ".join(names)
    return " ".join(names[:split_at]), " ".join(names[split_at:])


def _is_complete_body(lines: list[str]) -> bool:
    joined = fold(" ".join(lines))
    # "ỦY BAN NHÂN DÂN" alone is not complete: the level and place follow on the next line.
    return bool(ISSUER_HEAD_F.match(joined)) and joined not in {"ủy ban nhân dân", "ubnd", "hội đồng nhân dân"}


def _read_flags(doc: Doc, h: Header, start: int, end: int) -> None:
    for ln in doc.lines_in(start, end):
        f = " ".join(doc.folded[ln.start : ln.end].split())
        if f in _URGENCY:
            h.urgency = _URGENCY[f]
        if f in _SECRECY:
            h.secrecy = _SECRECY[f]
    head_f = doc.folded[: min(len(doc.folded), max(end, 1) + 400)]
    draft_mark = bool(regex.search(r"(?m)^\s*\(?dự\s+thảo\)?\s*(?:lần\s*\d+)?\s*$", head_f))
    blank_number = h.symbol is not None and h.number is None
    blank_day = h.date is not None and len(h.date) < 10
    h.is_draft = draft_mark or blank_number or blank_day


def _doc_type(doc: Doc, h: Header) -> str | None:
    """Title word first; then the symbol's type code; then "Công văn" for a V/v or a symbol
    without a type code (NĐ 30: công văn symbols are issuer-unit, e.g. UBND-KGVX)."""
    if doc.header_title:
        return doc.header_title
    from_symbol = type_from_symbol(h.symbol)
    if from_symbol:
        return from_symbol
    if doc.header_vv or h.symbol:
        return "Công văn"
    return None


def _fill_date_from_signature(doc: Doc) -> None:
    """Signed PDFs often carry the day only in the stamp: use the signing time, flagged."""
    h = doc.header
    sigs = [s for s in doc.source.signatures if s.signing_time]
    if not sigs:
        return
    signed = sigs[0].signing_time[:10]  # type: ignore[index]
    if h.date and len(h.date) == 10:
        return
    # Only fill a date the header prints partly ("ngày   tháng 7 năm 2026") and that agrees with
    # the signing time: on scans the stamp's time is when the copy was signed or published.
    if h.date is not None and signed.startswith(h.date):
        h.date = signed
        h.date_source = "signature"
        doc.warn(f"the date {signed} was taken from the digital signature (the text leaves it blank)")
