"""The header: issuer (and the body above it), Quốc hiệu, số/ký hiệu, place and date, type, trích yếu.

The header lines arrive in either column order (whole left cell first, or interleaved L1 R1 L2
R2), so every field is found by its own pattern inside the header zone rather than by position.
The ``marks`` stage found them once (:func:`vbextract.marks._mark_head`: quốc hiệu, tiêu ngữ,
Party header, số line, place-date, V/v, type title on the first lines); this stage reads those
marks inside the header zone.
"""

from __future__ import annotations

import regex

from ..dates import iso_date
from ..doc import Mark, WorkDoc
from ..document import Header, Provenance
from ..grammars import REGISTRY, Pattern
from ..grammars.blocks import (
    ARABIC_LABEL,
    LEGAL_VERB_F,
    PLACE_DATE,
    ROMAN_LABEL,
    SO_LINE,
    VV_LINE,
)
from ..grammars.types import canonical_type, type_from_symbol
from ..marks import ensure_marks, title_of
from ..normalize import clean_value, fold
from .units import ISSUER_HEAD_F, infer_issuer

_URGENCY = {"khẩn": "Khẩn", "thượng khẩn": "Thượng khẩn", "hỏa tốc": "Hỏa tốc"}
# The header's language lives in grammars/header.yaml and grammars/issuer.yaml.
# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
_ARTICLE_START_F = REGISTRY["article_start"].rx
_OFFICE_HOLDER_F = REGISTRY["office_holder_start"].rx
_MINISTER_OF_F = REGISTRY["minister_of"].rx
_DRAFT_MARK_F = REGISTRY["draft_mark"].rx
_SECRECY = {"mật": "Mật", "tối mật": "Tối mật", "tuyệt mật": "Tuyệt mật"}
# Header lines that are not the issuer (nor a continuation of a V/v): the motto, the number line,
# a V/v, the stand-alone draft / urgency / secrecy marks ("DỰ THẢO", "KHẨN", "MẬT" — a line that
# only starts with the word, "dự thảo Danh mục …", "khẩn trương …", is text), rules, Kính gửi.
_NOT_ISSUER_F = REGISTRY["not_issuer"].rx
# Small helpers compiled once (a module-level regex call looks its pattern up in regex's cache on
# every call, which costs more than the match).
_CELL_GAP = regex.compile(r"\s{2,}")
_SENTENCE_BREAK = regex.compile(r"\.\s+\p{Lu}")


def extract_header(doc: WorkDoc) -> None:
    ensure_marks(doc)
    h = Header()
    zone = doc.zones.header or (0, 0)
    start, end = zone
    text = doc.text[start:end]
    head = _head_marks(doc, start, end)
    h.party_header = bool(head["party_header"])
    h.national_motto = bool(head["quoc_hieu"] or head["tieu_ngu"] or h.party_header)
    # A flattened two-column table prints "|" between (or around) its cells: the fields are read
    # as if the bars were spaces, so that "| Số: 25/2025/NĐ-CP | Hà Nội, ngày …" still parses.
    plain = text.replace("|", " ")
    so = _read_number(h, _first(head["so_line"], end, SO_LINE, plain, start), start)
    pd = _read_place_date(h, _first(head["place_date"], end, PLACE_DATE, plain, start), plain, start)
    masked = _mask(plain, start, head, so, pd)
    title_idx = _find_title(doc, start, end)
    _read_issuer(doc, h, start, end, title_idx, masked, so)
    _read_subject(doc, h, start, end, title_idx, _first(head["vv_line"], end, VV_LINE, text, start))
    _infer_missing_issuer(doc, h, title_idx)
    _read_flags(doc, h, start, end)
    h.doc_type = _doc_type(doc, h, bool(head["vv_mark"]))
    _mark_recovered(doc, h, start, so, pd)
    if zone[1] > zone[0]:
        h.span = zone
        h.page = doc.page_at(start)
        h.bbox = doc.bbox_of(start, end)
    doc.header = h
    if h.date is not None and h.date_source is None:
        h.date_source = "header"
    if h.date is None:
        _date_of_adoption(doc, h)
    _fill_date_from_signature(doc)


