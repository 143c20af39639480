"""Zones: where the header, Kính gửi, preamble, body, Nơi nhận, signature and appendices lie.

The national format (NĐ 30/2020 Phụ lục I) fixes the order: header block, type and trích yếu or
V/v, Kính gửi, preamble (căn cứ), body, then Nơi nhận beside the signature, then appendices. The
zoner finds the landmarks (first body line, "Nơi nhận:", the signature block, the signer) and cuts
between them; each later stage only looks inside its zone.
"""

from __future__ import annotations

from ..doc import Doc, Line
from ..grammars import REGISTRY
from ..grammars.blocks import (
    ARABIC_LABEL,
    AUTHORITY,
    KINH_GUI_F,
    LEGAL_VERB_F,
    NOI_NHAN_F,
    ORDINAL_LABEL_F,
    ROMAN_LABEL,
)
from ..grammars.structure import ARTICLE_LABEL
from ..grammars.types import canonical_type
from .signature import find_signature_block

HEADER_MAX_LINES = 40


def segment(doc: Doc) -> None:
    """Fill ``doc.zones``."""
    n = len(doc.text)
    body_start = _body_start(doc)
    header_end = body_start
    kg = _kinh_gui_line(doc, 0, body_start if body_start else n)
    if kg is not None:
        header_end = min(header_end, doc.lines[kg].start)
        rec_end = _recipients_end(doc, kg)
        doc.zones.recipients = (doc.lines[kg].start, rec_end)
        body_start = max(body_start, rec_end)
    doc.zones.header = (0, header_end) if header_end > 0 else None

    closing_start, main_end = _closing(doc, body_start)
    doc.zones.body = (body_start, closing_start)
    first_item = _first_item(doc, body_start, closing_start)
    if first_item is not None and first_item > body_start:
        doc.zones.preamble = (body_start, first_item)
    if main_end < n and _has_content(doc, main_end, n):
        doc.zones.appendix = (_next_content(doc, main_end), n)


def _body_start(doc: Doc) -> int:
    """Offset of the first line after the header block.

    The header ends at "Kính gửi", at a legal-basis verb ("Căn cứ", "Thực hiện" …), at the first
    numbered item, or at the first long prose line once the title or V/v block is passed.
    """
    lines = doc.lines[:HEADER_MAX_LINES]
    has_header_signal = False
    in_subject = False  # lines right after a type title ("KẾ HOẠCH") are its trích yếu
    for ln in lines:
        f = doc.folded[ln.start : ln.end].strip()
        if not f:
            in_subject = False
            continue
        if in_subject and len(f) < 200 and not KINH_GUI_F.match(f) and not _ends_subject(ln.stripped, f):
            continue
        if not any(c.isalnum() for c in f):
            continue  # a rule under the issuer or the motto ("-------", "*", "===&===")
        if KINH_GUI_F.match(f) or LEGAL_VERB_F.match(f):
            return ln.start
        if (ARABIC_LABEL.match(ln.stripped) or ROMAN_LABEL.match(ln.stripped)) and has_header_signal:
            return ln.start  # "I. MỤC ĐÍCH, YÊU CẦU" is in capitals but opens the body
        if _is_header_line(f, ln.stripped):
            has_header_signal = True
            in_subject = canonical_type(ln.stripped) is not None
            continue
        if ORDINAL_LABEL_F.match(f):
            return ln.start
        if len(f) > 160 or (len(f) > 90 and f.endswith((".", ":", ";"))):
            return ln.start
    return 0 if not has_header_signal else _after_title_block(doc)


def _ends_subject(s: str, f: str) -> bool:
    """A trích yếu printed without a blank line after it ends at the first item, Điều, legal
    basis or enacting line ("QUYẾT ĐỊNH:")."""
    return bool(ARABIC_LABEL.match(s) or ROMAN_LABEL.match(s) or ARTICLE_LABEL.match(s)
                or _SUBJECT_STOP_F.match(f) or f.endswith(":"))


# only these legal-basis verbs end a trích yếu: "Thực hiện …" often opens the title itself
# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
_SUBJECT_STOP_F = REGISTRY["subject_stop"].rx


def _is_header_line(f: str, s: str) -> bool:
    return (
        f.startswith(("số", "cộng hòa", "độc lập", "đảng cộng sản", "v/v", "về việc"))
        or ", ngày" in f
        or (s.isupper() and len(s) < 120)
    )


def _after_title_block(doc: Doc) -> int:
    for ln in doc.lines[:HEADER_MAX_LINES]:
        if len(ln.stripped) > 90:
            return ln.start
    return doc.lines[min(len(doc.lines), HEADER_MAX_LINES) - 1].end


