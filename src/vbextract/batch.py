"""Parse many documents in worker processes: every input accounted for, resumable.

A batch runs in two passes over the inputs:

1. **scan** — walk folders and archives (:mod:`vbextract.archive`) and hash every document, so
   identical files are parsed once and listed under every path, finished documents can be
   skipped on ``--resume``, and the progress bar knows its total;
2. **parse** — send each document that still needs work to a worker process and collect the
   results as they finish.

Workers are plain processes owned by this module (not a ``ProcessPoolExecutor``) so that one
document that hangs past the time limit, or kills its worker outright (a segfault in a PDF
library, ``os._exit``), costs only that document: the worker is killed or found dead, the
document is recorded as failed, a fresh worker takes its place, and the batch goes on.
Workers are started from a ``forkserver`` that has imported vbextract once, so replacing one
is cheap; each worker keeps its loaded models for all the documents it parses.

Results are *records*: the :class:`~vbextract.document.Document` as JSON plus a ``locations``
list (``[{"path": …, "member": …}]``, every place this content was found). The content hash is
``source.sha256``. The output sinks at the end of this module write them atomically.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import multiprocessing as mp
import os
import re
import shutil
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from .archive import DEFAULT_LIMITS, Entry, Limits, Problem, iter_disk_files, iter_file, read_location
from .document import Document

DEFAULT_TIMEOUT = 120.0
STARTUP_ALLOWANCE = 120.0  # seconds a new worker may take to import vbextract and load models

# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Location:
    """Where one copy of a document was found: a file, or a member of an archive file."""

    path: str
    member: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"path": self.path, "member": self.member}


@dataclass(frozen=True)
class Failure:
    reason: str
    error_type: str
    stage: str  # "scan" (walking/archives), "read", "parse", "timeout", "crash"


@dataclass
class BatchResult:
    """One unique document (all its locations) or one input that failed."""

    sha256: str | None
    locations: list[Location]
    record: str | None = None  # JSON: Document fields + "locations"
    warnings: int = 0
    error: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def document(self) -> Document:
        """The parsed :class:`Document` (raises ``ValueError`` for a failed input)."""
        if self.record is None:
            raise ValueError(f"{self.locations[0].path}: not parsed: {self.error}")
        return document_from_record(json.loads(self.record))

    def error_lines(self) -> list[dict[str, Any]]:
        """Errors-file entries: one per location, so every path is accounted for."""
        assert self.error is not None
        return [{"path": loc.path, "member": loc.member, "sha256": self.sha256,
                 "reason": self.error.reason, "error_type": self.error.error_type,
                 "stage": self.error.stage} for loc in self.locations]


def document_from_record(record: dict[str, Any]) -> Document:
    """A batch record (JSONL line, JSON file) back to a :class:`Document`."""
    fields = {k: v for k, v in record.items() if k != "locations"}
    return Document.model_validate(fields)


@dataclass
class BatchStats:
    """Counts per *input* (a file or archive member), so they add up to the inputs found."""

    inputs: int = 0
    parsed: int = 0
    with_warnings: int = 0
    failed: int = 0
    unique: int = 0
    resumed: int = 0  # inputs whose content was already done before this run
    worker_peak_rss_kb: int = 0
    worker_restarts: int = 0
    failure_types: dict[str, int] = field(default_factory=dict)

    def count(self, result: BatchResult) -> None:
        n = len(result.locations)
        if result.error is not None:
            self.failed += n
            self.failure_types[result.error.error_type] = self.failure_types.get(result.error.error_type, 0) + n
        elif result.warnings:
            self.with_warnings += n
        else:
            self.parsed += n

    def summary(self) -> str:
        accounted = self.parsed + self.with_warnings + self.failed
        lines = [f"{self.inputs} inputs: {self.parsed} parsed, {self.with_warnings} parsed with warnings, "
                 f"{self.failed} failed ({accounted} accounted for; {self.unique} unique documents"
                 + (f", {self.resumed} done in an earlier run" if self.resumed else "") + ")"]
        if self.failure_types:
            lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(self.failure_types.items())))
        return "\n".join(lines)


# --------------------------------------------------------------------------- scan


@dataclass
class Manifest:
    """What the scan found: content hashes in first-seen order, where each one lives, problems."""

    locations: dict[str, list[Location]] = field(default_factory=dict)
    sha_of: dict[Location, str] = field(default_factory=dict)
    files: list[Entry] = field(default_factory=list)  # top-level files on disk, in walk order
    problems: list[Problem] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return len(self.sha_of) + len(self.problems)

    def add(self, sha: str, loc: Location) -> None:
        if loc in self.sha_of:  # the same path named twice on the command line
            return
        self.sha_of[loc] = sha
        self.locations.setdefault(sha, []).append(loc)


def scan(inputs: Iterable[str | os.PathLike], limits: Limits = DEFAULT_LIMITS,
         on_item: Callable[[], None] | None = None) -> Manifest:
    """Walk and hash every input (reads each document once; no parsing)."""
    manifest = Manifest()
    for disk in iter_disk_files(inputs):
        if isinstance(disk, Problem):
            manifest.problems.append(disk)
            continue
        manifest.files.append(disk)
        for item in iter_file(disk, limits):
            if isinstance(item, Problem):
                manifest.problems.append(item)
            else:
                try:
                    manifest.add(item.sha256(), Location(item.path, item.member))
                except OSError as exc:
                    manifest.problems.append(Problem(item.path, item.member,
                                                     f"cannot read: {exc.strerror or exc}", type(exc).__name__))
            if on_item:
                on_item()
    return manifest


def problem_result(problem: Problem) -> BatchResult:
    return BatchResult(None, [Location(problem.path, problem.member)],
                       error=Failure(problem.reason, problem.error_type, "scan"))


# --------------------------------------------------------------------------- tasks and workers


@dataclass(frozen=True)
class Task:
    sha256: str
    locations: tuple[Location, ...]
    data: bytes | None  # None: the worker reads locations[0].path itself

    @property
    def name(self) -> str:
        first = self.locations[0]
        return first.member.rsplit("!/", 1)[-1] if first.member else first.path


@dataclass(frozen=True)
class WorkerConfig:
    use_ml: bool = True
    parser: str | None = None  # "module:function" or "/path/file.py:function"; None: vbextract.parse
    limits: Limits = Limits()
    max_memory: int | None = None  # bytes of address space per worker (RLIMIT_AS); None: no limit


def iter_tasks(manifest: Manifest, todo: set[str], limits: Limits) -> Iterator[Task | BatchResult]:
    """Second pass: yield one task per content hash in ``todo``, reading bytes lazily.

    A hash that can no longer be found (file deleted or changed since the scan) comes back as
    a failed result, so it is still accounted for.
    """
    wanted_files = {manifest.locations[sha][0].path for sha in todo}
    sent: set[str] = set()
    for disk in manifest.files:
        if disk.path not in wanted_files:
            continue
        for item in iter_file(disk, limits):
            if isinstance(item, Problem):
                continue
            sha = manifest.sha_of.get(Location(item.path, item.member))
            if sha is None or sha not in todo or sha in sent:
                continue
            sent.add(sha)
            yield Task(sha, tuple(manifest.locations[sha]), item.data)
    for sha in todo - sent:
        yield BatchResult(sha, manifest.locations[sha],
                          error=Failure("input changed or disappeared between scan and parse",
                                        "InputChanged", "read"))


def _resolve_parser(spec: str | None) -> Callable[[bytes, str, bool], Document]:
    if spec is None:
        from .pipeline import parse

        return lambda data, name, use_ml: parse(data, name=name, use_ml=use_ml)
    module_name, _, attr = spec.rpartition(":")
    if module_name.endswith(".py"):
        loaded = importlib.util.spec_from_file_location(Path(module_name).stem, module_name)
        assert loaded is not None and loaded.loader is not None
        module = importlib.util.module_from_spec(loaded)
        loaded.loader.exec_module(module)
    else:
        module = importlib.import_module(module_name)
    return getattr(module, attr)


def run_task(parse_fn: Callable[[bytes, str, bool], Document], task: Task, config: WorkerConfig) -> tuple:
    """Parse one task; returns a picklable message (never raises for a bad document)."""
    from .errors import InputError

    first = task.locations[0]
    try:
        data = task.data if task.data is not None else read_location(first.path, first.member, config.limits)
    except OSError as exc:
        return ("failed", f"cannot read: {exc.strerror or exc}", type(exc).__name__, "read")
    try:
        doc = parse_fn(data, task.name, config.use_ml)
    except InputError as exc:
        return ("failed", str(exc) or type(exc).__name__, type(exc).__name__, "read")
    except Exception as exc:  # a parser bug on one document must not stop the batch
        return ("failed", f"{type(exc).__name__}: {exc}", type(exc).__name__, "parse")
    return ("ok", record_json(doc, task.locations), len(doc.warnings))


def record_json(doc: Document, locations: Iterable[Location]) -> str:
    """The batch record: the Document's JSON with a ``locations`` list appended."""
    locs = list(locations)
    doc.source.path = locs[0].path
    doc.source.member = locs[0].member
    body = doc.model_dump_json()
    return body[:-1] + ',"locations":' + json.dumps([loc.as_dict() for loc in locs], ensure_ascii=False) + "}"


