"""Text-path throughput: vbextract's rule parser against a read + NFC baseline, same run.

The seeds are repeated until the input reaches ``--mb`` megabytes (UTF-8). Both sides read the
same in-memory documents on one core; the report gives documents/s, MB/s and the ratio, plus the
top functions of a profile of the rule path (what bounds it). Run: ``python benchmarks/bench_text.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import time
import unicodedata
from pathlib import Path

from vbextract import parse_text

ROOT = Path(__file__).resolve().parents[1]


def corpus(mb: float) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "seeds").glob("*.txt"))]
    docs: list[str] = []
    size = 0
    i = 0
    while size < mb * 1_000_000:
        d = seeds[i % len(seeds)]
        docs.append(d)
        size += len(d.encode("utf-8"))
        i += 1
    return docs


def baseline(docs: list[str]) -> float:
    t = time.perf_counter()
    for d in docs:
        unicodedata.normalize("NFC", d.encode("utf-8").decode("utf-8"))
    return time.perf_counter() - t


def rules(docs: list[str], use_ml: bool = False) -> float:
    t = time.perf_counter()
    for d in docs:
        parse_text(d.encode("utf-8").decode("utf-8"), use_ml=use_ml)
    return time.perf_counter() - t


def profile_top(docs: list[str], n: int = 12) -> str:
    pr = cProfile.Profile()
    pr.enable()
    for d in docs[:60]:
        parse_text(d, use_ml=False)
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("tottime").print_stats(n)
    return "\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "text.md"))
    args = ap.parse_args()
    docs = corpus(args.mb)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    parse_text(docs[0], use_ml=False)  # warm-up: imports and compiled patterns
    tb = baseline(docs)
    tr = rules(docs)
    ml_docs = docs[:200]
    parse_text(docs[0], use_ml=True)
    tr_small = rules(ml_docs)
    th = rules(ml_docs, use_ml=True)
    rows = [
        ("baseline: read + NFC", len(docs) / tb, mb / tb),
        ("vbextract rules (--no-ml)", len(docs) / tr, mb / tr),
    ]
    lines = [
        "# Text-path benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"one process (one core). Input: the 5 seeds repeated, {len(docs)} documents, {mb:.1f} MB UTF-8.",
        "",
        "| path | documents/s | MB/s |",
        "|---|---:|---:|",
        *[f"| {name} | {dps:,.0f} | {mbs:.2f} |" for name, dps, mbs in rows],
        "",
        f"Rules path costs **{tr / tb:.0f}×** the baseline (baseline/rules throughput ratio "
        f"{(mb / tr) / (mb / tb):.4f}).",
        "",
        f"Hybrid (default, statistical components on) on the first {len(ml_docs)} documents: "
        f"{len(ml_docs) / th:,.1f} documents/s against {len(ml_docs) / tr_small:,.1f} rules-only "
        f"(ratio {tr_small / th:.2f}).",
        "",
        "## Profile of the rule path (top functions by own time, 60 documents)",
        "",
        "```",
        profile_top(docs),
        "```",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:12]))


if __name__ == "__main__":
    main()
