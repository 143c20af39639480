"""The shipped models must match the corpus they were trained on (CI catches a forgotten retrain)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vbextract.ml.corpus import corpus_hash
from vbextract.ml.train import COMPONENTS, models_dir


@pytest.mark.parametrize("component", COMPONENTS)
def test_meta_corpus_hash_matches_current_corpus(component):
    meta = json.loads((models_dir() / component / "meta.json").read_text(encoding="utf-8"))
    assert meta["corpus_sha256"] == corpus_hash(), (
        f"corpus/ changed after the {component} model was trained: run `vbextract train`")


@pytest.mark.parametrize("component", COMPONENTS)
def test_meta_records_versions_and_scores(component):
    meta = json.loads((models_dir() / component / "meta.json").read_text(encoding="utf-8"))
    for key in ("vbextract", "underthesea", "spacy", "seed", "train_docs"):
        assert meta[key] not in (None, "")
    assert set(meta["scores"]) == {"dev", "test"}
    assert (models_dir() / component / "model.crfsuite").stat().st_size == meta["size_bytes"]


def test_models_are_small():
    total = sum(p.stat().st_size for p in Path(models_dir()).rglob("*") if p.is_file())
    assert total < 8 * 1024 * 1024


def test_training_is_reproducible(tmp_path):
    """Retraining the zone model from corpus/ gives the shipped model's predictions."""
    from underthesea_core import CRFTagger

    from vbextract.ml.corpus import load_split
    from vbextract.ml.train import train_component, zone_example

    train_component("zones", seed=0, out_dir=tmp_path)
    fresh, shipped = CRFTagger(), CRFTagger()
    fresh.load(str(tmp_path / "zones" / "model.crfsuite"))
    shipped.load(str(models_dir() / "zones" / "model.crfsuite"))
    for rec in load_split("dev")[:15]:
        x, _ = zone_example(rec)
        assert fresh.tag(x) == shipped.tag(x)
