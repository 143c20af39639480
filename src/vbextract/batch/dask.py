"""Batches on a Dask cluster: :func:`run_dask` (``vbextract batch --scheduler``) and
:func:`parse_bag` (a ``dask.bag`` for your own pipeline). One implementation: both run
:func:`run_on_dask` on the workers, which honours the per-document time and memory limits by
parsing in a child process of the Dask worker (its process group is killed at the limit).
Parse archives on a Dask cluster: :func:`parse_bag`.

>>> from distributed import Client                                    # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                           # doctest: +SKIP
>>> bag = vbextract.dask.parse_bag(["/shared/archive/"])             # doctest: +SKIP
>>> bag.filter(vbextract.dask.is_parsed).map(vbextract.dask.to_record).to_textfiles(...)  # doctest: +SKIP

Every item of the bag is a *result* dict, one per unique content (or per failed input)::

    {"sha256": str | None, "locations": [{"path": str, "member": str | None}, …],
     "document": dict | None,   # Document.model_dump(mode="json")
     "warnings": int,
     "error": {"reason": str, "error_type": str, "stage": str} | None}

Inputs must be readable from every worker under the same name: a path on shared storage
(NFS, a mounted bucket) or an fsspec URL (``s3://bucket/prefix/``, needs the matching fsspec
backend on the workers). Folders are listed and files hashed *on the workers*; the client only
gathers the small (hash, location) list to find identical files, so each content is parsed once.
Archive members are read by the worker that parses them (zip members directly; a member of a
.tar.gz means decompressing the archive up to it, so prefer zip or unpacked folders for very
large tar archives). See ``docs/distributed.md``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .. import limits as doc_limits
from ..archive import DEFAULT_LIMITS, Entry, Limits, Problem, iter_disk_files, iter_file
from .manifest import BatchStats, Location, WorkItem
from .workers import Reply, WorkerConfig, WorkerStartError, peak_rss_kb, resolve_parser, run_item


def require_distributed():
    """``distributed`` or a clear message naming the extra to install."""
    try:
        import distributed
    except ImportError as exc:
        raise WorkerStartError("--scheduler needs Dask: pip install 'vbextract[dask]' "
                               f"(missing module: {exc.name})") from None
    return distributed


def run_dask(items: Iterator[WorkItem], scheduler: Any, config: WorkerConfig,
             stats: BatchStats) -> Iterator[tuple[WorkItem, Reply]]:
    """Run work items on a Dask cluster (``tcp://HOST:PORT`` or a ``distributed.Client``).

    Plain files are read by the workers from their own path (shared storage: the same path on
    every machine, or an fsspec URL); archive members travel as bytes. Dask's nanny restarts a
    worker that dies; a task that keeps killing workers fails with ``KilledWorker``.
    """
    distributed = require_distributed()
    client = scheduler if isinstance(scheduler, distributed.Client) else distributed.Client(scheduler)
    try:
        slots = max(2, 2 * sum(client.nthreads().values()))
        pending = distributed.as_completed()
        owner: dict[Any, WorkItem] = {}

        def submit() -> bool:
            item = next(items, None)
            if item is None:
                return False
            fut = client.submit(run_on_dask, item, config, pure=False,
                                key=f"vbextract-{item.sha256}-{time.monotonic_ns()}")
            owner[fut] = item
            pending.add(fut)
            return True

        for _ in range(slots):
            if not submit():
                break
        for fut in pending:
            item = owner.pop(fut)
            try:
                reply = fut.result()
            except Exception as exc:  # KilledWorker, lost connection …
                reply = Reply.failed(f"dask task failed: {type(exc).__name__}: {exc}", type(exc).__name__, "crash")
            if reply.status == "startup-failed":
                raise WorkerStartError(reply.reason)
            if reply.peak_rss_kb:
                stats.worker_peak_rss_kb = max(stats.worker_peak_rss_kb, reply.peak_rss_kb)
            yield item, reply
            submit()
    finally:
        if client is not scheduler:
            client.close()


_PARSERS: dict[str | None, Any] = {}


def _parser(config: WorkerConfig):
    fn = _PARSERS.get(config.parser)
    if fn is None:  # once per worker process: loaded models stay for the next documents
        fn = _PARSERS[config.parser] = resolve_parser(config.parser)
    return fn


def run_on_dask(item: WorkItem, config: WorkerConfig) -> Reply:
    """Runs on a Dask worker: one document, within its time and memory limits."""
    limits = config.doc_limits
    if limits.timeout_s or config.max_memory:
        if config.max_memory:
            limits = limits.with_(max_memory_mb=config.max_memory // doc_limits.MiB)
        try:
            reply = doc_limits.call_limited(_run_in_child, item, config, limits=limits)
        except doc_limits.LimitExceeded as exc:
            kind = {"timeout_s": ("Timeout", "timeout"), "max_memory_mb": ("MemoryError", "limit")}
            error_type, stage = kind.get(exc.limit, ("LimitExceeded", "limit"))
            reply = Reply.failed(str(exc), error_type, stage)
        except Exception as exc:  # the child died: that document only
            reply = Reply.failed(f"{type(exc).__name__}: {exc}", type(exc).__name__, "crash")
        return _with_rss(reply)
    try:
        parse_fn = _parser(config)
    except Exception as exc:
        return Reply("startup-failed", reason=f"cannot load the parser {config.parser!r} on a Dask worker: "
                     f"{type(exc).__name__}: {exc}", peak_rss_kb=peak_rss_kb())
    return _with_rss(run_item(parse_fn, item, config))


def _run_in_child(item: WorkItem, config: WorkerConfig) -> Reply:
    try:
        parse_fn = _parser(config)
    except Exception as exc:
        return Reply("startup-failed", reason=f"cannot load the parser {config.parser!r} on a Dask worker: "
                     f"{type(exc).__name__}: {exc}")
    return run_item(parse_fn, item, config)


def _with_rss(reply: Reply) -> Reply:
    from dataclasses import replace

    return replace(reply, peak_rss_kb=peak_rss_kb())


def _result(sha: str | None, locations: Sequence[Location], reply: Reply) -> dict:
    locs = [loc.as_dict() for loc in locations]
    if reply.status == "ok" and reply.record is not None:
        record = json.loads(reply.record)
        record.pop("locations", None)
        return {"sha256": record["source"]["sha256"] or sha, "locations": locs, "document": record,
                "warnings": reply.warnings, "error": None}
    return {"sha256": sha, "locations": locs, "document": None, "warnings": 0,
            "error": {"reason": reply.reason, "error_type": reply.error_type, "stage": reply.stage}}


def is_parsed(result: dict) -> bool:
    return result.get("error") is None


def to_record(result: dict) -> dict:
    """A parsed result as a batch record (the JSONL line shape: Document fields + locations)."""
    return {**result["document"], "locations": result["locations"]}


def to_document(result: dict):
    from ..document import Document

    return Document.model_validate(result["document"])


def parse_bag(paths_or_bag: Any, *, use_ml: bool = True, limits: Limits = DEFAULT_LIMITS,
              parser: str | None = None, npartitions: int | None = None, dedupe: bool = True,
              document_limits: doc_limits.Limits = doc_limits.DEFAULT_LIMITS):
    """A ``dask.bag.Bag`` of result dicts for files, folders and archives.

    Args:
        paths_or_bag: paths/URLs (list or one string), or a ``dask.bag.Bag`` of them. With a
            list and ``dedupe=True`` the hashing step runs right away (on the cluster) so that
            identical contents are parsed once; the parse step stays lazy. A Bag input is
            processed lazily file by file, without de-duplication across files.
        npartitions: partitions of the parse step (default: about 4 documents per partition
            up to 1,000 partitions).
        parser: ``"module:function"`` instead of :func:`vbextract.parse` (must import on workers).
        document_limits: per-document time and memory limits (:class:`vbextract.limits.Limits`).
    """
    import dask.bag as db

    config = WorkerConfig(use_ml=use_ml, parser=parser, limits=limits, doc_limits=document_limits)
    if isinstance(paths_or_bag, db.Bag):
        return paths_or_bag.map(_parse_file, config).flatten()
    paths = [paths_or_bag] if isinstance(paths_or_bag, str) else list(paths_or_bag)
    files, problems = _expand(paths)
    if not dedupe:
        parsed = (db.from_sequence(files, npartitions=_parts(len(files), npartitions)).map(_parse_file, config)
                  .flatten() if files else None)
        return _concat(parsed, problems)
    hashed = (db.from_sequence(files, npartitions=_parts(len(files), None)).map(_hash_file, limits).flatten()
              .compute() if files else [])
    groups, scan_problems = _group(hashed)
    parsed = (db.from_sequence(groups, npartitions=_parts(len(groups), npartitions)).map(_parse_group, config)
              if groups else None)
    return _concat(parsed, problems + scan_problems)


def _concat(bag, extra: list[dict]):
    import dask.bag as db

    parts = [b for b in (bag, db.from_sequence(extra, npartitions=1) if extra else None) if b is not None]
    if not parts:
        return db.from_sequence([], npartitions=1)
    return parts[0] if len(parts) == 1 else db.concat(parts)


def _parts(n: int, wanted: int | None) -> int:
    return max(1, wanted or min(1000, (n + 3) // 4))


def _expand(paths: Sequence[str]) -> tuple[list[str], list[dict]]:
    """Top-level files to process (folders listed here, on the client) and problems."""
    files: list[str] = []
    problems: list[dict] = []
    local = [p for p in paths if "://" not in str(p)]
    for item in iter_disk_files(local):
        if isinstance(item, Problem):
            problems.append(_problem_result(item))
        else:
            files.append(item.path)
    for url in (p for p in paths if "://" in str(p)):
        files.extend(_expand_url(url))
    return files, problems


def _expand_url(url: str) -> list[str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if any(ch in root for ch in "*?["):
        found = fs.glob(root)
    elif fs.isdir(root):
        found = fs.find(root)
    else:
        found = [root]
    return sorted(fs.unstrip_protocol(f) for f in found)


def _problem_result(problem: Problem, sha: str | None = None, index: int | None = None) -> dict:
    return {"sha256": sha, "locations": [Location(problem.path, problem.member, index).as_dict()], "document": None,
            "warnings": 0, "error": {"reason": problem.reason, "error_type": problem.error_type, "stage": "scan"}}


def _entries(path: str, limits: Limits) -> Iterable[tuple[int | None, Entry | Problem]]:
    """The items of one top-level file with their positions (see :class:`Location`)."""
    return ((i if item.member is not None else None, item) for i, item in enumerate(_items(path, limits)))


def _items(path: str, limits: Limits) -> Iterable[Entry | Problem]:
    if "://" in path:
        from ..archive import looks_like_archive

        entry = Entry(path, None, 0)
        if looks_like_archive(b"", path):
            return [Problem(path, None, "archives on remote storage are not opened; unpack them to shared "
                            "storage or copy them to a local path", "RemoteArchive")]
        return [entry]
    import os

    return iter_file(Entry(path, None, os.path.getsize(path)), limits)


def _hash_file(path: str, limits: Limits) -> list[dict]:
    """Runs on a worker: (sha256, location) of every document in one top-level file."""
    import hashlib

    from ..archive import _open_bytes

    out: list[dict] = []
    for index, item in _entries(path, limits):
        if isinstance(item, Problem):
            out.append({"problem": _problem_result(item, index=index)})
            continue
        try:
            sha = hashlib.sha256(_open_bytes(path)).hexdigest() if "://" in path else item.sha256()
        except OSError as exc:
            out.append({"problem": _problem_result(Problem(path, item.member, f"cannot read: {exc}",
                                                           type(exc).__name__), index=index)})
            continue
        out.append({"sha256": sha, **Location(item.path, item.member, index).as_dict()})
    return out


def _group(hashed: list[dict]) -> tuple[list[tuple[str, list[dict]]], list[dict]]:
    by_sha: dict[str, list[dict]] = {}
    problems = []
    for h in hashed:
        if "problem" in h:
            problems.append(h["problem"])
            continue
        locs = by_sha.setdefault(h["sha256"], [])
        loc = {k: v for k, v in h.items() if k != "sha256"}
        if loc not in locs:
            locs.append(loc)
    return list(by_sha.items()), problems


def _parse_group(group: tuple[str, list[dict]], config: WorkerConfig) -> dict:
    sha, locs = group
    locations = tuple(Location(loc["path"], loc["member"], loc.get("index")) for loc in locs)
    return _result(sha, locations, run_on_dask(WorkItem(sha, locations), config))


def _parse_file(path: str, config: WorkerConfig) -> list[dict]:
    """Every document in one top-level file (no de-duplication across files)."""
    import hashlib

    from ..archive import _open_bytes

    out = []
    for index, item in _entries(path, config.limits):
        if isinstance(item, Problem):
            out.append(_problem_result(item, index=index))
            continue
        data = _open_bytes(path) if "://" in path else item.read()
        sha = hashlib.sha256(data).hexdigest()
        work = WorkItem(sha, (Location(item.path, item.member, index),), data)
        out.append(_result(sha, work.locations, run_on_dask(work, config)))
    return out


