"""The annotated corpus: JSONL records, the fixed split, the corpus hash and standoff resolution.

``corpus/{train,dev,test}.jsonl`` hold one record per document (``id``, ``source``, ``text``,
``lines``, ``entities``). ``corpus/shared.jsonl`` holds standoff annotations of files under
``shared/corpus``: no text, only the file's sha256, the reader used and spans into the normalized
text, which :func:`resolve_standoff` re-creates from the file (and refuses if the hash differs).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable
from pathlib import Path

SPLITS = ("train", "dev", "test")
SPLIT_SEED = 5


def project_root() -> Path:
    return Path(__file__).resolve().parents[3]


def corpus_dir() -> Path:
    return project_root() / "corpus"


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def load_split(name: str, root: Path | None = None) -> list[dict]:
    return read_jsonl((root or corpus_dir()) / f"{name}.jsonl")


def corpus_hash(root: Path | None = None) -> str:
    """sha256 over the split files, in a fixed order: what the shipped models were trained on."""
    h = hashlib.sha256()
    base = root or corpus_dir()
    for name in (*SPLITS, "train_real"):
        path = base / f"{name}.jsonl"
        if name == "train_real" and not path.exists():
            continue  # the hash of a corpus without real training records is what it always was
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()


def split_records(synthetic: list[dict], seeds: list[dict]) -> dict[str, list[dict]]:
    """Fixed split by document. Seeds never go to train: degraded seeds are an evaluation set."""
    rng = random.Random(SPLIT_SEED)
    order = list(synthetic)
    rng.shuffle(order)
    n = len(order)
    n_dev = n_test = max(1, n // 10)
    out = {"train": order[: n - n_dev - n_test], "dev": order[n - n_dev - n_test: n - n_test],
           "test": order[n - n_test:]}
    for i, rec in enumerate(sorted(seeds, key=lambda r: r["id"])):
        out["dev" if i % 2 else "test"].append(rec)
    for recs in out.values():
        recs.sort(key=lambda r: r["id"])
    return out


def seed_records(seed_dir: Path, gold_dir: Path) -> list[dict]:
    """Records for the shared seeds: cue-based zones plus entities located from the gold values."""
    from ..normalize import normalize_text
    from .annotate import heuristic_labels

    out = []
    for path in sorted(seed_dir.glob("*.txt")):
        text, _ = normalize_text(path.read_text(encoding="utf-8"))
        gold_path = gold_dir / f"{path.stem}.json"
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        lines = _nonblank_lines(text)
        labels = heuristic_labels([text[s:e] for s, e in lines])
        out.append({"id": f"seed-{path.stem}", "source": "seed", "text": text,
                    "lines": [{"start": s, "end": e, "label": lab} for (s, e), lab in zip(lines, labels)],
                    "entities": _gold_entities(text, gold)})
    return out


def _nonblank_lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for raw in text.split("\n"):
        s = raw.strip()
        if s:
            a = pos + raw.index(s)
            out.append((a, a + len(s)))
        pos += len(raw) + 1
    return out


def _gold_entities(text: str, gold: dict) -> list[dict]:
    values: list[tuple[str, str]] = []
    for task in gold.get("tasks") or []:
        values += [(u, "ORG") for u in (task.get("lead_units") or []) + (task.get("support_units") or [])]
    values += [(r, "ORG") for r in gold.get("recipients") or []]
    sig = gold.get("signature") or {}
    if sig.get("signer"):
        values.append((sig["signer"], "PER"))
    found: list[dict] = []
    taken: set[tuple[int, int]] = set()
    for value, label in values:
        start = 0
        while (at := text.find(value, start)) >= 0:
            if not any(a < at + len(value) and at < b for a, b in taken):
                taken.add((at, at + len(value)))
                found.append({"start": at, "end": at + len(value), "label": label})
            start = at + 1
    return sorted(found, key=lambda e: e["start"])


def resolve_standoff(rec: dict, shared_root: Path) -> dict | None:
    """Re-create the text of a standoff record from its file; None when absent or changed."""
    from ..normalize import normalize_text
    from ..readers import read_path

    path = shared_root / rec["path"]
    if not path.exists():
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != rec["sha256"]:
        return None
    raw = read_path(path).text
    if rec.get("joined"):  # spans of a hard-wrapped page index its joined text, as the pipeline reads it
        from ..linebreaks import join_wrapped_lines

        raw = join_wrapped_lines(raw)
    text, _ = normalize_text(raw)
    return {**rec, "text": text}


def load_real_training(root: Path | None = None, shared_root: Path | None = None) -> list[dict]:
    """The standoff training records of real documents (``train_real.jsonl``) with their text,
    when the shared corpus is at hand; ``[]`` otherwise (the models then train on ``train`` only)."""
    base = root or corpus_dir()
    shared = shared_root or base.parent.parent / "shared" / "corpus"
    out = []
    for rec in read_jsonl(base / "train_real.jsonl") if (base / "train_real.jsonl").exists() else []:
        full = resolve_standoff(rec, shared)
        if full is not None:
            out.append(full)
    return out
