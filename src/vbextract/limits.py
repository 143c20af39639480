"""Per-document limits: time, memory, input size, decompressed size — on by default.

A document from a stranger can be a bomb (a 700 KB .docx holding 200 MB of XML), a device
(``/dev/zero``), a FIFO that never ends, or text that makes some step slow. Every way of parsing
has the same limits, each configurable, each ending in a :class:`LimitExceeded` (an
:class:`~vbextract.errors.InputError`) that names the limit:

=====================  ========  ==============================================================
``Limits`` field       default   enforced
=====================  ========  ==============================================================
``timeout_s``          120       hard in :func:`parse_limited`, ``batch`` and ``parse`` (the child
                                 process group is killed); cooperative in ``vbextract.parse``
                                 (checked between stages and pages, passed to OCR as a deadline)
``max_memory_mb``      4096      hard (``RLIMIT_AS``) in :func:`parse_limited`, ``batch`` and
                                 ``parse``; not in-process (it would limit the caller too)
``max_input_mb``       100       everywhere, before reading
``max_decompressed_mb`` 64       everywhere: the XML a .docx reader inflates (sum of its parts)
``max_pages``          1000      everywhere: PDF pages read
=====================  ========  ==============================================================

The API, for the library, the CLI and the service::

    from vbextract.limits import Limits, parse_limited
    doc = parse_limited(Path("cv.pdf"), limits=Limits(timeout_s=30, max_memory_mb=1024))

:func:`parse_limited` runs :func:`vbextract.parse` in a child process (its own process group, so
a killed parse takes ``tesseract`` and other children with it) and returns the
:class:`~vbextract.document.Document`; it raises only :class:`~vbextract.errors.InputError`
(:class:`LimitExceeded` for a limit). It is safe to call from threads (a web server's).
``vbextract.parse(..., limits=...)`` applies the cooperative part in-process, and
:func:`applied` sets the limits for any code run inside it.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import InputError

MiB = 1024 * 1024
STARTUP_ALLOWANCE = 120.0  # seconds a child may take to import vbextract


@dataclass(frozen=True)
class Limits:
    """Limits for one document; ``None`` turns one off."""

    timeout_s: float | None = 120.0
    max_memory_mb: int | None = 4096
    max_input_mb: float | None = 100.0
    max_decompressed_mb: float | None = 64.0
    max_pages: int | None = 1000

    def with_(self, **changes: Any) -> Limits:
        return replace(self, **changes)


DEFAULT_LIMITS = Limits()
NO_LIMITS = Limits(None, None, None, None, None)


class LimitExceeded(InputError):
    """A document went past one of its :class:`Limits`; ``limit`` names the field."""

    def __init__(self, limit: str, message: str) -> None:
        super().__init__(message)
        self.limit = limit

    def __reduce__(self):  # picklable across the child-process boundary
        return (type(self), (self.limit, str(self)))


# ----------------------------------------------------------------------------- in-process part

_ACTIVE: contextvars.ContextVar[tuple[Limits, float] | None] = contextvars.ContextVar("vbextract_limits",
                                                                                    default=None)


@contextlib.contextmanager
def applied(limits: Limits | None) -> Iterator[Limits]:
    """Make ``limits`` the current ones (the deadline starts now). An outer, stricter deadline
    stays in force: a nested parse never gets more time than its caller has left."""
    outer = _ACTIVE.get()
    limits = limits or (outer[0] if outer else DEFAULT_LIMITS)
    deadline = time.monotonic() + limits.timeout_s if limits.timeout_s else float("inf")
    if outer:
        deadline = min(deadline, outer[1])
    token = _ACTIVE.set((limits, deadline))
    try:
        yield limits
    finally:
        _ACTIVE.reset(token)


def current() -> Limits:
    active = _ACTIVE.get()
    return active[0] if active else DEFAULT_LIMITS


def remaining_s() -> float | None:
    """Seconds left before the current deadline (None: no deadline), e.g. for an OCR run."""
    active = _ACTIVE.get()
    if not active or active[1] == float("inf"):
        return None
    return max(0.0, active[1] - time.monotonic())


def check_deadline(where: str = "") -> None:
    """Raise :class:`LimitExceeded` when the current document is past its time limit."""
    active = _ACTIVE.get()
    if active and time.monotonic() > active[1]:
        raise LimitExceeded("timeout_s", f"stopped{' ' + where if where else ''}: the document took longer than "
                            f"the {active[0].timeout_s:g} s time limit (Limits.timeout_s, --timeout)")


def check_pages(n: int) -> None:
    cap = current().max_pages
    if cap is not None and n > cap:
        raise LimitExceeded("max_pages", f"the PDF has {n} pages, above the {cap} page limit "
                            "(Limits.max_pages, --max-pages)")


def decompressed_cap() -> int | None:
    """Bytes a reader may inflate from one document in total (None: no cap)."""
    cap = current().max_decompressed_mb
    return int(cap * MiB) if cap is not None else None


def too_much_decompressed(total: int) -> LimitExceeded:
    cap = current().max_decompressed_mb
    return LimitExceeded("max_decompressed_mb", f"the document expands to more than {format_size(int((cap or 0) * MiB))} "
                         "when decompressed (Limits.max_decompressed_mb, --max-decompressed)")


def format_size(n: float) -> str:
    """``102400`` → ``100 KiB``; ``1.5 * 2**20`` → ``1.5 MiB`` (never "0 MiB" for a small limit)."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{int(n)} bytes"


