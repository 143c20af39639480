"""The consumer contract: the generator block, lenient read_document within a major version,
strict models, content-derived deadline ids, and batch --resume across vbextract versions."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from pydantic import ValidationError

import vbextract
from vbextract import contract
from vbextract.cli import main
from vbextract.contract import RecordVersionError, RecordVersionWarning, deadline_id, read_document
from vbextract.document import Deadline, Document

SEED = Path(__file__).resolve().parents[1] / "seeds" / "002_65f01fc30d0adf68.txt"  # Công văn 403/UBND-KGVX
_RECORD: list[str] = []


def record() -> dict:
    """A fresh copy of the seed's record (parsed once)."""
    if not _RECORD:
        _RECORD.append(vbextract.parse(SEED.read_bytes(), name=SEED.name, use_ml=False).to_json())
    return json.loads(_RECORD[0])


def test_every_record_carries_a_generator_block():
    gen = record()["generator"]
    assert gen["name"] == "vbextract" and gen["version"] == vbextract.__version__
    assert gen["schema_version"] == vbextract.SCHEMA_VERSION == "1"
    assert gen["schema_minor"] == contract.SCHEMA_MINOR >= 1
    assert gen["rules"] == contract.RULES_VERSION
    assert set(gen["models"]) == {"entities", "linebreak", "zones"} and all(gen["models"].values())
    assert "ml" in gen
    assert "generator" in vbextract.schema()["properties"]


def test_read_document_round_trip():
    rec = record()
    assert vbextract.read_document is read_document
    doc = vbextract.read_document(json.dumps(rec))
    assert doc == Document.model_validate(rec)
    assert read_document(rec).header.symbol == "UBND-KGVX"


def test_unknown_fields_are_ignored_by_read_document_but_not_by_the_models():
    rec = record()
    rec["new_top_level"] = {"x": 1}
    rec["header"]["new_header_field"] = "x"
    rec["deadlines"][0]["new_deadline_field"] = [1, 2]
    rec["generator"]["build"] = "abc"
    rec["locations"] = [{"path": "a.txt", "member": None}]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # same minor: no warning
        doc = read_document(rec)
    assert doc.header.symbol == "UBND-KGVX" and doc.deadlines[0].text == rec["deadlines"][0]["text"]
    with pytest.raises(ValidationError):
        Document.model_validate({k: v for k, v in rec.items() if k != "locations"})  # the library stays strict


def test_a_newer_minor_is_read_with_a_warning():
    rec = record()
    rec["generator"]["schema_minor"] = contract.SCHEMA_MINOR + 1
    rec["generator"]["version"] = "9.9.0"
    rec["tasks_v2"] = []
    with pytest.warns(RecordVersionWarning, match=r"9\.9\.0.*newer"):
        doc = read_document(rec)
    assert doc.header.number == "403"


def test_another_major_is_refused():
    rec = record()
    rec["schema_version"] = "2"
    with pytest.raises(RecordVersionError, match="schema version 2"):
        read_document(rec)
    with pytest.raises(RecordVersionError):
        read_document("[1, 2]")


def test_a_record_from_before_the_generator_block_reads_without_one():
    rec = record()
    del rec["generator"]
    for d in rec["deadlines"]:
        del d["id"]  # written before Deadline.id
    doc = read_document(rec)
    assert doc.generator is None and doc.deadlines[0].id == ""


def test_deadline_ids_come_from_content():
    a = Deadline(text="trước ngày 20/5/2024", kind="by", date="2024-05-20", span=(10, 30))
    moved = Deadline(text="trước  ngày 20/5/2024", kind="by", date="2024-05-20", span=(500, 521))
    other = Deadline(text="trước ngày 21/5/2024", kind="by", date="2024-05-21", span=(10, 30))
    assert deadline_id(a, "1") == deadline_id(moved, "1")  # offsets and spacing do not count
    assert deadline_id(a, "1") != deadline_id(a, "2") != deadline_id(a, None)
    assert deadline_id(a, "1") != deadline_id(other, "1")
    assert deadline_id(a, "1").startswith("dl-") and deadline_id(a.model_dump(), "1") == deadline_id(a, "1")


def _rewrite(path, change) -> None:
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    for i, rec in enumerate(lines):
        change(i, rec)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")


def test_batch_resume_says_when_versions_mix_and_reparses_older(tmp_path, seeds_dir, capsys):
    out = tmp_path / "docs.jsonl"
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--no-ml"]) == 0

    def age(i, rec):
        if i == 0:
            rec["generator"]["version"] = "0.0.9"
        elif i == 1:
            del rec["generator"]  # from before the block existed

    _rewrite(out, age)
    capsys.readouterr()
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--resume", "--no-ml"]) == 0
    err = capsys.readouterr().err
    assert "mixes versions" in err and "1 by vbextract 0.0.9" in err and "without a generator block" in err
    assert "--reparse-older" in err
    versions = [json.loads(x).get("generator", {}).get("version") for x in out.read_text().splitlines()]
    assert sorted(map(str, versions)).count(vbextract.__version__) == 3  # kept as they were
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--resume", "--reparse-older", "--no-ml"]) == 0
    err = capsys.readouterr().err
    assert "parsed again" in err
    recs = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(recs) == 5 and len({r["source"]["sha256"] for r in recs}) == 5
    assert all(r["generator"]["version"] == vbextract.__version__ for r in recs)
    assert all(len(r["locations"]) == 1 for r in recs)
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--resume", "--no-ml"]) == 0
    assert "mixes" not in capsys.readouterr().err
    assert main(["batch", "-q", str(seeds_dir), "-o", str(tmp_path / "x.jsonl"), "--reparse-older"]) == 2


def test_batch_json_dir_reparses_older(tmp_path, seeds_dir, capsys):
    out = tmp_path / "docs"
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--format", "json-dir", "--no-ml"]) == 0
    first = sorted(out.glob("*.json"))[0]
    rec = json.loads(first.read_text(encoding="utf-8"))
    rec["generator"]["version"] = "0.0.1"
    first.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    assert main(["batch", "-q", str(seeds_dir), "-o", str(out), "--format", "json-dir", "--resume",
                 "--reparse-older", "--no-ml"]) == 0
    assert "1 by vbextract 0.0.1" in capsys.readouterr().err
    files = sorted(out.glob("*.json"))
    assert len(files) == 5
    assert all(json.loads(f.read_text())["generator"]["version"] == vbextract.__version__ for f in files)
