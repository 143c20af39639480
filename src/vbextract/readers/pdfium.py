"""What the PDF reader needs from a page, taken from PDFium (``pypdfium2``) in a few native calls.

Per page: the words with their boxes (from the text page: the whole text in one call, then the
loose boxes of each word's first and last character), the fonts of the text objects (legacy
TCVN3/VNI detection), the share of the page covered by the largest image (scan detection) and the axis-aligned ruling
segments drawn by path objects (ruled tables). Coordinates are converted to pdfplumber's frame:
points from the top-left corner of the page as displayed (rotation applied), so
:mod:`.pdf_layout` reads them unchanged.

PDFium parses a page's content several times faster than pdfminer and the per-character
Python work is avoided: a word costs two box calls, not one dictionary per character.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field

import regex

from . import pdf_layout as pl

# A segment thinner than this (points) in one direction is a ruling line in the other.
RULE_THICKNESS = 2.0
# Ruling segments shorter than this are glyph-like marks, not table borders (points).
RULE_MIN_LENGTH = 3.0
# Past this many path segments on a page (maps, drawings) only object bounds are used.
MAX_PATH_SEGMENTS = 20_000
# Fonts are read from this many text objects per page: enough for the legacy-font hint, which
# the text itself must confirm (a page of one object per word would cost a call per word).
MAX_FONT_OBJECTS = 64
# Two characters of one \S+ run further apart than this (points, horizontally) are two words,
# as pdfplumber's x_tolerance would split them.
WORD_GAP = 3.0

_WORD = regex.compile(r"[^\s\x00-\x1f\ufffe\uffff]+")


@dataclass
class Edge:
    """A ruling segment in page coordinates: horizontal when ``top == bottom``."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageData:
    width: float
    height: float
    words: list[pl.Word] = field(default_factory=list)
    fonts: set[str] = field(default_factory=set)
    image_cover: float = 0.0
    edges: list[Edge] = field(default_factory=list)


class _Frame:
    """PDF user space → top-left display coordinates of one page (rotation and media box)."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int) -> None:
        self.left, self.bottom, self.right, self.top = mediabox
        self.rotation = rotation % 360
        w, h = self.right - self.left, self.top - self.bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) in display coordinates of a user-space box."""
        x0, y0 = self.point(left, top)
        x1, y1 = self.point(right, bottom)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def point(self, x: float, y: float) -> tuple[float, float]:
        dx, dy = x - self.left, self.top - y  # unrotated, from the top-left corner
        if self.rotation == 90:
            return self.top - self.bottom - dy, dx
        if self.rotation == 180:
            return self.right - self.left - dx, self.top - self.bottom - dy
        if self.rotation == 270:
            return dy, self.right - self.left - dx
        return dx, dy


def open_document(data: bytes):
    """A ``PdfDocument`` of ``data`` (raises ``pypdfium2.PdfiumError`` on damaged/encrypted files)."""
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(data)


def read_page(page) -> PageData:
    """Words, fonts, image cover and ruling segments of one ``PdfPage``."""
    frame = _Frame(tuple(page.get_mediabox()), page.get_rotation())  # type: ignore[arg-type]
    out = PageData(frame.width, frame.height)
    textpage = page.get_textpage()
    try:
        out.words = _words(textpage.raw, frame)  # raw handles: no wrapper property per native call
    finally:
        textpage.close()
    _scan_objects(page.raw, frame, out)
    out.edges = merge_collinear(out.edges)
    return out


