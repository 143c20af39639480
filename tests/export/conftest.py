"""Fixtures for the export suite: the seed documents, copied or parsed (rules only)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    d = tmp_path / "seeds"
    d.mkdir()
    for s in SEEDS:
        shutil.copy(s, d / s.name)
    return d


@pytest.fixture(scope="session")
def seed_docs():
    from vbextract import parse

    return [parse(s.read_bytes(), name=s.name, use_ml=False) for s in SEEDS]
