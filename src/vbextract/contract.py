"""The contract with consumers of vbextract records: who wrote a record, and reading one back.

Every :class:`~vbextract.document.Document` carries a ``generator`` block that says what produced
it: the vbextract version, the schema version with a minor version (a minor adds fields and never
renames or drops one), a fingerprint of the rules (the grammars and the parts that apply them),
the version of each statistical model, and whether the statistical components ran.

The library's own models are strict (``Document.model_validate`` refuses unknown fields), so a
mistake in vbextract itself cannot go unnoticed. Consumers reading records written by another
version use :func:`read_document`, which is lenient within a major version:

* unknown fields (added by a newer minor) are ignored;
* a newer minor is accepted with a :class:`RecordVersionWarning`;
* another major version is refused with :class:`RecordVersionError`.

:func:`deadline_id` and :func:`task_uid` derive identifiers from content, so the same document
parsed twice gives the same ids, and an unrelated change elsewhere in the text does not move them.
"""

from __future__ import annotations

import hashlib
import json
import types
import typing
import warnings
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from ._meta import SCHEMA_VERSION, __version__

if TYPE_CHECKING:
    from .document import Deadline, Document, Generator, Task

# Minor version of schema 1. 1: ``generator``; Task.units/parent_id/section_id/deadline_refs; Deadline.id.
# 2: Document.notices (warnings as data), Header.ref. 3: Header/Signature.provenance, Source.recovered.
SCHEMA_MINOR = 3
# Version of the rules (grammars and the parts that apply them) within a vbextract version: bump it
# with a rule change that alters outputs between releases (the golden files show when). Records carry
# this declared version, not :func:`rules_fingerprint`: a hash of the sources would change the golden
# files with every edit of a rule file, even one that changes no output.
RULES_VERSION = "1"

_PACKAGE = Path(__file__).resolve().parent
# What "the rules" are for the fingerprint: the grammars and the parts that apply them.
_RULE_DIRS = ("grammars", "parts")


class RecordVersionError(ValueError):
    """A record of another major schema version (or not a vbextract record at all)."""


class RecordVersionWarning(UserWarning):
    """A record of a newer minor schema version: read, with its unknown fields ignored."""


# --------------------------------------------------------------------------- generator


@cache
def rules_fingerprint() -> str:
    """``sha256:<12 hex>`` over the rule sources (``grammars/``, ``parts/``), in a fixed order: tells two
    checkouts of the same version apart (not written into records; see :data:`RULES_VERSION`)."""
    h = hashlib.sha256()
    for sub in _RULE_DIRS:
        for path in sorted((_PACKAGE / sub).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".yml", ".json"):
                h.update(path.relative_to(_PACKAGE).as_posix().encode())
                h.update(b"\0")
                h.update(path.read_bytes().replace(b"\r\n", b"\n"))
                h.update(b"\0")
    return "sha256:" + h.hexdigest()[:12]


@cache
def model_versions() -> dict[str, str]:
    """``{model name: version}`` of the statistical models shipped in ``vbextract/models``."""
    out: dict[str, str] = {}
    for meta in sorted((_PACKAGE / "models").glob("*/meta.json")):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        out[str(data.get("name") or meta.parent.name)] = str(data.get("version", "?"))
    return out


def current_generator(ml: bool | None = None) -> Generator:
    """The ``generator`` block of a record written now. ``ml``: whether the statistical
    components ran (None: the caller did not say)."""
    from .document import Generator

    return Generator(version=__version__, schema_version=SCHEMA_VERSION, schema_minor=SCHEMA_MINOR,
                     rules=RULES_VERSION, models=model_versions(), ml=ml)


# --------------------------------------------------------------------------- stable ids


def _key(text: str | None) -> str:
    """Text as an id ingredient: folded (case, tone placement), whitespace collapsed."""
    from .normalize import fold

    return " ".join(fold(text or "").split())


def _digest(*parts: object, n: int = 12) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:n]


def deadline_id(deadline: Deadline | dict, task_id: str | None) -> str:
    """``dl-<12 hex>`` from the deadline's words, its kind and dates, and the id of its task
    (None for a deadline of the whole document). Offsets are not used, so text added elsewhere
    does not change it."""
    d = deadline if isinstance(deadline, dict) else deadline.model_dump()
    return "dl-" + _digest(_key(d.get("text")), d.get("kind"), d.get("date"), d.get("start"), d.get("end"),
                           task_id or "")


def document_key(doc: Document) -> str:
    """What identifies a document independently of its exact text: issuer, number/symbol and date
    from the header; the content hash only when the header has none of these."""
    h = doc.header
    if h.number or h.symbol:
        return _digest(_key(h.issuer), _key(h.number), _key(h.symbol), h.date, n=16)
    return (doc.source.sha256 or hashlib.sha256(doc.text.encode("utf-8", "surrogatepass")).hexdigest())[:16]


