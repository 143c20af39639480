"""distribution (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_distribution(doc: Doc) -> None:
    return None