def parse_size(text: str) -> int:
    """``"50M"`` → 52428800, ``"100K"``, ``"2G"``, ``"1.5MiB"``; plain numbers are bytes."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    s = text.strip().lower().removesuffix("ib").removesuffix("b")
    if s and s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s)


def check_input_file(path: Path, limits: Limits | None = None) -> int:
    """Refuse what is not a regular file (devices, FIFOs, sockets) or is too large, before reading
    it: ``/dev/zero`` would be read until memory runs out, a FIFO would block for ever."""
    limits = limits or current()
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{path} is a directory")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device" if
                stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "a socket" if
                stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise InputError(f"{path} is {kind}, not a document file")
    check_input_size(st.st_size, limits)
    return st.st_size


def check_input_size(size: int, limits: Limits | None = None) -> None:
    cap = (limits or current()).max_input_mb
    if cap is not None and size > cap * MiB:
        raise LimitExceeded("max_input_mb", f"the file is {format_size(size)}, above the "
                            f"{format_size(cap * MiB)} input-size limit (Limits.max_input_mb, --max-file-size)")


# ----------------------------------------------------------------------------- child process part


def limit_memory(max_mb: int | None) -> None:
    """Cap this process's address space, so a document that needs more fails with MemoryError
    instead of dragging the machine into swap or the OOM killer (which might pick another process)."""
    if not max_mb:
        return
    import resource

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (max_mb * MiB, max_mb * MiB))


def own_process_group() -> None:
    """Lead a process group of its own, so that killing it (``killpg``) kills its children too
    (``tesseract``, ``pdftoppm``, ``antiword``), and a terminal's Ctrl-C reaches only the parent."""
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)


def kill_group(pid: int) -> None:
    """SIGKILL a child and every process of its group (see :func:`own_process_group`)."""
    import signal

    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


def exit_with_parent(parent_pid: int) -> None:
    """If the parent dies (SIGKILL leaves it no time to stop its children), kill this process's
    group, so that a parse that would run on for ever does not become an orphan."""
    import threading

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except (ProcessLookupError, PermissionError):  # gone, or the pid was reused
                import signal

                with contextlib.suppress(OSError):
                    os.killpg(0, signal.SIGKILL)
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="vbextract-parent-watch").start()


def forkserver_context():
    """The multiprocessing context of every vbextract child: a fork server that has imported
    vbextract and loaded its models once, so a child starts in milliseconds, warm, and safely
    even from a threaded parent (a web server, a Dask worker)."""
    import multiprocessing as mp

    if "forkserver" not in mp.get_all_start_methods():  # Windows
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["vbextract.pipeline", "vbextract.batch", "vbextract._forkserver_warm"])
    return ctx


