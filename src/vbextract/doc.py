"""The working document that flows through the parsing stages.

``WorkDoc`` holds the normalized text, its same-length fold key, lines, layout boxes from the reader,
zone spans and the warnings gathered so far. Each stage in :mod:`vbextract.pipeline` reads what
earlier stages left on it and adds its own part; the pydantic :class:`~vbextract.document.Document`
is only built at the end.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .document import (
    Appendix,
    Citation,
    Deadline,
    Header,
    LegalBasis,
    Notice,
    Section,
    Signature,
    Source,
    Task,
)
from .normalize import OffsetMap, fold


@dataclass(frozen=True)
class Line:
    """One line of the normalized text: ``text[start:end]`` (newline excluded)."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class LayoutBox:
    """Where a stretch of text sat on the page (PDF readers fill these in)."""

    start: int
    end: int
    page: int
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class TableCell:
    """One cell of a table the reader saw: ``text[start:end]`` is what the cell printed."""

    start: int
    end: int


@dataclass
class TableRow:
    cells: list[TableCell] = field(default_factory=list)

    @property
    def span(self) -> tuple[int, int]:
        spans = [(c.start, c.end) for c in self.cells if c.end > c.start]
        if not spans:
            pos = self.cells[0].start if self.cells else 0
            return (pos, pos)
        return (min(a for a, _ in spans), max(b for _, b in spans))


@dataclass
class Table:
    """A table as structure (rows of cells with spans), handed over by a reader."""

    rows: list[TableRow] = field(default_factory=list)
    page: int | None = None

    @property
    def span(self) -> tuple[int, int]:
        spans = [r.span for r in self.rows if r.span[1] > r.span[0]]
        if not spans:
            return (0, 0)
        return (min(a for a, _ in spans), max(b for _, b in spans))


@dataclass(frozen=True)
class Mark:
    """One grammar hit on a line, found once by :mod:`vbextract.marks`: the entry's ``name``, its
    span in ``text`` (the same offsets in ``folded``) and its named groups as ``(group, value,
    start)`` (``start`` an offset in ``text``; groups that did not take part are left out)."""

    name: str
    start: int
    end: int
    groups: tuple[tuple[str, str, int], ...] = ()

    def __getitem__(self, group: str) -> str | None:
        for g, v, _ in self.groups:
            if g == group:
                return v
        return None

    def offset(self, group: str) -> int:
        """Where ``group`` starts, counted from the mark's own start (like ``Match.start(group)``
        on the string the entry was matched on); -1 when the group did not take part."""
        for g, _, a in self.groups:
            if g == group:
                return a - self.start
        return -1

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class LineMarks:
    """What the grammar found on one line (``doc.marks[i]`` for ``doc.lines[i]``).

    ``labels``: every item-label entry that matches the stripped line (``article_label``,
    ``roman_label``, ``arabic_label``, ``bullet`` …, in :data:`vbextract.marks.LABELS` order; a
    line may carry several, "i) …" is a letter and a lower roman label, the reader picks by
    context). ``markers``: the landmarks of the national format matched at the line's start
    (``kinh_gui``, ``dong_kinh_gui``, ``legal_basis_verb`` (also after the dash of "- Căn cứ …"),
    ``subject_stop``, ``noi_nhan``, ``authority``, ``signature_open``) and, on the first lines
    (up to Kính gửi), the head's (``quoc_hieu``,
    ``tieu_ngu``, ``party_header``, ``so_line``, ``place_date``, ``vv_line``, ``vv_mark``,
    ``type_title``; such a match may run over the next line)."""

    labels: tuple[Mark, ...] = ()
    markers: tuple[Mark, ...] = ()

    def label(self, name: str) -> Mark | None:
        for m in self.labels:
            if m.name == name:
                return m
        return None

    def marker(self, name: str) -> Mark | None:
        for m in self.markers:
            if m.name == name:
                return m
        return None

    def has(self, name: str) -> bool:
        # plain loops: zoning and the section tree ask this of every line, and two any() over
        # generators cost several times more on the few marks a line holds
        for marks in (self.markers, self.labels):
            for m in marks:
                if m.name == name:
                    return True
        return False


NO_MARKS = LineMarks()