_WARM_UP = "ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG\nSố: 1/UBND-VP\nV/v thử\nKính gửi: Sở A\n1. Giao Sở A chủ trì, trước ngày 10/5/2024.\n"


def warm_up(use_ml: bool = True) -> None:
    """Parse a tiny built-in document so that lazily loaded models are in memory."""
    from .pipeline import parse

    with contextlib.suppress(Exception):
        parse(_WARM_UP.encode(), name="warm-up.txt", use_ml=use_ml)


def _exit_with_parent(parent_pid: int) -> None:
    """If the batch process dies (SIGKILL leaves no time to stop workers), stop too, even in
    the middle of a document that would otherwise run on for ever as an orphan."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # the pid now belongs to someone else's process
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="vbextract-parent-watch").start()


def _limit_memory(max_bytes: int) -> None:
    """A document that needs more memory fails with MemoryError instead of dragging the machine
    into swap or the OOM killer (which might pick another process)."""
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _worker_main(conn: Connection, config: WorkerConfig, parent_pid: int | None = None,
                 environ: dict[str, str] | None = None) -> None:
    # Ctrl-C goes to the whole process group; the parent decides what to do with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if environ is not None:
        # The fork server keeps the environment it started with; a worker should see the
        # batch process's environment as it is now, like any child process would.
        os.environ.clear()
        os.environ.update(environ)
    if parent_pid:
        _exit_with_parent(parent_pid)
    if config.max_memory:
        _limit_memory(config.max_memory)
    try:
        parse_fn = _resolve_parser(config.parser)
    except Exception as exc:  # a bad --parser: say so once instead of failing every document
        with contextlib.suppress(OSError):
            conn.send(("startup-failed", f"cannot load the parser {config.parser!r}: {type(exc).__name__}: {exc}",
                       _peak_rss_kb()))
        return
    if config.parser is None:
        # Usually a no-op (the fork server loaded the models); otherwise load them now, while
        # the parent is still scanning, not on the first document.
        warm_up(config.use_ml)
    try:
        conn.send(("ready", _peak_rss_kb()))  # the time limit of the first document starts now
        while True:
            task = conn.recv()
            if task is None:
                return
            reply = run_task(parse_fn, task, config)
            conn.send((*reply, _peak_rss_kb()))
    except (EOFError, OSError):  # the batch process has gone away: nothing left to do
        return


def _peak_rss_kb() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class _Worker:
    """One worker process and the tasks sent to it (up to ``depth``, so it never waits for the
    parent between documents). Only the first queued task is running; its deadline counts from
    when the one before it finished."""

    def __init__(self, ctx, config: WorkerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config, os.getpid(), dict(os.environ)),
                                daemon=True)
        _start_without_main(self.proc)
        child.close()
        self.queue: deque[Task] = deque()
        self.deadline = float("inf")
        self.timeout: float | None = None
        self.done = 0
        self.ready = False
        self.born = time.monotonic()

    def mark_ready(self) -> None:
        self.ready = True
        self._restart_clock()

    def send(self, task: Task, timeout: float | None) -> None:
        self.conn.send(task)
        self.queue.append(task)
        self.timeout = timeout
        if len(self.queue) == 1:
            self._restart_clock()

    def finished(self) -> Task:
        task = self.queue.popleft()
        self.done += 1
        self._restart_clock()
        return task

    def _restart_clock(self) -> None:
        if not (self.timeout and self.queue):
            self.deadline = float("inf")
        elif not self.ready:  # still importing and loading models: allow for that too
            self.deadline = self.born + STARTUP_ALLOWANCE + self.timeout
        else:
            self.deadline = time.monotonic() + self.timeout

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(2)
        if self.proc.is_alive():
            self.kill()
        self.conn.close()


def _start_without_main(proc) -> None:
    """Start a forkserver/spawn process without re-running the caller's ``__main__``.

    multiprocessing re-imports the main script in the child so that functions defined there can
    be unpickled; workers only need vbextract, and re-running a user's unguarded script (no
    ``if __name__ == "__main__"``) would start a batch inside every worker. A ``__spec__`` named
    ``__main__`` makes the child skip that step.
    """
    import sys
    from importlib.machinery import ModuleSpec

    main = sys.modules.get("__main__")
    saved = getattr(main, "__spec__", None)
    if main is None or saved is not None:
        proc.start()
        return
    main.__spec__ = ModuleSpec("__main__", None)
    try:
        proc.start()
    finally:
        main.__spec__ = saved


def _context():
    if "forkserver" not in mp.get_all_start_methods():  # Windows
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    # Import vbextract and load its models once in the fork server; workers forked from it start warm.
    ctx.set_forkserver_preload(["vbextract.pipeline", "vbextract.batch", "vbextract._forkserver_warm"])
    return ctx


def _crash_reason(proc) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"worker process was killed by {signal.Signals(-code).name} while parsing this document"
    return f"worker process exited (exit code {code}) while parsing this document"


class WorkerStartError(RuntimeError):
    """Workers cannot start (bad ``parser``, broken installation): the batch stops, rather than
    recording every document as failed."""


class LocalPool:
    """Worker processes on this machine, with a per-document time limit.

    Create it before scanning: the workers start and load their models meanwhile.
    """

    def __init__(self, jobs: int, config: WorkerConfig, timeout: float | None, stats: BatchStats,
                 max_tasks_per_child: int | None = None, depth: int = 2) -> None:
        self.ctx = _context()
        self.config = config
        self.timeout = timeout
        self.stats = stats
        self.max_tasks_per_child = max_tasks_per_child
        self.depth = depth
        self.workers = [_Worker(self.ctx, config) for _ in range(max(1, jobs))]

    def _replace(self, i: int, killed: bool = True) -> None:
        if killed:
            self.workers[i].kill()
            self.stats.worker_restarts += 1
        else:
            self.workers[i].stop()
        self.workers[i] = _Worker(self.ctx, self.config)

    def run(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, tuple]]:
        """Yield ``(task, reply)`` as each task finishes."""
        retry: deque[Task] = deque()  # queued behind a document that killed its worker
        exhausted = False
        try:
            while True:
                exhausted = self._fill(tasks, retry, exhausted)
                busy = [w for w in self.workers if w.queue]
                if not busy:
                    return
                soonest = min(w.deadline for w in busy) - time.monotonic()
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                 timeout=None if soonest == float("inf") else max(soonest, 0.0)))
                for i, w in enumerate(self.workers):
                    if w.queue:
                        yield from self._settle(i, w, ready, retry)
        finally:
            self.close()

    def _fill(self, tasks: Iterator[Task], retry: deque[Task], exhausted: bool) -> bool:
        """Top up every worker's queue; returns whether the task source is used up."""
        limit = self.depth  # the clock of a queued task starts only when it runs
        for i in range(len(self.workers)):
            while len(self.workers[i].queue) < limit and not self._quota_reached(self.workers[i]):
                task = retry.popleft() if retry else (None if exhausted else next(tasks, None))
                if task is None:
                    return True
                try:
                    self.workers[i].send(task, self.timeout)
                except (BrokenPipeError, OSError):  # died while idle: its queue goes to a new one
                    retry.extendleft(reversed([*self.workers[i].queue, task]))
                    self._replace(i)
        return exhausted

    def _quota_reached(self, w: _Worker) -> bool:
        """No more tasks for a worker due for recycling: its queue drains, then it is replaced."""
        limit = self.max_tasks_per_child
        return limit is not None and limit > 0 and w.done + len(w.queue) >= limit

    def _settle(self, i: int, w: _Worker, ready: set, retry: deque[Task]) -> Iterator[tuple[Task, tuple]]:
        if w.conn in ready:
            try:
                reply = w.conn.recv()
            except (EOFError, OSError):
                reply = None
            if reply is not None:
                self.stats.worker_peak_rss_kb = max(self.stats.worker_peak_rss_kb, reply[-1])
                if reply[0] == "ready":
                    w.mark_ready()
                    return
                if reply[0] == "startup-failed":
                    raise WorkerStartError(reply[1])
                yield w.finished(), reply[:-1]
                if reply[0] == "failed" and reply[2] == "MemoryError":
                    # a worker that ran out of memory may be left in a bad state: replace it
                    retry.extend(w.queue)
                    w.queue.clear()
                    self._replace(i)
                elif self._quota_reached(w) and not w.queue:
                    self._replace(i, killed=False)
                return
        if w.conn in ready or w.proc.sentinel in ready:
            w.proc.join(5)
            if not w.ready:
                why = _crash_reason(w.proc).replace(" while parsing this document", "")
                raise WorkerStartError(f"a worker process died while starting ({why})")
            yield from self._fail_head(i, w, retry, (_crash_reason(w.proc), "WorkerCrashed", "crash"))
        elif time.monotonic() >= w.deadline:
            reason = f"still running after the {w.timeout:g} s per-document time limit; the worker was killed"
            yield from self._fail_head(i, w, retry, (reason, "Timeout", "timeout"))

    def _fail_head(self, i: int, w: _Worker, retry: deque[Task], why: tuple) -> Iterator[tuple[Task, tuple]]:
        """The running document is to blame; the ones queued behind it get another worker."""
        head = w.queue.popleft()
        retry.extend(w.queue)
        w.queue.clear()
        self._replace(i)
        yield head, ("failed", *why)

    def close(self) -> None:
        for w in self.workers:
            w.stop()
        self.workers = []


