"""legal_bases (being written)."""

from __future__ import annotations

from ..doc import Doc


def extract_legal_bases(doc: Doc) -> None:
    return None
