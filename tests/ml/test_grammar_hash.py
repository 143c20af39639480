"""Each shipped model records the feature code's version and the hash of the grammar entries its
features read; a cue change forces a retrain (the test says which cue and which command)."""

from __future__ import annotations

import json
import shutil

import pytest

import vbextract.ml as ml
from vbextract.errors import ModelError
from vbextract.grammars import REGISTRY, Pattern, entries_hash
from vbextract.ml.features import COMPONENT_FEATURES, LINE_FEATURES, stale_reason
from vbextract.ml.train import COMPONENTS, models_dir


@pytest.mark.parametrize("component", COMPONENTS)
def test_shipped_model_matches_the_current_grammar(component):
    meta = json.loads((models_dir() / component / "meta.json").read_text(encoding="utf-8"))
    reason = stale_reason(component, meta)
    assert reason is None, reason


def test_the_zone_features_declare_the_cue_labeller_entries():
    assert "ml_cue_motto" in LINE_FEATURES.entries and "ml_cue_signature" in LINE_FEATURES.entries
    assert all(REGISTRY[n].group == "ml" for n in LINE_FEATURES.entries)
    assert COMPONENT_FEATURES["linebreak"].entries == ()


def _swap(monkeypatch, name: str, source: str) -> None:
    old = REGISTRY[name]
    monkeypatch.setitem(REGISTRY, name, Pattern(name, source, old.flags, group=old.group, on=old.on))


def test_changing_a_used_entry_changes_the_hash_and_an_unused_one_does_not(monkeypatch):
    before = LINE_FEATURES.grammar_sha256()
    _swap(monkeypatch, "ml_prefix_cue", r"\bGiao\s*")  # the hybrid's cue: not a zone feature
    assert LINE_FEATURES.grammar_sha256() == before
    _swap(monkeypatch, "ml_cue_recipient", r"^Kính\s*gửi")
    assert LINE_FEATURES.grammar_sha256() != before


def test_a_changed_cue_is_named_with_the_retrain_command(monkeypatch):
    meta = {"features": LINE_FEATURES.tag, **LINE_FEATURES.record()}
    assert stale_reason("zones", meta) is None
    _swap(monkeypatch, "ml_cue_recipient", r"^Kính\s*gửi")
    reason = stale_reason("zones", meta)
    assert reason is not None
    assert "ml_cue_recipient" in reason and "vbextract train --component zones" in reason


def test_the_hash_reads_pattern_flags_and_side_not_examples(monkeypatch):
    name = "ml_cue_recipient"
    before = entries_hash([name])
    old = REGISTRY[name]
    monkeypatch.setitem(REGISTRY, name, Pattern(name, old.source, old.flags, ["x"], group=old.group, on=old.on))
    assert entries_hash([name]) == before
    monkeypatch.setitem(REGISTRY, name, Pattern(name, old.source, old.flags, group=old.group, on="fold"))
    assert entries_hash([name]) != before
    monkeypatch.setitem(REGISTRY, name, Pattern(name, old.source, 2, group=old.group, on=old.on))
    assert entries_hash([name]) != before


def test_a_stale_model_gives_one_notice_not_a_crash(monkeypatch):
    import vbextract

    if not ml.available():
        pytest.skip("models not installed")
    monkeypatch.setattr(ml, "stale_models", lambda: {"zones": "cue ml_cue_recipient changed"})
    monkeypatch.setattr("vbextract.ml.hybrid.stale_models", lambda: {"zones": "cue ml_cue_recipient changed"})
    doc = vbextract.parse_text("ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG\n\nKính gửi: Sở Tài chính\n\nNội dung.\n")
    codes = [n.code for n in doc.notices]
    assert codes.count("ml.stale_model") == 1


def test_a_damaged_model_raises_model_error(tmp_path):
    if not ml.available():
        pytest.skip("models not installed")
    folder = tmp_path / "zones"
    shutil.copytree(models_dir() / "zones", folder)
    (folder / "model.crfsuite").write_bytes(b"not a model")
    with pytest.raises(ModelError) as err:
        ml._Model("zones", folder)
    assert err.value.code == "ml.model_unreadable"
    (folder / "meta.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError):
        ml._Model("zones", folder)


def test_a_model_with_other_labels_is_incompatible(tmp_path):
    if not ml.available():
        pytest.skip("models not installed")
    folder = tmp_path / "zones"
    shutil.copytree(models_dir() / "linebreak", folder)  # a line-break model in the zones folder
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["name"] = "zones"
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        ml._Model("zones", folder)
    assert err.value.code == "ml.model_incompatible"
