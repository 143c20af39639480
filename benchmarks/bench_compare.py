"""Same-run speed ratio of two trees on the rule path.

A ``git worktree`` of a base commit (``--base REV``; default: ``main`` as it is when the run starts)
is made in ``/tmp``; then the rule path (``parse_text(..., use_ml=False)``) of the base tree and of
this tree (``--new DIR`` for another one) is timed over the same input — the seeds of this tree
repeated until ``--mb`` megabytes (UTF-8) — in fresh subprocesses, the two trees alternating
(old, new, then new, old, …) for ``--runs`` rounds. Each subprocess warms up (imports, compiled
patterns), runs a fixed CPU loop (the control for load from other processes on this shared
machine), parses every document once, and then parses the first ``--stage-docs`` documents again
with every pipeline stage wrapped to give its seconds. Times are CPU seconds of the process
(``time.process_time``), which the other processes on the machine disturb far less than wall time;
the report gives the median of the runs of each tree, MB/s, documents/s and new/old ratios (total
and per stage). Results go to ``benchmarks/results/compare.md`` with the machine stated.

    python benchmarks/bench_compare.py [--base REV] [--runs 3] [--mb 10] [--out FILE] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs inside a fresh interpreter with PYTHONPATH=<tree>/src, so the same code times either tree
# (the base tree need not have this file). Prints one JSON object.
CHILD = r"""
import json, sys, time
from pathlib import Path

seeds_dir, mb, stage_docs = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
seeds = [p.read_text(encoding="utf-8") for p in sorted(Path(seeds_dir).glob("*.txt"))]
docs, size, i = [], 0, 0
while size < mb * 1_000_000:
    d = seeds[i % len(seeds)]
    docs.append(d)
    size += len(d.encode("utf-8"))
    i += 1

import vbextract
from vbextract import parse_text, pipeline

def control():
    t = time.process_time()
    x = 0
    for i in range(3_000_000):
        x += i * i
    return time.process_time() - t

for d in seeds:  # warm-up: imports, compiled patterns, caches of every seed
    parse_text(d, use_ml=False)
c0 = control()
w, t = time.perf_counter(), time.process_time()
for d in docs:
    parse_text(d, use_ml=False)
cpu, wall = time.process_time() - t, time.perf_counter() - w
c1 = control()

spent = {}
def timed(name, fn):
    def run(*a, **k):
        t = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - t
    return run

pipeline.STAGES = [(n, timed(n, f)) for n, f in pipeline.STAGES]
for attr, label in (("normalize_text", "normalize"), ("assemble", "assemble")):
    if hasattr(pipeline, attr):
        setattr(pipeline, attr, timed(label, getattr(pipeline, attr)))
t = time.process_time()
for d in docs[:stage_docs]:
    parse_text(d, use_ml=False)
total = time.process_time() - t
spent["other"] = total - sum(spent.values())
print(json.dumps({"cpu": cpu, "wall": wall, "docs": len(docs), "bytes": size, "control": [c0, c1],
                  "stages": spent, "stage_total": total, "stage_docs": min(stage_docs, len(docs)),
                  "file": vbextract.__file__}))
