"""Worker processes for a batch, with a per-document time and memory limit.

Workers are plain processes owned by this module (not a ``ProcessPoolExecutor``) so that one
document that hangs past the time limit, or kills its worker outright (a segfault in a PDF
library, ``os._exit``), costs only that document: the worker is killed or found dead, the
document is recorded as failed, a fresh worker takes its place, and the batch goes on.
Workers are started from a ``forkserver`` that has imported vbextract once, so replacing one
is cheap; each worker keeps its loaded models for all the documents it parses.

Two rules keep the pool from ever blocking:

* **only small messages go down the pipe.** An archive member's bytes are spooled to a private
  temporary file and the worker is sent its name. (Sending the bytes in the message deadlocked:
  with a few members of some hundred KB the parent blocked writing the next task while the
  worker blocked writing a large reply the parent was not reading yet.)
* **each worker leads its own process group**, so a worker killed for its time limit takes
  ``tesseract`` and any other child with it, and a worker whose batch process died kills its
  group too.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .. import limits as doc_limits
from ..archive import Limits, read_location
from ..document import Document
from .manifest import BatchStats, WorkItem
from .sinks import record_json

STARTUP_ALLOWANCE = 120.0  # seconds a new worker may take to import vbextract and load models


@dataclass(frozen=True)
class WorkerConfig:
    use_ml: bool = True
    parser: str | None = None  # "module:function" or "/path/file.py:function"; None: vbextract.parse
    limits: Limits = Limits()  # archive limits (members are re-read with them)
    max_memory: int | None = None  # bytes of address space per worker (RLIMIT_AS); None: no limit
    doc_limits: doc_limits.Limits = field(default_factory=lambda: doc_limits.DEFAULT_LIMITS)


@dataclass(frozen=True)
class Reply:
    """What a worker sends back: ``ready`` once started, then ``ok`` or ``failed`` per document;
    ``startup-failed`` when it cannot load its parser at all."""

    status: str
    record: str | None = None
    warnings: int = 0
    reason: str = ""
    error_type: str = ""
    stage: str = ""
    peak_rss_kb: int | None = None

    @classmethod
    def failed(cls, reason: str, error_type: str, stage: str) -> Reply:
        return cls("failed", reason=reason, error_type=error_type, stage=stage)


class WorkerStartError(RuntimeError):
    """Workers cannot start (bad ``parser``, broken installation): the batch stops, rather than
    recording every document as failed."""


def resolve_parser(spec: str | None) -> Callable[[bytes, str, bool], Document]:
    if spec is None:
        from ..pipeline import parse

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


def _read_item(item: WorkItem, config: WorkerConfig) -> bytes:
    if item.data is not None:
        return item.data
    if item.spool is not None:
        return Path(item.spool).read_bytes()
    first = item.locations[0]
    return read_location(first.path, first.member, config.limits, first.index)


def run_item(parse_fn: Callable[[bytes, str, bool], Document], item: WorkItem, config: WorkerConfig) -> Reply:
    """Parse one work item; never raises for a bad document."""
    from ..errors import InputError

    try:
        data = _read_item(item, config)
    except OSError as exc:
        return Reply.failed(f"cannot read: {exc.strerror or exc}", type(exc).__name__, "read")
    try:
        with doc_limits.applied(config.doc_limits):
            doc = parse_fn(data, item.name, config.use_ml)
        return Reply("ok", record=record_json(doc, item.locations), warnings=len(doc.warnings))
    except doc_limits.LimitExceeded as exc:
        return Reply.failed(str(exc), "LimitExceeded", "limit")
    except InputError as exc:
        return Reply.failed(str(exc) or type(exc).__name__, type(exc).__name__, "read")
    except MemoryError:
        limit = f" ({config.max_memory // doc_limits.MiB} MiB, --max-memory)" if config.max_memory else ""
        return Reply.failed(f"the document needs more memory than the worker's limit{limit}", "MemoryError",
                            "limit")
    except Exception as exc:  # a parser bug on one document must not stop the batch
        return Reply.failed(f"{type(exc).__name__}: {exc}", type(exc).__name__, "parse")


_WARM_UP = "ỦY BAN NHÂN DÂN\nTỈNH KIÊN GIANG\nSố: 1/UBND-VP\nV/v thử\nKính gửi: Sở A\n1. Giao Sở A chủ trì, trước ngày 10/5/2024.\n"


def warm_up(use_ml: bool = True) -> None:
    """Parse a tiny built-in document so that lazily loaded models are in memory."""
    from ..pipeline import parse

    with contextlib.suppress(Exception):
        if use_ml:  # models load lazily on first need: load all of them once, before forking
            from .. import ml

            ml.load_all()
        parse(_WARM_UP.encode(), name="warm-up.txt", use_ml=use_ml)


def peak_rss_kb() -> int:
    import resource

    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _worker_main(conn: Connection, config: WorkerConfig, parent_pid: int | None = None,
                 environ: dict[str, str] | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    doc_limits.own_process_group()
    if environ is not None:
        # The fork server keeps the environment it started with; a worker should see the
        # batch process's environment as it is now, like any child process would.
        os.environ.clear()
        os.environ.update(environ)
    if parent_pid:
        doc_limits.exit_with_parent(parent_pid)
    if config.max_memory:
        doc_limits.limit_memory(config.max_memory // doc_limits.MiB)
    try:
        parse_fn = resolve_parser(config.parser)
    except Exception as exc:  # a bad --parser: say so once instead of failing every document
        with contextlib.suppress(OSError):
            conn.send(Reply("startup-failed", reason=f"cannot load the parser {config.parser!r}: "
                            f"{type(exc).__name__}: {exc}", peak_rss_kb=peak_rss_kb()))
        return
    if config.parser is None:
        # Usually a no-op (the fork server loaded the models); otherwise load them now, while
        # the parent is still scanning, not on the first document.
        warm_up(config.use_ml)
    try:
        conn.send(Reply("ready", peak_rss_kb=peak_rss_kb()))  # the first document's clock starts now
        while True:
            item = conn.recv()
            if item is None:
                return
            reply = run_item(parse_fn, item, config)
            conn.send(replace(reply, peak_rss_kb=peak_rss_kb()))
    except (EOFError, OSError):  # the batch process has gone away: nothing left to do
        return


class _Worker:
    """One worker process and the items sent to it (up to ``depth``, so it never waits for the
    parent between documents). Only the first queued item is running; its deadline counts from
    when the one before it finished."""

    def __init__(self, ctx, config: WorkerConfig) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config, os.getpid(), dict(os.environ)),
                                daemon=True)
        _start_without_main(self.proc)
        child.close()
        self.queue: deque[WorkItem] = deque()
        self.deadline = float("inf")
        self.timeout: float | None = None
        self.done = 0
        self.ready = False
        self.born = time.monotonic()

    def mark_ready(self) -> None:
        self.ready = True
        self._restart_clock()

    def send(self, item: WorkItem, timeout: float | None) -> None:
        assert item.data is None, "member bytes are spooled, never sent down the pipe"
        self.conn.send(item)
        self.queue.append(item)
        self.timeout = timeout
        if len(self.queue) == 1:
            self._restart_clock()

    def finished(self) -> WorkItem:
        item = self.queue.popleft()
        self.done += 1
        self._restart_clock()
        return item

    def _restart_clock(self) -> None:
        if not (self.timeout and self.queue):
            self.deadline = float("inf")
        elif not self.ready:  # still importing and loading models: allow for that too
            self.deadline = self.born + STARTUP_ALLOWANCE + self.timeout
        else:
            self.deadline = time.monotonic() + self.timeout

    def kill(self) -> None:
        if self.proc.pid is not None:
            doc_limits.kill_group(self.proc.pid)
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Stop an idle worker politely; a busy one (or one that does not answer) is killed."""
        if self.queue or not self.proc.is_alive():
            self.kill()
            return
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.proc.join(2)
        self.kill()


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


