"""recipients (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_recipients(doc: Doc) -> None:
    return None
