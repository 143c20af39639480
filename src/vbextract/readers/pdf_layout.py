"""Reading order of one PDF page from pdfplumber words: lines, two-column blocks, tables.

Vietnamese administrative documents put the issuer and the national motto side by side in a
borderless two-column table, and the ``Nơi nhận`` list beside the signature. Extractors return
those cells interleaved or in content-stream order (see shared/spec/deps.md §3), so this module
rebuilds the order from coordinates: a two-column block is emitted whole left column first, then
the right column, which is the order python-docx gives for the same table.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from operator import itemgetter

# A gap wider than this between two words on one line separates table columns (points).
COLUMN_GAP = 14.0
# Lines whose tops differ by less than this belong to the same visual line (points).
LINE_TOLERANCE = 3.0


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Line:
    words: list[Word]
    page: int
    # (words list, its length, x0, top, x1, bottom): the box is read many times per line by the
    # layout code; it is recomputed when ``words`` is replaced or grows (sorting keeps the box)
    _box: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def _geometry(self) -> tuple:
        ws = self.words
        b = self._box
        if b is None or b[0] is not ws or b[1] != len(ws):
            b = (ws, len(ws), min(w.x0 for w in ws), min(w.top for w in ws), max(w.x1 for w in ws),
                 max(w.bottom for w in ws))
            self._box = b
        return b

    @property
    def x0(self) -> float:
        return self._geometry()[2]

    @property
    def x1(self) -> float:
        return self._geometry()[4]

    @property
    def top(self) -> float:
        return self._geometry()[3]

    @property
    def bottom(self) -> float:
        return self._geometry()[5]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)

    @property
    def height(self) -> float:
        return max(1.0, self.bottom - self.top)


@dataclass
class Block:
    """A run of output lines: ``kind`` is 'text' (may be joined), 'columns' or 'table' (kept)."""

    kind: str
    lines: list[tuple[str, int, tuple[float, float, float, float] | None]] = field(default_factory=list)
    top: float = 0.0


def to_words(raw: list[dict]) -> list[Word]:
    return [
        Word(unicodedata.normalize("NFC", w["text"]), float(w["x0"]), float(w["x1"]), float(w["top"]),
             float(w["bottom"]))
        for w in raw
        if w["text"].strip()
    ]


def group_lines(words: list[Word], page: int, tolerance: float = LINE_TOLERANCE) -> list[Line]:
    """Group words into visual lines by their top coordinate, each sorted left to right."""
    lines: list[Line] = []
    for w in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1].words[0].top - w.top) < tolerance:
            lines[-1].words.append(w)
        else:
            lines.append(Line([w], page))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def column_gaps(line: Line, page_width: float) -> list[tuple[float, float]]:
    """Wide horizontal gaps inside a line that could be a table gutter (middle 15–80% of page)."""
    gaps = []
    for a, b in zip(line.words, line.words[1:]):
        if b.x0 - a.x1 >= COLUMN_GAP:
            mid = (a.x1 + b.x0) / 2
            if 0.15 * page_width < mid < 0.8 * page_width:
                gaps.append((a.x1, b.x0))
    return gaps


def crosses(line: Line, gutter: tuple[float, float]) -> bool:
    lo, hi = gutter
    mid = (lo + hi) / 2
    return any(w.x0 < mid < w.x1 for w in line.words)


_BODY_START = re.compile(r"^(Kính\s*gửi|Căn\s*cứ|Điều\s+\d|Chương\s+[IVX\d])", re.IGNORECASE)


def find_column_blocks(lines: list[Line], page_width: float) -> list[tuple[int, int, float]]:
    """Find runs of lines forming a borderless two-column table: (first, last+1, gutter x).

    A run starts at a line with a wide gap in the middle of the page and grows while lines keep a
    compatible gap or stay on one side of it, and the vertical spacing stays table-like.
    """
    blocks: list[tuple[int, int, float]] = []
    i = 0
    while i < len(lines):
        gaps = column_gaps(lines[i], page_width)
        if not gaps or _BODY_START.match(lines[i].text):
            i += 1
            continue
        lo, hi = max(gaps, key=lambda g: g[1] - g[0])
        j = i + 1
        splits = 1
        while j < len(lines):
            ln, prev = lines[j], lines[j - 1]
            if ln.top - prev.bottom > 4 * max(prev.height, 10) or _BODY_START.match(ln.text):
                break
            if crosses(ln, (lo, hi)):
                break
            g = [x for x in column_gaps(ln, page_width) if x[0] < hi and x[1] > lo]
            if g:
                lo, hi = max(lo, min(a for a, _ in g)), min(hi, max(b for _, b in g))
                splits += 1
            j += 1
        # extend upwards over one-sided lines just above (a lone issuer line, for example)
        start = i
        while start > 0 and (not blocks or start > blocks[-1][1]):
            ln = lines[start - 1]
            if crosses(ln, (lo, hi)) or lines[start].top - ln.bottom > 2 * ln.height:
                break
            start -= 1
        if splits >= 2 or (splits == 1 and j - start >= 3):
            blocks.append((start, j, (lo + hi) / 2))
            i = j
        else:
            i += 1
    return blocks


def split_columns(lines: list[Line], gutter: float) -> tuple[list[Line], list[Line]]:
    """Cut each line at the gutter; return the left pieces and the right pieces, top to bottom."""
    left: list[Line] = []
    right: list[Line] = []
    for ln in lines:
        lw = [w for w in ln.words if (w.x0 + w.x1) / 2 < gutter]
        rw = [w for w in ln.words if (w.x0 + w.x1) / 2 >= gutter]
        if lw:
            left.append(Line(lw, ln.page))
        if rw:
            right.append(Line(rw, ln.page))
    return left, right


def join_cell_lines(lines: list[Line]) -> list[Line]:
    """Inside a column, join a line that plainly continues the previous one (starts in lower case
    or with an opening bracket while the previous line has no closing punctuation)."""
    out: list[Line] = []
    for ln in lines:
        first = ln.text[:1]
        if out and (first.islower() or first == "(") and not out[-1].text.rstrip().endswith((";", ":", ".")) \
                and ln.top - out[-1].bottom < 1.5 * out[-1].height:
            out[-1] = Line(out[-1].words + ln.words, ln.page)
        else:
            out.append(ln)
    return out


# --- tables (their rows and roles: :mod:`.tables`) ---------------------------------------------

def cell_text(words: list[Word], bbox: tuple[float, float, float, float]) -> str:
    """Text of the words whose centre falls inside ``bbox``, in reading order."""
    x0, top, x1, bottom = bbox
    ys, centred = _centres(words)
    lo, hi = bisect_left(ys, top), bisect_right(ys, bottom)  # the words of the cell's rows only
    # back in the list's order: group_lines sorts stably, so ties keep it
    inside = [c[3] for c in sorted((c for c in centred[lo:hi] if x0 <= c[1] <= x1), key=itemgetter(2))]
    return " ".join(ln.text for ln in group_lines(inside, 0))


# The centres of the last word list given to cell_text (a table asks for every cell of one list):
# (list, its length, centre tops sorted, (cy, cx, index, word) sorted by cy).
_last_centres: tuple = (None, 0, [], [])


def _centres(words: list[Word]) -> tuple[list[float], list[tuple]]:
    global _last_centres
    last = _last_centres
    if last[0] is words and last[1] == len(words):
        return last[2], last[3]
    centred = sorted(((w.top + w.bottom) / 2, (w.x0 + w.x1) / 2, i, w) for i, w in enumerate(words))
    ys = [c[0] for c in centred]
    _last_centres = (words, len(words), ys, centred)
    return ys, centred


# --- paragraphs ----------------------------------------------------------------------------------

_ITEM_START = re.compile(
    r"^(\d+(\.\d+)*[.)]\s|[a-zđ][)]\s|[-–+•*]\s|[IVXLC]+[.)]\s|Điều\s+\d|Chương\s|Mục\s+\d|Phần\s|"
    r"Nơi\s*nhận|Kính\s*gửi|Căn\s*cứ)"
)


def join_wrapped(lines: list[Line], right_margin: float, left_margin: float) -> list[list[Line]]:
    """Group visual lines into paragraphs: a line continues the previous one when the previous
    line ran to the right margin, the spacing is normal and the new line does not start an item."""
    paras: list[list[Line]] = []
    for ln in lines:
        if paras:
            prev = paras[-1][-1]
            width = max(right_margin - left_margin, 1.0)
            full = prev.x1 >= right_margin - 0.12 * width
            close = ln.top - prev.bottom < 1.2 * prev.height
            starts_item = bool(_ITEM_START.match(ln.text))
            centred = ln.x0 > left_margin + 0.2 * width and prev.x0 > left_margin + 0.2 * width
            if close and not starts_item and (full or (centred and _is_upper(prev.text) == _is_upper(ln.text)
                                                      and not _is_upper(ln.text))):
                paras[-1].append(ln)
                continue
        paras.append([ln])
    return paras


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


_PAGE_NUMBER = re.compile(r"^[-–\s]*(trang\s*)?\d{1,4}(\s*/\s*\d{1,4})?[-–\s]*$", re.IGNORECASE)


def is_page_number(line: Line, page_height: float) -> bool:
    near_edge = line.top < 0.1 * page_height or line.bottom > 0.9 * page_height
    return near_edge and bool(_PAGE_NUMBER.match(line.text))
