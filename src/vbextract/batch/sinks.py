"""Where batch records go: JSONL, a folder of JSON files, Parquet or a datasets folder.

Each sink writes atomically (whole lines, or a temporary file renamed), so a SIGKILL loses only
what was not written yet and ``--resume`` continues from what is there. :class:`OutputLock`
keeps two batch runs from writing one output at the same time.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..document import Document
from .manifest import BatchResult, Location, location_key


def record_json(doc: Document, locations: Iterable[Location]) -> str:
    """The batch record: the Document's JSON with a ``locations`` list appended."""
    locs = list(locations)
    doc.source.path = locs[0].path
    doc.source.member = locs[0].member
    body = doc.model_dump_json()
    return body[:-1] + ',"locations":' + json.dumps([loc.as_dict() for loc in locs], ensure_ascii=False) + "}"


_SHA_RE = re.compile(r'"sha256":"([0-9a-f]{64})"')


def record_key(line: str) -> tuple[str, int] | None:
    """(content hash, number of warnings) of one record line, without a full JSON parse.

    ``"sha256":"`` with bare quotes can only be a key (quotes inside strings are escaped), and
    the first one is ``source.sha256``; ``"warnings"`` is only a top-level key of Document.
    """
    m = _SHA_RE.search(line)
    pos = line.rfind('"warnings":[')
    if m is None or pos < 0 or not line.rstrip().endswith("}"):
        try:
            rec = json.loads(line)
            return rec["source"]["sha256"], len(rec.get("warnings") or [])
        except (ValueError, KeyError, TypeError):
            return None
    return m.group(1), 0 if line.startswith('"warnings":[]', pos) else 1


_DECODER = json.JSONDecoder()


def record_version(line: str) -> str | None:
    """The vbextract version in a record's ``generator`` block, or None when the record has none
    (written before the block existed). ``"generator":`` with bare quotes is only that key."""
    pos = line.rfind('"generator":')
    if pos < 0:
        return None
    try:
        gen, _ = _DECODER.raw_decode(line, pos + len('"generator":'))
    except ValueError:
        try:
            gen = json.loads(line).get("generator")
        except (ValueError, AttributeError):
            return None
    return str(gen.get("version")) if isinstance(gen, dict) and gen.get("version") else None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class JsonlFile:
    """Append-only JSONL with whole-line writes; a truncated last line is trimmed on reopen.

    Each record goes to the kernel in one ``write`` of a complete line, so a SIGKILL can only
    lose lines not yet written, never leave half of one behind (the trim handles a crash of the
    machine itself mid-write). ``fsync`` runs at most once per ``sync_every`` seconds and on close.
    """

    def __init__(self, path: str | os.PathLike, append: bool, sync_every: float = 1.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if append:
            trim_partial_line(self.path)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if append else os.O_TRUNC)
        self.fd = os.open(self.path, flags, 0o644)
        self.sync_every = sync_every
        self.last_sync = time.monotonic()

    def write_line(self, line: str) -> None:
        _write_all(self.fd, (line.rstrip("\n") + "\n").encode("utf-8"))
        if time.monotonic() - self.last_sync >= self.sync_every:
            os.fsync(self.fd)
            self.last_sync = time.monotonic()

    def close(self) -> None:
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1


def trim_partial_line(path: Path) -> int:
    """Cut a last line without its newline (a write interrupted by a crash); returns bytes cut."""
    if not path.exists():
        return 0
    size = path.stat().st_size
    if size == 0:
        return 0
    with open(path, "rb+") as fh:
        pos = size
        while pos > 0:
            step = min(65536, pos)
            fh.seek(pos - step)
            block = fh.read(step)
            nl = block.rfind(b"\n")
            if nl >= 0:
                keep = pos - step + nl + 1
                break
            pos -= step
        else:
            keep = 0
        if keep < size:
            fh.truncate(keep)
        return size - keep


def iter_jsonl(path: str | os.PathLike) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.endswith("\n") and line.strip():
                yield line


_LOCATIONS_KEY = '"locations":'


def record_locations(line: str) -> list[dict]:
    """The ``locations`` list of a record line (it is the record's last key)."""
    pos = line.rfind(_LOCATIONS_KEY)
    if pos < 0:
        return []
    try:
        return json.loads(line[pos + len(_LOCATIONS_KEY):].rstrip()[:-1])
    except ValueError:
        return list(json.loads(line).get("locations") or [])


def with_locations(line: str, locations: list[dict]) -> str:
    """The record line with its ``locations`` replaced."""
    rec = json.loads(line)
    rec["locations"] = locations
    return json.dumps(rec, ensure_ascii=False)


