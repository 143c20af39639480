"""The working document that flows through the parsing stages.

``Doc`` holds the normalized text, its same-length fold key, lines, layout boxes from the reader,
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
class Doc:
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
    items: list = field(default_factory=list)  # sections.Item forest of the body
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
    # filled by stages for later stages: spans that are not free text (citations, header, …)
    protected: list[tuple[int, int]] = field(default_factory=list)
    folded: str = ""
    lines: list[Line] = field(default_factory=list)
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
