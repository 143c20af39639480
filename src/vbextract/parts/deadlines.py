"""deadlines (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_deadlines(doc: Doc) -> None:
    return None
