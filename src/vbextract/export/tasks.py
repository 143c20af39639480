"""Task feeds: the tasks of many documents for trackers, spreadsheets and calendars.

One row per task, with the document it came from on every row (ref, type, number, symbol, date,
issuer, subject, file, content hash), the task (stable id, printed number, text, lead and support
units) and **every** deadline: the task's own, or, when the task has none, the document's
deadlines, marked ``"source": "document"``: those tied to no task or, when there are none, those
of a task about the whole document ("… các nội dung của Công văn này; … trước ngày 20/5 báo cáo …",
named in ``"via"``). A document whose deadlines
reach no task row (it has no tasks, or every task has its own) gets one row of its own for them
(``task_uid`` ``d-…``, ``task_id`` empty), so no deadline is left out.

Ids come from content (:mod:`vbextract.contract`): ``task_uid`` from the document's issuer,
number, symbol and date and the task's words; a deadline's ``id`` from its words and dates. The
same document parsed again gives the same ids, and text added or corrected elsewhere does not
move them. iCalendar UIDs are ``<task_uid>-<deadline content hash>@vbextract``.

Writers: JSONL, CSV (UTF-8 with a BOM and CRLF by default, so Excel shows Vietnamese), ``.xlsx``
(openpyxl, Vietnamese column headers, due dates as date cells), iCalendar through the
``icalendar`` library (a ``VTODO`` per dated deadline with ``DUE``, or ``VEVENT`` all-day entries on
the due day with ``events=True``), and the "Phiếu giải quyết văn bản đến" of Nghị định 30/2020
Phụ lục IV as JSON (per task: đơn vị chủ trì, đơn vị phối hợp, thời hạn per unit). Every writer
takes a path or ``"-"`` for stdout.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..contract import deadline_id, document_key, task_uids
from ..document import Deadline, Document, Task

COLUMNS = [
    "doc_ref", "doc_type", "doc_number", "doc_symbol", "doc_date", "issuer", "subject",
    "task_uid", "task_id", "task_label", "task_text", "lead_units", "support_units",
    "due", "due_source", "deadline_ids", "deadlines", "doc_path", "doc_member", "doc_sha256",
]

# Column headers of the .xlsx sheet, in the order of COLUMNS.
XLSX_HEADERS = {
    "doc_ref": "Số, ký hiệu văn bản",
    "doc_type": "Tên loại văn bản",
    "doc_number": "Số",
    "doc_symbol": "Ký hiệu",
    "doc_date": "Ngày văn bản",
    "issuer": "Cơ quan ban hành",
    "subject": "Trích yếu",
    "task_uid": "Mã nhiệm vụ",
    "task_id": "Số thứ tự nhiệm vụ",
    "task_label": "Ký hiệu mục",
    "task_text": "Nội dung nhiệm vụ",
    "lead_units": "Đơn vị chủ trì",
    "support_units": "Đơn vị phối hợp",
    "due": "Thời hạn",
    "due_source": "Thời hạn theo",
    "deadline_ids": "Mã thời hạn",
    "deadlines": "Các thời hạn",
    "doc_path": "Tệp",
    "doc_member": "Tệp trong gói",
    "doc_sha256": "SHA-256",
}
_SOURCE_VI = {"task": "nhiệm vụ", "document": "văn bản"}


# --------------------------------------------------------------------------- dates


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


# --------------------------------------------------------------------------- rows


def task_deadlines(doc: Document, task: Task) -> list[tuple[int, Deadline]]:
    """The task's own deadlines with their index in ``doc.deadlines`` (linked either way round:
    ``Task.deadline_ids``/``deadline_refs`` or ``Deadline.task_id``)."""
    refs = set(task.deadline_refs)
    ids = {i for i in task.deadline_ids if 0 <= i < len(doc.deadlines)}
    ids |= {i for i, d in enumerate(doc.deadlines) if d.task_id == task.id or (d.id and d.id in refs)}
    return [(i, doc.deadlines[i]) for i in sorted(ids)]


def document_deadlines(doc: Document) -> list[tuple[int, Deadline]]:
    """Deadlines tied to no task of ``doc`` (the document's own: "báo cáo trước ngày …")."""
    task_ids = {t.id for t in doc.tasks}
    linked = {i for t in doc.tasks for i in t.deadline_ids}
    refs = {r for t in doc.tasks for r in t.deadline_refs}
    return [(i, d) for i, d in enumerate(doc.deadlines)
            if i not in linked and not (d.id and d.id in refs) and (d.task_id is None or d.task_id not in task_ids)]


# A task about the whole document: "… thực hiện tốt các nội dung của Công văn này; … trước ngày 20/5
# báo cáo kết quả …". Its deadlines are the document's, for the tasks that have none of their own.
_WHOLE_DOCUMENT = re.compile(r"\b(?:công văn|kế hoạch|quyết định|chỉ thị|thông báo|chương trình|văn bản|"
                             r"nghị quyết|công điện|hướng dẫn|đề án|phương án)\s+này\b")


def whole_document_deadlines(doc: Document) -> list[tuple[int, Deadline, str | None]]:
    """The deadlines that apply to the whole document, with the task that states them: those tied to
    no task; when there are none, those of the tasks that speak of the document itself
    ("… các nội dung của Công văn này …")."""
    own: list[tuple[int, Deadline, str | None]] = [(i, d, None) for i, d in document_deadlines(doc)]
    if own:
        return own
    from ..normalize import fold

    out: list[tuple[int, Deadline, str | None]] = []
    seen: set[int] = set()
    for task in doc.tasks:
        if _WHOLE_DOCUMENT.search(fold(task.text)):
            for i, d in task_deadlines(doc, task):
                if i not in seen:
                    seen.add(i)
                    out.append((i, d, task.id))
    return sorted(out, key=lambda x: x[0])


def doc_key(doc: Document) -> str:
    return doc.source.sha256 or hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest()


def doc_ref(doc: Document) -> str | None:
    """``403/UBND-KGVX`` (number and symbol as printed), or None."""
    h = doc.header
    return "/".join(x for x in (h.number, h.symbol) if x) or None


def _deadline_entry(index: int, d: Deadline, source: str, via: str | None = None) -> dict[str, Any]:
    """One deadline of a row; ``source`` "task" (the task's own) or "document" (the document's,
    ``via`` the task that states it for the whole document, or None: tied to no task)."""
    due = due_date(d)
    return {"id": d.id or deadline_id(d, d.task_id), "index": index, "kind": d.kind, "date": d.date,
            "start": d.start, "end": d.end, "text": d.text, "year_inferred": d.year_inferred,
            "due": due.isoformat() if due else None, "source": source, "via": via}


def task_rows(doc: Document) -> Iterator[dict[str, Any]]:
    """The flat rows of ``doc``: one per task, plus one for document deadlines no task row carries."""
    h = doc.header
    base = {
        "doc_ref": doc_ref(doc), "doc_type": h.doc_type, "doc_number": h.number, "doc_symbol": h.symbol,
        "doc_date": h.date, "issuer": h.issuer, "subject": h.subject,
        "doc_path": doc.source.path, "doc_member": doc.source.member, "doc_sha256": doc_key(doc),
    }
    uids = task_uids(doc)
    own_of_doc = document_deadlines(doc)
    whole = whole_document_deadlines(doc)
    doc_used = False
    for i, task in enumerate(doc.tasks):
        own = task_deadlines(doc, task)
        if own:
            deadlines = [_deadline_entry(k, d, "task") for k, d in own]
        else:
            deadlines = [_deadline_entry(k, d, "document", via) for k, d, via in whole]
            doc_used = doc_used or bool(own_of_doc)
        yield {**base, "task_uid": uids[i], "task_id": task.id, "task_label": task.label, "task_text": task.text,
               "lead_units": list(task.lead_units), "support_units": list(task.support_units),
               **_due(deadlines)}
    if own_of_doc and not doc_used:
        deadlines = [_deadline_entry(k, d, "document") for k, d in own_of_doc]
        text = " ".join(x for x in (h.doc_type, doc_ref(doc) and f"số {doc_ref(doc)}", h.subject) if x)
        yield {**base, "task_uid": "d-" + document_key(doc)[:12], "task_id": None, "task_label": None,
               "task_text": text or "Văn bản", "lead_units": [], "support_units": [], **_due(deadlines)}


def _due(deadlines: list[dict]) -> dict[str, Any]:
    dues = [d["due"] for d in deadlines if d["due"]]
    return {"due": min(dues) if dues else None, "due_source": deadlines[0]["source"] if deadlines else None,
            "deadline_ids": [d["id"] for d in deadlines], "deadlines": deadlines}


# --------------------------------------------------------------------------- output


def _write(path: str | os.PathLike, data: bytes) -> None:
    """``data`` to ``path`` (atomically: a temporary file renamed into place) or to stdout for ``-``."""
    if str(path) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_jsonl(rows: Iterable[dict], path: str | os.PathLike) -> int:
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in rows]
    _write(path, "".join(lines).encode("utf-8"))
    return len(lines)


