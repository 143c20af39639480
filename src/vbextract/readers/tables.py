"""Tables, shared by every reader: layout or data, reading order, and tables as structure.

Small two-column tables are layout (header with issuer and motto, ``Nơi nhận`` beside the
signature): they are emitted a whole column at a time, left first, the order python-docx gives.
Every other table is emitted row by row, one line per cell paragraph, and handed over as
structure (:class:`~vbextract.doc.Table`: rows of cells with their spans in the reader's text).
Nothing is written that the document did not print: the task parts read the structure
(:mod:`vbextract.parts.table_tasks`), not phrasing invented here.

Markdown pages hold tables in two spellings, both read by :func:`markdown_tables` without
changing the text: GitHub pipe rows (``| a | b |``) and the converted pages of
thuvienphapluat.vn, where each cell is its own run of lines closed by a line holding only ``|``
(rows are ``|c1|…|cn|``, so two bar lines in a row separate rows).
"""

from __future__ import annotations

import re

from ..doc import Table, TableCell, TableRow

# One threshold for every reader: more rows than this and a 2–3 column table is data, not layout.
LAYOUT_MAX_ROWS = 8

# Column roles of a task table's header row ("STT | Nội dung công việc | Cơ quan chủ trì | …").
HEADER_ROLES = {
    "no": re.compile(r"^(s?tt|số\s*tt|số\s*thứ\s*tự)\.?$", re.IGNORECASE),
    "lead": re.compile(r"chủ\s*trì|(?:cơ\s*quan|đơn\s*vị)\s*(?:thực\s*hiện|triển\s*khai|tham\s*mưu)|"
                       r"trách\s*nhiệm\s*thực\s*hiện", re.IGNORECASE),
    "support": re.compile(r"phối\s*hợp", re.IGNORECASE),
    "time": re.compile(r"thời\s*(gian|hạn|điểm)|tiến\s*độ|hoàn\s*thành", re.IGNORECASE),
    "note": re.compile(r"ghi\s*chú", re.IGNORECASE),
    "product": re.compile(r"sản\s*phẩm|kết\s*quả", re.IGNORECASE),
    "task": re.compile(r"nhiệm\s*vụ|nội\s*dung|công\s*việc|hoạt\s*động|giải\s*pháp", re.IGNORECASE),
}
_ROLE_ORDER = ("no", "lead", "support", "time", "note", "product", "task")


def classify_header_row(cells: list[str]) -> dict[str, int] | None:
    """Column roles (no, task, lead, support, time, note, product) of a task table's header row,
    or ``None`` when the row is not one (a lead column and a task or number column are needed)."""
    roles: dict[str, int] = {}
    for idx, cell in enumerate(cells):
        text = " ".join(cell.replace("*", " ").split())
        if not text or len(text) > 80:
            continue
        for role in _ROLE_ORDER:
            if role not in roles and HEADER_ROLES[role].search(text):
                roles[role] = idx
                break
    return roles if "lead" in roles and ("task" in roles or "no" in roles) else None


