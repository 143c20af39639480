"""The hybrid stage fills gaps, marks what it produced, and stays out of --no-ml."""

from __future__ import annotations

import pytest

import vbextract.ml as ml
from vbextract.doc import WorkDoc
from vbextract.document import Signature, Task
from vbextract.ml import hybrid
from vbextract.ml.degrade import degrade
from vbextract.pipeline import parse_text

from .test_interface import HEADER


def _doc(text: str) -> WorkDoc:
    return WorkDoc(text=text)


@pytest.mark.parametrize(
    "sentence, lead, support",
    [
        ("Giao Phòng Văn hóa và Thông tin huyện chủ trì, phối hợp với Trung tâm Y tế huyện tổ chức tuyên truyền.",
         ["Phòng Văn hóa và Thông tin huyện"], ["Trung tâm Y tế huyện"]),
        ("Đề nghị Ủy ban MTTQ Việt Nam xã và Hội Nông dân xã phối hợp thực hiện.",
         ["Ủy ban MTTQ Việt Nam xã", "Hội Nông dân xã"], []),
        ("Tiếp tục thực hiện Nghị quyết của Quốc hội về trẻ em.", [], []),
    ],
)
def test_units_in_uses_cue_attachment(sentence, lead, support):
    assert hybrid.units_in(sentence) == (lead, support)


def test_apply_models_fills_task_units_and_marks_producer():
    text = "1. Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính tổ chức kiểm tra.\n"
    doc = _doc(text)
    doc.tasks = [Task(id="1", label="1.", text=text.strip(), span=(0, len(text) - 1))]
    hybrid.apply_models(doc)
    assert doc.tasks[0].lead_units == ["Sở Y tế"]
    assert doc.tasks[0].support_units == ["Sở Tài chính"]
    assert doc.tasks[0].producer == "ml"


def test_apply_models_keeps_rule_units_and_warns_on_disagreement():
    text = "1. Giao Sở Y tế chủ trì tổ chức kiểm tra.\n"
    doc = _doc(text)
    doc.tasks = [Task(id="1", text=text.strip(), lead_units=["Sở Tài chính"], span=(0, len(text) - 1))]
    hybrid.apply_models(doc)
    assert doc.tasks[0].lead_units == ["Sở Tài chính"] and doc.tasks[0].producer == "rules"
    assert any("Sở Y tế" in w for w in doc.warnings)


def test_apply_models_fills_missing_signer_with_a_warning():
    doc = _doc(HEADER)
    doc.signature = Signature(authority="KT.", chain=["KT. CHỦ TỊCH"], position="PHÓ CHỦ TỊCH")
    hybrid.apply_models(doc)
    assert doc.signature.signer == "Nguyễn Lưu Trung"
    assert any(w.startswith("ml: signature.signer") for w in doc.warnings)


def test_apply_models_fills_missing_issuer():
    doc = _doc(HEADER)
    hybrid.apply_models(doc)
    assert doc.header.issuer == "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN"
    assert any(w.startswith("ml: header.issuer") for w in doc.warnings)


def test_no_ml_skips_the_models():
    doc = _doc(HEADER)
    doc.use_ml = False
    hybrid.apply_models(doc)
    assert doc.header.issuer is None and not doc.warnings


def test_missing_model_means_rules_only_with_one_warning(monkeypatch):
    monkeypatch.setattr(hybrid, "available", lambda: False)
    doc = _doc(HEADER)
    hybrid.apply_models(doc)
    hybrid.apply_models(doc)
    assert doc.warnings == ["statistical models are not installed; parsed with rules only"]


def test_load_returns_none_for_a_missing_model(tmp_path, monkeypatch):
    monkeypatch.setattr(ml, "_MODELS", tmp_path)
    ml._load.cache_clear()
    try:
        assert not ml.available()
        assert ml.find_entities("Giao Sở Y tế chủ trì.") == []
        assert ml.restore_line_breaks(HEADER.replace("\n", " ")) is None
        assert [lab for lab, _ in ml.classify_lines(["Số: 1/UBND"])] == ["number"]
    finally:
        ml._load.cache_clear()


def test_hybrid_parse_of_flat_text_keeps_spans_valid():
    flat = degrade(HEADER, "lost_breaks")
    doc = parse_text(flat, use_ml=True)
    assert len(doc.text) == len(flat.rstrip("\n")) or len(doc.text) == len(flat)
    for task in doc.tasks:
        assert 0 <= task.span[0] <= task.span[1] <= len(doc.text)