def merge_collinear(edges: list[Edge], tolerance: float = 0.1) -> list[Edge]:
    """Join ruling segments on one line that touch or overlap (a cell border drawn cell by cell
    is one edge): far fewer edges for the table finder, the same joined lines it would build."""
    out: list[Edge] = []
    for horizontal in (True, False):
        group = sorted(
            (e for e in edges if (e.top == e.bottom) == horizontal),
            key=lambda e: (round(e.top if horizontal else e.x0, 1), e.x0 if horizontal else e.top),
        )
        cur: Edge | None = None
        for e in group:
            pos, lo, hi = (e.top, e.x0, e.x1) if horizontal else (e.x0, e.top, e.bottom)
            if cur is not None:
                cpos, clo, chi = (cur.top, cur.x0, cur.x1) if horizontal else (cur.x0, cur.top, cur.bottom)
                if abs(pos - cpos) <= tolerance and lo <= chi + tolerance:
                    chi = max(chi, hi)
                    cur = Edge(clo, cpos, chi, cpos) if horizontal else Edge(cpos, clo, cpos, chi)
                    continue
                out.append(cur)
            cur = e
        if cur is not None:
            out.append(cur)
    return out


# --- text ----------------------------------------------------------------------------------------

def _page_text(textpage, n: int) -> str:
    import pypdfium2.raw as raw

    buf = (ctypes.c_ushort * (n + 1))()
    raw.FPDFText_GetText(textpage, 0, n, buf)
    text = bytes(buf)[: 2 * n].decode("utf-16-le", "replace")
    if len(text) != n:  # characters outside the BMP: index by character, one call each
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage, i) or 32) for i in range(n))
    return text


def _words(textpage, frame: _Frame) -> list[pl.Word]:
    import pypdfium2.raw as raw

    n = raw.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    text = _page_text(textpage, n)
    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    loose = raw.FPDFText_GetLooseCharBox
    font_size = raw.FPDFText_GetFontSize
    char_matrix = raw.FPDFText_GetMatrix
    mat = raw.FS_MATRIX()
    mref = ctypes.byref(mat)

    sizes: dict[float, float] = {}

    def size_of(i: int, loose_height: float) -> float:
        """Font size in points as printed: Tf size times the text matrix's vertical scale.

        Memoized by the character's loose box height, which a font and size determine (glyphs
        taller than the font's ascent just add keys), so most words cost no call here.
        """
        key = round(loose_height, 3)
        size = sizes.get(key)
        if size is None:
            size = font_size(textpage, i)
            if char_matrix(textpage, i, mref):
                size *= math.hypot(mat.c, mat.d)
            sizes[key] = size
        return size

    if frame.rotation == 0:  # the common case, without the general transform
        left, top_edge = frame.left, frame.top

        def box(i: int) -> tuple[float, float, float, float]:
            loose(textpage, i, ref)
            return rect.left - left, top_edge - rect.top, rect.right - left, top_edge - rect.bottom
    else:
        def box(i: int) -> tuple[float, float, float, float]:
            loose(textpage, i, ref)
            return frame.box(rect.left, rect.bottom, rect.right, rect.top)

    words: list[pl.Word] = []
    add = words.append
    word = pl.Word
    for m in _WORD.finditer(text):
        start, end = m.span()
        first = box(start)
        last = box(end - 1) if end - start > 1 else first
        if end - start > 2 and text[end - 1].isdigit() and _raised_smaller(first, last):
            cut = _superscript_start(text, start, end, first, box)
            if cut > start:  # "42/2024/QH15" + footnote mark "1": two words, so the ref reads whole
                words.extend(_split_run(text[start:cut], [box(i) for i in range(start, cut)]))
                words.extend(_split_run(text[cut:end], [box(i) for i in range(cut, end)]))
                continue
        # first and last character on one line, in order, and no wider than the characters could
        # be (inlined: this loop runs once per word of the page)
        height = first[3] - first[1]
        h = 1.0 if height < 1.0 else height  # max(height, 1.0)
        if (abs(first[1] - last[1]) < 0.5 * h and last[2] >= first[0]
                and last[2] - first[0] <= 1.2 * h * (end - start) + WORD_GAP):
            # pdfplumber's frame: bottom at the font's descent, top one em above it, whatever the
            # glyphs (a loose box grows with stacked Vietnamese marks, which would split lines)
            bottom = first[3] if first[3] < last[3] else last[3]
            size = sizes.get(round(height, 3))
            if size is None:
                size = size_of(start, height)
            top = bottom - size if size > 0 else min(first[1], last[1])
            add(word(m.group(), first[0], last[2], top, bottom))
        else:  # the run jumps (another line, a wide gap): split it character by character
            words.extend(_split_run(m.group(), [box(i) for i in range(start, end)]))
    return words