def is_layout_table(rows: list[list[str]]) -> bool:
    """Two or three columns, few rows, no task header: issuer/motto or Nơi nhận/signature."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return False
    ncols = max(len(r) for r in rows)
    return ncols <= 3 and len(rows) <= LAYOUT_MAX_ROWS and classify_header_row(rows[0]) is None


def table_lines(rows: list[list[str]]) -> list[str]:
    """Lines for one table; a cell may hold several paragraphs separated by newlines.

    Layout tables: each column whole, left first. Other tables: row by row, one line per cell
    paragraph (empty cells print nothing).
    """
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return []
    if is_layout_table(rows):
        out: list[str] = []
        for col in range(max(len(r) for r in rows)):
            for r in rows:
                if col < len(r):
                    out.extend(_paragraphs(r[col]))
        return out
    return [p for r in merge_continuation_rows(rows) for c in r for p in _paragraphs(c)]


def _paragraphs(cell: str) -> list[str]:
    return [" ".join(p.split()) for p in (cell or "").split("\n") if p.strip()]


def merge_continuation_rows(rows: list[list[str]]) -> list[list[str]]:
    """Text renderers print one line per cell paragraph: a line whose first cell is empty
    continues the row above (only for task tables, whose first column is numbered)."""
    if not rows or classify_header_row(rows[0]) is None:
        return rows
    out = [rows[0]]
    for r in rows[1:]:
        if len(out) > 1 and r and not r[0].strip():
            prev = out[-1]
            merged = ["\n".join(x for x in (prev[i] if i < len(prev) else "", r[i] if i < len(r) else "") if x)
                      for i in range(max(len(prev), len(r)))]
            out[-1] = merged
        else:
            out.append(r)
    return out


# --- tables as structure ----------------------------------------------------------------------------

def locate_tables(text: str, tables: list[list[list[str]]]) -> list[Table]:
    """Find the cells of row-wise tables in the reader's final ``text``, in order.

    Readers emit each cell paragraph as a line of its own (:func:`table_lines`), then tidy the
    text (rule lines, blank runs, legacy fonts); searching the cells again afterwards keeps
    their spans right whatever the tidying did. A cell that cannot be found gets an empty span.
    """
    out: list[Table] = []
    pos = 0
    for rows in tables:
        table = Table()
        first = True  # the table's first cell may be anywhere after the previous table
        for row in merge_continuation_rows([r for r in rows if any(c.strip() for c in r)]):
            trow = TableRow()
            for cell in row:
                paras = _paragraphs(cell)
                span, pos = _find_cell(text, paras, pos, len(text) if first else _SEARCH_WINDOW)
                first = first and not paras
                trow.cells.append(TableCell(*span))
            table.rows.append(trow)
        if table.rows and table.span[1] > table.span[0]:
            out.append(table)  # a one-row table may continue the one before (a page's last row)
    return [t for t in join_tables(text, out) if len(t.rows) >= 2]


# how far past the previous cell a cell's first line may be (dropped lines between them)
_SEARCH_WINDOW = 600


def _find_cell(text: str, paras: list[str], pos: int, window: int) -> tuple[tuple[int, int], int]:
    if not paras:
        return (pos, pos), pos
    start = end = -1
    cur = pos
    for para in paras:
        at = _find_line(text, para, cur, cur + window + len(para))
        if at < 0:
            continue
        if start < 0:
            start = at
        end = at + len(para)
        cur = end
    if start < 0:
        return (pos, pos), pos
    return (start, end), end


def _find_line(text: str, line: str, lo: int, hi: int) -> int:
    """Offset of ``line`` printed as a whole line of ``text`` inside ``[lo, hi)``, or -1."""
    at = text.find(line, lo, hi)
    while at >= 0:
        before_ok = at == 0 or text[at - 1] == "\n"
        after = at + len(line)
        if before_ok and (after == len(text) or text[after] == "\n"):
            return at
        at = text.find(line, at + 1, hi)
    return -1


def pipe_tables_to_lines(text: str) -> tuple[str, list[list[list[str]]]]:
    """Replace ``|cell|cell|`` row blocks (antiword, our RTF reader) with :func:`table_lines`;
    return the new text and the rows of the row-wise tables, for :func:`locate_tables`."""
    out: list[str] = []
    block: list[list[str]] = []
    found: list[list[list[str]]] = []

    def flush() -> None:
        if block:
            out.extend(table_lines(block))
            if not is_layout_table(block):
                found.append(list(block))
            block.clear()

    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and len(s) > 1:
            block.append([c.strip() for c in s[1:-1].split("|")])
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out), found


# --- Markdown -------------------------------------------------------------------------------------------

_GFM_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_GFM_RULE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?$")
# a cell of a converted page is a few paragraphs; a longer run between bars is body text
MAX_CELL_LINES = 40


def markdown_tables(text: str) -> list[Table]:
    """Tables of a Markdown page, both spellings, with spans into ``text`` (left unchanged)."""
    lines = _line_spans(text)
    tables = _gfm_tables(text, lines) + _bar_tables(text, lines)
    return join_tables(text, sorted(tables, key=lambda t: t.span[0]))


def _line_spans(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for raw in text.split("\n"):
        out.append((pos, pos + len(raw)))
        pos += len(raw) + 1
    return out


def _gfm_tables(text: str, lines: list[tuple[int, int]]) -> list[Table]:
    out: list[Table] = []
    cur = Table()
    for a, b in lines:
        s = text[a:b]
        if _GFM_ROW.match(s) and s.count("|") >= 3:
            if not _GFM_RULE.match(s):
                cur.rows.append(_gfm_row(text, a, b))
            continue
        if len(cur.rows) >= 2:
            out.append(cur)
        cur = Table()
    if len(cur.rows) >= 2:
        out.append(cur)
    return out


def _gfm_row(text: str, a: int, b: int) -> TableRow:
    first = text.index("|", a, b)
    last = text.rindex("|", a, b)
    row = TableRow()
    pos = first + 1
    while pos <= last:
        nxt = text.find("|", pos, last + 1)
        while nxt > 0 and text[nxt - 1] == "\\":  # an escaped bar is cell text
            nxt = text.find("|", nxt + 1, last + 1)
        if nxt < 0:
            break
        row.cells.append(TableCell(*_strip_span(text, pos, nxt)))
        pos = nxt + 1
    return row


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _bar_tables(text: str, lines: list[tuple[int, int]]) -> list[Table]:
    """Task tables of converted pages: cells closed by ``|`` lines, rows ``|c1|…|cn|``.

    The segments between bar lines are cells; an empty segment is an empty cell or the gap
    between a row's closing bar and the next row's opening bar, told apart by the column count
    of the header row. Where a table starts is found by its header (the first cells of a run
    that classify as a task header), so body text before the first bar is never a cell.
    """
    bars = [k for k, (a, b) in enumerate(lines) if text[a:b].strip() == "|"]
    if len(bars) < 6:
        return []
    segs = [_segment(text, lines, bars[n] + 1, bars[n + 1]) for n in range(len(bars) - 1)]
    tail = _tail_cell(text, lines, bars[-1] + 1)
    out: list[Table] = []
    i = 0
    while i < len(segs):
        j = i
        while j < len(segs) and segs[j] is not None and segs[j] != _EMPTY:
            j += 1
        header = _header_cells(text, segs[i:j])
        if header is None or j >= len(segs) or segs[j] != _EMPTY:
            i = j + 1
            continue
        table, i = _bar_rows(segs, j + 1, header, text, tail)
        if len(table.rows) >= 2:
            out.append(table)
    return out


_EMPTY = (-1, -1)


def _segment(text: str, lines: list[tuple[int, int]], first: int, stop: int) -> tuple[int, int] | None:
    """Span of the text between two bar lines; ``_EMPTY`` when blank, ``None`` when too long to
    be a cell."""
    if stop - first > MAX_CELL_LINES:
        return None
    filled = [lines[k] for k in range(first, stop) if text[lines[k][0] : lines[k][1]].strip()]
    if not filled:
        return _EMPTY
    return _strip_span(text, filled[0][0], filled[-1][1])


def _header_cells(text: str, run: list) -> list[tuple[int, int]] | None:
    """The suffix of a run of cells that is a task table's header row (starting at its first
    column, the number or the task column), or ``None``."""
    for h in range(len(run)):
        cells = [text[a:b] for a, b in run[h:]]
        roles = classify_header_row(cells)
        if roles is not None and roles.get("no", roles.get("task")) == 0:
            return run[h:]
    return None


def _tail_cell(text: str, lines: list[tuple[int, int]], first: int) -> tuple[int, int] | None:
    """The text after the last bar line up to a blank line: the last cell of a table that ends
    its page without a closing bar ("… | Doanh nghiệp\n|\nThường xuyên" at the end of the text)."""
    filled: list[tuple[int, int]] = []
    for k in range(first, min(len(lines), first + 3)):
        if not text[lines[k][0] : lines[k][1]].strip():
            break
        filled.append(lines[k])
    else:
        if first + 3 < len(lines) and text[lines[first + 3][0] : lines[first + 3][1]].strip():
            return None  # a paragraph after the table, not a cell
    if not filled or filled[-1][1] - filled[0][0] > 200:
        return None
    return _strip_span(text, filled[0][0], filled[-1][1])


def _bar_rows(segs: list, k: int, header: list[tuple[int, int]], texts: str,
              tail: tuple[int, int] | None = None) -> tuple[Table, int]:
    ncols = len(header)
    table = Table([TableRow([TableCell(a, b) for a, b in header])])
    cur: list[TableCell] = []

    def close() -> None:
        if cur:
            if _spanned_number(texts, table, cur, ncols):
                cur.insert(0, TableCell(cur[0].start, cur[0].start))
            table.rows.append(TableRow(list(cur)))
            cur.clear()

    while k < len(segs) and segs[k] is not None:
        if segs[k] != _EMPTY:
            a, b = segs[k]
            cur.append(TableCell(a, b))
            k += 1
            if len(cur) == ncols:
                k = _blank_cells(segs, k, cur, texts)
                close()
                if k < len(segs) and segs[k] == _EMPTY:
                    k += 1
                    continue
                break
            continue
        run = _run_length(segs, k)
        after = _filled_run(segs, k + run)
        blank = TableCell(segs[k - 1][1], segs[k - 1][1]) if segs[k - 1] not in (None, _EMPTY) else TableCell(0, 0)
        if len(cur) + run == ncols and after == 0:  # trailing empty cells, then the table ends
            cur.extend([blank] * run)
            k += run
            close()
            break
        if len(cur) + run == ncols:
            # a short row (a cell merged with the row above) and the gap before the next row: the
            # last empty segment is the gap, the others are empty cells
            cur.extend([blank] * (run - 1))
            k += run
            close()
            continue
        if _empties_are_cells(segs, k + run, len(cur) + run + after, ncols, after):
            cur.extend([blank] * run)
            k += run
            continue
        cur.extend([blank] * (run - 1))  # the last empty segment is the gap between two rows
        k += run
        close()
    if tail is not None and k >= len(segs) and len(cur) == ncols - 1:
        cur.append(TableCell(*tail))  # the last row's last cell has no closing bar
    close()
    return table, k


_ROW_LABEL = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*|[IVXLC]+|[A-ZĐ])\.?$")


def _spanned_number(text: str, table: Table, cur: list[TableCell], ncols: int) -> bool:
    """A short row under a numbered row whose number cell spans it (a task printed as two rows,
    its later columns merged too): the row's cells start at the task column, not at the number."""
    if not 2 <= len(cur) < ncols or len(table.rows) < 2:
        return False
    above = table.rows[-1].cells
    first = " ".join(text[cur[0].start : cur[0].end].replace("*", " ").split())
    top = " ".join(text[above[0].start : above[0].end].replace("*", " ").split()) if above else ""
    return (len(above) > len(cur) and bool(_ROW_LABEL.match(top)) and top[:1].isdigit()
            and not _ROW_LABEL.match(first) and not first[:1].isdigit())


