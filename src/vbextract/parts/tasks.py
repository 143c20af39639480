"""tasks (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_tasks(doc: Doc) -> None:
    return None