def run_local(tasks: Iterator[Task], jobs: int, config: WorkerConfig, timeout: float | None,
              stats: BatchStats, max_tasks_per_child: int | None = None) -> Iterator[tuple[Task, tuple]]:
    """Run tasks on ``jobs`` worker processes; yield ``(task, reply)`` as each finishes."""
    yield from LocalPool(jobs, config, timeout, stats, max_tasks_per_child).run(tasks)


def run_dask(tasks: Iterator[Task], scheduler: Any, config: WorkerConfig,
             stats: BatchStats) -> Iterator[tuple[Task, tuple]]:
    """Run tasks on a Dask cluster (``tcp://HOST:PORT`` or a ``distributed.Client``).

    Plain files are read by the workers from their own path (shared storage: the same path on
    every machine, or an fsspec URL); archive members travel as bytes. Dask's nanny restarts a
    worker that dies; a task that keeps killing workers fails with ``KilledWorker``.
    """
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        slots = max(2, 2 * sum(client.nthreads().values()))
        pending = as_completed()
        owner: dict[Any, Task] = {}

        def submit() -> bool:
            task = next(tasks, None)
            if task is None:
                return False
            fut = client.submit(_dask_run_task, task, config, pure=False, key=f"vbextract-{task.sha256}-{time.monotonic_ns()}")
            owner[fut] = task
            pending.add(fut)
            return True

        for _ in range(slots):
            if not submit():
                break
        for fut in pending:
            task = owner.pop(fut)
            try:
                reply = fut.result()
            except Exception as exc:  # KilledWorker, lost connection …
                reply = ("failed", f"dask task failed: {type(exc).__name__}: {exc}", type(exc).__name__,
                         "crash", None)
            if reply[0] == "startup-failed":
                raise WorkerStartError(reply[1])
            if reply[-1] is not None:
                stats.worker_peak_rss_kb = max(stats.worker_peak_rss_kb, reply[-1])
            yield task, reply[:-1]
            submit()
    finally:
        if client is not scheduler:
            client.close()


