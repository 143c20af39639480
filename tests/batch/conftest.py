"""Fixtures for the batch suite: seed documents, generated variants, a fault-injecting parser."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
SEEDS = sorted((HERE.parent / "seeds").glob("*.txt"))
FAULTY = f"{HERE / 'faulty.py'}:parse_with_faults"
SLOW = f"{HERE / 'faulty.py'}:parse_slowly"


def variant(i: int) -> bytes:
    """A seed document with a numbered trailer, so every variant has its own content hash."""
    return SEEDS[i % len(SEEDS)].read_bytes() + f"\n<!-- biến thể {i} -->\n".encode()


def write_variants(folder: Path, n: int, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"doc{i:04d}.txt"
        p.write_bytes(variant(i))
        paths.append(p)
    return paths


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    d = tmp_path / "seeds"
    d.mkdir()
    for s in SEEDS:
        shutil.copy(s, d / s.name)
    return d


@pytest.fixture(scope="session")
def helpers():
    """This module's helpers (test modules cannot import conftest under --import-mode=importlib)."""
    import sys

    return sys.modules[__name__]
