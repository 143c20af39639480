"""vbextract: structured JSON from Vietnamese administrative documents.

>>> import vbextract
>>> doc = vbextract.parse("ỦY BAN NHÂN DÂN\\nTỈNH KIÊN GIANG\\nSố: 403/UBND-KGVX\\nV/v triển khai")
>>> doc.header.number, doc.header.symbol, doc.header.doc_type
('403', 'UBND-KGVX', 'Công văn')

Importing the package loads nothing heavy: the parser, its patterns and the pydantic models are
imported on first use of the names below (``vbextract --version`` starts in a few milliseconds
after Python itself).
"""

from __future__ import annotations

import importlib

from ._meta import SCHEMA_VERSION, __version__

# ``typing`` itself is not imported: in a fresh interpreter it costs more than the rest of this
# module (about 15 ms of the 16 measured in a clean venv).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .contract import read_document
    from .document import Document
    from .errors import InputError, VbextractError
    from .pipeline import parse, parse_text

# name → module that defines it, imported when the name is first used
_LAZY = {
    "Document": "document",
    "json_schema": "document",
    "InputError": "errors",
    "VbextractError": "errors",
    "parse": "pipeline",
    "parse_text": "pipeline",
    "read_document": "contract",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vbextract' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def schema() -> dict:
    """The JSON Schema of the output :class:`Document`."""
    from .document import json_schema

    return json_schema()


def parse_many(paths, jobs=None, **kwargs):
    """Parse many inputs in worker processes, yielding results as they finish (see ``batch``)."""
    from .batch import parse_many as _parse_many

    return _parse_many(paths, jobs=jobs, **kwargs)


def to_dataset(documents):
    """Build a ``datasets.Dataset`` with one explicit schema from documents (see ``dataset``)."""
    from .dataset import to_dataset as _to_dataset

    return _to_dataset(documents)


__all__ = [
    "SCHEMA_VERSION",
    "Document",
    "InputError",
    "VbextractError",
    "__version__",
    "parse",
    "parse_many",
    "parse_text",
    "read_document",
    "schema",
    "to_dataset",
]