_DASK_PARSERS: dict[str | None, Callable] = {}


def _dask_run_task(task: Task, config: WorkerConfig) -> tuple:
    parse_fn = _DASK_PARSERS.get(config.parser)
    if parse_fn is None:  # once per worker process: models stay loaded between tasks
        try:
            parse_fn = _DASK_PARSERS[config.parser] = _resolve_parser(config.parser)
        except Exception as exc:
            return ("startup-failed", f"cannot load the parser {config.parser!r} on a Dask worker: "
                    f"{type(exc).__name__}: {exc}", _peak_rss_kb())
    return (*run_task(parse_fn, task, config), _peak_rss_kb())


# --------------------------------------------------------------------------- the batch


@dataclass
class BatchOptions:
    jobs: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    use_ml: bool = True
    limits: Limits = Limits()
    scheduler: Any = None  # "tcp://HOST:PORT" or a distributed.Client: run on Dask
    parser: str | None = None
    max_tasks_per_child: int | None = None
    max_memory: int | None = None

    @property
    def worker_config(self) -> WorkerConfig:
        return WorkerConfig(use_ml=self.use_ml, parser=self.parser, limits=self.limits, max_memory=self.max_memory)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def start_pool(options: BatchOptions, stats: BatchStats) -> LocalPool | None:
    """Start local workers early (before the scan) so they load models meanwhile."""
    if options.scheduler is not None:
        return None
    return LocalPool(options.jobs or default_jobs(), options.worker_config, options.timeout, stats,
                     options.max_tasks_per_child)


