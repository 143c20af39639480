"""Plain text and markdown: decode the bytes, detect legacy encodings, find Markdown tables."""

from __future__ import annotations

from ..document import Source
from .base import ReadResult
from .tables import markdown_tables


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode with BOM sniffing, then UTF-8, then cp1258 (Windows Vietnamese)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_text(data: bytes) -> ReadResult:
    """Plain text and Markdown; Markdown tables (pipe rows, converted pages' bar lines) are handed
    over as structure while the text stays exactly as the file has it."""
    result = _read_text(data)
    if "|" in result.text:
        result.blocks = markdown_tables(result.text)
    return result


def _read_text(data: bytes) -> ReadResult:
    text, encoding = decode_bytes(data)
    source = Source(encoding=encoding)  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    warnings: list[str] = []
    try:
        from ..legacy import convert_if_legacy
    except ImportError:  # the legacy module arrives with the format readers
        return ReadResult(text, source, warnings)
    if encoding in ("cp1258", "latin-1"):
        # 8-bit legacy files: TCVN3/VNI tables are written for the Latin-1 look-alikes of the bytes
        # (cp1258 would turn some of them into combining marks)
        _, legacy = convert_if_legacy(data.decode("latin-1"))
        if legacy:
            text = data.decode("latin-1")
            source.encoding = "latin-1"
    converted, legacy = convert_if_legacy(text)
    if legacy:
        source.legacy_conversion = legacy
        warnings.append(f"text was in the legacy {legacy.upper()} encoding and was converted to Unicode")
        text = converted
    return ReadResult(text, source, warnings)
