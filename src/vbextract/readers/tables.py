"""Turning table rows into text lines, shared by the DOC, RTF and HTML readers.

Small two-column tables are layout (header with issuer and motto, ``Nơi nhận`` beside the
signature): they are emitted a whole column at a time, left first, like the PDF and DOCX readers.
Task tables become the phrasing of the task parser; other tables one line per row.
"""

from __future__ import annotations

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
