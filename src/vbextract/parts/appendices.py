"""appendices (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_appendices(doc: Doc) -> None:
    return None
