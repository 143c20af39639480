"""What the service runs outside FastAPI: its configuration and the parse in worker processes.

:class:`WorkerPool` keeps ``workers`` processes, started from vbextract's fork server (models
already loaded), each leading its own process group and capped in memory (``RLIMIT_AS``). A
document goes to an idle worker; when it is not answered within its time limit the worker's
whole group (``tesseract`` and any other child included) is killed, the request answers with
the limit's message and a fresh worker takes the place. A worker that dies or runs out of
memory is replaced the same way; each is recycled after ``max_tasks`` documents. (A child per
document, through :func:`vbextract.limits.call_limited`, cost 4× the parse itself in start-up
and cold caches: 64 ms against 14 ms for a seed.)

This module imports nothing heavy, so a worker pays nothing for the web stack.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from dataclasses import dataclass, replace
from typing import Any

from .. import limits as doc_limits

FORMATS = ("txt", "md", "pdf", "docx", "doc", "rtf", "html")


@dataclass(frozen=True)
class ServiceConfig:
    """Limits and settings of one server; every limit protects the machine from one request."""

    workers: int = max(1, (os.cpu_count() or 1))  # documents parsed at the same time
    queue: int = 16  # requests admitted beyond ``workers``; more answer 503 + Retry-After
    retry_after_s: int = 5
    timeout_s: float = 60.0  # per document; a request may ask for less, never more
    max_memory_mb: int | None = 2048  # per document (RLIMIT_AS of its child process)
    max_upload_mb: float = 20.0  # per document
    max_request_mb: float = 100.0  # a whole request body (batch and jobs carry several documents)
    max_decompressed_mb: float | None = 64.0
    max_pages: int | None = 300
    max_batch_files: int = 50
    max_jobs: int = 100  # jobs remembered; the oldest finished ones are forgotten first
    max_pending_jobs: int = 8  # unfinished jobs; more answer 503 + Retry-After
    api_key: str | None = None  # when set, every route but /health, /docs and /openapi.json needs it
    use_ml: bool = True  # the default of the ``no_ml`` option

    def with_(self, **changes: Any) -> ServiceConfig:
        return replace(self, **changes)

    def limits(self, timeout_s: float | None = None, max_pages: int | None = None) -> doc_limits.Limits:
        """The limits of one document: the server's, tightened by what the request asked for."""
        timeout = self.timeout_s if not timeout_s or timeout_s <= 0 else min(timeout_s, self.timeout_s or timeout_s)
        pages = self.max_pages if not max_pages or max_pages <= 0 else min(max_pages, self.max_pages or max_pages)
        return doc_limits.Limits(timeout_s=timeout or None, max_memory_mb=self.max_memory_mb or None,
                                 max_input_mb=self.max_upload_mb or None,
                                 max_decompressed_mb=self.max_decompressed_mb or None, max_pages=pages or None)


def parse_json(data: bytes, name: str | None, fmt: str | None, use_ml: bool, ocr_pages: int | None) -> str:
    """Runs in the child: the document's JSON (the parent never re-validates it for ``/parse``)."""
    from ..ocr import limits as ocr_limits
    from ..pipeline import parse

    with ocr_limits(pages=ocr_pages):
        return parse(data, name=name, fmt=fmt, use_ml=use_ml, limits=doc_limits.current()).model_dump_json()


# ----------------------------------------------------------------------------- worker pool


def _worker_main(conn: Any, max_memory_mb: int | None, parent_pid: int) -> None:
    """A worker: parse what arrives until told to stop (``None``) or the pipe closes."""
    from ..batch.workers import warm_up
    from ..errors import InputError

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides what Ctrl-C means
    doc_limits.own_process_group()
    doc_limits.exit_with_parent(parent_pid)
    doc_limits.limit_memory(max_memory_mb)
    warm_up()  # usually a no-op: the fork server loaded the models
    try:
        conn.send(("ready",))
        while True:
            msg = conn.recv()
            if msg is None:
                return
            data, name, fmt, use_ml, ocr_pages, limits = msg
            out_of_memory = False
            try:
                with doc_limits.applied(limits):
                    payload: tuple = ("ok", parse_json(data, name, fmt, use_ml, ocr_pages))
            except MemoryError:
                payload, out_of_memory = ("error", _memory_error(max_memory_mb)), True
            except InputError as exc:
                payload = ("error", exc)
            except Exception as exc:  # a parser bug: still an InputError for the caller, with its cause
                payload = ("error", InputError(f"internal error: {type(exc).__name__}: {exc}"))
            del data, msg
            conn.send(payload)
            if out_of_memory:  # its heap may be in a bad state: let the pool replace it
                return
    except (EOFError, OSError):  # the server has gone away
        return


def _memory_error(max_memory_mb: int | None) -> doc_limits.LimitExceeded:
    return doc_limits.LimitExceeded("max_memory_mb", f"the document needs more than the {max_memory_mb} MiB "
                                    "memory limit (Limits.max_memory_mb, --max-memory)")


