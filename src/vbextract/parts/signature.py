"""signature (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_signature(doc: Doc) -> None:
    return None
