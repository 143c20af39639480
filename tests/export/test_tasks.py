"""Task feeds: every deadline on a row, stable ids, CSV with a BOM, .xlsx, iCalendar (icalendar
library, VTODO with DUE or VEVENT), the Phiếu giải quyết văn bản đến JSON, ``-o -``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import icalendar
import pytest

from vbextract import parse
from vbextract.cli import main
from vbextract.document import Deadline, Document, Header, Source, Task
from vbextract.export import due_date, task_rows, write_csv, write_ics, write_phieu, write_xlsx

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
SEED_002 = Path(__file__).resolve().parents[1] / "seeds" / "002_65f01fc30d0adf68.txt"


def plan() -> Document:
    return Document(
        source=Source(path="kh.txt", sha256="cd" * 32),
        header=Header(doc_type="Kế hoạch", number="12", symbol="KH-UBND", date="2024-03-01",
                      issuer="ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", subject="Thực hiện công tác trẻ em năm 2024"),
        tasks=[
            Task(id="II.1", label="1.", text="Tổ chức tuyên truyền, phổ biến; kiểm tra \\ giám sát " + "dài " * 40,
                 lead_units=["Phòng Văn hóa và Thông tin"], support_units=["UBND các xã", "Công an huyện"],
                 deadline_ids=[0, 1], span=(0, 1)),
            Task(id="II.2", text="Thường xuyên theo dõi", span=(2, 3)),
            Task(id="II.3", text="Báo cáo tháng", span=(4, 5)),
            Task(id="II.4", text="Tổng hợp kết quả", lead_units=["Văn phòng UBND huyện"], span=(6, 7)),
        ],
        deadlines=[
            Deadline(text="trước ngày 10/5/2024", kind="by", date="2024-05-10", task_id="II.1", span=(0, 1)),
            Deadline(text="Quý IV", kind="period", start="2024-10-01", end="2024-12-31", task_id="II.1", span=(0, 1)),
            Deadline(text="Thường xuyên", kind="ongoing", task_id="II.2", span=(2, 3)),
            Deadline(text="tháng 6/2024", kind="period", start="2024-06", end="2024-06", task_id="II.3", span=(4, 5)),
            Deadline(text="trước ngày 15/11/2024", kind="by", date="2024-11-15", span=(8, 9)),  # the document's
        ],
    )


def test_due_dates_of_each_kind():
    assert due_date({"kind": "by", "date": "2024-05-10"}) == dt.date(2024, 5, 10)
    assert due_date({"kind": "on", "date": "2024-02"}) == dt.date(2024, 2, 29)
    assert due_date({"kind": "range", "start": "2024-01-01", "end": "2024"}) == dt.date(2024, 12, 31)
    assert due_date({"kind": "ongoing"}) is None
    assert due_date({"kind": "by", "date": "2024-02-30"}) is None


def test_rows_carry_the_document_and_every_deadline():
    rows = list(task_rows(plan()))
    assert [r["task_id"] for r in rows] == ["II.1", "II.2", "II.3", "II.4"]
    for r in rows:  # the document on every row
        assert (r["doc_ref"], r["doc_date"], r["issuer"]) == ("12/KH-UBND", "2024-03-01", "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN")
        assert r["subject"] == "Thực hiện công tác trẻ em năm 2024" and r["doc_type"] == "Kế hoạch"
    first, ongoing, monthly, summary = rows
    assert first["due"] == "2024-05-10" and first["due_source"] == "task"
    assert [d["index"] for d in first["deadlines"]] == [0, 1]
    assert ongoing["deadlines"][0]["kind"] == "ongoing" and ongoing["due"] is None  # linked by task_id only
    assert monthly["due"] == "2024-06-30"
    # II.4 has no deadline of its own: it gets the document's, marked so
    assert summary["due"] == "2024-11-15" and summary["due_source"] == "document"
    assert [d["source"] for d in summary["deadlines"]] == ["document"]
    ids = {d["id"] for r in rows for d in r["deadlines"]}
    assert all(i.startswith("dl-") for i in ids) and len(ids) == 5


def test_document_deadlines_get_a_row_when_no_task_carries_them():
    doc = plan()
    doc.tasks = doc.tasks[:3]  # every remaining task has deadlines of its own
    rows = list(task_rows(doc))
    assert len(rows) == 4 and rows[-1]["task_id"] is None and rows[-1]["task_uid"].startswith("d-")
    assert rows[-1]["due"] == "2024-11-15" and rows[-1]["due_source"] == "document"
    assert "Kế hoạch số 12/KH-UBND" in rows[-1]["task_text"]
    no_tasks = plan()
    no_tasks.tasks = []
    for d in no_tasks.deadlines:
        d.task_id = None
    (only,) = task_rows(no_tasks)
    assert len(only["deadlines"]) == 5


def test_every_seed_deadline_is_on_some_row(seed_docs):
    total = 0
    for doc in seed_docs:
        rows = list(task_rows(doc))
        on_rows = {d["index"] for r in rows for d in r["deadlines"]}
        assert on_rows == set(range(len(doc.deadlines))), doc.source.path
        total += len(doc.deadlines)
        assert all(r["doc_sha256"] == doc.source.sha256 for r in rows)
    assert total > 0


def test_ids_are_stable_across_parses_and_unrelated_edits():
    raw = SEED_002.read_text(encoding="utf-8")
    a = list(task_rows(parse(raw.encode(), name=SEED_002.name, use_ml=False)))
    b = list(task_rows(parse(raw.encode(), name=SEED_002.name, use_ml=False)))
    assert [r["task_uid"] for r in a] == [r["task_uid"] for r in b]
    assert len({r["task_uid"] for r in a}) == len(a)
    # edits elsewhere: a sentence added to task 5, an entry of Nơi nhận changed
    edited = raw.replace("đặc biệt về bảo vệ trẻ em, phòng, chống xâm hại trẻ em.",
                         "đặc biệt về bảo vệ trẻ em, phòng, chống xâm hại trẻ em. Báo cáo khi có yêu cầu.", 1)
    edited = edited.replace("- Văn phòng Chính phủ;", "- Văn phòng Chính phủ (b/c);", 1)
    assert edited != raw
    c = list(task_rows(parse(edited.encode(), name=SEED_002.name, use_ml=False)))
    assert a[0]["doc_sha256"] != c[0]["doc_sha256"]  # the content hash moved …
    uid_a = {r["task_id"]: r["task_uid"] for r in a}
    uid_c = {r["task_id"]: r["task_uid"] for r in c}
    assert set(uid_a) == set(uid_c)
    changed = {k for k in uid_a if uid_a[k] != uid_c[k]}
    assert changed == {"5"}  # … the ids did not, except the edited task's own
    dl_a = [d["id"] for r in a for d in r["deadlines"]]
    dl_c = [d["id"] for r in c for d in r["deadlines"]]
    assert dl_a == dl_c and dl_a
    ics_a = _uids(a)
    ics_c = _uids(c)
    assert ics_a - ics_c == {u for u in ics_a if u.startswith(uid_a["5"])}


def _uids(rows) -> set[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        write_ics(rows, Path(d) / "x.ics", now=NOW)
        cal = icalendar.Calendar.from_ical((Path(d) / "x.ics").read_bytes())
    return {str(t["UID"]) for t in cal.walk("VTODO")}


def test_ics_vtodos_have_due_and_stable_uids(tmp_path):
    rows = list(task_rows(plan()))
    write_ics(rows, tmp_path / "a.ics", now=NOW)
    raw = (tmp_path / "a.ics").read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded at 75 octets
    cal = icalendar.Calendar.from_ical(raw)
    todos = cal.walk("VTODO")
    assert len(todos) == 5  # II.1 twice (two dated deadlines), II.2 undated, II.3, II.4
    dated = [t for t in todos if "DUE" in t]
    assert len(dated) == 4  # every VTODO with a dated deadline has DUE
    undated = [t for t in todos if "DUE" not in t]
    assert [str(t["SUMMARY"]) for t in undated] == ["Thường xuyên theo dõi"]
    by_due = {t["DUE"].dt: t for t in dated}
    assert set(by_due) == {dt.date(2024, 5, 10), dt.date(2024, 12, 31), dt.date(2024, 6, 30), dt.date(2024, 11, 15)}
    assert by_due[dt.date(2024, 12, 31)]["DTSTART"].dt == dt.date(2024, 10, 1)
    desc = str(by_due[dt.date(2024, 5, 10)]["DESCRIPTION"])
    assert "kiểm tra \\ giám sát" in desc and "Chủ trì: Phòng Văn hóa và Thông tin" in desc
    assert "Phối hợp: UBND các xã; Công an huyện" in desc
    assert "(thời hạn của văn bản)" in str(by_due[dt.date(2024, 11, 15)]["DESCRIPTION"])
    uids = [str(t["UID"]) for t in todos]
    assert len(set(uids)) == 5 and all(u.endswith("@vbextract") and u.startswith("t-") for u in uids)
    for todo in todos:
        assert todo.errors == [] and "DTSTAMP" in todo
    write_ics(rows, tmp_path / "b.ics", now=NOW)
    assert (tmp_path / "b.ics").read_bytes() == raw  # same input, same file


def test_ics_events_for_calendars_without_vtodo(tmp_path):
    rows = list(task_rows(plan()))
    n = write_ics(rows, tmp_path / "e.ics", now=NOW, events=True)
    cal = icalendar.Calendar.from_ical((tmp_path / "e.ics").read_bytes())
    events = cal.walk("VEVENT")
    assert n == len(events) == 4 and not cal.walk("VTODO")
    for e in events:
        assert isinstance(e["DTSTART"].dt, dt.date) and e["DTEND"].dt - e["DTSTART"].dt == dt.timedelta(days=1)
    assert {e["DTSTART"].dt for e in events} == {dt.date(2024, 5, 10), dt.date(2024, 12, 31), dt.date(2024, 6, 30),
                                                  dt.date(2024, 11, 15)}


def test_csv_has_a_bom_by_default(tmp_path):
    write_csv(task_rows(plan()), tmp_path / "t.csv")
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdoc_ref,") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[0]["support_units"] == "UBND các xã; Công an huyện"
    assert rows[0]["deadlines"].startswith("trước ngày 10/5/2024 (by 2024-05-10); Quý IV (period")
    assert rows[3]["due_source"] == "document" and rows[3]["deadlines"].endswith("theo văn bản)")
    write_csv(task_rows(plan()), tmp_path / "plain.csv", excel=False)
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"doc_ref,")


def test_xlsx_has_vietnamese_headers_and_date_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    assert write_xlsx(task_rows(plan()), tmp_path / "t.xlsx") == 4
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["Số, ký hiệu văn bản", "Tên loại văn bản", "Số"]
    assert {"Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Trích yếu"} <= set(headers)
    col = {h: i for i, h in enumerate(headers)}
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(data) == 4
    assert data[0][col["Thời hạn"]].date() == dt.date(2024, 5, 10)  # a date cell, sortable in Excel
    assert data[1][col["Thời hạn"]] is None
    assert data[3][col["Thời hạn theo"]] == "văn bản" and data[0][col["Thời hạn theo"]] == "nhiệm vụ"
    assert data[0][col["Đơn vị phối hợp"]] == "UBND các xã; Công an huyện"


def test_phieu_giai_quyet_shape(tmp_path):
    assert write_phieu(task_rows(plan()), tmp_path / "p.json") == 1
    (form,) = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert form["mau"] == "Phiếu giải quyết văn bản đến"
    assert form["van_ban_den"]["so_ky_hieu"] == "12/KH-UBND"
    assert form["van_ban_den"]["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN"
    tasks = form["y_kien_lanh_dao"]["giao_viec"]
    assert len(tasks) == 4
    first = tasks[0]
    assert first["don_vi_chu_tri"] == [{"ten": "Phòng Văn hóa và Thông tin", "thoi_han": "2024-05-10"}]
    assert [u["ten"] for u in first["don_vi_phoi_hop"]] == ["UBND các xã", "Công an huyện"]
    assert all(u["thoi_han"] == "2024-05-10" for u in first["don_vi_phoi_hop"])
    assert len(first["cac_thoi_han"]) == 2
    assert tasks[3]["thoi_han_theo"] == "van_ban" and tasks[3]["don_vi_chu_tri"][0]["thoi_han"] == "2024-11-15"


def test_tasks_command_from_batch_output_and_from_documents(tmp_path, seeds_dir):
    out = tmp_path / "docs.jsonl"
    main(["batch", "-q", str(seeds_dir), "-o", str(out), "--no-ml"])
    assert main(["tasks", str(out), "-o", str(tmp_path / "t.jsonl")]) == 0
    assert main(["tasks", str(seeds_dir), "--no-ml", "-o", str(tmp_path / "t2.jsonl")]) == 0
    from_records = (tmp_path / "t.jsonl").read_text().splitlines()
    assert from_records == (tmp_path / "t2.jsonl").read_text().splitlines()
    n_tasks = sum(len(json.loads(line)["tasks"]) for line in out.read_text().splitlines())
    assert len(from_records) >= n_tasks
    main(["batch", "-q", str(seeds_dir), "-o", str(tmp_path / "docs.hf"), "--format", "hf", "--no-ml"])
    assert main(["tasks", str(tmp_path / "docs.hf"), "-o", str(tmp_path / "t3.jsonl")]) == 0
    assert (tmp_path / "t3.jsonl").read_text().splitlines() == from_records
    assert main(["tasks", str(out), "-o", str(tmp_path / "t.ics")]) == 0
    cal = icalendar.Calendar.from_ical((tmp_path / "t.ics").read_bytes())
    todos = cal.walk("VTODO")
    uids = [str(t["UID"]) for t in todos]
    assert len(uids) == len(set(uids)) >= n_tasks
    rows = [json.loads(line) for line in from_records]
    dated = sum(len([d for d in r["deadlines"] if d["due"]]) or 0 for r in rows)
    assert sum(1 for t in todos if "DUE" in t) == dated > 0
    for name in ("t.csv", "t.xlsx", "t.phieu.json"):
        assert main(["tasks", str(out), "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(json.loads((tmp_path / "t.phieu.json").read_text())) == 5


def test_output_dash_writes_to_stdout(tmp_path, seeds_dir, capsysbinary):
    out = tmp_path / "docs.jsonl"
    main(["batch", "-q", str(seeds_dir), "-o", str(out), "--no-ml"])
    capsysbinary.readouterr()
    assert main(["tasks", str(out), "-o", "-", "--format", "csv"]) == 0
    got = capsysbinary.readouterr()
    assert got.out.startswith(b"\xef\xbb\xbfdoc_ref,") and b"task rows" in got.err
    assert main(["tasks", str(out), "-o", "-", "--format", "jsonl"]) == 0
    lines = capsysbinary.readouterr().out.decode().splitlines()
    assert lines and all(json.loads(x)["task_uid"] for x in lines)
    assert main(["tasks", str(out), "-o", "-"]) == 2  # stdout has no name to tell the format by


def test_ics_uids_are_unique_in_a_file(tmp_path):
    doc = plan()
    doc.deadlines.append(doc.deadlines[0].model_copy(update={"span": (40, 50)}))  # printed twice
    twin = plan()
    twin.source.sha256 = "ef" * 32  # another file with the same header and tasks
    rows = list(task_rows(doc)) + list(task_rows(doc)) + list(task_rows(twin))
    assert write_ics(rows, tmp_path / "u.ics", now=NOW) == 10  # doc once (5), its twin apart (5)
    todos = icalendar.Calendar.from_ical((tmp_path / "u.ics").read_bytes()).walk("VTODO")
    uids = [str(t["UID"]) for t in todos]
    assert len(uids) == len(set(uids)) == 10
    assert sum(u.endswith("-efefefef@vbextract") for u in uids) == 5


def test_a_task_about_the_whole_document_gives_its_deadlines_to_the_others():
    doc = parse(SEED_002.read_bytes(), name=SEED_002.name, use_ml=False)
    rows = {r["task_id"]: r for r in task_rows(doc)}
    stating = [r for r in rows.values() if r["due_source"] == "task"]
    for r in rows.values():
        assert r["due"], r["task_id"]  # every task of the công văn is due (6 months: before 20/5)
        if r["due_source"] == "document":
            assert {d["via"] for d in r["deadlines"]} <= {s["task_id"] for s in stating} | {None}
    assert rows["1"]["due_source"] == "document" and rows["1"]["due"].endswith("-05-20")
    assert [d["text"] for d in rows["1"]["deadlines"]] == ["trước ngày 20/5", "trước ngày 15/11"]
