"""Start-up cost: fresh processes of ``vbextract --version`` and ``vbextract parse SEED`` against a
bare ``python -c pass``, all in the same run, median of ``--repeat`` runs each.

Every command is started the same way (the interpreter running this script, the installed
``vbextract`` console script next to it), so the bare interpreter is the baseline of each figure.
"Cold" means a new process each time; the operating system's file cache is warm (it cannot be
dropped without root). A fixed CPU loop runs before and after the measurements as a control for
load from other processes on the machine.

    python benchmarks/bench_startup.py [--repeat 5] [--out benchmarks/results/startup.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = sorted((ROOT / "tests" / "seeds").glob("*.txt"))[0]


def control_loop() -> float:
    """Seconds for a fixed pure-Python loop: higher than usual means other load on the machine."""
    t = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x += i * i
    return time.perf_counter() - t


def console_script() -> list[str]:
    exe = Path(sys.executable).with_name("vbextract")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "vbextract.cli"]


def wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - t


def measure(cmds: dict[str, list[str]], repeat: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Interleaved rounds (one of each command per round) so load changes hit all alike."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for cmd in cmds.values():  # warm the file cache and .pyc files
        wall(cmd, env)
    for _ in range(repeat):
        for name, cmd in cmds.items():
            times[name].append(wall(cmd, env))
    return times


def imported_modules(args: list[str], env: dict[str, str]) -> int:
    code = ("import sys, runpy; sys.argv = ['vbextract', *sys.argv[1:]]\n"
            "from vbextract.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(len(sys.modules), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    return int(out.stderr.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "startup.md"))
    ap.add_argument("--before-src", help="also time the same commands with this older src/ tree on PYTHONPATH")
    args = ap.parse_args()
    env = dict(os.environ)
    env.setdefault("PYTHONDONTWRITEBYTECODE", "")
    vb = console_script()
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out")
        cmds = {
            "`python -c pass` (baseline)": [sys.executable, "-c", "pass"],
            "`python -c 'import vbextract'`": [sys.executable, "-c", "import vbextract"],
            "`vbextract --version`": [*vb, "--version"],
            "`vbextract parse SEED` (rules + statistical models)": [*vb, "parse", str(SEED), "-o", out],
            "`vbextract parse --no-ml SEED`": [*vb, "parse", "--no-ml", str(SEED), "-o", out],
        }
        if args.before_src:
            for name in list(cmds)[1:]:
                cmds[f"{name}, before (`{args.before_src}`)"] = ["env", f"PYTHONPATH={args.before_src}", *cmds[name]]
        c0 = control_loop()
        times = measure(cmds, args.repeat, env)
        c1 = control_loop()
    base = statistics.median(times["`python -c pass` (baseline)"])
    targets = {"`vbextract --version`": 0.3, "`vbextract parse SEED` (rules + statistical models)": 0.8}
    rows = []
    for name, ts in times.items():
        med = statistics.median(ts)
        target = targets.get(name)
        rows.append(f"| {name} | {med:.3f} | {min(ts):.3f}–{max(ts):.3f} | {med / base:.1f}× | {med - base:.3f} | "
                    + (f"≤ {target} s: {'met' if med <= target else 'NOT met'}" if target else "") + " |")
    mods = {"--version": imported_modules(["--version"], env)}
    lines = [
        "# Start-up benchmark",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}. Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`python benchmarks/bench_startup.py --repeat {args.repeat}`.",
        f"Seed: `tests/seeds/{SEED.name}` ({SEED.stat().st_size / 1000:.1f} kB). Each command is a fresh process "
        "(file cache warm), rounds interleaved, median of the rounds.",
        f"Control (fixed CPU loop, lower is quieter): {c0:.3f} s before, {c1:.3f} s after.",
        "",
        "| command | median s | range s | × `python -c pass` | above baseline s | target |",
        "|---|---:|---:|---:|---:|---|",
        *rows,
        "",
        f"`vbextract --version` imports {mods['--version']} modules in all (the bare interpreter and argparse "
        "included; no pydantic, no patterns, no models).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
