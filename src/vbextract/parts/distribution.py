"""Nơi nhận: one item per printed dash line, "Như trên" and "Lưu: VT, …" included.

A line that wraps ("- Phòng LĐTBXH -DT các huyện, Phòng" / "LĐTBXH TP;") is joined to its item.
"Nơi nhận:", the dashes and the signature column's authority lines are the lines' marks
(:mod:`vbextract.marks`); the items are read by the one dashed-list reader (``marks.DashedList``).
"""

from __future__ import annotations

import regex

from ..doc import Line, WorkDoc
from ..grammars import REGISTRY
from ..marks import DashedList, dash_len, ensure_marks, is_dashed
from ..normalize import clean_value
from .signature import NAME

# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
_LUU = REGISTRY["luu_item"].rx
_DASHED_LUU = REGISTRY["dashed_luu_item"].rx
# a dash after the end of an item: where a converter joined the list on one line
_INLINE_DASH = REGISTRY["inline_dash"].rx


def extract_distribution(doc: WorkDoc) -> None:
    if not doc.zones.distribution:
        return
    ensure_marks(doc)
    start, end = doc.zones.distribution
    lst = DashedList()
    for ln in doc.lines_in(start, end + 1) + _interleaved_rest(doc, end):
        s = ln.stripped
        mk = doc.marks[doc.line_index_at(ln.start)]  # the line's marks (vbextract.marks)
        m = mk.marker("noi_nhan")
        if m:
            s = s[m.end - (ln.start + len(ln.text) - len(ln.text.lstrip())) :].strip()
            if not s:
                continue
        if not s or mk.has("authority"):
            continue
        last = lst.items[-1] if lst.items else ""
        n = dash_len(s)
        if not n and _LUU.match(last) and last.rstrip().endswith("."):
            break  # after "Lưu: VT, CT." come the drafter's initials and copy count ("09 KH")
        lst.add(s, dash=n)
    # a converter may print the whole list on one line ("- A; - B; - Lưu: VT.")
    items = [part for item in lst.items for part in _INLINE_DASH.split(item)]
    doc.distribution = [v for v in (_clean_item(i) for i in items) if v]


def _interleaved_rest(doc: WorkDoc, end: int) -> list[Line]:
    """The rest of a Nơi nhận list that a PDF interleaved with the signature column.

    Text extraction can print the signature's chain lines in the middle of the list ("- CT, PCT
    UBND tỉnh;" / "TL. CHỦ TỊCH" / "KT. CHÁNH VĂN PHÒNG" / "PHÓ CHÁNH VĂN PHÒNG" / "- Các sở, ngành:
    …"): after one to four such lines, dashed items and their wrapped lines still belong to the list.
    The signer's name or any other line ends it.
    """
    i = doc.line_index_at(end) + 1
    skipped = 0
    out: list[Line] = []
    while i < len(doc.lines):
        ln = doc.lines[i]
        s = ln.stripped
        i += 1
        if not s:
            break
        if is_dashed(s):
            if not skipped:
                break  # no signature line came between: the zone's end is the list's end
            out.append(ln)
            if _DASHED_LUU.match(s):
                break
            continue
        if (doc.marks[i - 1].has("authority") or (s.upper() == s and any(c.isalpha() for c in s))) and skipped < 4:
            skipped += 1  # a chain or title line of the signature column
            continue
        if out and not (NAME.match(s) or s.upper() == s or len(s) > 90 or s[0].isdigit()):
            out.append(ln)  # a wrapped item
            continue
        break
    return out


# a copy count and initials after the Lưu line's period; trailing dots (compiled once, see _clean_item)
_COPY_COUNT_TAIL = regex.compile(r"\.\s+\d{1,3}\s*\p{L}{0,6}$")
_DOTS_TAIL = regex.compile(r"\.{2,}$")


def _clean_item(item: str) -> str | None:
    # A flattened table closes the Nơi nhận cell with "|" and may go on with the signature cell on
    # the same line ("Lưu: VT, NC (2). | THỦ TƯỚNG …"): the item ends at the bar.
    v = clean_value(next((p for p in item.split("|") if p.strip()), ""))
    if v is None or not any(c.isalnum() for c in v):
        return None  # a dotted placeholder of a form ("………")
    if _LUU.match(v):
        # a copy count and initials printed after the Lưu line's period, joined by a converter
        # ("Lưu: VT, CT. 09 KH"): not part of the item
        v = _COPY_COUNT_TAIL.sub("", v)
    return _DOTS_TAIL.sub("", v).strip() or None
