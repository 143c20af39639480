"""header (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_header(doc: Doc) -> None:
    return None