def _mark_recovered(doc: WorkDoc, h: Header, start: int, so: tuple[int, int] | None,
                    pd: tuple[int, int] | None) -> None:
    """Number / date whose printed span holds what the PDF reader wrote from the signing stamp."""
    for name, span in (("number", so), ("date", pd)):
        got = doc.source.recovered.get(name)
        if got is None or span is None or getattr(h, name) is None:
            continue
        a, b = doc.offsets.to_input(start + span[0]), doc.offsets.to_input(start + span[1])
        if got[0] < b and a < got[1]:
            h.provenance[name] = "pdf-stamp"


_HEAD = ("quoc_hieu", "tieu_ngu", "party_header", "so_line", "place_date", "vv_line", "vv_mark")


def _head_marks(doc: WorkDoc, start: int, end: int) -> dict[str, list[Mark]]:
    """The head's marks (:data:`vbextract.marks._HEAD_ENTRIES`) of the lines in the zone, by name,
    in the order of the text."""
    out: dict[str, list[Mark]] = {name: [] for name in _HEAD}
    for mk in doc.marks_in(start, end):
        for m in mk.markers:
            if m.name in out:
                out[m.name].append(m)
    return out


def _first(marks: list[Mark], end: int, entry: Pattern, key: str, start: int) -> Mark | None:
    """The first mark that starts inside the zone; one that runs past the zone's end is matched
    again on the zone alone (``key``: the zone's text as the entry reads it), as the stage did
    before the marks."""
    m = marks[0] if marks else None
    if m is None or m.start >= end:
        return None
    if m.end <= end:
        return m
    again = entry.search(key)
    if again is None:
        return None
    groups = tuple((g, v, start + again.start(g)) for g, v in again.groupdict().items() if v is not None)
    return Mark(m.name, start + again.start(), start + again.end(), groups)


def _read_number(h: Header, m: Mark | None, start: int) -> tuple[int, int] | None:
    if m is None:
        return None
    span = (m.start - start, m.end - start)
    if m["ptype"]:  # Party: "Số 28-CT/TW"
        h.number = m["pnum"]
        h.symbol = f"{m['ptype']}/{m['porg']}"
        return span
    h.number = m["num"] or None
    h.year = int(m["year"]) if m["year"] else None  # type: ignore[arg-type]
    h.symbol = "".join((m["sym"] or "").split()).replace("–", "-")
    return span


# A place name wrapped in its cell ("Thành phố Hồ" / "Chí Minh, ngày 19 tháng 11 năm 2025"): the
# line above the match continues the place when it is a short run of capitalised words.
_PLACE_HEAD = REGISTRY["place_head"].rx


def _read_place_date(h: Header, m: Mark | None, text: str, offset: int) -> tuple[int, int] | None:
    """Place and date from the place-date mark; ``text`` is the zone (bars as spaces), starting at
    ``offset`` in the document."""
    if m is None:
        return None
    place = m["place"]
    m_start, m_end = m.start - offset, m.end - offset
    span_start = m_start
    at = m_start + m.offset("place") if place else m_start
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    if place and not before.strip() and line_start > 0:
        prev_end = line_start - 1
        prev_start = text.rfind("\n", 0, prev_end) + 1
        prev = text[prev_start:prev_end].strip()
        if prev and _PLACE_HEAD.match(prev) and prev.upper() != prev and ":" not in prev and "/" not in prev:
            place = f"{prev} {place}"
            span_start = prev_start
    h.place = _clean_place(place)
    d = int(m["d"]) if m["d"] else None  # type: ignore[arg-type]
    mo = int(m["m"]) if m["m"] else None  # type: ignore[arg-type]
    h.date = iso_date(int(m["y"]), mo, d if mo else None) if m["y"] else None  # type: ignore[arg-type]
    return span_start, m_end


def _clean_place(place: str | None) -> str | None:
    if not place or not any(c.isalpha() for c in place):
        return None
    words = place.split()
    # Interleaved columns can glue the end of the symbol line to the place ("KGVX Kiên Giang").
    # An abbreviation with its stop ("TP. Hồ Chí Minh", "TX. Sơn Tây") is the place as printed.
    while len(words) > 1 and words[0].isupper() and not words[0].endswith(".") and not words[1].isupper():
        words = words[1:]
    return clean_value(" ".join(words))


