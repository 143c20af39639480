"""The HTML report: every task row and every highlight present, each highlight carrying its span;
and in a real browser (headless Chromium, skipped when absent) the rendered DOM checked."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from vbextract.cli import main
from vbextract.pipeline import parse
from vbextract.report import highlights, render_report

pytestmark = pytest.mark.timeout(180)
ROOT = Path(__file__).resolve().parents[2]


class _Dom(HTMLParser):
    """The report's highlights (``a.vb-hl``), task rows (``tr.vb-task``) and links, as parsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[dict] = []
        self.rows: list[dict] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.body: dict = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        classes = a.get("class", "").split()
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "vb-hl" in classes:
            self.anchors.append(a)
        elif tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        elif tag == "tr" and "vb-task" in classes:
            self.rows.append(a)
        elif tag == "body":
            self.body = a


def _dom(page: str) -> _Dom:
    dom = _Dom()
    dom.feed(page)
    return dom


@pytest.fixture(scope="module")
def seed_doc(seeds):
    path = seeds[0]
    return parse(path.read_bytes(), name=path.name, use_ml=False)


def test_every_task_row_and_highlight_with_its_span(seed_doc):
    page = render_report([("seed", seed_doc)])
    dom = _dom(page)
    marks = highlights(seed_doc)
    assert seed_doc.tasks and len(marks) > len(seed_doc.tasks)
    # every task has its row, in order
    assert [r["data-task"] for r in dom.rows] == [t.id for t in seed_doc.tasks]
    # every highlight is there once, and carries its span, label and the value it belongs to
    got = sorted((a["data-label"], int(a["data-start"]), int(a["data-end"]), a["data-ref"]) for a in dom.anchors)
    assert got == sorted((m.label, m.start, m.end, m.ref) for m in marks)
    assert len({a["id"] for a in dom.anchors}) == len(dom.anchors)
    for a in dom.anchors:
        assert a["href"] == "#" + a["id"]  # clickable to itself: the page marks it (see the browser test)
    # each kind of value is highlighted on the words it was read from
    text = seed_doc.text
    h = seed_doc.header
    by_label = {}
    for a in dom.anchors:
        by_label.setdefault(a["data-label"], []).append(text[int(a["data-start"]):int(a["data-end"])])
    assert h.symbol and any(h.symbol in s for s in by_label["NUMBER"])
    assert " ".join(by_label["ISSUER"][0].split()).upper() in " ".join(h.issuer.split()).upper()
    assert len(by_label["TASK"]) == len(seed_doc.tasks)
    assert len(by_label.get("DEADLINE", [])) == len(seed_doc.deadlines)
    assert seed_doc.signature and seed_doc.signature.signer in by_label["SIGNER"]
    for task in seed_doc.tasks:  # each task's row links to its TASK highlight
        row = next(r for r in dom.rows if r["data-task"] == task.id)
        anchor = next(a for a in dom.anchors if a["id"] == row["data-span"])
        assert anchor["data-label"] == "TASK" and anchor["data-ref"] == f"task:{task.id}"
        assert (int(anchor["data-start"]), int(anchor["data-end"])) == tuple(task.span)
    # each row shows its deadlines
    for task in seed_doc.tasks:
        row_html = re.search(rf'<tr class="vb-task" id="d0-task-{re.escape(task.id)}".*?</tr>', page, re.S).group()
        for i in task.deadline_ids:
            d = seed_doc.deadlines[i]
            assert f"{d.date} ({d.kind})" in row_html
    assert any(t.deadline_ids for t in seed_doc.tasks)
    # every in-page link of the tables goes somewhere
    assert dom.links and set(dom.links) <= dom.ids
    # the units of the tasks are linked from the table
    units = [a for a in dom.anchors if a["data-label"] in ("LEAD_UNIT", "SUPPORT_UNIT")]
    assert units and {a["id"] for a in units} <= set(dom.links)


def test_warnings_and_failures_are_shown(seed_doc):
    doc = seed_doc.model_copy(update={"warnings": ["một cảnh báo <thử>"]})
    page = render_report([("seed", doc)], failed=[("junk.bin", "not a document: binary content")])
    assert "<li>một cảnh báo &lt;thử&gt;</li>" in page
    assert "junk.bin</b>: not a document: binary content" in page


def test_cli_report_from_documents_and_records(tmp_path, seeds, capsys):
    out = tmp_path / "report.html"
    record = tmp_path / "one.json"
    assert main(["parse", "--no-ml", str(seeds[1]), "-o", str(record)]) == 0
    assert main(["report", "--no-ml", str(seeds[0]), str(record), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.count('class="vb-doc"') == 2
    n_tasks = sum(len(parse(p.read_bytes(), use_ml=False).tasks) for p in seeds[:2])
    assert page.count('class="vb-task"') == n_tasks
    junk = tmp_path / "junk.bin"
    junk.write_bytes(os.urandom(3000))
    assert main(["report", str(junk), "-o", str(out)]) == 1
    assert "not a document" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.txt"), "-o", str(out)]) == 2


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def test_report_in_a_real_browser(tmp_path, seed_doc):
    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    page = tmp_path / "report.html"
    page.write_text(render_report([("seed", seed_doc)]), encoding="utf-8")
    marks = highlights(seed_doc)
    task = seed_doc.tasks[len(seed_doc.tasks) // 2]
    target = f"d0-s{next(k for k, m in enumerate(marks) if m.ref == f'task:{task.id}' and m.label == 'TASK')}"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,3200"]
    url = page.as_uri() + "#" + target  # as when the task row's link is followed
    dom_run = subprocess.run([browser, *flags, "--dump-dom", url], capture_output=True, timeout=90)
    assert dom_run.returncode == 0, dom_run.stderr.decode()[-2000:]
    dom = _dom(dom_run.stdout.decode("utf-8"))
    assert dom.body.get("data-ready") == "yes"  # the page's script ran to the end
    assert [r["data-task"] for r in dom.rows] == [t.id for t in seed_doc.tasks]
    assert all(r["data-linked"] == "yes" for r in dom.rows)  # every row's highlight exists in the DOM
    assert len(dom.anchors) == len(marks)
    for a in dom.anchors:  # the script read each highlight's words from its span
        assert a["data-text"] == seed_doc.text[int(a["data-start"]):int(a["data-end"])]
    active = [a["id"] for a in dom.anchors if "vb-active" in a["class"].split()]
    assert active == [target]
    rows = [r["data-task"] for r in dom.rows if "vb-active" in r["class"].split()]
    assert rows == [task.id]
    shot = ROOT / "benchmarks" / "results" / "report-screenshot.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([browser, *flags, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=90)
    assert run.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_displacy_pieces_keep_every_token_and_span(seed_doc):
    from vbextract.report import _chunks, displacy_data

    data = displacy_data(seed_doc, highlights(seed_doc), "d0")
    pieces = _chunks(data)
    assert len(pieces) > 1
    # the words in order; only one line break per cut is left to the piece boundary
    assert [t for p in pieces for t in p["tokens"] if not t.startswith("\n")] == \
        [t for t in data["tokens"] if not t.startswith("\n")]
    # every span lands in exactly one piece, on the same words
    flat = []
    for p in pieces:
        for sp in p["spans"]:
            assert 0 <= sp["start_token"] < sp["end_token"] <= len(p["tokens"])
            flat.append((sp["kb_id"], " ".join(p["tokens"][sp["start_token"]:sp["end_token"]])))
    expected = [(sp["kb_id"], " ".join(data["tokens"][sp["start_token"]:sp["end_token"]])) for sp in data["spans"]]
    assert sorted(flat) == sorted(expected)
