"""Golden files: the full JSON of each seed, and the seeds' gold annotations."""

import json
import os
import re
from pathlib import Path

import pytest

from vbextract import parse
from vbextract.normalize import fold
from vbextract.tools.regenerate import golden_json

TESTS = Path(__file__).resolve().parent
SEEDS = sorted((TESTS / "seeds").glob("*.txt"))


def test_regen_flag_is_off_in_ci():
    assert not (os.environ.get("CI") and os.environ.get("VBEXTRACT_REGEN"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_matches_golden_json(seed):
    golden = TESTS / "golden" / f"{seed.stem}.json"
    doc = parse(seed.read_bytes(), name=seed.name, use_ml=False)
    if os.environ.get("VBEXTRACT_REGEN"):
        golden.write_text(golden_json(doc), encoding="utf-8")
    assert golden_json(doc) == golden.read_text(encoding="utf-8"), "run `make generated` and review the diff"


def _n(s):
    return fold(" ".join(str(s).split())).strip(" ;,.:") if s is not None else None


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_agrees_with_gold_annotation(seed):
    gold = json.loads((seed.parent / f"{seed.stem}.gold.json").read_text(encoding="utf-8"))
    doc = parse(seed.read_bytes(), name=seed.name, use_ml=False)
    gh = gold["header"]
    for field in ("number", "symbol", "doc_type", "place", "date", "subject"):
        assert _n(getattr(doc.header, field)) == _n(gh[field]), field
    assert doc.header.is_draft == gh["is_draft"]
    assert doc.kind == gold["kind"]
    assert [_n(r) for r in doc.recipients] == [_n(r) for r in gold["recipients"]]
    assert [_n(r) for r in doc.distribution] == [_n(r) for r in gold["distribution"]]
    assert {c.ref for c in doc.citations if not c.unnumbered} == {c["ref"] for c in gold["citations"]}
    predicted_tasks = {t.id: t for t in doc.tasks if not re.search(r"(\.b\d+|~\d+)$|^p\d+$", t.id)}  # as scored
    assert set(predicted_tasks) == {t["id"] for t in gold["tasks"]}
    for t in gold["tasks"]:
        assert [_n(u) for u in predicted_tasks[t["id"]].lead_units] == [_n(u) for u in t["lead_units"]], t["id"]
    assert [(d.kind, d.date, d.start, d.end) for d in doc.deadlines] == [
        (d["kind"], d["date"], d["start"], d["end"]) for d in gold["deadlines"]]
    if gold["signature"]:
        assert doc.signature is not None
        assert _n(doc.signature.signer) == _n(gold["signature"]["signer"])
        assert [_n(c) for c in doc.signature.chain] == [_n(c) for c in gold["signature"]["chain"]]
