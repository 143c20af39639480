"""Longer fuzz run: many hostile inputs per kind, counted (issue 13).

    python benchmarks/bench_fuzz.py [--per-kind 1500] [--seed 13] [--write benchmarks/results/fuzz.md]

The generators are those of the CI fuzz test (``tests/hostile/fuzzgen.py``): invented documents
as text, bytes, RTF, HTML, DOCX and PDF, salted with odd characters and damaged byte by byte.
Each kind runs in a child process of its own under the default per-document limits
(:mod:`vbextract.limits`), in-process there, so the counts say what a library caller sees.
For each kind: inputs, results, InputErrors (of which limits), other exceptions (must be 0),
the slowest input in seconds and the child's peak RSS in MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing as mp
import platform
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _fuzzgen():
    spec = importlib.util.spec_from_file_location("vbx_fuzzgen", ROOT / "tests" / "hostile" / "fuzzgen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_kind(kind: str, n: int, seed: int, conn) -> None:
    import vbextract
    from vbextract.errors import InputError
    from vbextract.limits import LimitExceeded

    gen = _fuzzgen()
    rng = random.Random(f"{seed}-{kind}")
    counts: Counter = Counter()
    crashes: Counter = Counter()
    examples: dict[str, str] = {}
    slowest = 0.0
    for _ in range(n):
        data = gen.KINDS[kind](rng)
        started = time.perf_counter()
        try:
            vbextract.parse(data, name=gen.NAMES[kind], use_ml=False).model_dump_json()
            counts["parsed"] += 1
        except LimitExceeded:
            counts["input_error"] += 1
            counts["limit"] += 1
        except InputError:
            counts["input_error"] += 1
        except Exception as exc:  # what the fuzz is looking for
            crashes[type(exc).__name__] += 1
            examples.setdefault(type(exc).__name__, f"{exc}"[:120])
        slowest = max(slowest, time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    conn.send({"kind": kind, "inputs": n, **counts, "exceptions": sum(crashes.values()), "by_type": dict(crashes),
               "examples": examples, "max_s": round(slowest, 2), "peak_mb": round(peak_mb)})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-kind", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--kinds", nargs="*")
    ap.add_argument("--write", metavar="FILE")
    args = ap.parse_args()
    kinds = args.kinds or sorted(_fuzzgen().KINDS)
    ctx = mp.get_context("fork")
    rows = []
    started = time.perf_counter()
    for kind in kinds:
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=run_kind, args=(kind, args.per_kind, args.seed, send))
        proc.start()
        send.close()
        try:
            row = recv.recv()
        except EOFError:
            row = {"kind": kind, "inputs": args.per_kind, "exceptions": "child died", "exit": proc.exitcode}
        proc.join()
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    total = time.perf_counter() - started
    report = render(rows, args, total)
    print(report)
    if args.write:
        Path(args.write).write_text(report, encoding="utf-8")


def render(rows: list[dict], args, total: float) -> str:
    import vbextract

    lines = [
        "# Fuzz run (issue 13)", "",
        f"`python benchmarks/bench_fuzz.py --per-kind {args.per_kind} --seed {args.seed}` — vbextract "
        f"{vbextract.__version__}, Python {platform.python_version()}, {platform.machine()}, "
        f"{total:.0f} s in all (machine shared with other jobs: seconds are upper bounds).", "",
        "Each kind runs in its own process under the default limits, in-process (`vbextract.parse`). "
        "`exceptions` counts anything but `InputError` (must be 0); `limits` are InputErrors that name a "
        "limit; `max s` is the slowest single input; `peak MB` the process's peak RSS over the whole kind.", "",
        "| kind | inputs | parsed | InputError | of which limits | exceptions | max s | peak MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['inputs']} | {r.get('parsed', 0)} | {r.get('input_error', 0)} | "
                     f"{r.get('limit', 0)} | {r['exceptions']} | {r.get('max_s', '')} | {r.get('peak_mb', '')} |")
    bad = {r["kind"]: r.get("by_type") for r in rows if r["exceptions"]}
    lines += ["", "Exceptions by type: " + (json.dumps(bad, ensure_ascii=False) if bad else "none."), ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