# Decoration rules under the issuer and the motto ("-------", "___", "===&===") and the cell bars
# of a flattened table; masked out before the issuer lines are read.
_RULE = REGISTRY["decoration_rule"].rx


def _mask(plain: str, start: int, head: dict[str, list[Mark]], *spans: tuple[int, int] | None) -> str:
    """The header text with the motto, the rules, the number and the place-date blanked out.

    Offsets and line breaks are kept, so a line that held two cells ("ỦY BAN NHÂN DÂN TỈNH X  CỘNG
    HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CHÍNH PHỦ-------") keeps only its issuer words, and a motto
    wrapped over two lines ("CỘNG HÒA XÃ" / "HỘI CHỦ NGHĨA VIỆT NAM") leaves nothing behind.
    """
    chars = list(plain)

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, len(chars))):
            if chars[k] != "\n":
                chars[k] = " "

    for name in ("quoc_hieu", "tieu_ngu", "party_header"):
        for m in head[name]:
            if m.end <= start + len(plain):  # as found by a search of the zone alone
                blank(m.start - start, m.end - start)
    for m in _RULE.finditer(plain):
        blank(*m.span())
    for span in spans:
        if span:
            blank(*span)
    return "".join(chars)


# A type title of two words or more opening a longer title line ("GIẤY PHÉP SỬ DỤNG …", "BÁO CÁO
# THAM LUẬN"), fold key: grammars/header.yaml.
_LONG_TITLE_F = REGISTRY["long_type_title"].rx


def _find_title(doc: WorkDoc, start: int, end: int) -> int | None:
    """The first line of the zone marked ``type_title``; its canonical type is ``doc.header_title``."""
    r = doc.line_range(start, end)
    for i, mk in zip(r, doc.marks[r.start : r.stop], strict=True):
        t = mk.marker("type_title")
        if t:
            doc.header_title = canonical_type(t["title"] or "") or ""
            return i
    return None


def _read_issuer(doc: WorkDoc, h: Header, start: int, end: int, title_idx: int | None, masked: str,
                 so: tuple[int, int] | None) -> None:
    """Issuer lines: capitals of the header zone once the motto, rules, number and date are masked.

    A line may hold several cells of a flattened table ("ỦY BAN NHÂN DÂN  TỈNH X"): runs of two or
    more spaces split it. Lines printed above the number win over capitals below it (the number
    sits under the issuer in its cell).
    """
    above: list[str] = []
    below: list[str] = []
    titled = False
    for ln in doc.lines_in(start, end):
        if titled or (title_idx is not None and doc.line_index_at(ln.start) >= title_idx):
            break
        row = masked[ln.start - start : ln.end - start]
        target = below if so is not None and ln.start - start >= so[0] else above
        for part in _CELL_GAP.split(row):
            s = " ".join(part.split())
            if not s or s.upper() != s or not any(c.isalpha() for c in s):
                continue
            f = fold(s)
            if _NOT_ISSUER_F.match(f) or ", ngày" in f or canonical_type(s) or title_of(s):
                continue
            if _LONG_TITLE_F.match(f):
                titled = True  # the title block begins
                break
            target.append(s)
    names = above or below
    if names:
        parent, issuer = _split_authority(names)
        h.issuer, h.issuer_parent = clean_value(issuer), clean_value(parent)


def _infer_missing_issuer(doc: WorkDoc, h: Header, title_idx: int | None) -> None:
    """No issuer lines (a page that lost the left cell): the authority line under the trích yếu
    ("ỦY BAN THƯỜNG VỤ QUỐC HỘI", "BỘ TRƯỞNG BỘ Y TẾ" → "BỘ Y TẾ"), else the body, names it."""
    if h.issuer:
        return
    inferred = _issuer_from_authority_line(doc, title_idx)
    source: Provenance = "authority-line"
    if not inferred:
        inferred, source = infer_issuer(doc), "body"
    if inferred:
        h.issuer, h.issuer_inferred = inferred, True
        h.provenance["issuer"] = source
        doc.warn(f"the header prints no issuer; '{inferred}' was inferred from the text", "header.issuer_inferred")
    else:
        doc.warn("the header prints no issuer and none could be inferred from the text", "header.missing_issuer")


