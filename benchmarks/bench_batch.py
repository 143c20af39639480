"""Batch throughput: documents/s at 1 and 2 workers, overhead against a plain ``parse`` loop,
peak memory per worker.

    python benchmarks/bench_batch.py [--docs 400] [--jobs 1 2] [--write benchmarks/results/batch.md]

Input: the seed documents repeated, each copy with a numbered trailer so that every copy has its
own content hash (identical files would be parsed once and make the batch look faster).
All runs use the same files in the same process run. Times are wall-clock and include what a
user waits for: the scan (walk + hash), starting the workers, loading models in each worker.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "seeds").glob("*.txt"))


def make_inputs(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        p = folder / f"doc{i:05d}.txt"
        p.write_bytes(SEEDS[i % len(SEEDS)].read_bytes() + f"\nbản sao {i}\n".encode())
        paths.append(p)
    return paths


def time_loop(paths: list[Path], use_ml: bool) -> float:
    from vbextract import parse

    parse(paths[0], use_ml=use_ml)  # load models first: the loop is measured warm
    start = time.perf_counter()
    for p in paths:
        parse(p, use_ml=use_ml)
    return time.perf_counter() - start


def time_batch(folder: Path, jobs: int, use_ml: bool):
    from vbextract.batch import BatchStats, parse_many

    stats = BatchStats()
    start = time.perf_counter()
    n = 0
    for result in parse_many([folder], jobs=jobs, use_ml=use_ml, stats=stats):
        assert result.ok, result.error
        n += 1
    return time.perf_counter() - start, n, stats


def _burn(_: int) -> int:
    x = 0
    for i in range(300_000):
        x += i * i
    return x


def machine_parallelism(tasks: int = 120) -> float:
    """Control: how much faster 2 plain processes burn CPU than 1 right now (2.0 on an idle
    2-core machine). If this is far below 2, other load is sharing the cores."""
    import multiprocessing as mp

    times = []
    for procs in (1, 2):
        with mp.get_context("forkserver").Pool(procs) as pool:
            pool.map(_burn, range(procs))  # start the processes before timing
            start = time.perf_counter()
            pool.map(_burn, range(tasks), chunksize=1)
            times.append(time.perf_counter() - start)
    return times[0] / times[1]


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=2, help="repeat each run and keep the fastest")
    ap.add_argument("--no-ml", action="store_true")
    ap.add_argument("--write", metavar="FILE.md", help="also write the results as markdown")
    args = ap.parse_args()
    use_ml = not args.no_ml
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = make_inputs(folder, args.docs)
        size = sum(p.stat().st_size for p in paths)
        load_before = os.getloadavg()[0]
        control_before = machine_parallelism()
        loop = min(time_loop(paths, use_ml) for _ in range(args.repeat))
        samples: dict[int, list] = {jobs: [] for jobs in args.jobs}
        for _ in range(args.repeat):  # interleaved, so a burst of outside load hits every setting
            for jobs in args.jobs:
                samples[jobs].append(time_batch(folder, jobs, use_ml))
        runs = {jobs: (min(s[0] for s in got), got[0][1], max(s[2].worker_peak_rss_kb for s in got))
                for jobs, got in samples.items()}
        load_after = os.getloadavg()[0]
        control_after = machine_parallelism()
    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines = report(args.docs, size, loop, runs, parent_rss, use_ml)
    lines.append(f"- {args.repeat} repeat(s) per setting, fastest kept; 1-minute load average {load_before:.2f} "
                 f"before, {load_after:.2f} after.")
    lines.append(f"- Control: a plain `multiprocessing.Pool` burning CPU ran {control_before:.2f}× faster with 2 "
                 f"processes than with 1 before the runs and {control_after:.2f}× after (2.0 = two idle cores). "
                 "The batch speed-up cannot exceed what the machine gives this control.")
    print("\n".join(lines))
    if args.write:
        Path(args.write).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def report(n: int, size: int, loop: float, runs: dict, parent_rss_kb: int, use_ml: bool) -> list[str]:
    lines = [
        "# Batch benchmark (`benchmarks/bench_batch.py`)",
        "",
        f"Machine: {machine()}.",
        f"Input: {n} documents ({size / 2**20:.1f} MiB of .txt), the {len(SEEDS)} seed documents repeated, "
        f"each copy with its own content hash; ML {'on' if use_ml else 'off'}.",
        "Batch times are wall-clock from `parse_many` call to last result: scan, worker start and model "
        "loading included. The loop is `vbextract.parse` on each file in one process, models loaded first.",
        "",
        "| run | seconds | documents/s | vs. loop | peak RSS per worker |",
        "|---|---:|---:|---:|---:|",
        f"| `parse` loop | {loop:.2f} | {n / loop:.1f} | 1.00× | – |",
    ]
    for jobs, (seconds, count, rss_kb) in runs.items():
        assert count == n
        lines.append(f"| `parse_many(jobs={jobs})` | {seconds:.2f} | {n / seconds:.1f} | {loop / seconds:.2f}× | "
                     f"{rss_kb / 1024:.0f} MB |")
    lines.append("")
    if 1 in runs:
        lines.append(f"- Batch overhead at 1 worker: {runs[1][0] / loop:.2f}× the loop's time "
                     f"({(runs[1][0] - loop) / n * 1000:.1f} ms per document).")
    if 1 in runs and 2 in runs:
        lines.append(f"- Speed-up 1 → 2 workers: **{runs[1][0] / runs[2][0]:.2f}×** (target ≥ 1.8×).")
    worst = max(r[2] for r in runs.values()) / 1024
    lines.append(f"- Peak RSS per worker: **{worst:.0f} MB** (target ≤ 300 MB); parent process "
                 f"{parent_rss_kb / 1024:.0f} MB.")
    return lines


if __name__ == "__main__":
    sys.exit(main())
