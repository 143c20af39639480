"""Parse many documents in worker processes: every input accounted for, resumable.

A batch runs in two passes over the inputs:

1. **scan** (:mod:`.manifest`) — walk folders and archives (:mod:`vbextract.archive`) and hash
   every document, so identical files are parsed once and listed under every location,
   finished documents can be skipped on ``--resume``, and the progress bar knows its total;
2. **parse** — send each document that still needs work to a worker (:mod:`.workers` on this
   machine, :mod:`.dask` on a cluster) and collect the results as they finish; the records
   go to a sink (:mod:`.sinks`).

Results are *records*: the :class:`~vbextract.document.Document` as JSON plus a ``locations``
list (``[{"path": …, "member": …, "index": …}]``, every place this content was found). The
content hash is ``source.sha256``.

:func:`parse_many` yields results to Python code; :func:`run_batch` is the whole
``vbextract batch`` (output lock, resume accounting, SIGTERM handling) for any caller.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .. import limits as doc_limits
from ..archive import Limits
from .manifest import (
    BatchResult,
    BatchStats,
    Failure,
    Location,
    Manifest,
    WorkItem,
    document_from_record,
    iter_work,
    location_key,
    problem_result,
    scan,
)
from .sinks import (
    ErrorLog,
    OutputBusy,
    OutputLock,
    Sink,
    guess_format,
    iter_jsonl,
    open_sink,
    record_json,
    remove_output,
    staging_path,
    trim_partial_line,
)
from .workers import LocalPool, Reply, WorkerConfig, WorkerStartError, run_item, warm_up

DEFAULT_TIMEOUT = 120.0
# Address space per worker by default: far above what an ordinary document needs (a worker
# with the models loaded maps about 1.5 GB), low enough that one bomb cannot take the machine.
DEFAULT_MAX_MEMORY = 6 * 1024 * doc_limits.MiB

__all__ = [
    "BatchOptions", "BatchResult", "BatchRun", "BatchStats", "ErrorLog", "Failure", "LocalPool", "Location",
    "Manifest", "OutputBusy", "OutputLock", "Reply", "Sink", "WorkItem", "WorkerConfig", "WorkerStartError",
    "document_from_record", "execute", "guess_format", "iter_jsonl", "open_sink", "parse_many",
    "problem_result", "record_json", "remove_output", "run_batch", "run_item", "scan", "staging_path",
    "start_pool", "trim_partial_line", "warm_up",
]


@dataclass
class BatchOptions:
    jobs: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    use_ml: bool = True
    limits: Limits = Limits()
    scheduler: Any = None  # "tcp://HOST:PORT" or a distributed.Client: run on Dask
    parser: str | None = None
    max_tasks_per_child: int | None = None
    max_memory: int | None = DEFAULT_MAX_MEMORY
    doc_limits: doc_limits.Limits = field(default_factory=lambda: doc_limits.DEFAULT_LIMITS)

    @property
    def worker_config(self) -> WorkerConfig:
        per_doc = self.doc_limits.with_(
            timeout_s=self.timeout,
            max_memory_mb=self.max_memory // doc_limits.MiB if self.max_memory else None)
        return WorkerConfig(use_ml=self.use_ml, parser=self.parser, limits=self.limits,
                            max_memory=self.max_memory, doc_limits=per_doc)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def start_pool(options: BatchOptions, stats: BatchStats) -> LocalPool | None:
    """Start local workers early (before the scan) so they load their models meanwhile."""
    if options.scheduler is not None:
        from .dask import require_distributed

        require_distributed()
        return None
    return LocalPool(options.jobs or default_jobs(), options.worker_config, options.timeout, stats,
                     options.max_tasks_per_child)


def execute(manifest: Manifest, todo: set[str], options: BatchOptions, stats: BatchStats,
            pool: LocalPool | None = None) -> Iterator[BatchResult]:
    """Parse the hashes in ``todo``; yield one result per hash as it finishes."""
    sources = iter_work(manifest, todo, options.limits)
    lost: list[BatchResult] = []

    def items_only() -> Iterator[WorkItem]:
        for item in sources:
            if isinstance(item, BatchResult):
                lost.append(item)
            else:
                yield item

    config = options.worker_config
    if options.scheduler is not None:
        from .dask import run_dask

        runner = run_dask(items_only(), options.scheduler, config, stats)
    else:
        local = pool or start_pool(options, stats)
        assert local is not None
        runner = local.run(items_only())
    for item, reply in runner:
        yield _to_result(item, reply)
        yield from _drain(lost)
    yield from _drain(lost)


def _drain(items: list[BatchResult]) -> Iterator[BatchResult]:
    while items:
        yield items.pop(0)


def _to_result(item: WorkItem, reply: Reply) -> BatchResult:
    if reply.status == "ok":
        return BatchResult(item.sha256, list(item.locations), record=reply.record, warnings=reply.warnings)
    return BatchResult(item.sha256, list(item.locations), error=Failure(reply.reason, reply.error_type, reply.stage))


def parse_many(paths: Iterable[str | os.PathLike] | str | os.PathLike, jobs: int | None = None,
               *, timeout: float | None = DEFAULT_TIMEOUT, use_ml: bool = True, limits: Limits | None = None,
               scheduler: Any = None, parser: str | None = None, max_tasks_per_child: int | None = None,
               max_memory: int | None = DEFAULT_MAX_MEMORY, stats: BatchStats | None = None,
               doc_limits: doc_limits.Limits | None = None) -> Iterator[BatchResult]:
    """Parse files, folders and archives in ``jobs`` worker processes, yielding results as they finish.

    Identical contents are parsed once: a result lists every location (``result.locations``).
    Inputs that cannot be used (unsafe archive members, unsupported files …) and documents that
    fail, hang past ``timeout`` seconds or crash their worker come back as results with
    ``result.error`` set, so every input is accounted for. ``result.document`` is the
    :class:`~vbextract.document.Document`.

    Args:
        jobs: worker processes (default: the machine's cores).
        scheduler: a Dask scheduler address (``"tcp://host:8786"``) or ``distributed.Client``.
        parser: ``"module:function"`` taking ``(data: bytes, name: str, use_ml: bool)`` and
            returning a Document, instead of :func:`vbextract.parse`.
        max_tasks_per_child: replace a worker after this many documents (bounds slow leaks).
        max_memory: address-space limit per worker in bytes (default 6 GiB; None: none); a
            document that needs more fails with ``MemoryError`` and its worker is replaced.
        stats: a :class:`BatchStats` to fill in (counts, peak worker memory).
        doc_limits: other per-document limits (:class:`vbextract.limits.Limits`: decompressed
            size, pages); its time and memory fields are taken from ``timeout``/``max_memory``.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    options = BatchOptions(jobs=jobs, timeout=timeout, use_ml=use_ml, limits=limits or Limits(),
                           scheduler=scheduler, parser=parser, max_tasks_per_child=max_tasks_per_child,
                           max_memory=max_memory, doc_limits=doc_limits or doc_limits_default())
    stats = stats if stats is not None else BatchStats()
    pool = start_pool(options, stats)
    try:
        manifest = scan(paths, options.limits)
    except BaseException:
        if pool:
            pool.close()
        raise
    stats.inputs = manifest.inputs
    stats.unique = len(manifest.locations)
    for result in manifest.problems:
        stats.count(result)
        yield result
    for result in execute(manifest, set(manifest.locations), options, stats, pool):
        stats.count(result)
        yield result


def doc_limits_default() -> doc_limits.Limits:
    return doc_limits.DEFAULT_LIMITS


# --------------------------------------------------------------------------- the whole batch run


@dataclass
class BatchRun:
    """How a :func:`run_batch` ended."""

    stats: BatchStats
    complete: bool
    elapsed: float
    output: Path
    format: str
    errors: Path
    # On resume: records in the output written by another vbextract version, {version: count}
    # ("older" for records without a generator block); reparsed with ``reparse_older``.
    other_versions: dict[str, int] = field(default_factory=dict)
    reparsed_older: bool = False

    @property
    def rate(self) -> float:
        """Inputs finished *by this run* per second (an interrupted or resumed run is not
        credited with what it did not do)."""
        done_now = self.stats.accounted - self.stats.resumed
        return done_now / max(self.elapsed, 1e-9)


class Progress(Protocol):
    """What :func:`run_batch` reports to (the CLI's progress bars)."""

    def scanned(self) -> None: ...

    def scan_done(self, total: int) -> None: ...

    def advance(self, n: int, stats: BatchStats) -> None: ...


class _Silent:
    def scanned(self) -> None:
        return None

    def scan_done(self, total: int) -> None:
        return None

    def advance(self, n: int, stats: BatchStats) -> None:
        return None


def run_batch(inputs: Iterable[str | os.PathLike], output: str | os.PathLike, *, fmt: str | None = None,
              options: BatchOptions | None = None, resume: bool = False, overwrite: bool = False,
              errors: str | os.PathLike | None = None, retry_failed: bool = False,
              progress: Progress | None = None, reparse_older: bool = False) -> BatchRun:
    """Parse ``inputs`` into ``output`` (``vbextract batch`` without the argument parsing).

    Holds an exclusive lock on the output for the whole run (a second run on the same output
    raises :class:`OutputBusy`); with ``resume``, documents already in the output (or in the
    errors file) are counted, not parsed again, and new copies of them are added to their
    records. Records written by another vbextract version are counted in ``other_versions`` and
    kept as they are, or, with ``reparse_older``, dropped and parsed again with this version, so
    that one output never mixes versions unknowingly. SIGTERM stops the run like Ctrl-C (the previous handler is restored on return);
    an interrupted run returns with ``complete=False``, ready for ``resume``.

    Raises:
        OutputBusy: another run holds the output.
        FileExistsError: the output exists and neither ``resume`` nor ``overwrite`` was given.
        WorkerStartError: workers cannot start (bad parser, Dask missing).
        OSError: the output cannot be written (disk full …).
    """
    started = time.monotonic()
    options = options or BatchOptions()
    progress = progress or _Silent()
    out = Path(output)
    fmt = fmt or guess_format(str(output))
    errors_path = Path(errors) if errors else default_errors_path(out)
    stats = BatchStats()
    other: dict[str, int] = {}
    with OutputLock(out), _sigterm_as_interrupt():
        if overwrite:
            remove_output(out)
        elif not resume and output_exists(out, fmt):
            raise FileExistsError(f"{out} already exists; use --resume to continue that batch or --overwrite "
                                  "to start over")
        pool = start_pool(options, stats)  # workers load their models while the inputs are scanned
        complete = False
        try:
            manifest = scan(inputs, options.limits, on_item=progress.scanned)
            progress.scan_done(manifest.inputs)
            sink = open_sink(out, fmt, resume)
            older = other_version_records(sink)
            for version in older.values():
                other[version] = other.get(version, 0) + 1
            if older and reparse_older:
                sink.forget(set(older))
            errlog = ErrorLog(errors_path, resume, retry_failed)
            stats.inputs, stats.unique = manifest.inputs, len(manifest.locations)
            try:
                complete = _run_manifest(manifest, options, sink, errlog, stats, pool, progress)
            finally:
                errlog.close()
                sink.close(complete)
        finally:
            if pool:
                pool.close()
    return BatchRun(stats, complete, time.monotonic() - started, out, fmt, errors_path, other,
                    bool(other) and reparse_older)


def other_version_records(sink: Sink) -> dict[str, str]:
    """``{content hash: version}`` of the records in ``sink`` written by another vbextract version
    (``"older"``: a record without a generator block, from before it existed)."""
    from .._meta import __version__

    versions = getattr(sink, "versions", {})
    return {sha: v or "older" for sha, v in versions.items() if v != __version__}


def _run_manifest(manifest: Manifest, options: BatchOptions, sink: Sink, errlog: ErrorLog, stats: BatchStats,
                  pool: LocalPool | None, progress: Progress) -> bool:
    def record(result: BatchResult) -> None:
        if result.error is None:
            sink.write(result)
        else:
            errlog.write(result)
        stats.count(result)
        progress.advance(len(result.locations), stats)

    try:
        for problem in manifest.problems:
            record(problem)
        todo = count_finished(manifest, sink.done, errlog.failed, stats)
        progress.advance(stats.resumed, stats)
        for result in execute(manifest, todo, options, stats, pool):
            record(result)
        sink.add_locations(new_locations(manifest, sink))
    except KeyboardInterrupt:
        return False
    return True


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """``kill``/``timeout``/a scheduler's SIGTERM stops the batch like Ctrl-C: workers are shut
    down and the output is flushed, ready for ``--resume``. The caller's handler comes back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def default_errors_path(out: Path) -> Path:
    """``out.jsonl`` → ``out.errors.jsonl``; ``docs/`` → ``docs.errors.jsonl`` (never inside OUT)."""
    stem = out.name[: -len(out.suffix)] if out.suffix in (".jsonl", ".ndjson", ".parquet", ".pq") else out.name
    return out.with_name(stem + ".errors.jsonl")


def output_exists(out: Path, fmt: str) -> bool:
    exists = (out.is_dir() and any(out.iterdir())) if fmt == "json-dir" else out.exists()
    return exists or staging_path(out).exists()


def count_finished(manifest: Manifest, done: dict[str, int], failed: dict[str, str], stats: BatchStats) -> set[str]:
    """Count inputs finished by an earlier run; return the content hashes still to parse."""
    todo = set()
    for sha, locations in manifest.locations.items():
        n = len(locations)
        if sha in done:
            stats.resumed += n
            if done[sha]:
                stats.with_warnings += n
            else:
                stats.parsed += n
        elif sha in failed:
            stats.resumed += n
            stats.failed += n
            stats.failure_types[failed[sha]] = stats.failure_types.get(failed[sha], 0) + n
        else:
            todo.add(sha)
    return todo


def new_locations(manifest: Manifest, sink: Sink) -> dict[str, list[dict]]:
    """Copies of documents finished in an earlier run that that run did not see."""
    extra = {}
    for sha, stored in sink.stored.items():
        known = {location_key(loc) for loc in stored}
        new = [loc.as_dict() for loc in manifest.locations.get(sha, []) if loc.key not in known]
        if new:
            extra[sha] = new
    return extra
