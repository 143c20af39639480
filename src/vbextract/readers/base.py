"""What every reader returns (its own module, so readers import it without importing the dispatcher)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..doc import LayoutBox, Table
from ..document import Source


@dataclass
class ReadResult:
    text: str
    source: Source
    warnings: list[str] = field(default_factory=list)
    # layout boxes with offsets into ``text`` (before normalization)
    layout: list[LayoutBox] = field(default_factory=list)
    # tables as structure: rows of cells whose spans point into ``text`` (which holds only what
    # the document printed: the cell texts in reading order)
    blocks: list[Table] = field(default_factory=list)