def execute(manifest: Manifest, todo: set[str], options: BatchOptions, stats: BatchStats,
            pool: LocalPool | None = None) -> Iterator[BatchResult]:
    """Parse the hashes in ``todo``; yield one result per hash as it finishes."""
    sources = iter_tasks(manifest, todo, options.limits)
    lost: list[BatchResult] = []

    def tasks_only() -> Iterator[Task]:
        for item in sources:
            if isinstance(item, BatchResult):
                lost.append(item)
            else:
                yield item

    config = options.worker_config
    if options.scheduler is not None:
        runner = run_dask(tasks_only(), options.scheduler, config, stats)
    else:
        local = pool or start_pool(options, stats)
        assert local is not None
        runner = local.run(tasks_only())
    for task, reply in runner:
        yield _to_result(task, reply)
        yield from _drain(lost)
    yield from _drain(lost)


def _drain(items: list[BatchResult]) -> Iterator[BatchResult]:
    while items:
        yield items.pop(0)


def _to_result(task: Task, reply: tuple) -> BatchResult:
    if reply[0] == "ok":
        return BatchResult(task.sha256, list(task.locations), record=reply[1], warnings=reply[2])
    return BatchResult(task.sha256, list(task.locations), error=Failure(reply[1], reply[2], reply[3]))


