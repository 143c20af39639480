"""Hostile batches: no deadlock with large members, every member accounted for under any name,
kill/resume over such archives, one output for one run, no process left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from vbextract.batch import BatchStats, parse_many


def run_cli(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "vbextract.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()] \
        if path.exists() else []


def accounted(out: Path) -> Counter:
    """How often each (path, member, index) appears in the records and the errors file."""
    seen: Counter = Counter()
    for rec in read_jsonl(out):
        for loc in rec["locations"]:
            seen[(loc["path"], loc["member"], loc.get("index"))] += 1
    for err in read_jsonl(out.with_name(out.stem + ".errors.jsonl")):
        seen[(err["path"], err["member"], err.get("index"))] += 1
    return seen


def hostile_zip(build, folder: Path, large: int = 3, small: int = 12) -> Path:
    """Large members (replies of ~1 MB), three different members named ``dup.txt``, an inner
    ``a.zip`` holding ``b.txt`` beside a member literally named ``a.zip!/b.txt``."""
    members = [(f"nghi-dinh-{i}.txt", build.big_member(i, 350_000)) for i in range(large)]
    members += [("dup.txt", build.seed_text(i).encode() + f"\nbản {i}\n".encode()) for i in range(3)]
    members += [("a.zip", build.zip_bytes([("b.txt", build.seed_text(4).encode() + b"\ninner\n")]))]
    members += [("a.zip!/b.txt", build.seed_text(5).encode() + b"\nlook-alike\n")]
    members += [(f"small/{i}.txt", build.seed_text(i).encode() + f"\nnhỏ {i}\n".encode()) for i in range(small)]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.zip"
    path.write_bytes(build.zip_bytes(members))
    return path


EXPECTED_INPUTS = 3 + 3 + 1 + 1 + 12


@pytest.mark.parametrize("jobs", [1, 2])
def test_large_members_do_not_deadlock(build, tmp_path, jobs):
    z = tmp_path / "big.zip"
    z.write_bytes(build.zip_bytes([(f"nd{i}.txt", build.big_member(i, 400_000)) for i in range(3)]))
    started = time.monotonic()
    stats = BatchStats()
    results = list(parse_many(z, jobs=jobs, use_ml=False, timeout=60, stats=stats))
    assert time.monotonic() - started < 60
    assert all(r.ok for r in results) and len(results) == 3


def test_every_member_accounted_for_by_location_and_content(build, tmp_path):
    z = hostile_zip(build, tmp_path, large=1, small=2)
    out = tmp_path / "out.jsonl"
    proc = run_cli("batch", str(z), "-o", str(out), "--no-ml", "-q", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    seen = accounted(out)
    assert sum(seen.values()) == len(seen) == 1 + 3 + 1 + 1 + 2, seen
    members = Counter(m for (_, m, _) in seen)
    assert members["dup.txt"] == 3
    assert members["a.zip!/b.txt"] == 2  # the nested one and the look-alike, both kept
    texts = {r["text"].rstrip().rsplit("\n", 1)[-1].strip() for r in read_jsonl(out)}
    assert {"bản 0", "bản 1", "bản 2", "inner", "look-alike"} <= texts


def test_sigterm_stops_a_batch_with_large_members(build, tmp_path):
    z = tmp_path / "big.zip"
    z.write_bytes(build.zip_bytes([(f"nd{i}.txt", build.big_member(i, 400_000)) for i in range(4)]))
    env = {**os.environ, "VBX_TEST_PARSE_DELAY": "2"}
    proc = subprocess.Popen([sys.executable, "-m", "vbextract.cli", "batch", str(z), "-o", str(tmp_path / "o.jsonl"),
                             "--jobs", "1", "-q", "--no-ml", "--parser", f"{build.FAULTY}:parse_slowly"],
                            stderr=subprocess.PIPE, env=env)
    time.sleep(4)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 130
    assert b"--resume" in proc.stderr.read()


def test_kill_and_resume_over_large_and_duplicate_members(build, tmp_path):
    z = hostile_zip(build, tmp_path / "in")
    clean = tmp_path / "clean.jsonl"
    assert run_cli("batch", str(z), "-o", str(clean), "--no-ml", "-q", "--jobs", "2").returncode == 0
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "VBX_TEST_PARSE_DELAY": "0.3"}
    args = [sys.executable, "-m", "vbextract.cli", "batch", str(z), "-o", str(out), "--no-ml", "-q", "--jobs", "2",
            "--parser", f"{build.FAULTY}:parse_slowly"]
    for _ in range(2):  # kill twice mid-way, then finish
        proc = subprocess.Popen([*args, "--resume"] if out.exists() else args, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        before = len(read_jsonl(out))
        while time.monotonic() < deadline and len(read_jsonl(out)) < before + 3:
            time.sleep(0.1)
        proc.kill()
        proc.wait()
    assert run_cli("batch", str(z), "-o", str(out), "--no-ml", "-q", "--resume").returncode == 0
    assert accounted(out) == accounted(clean)
    assert sum(accounted(out).values()) == EXPECTED_INPUTS
    assert Counter(r["source"]["sha256"] for r in read_jsonl(out)) == \
        Counter(r["source"]["sha256"] for r in read_jsonl(clean))


def test_two_runs_on_one_output_refuse_to_share_it(build, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"d{i}.txt").write_text(build.seed_text(i) + f"\n{i}\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "VBX_TEST_PARSE_DELAY": "1"}
    first = subprocess.Popen([sys.executable, "-m", "vbextract.cli", "batch", str(folder), "-o", str(out), "-q",
                              "--no-ml", "--jobs", "1", "--parser", f"{build.FAULTY}:parse_slowly"], env=env,
                             stderr=subprocess.DEVNULL)
    lock = tmp_path / ".out.jsonl.lock"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (lock.exists() and lock.read_text().strip()):
        time.sleep(0.1)
    second = run_cli("batch", str(folder), "-o", str(out), "--resume", "-q", "--no-ml")
    assert first.wait(120) == 0
    assert second.returncode == 75, second.stderr
    assert "another vbextract batch" in second.stderr
    records = read_jsonl(out)
    assert len(records) == len({r["source"]["sha256"] for r in records}) == 6
    # the lock goes with the process: a later --resume is not blocked
    assert run_cli("batch", str(folder), "-o", str(out), "--resume", "-q", "--no-ml").returncode == 0


def test_killed_worker_takes_its_children(build, tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_text(build.seed_text(0), encoding="utf-8")
    marker = f"{os.getpid() % 997 + 300}.125"
    proc = run_cli("batch", str(doc), "-o", str(tmp_path / "o.jsonl"), "-q", "--timeout", "2", "--parser",
                   f"{build.FAULTY}:parse_with_child", env={"VBX_TEST_CHILD_MARK": marker})
    assert proc.returncode == 1
    time.sleep(0.5)
    left = build.sleep_processes(marker)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_parse_many_leaves_no_process_behind(build, tmp_path):
    import multiprocessing as mp

    (tmp_path / "a.txt").write_text(build.seed_text(1), encoding="utf-8")
    list(parse_many(tmp_path, jobs=2, use_ml=False))
    time.sleep(0.5)
    assert [p for p in mp.active_children() if p.is_alive()] == []


def test_dask_path_honours_the_per_document_timeout(build):
    """run_on_dask is what every Dask worker runs: it must stop a hanging document in time."""
    from vbextract.batch import Location, WorkerConfig, WorkItem
    from vbextract.batch.dask import run_on_dask
    from vbextract.limits import Limits

    config = WorkerConfig(use_ml=False, parser=f"{build.FAULTY}:parse_with_faults",
                          doc_limits=Limits(timeout_s=2.0))
    item = WorkItem("0" * 64, (Location("hang.txt"),), b"#HANG#")
    started = time.monotonic()
    reply = run_on_dask(item, config)
    assert reply.status == "failed" and reply.error_type == "Timeout"
    assert time.monotonic() - started < 30