class Sink:
    """Where records go. ``done`` maps finished content hashes to their warning counts;
    ``stored`` holds the locations already recorded for them (on resume)."""

    done: dict[str, int]
    stored: dict[str, list[dict]]
    versions: dict[str, str | None]  # content hash -> vbextract version of its record (None: no generator)

    def forget(self, shas: set[str]) -> None:
        """Drop the records of ``shas`` (to parse them again, ``--reparse-older``)."""
        raise NotImplementedError

    def add_locations(self, extra: dict[str, list[dict]]) -> None:
        """Copies of finished documents found in a later run: list them in the existing records."""
        raise NotImplementedError

    def write(self, result: BatchResult) -> None:
        raise NotImplementedError

    def close(self, complete: bool) -> None:
        raise NotImplementedError


class JsonlSink(Sink):
    def __init__(self, path: str | os.PathLike, resume: bool) -> None:
        self.stored = {}
        self.versions = {}
        self.done = _load_jsonl_done(Path(path), self.stored, self.versions) if resume else {}
        self.file = JsonlFile(path, append=resume)

    def forget(self, shas: set[str]) -> None:
        """Rewrite the file once without the records of ``shas`` (temporary copy, then rename)."""
        if not shas:
            return
        self._rewrite(lambda line, key: None if key and key[0] in shas else line)
        for sha in shas:
            self.done.pop(sha, None)
            self.stored.pop(sha, None)
            self.versions.pop(sha, None)

    def add_locations(self, extra: dict[str, list[dict]]) -> None:
        """Rewrite the file once (temporary copy, then rename): no line is ever duplicated."""
        if not extra:
            return
        self._rewrite(lambda line, key: with_locations(line, record_locations(line) + extra[key[0]]) + "\n"
                      if key and key[0] in extra else line)

    def _rewrite(self, change) -> None:
        """Rewrite the file once through ``change(line, key)`` (None drops the line): a temporary
        copy, synced, then renamed over the file, so a crash leaves either version whole."""
        self.file.close()
        tmp = self.file.path.with_name(f".{self.file.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for line in iter_jsonl(self.file.path):
                new = change(line, record_key(line))
                if new is not None:
                    out.write(new)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.file.path)
        self.file = JsonlFile(self.file.path, append=True)

    def write(self, result: BatchResult) -> None:
        assert result.record is not None and result.sha256 is not None
        self.file.write_line(result.record)
        self.done[result.sha256] = result.warnings

    def close(self, complete: bool) -> None:
        self.file.close()


def _load_jsonl_done(path: Path, stored: dict[str, list[dict]],
                     versions: dict[str, str | None] | None = None) -> dict[str, int]:
    done: dict[str, int] = {}
    if not path.exists():
        return done
    trim_partial_line(path)
    for line in iter_jsonl(path):
        key = record_key(line)
        if key:
            done[key[0]] = key[1]
            stored[key[0]] = record_locations(line)
            if versions is not None:
                versions[key[0]] = record_version(line)
    return done


class JsonDirSink(Sink):
    """One ``<name>-<hash>.json`` per document (the first location's file name and 12 hex digits
    of the content hash, so files are recognisable and never collide), each written to a
    temporary name and renamed."""

    def __init__(self, path: str | os.PathLike, resume: bool) -> None:
        self.dir = Path(path)
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob(".*.tmp"):
            stale.unlink()
        self.done = {}
        self.stored = {}
        self.versions = {}
        self.files: dict[str, Path] = {}
        for f in self.dir.glob("*.json"):
            if not resume:
                f.unlink()
                continue
            text = f.read_text(encoding="utf-8")
            key = record_key(text)
            if key:
                self.done[key[0]] = key[1]
                self.stored[key[0]] = record_locations(text)
                self.versions[key[0]] = record_version(text)
                self.files[key[0]] = f

    def forget(self, shas: set[str]) -> None:
        for sha in shas:
            path = self.files.pop(sha, None)
            if path is not None:
                path.unlink(missing_ok=True)
            self.done.pop(sha, None)
            self.stored.pop(sha, None)
            self.versions.pop(sha, None)

    def add_locations(self, extra: dict[str, list[dict]]) -> None:
        for sha, locs in extra.items():
            path = self.files[sha]
            text = path.read_text(encoding="utf-8")
            self._replace(path, with_locations(text, record_locations(text) + locs))

    def write(self, result: BatchResult) -> None:
        assert result.record is not None and result.sha256 is not None
        path = self.files.get(result.sha256) or self.dir / json_file_name(result.locations[0], result.sha256)
        self._replace(path, result.record)
        self.files[result.sha256] = path
        self.done[result.sha256] = result.warnings

    def _replace(self, final: Path, record: str) -> None:
        tmp = self.dir / f".{final.stem}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(record.rstrip("\n") + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)

    def close(self, complete: bool) -> None:
        return None


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def json_file_name(loc: Location, sha: str) -> str:
    """``2024/cv-403.docx`` with hash ``ab12…`` → ``cv-403-ab12cd34ef56.json``."""
    name = (loc.member or loc.path).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name[1:] else name
    stem = _UNSAFE_NAME.sub("_", stem).strip("._")[:60] or "document"
    return f"{stem}-{sha[:12]}.json"