def _child(conn, func: Callable[..., Any], args: tuple, limits: Limits, parent: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    own_process_group()
    exit_with_parent(parent)
    limit_memory(limits.max_memory_mb)
    try:
        conn.send(("ready",))  # the document's time starts now
        with applied(limits):
            payload: tuple = ("ok", func(*args))
    except MemoryError:
        payload = ("error", _memory_error(limits))
    except InputError as exc:
        payload = ("error", exc)
    except Exception as exc:  # a parser bug: still an InputError for the caller, with its cause
        payload = ("error", InputError(f"internal error: {type(exc).__name__}: {exc}"))
    try:
        conn.send(payload)
    except MemoryError:
        conn.send(("error", _memory_error(limits)))
    conn.close()


def _start_even_from_a_daemon(proc) -> None:
    """Dask (and other pools) run tasks in daemonic processes, which multiprocessing forbids to
    start children. The rule exists so that daemons do not leave orphans; this child cannot
    outlive its parent (:func:`exit_with_parent`, and it is killed in ``call_limited``)."""
    import multiprocessing as mp

    me = mp.current_process()
    config = getattr(me, "_config", {})
    was = config.get("daemon", False)
    config["daemon"] = False
    try:
        proc.start()
    finally:
        config["daemon"] = was


def _memory_error(limits: Limits) -> LimitExceeded:
    return LimitExceeded("max_memory_mb", f"the document needs more than the {limits.max_memory_mb} MiB "
                         "memory limit (Limits.max_memory_mb, --max-memory)")


def call_limited(func: Callable[..., Any], *args: Any, limits: Limits = DEFAULT_LIMITS,
                 context: str | None = None) -> Any:
    """``func(*args)`` in a child process that honours ``limits`` (``func`` and its arguments and
    result must pickle). Raises :class:`LimitExceeded` for the time and memory limits (the
    child's process group is killed) and :class:`~vbextract.errors.InputError` for what ``func``
    raised. ``context="fork"`` forks this process (instant, inherits loaded models; only for a
    single-threaded caller such as the CLI); the default is the fork server."""
    import multiprocessing as mp

    ctx: Any = mp.get_context(context) if context and context in mp.get_all_start_methods() else forkserver_context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, func, args, limits, os.getpid()), daemon=True)
    _start_even_from_a_daemon(proc)
    send.close()
    try:
        payload = _wait_for(recv, proc, limits)
    finally:
        kill_group(proc.pid)
        proc.join(5)
        recv.close()
    if payload[0] == "ok":
        return payload[1]
    raise payload[1]


def _parse_json(source: Any, kwargs: dict) -> str:
    from .pipeline import parse

    return parse(source, limits=current(), **kwargs).model_dump_json()


def parse_limited(source: str | bytes | Path, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None,
                  fmt: str | None = None, use_ml: bool = True, context: str | None = None) -> Any:
    """:func:`vbextract.parse` in a killable child process that honours ``limits``.

    Returns the :class:`~vbextract.document.Document`. Raises :class:`LimitExceeded` when the
    time or memory limit is hit (the child's whole process group is killed), and
    :class:`~vbextract.errors.InputError` for anything else that goes wrong.
    """
    from .document import Document

    if isinstance(source, Path):
        check_input_file(source, limits)
    payload = call_limited(_parse_json, source, {"name": name, "fmt": fmt, "use_ml": use_ml}, limits=limits,
                           context=context)
    return Document.model_validate_json(payload)


def _wait_for(recv, proc, limits: Limits) -> tuple:
    timeout = limits.timeout_s
    started = time.monotonic()
    try:
        # starting the child (importing vbextract) is not the document's time
        if recv.poll(STARTUP_ALLOWANCE) and recv.recv()[0] == "ready":
            started = time.monotonic()
    except EOFError:
        pass
    if not recv.poll(None if timeout is None else max(0.0, timeout - (time.monotonic() - started))):
        raise LimitExceeded("timeout_s", f"the document took longer than the {timeout:g} s time limit "
                            "(Limits.timeout_s, --timeout); its process was killed")
    try:
        return recv.recv()
    except EOFError:
        proc.join(5)
        code = proc.exitcode
        if code is not None and code < 0 and limits.max_memory_mb:
            return ("error", _memory_error(limits))
        return ("error", InputError(f"the parser process died (exit code {code}) after "
                                    f"{time.monotonic() - started:.1f} s"))


# ----------------------------------------------------------------------------- inputs that are not what they seem

_DOCUMENT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx", ".doc", ".rtf", ".html", ".htm",
                      ".xhtml", ".bin", ".odt", ".zip")


def looks_like_a_path(text: str) -> bool:
    """``"missing.pdf"``, ``"scans/cv 12.docx"``: a short one-line ``str`` ending in a document
    suffix is a path the caller mistyped, not a document to parse as text."""
    s = text.strip()
    return (0 < len(s) <= 1024 and "\n" not in s and s.lower().endswith(_DOCUMENT_SUFFIXES)
            and s.count(" ") <= 8)


def without_lone_surrogates(text: str) -> str:
    """Join surrogate pairs and replace lone surrogates by U+FFFD: a lone surrogate (from a
    ``str`` or from RTF/HTML that spells one) cannot be encoded, so the JSON could not be written."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
