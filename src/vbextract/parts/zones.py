"""zones (being written)."""

from __future__ import annotations

from ..doc import Doc


def segment(doc: Doc) -> None:
    return None