def _raised_smaller(first: tuple[float, float, float, float], ch: tuple[float, float, float, float]) -> bool:
    """A superscript glyph: its box smaller than the word's first character's and its bottom raised by a fifth."""
    h = first[3] - first[1]
    return h > 0 and (ch[3] - ch[1]) < 0.9 * h and ch[3] < first[3] - 0.2 * h


def _superscript_start(text: str, start: int, end: int, first, box) -> int:
    """Where a run of superscript digits ending the word begins; ``start`` when it is not a footnote
    mark after a ref-like body ("QH15¹", "NĐ-CP²", "Điều 5³"; not "m²" after a lowercase unit)."""
    k = end - 1
    while k > start and text[k - 1].isdigit() and _raised_smaller(first, box(k - 1)):
        k -= 1
    body = text[start:k]
    if k == start or not (any(c.isdigit() or c.isupper() for c in body)) or body[-1].islower():
        return start
    return k


def _split_run(text: str, boxes: list[tuple[float, float, float, float]]) -> list[pl.Word]:
    words: list[pl.Word] = []
    chars: list[str] = []
    cur: list[float] = []
    for ch, (x0, top, x1, bottom) in zip(text, boxes, strict=True):
        if cur and (x0 - cur[2] > WORD_GAP or x1 < cur[0] or abs(top - cur[1]) > 0.5 * max(cur[3] - cur[1], 1.0)):
            words.append(pl.Word("".join(chars), cur[0], cur[2], cur[1], cur[3]))
            chars, cur = [], []
        chars.append(ch)
        cur = [x0, top, x1, bottom] if not cur else [min(cur[0], x0), min(cur[1], top), max(cur[2], x1),
                                                     max(cur[3], bottom)]
    if chars:
        words.append(pl.Word("".join(chars), cur[0], cur[2], cur[1], cur[3]))
    return words


# --- page objects: fonts, images, ruling lines ------------------------------------------------------

class _Walk:
    def __init__(self, frame: _Frame, out: PageData) -> None:
        self.frame, self.out = frame, out
        self.fonts: set[int] = set()
        self.text_objects = 0
        self.segments = 0
        self.area = max(frame.width * frame.height, 1.0)
        # out-parameters of FPDFPageObj_GetBounds, made once per page instead of once per object
        self.bounds = [ctypes.c_float() for _ in range(4)]
        self.bounds_refs = [ctypes.byref(v) for v in self.bounds]


def _scan_objects(page, frame: _Frame, out: PageData) -> None:
    import pypdfium2.raw as raw

    walk = _Walk(frame, out)
    objs = [raw.FPDFPage_GetObject(page, i) for i in range(raw.FPDFPage_CountObjects(page))]
    _visit(objs, walk, None, depth=0)


