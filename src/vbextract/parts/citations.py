"""citations (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_citations(doc: Doc) -> None:
    return None