"""


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or str(os.cpu_count())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.machine()}, `nproc` {nproc}, CPU {model}, Python {platform.python_version()} "
            f"({sys.executable}), load average at the start {load}")


def run_child(tree: Path, seeds: Path, mb: float, stage_docs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), HF_DATASETS_OFFLINE="1")
    out = subprocess.run([sys.executable, "-c", CHILD, str(seeds), str(mb), str(stage_docs)],
                         cwd=tree, env=env, check=True, capture_output=True, text=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if not res["file"].startswith(str(tree)):
        raise SystemExit(f"{tree}: the child imported {res['file']}, not this tree")
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", default="main", help="base revision (default: main as it is now)")
    ap.add_argument("--new", default=str(ROOT), help="the new tree (default: this one, as checked out)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--stage-docs", type=int, default=100)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "compare.md"))
    ap.add_argument("--keep", action="store_true", help="keep the base worktree in /tmp")
    args = ap.parse_args()

    new = Path(args.new).resolve()
    sha = git("rev-parse", args.base)
    base = Path(f"/tmp/vbextract-base-{sha[:10]}")
    made = False
    if not (base / "src" / "vbextract").is_dir():
        git("worktree", "add", "--detach", str(base), sha)
        made = True
    new_rev = git("rev-parse", "--short", "HEAD", cwd=new)
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", cwd=new))
    seeds = ROOT / "tests" / "seeds"
    host = machine()
    results: dict[str, list[dict]] = {"old": [], "new": []}
    try:
        for r in range(args.runs):
            order = ("old", "new") if r % 2 == 0 else ("new", "old")
            for side in order:
                tree = base if side == "old" else new
                res = run_child(tree, seeds, args.mb, args.stage_docs)
                results[side].append(res)
                print(f"run {r + 1} {side}: {res['bytes'] / 1e6 / res['cpu']:.2f} MB/s "
                      f"(cpu {res['cpu']:.2f} s, wall {res['wall']:.2f} s, control {res['control'][0]:.3f} s)",
                      flush=True)
    finally:
        if made and not args.keep:
            git("worktree", "remove", "--force", str(base))
            shutil.rmtree(base, ignore_errors=True)

    def med(side: str, key) -> float:
        return statistics.median(key(x) for x in results[side])

    size = results["new"][0]["bytes"]
    ndocs = results["new"][0]["docs"]
    cpu_old, cpu_new = med("old", lambda x: x["cpu"]), med("new", lambda x: x["cpu"])
    wall_old, wall_new = med("old", lambda x: x["wall"]), med("new", lambda x: x["wall"])
    controls = [c for side in results.values() for x in side for c in x["control"]]
    stages = sorted({k for side in results.values() for x in side for k in x["stages"]},
                    key=lambda k: -med("old", lambda x, k=k: x["stages"].get(k, 0.0)))
    sd = results["new"][0]["stage_docs"]
    lines = [
        "# Same-run comparison of two trees: rule path",
        "",
        f"Machine: {host}.",
        f"Base: `{sha[:10]}` (`{args.base}` at the start of the run), in a git worktree in /tmp. "
        f"New: `{new}` at `{new_rev}`{' with uncommitted changes' if dirty else ''}.",
        f"Input: the seeds of `tests/seeds` repeated, {ndocs} documents, {size / 1e6:.1f} MB UTF-8; "
        f"`parse_text(..., use_ml=False)`, one process (one core) per run; {args.runs} runs of each tree, "
        "alternating (old, new, new, old, …), medians of CPU seconds (`time.process_time`).",
        f"Control (fixed CPU loop, lower is quieter): {min(controls):.3f}–{max(controls):.3f} s over all runs.",
        "",
        "| tree | CPU s | MB/s (CPU) | documents/s (CPU) | wall s | MB/s (wall) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| old `{sha[:10]}` | {cpu_old:.2f} | {size / 1e6 / cpu_old:.2f} | {ndocs / cpu_old:.0f} | "
        f"{wall_old:.2f} | {size / 1e6 / wall_old:.2f} |",
        f"| new `{new_rev}` | {cpu_new:.2f} | {size / 1e6 / cpu_new:.2f} | {ndocs / cpu_new:.0f} | "
        f"{wall_new:.2f} | {size / 1e6 / wall_new:.2f} |",
        "",
        f"Throughput new/old: **{cpu_old / cpu_new:.2f}×** (CPU), {wall_old / wall_new:.2f}× (wall).",
        "",
        f"## Per stage (first {sd} documents again, every stage wrapped; medians, CPU seconds)",
        "",
        "| stage | old s | new s | new/old time | speed-up |",
        "|---|---:|---:|---:|---:|",
    ]
    for k in [*stages, "total"]:
        if k == "total":
            o, n = med("old", lambda x: x["stage_total"]), med("new", lambda x: x["stage_total"])
        else:
            o = med("old", lambda x, k=k: x["stages"].get(k, 0.0))
            n = med("new", lambda x, k=k: x["stages"].get(k, 0.0))
        ratio = f"{n / o:.2f}" if o > 0 else "–"
        speed = f"{o / n:.2f}×" if n > 0 else "–"
        name = f"**{k}**" if k == "total" else k
        lines.append(f"| {name} | {o:.3f} | {n:.3f} | {ratio} | {speed} |")
    lines += ["", "Runs (CPU s, in order): " + "; ".join(
        f"{side} {x['cpu']:.2f}" for r in range(args.runs)
        for side in (("old", "new") if r % 2 == 0 else ("new", "old")) for x in [results[side][r]]) + "."]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.0f} s)", file=sys.stderr)
