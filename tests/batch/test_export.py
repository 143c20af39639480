"""Tasks export: JSONL, CSV for Excel, iCalendar VTODO validated with the icalendar package."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import icalendar

from vbextract.cli import main
from vbextract.document import Deadline, Document, Header, Source, Task
from vbextract.export import due_date, task_rows, write_csv, write_ics


def plan() -> Document:
    return Document(
        source=Source(path="kh.txt", sha256="cd" * 32),
        header=Header(doc_type="Kế hoạch", number="12", symbol="KH-UBND", date="2024-03-01",
                      issuer="ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN"),
        tasks=[
            Task(id="II.1", label="1.", text="Tổ chức tuyên truyền, phổ biến; kiểm tra \\ giám sát " + "dài " * 40,
                 lead_units=["Phòng Văn hóa và Thông tin"], support_units=["UBND các xã", "Công an huyện"],
                 deadline_ids=[0, 1], span=(0, 1)),
            Task(id="II.2", text="Thường xuyên theo dõi", span=(2, 3)),
            Task(id="II.3", text="Báo cáo tháng", span=(4, 5)),
        ],
        deadlines=[
            Deadline(text="trước ngày 10/5/2024", kind="by", date="2024-05-10", task_id="II.1", span=(0, 1)),
            Deadline(text="Quý IV", kind="period", start="2024-10-01", end="2024-12-31", task_id="II.1", span=(0, 1)),
            Deadline(text="Thường xuyên", kind="ongoing", task_id="II.2", span=(2, 3)),
            Deadline(text="tháng 6/2024", kind="period", start="2024-06", end="2024-06", task_id="II.3", span=(4, 5)),
        ],
    )


def test_due_dates_of_each_kind():
    assert due_date({"kind": "by", "date": "2024-05-10"}) == dt.date(2024, 5, 10)
    assert due_date({"kind": "on", "date": "2024-02"}) == dt.date(2024, 2, 29)
    assert due_date({"kind": "range", "start": "2024-01-01", "end": "2024"}) == dt.date(2024, 12, 31)
    assert due_date({"kind": "ongoing"}) is None
    assert due_date({"kind": "by", "date": "2024-02-30"}) is None


def test_rows_carry_document_task_and_deadlines():
    rows = list(task_rows(plan()))
    assert [r["task_id"] for r in rows] == ["II.1", "II.2", "II.3"]
    first = rows[0]
    assert (first["doc_number"], first["doc_symbol"], first["doc_date"]) == ("12", "KH-UBND", "2024-03-01")
    assert first["issuer"] == "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN" and first["due"] == "2024-05-10"
    assert [d["index"] for d in first["deadlines"]] == [0, 1]
    assert rows[1]["deadlines"][0]["kind"] == "ongoing"  # linked by task_id only
    assert rows[2]["due"] == "2024-06-30"


def test_ics_is_valid_vtodo_with_due_and_stable_uids(tmp_path):
    rows = list(task_rows(plan()))
    write_ics(rows, tmp_path / "a.ics", now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    raw = (tmp_path / "a.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    cal = icalendar.Calendar.from_ical(raw)
    todos = cal.walk("VTODO")
    by_uid = {str(t["UID"]): t for t in todos}
    sha = "cd" * 32
    assert set(by_uid) == {f"{sha}-II.1-0@vbextract", f"{sha}-II.1-1@vbextract", f"{sha}-II.2@vbextract",
                           f"{sha}-II.3-3@vbextract"}
    assert by_uid[f"{sha}-II.1-0@vbextract"]["DUE"].dt == dt.date(2024, 5, 10)
    assert by_uid[f"{sha}-II.1-1@vbextract"]["DTSTART"].dt == dt.date(2024, 10, 1)
    assert by_uid[f"{sha}-II.1-1@vbextract"]["DUE"].dt == dt.date(2024, 12, 31)
    assert "DUE" not in by_uid[f"{sha}-II.2@vbextract"]
    desc = str(by_uid[f"{sha}-II.1-0@vbextract"]["DESCRIPTION"])
    assert "kiểm tra \\ giám sát" in desc and "Chủ trì: Phòng Văn hóa và Thông tin" in desc
    assert "Phối hợp: UBND các xã; Công an huyện" in desc
    for todo in todos:
        assert todo.errors == [] and "DTSTAMP" in todo
    write_ics(rows, tmp_path / "b.ics", now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    assert (tmp_path / "b.ics").read_bytes() == raw  # same input, same file


def test_csv_for_excel_has_bom_and_header(tmp_path):
    write_csv(task_rows(plan()), tmp_path / "t.csv", excel=True)
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdoc_sha256,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[0]["support_units"] == "UBND các xã; Công an huyện"
    assert rows[0]["deadlines"].startswith("trước ngày 10/5/2024 (by 2024-05-10); Quý IV (period")


def test_tasks_command_from_batch_output_and_from_documents(tmp_path, seeds_dir):
    out = tmp_path / "docs.jsonl"
    main(["batch", "-q", str(seeds_dir), "-o", str(out)])
    assert main(["tasks", str(out), "-o", str(tmp_path / "t.jsonl")]) == 0
    assert main(["tasks", str(seeds_dir), "-o", str(tmp_path / "t2.jsonl")]) == 0
    from_records = (tmp_path / "t.jsonl").read_text().splitlines()
    assert from_records == (tmp_path / "t2.jsonl").read_text().splitlines()
    n_tasks = sum(len(json.loads(line)["tasks"]) for line in out.read_text().splitlines())
    assert len(from_records) == n_tasks
    main(["batch", "-q", str(seeds_dir), "-o", str(tmp_path / "docs.hf"), "--format", "hf"])
    assert main(["tasks", str(tmp_path / "docs.hf"), "-o", str(tmp_path / "t3.jsonl")]) == 0
    assert (tmp_path / "t3.jsonl").read_text().splitlines() == from_records
    assert main(["tasks", str(out), "-o", str(tmp_path / "t.ics")]) == 0
    cal = icalendar.Calendar.from_ical((tmp_path / "t.ics").read_bytes())
    uids = [str(t["UID"]) for t in cal.walk("VTODO")]
    assert len(uids) == len(set(uids)) >= n_tasks
