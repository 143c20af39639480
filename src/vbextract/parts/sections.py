"""sections (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_sections(doc: Doc) -> None:
    return None