def _blank_cells(segs: list, k: int, cur: list[TableCell], text: str) -> int:
    """A row wider than the header by cells that print nothing visible (``** **``, an empty bold
    cell of the converter) up to the gap before the next row: those cells belong to the row."""
    n = k
    while n < len(segs) and segs[n] not in (None, _EMPTY) and not _visible(text[segs[n][0] : segs[n][1]]):
        n += 1
    if n == k or n >= len(segs) or segs[n] != _EMPTY:
        return k
    cur.extend(TableCell(*segs[m]) for m in range(k, n))
    return n


def _visible(cell: str) -> bool:
    return bool(cell.replace("*", " ").strip())


def _run_length(segs: list, k: int) -> int:
    n = 0
    while k + n < len(segs) and segs[k + n] == _EMPTY:
        n += 1
    return n


def _filled_run(segs: list, k: int) -> int:
    n = 0
    while k + n < len(segs) and segs[k + n] not in (None, _EMPTY):
        n += 1
    return n


def _empties_are_cells(segs: list, k: int, total: int, ncols: int, after: int) -> bool:
    """Empty segments inside a row: the cells that follow complete the row exactly (possibly
    with trailing empty cells before the gap to the next row)."""
    if total == ncols:
        return True
    if total < ncols:
        nxt = k + after
        run2 = _run_length(segs, nxt)
        return run2 >= 1 and total + run2 - 1 == ncols
    return False


