"""Parse archives on a Dask cluster: :func:`parse_bag`.

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
from collections.abc import Iterable, Sequence
from typing import Any

from .archive import DEFAULT_LIMITS, Entry, Limits, Problem, iter_disk_files, iter_file
from .batch import Location, Task, WorkerConfig, run_task


def is_parsed(result: dict) -> bool:
    return result.get("error") is None


def to_record(result: dict) -> dict:
    """A parsed result as a batch record (the JSONL line shape: Document fields + locations)."""
    return {**result["document"], "locations": result["locations"]}


def to_document(result: dict):
    from .document import Document

    return Document.model_validate(result["document"])


def parse_bag(paths_or_bag: Any, *, use_ml: bool = True, limits: Limits = DEFAULT_LIMITS,
              parser: str | None = None, npartitions: int | None = None, dedupe: bool = True):
    """A ``dask.bag.Bag`` of result dicts for files, folders and archives.

    Args:
        paths_or_bag: paths/URLs (list or one string), or a ``dask.bag.Bag`` of them. With a
            list and ``dedupe=True`` the hashing step runs right away (on the cluster) so that
            identical contents are parsed once; the parse step stays lazy. A Bag input is
            processed lazily file by file, without de-duplication across files.
        npartitions: partitions of the parse step (default: about 4 documents per partition
            up to 1,000 partitions).
        parser: ``"module:function"`` instead of :func:`vbextract.parse` (must import on workers).
    """
    import dask.bag as db

    config = WorkerConfig(use_ml=use_ml, parser=parser, limits=limits)
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


def _problem_result(problem: Problem, sha: str | None = None) -> dict:
    return {"sha256": sha, "locations": [{"path": problem.path, "member": problem.member}], "document": None,
            "warnings": 0, "error": {"reason": problem.reason, "error_type": problem.error_type, "stage": "scan"}}


def _entries(path: str, limits: Limits) -> Iterable[Entry | Problem]:
    if "://" in path:
        from .archive import looks_like_archive

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

    from .archive import _open_bytes

    out: list[dict] = []
    for item in _entries(path, limits):
        if isinstance(item, Problem):
            out.append({"problem": _problem_result(item)})
            continue
        try:
            sha = hashlib.sha256(_open_bytes(path)).hexdigest() if "://" in path else item.sha256()
        except OSError as exc:
            out.append({"problem": _problem_result(Problem(path, item.member, f"cannot read: {exc}",
                                                           type(exc).__name__))})
            continue
        out.append({"sha256": sha, "path": item.path, "member": item.member})
    return out


def _group(hashed: list[dict]) -> tuple[list[tuple[str, list[dict]]], list[dict]]:
    by_sha: dict[str, list[dict]] = {}
    problems = []
    for h in hashed:
        if "problem" in h:
            problems.append(h["problem"])
            continue
        locs = by_sha.setdefault(h["sha256"], [])
        loc = {"path": h["path"], "member": h["member"]}
        if loc not in locs:
            locs.append(loc)
    return list(by_sha.items()), problems


_PARSERS: dict[str | None, Any] = {}


def _parser(config: WorkerConfig):
    from .batch import _resolve_parser

    fn = _PARSERS.get(config.parser)
    if fn is None:  # once per worker process: loaded models stay for the next documents
        fn = _PARSERS[config.parser] = _resolve_parser(config.parser)
    return fn


def _parse_group(group: tuple[str, list[dict]], config: WorkerConfig) -> dict:
    sha, locs = group
    locations = tuple(Location(loc["path"], loc["member"]) for loc in locs)
    return _result(sha, locations, run_task(_parser(config), Task(sha, locations, None), config))


def _parse_file(path: str, config: WorkerConfig) -> list[dict]:
    """Every document in one top-level file (no de-duplication across files)."""
    import hashlib

    from .archive import _open_bytes

    out = []
    for item in _entries(path, config.limits):
        if isinstance(item, Problem):
            out.append(_problem_result(item))
            continue
        data = _open_bytes(path) if "://" in path else item.read()
        sha = hashlib.sha256(data).hexdigest()
        task = Task(sha, (Location(item.path, item.member),), data)
        out.append(_result(sha, task.locations, run_task(_parser(config), task, config)))
    return out


def _result(sha: str | None, locations: Sequence[Location], reply: tuple) -> dict:
    locs = [loc.as_dict() for loc in locations]
    if reply[0] == "ok":
        record = json.loads(reply[1])
        record.pop("locations", None)
        return {"sha256": record["source"]["sha256"] or sha, "locations": locs, "document": record,
                "warnings": reply[2], "error": None}
    return {"sha256": sha, "locations": locs, "document": None, "warnings": 0,
            "error": {"reason": reply[1], "error_type": reply[2], "stage": reply[3]}}
