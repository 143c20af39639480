"""OCR of PDF pages with Tesseract (Vietnamese) and poppler, both optional system tools.

Pages are rasterized with ``pdftoppm`` at 300 dpi and read with ``tesseract -l vie``. Each page
has a time limit so a bad scan cannot hang a batch, and the number of pages OCRed per document is
capped (``VBEXTRACT_OCR_MAX_PAGES``, default 20; ``VBEXTRACT_OCR_TIMEOUT`` seconds per page,
default 120). Both can also be changed by assigning ``MAX_PAGES`` / ``PAGE_TIMEOUT``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DPI = 300
MAX_PAGES: int | None = None  # None → environment or default
PAGE_TIMEOUT: float | None = None
LANG = "vie"


@dataclass
class OcrPage:
    text: str
    error: str | None = None


def max_pages() -> int:
    if MAX_PAGES is not None:
        return MAX_PAGES
    return int(os.environ.get("VBEXTRACT_OCR_MAX_PAGES", "20"))


def page_timeout() -> float:
    if PAGE_TIMEOUT is not None:
        return PAGE_TIMEOUT
    return float(os.environ.get("VBEXTRACT_OCR_TIMEOUT", "120"))


def missing_tools() -> str | None:
    """Name what is missing for OCR (``tesseract``, ``pdftoppm``, the ``vie`` data), or None."""
    missing = [t for t in ("tesseract", "pdftoppm") if shutil.which(t) is None]
    if missing:
        return " and ".join(missing)
    if LANG not in tesseract_languages():
        return f"Tesseract language data '{LANG}' (tesseract-ocr-{LANG})"
    return None


_LANGS: dict[str, set[str]] = {}


def tesseract_languages() -> set[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return set()
    if exe not in _LANGS:
        try:
            out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=20)
            _LANGS[exe] = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:] if ln.strip()}
        except (OSError, subprocess.TimeoutExpired):
            _LANGS[exe] = set()
    return _LANGS[exe]


def ocr_pdf_pages(data: bytes, pages: list[int]) -> dict[int, OcrPage]:
    """OCR the given 1-based pages of a PDF; a page that fails or times out gets an error."""
    results: dict[int, OcrPage] = {}
    with tempfile.TemporaryDirectory(prefix="vbextract-ocr-") as tmp:
        pdf = Path(tmp) / "in.pdf"
        pdf.write_bytes(data)
        for n in pages:
            results[n] = _ocr_page(pdf, n, Path(tmp))
    return results


def _ocr_page(pdf: Path, n: int, tmp: Path) -> OcrPage:
    stem = tmp / f"p{n}"
    timeout = page_timeout()
    try:
        subprocess.run(["pdftoppm", "-r", str(DPI), "-f", str(n), "-l", str(n), "-gray", "-png",
                        "-singlefile", str(pdf), str(stem)],
                       capture_output=True, timeout=timeout, check=True)
        out = subprocess.run(["tesseract", f"{stem}.png", "stdout", "-l", LANG, "--psm", "3"],
                             capture_output=True, timeout=timeout, check=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        return OcrPage("", f"timed out after {timeout:.0f} s")
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrPage("", msg[-1] if msg else f"exit status {exc.returncode}")
    except OSError as exc:
        return OcrPage("", str(exc))
    return OcrPage(out.stdout.decode("utf-8", "replace"))


def ocr_image(path: str | Path) -> str:
    """OCR one image file (used by tests and for image inputs)."""
    out = subprocess.run(["tesseract", str(path), "stdout", "-l", LANG], capture_output=True,
                         timeout=page_timeout(), check=True)
    return out.stdout.decode("utf-8", "replace")


def pdftotext_page(data: bytes, page: int) -> str | None:
    """Poppler's text of one page (renders annotation overlays too); None without pdftotext."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
                             input=data, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.decode("utf-8", "replace")