def parse_many(paths: Iterable[str | os.PathLike] | str | os.PathLike, jobs: int | None = None,
               *, timeout: float | None = DEFAULT_TIMEOUT, use_ml: bool = True, limits: Limits | None = None,
               scheduler: Any = None, parser: str | None = None, max_tasks_per_child: int | None = None,
               max_memory: int | None = None, stats: BatchStats | None = None) -> Iterator[BatchResult]:
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
        max_memory: address-space limit per worker in bytes; a document that needs more fails
            with ``MemoryError`` and its worker is replaced.
        stats: a :class:`BatchStats` to fill in (counts, peak worker memory).
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    options = BatchOptions(jobs=jobs, timeout=timeout, use_ml=use_ml, limits=limits or Limits(),
                           scheduler=scheduler, parser=parser, max_tasks_per_child=max_tasks_per_child,
                           max_memory=max_memory)
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
    for problem in manifest.problems:
        result = problem_result(problem)
        stats.count(result)
        yield result
    for result in execute(manifest, set(manifest.locations), options, stats, pool):
        stats.count(result)
        yield result


# --------------------------------------------------------------------------- output sinks

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
        self.done = _load_jsonl_done(Path(path), self.stored) if resume else {}
        self.file = JsonlFile(path, append=resume)

    def add_locations(self, extra: dict[str, list[dict]]) -> None:
        """Rewrite the file once (temporary copy, then rename): no line is ever duplicated."""
        if not extra:
            return
        self.file.close()
        tmp = self.file.path.with_name(f".{self.file.path.name}.{os.getpid()}.tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            for line in iter_jsonl(self.file.path):
                key = record_key(line)
                if key and key[0] in extra:
                    line = with_locations(line, record_locations(line) + extra[key[0]]) + "\n"
                out.write(line)
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


def _load_jsonl_done(path: Path, stored: dict[str, list[dict]]) -> dict[str, int]:
    done: dict[str, int] = {}
    if not path.exists():
        return done
    trim_partial_line(path)
    for line in iter_jsonl(path):
        key = record_key(line)
        if key:
            done[key[0]] = key[1]
            stored[key[0]] = record_locations(line)
    return done


class JsonDirSink(Sink):
    """One ``<sha256>.json`` per document, each written to a temporary name and renamed."""

    def __init__(self, path: str | os.PathLike, resume: bool) -> None:
        self.dir = Path(path)
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob(".*.tmp"):
            stale.unlink()
        self.done = {}
        self.stored = {}
        for f in self.dir.glob("*.json"):
            if not resume:
                f.unlink()
                continue
            text = f.read_text(encoding="utf-8")
            key = record_key(text)
            if key:
                self.done[key[0]] = key[1]
                self.stored[key[0]] = record_locations(text)

    def add_locations(self, extra: dict[str, list[dict]]) -> None:
        for sha, locs in extra.items():
            path = self.dir / f"{sha}.json"
            text = path.read_text(encoding="utf-8")
            self._replace(sha, with_locations(text, record_locations(text) + locs))

    def write(self, result: BatchResult) -> None:
        assert result.record is not None and result.sha256 is not None
        self._replace(result.sha256, result.record)
        self.done[result.sha256] = result.warnings

    def _replace(self, sha: str, record: str) -> None:
        final = self.dir / f"{sha}.json"
        tmp = self.dir / f".{sha}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(record.rstrip("\n") + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)

    def close(self, complete: bool) -> None:
        return None


class StagedSink(JsonlSink):
    """Parquet and HF datasets: records go to a JSONL staging file first (resumable like JSONL),
    and the final file is built from it, with the explicit schema, once the batch completes."""

    def __init__(self, path: str | os.PathLike, fmt: str, resume: bool) -> None:
        self.final = Path(path)
        self.fmt = fmt
        staging = staging_path(self.final)
        if resume and not staging.exists() and self.final.exists():
            # A finished output is being extended: put its records back into staging.
            from .dataset import records_from_output

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
        from .dataset import write_output_from_jsonl

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
        self.seen: set[tuple[str, str | None]] = set()
        self.failed: dict[str, str] = {}  # sha256 -> error type, for contents to skip on resume
        if resume and self.path.exists():
            trim_partial_line(self.path)
            if retry_failed:
                self._drop_retryable()
            for line in iter_jsonl(self.path):
                with contextlib.suppress(ValueError, KeyError):
                    rec = json.loads(line)
                    self.seen.add((rec["path"], rec.get("member")))
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
            key = (entry["path"], entry["member"])
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