def _kinh_gui_line(doc: Doc, start: int, end: int) -> int | None:
    for i, ln in enumerate(doc.lines):
        if ln.start > end + 1 and i > HEADER_MAX_LINES:
            break
        if ln.start >= start and KINH_GUI_F.match(doc.folded[ln.start : ln.end].strip()):
            return i
    return None


def _recipients_end(doc: Doc, kg: int) -> int:
    """End of the Kính gửi block: the addressee on its line, or the dashed list below it."""
    first = doc.lines[kg]
    rest = KINH_GUI_F.rx.sub("", doc.folded[first.start : first.end]).strip()
    end = first.end
    i = kg + 1
    if rest and not rest.startswith("-"):
        # one addressee on the line, possibly wrapped onto a following non-dash line
        while i < len(doc.lines) and doc.lines[i].stripped and not _starts_body(doc, doc.lines[i]):
            if len(doc.lines[i].stripped) > 120:
                break
            end = doc.lines[i].end
            i += 1
        return end
    seen_item = bool(rest)
    while i < len(doc.lines):
        ln = doc.lines[i]
        s = ln.stripped
        if not s:
            i += 1
            continue
        if s[0] in "-–•+":
            seen_item = True
            end = ln.end
        elif seen_item or _starts_body(doc, ln):
            break
        else:
            end = ln.end
        i += 1
    return end


def _starts_body(doc: Doc, ln: Line) -> bool:
    f = doc.folded[ln.start : ln.end].strip()
    return bool(LEGAL_VERB_F.match(f) or ARABIC_LABEL.match(ln.stripped) or ROMAN_LABEL.match(ln.stripped))


def _closing(doc: Doc, body_start: int) -> tuple[int, int]:
    """Start of the closing (Nơi nhận / signature) and end of the main document."""
    n = len(doc.text)
    nn = _first_noi_nhan(doc, body_start)
    sig = find_signature_block(doc, body_start, near=nn)
    starts = [x for x in (nn[0] if nn else None, sig[0] if sig else None) if x is not None]
    if not starts:
        return n, n
    closing_start = min(starts)
    ends = [x for x in (nn[1] if nn else None, sig[1] if sig else None) if x is not None]
    main_end = max(ends)
    if nn:
        doc.zones.distribution = nn
    if sig:
        doc.zones.signature = sig
    return closing_start, main_end


def _first_noi_nhan(doc: Doc, start: int) -> tuple[int, int] | None:
    for i, ln in enumerate(doc.lines):
        if ln.start < start:
            continue
        if NOI_NHAN_F.match(doc.folded[ln.start : ln.end]):
            return ln.start, _dash_list_end(doc, i)
    return None


def _dash_list_end(doc: Doc, i: int) -> int:
    """End of the dashed list that starts after line ``i`` (continuation lines included)."""
    end = doc.lines[i].end
    j = i + 1
    blank_run = 0
    seen_item = "-" in doc.lines[i].text
    while j < len(doc.lines):
        ln = doc.lines[j]
        s = ln.stripped
        if not s:
            blank_run += 1
            if blank_run > 1 and seen_item:
                break
            j += 1
            continue
        blank_run = 0
        prev_open = not doc.lines[j - 1].stripped.endswith((";", ".", ":")) if j > i + 1 else False
        if AUTHORITY.match(s) or (s.isupper() and len(s) > 3 and s[0] not in "-–•+" and not prev_open):
            break
        if s[0] in "-–•+":
            seen_item = True
            end = ln.end
        elif seen_item and _is_continuation(s):
            end = ln.end
        else:
            break
        j += 1
    return end


def _is_continuation(s: str) -> bool:
    """A wrapped distribution line: short, not a sentence, not a name block."""
    return len(s) < 80 and not s[0].isdigit()


def _first_item(doc: Doc, start: int, end: int) -> int | None:
    for ln in doc.lines_in(start, end):
        s = ln.stripped
        if ROMAN_LABEL.match(s) or ARABIC_LABEL.match(s) or ORDINAL_LABEL_F.match(doc.folded[ln.start : ln.end].strip()):
            return ln.start
    return None


def _has_content(doc: Doc, start: int, end: int) -> bool:
    lines = [ln for ln in doc.lines_in(start, end) if ln.stripped]
    return len(lines) >= 2 or any(len(ln.stripped) > 60 for ln in lines)


def _next_content(doc: Doc, pos: int) -> int:
    for ln in doc.lines_in(pos, len(doc.text) + 1):
        if ln.stripped:
            return ln.start
    return pos