class _Worker:
    def __init__(self, ctx: Any, max_memory_mb: int | None) -> None:
        from ..batch.workers import _start_without_main

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, max_memory_mb, os.getpid()), daemon=True)
        _start_without_main(self.proc)
        child.close()
        self.ready = False
        self.done = 0

    def wait_ready(self) -> None:
        from ..errors import InputError

        if self.ready:
            return
        try:
            if self.conn.poll(doc_limits.STARTUP_ALLOWANCE) and self.conn.recv()[0] == "ready":
                self.ready = True
                return
        except (EOFError, OSError):
            pass
        raise InputError("a parser process could not start (see the server log)")

    def call(self, msg: tuple, limits: doc_limits.Limits, max_memory_mb: int | None) -> str:
        from ..errors import InputError

        self.wait_ready()
        started = time.monotonic()
        self.conn.send(msg)
        timeout = limits.timeout_s
        if not self.conn.poll(timeout):
            raise doc_limits.LimitExceeded("timeout_s", f"the document took longer than the {timeout:g} s time "
                                           "limit (Limits.timeout_s, --timeout); its process was killed")
        try:
            payload = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(5)
            code = self.proc.exitcode
            if code is not None and code < 0 and max_memory_mb:
                raise _memory_error(max_memory_mb) from None
            raise InputError(f"the parser process died (exit code {code}) after "
                             f"{time.monotonic() - started:.1f} s") from None
        self.done += 1
        if payload[0] == "ok":
            return str(payload[1])
        raise payload[1]

    def alive(self) -> bool:
        return self.proc.is_alive()

    def kill(self) -> None:
        if self.proc.pid is not None:
            doc_limits.kill_group(self.proc.pid)
        self.proc.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.proc.join(1)
        self.kill()


class WorkerPool:
    """``size`` warm worker processes; :meth:`parse` is safe to call from many threads (at most
    ``size`` at a time run; more wait for a worker)."""

    def __init__(self, size: int, max_memory_mb: int | None = None, max_tasks: int = 1000) -> None:
        self.ctx = doc_limits.forkserver_context()
        self.max_memory_mb = max_memory_mb
        self.max_tasks = max_tasks
        self.idle: list[_Worker] = []
        self.cond = threading.Condition()
        self.closed = False
        self.replaced = 0
        for _ in range(max(1, size)):
            self.idle.append(_Worker(self.ctx, max_memory_mb))

    def parse(self, data: bytes, *, name: str | None = None, fmt: str | None = None, use_ml: bool = True,
              ocr_pages: int | None = None, limits: doc_limits.Limits = doc_limits.DEFAULT_LIMITS) -> str:
        """The document's JSON; raises only :class:`~vbextract.errors.InputError`
        (:class:`~vbextract.limits.LimitExceeded` for a limit)."""
        from ..errors import InputError

        doc_limits.check_input_size(len(data), limits)
        with self.cond:
            while not self.idle and not self.closed:
                self.cond.wait()
            if self.closed:
                raise InputError("the server is shutting down")
            worker = self.idle.pop()
        healthy = False
        try:
            result = worker.call((data, name, fmt, use_ml, ocr_pages, limits), limits, self.max_memory_mb)
            healthy = True
            return result
        except doc_limits.LimitExceeded as exc:
            healthy = exc.limit not in ("timeout_s", "max_memory_mb")
            raise
        except InputError:
            healthy = worker.alive()
            raise
        finally:
            if not healthy or worker.done >= self.max_tasks or not worker.alive():
                if healthy:
                    worker.stop()
                else:
                    worker.kill()
                    self.replaced += 1
                worker = _Worker(self.ctx, self.max_memory_mb)
            with self.cond:
                if self.closed:
                    worker.kill()
                else:
                    self.idle.append(worker)
                self.cond.notify()

    def close(self) -> None:
        with self.cond:
            self.closed = True
            idle, self.idle = self.idle, []
            self.cond.notify_all()
        for w in idle:
            w.stop()


def strip_text(payload: str) -> dict:
    """The document without ``text`` and ``source.offset_map`` (the CLI's ``--no-text``)."""
    import json

    data = json.loads(payload)
    data.pop("text", None)
    data.get("source", {}).pop("offset_map", None)
    return data


def version_info() -> dict:
    """Library, schema and model versions (``GET /version``)."""
    from importlib.metadata import PackageNotFoundError, version

    from .._meta import SCHEMA_VERSION, __version__
    from ..ml import model_info

    def installed(dist: str) -> str | None:
        try:
            return version(dist)
        except PackageNotFoundError:
            return None

    models = {name: ({k: meta.get(k) for k in ("version", "vbextract", "corpus_sha256")} if meta else None)
              for name, meta in model_info().items()}
    return {"vbextract": __version__, "schema_version": SCHEMA_VERSION, "models": models,
            "libraries": {d: installed(d) for d in ("spacy", "underthesea-core", "pydantic", "fastapi", "uvicorn")}}
