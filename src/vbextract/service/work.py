"""What the service runs outside FastAPI: its configuration and the parse in a child process.

Each document is parsed by :func:`vbextract.limits.call_limited` in a child process started
from vbextract's fork server (models already loaded), in its own process group, under the
per-document :class:`~vbextract.limits.Limits`: past the time limit the child and everything it
started (``tesseract`` …) are killed and the request answers with the limit's message. This
module imports nothing heavy, so a child that unpickles :func:`parse_json` pays nothing for the
web stack.
"""

from __future__ import annotations

import os
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


def parse_in_child(data: bytes, *, name: str | None = None, fmt: str | None = None, use_ml: bool = True,
                   ocr_pages: int | None = None, limits: doc_limits.Limits = doc_limits.DEFAULT_LIMITS) -> str:
    """The JSON of one document parsed in a killable child process; raises only
    :class:`~vbextract.errors.InputError` (:class:`~vbextract.limits.LimitExceeded` for a limit)."""
    doc_limits.check_input_size(len(data), limits)
    return str(doc_limits.call_limited(parse_json, data, name, fmt, use_ml, ocr_pages, limits=limits))


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