# The authority line printed under the trích yếu of a QĐ/NQ/NĐ (NĐ 30 Mẫu 1.1–1.3): the enacting
# body or office-holder in capitals. It ends the trích yếu.
AUTHORITY_LINE_F = REGISTRY["authority_line"]
# A wrapped line that cannot end the trích yếu: the next line continues it.
_OPEN_END_F = REGISTRY["open_end"].rx
_SUBJECT_MAX_LINES = 8
_VV_SLASH = REGISTRY["vv_slash"].rx


def _read_subject(doc: WorkDoc, h: Header, start: int, end: int, title_idx: int | None, vv: Mark | None) -> None:
    """The trích yếu under the type title, or the V/v block of a công văn, over all its lines.

    It ends at a blank line, a decoration rule, the authority line ("BỘ TRƯỞNG BỘ …", "ỦY BAN NHÂN
    DÂN TỈNH …"), "Căn cứ …", "Kính gửi", the first numbered item or "Điều 1".
    """
    if title_idx is not None:
        first = doc.lines[title_idx]
        glued = (doc.marks[title_idx].marker("type_title") or Mark("", 0, 0))["glued"] or ""
        parts = [glued] if glued.strip() else []
        upper_subject = bool(parts) and glued.upper() == glued
        gap = False
        for nxt in doc.lines[title_idx + 1 :]:
            if len(parts) >= _SUBJECT_MAX_LINES or nxt.start >= max(end, first.end + 1) + 2000:
                break
            t = nxt.stripped.strip(" |").strip()
            if not t:
                if parts:
                    gap = True
                continue
            if gap:
                # a blank line ends the trích yếu, unless its last line is open ("… tỉnh,", "… của")
                # and this one carries on in lower case: readers that give every printed line its
                # own paragraph ("… Nghị định số 289/2025/NĐ-CP" / "" / "ngày 06 tháng 11 …")
                caps_run = t.upper() == t and parts[-1].upper() == parts[-1]
                if not (t[0].islower() or (caps_run and _OPEN_END_F.search(fold(parts[-1])))):
                    break
                gap = False
            f = fold(t)
            if not parts and (vv := _VV_SLASH.match(t)):
                # "KẾ HOẠCH" / "V/V HỖ TRỢ NHU YẾU PHẨM …": the trích yếu is after the V/v (a printed
                # "Về việc …" is part of it and stays)
                t = t[vv.start("subj") :]
                f = fold(t)
            if not any(c.isalnum() for c in t) or _ends_subject(f, t, bool(parts)):
                break
            if parts:
                caps = t.upper() == t
                prev_open = bool(_OPEN_END_F.search(fold(parts[-1])))
                if caps and not upper_subject and not prev_open:
                    break  # a capitals line after a mixed-case trích yếu: the authority line
                if upper_subject and not caps and len(t) > 60:
                    break  # prose after a trích yếu in capitals: the body (a Chỉ thị opens so)
                if (not caps and t[0].isupper() and not prev_open
                        and (len(t) > 120 or _SENTENCE_BREAK.search(t))):
                    break  # a paragraph of the body right under the trích yếu (no blank line between)
                if caps and AUTHORITY_LINE_F.match(f) and not prev_open:
                    break
            else:
                upper_subject = t.upper() == t
                if upper_subject and AUTHORITY_LINE_F.match(f) and _is_issuer_line(f, h):
                    break
            parts.append(t)
        if parts:
            h.subject = clean_value(" ".join(parts))
        return
    if vv is not None:
        parts = [(vv["subj"] or "").split("|")[0]]
        after = vv.end
        for nxt in doc.lines_in(after + 1, end):
            t = nxt.stripped
            f = doc.folded[nxt.start : nxt.end].strip()
            if not t or "|" in t[:1] or _is_header_furniture(f) or t.upper() == t:
                break
            parts.append(t.split("|")[0])
            if "|" in t:
                break
        h.subject = clean_value(" ".join(parts))
        doc.header_vv = True