# --- one table across repeated headers --------------------------------------------------------------

# lines between two parts of one table that a page break leaves: page numbers, "Trang 2/5"
_FURNITURE_LINES = 2
_FURNITURE_CHARS = 30


def join_tables(text: str, tables: list[Table]) -> list[Table]:
    """One table where the document printed one: a task table whose header row is printed again
    (at a page break of the source, in a Markdown page or a DOCX/PDF table that repeats its header
    on each page) keeps its rows in one :class:`Table`, the repeated header rows left out.

    A table B continues the table A before it when only page furniture (blank, rule or bar lines,
    at most two short lines such as a page number) lies between them and B starts with the same
    header (the same column roles, the number column aside) or, headerless, has A's columns.
    Inside a table, a later row naming the same column roles is a repeated header and is dropped
    (its text stays in ``text``; only the structure skips it). Tables without a task header are
    left as they are.
    """
    out: list[Table] = []
    for table in tables:
        head = _header_at(text, table)
        if head is not None:
            _drop_repeated_headers(text, table, *head)
        prev = out[-1] if out else None
        prev_head = _header_at(text, prev) if prev is not None else None
        if prev is not None and prev_head is not None and _furniture_between(text, prev.span[1], table.span[0]):
            width = len(prev.rows[prev_head[0]].cells)
            if head is not None and head[0] == 0 and head[1] == prev_head[1]:
                prev.rows.extend(table.rows[1:])
                continue
            if head is None and width >= 3 and max(len(r.cells) for r in table.rows) == width:
                prev.rows.extend(table.rows)
                continue
        out.append(table)
    return out


