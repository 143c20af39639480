"""Exports for other systems.

* :mod:`vbextract.export.tasks` — task feeds: JSONL, CSV (UTF-8 with BOM), ``.xlsx``, iCalendar
  (VTODO or VEVENT) and the "Phiếu giải quyết văn bản đến" of Nghị định 30/2020 as JSON;
* :mod:`vbextract.export.edxml` — the edXML message of QCVN 102:2016/BTTTT for document systems.

The names of the former ``vbextract.export`` module (``task_rows``, ``write_tasks`` …) are still
importable from here.
"""

from __future__ import annotations

from .tasks import (
    COLUMNS,
    XLSX_HEADERS,
    csv_cells,
    doc_key,
    document_deadlines,
    due_date,
    phieu,
    start_date,
    task_deadlines,
    task_rows,
    vtodos,
    whole_document_deadlines,
    write_csv,
    write_ics,
    write_jsonl,
    write_phieu,
    write_tasks,
    write_xlsx,
)

__all__ = [
    "COLUMNS",
    "XLSX_HEADERS",
    "csv_cells",
    "doc_key",
    "document_deadlines",
    "due_date",
    "phieu",
    "start_date",
    "task_deadlines",
    "task_rows",
    "vtodos",
    "write_csv",
    "write_ics",
    "write_jsonl",
    "write_phieu",
    "write_tasks",
    "whole_document_deadlines",
    "write_xlsx",
]
