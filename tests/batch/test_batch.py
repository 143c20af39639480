"""parse_many and ``vbextract batch``: every input accounted for, faults, dedupe, resume."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

import vbextract
from vbextract.batch import BatchStats, trim_partial_line
from vbextract.cli import main


def run_cli(*argv: str) -> int:
    return main(["batch", "--quiet", *argv])


def read_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    assert not text or text.endswith("\n"), "a truncated last line"
    return [json.loads(line) for line in text.splitlines()]


def mixed_folder(root: Path, helpers) -> set[tuple[str, str | None]]:
    """Documents of every kind, duplicates, archives, junk and broken files.

    Returns every (path, member) input that must be accounted for.
    """
    import docx

    root.mkdir()
    (root / "a.txt").write_bytes(helpers.variant(0))
    (root / "b.md").write_bytes(b"# " + helpers.variant(1))
    (root / "copy-of-a.txt").write_bytes(helpers.variant(0))  # identical content
    (root / "page.html").write_text("<html><body><p>ỦY BAN NHÂN DÂN</p><p>Số: 1/UBND</p></body></html>")
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG")
    d.save(root / "cv.docx")
    (root / "empty.txt").write_bytes(b"")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage without objects")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    sub = root / "sub"
    sub.mkdir()
    with zipfile.ZipFile(sub / "pack.zip", "w") as zf:
        zf.writestr("in-zip.txt", helpers.variant(2))
        zf.writestr("../escape.txt", helpers.variant(3))
        zf.writestr("dup-of-a.txt", helpers.variant(0))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in {"t1.txt": helpers.variant(4), "t2.txt": helpers.variant(5)}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    (sub / "pack.tar.gz").write_bytes(buf.getvalue())
    files = ["a.txt", "b.md", "copy-of-a.txt", "page.html", "cv.docx", "empty.txt", "broken.pdf", "photo.png"]
    expected = {(str(root / f), None) for f in files}
    expected |= {(str(sub / "pack.zip"), m) for m in ("in-zip.txt", "../escape.txt", "dup-of-a.txt")}
    expected |= {(str(sub / "pack.tar.gz"), m) for m in ("t1.txt", "t2.txt")}
    return expected


def accounted(out: Path, errors: Path) -> Counter:
    seen: Counter = Counter()
    for rec in read_jsonl(out):
        for loc in rec["locations"]:
            seen[(loc["path"], loc["member"])] += 1
    for err in read_jsonl(errors):
        seen[(err["path"], err["member"])] += 1
    return seen


def test_mixed_folder_every_input_accounted_for_once(tmp_path, helpers, capsys):
    expected = mixed_folder(tmp_path / "in", helpers)
    out = tmp_path / "out.jsonl"
    code = run_cli(str(tmp_path / "in"), "-o", str(out), "--jobs", "2")
    assert code == 1  # some inputs failed: the exit status says so
    seen = accounted(out, tmp_path / "out.errors.jsonl")
    assert set(seen) == expected and set(seen.values()) == {1}
    summary = capsys.readouterr().err
    n = len(expected)
    parsed, warned, failed = (int(x) for x in
                              __import__("re").search(r"(\d+) parsed, (\d+) parsed with warnings, (\d+) failed",
                                                      summary).groups())
    assert f"{n} inputs:" in summary and parsed + warned + failed == n
    errors = {(e["path"], e["member"]): e for e in read_jsonl(tmp_path / "out.errors.jsonl")}
    assert failed == len(errors)
    assert errors[(str(tmp_path / "in" / "empty.txt"), None)]["error_type"] == "InputError"
    assert errors[(str(tmp_path / "in" / "photo.png"), None)]["error_type"] == "UnsupportedFormat"
    escape = errors[(str(tmp_path / "in" / "sub" / "pack.zip"), "../escape.txt")]
    assert escape["error_type"] == "UnsafeMemberName" and "traversal" in escape["reason"]
    assert set(escape) >= {"path", "member", "reason", "error_type", "sha256", "stage"}
    # identical contents: parsed once, every copy listed in that one record
    records = read_jsonl(out)
    assert len({r["source"]["sha256"] for r in records}) == len(records)
    a = next(r for r in records if any(loc["path"].endswith("/a.txt") for loc in r["locations"]))
    assert {(Path(loc["path"]).name, loc["member"]) for loc in a["locations"]} == {
        ("a.txt", None), ("copy-of-a.txt", None), ("pack.zip", "dup-of-a.txt")}
    assert vbextract.Document.model_validate({k: v for k, v in a.items() if k != "locations"})


def test_parse_many_yields_results_with_documents_and_stats(tmp_path, helpers):
    helpers.write_variants(tmp_path, 6)
    (tmp_path / "same.txt").write_bytes(helpers.variant(0))
    stats = BatchStats()
    results = list(vbextract.parse_many([tmp_path], jobs=2, stats=stats))
    assert len(results) == 6 and all(r.ok for r in results)
    docs = {r.sha256: r.document for r in results}
    assert all(isinstance(d, vbextract.Document) and d.source.sha256 == sha for sha, d in docs.items())
    dup = next(r for r in results if len(r.locations) == 2)
    assert {Path(loc.path).name for loc in dup.locations} == {"doc0000.txt", "same.txt"}
    assert stats.inputs == 7 and stats.parsed + stats.with_warnings == 7 and stats.failed == 0
    assert 0 < stats.worker_peak_rss_kb < 1_000_000
    # the same documents as calling parse one by one
    for r in results:
        direct = vbextract.parse(r.locations[0].path)
        assert direct.model_dump(exclude={"source"}) == r.document.model_dump(exclude={"source"})


def test_hung_and_crashing_documents_do_not_stop_the_batch(tmp_path, helpers):
    good = helpers.write_variants(tmp_path, 6)
    for marker in ("HANG", "EXIT", "SEGV", "RAISE"):
        (tmp_path / f"{marker.lower()}.txt").write_bytes(helpers.variant(9) + f"#{marker}#".encode())
    stats = BatchStats()
    started = time.monotonic()
    results = list(vbextract.parse_many([tmp_path], jobs=2, timeout=3, parser=helpers.FAULTY, stats=stats))
    assert time.monotonic() - started < 60
    by_name = {Path(r.locations[0].path).name: r for r in results}
    assert all(by_name[p.name].ok for p in good)
    assert by_name["hang.txt"].error.error_type == "Timeout"
    assert by_name["exit.txt"].error.error_type == "WorkerCrashed"
    assert "SIGSEGV" in by_name["segv.txt"].error.reason
    assert by_name["raise.txt"].error.stage == "parse" and "parser bug" in by_name["raise.txt"].error.reason
    assert stats.worker_restarts >= 3 and stats.failed == 4 and stats.inputs == 10


def test_cli_refuses_to_clobber_and_overwrite_starts_over(tmp_path, helpers):
    helpers.write_variants(tmp_path / "in", 3)
    out = tmp_path / "o.jsonl"
    assert run_cli(str(tmp_path / "in"), "-o", str(out)) == 0
    assert run_cli(str(tmp_path / "in"), "-o", str(out)) == 2
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--overwrite") == 0
    assert len(read_jsonl(out)) == 3


@pytest.mark.parametrize("fmt", ["json-dir", "parquet", "hf"])
def test_other_formats_hold_the_same_records(tmp_path, helpers, fmt):
    from vbextract.dataset import features, from_dataset, load_output

    helpers.write_variants(tmp_path / "in", 4)
    (tmp_path / "in" / "again.txt").write_bytes(helpers.variant(1))
    out = tmp_path / f"out.{fmt}"
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--format", fmt, "--jobs", "2") == 0
    if fmt == "json-dir":
        records = [json.loads(p.read_text()) for p in sorted(out.glob("*.json"))]
        # readable names: the first location's stem and 12 hex digits of the content hash
        assert {p.stem.rsplit("-", 1)[1] for p in out.glob("*.json")} == {r["source"]["sha256"][:12] for r in records}
        docs = [vbextract.Document.model_validate({k: v for k, v in r.items() if k != "locations"})
                for r in records]
    else:
        ds = load_output(out, fmt)
        assert ds.features == features()
        docs = list(from_dataset(ds))
        records = list(ds)
    assert len(docs) == 4
    assert sorted(len(r["locations"]) for r in records) == [1, 1, 1, 2]
    assert not (tmp_path / f"out.{fmt}.staging.jsonl").exists()
    expected = {d.source.sha256: d for d in (vbextract.parse(p) for p in sorted((tmp_path / "in").glob("doc*")))}
    for d in docs:
        assert d.model_dump(exclude={"source"}) == expected[d.source.sha256].model_dump(exclude={"source"})


def test_trim_partial_line(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'{"a": 1}\n{"b": 2}\n{"c": ')
    assert trim_partial_line(p) == len(b'{"c": ')
    assert p.read_bytes() == b'{"a": 1}\n{"b": 2}\n'
    assert trim_partial_line(p) == 0


def _start_batch(inputs: Path, out: Path, log: Path, parser: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "VBX_TEST_PARSE_LOG": str(log), "VBX_TEST_PARSE_DELAY": "0.03"}
    # A session of its own: SIGKILL goes to the batch, its fork server and every worker at once.
    return subprocess.Popen([sys.executable, "-m", "vbextract.cli", "batch", str(inputs), "-o", str(out),
                             "--jobs", "2", "--quiet", "--parser", parser, *extra],
                            env=env, start_new_session=True, stderr=subprocess.PIPE, text=True)


def _complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_sigkill_mid_batch_then_resume_finishes_without_duplicates(tmp_path, helpers):
    n = 150
    helpers.write_variants(tmp_path / "in", n - 10)
    with zipfile.ZipFile(tmp_path / "in" / "more.zip", "w") as zf:
        for i in range(n - 10, n):
            zf.writestr(f"z/{i}.txt", helpers.variant(i))
    out = tmp_path / "out.jsonl"
    proc = _start_batch(tmp_path / "in", out, tmp_path / "run1.log", helpers.SLOW)
    deadline = time.monotonic() + 120
    while _complete_lines(out) < 30 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, f"the batch finished before it could be killed: {proc.stderr.read()}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    # a SIGKILL can tear the line being written: only complete lines count (resume drops the torn one)
    written = out.read_text()
    complete = written[: written.rfind("\n") + 1]
    done_before = {json.loads(line)["source"]["sha256"] for line in complete.splitlines()}
    assert 30 <= len(done_before) < n
    with open(out, "ab") as fh:  # as if the machine died in the middle of a write
        fh.write(b'{"schema_version":"1","source":{"path":"/half')

    proc = _start_batch(tmp_path / "in", out, tmp_path / "run2.log", helpers.SLOW, "--resume")
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    records = read_jsonl(out)
    shas = [r["source"]["sha256"] for r in records]
    assert len(shas) == len(set(shas)) == n  # complete, no duplicates, no truncated line
    reparsed = set((tmp_path / "run2.log").read_text().split())
    assert reparsed.isdisjoint(done_before)  # finished documents were not parsed again
    assert reparsed == set(shas) - done_before
    assert f"{n} inputs: " in err and f"{len(done_before)} done in an earlier run" in err


@pytest.mark.parametrize("fmt", ["jsonl", "parquet", "hf", "json-dir"])
def test_resume_of_a_complete_output_adds_only_new_documents(tmp_path, helpers, fmt, monkeypatch):
    from vbextract.dataset import load_output

    log = tmp_path / "parsed.log"
    # set before any worker starts: workers fork from a server that keeps the environment it began with
    monkeypatch.setenv("VBX_TEST_PARSE_LOG", str(log))
    helpers.write_variants(tmp_path / "in", 3)
    out = tmp_path / f"o.{fmt}"
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--format", fmt) == 0
    helpers.write_variants(tmp_path / "in", 2, start=3)
    (tmp_path / "in" / "late-copy.txt").write_bytes(helpers.variant(1))  # a copy of a finished document
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--format", fmt, "--resume", "--parser", helpers.SLOW) == 0
    assert len(log.read_text().split()) == 2  # only the new documents were parsed
    if fmt == "json-dir":
        records = [json.loads(p.read_text()) for p in out.glob("*.json")]
    elif fmt == "jsonl":
        records = read_jsonl(out)
    else:
        records = list(load_output(out, fmt))
    shas = [r["source"]["sha256"] for r in records]
    assert len(shas) == len(set(shas)) == 5
    copied = next(r for r in records if any(loc["path"].endswith("doc0001.txt") for loc in r["locations"]))
    assert sorted(Path(loc["path"]).name for loc in copied["locations"]) == ["doc0001.txt", "late-copy.txt"]


def test_resume_skips_failed_documents_unless_asked(tmp_path, helpers):
    helpers.write_variants(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.txt").write_bytes(helpers.variant(7) + b"#RAISE#")
    out = tmp_path / "o.jsonl"
    errors = tmp_path / "o.errors.jsonl"
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--parser", helpers.FAULTY) == 1
    assert len(read_jsonl(errors)) == 1
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--parser", helpers.FAULTY, "--resume") == 1
    assert len(read_jsonl(errors)) == 1  # not repeated
    (tmp_path / "in" / "bad.txt").write_bytes(helpers.variant(7))  # fixed: new content, new hash
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--resume", "--retry-failed") == 0
    assert len(read_jsonl(out)) == 3


def test_sigterm_stops_cleanly_and_resume_completes(tmp_path, helpers):
    n = 60
    helpers.write_variants(tmp_path / "in", n)
    out = tmp_path / "out.jsonl"
    proc = _start_batch(tmp_path / "in", out, tmp_path / "run1.log", helpers.SLOW)
    deadline = time.monotonic() + 120
    while _complete_lines(out) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)  # the batch process only, as `kill` or `timeout` would
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "--resume" in err
    assert 10 <= len(read_jsonl(out)) < n
    proc = _start_batch(tmp_path / "in", out, tmp_path / "run2.log", helpers.SLOW, "--resume")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    shas = [r["source"]["sha256"] for r in read_jsonl(out)]
    assert len(shas) == len(set(shas)) == n


def test_workers_do_not_outlive_a_killed_batch(tmp_path, helpers):
    helpers.write_variants(tmp_path / "in", 10)
    pid_log = tmp_path / "pids"
    env = {**os.environ, "VBX_TEST_PID_LOG": str(pid_log), "VBX_TEST_PARSE_DELAY": "30"}
    proc = subprocess.Popen([sys.executable, "-m", "vbextract.cli", "batch", str(tmp_path / "in"), "-o",
                             str(tmp_path / "o.jsonl"), "--jobs", "2", "-q", "--parser", helpers.SLOW],
                            env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while (not pid_log.exists() or len(pid_log.read_text().split()) < 2) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p) for p in pid_log.read_text().split()]
    proc.kill()  # only the batch process: its workers are busy in a 30 s document
    proc.wait()

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    deadline = time.monotonic() + 10
    while any(alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(p) for p in workers)


def test_memory_limit_fails_one_document_and_workers_are_recycled(tmp_path, helpers, monkeypatch):
    helpers.write_variants(tmp_path, 6)
    (tmp_path / "hog.txt").write_bytes(helpers.variant(8) + b"#ALLOC#")
    results = list(vbextract.parse_many([tmp_path], jobs=2, parser=helpers.FAULTY, max_memory=2 * 1024**3))
    by_name = {Path(r.locations[0].path).name: r for r in results}
    assert by_name["hog.txt"].error.error_type == "MemoryError"
    assert sum(r.ok for r in results) == 6

    pid_log = tmp_path / "pids.log"
    monkeypatch.setenv("VBX_TEST_PID_LOG", str(pid_log))
    monkeypatch.setenv("VBX_TEST_PARSE_DELAY", "0")
    (tmp_path / "hog.txt").unlink()
    results = list(vbextract.parse_many([tmp_path], jobs=1, parser=helpers.SLOW, max_tasks_per_child=2))
    assert len(results) == 6 and all(r.ok for r in results)
    pids = pid_log.read_text().split()
    assert len(pids) == 6 and len(set(pids)) == 3  # a fresh worker every two documents


def test_a_parser_that_cannot_load_stops_the_batch_instead_of_failing_every_document(tmp_path, helpers):
    helpers.write_variants(tmp_path / "in", 3)
    out = tmp_path / "o.jsonl"
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--parser", "no_such_module_xyz:parse") == 2
    assert not read_jsonl(tmp_path / "o.errors.jsonl")  # nothing was blamed on the documents
    assert run_cli(str(tmp_path / "in"), "-o", str(out), "--resume") == 0
    assert len(read_jsonl(out)) == 3
