"""Kính gửi: the addressees, on the same line or as a list, and the "Đồng kính gửi:" list after it.

Real forms (NĐ 30 Phụ lục I II.9d and what converters make of them):

- one addressee on the label's line, possibly wrapped onto the next line;
- one per line, with a dash ("- Sở Tài chính;") or without ("Sở Tài chính;"), the last ending ".";
- several on one line separated by ";" ("Kính gửi: Sở Tài chính; Sở Nội vụ; UBND các xã.");
- a table cell ("| Kính gửi: Sở Tài chính |");
- "Đồng kính gửi:" with its own list, printed after the first;
- a Công điện's "<CƠ QUAN / CHỨC DANH> điện:" and the bodies listed under it (NĐ 30 Mẫu 1.6).

A line that opens a field ("Đơn vị trình: …") or the body ends the list; a parenthesis on a line of
its own ("(địa chỉ: …)", "(qua Ban Thi đua)") annotates the addressee and is not part of it.
"""

from __future__ import annotations

import regex

from ..doc import Line, WorkDoc
from ..grammars import REGISTRY, Pattern
from ..grammars.blocks import ARABIC_LABEL, KINH_GUI_F, LEGAL_VERB_F, ROMAN_LABEL
from ..marks import DashedList, dash_len, ensure_marks
from ..normalize import clean_value, fold

# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
_DONG_KINH_GUI_F = REGISTRY["dong_kinh_gui"].rx
# "Đơn vị trình : …", "Vấn đề trình: …", "Thời gian: …": a form's field, not an addressee
_FIELD = REGISTRY["form_field"].rx
_END_PUNCT = (";", ".", ",")


# "THỦ TƯỚNG CHÍNH PHỦ điện:", "BỘ Y TẾ điện:" (the body in capitals, then "điện:")
_DIEN = REGISTRY["telegram_sender"].rx
_DIEN_LABEL = REGISTRY["telegram_label"].rx


def extract_recipients(doc: WorkDoc) -> None:
    if not doc.zones.recipients:
        if doc.header.doc_type == "Công điện":
            doc.recipients = _telegram_recipients(doc)
        else:
            doc.recipients = _cell_recipients(doc)
        return
    start, end = doc.zones.recipients
    ensure_marks(doc)
    lines = doc.lines_in(start, end + 1)
    walked = _list_from(doc, doc.line_index_at(start))  # a wrapped last item may lie past the zone
    if walked[-1].end > lines[-1].end:
        lines = walked
        end = walked[-1].end
    out = _items(doc, lines, KINH_GUI_F.rx)
    dong = _dong_kinh_gui_line(doc, doc.line_index_at(start) + 1, doc.line_index_at(end) + 4)
    if dong is not None:
        out += [v for v in _items(doc, _list_from(doc, dong), _DONG_KINH_GUI_F) if v not in out]
    doc.recipients = out


def _items(doc: WorkDoc, lines: list[Line], label: Pattern | regex.Pattern[str]) -> list[str]:
    """The addressees of the list ``lines``, read by the one dashed-list reader; the first line
    carries the label (``label``), an undashed line after one that ended an item opens the next."""
    lst = DashedList()
    items = lst.items
    closed = True  # the previous line ended an item (";", "." or the label line)
    finished = False  # the list ended with "."
    gap = False  # a blank line since the last item
    prev_end: int | None = None
    for k, ln in enumerate(lines):
        if prev_end is not None and doc.text.count("\n", prev_end, ln.start) > 1:
            gap = True  # the walk skips blank lines: the text between says one was there
        prev_end = ln.end
        s = ln.stripped.strip("|").strip()
        if k == 0:
            m = label.match(doc.folded[ln.start : ln.end].lstrip(" \t|*"))
            if m:
                lead = len(ln.text) - len(ln.text.lstrip(" \t|*"))
                s = ln.text[lead + m.end() :].strip().strip("|").strip()
        s = s.split(" | ")[0].strip() if " | " in s else s
        if not s:
            gap = True
            continue
        n = dash_len(s)
        dashed = n > 0
        if gap and items and not dashed and not items[-1].endswith((";", ",")):
            break  # a wrapped addressee never crosses a blank line: the body starts (a ";" goes on)
        gap = False
        f = fold(s)
        if k > 0 and (_FIELD.match(s) or LEGAL_VERB_F.match(f) or ROMAN_LABEL.match(s) or ARABIC_LABEL.match(s)
                      or _DONG_KINH_GUI_F.match(f)):
            break
        if k > 0 and s.startswith("(") and s.rstrip(".;").endswith(")"):
            continue  # "(địa chỉ: …)" under the addressee
        if finished and not dashed:
            break
        if s.endswith(":") and not items:
            continue  # a lead-in ("Kính gửi các đơn vị sau:")
        lst.add(s, opens=closed, dash=n)  # else a wrapped addressee
        closed = s.endswith(_END_PUNCT)
        finished = s.endswith(".") and not s.endswith("..")
    out: list[str] = []
    for item in items:
        parts = item.split(";") if ";" in item.rstrip(" ;.") else [item]
        for part in parts:
            v = clean_value(part)
            if v and v not in out:
                out.append(v)
    return out


def _dong_kinh_gui_line(doc: WorkDoc, first: int, last: int) -> int | None:
    for i in range(first, min(last + 1, len(doc.lines))):
        if doc.marks[i].has("dong_kinh_gui"):  # the line's marks (vbextract.marks)
            return i
    return None


def _list_from(doc: WorkDoc, i: int) -> list[Line]:
    """The "Đồng kính gửi:" line and the dashed or short lines under it."""
    out = [doc.lines[i]]
    blanks = 0
    for ln in doc.lines[i + 1 : i + 40]:
        s = ln.stripped.strip("|").strip()
        if not s:
            blanks += 1
            if blanks > 1 and len(out) > 1:
                break
            continue
        blanks = 0
        if not dash_len(s) and len(s) > 120:
            break
        out.append(ln)
    return out


def _telegram_recipients(doc: WorkDoc) -> list[str]:
    """A Công điện has no Kính gửi: the bodies follow "<CƠ QUAN> điện:"."""
    end = doc.header.span[1] if doc.header.span else 0
    last = doc.line_index_at(end) + 40
    for i in range(min(len(doc.lines), last)):
        if _DIEN.match(doc.lines[i].stripped):
            return _items(doc, _list_from(doc, i), _DIEN_LABEL)
    return []


def _cell_recipients(doc: WorkDoc) -> list[str]:
    """"Kính gửi:" in a cell beside the V/v of a flattened table ("V/v … | Kính gửi: Sở A; Sở B |")."""
    for ln in doc.lines[:60]:
        if "|" not in ln.text:
            continue
        offset = ln.start
        for cell in ln.text.split("|"):
            f = doc.folded[offset : offset + len(cell)].strip()
            if KINH_GUI_F.match(f):
                m = KINH_GUI_F.match(f)
                rest = cell.strip()[m.end() :] if m else ""
                parts = rest.split(";") if ";" in rest else [rest]
                return [v for v in (clean_value(p) for p in parts) if v]
            offset += len(cell) + 1
    return []