def _deadline_label(d: dict) -> str:
    when = d.get("date") or "–".join(x for x in (d.get("start"), d.get("end")) if x)
    mark = " theo văn bản" if d.get("source") == "document" else ""
    return f"{d['text']} ({d['kind']}{' ' + when if when else ''}{mark})"


def csv_cells(row: dict) -> dict[str, str]:
    """A row for a spreadsheet: lists joined with "; ", deadlines as "text (kind date)"."""
    out = {k: ("" if row.get(k) is None else str(row[k])) for k in COLUMNS}
    out["lead_units"] = "; ".join(row["lead_units"])
    out["support_units"] = "; ".join(row["support_units"])
    out["deadline_ids"] = "; ".join(row["deadline_ids"])
    out["deadlines"] = "; ".join(_deadline_label(d) for d in row["deadlines"])
    return out


def write_csv(rows: Iterable[dict], path: str | os.PathLike, excel: bool = True) -> int:
    """CSV with a header row. By default for Excel: UTF-8 with a BOM and CRLF line ends (without the
    BOM Excel reads UTF-8 as the ANSI code page and garbles Vietnamese); ``excel=False``: plain
    UTF-8 with LF."""
    buf = io.StringIO(newline="")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n" if excel else "\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(csv_cells(row))
        n += 1
    _write(path, buf.getvalue().encode("utf-8-sig" if excel else "utf-8"))
    return n


