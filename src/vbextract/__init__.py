"""vbextract: structured JSON from Vietnamese administrative documents.

>>> import vbextract
>>> doc = vbextract.parse("ỦY BAN NHÂN DÂN\\nTỈNH KIÊN GIANG\\nSố: 403/UBND-KGVX\\nV/v triển khai")
>>> doc.header.number, doc.header.symbol, doc.header.doc_type
('403', 'UBND-KGVX', 'Công văn')
"""

from __future__ import annotations

from .document import SCHEMA_VERSION, Document, json_schema
from .errors import InputError, VbextractError
from .pipeline import parse, parse_text

__version__ = "0.1.0"


def schema() -> dict:
    """The JSON Schema of the output :class:`Document`."""
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
    "schema",
    "to_dataset",
]