def _crash_reason(proc) -> str:
    code = proc.exitcode
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"worker process was killed by {signal.Signals(-code).name} while parsing this document"
    return f"worker process exited (exit code {code}) while parsing this document"


class Spool:
    """Private temporary files for member bytes on their way to a worker (at most ``jobs ×
    depth`` at a time, each under the file-size limit)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="vbextract-batch-")
        self.n = 0

    def put(self, item: WorkItem) -> WorkItem:
        if item.data is None:
            return item
        self.n += 1
        path = os.path.join(self.dir, f"{self.n}.bin")
        with open(path, "wb") as fh:
            fh.write(item.data)
        return WorkItem(item.sha256, item.locations, None, path)

    @staticmethod
    def release(item: WorkItem) -> None:
        if item.spool:
            with contextlib.suppress(OSError):
                os.unlink(item.spool)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


class LocalPool:
    """Worker processes on this machine, with a per-document time limit.

    Create it before scanning: the workers start and load their models meanwhile.
    """

    def __init__(self, jobs: int, config: WorkerConfig, timeout: float | None, stats: BatchStats,
                 max_tasks_per_child: int | None = None, depth: int = 2) -> None:
        self.ctx = doc_limits.forkserver_context()
        self.config = config
        self.timeout = timeout
        self.stats = stats
        self.max_tasks_per_child = max_tasks_per_child
        self.depth = depth
        self.spool = Spool()
        self.workers = [_Worker(self.ctx, config) for _ in range(max(1, jobs))]

    def _replace(self, i: int, killed: bool = True) -> None:
        if killed:
            self.workers[i].kill()
            self.stats.worker_restarts += 1
        else:
            self.workers[i].stop()
        self.workers[i] = _Worker(self.ctx, self.config)

    def run(self, items: Iterator[WorkItem]) -> Iterator[tuple[WorkItem, Reply]]:
        """Yield ``(item, reply)`` as each item finishes."""
        retry: deque[WorkItem] = deque()  # queued behind a document that killed its worker
        exhausted = False
        try:
            while True:
                exhausted = self._fill(items, retry, exhausted)
                busy = [w for w in self.workers if w.queue]
                if not busy:
                    return
                soonest = min(w.deadline for w in busy) - time.monotonic()
                ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                                 timeout=None if soonest == float("inf") else max(soonest, 0.0)))
                for i, w in enumerate(self.workers):
                    if w.queue:
                        for item, reply in self._settle(i, w, ready, retry):
                            self.spool.release(item)
                            yield item, reply
        finally:
            self.close()

    def _fill(self, items: Iterator[WorkItem], retry: deque[WorkItem], exhausted: bool) -> bool:
        """Top up every worker's queue; returns whether the item source is used up."""
        for i in range(len(self.workers)):
            while len(self.workers[i].queue) < self.depth and not self._quota_reached(self.workers[i]):
                item = retry.popleft() if retry else (None if exhausted else next(items, None))
                if item is None:
                    return True
                item = self.spool.put(item)
                try:
                    self.workers[i].send(item, self.timeout)
                except (BrokenPipeError, OSError):  # died while idle: its queue goes to a new one
                    retry.extendleft(reversed([*self.workers[i].queue, item]))
                    self.workers[i].queue.clear()
                    self._replace(i)
        return exhausted

    def _quota_reached(self, w: _Worker) -> bool:
        """No more items for a worker due for recycling: its queue drains, then it is replaced."""
        limit = self.max_tasks_per_child
        return limit is not None and limit > 0 and w.done + len(w.queue) >= limit

    def _settle(self, i: int, w: _Worker, ready: set, retry: deque[WorkItem]) -> Iterator[tuple[WorkItem, Reply]]:
        if w.conn in ready:
            try:
                reply = w.conn.recv()
            except (EOFError, OSError):
                reply = None
            if reply is not None:
                if reply.peak_rss_kb:
                    self.stats.worker_peak_rss_kb = max(self.stats.worker_peak_rss_kb, reply.peak_rss_kb)
                if reply.status == "ready":
                    w.mark_ready()
                    return
                if reply.status == "startup-failed":
                    raise WorkerStartError(reply.reason)
                yield w.finished(), reply
                if reply.status == "failed" and reply.error_type == "MemoryError":
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
            yield from self._fail_head(i, w, retry, Reply.failed(_crash_reason(w.proc), "WorkerCrashed", "crash"))
        elif time.monotonic() >= w.deadline:
            reason = f"still running after the {w.timeout:g} s per-document time limit; the worker was killed"
            yield from self._fail_head(i, w, retry, Reply.failed(reason, "Timeout", "timeout"))

    def _fail_head(self, i: int, w: _Worker, retry: deque[WorkItem], why: Reply) -> Iterator[tuple[WorkItem, Reply]]:
        """The running document is to blame; the ones queued behind it get another worker."""
        head = w.queue.popleft()
        retry.extend(w.queue)
        w.queue.clear()
        self._replace(i)
        yield head, why

    def close(self) -> None:
        for w in self.workers:
            w.stop()
        self.workers = []
        self.spool.close()
