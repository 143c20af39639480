"""Load test of ``vbextract serve``: throughput, latency p50/p99 and failed requests.

    python benchmarks/bench_service.py [--requests 2000] [--concurrency 8] [--workers 2] [--no-ml]
                                       [--write benchmarks/results/service.md]

Starts the real server (``python -m vbextract.cli serve``) on 127.0.0.1 on a free port, waits
for ``/health``, then sends ``--requests`` ``POST /parse`` requests (the seed documents in turn,
as the raw body) from ``--concurrency`` client threads, each with its own keep-alive
connection, and counts every answer other than 200 as a failure. Latency is per request,
wall-clock at the client: upload, admission, the parse in its child process, the JSON back.
The client runs on the same machine as the server and takes CPU from it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "seeds").glob("*.txt"))


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(workers: int, queue: int, use_ml: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [sys.executable, "-m", "vbextract.cli", "serve", "--port", str(port), "--workers", str(workers),
            "--queue", str(queue), "--log-level", "warning"] + ([] if use_ml else ["--no-ml"])
    env = {k: v for k, v in os.environ.items() if k != "VBEXTRACT_API_KEY"}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited while starting")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/health", timeout=2).json().get("status") == "ok":
                return proc, url
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("the server did not start within 120 s")


def stop_server(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


def load(url: str, n: int, concurrency: int) -> dict:
    bodies = [(p.name, p.read_bytes()) for p in SEEDS]
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(n))

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as c:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                name, body = bodies[i % len(bodies)]
                t0 = time.perf_counter()
                try:
                    r = c.post("/parse", params={"name": name}, content=body)
                    key = str(r.status_code)
                    if r.status_code == 200 and not r.json().get("header"):
                        key = "200-without-header"
                except httpx.HTTPError as exc:
                    key = type(exc).__name__
                dt = time.perf_counter() - t0
                with lock:
                    latencies.append(dt)
                    statuses[key] = statuses.get(key, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"n": len(latencies), "wall": wall, "rps": len(latencies) / wall, "p50": q[49], "p90": q[89],
            "p99": q[98], "max": latencies[-1], "statuses": statuses,
            "failed": sum(v for k, v in statuses.items() if k != "200")}


def loop_rate(n: int, use_ml: bool) -> float:
    """Documents/s of a plain in-process ``vbextract.parse`` loop on the same bodies (one core)."""
    from vbextract import parse

    bodies = [(p.name, p.read_bytes()) for p in SEEDS]
    parse(bodies[0][1], name=bodies[0][0], use_ml=use_ml)
    start = time.perf_counter()
    for i in range(n):
        name, body = bodies[i % len(bodies)]
        parse(body, name=name, use_ml=use_ml).model_dump_json()
    return n / (time.perf_counter() - start)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--queue", type=int, default=16)
    ap.add_argument("--no-ml", action="store_true")
    ap.add_argument("--write", metavar="FILE.md")
    args = ap.parse_args()
    if args.concurrency > args.workers + args.queue:
        raise SystemExit("--concurrency above --workers + --queue would measure 503s")
    load_before = os.getloadavg()[0]
    loop = loop_rate(100, not args.no_ml)
    proc, url = start_server(args.workers, args.queue, not args.no_ml)
    try:
        load(url, min(50, args.requests), args.concurrency)  # warm: connections, the fork server's page cache
        result = load(url, args.requests, args.concurrency)
        health = httpx.get(url + "/health", timeout=10).json()
    finally:
        stop_server(proc)
    load_after = os.getloadavg()[0]
    sizes = [p.stat().st_size for p in SEEDS]
    lines = [
        "# Service load test (`benchmarks/bench_service.py`)",
        "",
        f"Machine: {machine()}. Load average before/after: {load_before:.2f} / {load_after:.2f}.",
        f"Server: `vbextract serve --workers {args.workers} --queue {args.queue}{' --no-ml' if args.no_ml else ''}` "
        f"(uvicorn, one process; documents parsed by {args.workers} warm worker processes forked from the fork "
        "server, each killed and replaced at its time limit). Client: "
        f"{args.concurrency} threads on the same machine, one keep-alive connection each, "
        f"`POST /parse` (the full Document JSON back) with the {len(SEEDS)} seed documents in turn as the raw body "
        f"({min(sizes) // 1024}–{max(sizes) // 1024} KiB); after 50 warm-up requests.",
        "",
        "| requests | concurrency | wall s | requests/s | p50 ms | p90 ms | p99 ms | max ms | failed |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {result['n']} | {args.concurrency} | {result['wall']:.1f} | {result['rps']:.1f} | "
        f"{result['p50'] * 1000:.0f} | {result['p90'] * 1000:.0f} | {result['p99'] * 1000:.0f} | "
        f"{result['max'] * 1000:.0f} | {result['failed']} |",
        "",
        f"Answers: {', '.join(f'{k}: {v}' for k, v in sorted(result['statuses'].items()))}. "
        f"After the run the server reported {health['admitted']} requests admitted, {health['parsing']} parsing, "
        f"{health['workers_replaced']} workers replaced.",
        "",
        f"For scale: a plain in-process `vbextract.parse` loop on the same bodies, measured just before, ran at "
        f"{loop:.1f} documents/s on one core; the service reached {result['rps'] / loop:.2f}× that with "
        f"{args.workers} workers, the client and the server sharing the machine's cores.",
        "",
        f"Run with `python benchmarks/bench_service.py --requests {args.requests} --concurrency {args.concurrency} "
        f"--workers {args.workers}{' --no-ml' if args.no_ml else ''}` on {datetime.date.today().isoformat()}.",
    ]
    if load_before > 0.5:
        lines += ["", f"The machine was not idle (load average {load_before:.2f} before the run, other jobs share "
                  "it): the figures are lower than on a quiet machine; rerun there for capacity planning."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        Path(args.write).write_text(text, encoding="utf-8")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
