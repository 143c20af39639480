"""Exports of real documents from ../shared/corpus (read at test time, never copied): the edXML
packet round-trips and is valid exactly when nothing is missing, every deadline is on a task row,
ids are the same when the document is parsed again, the calendar parses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from vbextract import parse
from vbextract.contract import deadline_id
from vbextract.errors import InputError
from vbextract.export import task_rows, write_ics
from vbextract.export.edxml import from_xml, message_from_document, problems, to_xml, validate

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
FILES = (sorted((CORPUS / "tvpl-md").glob("*.md"))[::9] + sorted((CORPUS / "vbpl-html").glob("*.htm*"))[::4]
         if CORPUS.is_dir() else [])

pytestmark = [pytest.mark.corpus, pytest.mark.skipif(not FILES, reason="shared corpus not available")]
pytest.importorskip("lxml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:40])
def test_corpus_document_exports(path, tmp_path):
    try:
        doc = parse(path.read_bytes(), name=path.name, use_ml=False)
    except InputError:
        pytest.skip("not a document")
    msg = message_from_document(doc, attachment=path, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    xml = to_xml(msg)
    assert from_xml(xml) == msg
    assert (validate(xml) == []) == (problems(msg) == [])
    assert msg.sender.organ_id is None  # no mapping, no code
    rows = list(task_rows(doc))
    assert {d["index"] for r in rows for d in r["deadlines"]} == set(range(len(doc.deadlines)))
    again = list(task_rows(parse(path.read_bytes(), name=path.name, use_ml=False)))
    assert [r["task_uid"] for r in again] == [r["task_uid"] for r in rows]
    assert [r["deadline_ids"] for r in again] == [r["deadline_ids"] for r in rows]
    write_ics(rows, tmp_path / "t.ics")
    todos = icalendar.Calendar.from_ical((tmp_path / "t.ics").read_bytes()).walk("VTODO")
    uids = [str(t["UID"]) for t in todos]
    assert len(uids) == len(set(uids))
    dated = {(r["task_uid"], deadline_id(d, None)) for r in rows for d in r["deadlines"] if d["due"]}
    assert sum("DUE" in t for t in todos) == len(dated)  # every dated deadline has its VTODO with DUE
