"""Readers turn input bytes into text (plus layout hints) for the pipeline.

Every reader returns a :class:`ReadResult`. Its ``text`` is what the normalizer receives; spans
of the final document map back into it through ``Source.offset_map``. Tables come as structure
in ``blocks`` (see :mod:`.tables`), never as prose written into ``text``. Readers never raise on bad
content: they raise :class:`~vbextract.errors.InputError` with a specific, plain message when
nothing can be read, and otherwise return what they could with warnings.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError
from .base import ReadResult

FORMATS = ("txt", "md", "pdf", "docx", "doc", "rtf", "html")
_EXT = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx",
    ".doc": "doc", ".rtf": "rtf", ".html": "html", ".htm": "html", ".xhtml": "html",
}


def sniff_format(data: bytes, name: str | None = None) -> str:
    """Decide the format from the content first, the file name second.

    Content wins because archives are full of wrong extensions (a .doc that is really RTF or HTML).
    """
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    low = head[:512].lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low or b"<body" in low:
        return "html"
    ext = Path(name).suffix.lower() if name else ""
    fmt = _EXT.get(ext)
    if fmt in ("txt", "md"):
        return fmt
    return "txt"


def read_bytes(data: bytes, name: str | None = None, fmt: str | None = None) -> ReadResult:
    """Read one input given as bytes; ``name`` is used for the format hint and ``source.path``."""
    if not data:
        raise InputError("empty file (0 bytes)")
    fmt = fmt or sniff_format(data, name)
    if fmt in ("txt", "md"):
        refuse_junk(data, name)
    sha = hashlib.sha256(data).hexdigest()
    reader = _reader_for(fmt)
    result = reader(data)
    result.source.path = name
    result.source.format = fmt  # type: ignore[assignment]
    result.source.sha256 = sha
    return result


# What a name promises that text content cannot be: a .pdf without %PDF, a .docx that is not a zip.
_BINARY_SUFFIXES = {".pdf": "PDF", ".docx": "Word (.docx)", ".doc": "Word (.doc)", ".bin": "binary"}
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\x0b\x1a") + b"\x7f"


def refuse_junk(data: bytes, name: str | None) -> None:
    """Bytes about to be read as text that are not text: say so instead of decoding random bytes
    as latin-1 and returning a "document". Legacy Vietnamese encodings (TCVN3, VNI) use the high
    bytes freely but not the C0 control characters, which random and binary data are full of."""
    ext = Path(name).suffix.lower() if name else ""
    head = data[:8192]
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    if controls > max(2, len(head) // 50):
        what = f" named {ext}" if ext else ""
        raise InputError(f"not a document: binary content{what} ({controls} control bytes in the first "
                         f"{len(head)}), not text, PDF, Word, RTF or HTML")
    if ext in (".pdf", ".docx"):
        raise InputError(f"not a document: named {ext} but the content is not {_BINARY_SUFFIXES[ext]}")


def read_path(path: str | Path) -> ReadResult:
    from ..limits import check_input_file

    p = Path(path)
    check_input_file(p)  # devices, FIFOs and oversized files are refused before reading
    try:
        data = p.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{p} is a directory") from exc
    except OSError as exc:
        raise InputError(f"cannot read {p}: {exc.strerror or exc}") from exc
    return read_bytes(data, str(p))


def _reader_for(fmt: str):
    if fmt in ("txt", "md"):
        from .text import read_text

        return read_text
    if fmt == "pdf":
        from .pdf import read_pdf

        return read_pdf
    if fmt == "docx":
        from .docx import read_docx

        return read_docx
    if fmt == "doc":
        from .msword import read_doc

        return read_doc
    if fmt == "rtf":
        from .rtf import read_rtf

        return read_rtf
    if fmt == "html":
        from .html import read_html

        return read_html
    raise InputError(f"unsupported format {fmt!r}; expected one of {', '.join(FORMATS)}")