def write_xlsx(rows: Iterable[dict], path: str | os.PathLike) -> int:
    """An Excel workbook, sheet "Nhiệm vụ", Vietnamese headers; ``Thời hạn`` is a date cell."""
    try:
        from openpyxl import Workbook
    except ImportError:
        raise ModuleNotFoundError("the .xlsx export needs openpyxl; install it with: pip install 'vbextract[xlsx]'",
                                  name="openpyxl") from None
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append([XLSX_HEADERS[c] for c in COLUMNS])
    due_col = COLUMNS.index("due") + 1
    n = 0
    for row in rows:
        cells = csv_cells(row)
        cells["due_source"] = _SOURCE_VI.get(row.get("due_source") or "", "")
        values: list[Any] = [cells[c] or None for c in COLUMNS]
        if row.get("due"):
            values[due_col - 1] = dt.date.fromisoformat(row["due"])
        ws.append(values)
        ws.cell(row=ws.max_row, column=due_col).number_format = "DD/MM/YYYY"
        n += 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col, width in (("A", 18), ("G", 50), ("K", 60), ("L", 30), ("M", 30), ("N", 12)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    _write(path, buf.getvalue())
    return n


# --------------------------------------------------------------------------- iCalendar


def write_ics(rows: Iterable[dict], path: str | os.PathLike, now: dt.datetime | None = None,
              events: bool = False) -> int:
    """An iCalendar file (RFC 5545, written by the ``icalendar`` library).

    Default: one ``VTODO`` per dated deadline of each row (the same words and dates once), with ``DUE`` (and ``DTSTART`` for a range
    or period); a row without a dated deadline is one ``VTODO`` without ``DUE``. ``events=True``:
    an all-day ``VEVENT`` on each due day instead, for calendars that do not import VTODO (rows
    without a date are left out: a calendar cannot place them). UIDs are unique in the file: the
    same document given twice is written once. Returns the entries written."""
    from icalendar import Calendar

    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//vbextract//vbextract tasks//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "vbextract tasks")
    n = 0
    seen: dict[str, str] = {}  # UID -> the document it came from
    for row in rows:
        for comp in (vevents(row, stamp) if events else vtodos(row, stamp)):
            uid = str(comp["UID"])
            if uid in seen and seen[uid] != row["doc_sha256"]:
                # two documents with the same issuer, number, symbol and date and the same task words:
                # told apart by their content (a calendar keeps one entry per UID)
                uid = uid.replace("@vbextract", f"-{row['doc_sha256'][:8]}@vbextract")
                comp["UID"] = uid
            if uid in seen:
                continue  # the same document given twice: its entries once
            seen[uid] = row["doc_sha256"]
            cal.add_component(comp)
            n += 1
    _write(path, cal.to_ical())
    return n


def _uid(row: dict, d: dict | None) -> str:
    if d is None:
        return f"{row['task_uid']}@vbextract"
    return f"{row['task_uid']}-{deadline_id(d, None)[3:]}@vbextract"  # content only: no positions


def _dated(row: dict) -> list[dict]:
    """The row's dated deadlines, each content once (a deadline printed twice is one entry)."""
    out: dict[str, dict] = {}
    for d in row["deadlines"]:
        if due_date(d):
            out.setdefault(_uid(row, d), d)
    return list(out.values())


def vtodos(row: dict, stamp: dt.datetime) -> Iterator[Any]:
    """The VTODO components of one row."""
    from icalendar import Todo

    dated: list[dict | None] = list(_dated(row)) or [None]
    for d in dated:
        todo = Todo()
        _common(todo, row, d, stamp)
        if d is not None:
            due = due_date(d)
            start = start_date(d)
            assert due is not None
            if start and start < due:  # RFC 5545: DUE must be later than DTSTART
                todo.add("dtstart", start)
            todo.add("due", due)
        todo.add("status", "NEEDS-ACTION")
        yield todo


def vevents(row: dict, stamp: dt.datetime) -> Iterator[Any]:
    """All-day VEVENTs on the due day of each dated deadline of one row."""
    from icalendar import Event

    for d in _dated(row):
        due = due_date(d)
        assert due is not None
        event = Event()
        _common(event, row, d, stamp)
        event.add("dtstart", due)
        event.add("dtend", due + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        yield event


def _common(comp: Any, row: dict, d: dict | None, stamp: dt.datetime) -> None:
    comp.add("uid", _uid(row, d))
    comp.add("dtstamp", stamp)
    comp.add("summary", _summary(row))
    comp.add("description", _description(row, d))
    if row.get("doc_type"):
        comp.add("categories", [row["doc_type"]])


def _summary(row: dict) -> str:
    text = " ".join(row["task_text"].split())
    return text if len(text) <= 120 else text[:117].rstrip() + "…"


def _description(row: dict, deadline: dict | None) -> str:
    doc = " ".join(x for x in (row.get("doc_type"), row.get("doc_ref") and f"số {row['doc_ref']}",
                               row.get("doc_date") and f"ngày {row['doc_date']}") if x)
    parts = [row["task_text"], ""]
    if row["lead_units"]:
        parts.append("Chủ trì: " + "; ".join(row["lead_units"]))
    if row["support_units"]:
        parts.append("Phối hợp: " + "; ".join(row["support_units"]))
    if deadline:
        parts.append(f"Thời hạn: {deadline['text']}" + (" (thời hạn của văn bản)"
                                                          if deadline.get("source") == "document" else ""))
    parts.append(f"Văn bản: {doc or row.get('doc_path') or row['doc_sha256']}"
                 + (f" ({row['issuer']})" if row.get("issuer") else ""))
    if row.get("subject"):
        parts.append(f"Trích yếu: {row['subject']}")
    parts.append(f"Nhiệm vụ: {row['task_id'] or '(văn bản)'} [{row['task_uid']}]")
    return "\n".join(parts)


# --------------------------------------------------------------------------- Phiếu giải quyết văn bản đến


def phieu(rows: Iterable[dict]) -> list[dict[str, Any]]:
    """One "Phiếu giải quyết văn bản đến" (Nghị định 30/2020/NĐ-CP, Phụ lục IV, mẫu VII) per
    document: the incoming document's identification, then the leader's instruction as data — per
    task the đơn vị chủ trì and đơn vị phối hợp, each with its thời hạn giải quyết. The document
    states one deadline per task, so every unit of a task gets the task's. ``ngay_cho_y_kien``
    (the date of the instruction) is not in the document and stays null."""
    out: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = (row["doc_sha256"], row.get("doc_path"), row.get("doc_member"))
        if key not in out:
            out[key] = {
                "mau": "Phiếu giải quyết văn bản đến",
                "can_cu": "Nghị định 30/2020/NĐ-CP, Phụ lục IV, mục VII",
                "van_ban_den": {
                    "ten_loai": row.get("doc_type"), "so_ky_hieu": row.get("doc_ref"), "ngay": row.get("doc_date"),
                    "co_quan_ban_hanh": row.get("issuer"), "trich_yeu": row.get("subject"),
                    "tep": row.get("doc_path"), "tep_trong_goi": row.get("doc_member"), "sha256": row["doc_sha256"],
                },
                "y_kien_lanh_dao": {"giao_viec": [], "ngay_cho_y_kien": None},
            }
        due = row.get("due")
        source = {"task": "nhiem_vu", "document": "van_ban"}.get(row.get("due_source") or "")

        def unit(name: str, due: str | None = due) -> dict[str, Any]:
            return {"ten": name, "thoi_han": due}

        out[key]["y_kien_lanh_dao"]["giao_viec"].append({
            "ma_nhiem_vu": row["task_uid"], "so_thu_tu": row.get("task_id"), "noi_dung": row["task_text"],
            "don_vi_chu_tri": [unit(u) for u in row["lead_units"]],
            "don_vi_phoi_hop": [unit(u) for u in row["support_units"]],
            "thoi_han_giai_quyet": due, "thoi_han_theo": source,
            "cac_thoi_han": [{"ma": d["id"], "van_ban": d["text"], "loai": d["kind"], "han": d["due"],
                              "bat_dau": d["start"], "ket_thuc": d["end"] or d["date"],
                              "theo": {"task": "nhiem_vu", "document": "van_ban"}[d["source"]]}
                             for d in row["deadlines"]],
        })
    return list(out.values())


def write_phieu(rows: Iterable[dict], path: str | os.PathLike) -> int:
    """The phiếu of every document as one JSON array; returns the number of phiếu."""
    forms = phieu(rows)
    _write(path, (json.dumps(forms, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return len(forms)


FORMATS = ("jsonl", "csv", "xlsx", "ics", "phieu")


def format_of(path: str | os.PathLike) -> str | None:
    """The feed format named by a file name (``.jsonl``, ``.csv``, ``.xlsx``, ``.ics``, ``.phieu.json``)."""
    name = str(path).lower()
    if name.endswith(".phieu.json"):
        return "phieu"
    suffix = Path(name).suffix.lstrip(".")
    return {"ndjson": "jsonl", "json": "jsonl", "ical": "ics", "icalendar": "ics"}.get(suffix, suffix) \
        if suffix in ("jsonl", "ndjson", "json", "csv", "xlsx", "ics", "ical") else None


def write_tasks(rows: Iterable[dict], path: str | os.PathLike, fmt: str | None = None, excel: bool = True,
                events: bool = False, now: dt.datetime | None = None) -> int:
    """Write task rows as ``jsonl``, ``csv``, ``xlsx``, ``ics`` or ``phieu`` (default: from the file name)."""
    fmt = fmt or format_of(path) or "jsonl"
    fmt = {"ndjson": "jsonl", "json": "jsonl", "ical": "ics", "icalendar": "ics"}.get(fmt, fmt)
    if fmt == "jsonl":
        return write_jsonl(rows, path)
    if fmt == "csv":
        return write_csv(rows, path, excel=excel)
    if fmt == "xlsx":
        return write_xlsx(rows, path)
    if fmt == "ics":
        return write_ics(rows, path, now=now, events=events)
    if fmt == "phieu":
        return write_phieu(rows, path)
    raise ValueError(f"unknown tasks format {fmt!r}: use jsonl, csv, xlsx, ics or phieu")
