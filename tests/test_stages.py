"""The stage contract: what each rule stage requires and assigns, checked like spaCy's analyze_pipes.

``pipeline.STAGE_CONTRACTS`` declares, for every stage of ``pipeline.STAGES``, the working-document
fields it reads (``requires``), sets (``assigns``) and changes after an earlier stage set them
(``modifies``). The order must satisfy it, and a parse of the seeds, traced field by field, must
not read or change anything a stage did not declare.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from vbextract import pipeline
from vbextract.doc import WorkDoc

SEEDS = sorted((Path(__file__).resolve().parent / "seeds").glob("*.txt"))
FIELDS = {f.name for f in dataclasses.fields(WorkDoc) if not f.name.startswith("_")}  # _…: WorkDoc's own
ALWAYS = {"warnings", "notices", "stage", "cache"}  # every stage may warn and memoize


def order_problems(names: list[str], contracts: dict[str, dict[str, tuple[str, ...]]]) -> list[str]:
    """What is wrong with running ``names`` in this order (empty when nothing is)."""
    problems = []
    have = set(pipeline.PROVIDED) | ALWAYS
    owner: dict[str, str] = {}
    for name in names:
        c = contracts.get(name)
        if c is None:
            problems.append(f"stage {name!r} has no entry in pipeline.STAGE_CONTRACTS")
            continue
        for f in c["requires"]:
            if f not in have:
                problems.append(f"{name} requires {f!r}, which no earlier stage assigns")
        for f in c.get("modifies", ()):
            if f not in owner:
                problems.append(f"{name} modifies {f!r} before any stage assigned it")
        for f in c["assigns"]:
            if f in owner:
                problems.append(f"{name} assigns {f!r}, already assigned by {owner[f]} (declare it in modifies)")
            owner.setdefault(f, name)
        have |= set(c["assigns"])
    return problems


def test_every_stage_declares_its_contract():
    names = [n for n, _ in pipeline.STAGES]
    assert len(names) == len(set(names)), "stage names repeat"
    assert set(pipeline.STAGE_CONTRACTS) == set(names)
    for name, c in pipeline.STAGE_CONTRACTS.items():
        assert set(c) <= {"requires", "assigns", "modifies"}, name
        for f in (*c["requires"], *c["assigns"], *c.get("modifies", ())):
            assert f in FIELDS, f"{name}: {f!r} is not a field of the working WorkDoc"
    assert set(pipeline.PROVIDED) <= FIELDS


def test_the_order_of_the_stages_satisfies_the_contracts():
    assert order_problems([n for n, _ in pipeline.STAGES], pipeline.STAGE_CONTRACTS) == []


def test_a_wrong_order_is_caught():
    names = [n for n, _ in pipeline.STAGES]
    swapped = [n for n in names if n != "zones"] + ["zones"]
    assert any("requires 'zones'" in p for p in order_problems(swapped, pipeline.STAGE_CONTRACTS))
    late_sections = [n for n in names if n != "sections"] + ["sections"]
    assert any(p.startswith("tasks requires 'items'")
               for p in order_problems(late_sections, pipeline.STAGE_CONTRACTS))


HEADER = ("ỦY BAN NHÂN DÂN\nHUYỆN TÂN YÊN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
          "Số: 12/UBND-VX\nTân Yên, ngày 05 tháng 3 năm 2024\nV/v triển khai công tác trẻ em năm 2024\n"
          "Kính gửi:\n- Ủy ban nhân dân các xã, thị trấn;\n- Phòng Giáo dục và Đào tạo huyện.\n"
          "1. Giao Phòng Văn hóa và Thông tin huyện chủ trì tổ chức tuyên truyền trước ngày 15/4/2024.\n"
          "Nơi nhận:\n- Như trên;\n- Lưu: VT, VX.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn Lưu Trung\n")


class _Tracer:
    """Records, per stage, the WorkDoc fields the stage reads and the ones whose value it changed."""

    def __init__(self) -> None:
        self.current: str | None = None
        self.doc: WorkDoc | None = None
        self.reads: dict[str, set[str]] = {}
        self.writes: dict[str, set[str]] = {}

    def snapshot(self, doc: WorkDoc) -> dict[str, str]:
        stage, self.current = self.current, None
        try:
            return {f: repr(getattr(doc, f)) for f in FIELDS - {"cache"}}
        finally:
            self.current = stage

    def wrap(self, name, stage):
        def traced(doc: WorkDoc) -> None:
            before = self.snapshot(doc)
            self.current, self.doc = name, doc
            try:
                stage(doc)
            finally:
                self.current = None
                after = self.snapshot(doc)
                self.writes.setdefault(name, set()).update(f for f in before if before[f] != after[f])
        return traced


@pytest.fixture
def tracer(monkeypatch):
    t = _Tracer()
    plain = WorkDoc.__getattribute__

    def getattribute(self, attr):
        if t.current is not None and attr in FIELDS and self is t.doc:
            t.reads.setdefault(t.current, set()).add(attr)
        return plain(self, attr)

    monkeypatch.setattr(WorkDoc, "__getattribute__", getattribute)
    monkeypatch.setattr(pipeline, "STAGES", [(n, t.wrap(n, s)) for n, s in pipeline.STAGES])
    return t


def test_a_parse_touches_only_what_the_stages_declare(tracer):
    for seed in SEEDS:
        pipeline.parse(seed.read_bytes(), name=seed.name, use_ml=False)
    assert set(tracer.writes) == set(pipeline.STAGE_CONTRACTS)
    for name, c in pipeline.STAGE_CONTRACTS.items():
        declared = set(c["assigns"]) | set(c.get("modifies", ()))
        extra_writes = tracer.writes[name] - declared - ALWAYS
        extra_reads = tracer.reads.get(name, set()) - declared - set(c["requires"]) - set(pipeline.PROVIDED) - ALWAYS
        assert not extra_writes, f"{name} changes {sorted(extra_writes)} without declaring it"
        assert not extra_reads, f"{name} reads {sorted(extra_reads)} without requiring it"
    assert "header" in tracer.writes["header"] and "tasks" in tracer.writes["tasks"]  # the tracer sees


def test_the_hybrid_stage_re_runs_the_rules_through_the_pipeline():
    """A flat layout is restored and the rules re-run with ``pipeline.run_rules`` handed over."""
    ml = pytest.importorskip("vbextract.ml")
    if not ml.available():
        pytest.skip("statistical models not installed")
    from vbextract.ml import hybrid
    from vbextract.ml.degrade import degrade

    flat = degrade(HEADER, "lost_breaks")
    assert flat.count("\n") <= 1
    doc = pipeline.parse_text(flat, use_ml=True)
    assert any(w.startswith("ml: line breaks restored") for w in doc.warnings)
    # the rules ran again on the restored lines
    assert (doc.header.number, doc.header.symbol, doc.header.date) == ("12", "UBND-VX", "2024-03-05")
    plain = WorkDoc(text=flat)
    hybrid.apply_models(plain)  # no rerun handed over: the layout is left alone
    assert not any(w.startswith("ml: line breaks restored") for w in plain.warnings)