def _visit(objs, walk: _Walk, matrix, depth: int) -> None:
    import pypdfium2.raw as raw

    get_type, text_kind = raw.FPDFPageObj_GetType, raw.FPDF_PAGEOBJ_TEXT
    for obj in objs:
        kind = get_type(obj)
        if kind == text_kind:
            if walk.text_objects < MAX_FONT_OBJECTS:
                _font_of(obj, walk)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            _image_of(obj, walk, matrix)
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            _rules_of(obj, walk, matrix)
        elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 4:
            inner = [raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            _visit(inner, walk, _compose(_matrix(obj), matrix), depth + 1)


def _font_of(obj, walk: _Walk) -> None:
    import pypdfium2.raw as raw

    walk.text_objects += 1
    font = raw.FPDFTextObj_GetFont(obj)
    key = ctypes.cast(font, ctypes.c_void_p).value
    if not key or key in walk.fonts:
        return
    walk.fonts.add(key)
    size = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return
    buf = ctypes.create_string_buffer(size)
    raw.FPDFFont_GetBaseFontName(font, buf, size)
    walk.out.fonts.add(buf.value.decode("latin-1"))


def _bounds(obj, matrix, walk: _Walk | None = None) -> tuple[float, float, float, float] | None:
    """User-space (left, bottom, right, top) of an object, through the enclosing forms' matrix."""
    import pypdfium2.raw as raw

    if walk is None:
        vals = [ctypes.c_float() for _ in range(4)]
        refs = [ctypes.byref(v) for v in vals]
    else:
        vals, refs = walk.bounds, walk.bounds_refs
    if not raw.FPDFPageObj_GetBounds(obj, *refs):
        return None
    left, bottom, right, top = (v.value for v in vals)
    if matrix is None:
        return left, bottom, right, top
    xs, ys = zip(*(_apply(matrix, x, y) for x, y in ((left, bottom), (right, top), (left, top), (right, bottom))),
                 strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _image_of(obj, walk: _Walk, matrix) -> None:
    b = _bounds(obj, matrix, walk)
    if b is None:
        return
    f = walk.frame
    x0, top, x1, bottom = f.box(*b)
    w = max(0.0, min(x1, f.width) - max(x0, 0.0))
    h = max(0.0, min(bottom, f.height) - max(top, 0.0))
    walk.out.image_cover = max(walk.out.image_cover, w * h / walk.area)


def _rules_of(obj, walk: _Walk, matrix) -> None:
    """Axis-aligned straight segments of a path (a thin filled rectangle counts as its long side)."""
    import pypdfium2.raw as raw

    b = _bounds(obj, matrix, walk)
    if b is None:
        return
    left, bottom, right, top = b
    if right - left < RULE_MIN_LENGTH and top - bottom < RULE_MIN_LENGTH:  # a dot, a glyph-sized mark
        return
    if right - left <= RULE_THICKNESS or top - bottom <= RULE_THICKNESS:  # the path is one rule
        _add_edge(walk, left, bottom, right, top)
        return
    n = raw.FPDFPath_CountSegments(obj)
    walk.segments += max(n, 0)
    if walk.segments > MAX_PATH_SEGMENTS:
        return
    full = _compose(_matrix(obj), matrix)
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for i in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, i)
        raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        pt = _apply(full, x.value, y.value)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_LINETO and prev is not None:
            _add_segment(walk, prev, pt)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = pt
        prev = pt
        if raw.FPDFPathSegment_GetClose(seg) and start is not None:
            _add_segment(walk, pt, start)
            prev = start


def _add_segment(walk: _Walk, a: tuple[float, float], b: tuple[float, float]) -> None:
    if abs(a[0] - b[0]) <= 0.5 or abs(a[1] - b[1]) <= 0.5:
        _add_edge(walk, min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def _add_edge(walk: _Walk, left: float, bottom: float, right: float, top: float) -> None:
    x0, y0, x1, y1 = walk.frame.box(left, bottom, right, top)
    if x1 - x0 >= y1 - y0:  # horizontal
        if x1 - x0 >= RULE_MIN_LENGTH:
            mid = (y0 + y1) / 2
            walk.out.edges.append(Edge(x0, mid, x1, mid))
    elif y1 - y0 >= RULE_MIN_LENGTH:
        mid = (x0 + x1) / 2
        walk.out.edges.append(Edge(mid, y0, mid, y1))


Matrix = tuple[float, float, float, float, float, float]


def _matrix(obj) -> Matrix:
    import pypdfium2.raw as raw

    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix | None) -> Matrix:
    """The matrix applying ``inner`` then ``outer``."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: Matrix | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f