def _ends_subject(f: str, t: str, continuing: bool) -> bool:
    # "Thực hiện …" may open a trích yếu; on a later line, capitalised and not in capitals, it opens
    # the preamble.
    preamble = continuing and LEGAL_VERB_F.match(f) is not None and t[0].isupper() and t.upper() != t
    # "số 197/2025/QH15 …" in lower case continues a cited title; the number line is "Số:"
    furniture = _is_header_furniture(f) and not (continuing and t.startswith("số "))
    return bool(
        furniture
        or preamble
        or ROMAN_LABEL.match(t)
        or ARABIC_LABEL.match(t)
        or _ARTICLE_START_F.match(f)
        or t.endswith(":")
        or f.startswith(("(kèm theo", "kèm theo"))
    )


def _is_issuer_line(f: str, h: Header) -> bool:
    """The first line under the title is the authority line, not a trích yếu, when it names the
    issuer or an office-holder (a title with no trích yếu, as in some Nghị quyết)."""
    names = [fold(n) for n in (h.issuer, h.issuer_parent) if n]
    return any(n and n in f for n in names) or _OFFICE_HOLDER_F.match(f) is not None


_COLLECTIVE_F = REGISTRY["collective_issuer"].rx


def _issuer_from_authority_line(doc: WorkDoc, title_idx: int | None) -> str | None:
    if title_idx is None:
        return None
    for ln in doc.lines[title_idx + 1 : title_idx + 1 + 3 * _SUBJECT_MAX_LINES]:
        t = " ".join(ln.stripped.split())
        if not t or t.upper() != t:
            continue
        f = fold(t)
        if LEGAL_VERB_F.match(f):
            break
        if _COLLECTIVE_F.match(f):
            return clean_value(t)
        m = _MINISTER_OF_F.match(f)
        if m:
            return clean_value(t[m.end("title") :])
    return None


def _is_header_furniture(f: str) -> bool:
    return bool(
        _NOT_ISSUER_F.match(f) or ", ngày" in f or f.startswith(("kính gửi", "căn cứ"))
    )


# Inside one line ("BỘ TÀI CHÍNH CỤC THUẾ", "CỤC THUẾ THUẾ TỈNH VĨNH LONG", a converter having joined
# the two issuer lines), a subordinate body after a complete governing body starts the issuer.
_SUBORDINATE_F = regex.compile(r"(?<=\s)" + REGISTRY["subordinate_body"].source)
_GOVERNING_F = REGISTRY["governing_body"].rx