def _row_texts(text: str, row: TableRow) -> list[str]:
    return [" ".join(text[c.start : c.end].replace("*", " ").split()) for c in row.cells]


def _header_at(text: str, table: Table) -> tuple[int, frozenset[str]] | None:
    """Index of the table's header row (among its first three) and its column roles but the
    number column, or ``None``."""
    for k, row in enumerate(table.rows[:3]):
        roles = classify_header_row(_row_texts(text, row))
        if roles is not None:
            return k, frozenset(r for r in roles if r != "no")
    return None


def _drop_repeated_headers(text: str, table: Table, at: int, roles: frozenset[str]) -> None:
    keep = table.rows[: at + 1]
    for row in table.rows[at + 1 :]:
        cells = _row_texts(text, row)
        again = None if any(c[:1].isdigit() for c in cells) else classify_header_row(cells)
        if again is not None and frozenset(r for r in again if r != "no") == roles:
            continue
        keep.append(row)
    table.rows = keep


def _furniture_between(text: str, a: int, b: int) -> bool:
    if b < a:
        return False
    left = [s for s in (ln.strip() for ln in text[a:b].split("\n")) if s and s != "|" and not RULE_LINE.match(s)]
    return len(left) <= _FURNITURE_LINES and all(len(s) <= _FURNITURE_CHARS for s in left)


# --- plain-text layout ------------------------------------------------------------------------------

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
