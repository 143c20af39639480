"""Tasks of many documents, flattened for other systems: JSONL, CSV (Excel) and iCalendar.

One row per task, with the document it came from (content hash, path, type, number, symbol,
date, issuer, subject), the task (id, label, text, lead and support units) and its deadlines.
In iCalendar every task becomes a ``VTODO``; a task with dated deadlines gets one ``VTODO`` per
dated deadline with ``DUE`` (the date of a ``by``/``on`` deadline, the end of a ``range`` or
``period``; a partial date is due at the end of its month or year). UIDs are stable across runs:
``<document sha256>-<task id>-<deadline index>@vbextract``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .document import Deadline, Document, Task

COLUMNS = [
    "doc_sha256", "doc_path", "doc_member", "doc_type", "doc_number", "doc_symbol", "doc_date", "issuer",
    "subject", "task_id", "task_label", "task_text", "lead_units", "support_units", "due", "deadlines",
]


def due_date(deadline: Deadline | dict) -> dt.date | None:
    """When a deadline falls due, or None for ``ongoing``/``recurring`` or undated ones."""
    d = deadline if isinstance(deadline, dict) else deadline.model_dump()
    if d["kind"] in ("by", "on"):
        return _end_of(d.get("date"))
    if d["kind"] in ("range", "period"):
        return _end_of(d.get("end"))
    return None


def start_date(deadline: dict) -> dt.date | None:
    if deadline["kind"] in ("range", "period"):
        return _start_of(deadline.get("start"))
    return None


def _parts(iso: str | None) -> list[int] | None:
    if not iso:
        return None
    try:
        return [int(p) for p in iso[:10].split("-")]
    except ValueError:
        return None


def _end_of(iso: str | None) -> dt.date | None:
    """``2024-05-10`` → that day; ``2024-03`` → 2024-03-31; ``2024`` → 2024-12-31."""
    p = _parts(iso)
    try:
        if not p:
            return None
        if len(p) == 1:
            return dt.date(p[0], 12, 31)
        if len(p) == 2:
            return dt.date(p[0], p[1], calendar.monthrange(p[0], p[1])[1])
        return dt.date(p[0], p[1], p[2])
    except ValueError:  # "2024-02-30" from a typo in the document
        return None


def _start_of(iso: str | None) -> dt.date | None:
    p = _parts(iso)
    try:
        return dt.date(p[0], (p[1:2] or [1])[0], (p[2:3] or [1])[0]) if p else None
    except ValueError:
        return None


def task_deadlines(doc: Document, task: Task) -> list[tuple[int, Deadline]]:
    """The task's deadlines with their index in ``doc.deadlines`` (linked either way round)."""
    ids = [i for i in task.deadline_ids if 0 <= i < len(doc.deadlines)]
    ids += [i for i, d in enumerate(doc.deadlines) if d.task_id == task.id and i not in ids]
    return [(i, doc.deadlines[i]) for i in sorted(ids)]


def doc_key(doc: Document) -> str:
    return doc.source.sha256 or hashlib.sha256(doc.text.encode("utf-8")).hexdigest()


def task_rows(doc: Document) -> Iterator[dict[str, Any]]:
    """One flat row per task of ``doc``."""
    h = doc.header
    for task in doc.tasks:
        deadlines = [{"index": i, "kind": d.kind, "date": d.date, "start": d.start, "end": d.end, "text": d.text,
                      "year_inferred": d.year_inferred} for i, d in task_deadlines(doc, task)]
        dues = [x for x in (due_date(d) for d in deadlines) if x]
        yield {
            "doc_sha256": doc_key(doc), "doc_path": doc.source.path, "doc_member": doc.source.member,
            "doc_type": h.doc_type, "doc_number": h.number, "doc_symbol": h.symbol, "doc_date": h.date,
            "issuer": h.issuer, "subject": h.subject, "task_id": task.id, "task_label": task.label,
            "task_text": task.text, "lead_units": list(task.lead_units), "support_units": list(task.support_units),
            "due": min(dues).isoformat() if dues else None, "deadlines": deadlines,
        }


# --------------------------------------------------------------------------- writers


