"""Turning table rows into text lines, shared by the DOC, RTF and HTML readers.

Small two-column tables are layout (header with issuer and motto, ``Nơi nhận`` beside the
signature): they are emitted a whole column at a time, left first, like the PDF and DOCX readers.
Task tables become the phrasing of the task parser; other tables one line per row.
"""

from __future__ import annotations

import re

from .pdf_layout import classify_header_row, render_table_rows

# More rows than this and a 2–3 column table is data, not a layout table.
LAYOUT_MAX_ROWS = 8


def table_lines(rows: list[list[str]]) -> list[str]:
    """Lines for one table; a cell may hold several paragraphs separated by newlines."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    flat = [[" ".join(c.split()) for c in r] for r in rows]
    ncols = max(len(r) for r in rows)
    if ncols <= 3 and len(rows) <= LAYOUT_MAX_ROWS and classify_header_row(flat[0]) is None:
        out: list[str] = []
        for col in range(ncols):
            for r in rows:
                if col < len(r):
                    out.extend(" ".join(p.split()) for p in r[col].split("\n") if p.strip())
        return out
    return render_table_rows(merge_continuation_rows(flat))


def merge_continuation_rows(rows: list[list[str]]) -> list[list[str]]:
    """Text renderers print one line per cell paragraph: a line whose first cell is empty
    continues the row above (only for tables whose first column is numbered)."""
    if not rows or classify_header_row(rows[0]) is None:
        return rows
    out = [rows[0]]
    for r in rows[1:]:
        if out and len(out) > 1 and r and not r[0].strip():
            prev = out[-1]
            merged = [" ".join(x for x in (prev[i] if i < len(prev) else "", r[i] if i < len(r) else "") if x)
                      for i in range(max(len(prev), len(r)))]
            out[-1] = merged
        else:
            out.append(r)
    return out


def pipe_tables_to_lines(text: str) -> str:
    """Replace ``|cell|cell|`` row blocks (antiword, our RTF reader) with :func:`table_lines`."""
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            out.extend(table_lines(block))
            block.clear()

    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and len(s) > 1:
            block.append([c.strip() for c in s[1:-1].split("|")])
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


_GAP = re.compile(r"\S(?:\t| {3,})\S")


def _is_split(line: str) -> bool:
    """Two pieces of text far apart on one line: the sign of a tab/space-positioned two-column row."""
    return any(m.start() >= 10 for m in _GAP.finditer(line))


def _river(lines: list[str]) -> tuple[int, int] | None:
    """The run of character columns (past column 15) blank on every line that has the most lines
    with text on both sides (then the widest): the gutter of a space-positioned two-column table."""
    width = max(len(ln) for ln in lines)
    text_lines = [ln for ln in lines if ln.strip()]
    free = [all(c >= len(ln) or ln[c] == " " for ln in text_lines) for c in range(width)]
    best: tuple[int, int] | None = None
    best_key = (0, 0)
    c = 15
    while c < width:
        if free[c]:
            start = c
            while c < width and free[c]:
                c += 1
            if c < width and c - start >= 2:
                both = sum(1 for ln in text_lines if ln[:start].strip() and ln[c:].strip())
                if (both, c - start) > best_key:
                    best, best_key = (start, c), (both, c - start)
        c += 1
    return best


def split_spaced_columns(text: str) -> str:
    """Text tools print a two-column header as one line per row padded with spaces; emit the left
    column's lines first, then the right column's, as the PDF and DOCX readers do."""
    lines = [ln.expandtabs(8).rstrip() for ln in text.split("\n")]
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _is_split(lines[i]) or lines[i].lstrip().startswith("|"):
            out.append(lines[i])
            i += 1
            continue
        j, river = _grow_block(lines, i)
        both = sum(1 for ln in lines[i:j] if ln[: river[0]].strip() and ln[river[1]:].strip()) if river else 0
        if river is None or both < 2:
            out.append(lines[i])
            i += 1
            continue
        block = [ln for ln in lines[i:j] if ln.strip()]
        out += [ln[: river[0]].strip() for ln in block if ln[: river[0]].strip()]
        out += [ln[river[0]:].strip() for ln in block if ln[river[0]:].strip()]
        i = j
    return "\n".join(out)


def _grow_block(lines: list[str], i: int) -> tuple[int, tuple[int, int] | None]:
    """Extend a block from line ``i`` while a blank column river survives; blank lines are crossed
    only when the next text line is itself a two-column row."""
    j = i + 1
    river = _river([lines[i]])
    while j < len(lines):
        ln = lines[j]
        if not ln.strip():
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and _is_split(lines[k]) and k - j <= 2:
                j = k
                continue
            break
        if ln.lstrip().startswith("|"):
            break
        candidate = _river(lines[i : j + 1])
        if candidate is None:
            break
        river = candidate
        j += 1
    return j, river


RULE_LINE = re.compile(r"^[\s\-–—_=*~.·&+:/\\|<>]{3,}$")


def drop_rule_lines(text: str) -> str:
    """Drop decoration lines ("-------", "*****", "===&===") drawn under the issuer and the motto:
    they carry no content and sit between header lines the parser reads as one block."""
    return "\n".join(ln for ln in text.split("\n") if not RULE_LINE.match(ln))
