"""Zones: where the header, Kính gửi, preamble, body, Nơi nhận, signature and appendices lie.

The national format (NĐ 30/2020 Phụ lục I) fixes the order: header block, type and trích yếu or
V/v, Kính gửi, preamble (căn cứ), body, then Nơi nhận beside the signature, then appendices. The
zoner reads the landmarks the ``marks`` stage found on each line (:mod:`vbextract.marks`: Kính
gửi, legal-basis verbs, item labels, "Nơi nhận:", authority markers, signature-block openings),
walks the signature block (:func:`read_block`, the one reader of the block: the signature stage
takes what it found) and cuts between them; each later stage only looks inside its zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..doc import LineMarks, WorkDoc
from ..grammars.types import canonical_type
from ..marks import AUTHORITY, HEADER_MAX_LINES, NAME, ensure_marks, is_dashed, split_signature_line
from ..normalize import clean_value


def segment(doc: WorkDoc) -> None:
    """Fill ``doc.zones``."""
    ensure_marks(doc)
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


def _body_start(doc: WorkDoc) -> int:
    """Offset of the first line after the header block.

    The header ends at "Kính gửi", at a legal-basis verb ("Căn cứ", "Thực hiện" …), at the first
    numbered item, or at the first long prose line once the title or V/v block is passed.
    """
    lines = doc.lines[:HEADER_MAX_LINES]
    has_header_signal = False
    in_subject = False  # lines right after a type title ("KẾ HOẠCH") are its trích yếu
    for ln, mk in zip(lines, doc.marks, strict=False):
        f = doc.folded[ln.start : ln.end].strip()
        if not f:
            in_subject = False
            continue
        if in_subject and len(f) < 200 and not mk.has("kinh_gui") and not _ends_subject(mk, f):
            continue
        if not any(c.isalnum() for c in f):
            continue  # a rule under the issuer or the motto ("-------", "*", "===&===")
        if mk.has("kinh_gui") or mk.has("legal_basis_verb"):
            return ln.start
        if (mk.has("arabic_label") or mk.has("roman_label") or mk.has("article_label")) and has_header_signal:
            return ln.start  # "I. MỤC ĐÍCH, YÊU CẦU" is in capitals but opens the body; so does "Điều 1."
        if _is_header_line(f, ln.stripped):
            has_header_signal = True
            # a type title opens its trích yếu; the enacting "QUYẾT ĐỊNH:" closes the header instead
            in_subject = canonical_type(ln.stripped) is not None and not f.endswith(":")
            continue
        if mk.has("ordinal_label"):
            return ln.start
        if len(f) > 160 or (len(f) > 90 and f.endswith((".", ":", ";"))):
            return ln.start
    return 0 if not has_header_signal else _after_title_block(doc)


def _ends_subject(mk: LineMarks, f: str) -> bool:
    """A trích yếu printed without a blank line after it ends at the first item, Điều, legal
    basis or enacting line ("QUYẾT ĐỊNH:"); only the verbs of ``subject_stop`` end it ("Thực
    hiện …" often opens the title itself)."""
    return bool(mk.has("arabic_label") or mk.has("roman_label") or mk.has("article_label")
                or mk.has("subject_stop") or f.endswith(":"))


def _is_header_line(f: str, s: str) -> bool:
    return (
        f.startswith(("số", "cộng hòa", "độc lập", "đảng cộng sản", "v/v", "về việc"))
        or ", ngày" in f
        or (s.isupper() and len(s) < 120)
    )


def _after_title_block(doc: WorkDoc) -> int:
    for ln in doc.lines[:HEADER_MAX_LINES]:
        if len(ln.stripped) > 90:
            return ln.start
    return doc.lines[min(len(doc.lines), HEADER_MAX_LINES) - 1].end


def _kinh_gui_line(doc: WorkDoc, start: int, end: int) -> int | None:
    for i, ln in enumerate(doc.lines):
        if ln.start > end + 1 and i > HEADER_MAX_LINES:
            break
        if ln.start >= start and doc.marks[i].has("kinh_gui"):
            return i
    return None


def _recipients_end(doc: WorkDoc, kg: int) -> int:
    """End of the Kính gửi block: the addressee on its line, or the dashed list below it."""
    first = doc.lines[kg]
    label = doc.marks[kg].marker("kinh_gui")
    rest = doc.folded[label.end if label else first.start : first.end].strip()
    end = first.end
    i = kg + 1
    if rest and not is_dashed(rest):
        # one addressee on the line, possibly wrapped onto a following non-dash line
        while i < len(doc.lines) and doc.lines[i].stripped and not _starts_body(doc.marks[i]):
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
        if is_dashed(s):
            seen_item = True
            end = ln.end
        elif seen_item or _starts_body(doc.marks[i]):
            break
        else:
            end = ln.end
        i += 1
    return end


def _starts_body(mk: LineMarks) -> bool:
    return mk.has("legal_basis_verb") or mk.has("arabic_label") or mk.has("roman_label")


def _closing(doc: WorkDoc, body_start: int) -> tuple[int, int]:
    """Start of the closing (Nơi nhận / signature) and end of the main document."""
    n = len(doc.text)
    nn = _first_noi_nhan(doc, body_start)
    sig = _signature_block(doc, body_start, near=nn)
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


def _first_noi_nhan(doc: WorkDoc, start: int) -> tuple[int, int] | None:
    for i in doc.line_range(start, len(doc.text) + 1):
        if doc.marks[i].has("noi_nhan"):
            return doc.lines[i].start, _dash_list_end(doc, i)
    return None


def _dash_list_end(doc: WorkDoc, i: int) -> int:
    """End of the dashed list that starts after line ``i`` (continuation lines included)."""
    end = doc.lines[i].end
    j = i + 1
    blank_run = 0
    seen_item = "-" in doc.lines[i].text  # "Nơi nhận: - Như trên;" (or any dash on the line)
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
        dashed = is_dashed(s)
        if doc.marks[j].has("authority") or (s.isupper() and len(s) > 3 and not dashed and not prev_open):
            break
        if dashed:
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


def _first_item(doc: WorkDoc, start: int, end: int) -> int | None:
    for ln, mk in zip(doc.lines_in(start, end), doc.marks_in(start, end), strict=True):
        if mk.has("roman_label") or mk.has("arabic_label") or mk.has("ordinal_label"):
            return ln.start
    return None


def _has_content(doc: WorkDoc, start: int, end: int) -> bool:
    lines = [ln for ln in doc.lines_in(start, end) if ln.stripped]
    return len(lines) >= 2 or any(len(ln.stripped) > 60 for ln in lines)


def _next_content(doc: WorkDoc, pos: int) -> int:
    for ln in doc.lines_in(pos, len(doc.text) + 1):
        if ln.stripped:
            return ln.start
    return pos


# --- the signature block: one reader, for the zoner and the signature stage -------------------

NOT_NAMES = {"như trên", "nơi nhận", "lưu vt", "kính gửi", "trân trọng", "ghi chú"}
_BLOCK_LINES = 12  # a block is walked over at most this many lines


@dataclass(frozen=True)
class SignatureBlock:
    """A signature block as :func:`read_block` walked it: its span (first chain line to the signer
    line), the line after it, and its authority chain, title and signer as printed."""

    start: int
    end: int
    next_line: int
    signed: bool
    chain: tuple[str, ...] = ()
    position: str | None = None
    signer: str | None = None


def _signature_block(doc: WorkDoc, start: int, near: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Span of the signature block (first chain line to the signer line), or ``None``.

    The block closest to "Nơi nhận" wins (they sit side by side in the national layout); without
    a Nơi nhận, the first complete block after the body start. The block found is kept for the
    signature stage (``doc.cache["signature_block"]``).
    """
    blocks = list(_candidate_blocks(doc, start))
    if not blocks:
        return None
    complete = [b for b in blocks if b.signed] or blocks
    if near is not None:
        best = min(complete, key=lambda b: min(abs(b.start - near[0]), abs(b.start - near[1])))
    else:
        best = complete[0]
    doc.cache["signature_block"] = best
    return best.start, best.end


def _candidate_blocks(doc: WorkDoc, start: int):
    """Each block that opens on a line marked ``signature_open`` (an authority chain or a bare
    title in capitals), walked to its signer."""
    i = doc.line_index_at(start)
    while i < len(doc.lines):
        if doc.marks[i].has("signature_open"):
            block = read_block(doc, i)
            yield block
            i = max(block.next_line, i + 1)
            continue
        i += 1


def read_block(doc: WorkDoc, i: int) -> SignatureBlock:
    """The signature block whose first line is ``doc.lines[i]``.

    The block runs over the chain lines (TM./KT./TL. …), one title line in capitals and the signer's
    name (a dashed Nơi nhận item beside them is skipped); any other line ends it, unsigned. Its
    chain, title and signer are the pieces of the lines it covers, read by :func:`classify_pieces`.
    """
    lines = doc.lines
    j = i
    seen_position = False
    budget = _BLOCK_LINES
    taken: list[str] = []  # the pieces of the lines the block covers
    while j < len(lines) and budget > 0:
        budget -= 1
        pieces = split_signature_line(lines[j].stripped)
        if not pieces:
            j += 1
            continue
        for s in pieces:
            if is_dashed(s):
                continue
            if AUTHORITY.match(s) or (s.upper() == s and any(c.isalpha() for c in s) and not seen_position):
                if not AUTHORITY.match(s):
                    seen_position = True
                continue
            if NAME.match(s) and s.lower() not in NOT_NAMES:
                return _block(doc, i, j, j + 1, True, taken + pieces)
            return _block(doc, i, j - 1, j, False, taken)
        taken += pieces
        j += 1
    return _block(doc, i, j - 1, j, False, taken)


def _block(doc: WorkDoc, i: int, last: int, next_line: int, signed: bool, pieces: list[str]) -> SignatureBlock:
    chain, position, signer = classify_pieces(pieces)
    return SignatureBlock(doc.lines[i].start, doc.lines[last].end, next_line, signed, tuple(chain), position, signer)


def classify_pieces(pieces: list[str]) -> tuple[list[str], str | None, str | None]:
    """The chain (authority lines), the title (the first other line in capitals) and the signer
    (the first name) of a block's pieces; dashed pieces are the Nơi nhận column's."""
    chain: list[str] = []
    position = signer = None
    for s in pieces:
        if is_dashed(s):
            continue
        if AUTHORITY.match(s):
            chain.append(clean_value(s) or s)
        elif s.upper() == s and any(c.isalpha() for c in s) and position is None:
            position = clean_value(s)
        elif NAME.match(s) and signer is None:
            signer = clean_value(s)
    return chain, position, signer