def write_jsonl(rows: Iterable[dict], path: str | os.PathLike) -> int:
    n = 0
    with _atomic(path, "utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def csv_cells(row: dict) -> dict[str, str]:
    """A row for a spreadsheet: lists joined with "; ", deadlines as "text (kind date)"."""
    out = {k: ("" if row.get(k) is None else str(row[k])) for k in COLUMNS}
    out["lead_units"] = "; ".join(row["lead_units"])
    out["support_units"] = "; ".join(row["support_units"])
    out["deadlines"] = "; ".join(_deadline_label(d) for d in row["deadlines"])
    return out


def _deadline_label(d: dict) -> str:
    when = d.get("date") or "–".join(x for x in (d.get("start"), d.get("end")) if x)
    return f"{d['text']} ({d['kind']}{' ' + when if when else ''})"


def write_csv(rows: Iterable[dict], path: str | os.PathLike, excel: bool = False) -> int:
    """CSV with a header row; ``excel=True`` adds a UTF-8 BOM so Excel shows Vietnamese correctly."""
    n = 0
    with _atomic(path, "utf-8-sig" if excel else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\r\n" if excel else "\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(csv_cells(row))
            n += 1
    return n


def write_ics(rows: Iterable[dict], path: str | os.PathLike, now: dt.datetime | None = None) -> int:
    """An iCalendar file with one VTODO per dated deadline (or per task when it has none)."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    n = 0
    with _atomic(path, "utf-8", newline="") as fh:
        fh.write(_lines(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//vbextract//vbextract tasks//VI",
                         "CALSCALE:GREGORIAN", "X-WR-CALNAME:vbextract tasks"]))
        for row in rows:
            for todo in vtodos(row, stamp):
                fh.write(_lines(todo))
                n += 1
        fh.write(_lines(["END:VCALENDAR"]))
    return n


def vtodos(row: dict, stamp: str) -> Iterator[list[str]]:
    dated = [d for d in row["deadlines"] if due_date(d)]
    base = f"{row['doc_sha256']}-{row['task_id']}"
    if not dated:
        yield _vtodo(row, f"{base}@vbextract", stamp, None)
    for d in dated:
        yield _vtodo(row, f"{base}-{d['index']}@vbextract", stamp, d)


def _vtodo(row: dict, uid: str, stamp: str, deadline: dict | None) -> list[str]:
    lines = ["BEGIN:VTODO", f"UID:{_escape(uid)}", f"DTSTAMP:{stamp}",
             f"SUMMARY:{_escape(_summary(row))}", f"DESCRIPTION:{_escape(_description(row, deadline))}"]
    if deadline:
        due = due_date(deadline)
        start = start_date(deadline)
        assert due is not None
        if start and start < due:  # RFC 5545: DUE must be later than DTSTART
            lines.append(f"DTSTART;VALUE=DATE:{start:%Y%m%d}")
        lines.append(f"DUE;VALUE=DATE:{due:%Y%m%d}")
    if row.get("doc_type"):
        lines.append(f"CATEGORIES:{_escape(row['doc_type'])}")
    lines += ["STATUS:NEEDS-ACTION", "END:VTODO"]
    return lines


def _summary(row: dict) -> str:
    text = " ".join(row["task_text"].split())
    return text if len(text) <= 120 else text[:117].rstrip() + "…"


def _description(row: dict, deadline: dict | None) -> str:
    doc = " ".join(x for x in (row.get("doc_type"), _number(row), row.get("doc_date") and f"ngày {row['doc_date']}") if x)
    parts = [row["task_text"], ""]
    if row["lead_units"]:
        parts.append("Chủ trì: " + "; ".join(row["lead_units"]))
    if row["support_units"]:
        parts.append("Phối hợp: " + "; ".join(row["support_units"]))
    if deadline:
        parts.append(f"Thời hạn: {deadline['text']}")
    parts.append(f"Văn bản: {doc or row.get('doc_path') or row['doc_sha256']}"
                 + (f" ({row['issuer']})" if row.get("issuer") else ""))
    parts.append(f"Nhiệm vụ: {row['task_id']}")
    return "\n".join(parts)


def _number(row: dict) -> str | None:
    if row.get("doc_number") or row.get("doc_symbol"):
        return "số " + "/".join(x for x in (row.get("doc_number"), row.get("doc_symbol")) if x)
    return None


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1)."""
    out: list[str] = []
    cur, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > (75 if not out else 74):
            out.append(cur)
            cur, size = "", 0
        cur += ch
        size += n
    out.append(cur)
    return "\r\n ".join(out)


def _lines(lines: list[str]) -> str:
    return "".join(_fold(line) + "\r\n" for line in lines)


class _atomic:
    """Write to a temporary file next to ``path`` and rename it into place when done."""

    def __init__(self, path: str | os.PathLike, encoding: str, newline: str | None = None) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self.encoding = encoding
        self.newline = newline

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.tmp, "w", encoding=self.encoding, newline=self.newline)  # noqa: SIM115
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        self.fh.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def write_tasks(rows: Iterable[dict], path: str | os.PathLike, fmt: str | None = None, excel: bool = False) -> int:
    """Write task rows as ``jsonl``, ``csv`` or ``ics`` (default: from the file name)."""
    fmt = fmt or Path(path).suffix.lower().lstrip(".") or "jsonl"
    if fmt in ("jsonl", "ndjson", "json"):
        return write_jsonl(rows, path)
    if fmt == "csv":
        return write_csv(rows, path, excel=excel)
    if fmt in ("ics", "ical", "icalendar"):
        return write_ics(rows, path)
    raise ValueError(f"unknown tasks format {fmt!r}: use .jsonl, .csv or .ics")