class StagedSink(JsonlSink):
    """Parquet and HF datasets: records go to a JSONL staging file first (resumable like JSONL),
    and the final file is built from it, with the explicit schema, once the batch completes."""

    def __init__(self, path: str | os.PathLike, fmt: str, resume: bool) -> None:
        self.final = Path(path)
        self.fmt = fmt
        staging = staging_path(self.final)
        if resume and not staging.exists() and self.final.exists():
            # A finished output is being extended: put its records back into staging.
            from ..dataset import records_from_output

            tmp = staging.with_name(staging.name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as fh:
                for rec in records_from_output(self.final, fmt):
                    fh.write(rec + "\n")
            os.replace(tmp, staging)
        super().__init__(staging, resume)

    def close(self, complete: bool) -> None:
        super().close(complete)
        if not complete:
            return
        from ..dataset import write_output_from_jsonl

        write_output_from_jsonl(self.file.path, self.final, self.fmt)
        self.file.path.unlink()


def staging_path(final: Path) -> Path:
    return final.with_name(final.name.rstrip("/") + ".staging.jsonl")


def open_sink(path: str | os.PathLike, fmt: str, resume: bool) -> Sink:
    if fmt == "jsonl":
        return JsonlSink(path, resume)
    if fmt == "json-dir":
        return JsonDirSink(path, resume)
    if fmt in ("parquet", "hf"):
        return StagedSink(path, fmt, resume)
    raise ValueError(f"unknown output format {fmt!r}")


def guess_format(path: str) -> str:
    low = path.lower().rstrip("/")
    if low.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if low.endswith((".parquet", ".pq")):
        return "parquet"
    if path.endswith("/") or Path(path).is_dir():
        return "json-dir"
    return "jsonl"


class ErrorLog:
    """The errors file: one JSON line per failed input. On resume, entries already there are not
    repeated, and contents that failed before are not retried unless asked."""

    def __init__(self, path: str | os.PathLike, resume: bool, retry_failed: bool = False) -> None:
        self.path = Path(path)
        self.seen: set[tuple[str, str | None, int | None]] = set()
        self.failed: dict[str, str] = {}  # sha256 -> error type, for contents to skip on resume
        if resume and self.path.exists():
            trim_partial_line(self.path)
            if retry_failed:
                self._drop_retryable()
            for line in iter_jsonl(self.path):
                with contextlib.suppress(ValueError, KeyError):
                    rec = json.loads(line)
                    self.seen.add(location_key(rec))
                    if rec.get("sha256"):
                        self.failed[rec["sha256"]] = rec.get("error_type", "Error")
        self.file = JsonlFile(self.path, append=resume)

    def _drop_retryable(self) -> None:
        keep = [line for line in iter_jsonl(self.path) if not json.loads(line).get("sha256")]
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(keep), encoding="utf-8")
        os.replace(tmp, self.path)

    def write(self, result: BatchResult) -> None:
        for entry in result.error_lines():
            key = location_key(entry)
            if key in self.seen:
                continue
            self.seen.add(key)
            self.file.write_line(json.dumps(entry, ensure_ascii=False))

    def close(self) -> None:
        self.file.close()


def remove_output(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    staging = staging_path(path)
    if staging.exists():
        staging.unlink()


class OutputBusy(RuntimeError):
    """Another batch run is writing this output (two runs would duplicate records)."""


class OutputLock:
    """An exclusive ``flock`` on a hidden file beside the output, held for the whole run.

    The lock goes with the process: a run killed with SIGKILL releases it, so ``--resume``
    after a crash is never blocked, while a second run started beside a live one is refused.
    """

    def __init__(self, out: Path) -> None:
        self.path = out.with_name(f".{out.name.rstrip('/') or 'output'}.lock")
        self.fd = -1

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise OutputBusy(f"{self.path.name.removeprefix('.').removesuffix('.lock')} is being written by "
                             f"another vbextract batch (pid {holder}); wait for it to finish or choose "
                             "another output") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
            os.close(self.fd)  # closing drops the flock
            self.fd = -1

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
