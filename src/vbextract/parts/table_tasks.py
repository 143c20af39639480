"""Tasks printed as a table: ``STT | Nội dung công việc | Chủ trì | Phối hợp | Thời gian``.

Readers hand tables over as structure (:class:`~vbextract.doc.Table`, cells with spans in the
text). A table is a task table when its header row names a lead column and a task, support or
time column (a list of administrative procedures with only "Cơ quan thực hiện" is not). Each row
with a task cell becomes a task (``producer: "layout"``) with the lead and support units of its
columns; its time cell is read as a time field by :mod:`.deadlines`. Group rows ("I | Nhóm giải
pháp về cơ chế") give the roman part of the ids of the rows under them (``I.1``, ``I.2``); a
table inside a roman section of the body takes that section's number instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from ..dates import ROMAN
from ..doc import Table, TableRow, WorkDoc
from ..document import Task
from ..grammars import REGISTRY
from ..marks import DashedList, dash_len
from ..normalize import clean_value
from ..readers.tables import classify_header_row
from .units import ORG_START, split_units

# the labels of a task table's cells are entries of grammars/task.yaml (plain compiled regexes, untimed)
_ROMAN_CELL = REGISTRY["task_table_roman_cell"].rx
_LETTER_CELL = REGISTRY["task_table_letter_cell"].rx
_NUMBER_CELL = REGISTRY["task_table_number_cell"].rx
_COLUMN_NUMBERS = regex.compile(r"^\(?\d{1,2}\)?$|^\(\d{1,2}\)\s*=.*$")


@dataclass
class TaskTable:
    """A task table of the document with the row index of its header and its column roles."""

    table: Table
    header_row: int
    roles: dict[str, int]


def task_tables(doc: WorkDoc) -> list[TaskTable]:
    """The document's task tables (computed once, cached on the working document)."""
    cached = doc.cache.get("task_tables")
    if isinstance(cached, list):
        return cached
    found = [t for t in (_as_task_table(doc, tb) for tb in doc.tables) if t is not None]
    doc.cache["task_tables"] = found
    return found


def in_task_table(doc: WorkDoc, offset: int) -> bool:
    return any(t.table.span[0] <= offset < t.table.span[1] for t in task_tables(doc))


def _as_task_table(doc: WorkDoc, table: Table) -> TaskTable | None:
    for k, row in enumerate(table.rows[:3]):
        roles = classify_header_row([_cell_text(doc, row, i) for i in range(len(row.cells))])
        if roles and ("task" in roles or "support" in roles or "time" in roles):
            return TaskTable(table, k, roles)
    return None


def _cell_text(doc: WorkDoc, row: TableRow, idx: int | None) -> str:
    if idx is None or idx >= len(row.cells):
        return ""
    c = row.cells[idx]
    return " ".join(doc.text[c.start : c.end].replace("*", " ").split())


def extract_table_tasks(doc: WorkDoc) -> None:
    """Append one task per task row of every task table, in document order."""
    if not doc.tables:
        return
    found: list[Task] = []
    for tt in task_tables(doc):
        found.extend(_table_rows_as_tasks(doc, tt))
    if found:
        used = {t.id for t in doc.tasks}
        for t in found:
            t.id = _unique(t.id, used)
        doc.tasks = sorted(doc.tasks + found, key=lambda t: t.span[0])


def _table_rows_as_tasks(doc: WorkDoc, tt: TaskTable) -> list[Task]:
    roles = tt.roles
    prefix = _section_prefix(doc, tt.table.span[0])
    letter: str | None = None  # "A. NHIỆM VỤ CHUNG": the outer group, above the roman ones
    group: str | None = None
    counter = 0
    out: list[Task] = []
    numbered = "no" in roles and any(_NUMBER_CELL.match(_cell_text(doc, r, roles["no"]).strip(" ."))
                                     for r in tt.table.rows[tt.header_row + 1 :])
    prev: str | None = None  # the label of the last numbered row of the group
    for row in tt.table.rows[tt.header_row + 1 :]:
        cells = [_cell_text(doc, row, i) for i in range(len(row.cells))]
        if not any(cells) or all(_COLUMN_NUMBERS.match(c) for c in cells if c):
            continue  # empty, or the "(1) (2) (3)" row numbering the columns
        task_cell = _cell_text(doc, row, roles.get("task"))
        no = _cell_text(doc, row, roles.get("no")).strip(" .")
        if _is_group_row(cells, roles, task_cell):
            head = no or next(c for c in cells if c)
            if (key := _letter_key(head)) is not None:
                letter, group = key, None
            else:
                group = _group_key(head) or group
            counter, prev = 0, None
            continue
        if not task_cell and "task" in roles:
            continue
        if numbered and not no and prev is not None:
            # a row without a number in a numbered table continues the row above (its number
            # cell is merged over both): it repeats that label ("1~2") instead of taking the next
            label = prev
        else:
            counter += 1
            label = no if _NUMBER_CELL.match(no) else str(counter)
            label = label.strip("()")
            prev = label
        path = ".".join(p for p in (letter, group) if p) or None
        base = ".".join(dict.fromkeys(p for p in (prefix if prefix == "PL" else None, path or prefix) if p))
        out.append(_row_task(doc, row, roles, f"{base}.{label}" if base else label, label))
    return out