@dataclass
class Item:
    """One labeled item or bullet of the body, with the line range it owns (``parts/sections.py``
    builds the forest from the lines' label marks; tasks and table tasks read it)."""

    kind: str  # part | chapter | article | roman | arabic | letter | ordinal | bullet
    label: str  # as printed: "III.", "2.3.1.", "a)", "Một là", "-"
    key: str  # normalized: "III", "2.3.1", "a", "1"
    level: float
    start: int  # offset of the label line
    head_end: int  # end of the label line
    end: int = 0  # end of the item's own text (before its next sibling or child)
    tree_end: int = 0  # end including children
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    id: str = ""
    section_kind: str = "other"
    lead_in: tuple[int, int] | None = None  # text between the heading and the first child
    hard_end: int | None = None  # a closing paragraph cut the item short
    directs: bool = False  # a Điều that directs units (its title or its execution clause)
    background: bool = False  # a roman section on scope, situation or results: it assigns nothing

    @property
    def is_bullet(self) -> bool:
        return self.kind == "bullet"


@dataclass
class Zones:
    """Character ranges of the document's parts; ``None`` when the part is absent."""

    header: tuple[int, int] | None = None
    recipients: tuple[int, int] | None = None
    preamble: tuple[int, int] | None = None
    body: tuple[int, int] | None = None
    distribution: tuple[int, int] | None = None
    signature: tuple[int, int] | None = None
    appendix: tuple[int, int] | None = None


@dataclass
class WorkDoc:
    text: str
    source: Source = field(default_factory=Source)
    offsets: OffsetMap = field(default_factory=OffsetMap)
    layout: list[LayoutBox] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    zones: Zones = field(default_factory=Zones)
    header: Header = field(default_factory=Header)
    use_ml: bool = True
    kind: str = "unknown"
    header_title: str | None = None
    header_vv: bool = False
    items: list[Item] = field(default_factory=list)  # the Item forest of the body (sections)
    recipients: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    signature: Signature | None = None
    distribution: list[str] = field(default_factory=list)
    appendices: list[Appendix] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # from the reader, spans in ``text``
    notices: list[Notice] = field(default_factory=list)  # ``warnings`` as data
    stage: str | None = None  # the stage running now (the default path of its warnings)
    # values derived once and read by several stages (``table_tasks.task_tables``)
    cache: dict[str, object] = field(default_factory=dict)
    # the citations stage's ref spans ("Quyết định số 12/QĐ-UBND ngày 05/3/2025"): dates inside
    # them are a cited document's, never a deadline
    citation_spans: list[tuple[int, int]] = field(default_factory=list)
    folded: str = ""
    lines: list[Line] = field(default_factory=list)
    # what the grammar found on each line, by line index (the ``marks`` stage, :mod:`vbextract.marks`)
    marks: list[LineMarks] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.folded = fold(self.text)
        pos = 0
        for raw in self.text.split("\n"):
            self.lines.append(Line(pos, pos + len(raw), raw))
            pos += len(raw) + 1
        self._line_starts = [ln.start for ln in self.lines]

    def warn(self, message: str, code: str | None = None, *, path: str | None = None,
             producer: str | None = None) -> None:
        """Record a warning once: the sentence in ``warnings``, and as data in ``notices`` (the
        path defaults to the running stage, the code to ``<stage>.note``)."""
        if message in self.warnings:
            return
        self.warnings.append(message)
        stage = self.stage or "read"
        prod = producer or ("ml" if stage == "ml" or message.startswith("ml:") else
                            "reader" if stage == "read" else "rules")
        self.notices.append(Notice(code=code or f"{stage}.note", message=message, path=path or stage,
                                   producer=prod))  # type: ignore[arg-type]

    def line_index_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._line_starts, offset) - 1)

    def lines_in(self, start: int, end: int) -> list[Line]:
        """Lines that start inside ``[start, end)``."""
        i = bisect.bisect_left(self._line_starts, start)
        j = bisect.bisect_left(self._line_starts, end)
        return self.lines[i:j]

    def line_range(self, start: int, end: int) -> range:
        """Indices of the lines that start inside ``[start, end)`` (those of :meth:`lines_in`)."""
        return range(bisect.bisect_left(self._line_starts, start), bisect.bisect_left(self._line_starts, end))

    def marks_in(self, start: int, end: int) -> list[LineMarks]:
        """The marks of the lines that start inside ``[start, end)`` (parallel to :meth:`lines_in`)."""
        r = self.line_range(start, end)
        return self.marks[r.start : r.stop]

    def page_at(self, offset: int) -> int | None:
        for box in self.layout:
            if box.start <= offset < box.end:
                return box.page
        return None

    def bbox_of(self, start: int, end: int) -> tuple[float, float, float, float] | None:
        boxes = [b.bbox for b in self.layout if b.bbox and b.start < end and b.end > start]
        if not boxes:
            return None
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