def _split_joined(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        f = fold(name)
        for m in _SUBORDINATE_F.finditer(f):
            left = f[: m.start()].strip()
            if _GOVERNING_F.match(left) and not _SUBORDINATE_F.search(" " + left[left.find(" ") + 1 :] + " "):
                out += [name[: m.start()].strip(), name[m.start() :].strip()]
                break
        else:
            out.append(name)
    return out


def _split_authority(names: list[str]) -> tuple[str | None, str]:
    """Two lines of authority: the governing body above the issuer ("UBND TỈNH X" / "SỞ Y").

    A line that opens a new body (SỞ, PHÒNG, BAN, CỤC …) after a complete body splits the two;
    a line that only continues a name ("HUYỆN TÂN YÊN" under "ỦY BAN NHÂN DÂN") does not.
    """
    names = _split_joined(names) if len(names) == 1 else names
    split_at = None
    for k in range(1, len(names)):
        head = fold(names[k])
        if (ISSUER_HEAD_F.match(head) or _SUBORDINATE_F.match(" " + head + " ", 1)) and _is_complete_body(names[:k]):
            split_at = k
    if split_at is None:
        return None, " ".join(names)
    return " ".join(names[:split_at]), " ".join(names[split_at:])


def _is_complete_body(lines: list[str]) -> bool:
    joined = fold(" ".join(lines))
    # "ỦY BAN NHÂN DÂN" alone is not complete: the level and place follow on the next line.
    return bool(ISSUER_HEAD_F.match(joined)) and joined not in {"ủy ban nhân dân", "ubnd", "hội đồng nhân dân"}


def _read_flags(doc: WorkDoc, h: Header, start: int, end: int) -> None:
    for ln in doc.lines_in(start, end):
        f = " ".join(doc.folded[ln.start : ln.end].split())
        if f in _URGENCY:
            h.urgency = _URGENCY[f]
        if f in _SECRECY:
            h.secrecy = _SECRECY[f]
    head_f = doc.folded[: min(len(doc.folded), max(end, 1) + 400)]
    draft_mark = bool(_DRAFT_MARK_F.search(head_f))
    # A draft leaves both the number and the day for the văn thư to fill (output.md, gold README):
    # a blank number alone is a copy signed before numbering, a blank day alone one whose day the
    # signing stamp or signature prints (signed PDFs) — neither is a draft.
    blank_number = h.symbol is not None and h.number is None
    # "Hà Nội, ngày tháng năm": the place-date line is there with even the year blank
    blank_day = len(h.date) < 10 if h.date is not None else h.place is not None
    h.is_draft = draft_mark or (blank_number and blank_day)


def _doc_type(doc: WorkDoc, h: Header, slash_vv: bool) -> str | None:
    """Title word first; then the symbol's type code; then "Công văn" for a V/v or a symbol
    without a type code (NĐ 30: công văn symbols are issuer-unit, e.g. UBND-KGVX)."""
    from_symbol = type_from_symbol(h.symbol)
    if from_symbol == "Văn bản hợp nhất":  # it prints the title of what it consolidates (domain.md §1.2)
        return from_symbol
    if doc.header_title:
        return doc.header_title
    first_code = (h.symbol or "").replace("/", "-").split("-")[0]
    if doc.header_vv and h.year is None and first_code in _LOOKALIKE_CODES and slash_vv:
        # a "V/v" letter is a công văn even when the issuer's own code looks like a type code
        # ("5680/CT-CS" of Cục Thuế): NĐ 30 Mẫu 1.5; domain.md §1.2 lists the ambiguous codes
        return "Công văn"
    if from_symbol:
        return from_symbol
    if doc.header_vv or h.symbol:
        return "Công văn"
    return None


# Laws and resolutions of the Quốc hội and its Standing Committee print no date in the header: the
# closing sentence gives it ("Nghị quyết này được Ủy ban Thường vụ Quốc hội … thông qua ngày 10
# tháng 7 năm 2025."). Only "<type> này … thông qua ngày", so a cited law's adoption never counts.
_ADOPTED = REGISTRY["adopted_date"].rx


def _date_of_adoption(doc: WorkDoc, h: Header) -> None:
    matches = list(_ADOPTED.finditer(doc.text))
    if not matches:
        return
    m = matches[0]
    h.date = iso_date(int(m["y"]), int(m["m"]), int(m["d"]))
    h.date_source = "body"
    h.provenance["date"] = "body"
    doc.warn(f"the header prints no date; {h.date} is the date of adoption printed in the text", "header.date_from_body")


# First symbol segments that are both a type code and a common issuer or unit code (domain.md §1.2:
# CT Cục Thuế / Công Thương, TT Trung tâm / Thường trực, TC Tài chính, PC Pháp chế).
_LOOKALIKE_CODES = {"CT", "TT", "TC", "PC"}


def _fill_date_from_signature(doc: WorkDoc) -> None:
    """Signed PDFs often carry the day only in the stamp: use the signing time, flagged."""
    h = doc.header
    sigs = [s for s in doc.source.signatures if s.signing_time]
    if not sigs:
        return
    signed = sigs[0].signing_time[:10]  # type: ignore[index]
    if h.date and len(h.date) == 10:
        return
    # Only fill a date the header prints partly ("ngày   tháng 7 năm 2026") and that agrees with
    # the signing time: on scans the stamp's time is when the copy was signed or published. With
    # the year alone printed, the signatures must agree on the day (copies signed on later days
    # leave the date at its printed precision).
    days = {str(x.signing_time)[:10] for x in sigs[:2]}
    if h.date is not None and len(h.date) == 4 and len(days) > 1:
        return
    if h.date is not None and signed.startswith(h.date):
        h.date = signed
        h.date_source = "signature"
        h.provenance["date"] = "pdf-signature"
        doc.warn(f"the date {signed} was taken from the digital signature (the text leaves it blank)", "header.date_from_signature", producer="signature")