def task_uids(doc: Document) -> dict[int, str]:
    """``{index in doc.tasks: "t-<12 hex>"}`` from the document key and the task's words (and the
    occurrence, when the same words come twice). Neither positions nor the task's number are used:
    an item inserted before it, or a typo fixed in another task, leaves the id as it was."""
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    dkey = document_key(doc)
    for i, task in enumerate(doc.tasks):
        words = _key(task.text)
        n = seen.get(words, 0)
        seen[words] = n + 1
        out[i] = "t-" + _digest(dkey, words, n)
    return out


def task_uid(doc: Document, task: Task) -> str:
    """The stable id of one task of ``doc`` (see :func:`task_uids`)."""
    for i, t in enumerate(doc.tasks):
        if t is task:
            return task_uids(doc)[i]
    raise ValueError("the task is not one of the document's tasks")


# --------------------------------------------------------------------------- lenient reading


def _non_none(annotation: Any) -> Any:
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _prune(value: Any, annotation: Any, dropped: list[str], where: str) -> Any:
    """``value`` with the keys that ``annotation``'s models do not define removed (recursively)."""
    from pydantic import BaseModel

    tp = _non_none(annotation)
    origin = get_origin(tp)
    if isinstance(tp, type) and issubclass(tp, BaseModel) and isinstance(value, dict):
        out = {}
        for k, v in value.items():
            info = tp.model_fields.get(k)
            if info is None:
                dropped.append(f"{where}.{k}" if where else k)
                continue
            out[k] = _prune(v, info.annotation, dropped, f"{where}.{k}" if where else k)
        return out
    if origin is list and isinstance(value, list):
        item = get_args(tp)[0]
        return [_prune(v, item, dropped, f"{where}[]") for v in value]
    if origin is dict and isinstance(value, dict):
        item = get_args(tp)[1]
        return {k: _prune(v, item, dropped, f"{where}{{}}") for k, v in value.items()}
    return value


def _schema_of(data: dict) -> tuple[str, int]:
    """(major, minor) of a record: ``generator.schema_minor`` when present, else minor 0."""
    major = str(data.get("schema_version", ""))
    gen = generator_of(data) or {}
    try:
        minor = int(gen.get("schema_minor", 0))
    except (TypeError, ValueError):
        minor = 0
    return major, minor


def read_document(data: str | bytes | dict, *, source: str | None = None) -> Document:
    """A :class:`Document` from a record (JSON text, bytes, or a parsed dict) written by any
    vbextract of the same major schema version.

    Unknown fields are ignored; a newer minor version is accepted with a
    :class:`RecordVersionWarning`; another major version raises :class:`RecordVersionError`.
    A record without a ``generator`` block (written before minor 1) reads with ``generator=None``.
    ``locations`` (added by ``vbextract batch``) is not part of the document and is dropped.
    """
    from .document import Document

    if isinstance(data, (str, bytes)):
        data = json.loads(data)
    if not isinstance(data, dict):
        raise RecordVersionError(f"{source or 'record'}: not a vbextract record (a JSON object expected)")
    major, minor = _schema_of(data)
    if major != SCHEMA_VERSION:
        raise RecordVersionError(
            f"{source or 'record'}: schema version {major or '(none)'} cannot be read by vbextract "
            f"{__version__} (schema {SCHEMA_VERSION}.x); parse the document again with this version")
    if minor > SCHEMA_MINOR:
        gen = data.get("generator") or {}
        warnings.warn(
            f"{source or 'record'}: written by vbextract {gen.get('version', '?')} with schema "
            f"{major}.{minor}, newer than this vbextract's {SCHEMA_VERSION}.{SCHEMA_MINOR}; "
            "fields this version does not know are ignored", RecordVersionWarning, stacklevel=2)
    fields = {k: v for k, v in data.items() if k != "locations"}
    dropped: list[str] = []
    fields = _prune(fields, Document, dropped, "")
    fields.setdefault("generator", None)
    return Document.model_validate(fields)


def generator_of(record: dict) -> dict | None:
    """The ``generator`` block of a raw record, or None when it has none (written before it existed)."""
    gen = record.get("generator")
    return gen if isinstance(gen, dict) else None


def version_label(record: dict) -> str:
    """``"vbextract 0.1.0"`` or ``"a vbextract without a generator block"`` for messages."""
    gen = generator_of(record)
    return f"vbextract {gen.get('version', '?')}" if gen else "an older vbextract (no generator block)"


__all__ = [
    "RULES_VERSION",
    "SCHEMA_MINOR",
    "RecordVersionError",
    "RecordVersionWarning",
    "current_generator",
    "deadline_id",
    "document_key",
    "generator_of",
    "model_versions",
    "read_document",
    "rules_fingerprint",
    "task_uid",
    "task_uids",
    "version_label",
]
