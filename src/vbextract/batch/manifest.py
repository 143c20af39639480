"""The scan: what the inputs hold, where each content lives, and the results of one batch.

Every input found is either a location of some content (hashed once, so identical files are
parsed once and listed under every path) or a failure result (an unsafe member, an unsupported
file …). A location is told apart by *where* it is — path, member name **and** its position in
the archive — because member names are not unique: a zip may hold three different ``report.txt``
(duplicate names are legal), or a member literally named ``a.zip!/b.txt`` beside an ``a.zip``
holding ``b.txt``. The position (``index``: the n-th item of the top-level file, problems
included) makes each one a location of its own, so none of them is lost.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..archive import DEFAULT_LIMITS, Entry, Limits, Problem, iter_disk_files, iter_file
from ..document import Document


@dataclass(frozen=True)
class Location:
    """Where one copy of a document was found: a file, or a member of an archive file.

    ``index`` is the member's position among the items of the top-level file (None for a plain
    file): two members with the same name are two locations.
    """

    path: str
    member: str | None = None
    index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "member": self.member}
        if self.index is not None:
            out["index"] = self.index
        return out

    @property
    def key(self) -> tuple[str, str | None, int | None]:
        return (self.path, self.member, self.index)


def location_key(loc: dict[str, Any]) -> tuple[str, str | None, int | None]:
    """The identity of a location stored in a record or an errors line."""
    return (loc.get("path", ""), loc.get("member"), loc.get("index"))


@dataclass(frozen=True)
class Failure:
    reason: str
    error_type: str
    stage: str  # "scan" (walking/archives), "read", "parse", "timeout", "crash", "limit"


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
        return [{**loc.as_dict(), "sha256": self.sha256, "reason": self.error.reason,
                 "error_type": self.error.error_type, "stage": self.error.stage} for loc in self.locations]


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

    @property
    def accounted(self) -> int:
        return self.parsed + self.with_warnings + self.failed

    def summary(self) -> str:
        lines = [f"{self.inputs} inputs: {self.parsed} parsed, {self.with_warnings} parsed with warnings, "
                 f"{self.failed} failed ({self.accounted} accounted for; {self.unique} unique documents"
                 + (f", {self.resumed} done in an earlier run" if self.resumed else "") + ")"]
        if self.failure_types:
            lines.append("failures: " + ", ".join(f"{k} {v}" for k, v in sorted(self.failure_types.items())))
        return "\n".join(lines)


@dataclass
class Manifest:
    """What the scan found: content hashes in first-seen order, where each one lives, problems."""

    locations: dict[str, list[Location]] = field(default_factory=dict)
    sha_of: dict[Location, str] = field(default_factory=dict)
    files: list[Entry] = field(default_factory=list)  # top-level files on disk, in walk order
    problems: list[BatchResult] = field(default_factory=list)

    @property
    def inputs(self) -> int:
        return len(self.sha_of) + len(self.problems)

    def add(self, sha: str, loc: Location) -> None:
        if loc in self.sha_of:  # the same path named twice on the command line
            return
        self.sha_of[loc] = sha
        self.locations.setdefault(sha, []).append(loc)


def indexed_items(disk: Entry, limits: Limits) -> Iterator[tuple[Location, Entry | Problem]]:
    """The items of one top-level file with their locations (the same order on every pass)."""
    for i, item in enumerate(iter_file(disk, limits)):
        yield Location(item.path, item.member, i if item.member is not None else None), item


def scan(inputs: Iterable[str | os.PathLike], limits: Limits = DEFAULT_LIMITS,
         on_item: Callable[[], None] | None = None) -> Manifest:
    """Walk and hash every input (reads each document once; no parsing)."""
    manifest = Manifest()
    for disk in iter_disk_files(inputs):
        if isinstance(disk, Problem):
            manifest.problems.append(problem_result(disk))
            continue
        manifest.files.append(disk)
        for loc, item in indexed_items(disk, limits):
            if isinstance(item, Problem):
                manifest.problems.append(problem_result(item, loc))
            else:
                try:
                    manifest.add(item.sha256(), loc)
                except OSError as exc:
                    manifest.problems.append(problem_result(
                        Problem(item.path, item.member, f"cannot read: {exc.strerror or exc}",
                                type(exc).__name__), loc))
            if on_item:
                on_item()
    return manifest


def problem_result(problem: Problem, loc: Location | None = None) -> BatchResult:
    return BatchResult(None, [loc or Location(problem.path, problem.member)],
                       error=Failure(problem.reason, problem.error_type, "scan"))


@dataclass(frozen=True)
class WorkItem:
    """One content to parse, with every location it was found at.

    ``data`` holds an archive member's bytes while the item is in this process; the local pool
    spools them to ``spool`` (a private temporary file) before the item goes to a worker, so the
    pipe to a worker only ever carries small messages. Neither set: the worker reads
    ``locations[0]`` itself.
    """

    sha256: str
    locations: tuple[Location, ...]
    data: bytes | None = None
    spool: str | None = None

    @property
    def name(self) -> str:
        first = self.locations[0]
        return first.member.rsplit("!/", 1)[-1] if first.member else first.path


def iter_work(manifest: Manifest, todo: set[str], limits: Limits) -> Iterator[WorkItem | BatchResult]:
    """Second pass: yield one work item per content hash in ``todo``, reading bytes lazily.

    A hash that can no longer be found (file deleted or changed since the scan) comes back as
    a failed result, so it is still accounted for.
    """
    wanted_files = {manifest.locations[sha][0].path for sha in todo}
    sent: set[str] = set()
    for disk in manifest.files:
        if disk.path not in wanted_files:
            continue
        for loc, item in indexed_items(disk, limits):
            if isinstance(item, Problem):
                continue
            sha = manifest.sha_of.get(loc)
            if sha is None or sha not in todo or sha in sent:
                continue
            sent.add(sha)
            yield WorkItem(sha, tuple(manifest.locations[sha]), item.data)
    for sha in todo - sent:
        yield BatchResult(sha, manifest.locations[sha],
                          error=Failure("input changed or disappeared between scan and parse",
                                        "InputChanged", "read"))