def _is_group_row(cells: list[str], roles: dict[str, int], task_cell: str) -> bool:
    """A row that names a group: its number is roman or a capital letter, or it fills one cell."""
    no = cells[roles["no"]].strip(" .") if "no" in roles and roles["no"] < len(cells) else ""
    filled = [c for c in cells if c]
    if _ROMAN_CELL.match(no) and no.split()[0].rstrip(".") in ROMAN:
        return True
    if _LETTER_CELL.match(no) and not no[:1].isdigit():
        return True
    lead = cells[roles["lead"]] if roles["lead"] < len(cells) else ""
    return len(filled) <= 2 and not lead and not _NUMBER_CELL.match(no) and bool(task_cell or filled)


def _letter_key(text: str) -> str | None:
    """The capital letter of an outer group row ("A", "B. NHIỆM VỤ CỤ THỂ"); roman numerals are not."""
    m = _GROUP_LETTER.match(text.strip())
    return m["l"] if m and m["l"] not in ROMAN else None


_GROUP_LETTER = REGISTRY["task_table_group_letter"].rx


def _group_key(text: str) -> str | None:
    m = _ROMAN_CELL.match(text.strip())
    if m and m["num"] in ROMAN:
        return m["num"]
    return None


def _section_prefix(doc: WorkDoc, offset: int) -> str | None:
    """The roman section of the body the table sits in ("II" for a table under "II. NHIỆM VỤ");
    ``PL`` for a table of an appendix (PHỤ LỤC), whose own numbering restarts at I."""
    zone = doc.zones.appendix
    if zone and zone[0] <= offset < zone[1]:
        return "PL"
    best = None
    for it in doc.items:
        if it.kind == "roman" and it.start <= offset < max(it.tree_end, it.end):
            best = it.id
    return best


def _row_task(doc: WorkDoc, row: TableRow, roles: dict[str, int], ident: str, label: str) -> Task:
    task_idx = roles.get("task")
    text_cell = row.cells[task_idx] if task_idx is not None and task_idx < len(row.cells) else None
    text = clean_value(doc.text[text_cell.start : text_cell.end]) if text_cell else None
    return Task(
        id=ident,
        label=label,
        text=" ".join((text or "").split()),
        lead_units=_units(doc, row, roles.get("lead")),
        support_units=_units(doc, row, roles.get("support")),
        section_kind="tasks",
        producer="layout",
        span=row.span,
        page=doc.page_at(row.span[0]),
    )


def _units(doc: WorkDoc, row: TableRow, idx: int | None) -> list[str]:
    """The units of a lead or support cell: one per paragraph or dash line, lists split."""
    if idx is None or idx >= len(row.cells):
        return []
    c = row.cells[idx]
    raw = doc.text[c.start : c.end].replace("*", " ")
    out: list[str] = []
    for para in _cell_paragraphs(raw):
        for u in split_units(para) or [para]:
            u = u.strip(" ;,.-–")
            if u and u not in out and len(u.split()) <= 20:
                out.append(u)
    return out


def _cell_paragraphs(raw: str) -> list[str]:
    """Dash lines and ";"-separated parts are separate units; other line breaks are wraps."""
    lines = [ln.strip() for ln in raw.split("\n") if ln.strip()]
    if any(dash_len(ln) for ln in lines):
        lst = DashedList()  # the one dashed-list reader (vbextract.marks)
        for ln in lines:
            lst.add(ln)
        return lst.items
    if len(lines) > 1 and all(ORG_START.match(ln) for ln in lines):
        return lines  # one unit per line ("Sở Khoa học và Công nghệ" / "Sở Công Thương;")
    return [" ".join(lines)] if lines else []


def _unique(ident: str, used: set[str]) -> str:
    out, n = ident, 2
    while out in used:
        out = f"{ident}~{n}"
        n += 1
    used.add(out)
    return out
