"""kind (being written)."""

from __future__ import annotations

from ..doc import Doc


def classify_kind(doc: Doc) -> None:
    return None
