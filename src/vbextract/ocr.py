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
from dataclasses import dataclass, field
from pathlib import Path

DPI = 300
MAX_PAGES: int | None = None  # None → environment or default
PAGE_TIMEOUT: float | None = None
LANG = "vie"


@dataclass
class OcrPage:
    text: str
    error: str | None = None
    # words in PDF points: (text, x0, top, x1, bottom, Tesseract line id); page size in points
    words: list[tuple[str, float, float, float, float, str]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


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
        # TSV gives word boxes, so the PDF layout code can split the two-column header
        out = subprocess.run(["tesseract", f"{stem}.png", "stdout", "-l", LANG, "--psm", "3", "tsv"],
                             capture_output=True, timeout=timeout, check=True,
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    except subprocess.TimeoutExpired:
        return OcrPage("", f"timed out after {timeout:.0f} s")
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrPage("", msg[-1] if msg else f"exit status {exc.returncode}")
    except OSError as exc:
        return OcrPage("", str(exc))
    return parse_tsv(out.stdout.decode("utf-8", "replace"), f"{stem}.png")


def parse_tsv(tsv: str, image: str | None = None) -> OcrPage:
    """Tesseract TSV → words in points (pixels × 72 / DPI) and plain text by Tesseract's lines."""
    scale = 72.0 / DPI
    words = []
    lines: dict[tuple[str, str, str], list[str]] = {}
    width = height = 0.0
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level, left, top, w, h, text = cols[0], cols[6], cols[7], cols[8], cols[9], cols[11]
        if level == "1":
            width, height = float(w) * scale, float(h) * scale
        if level != "5" or not text.strip():
            continue
        x0, y0 = float(left) * scale, float(top) * scale
        line_id = "/".join(cols[2:5])
        words.append((text, x0, y0, x0 + float(w) * scale, y0 + float(h) * scale, line_id))
        lines.setdefault((cols[2], cols[3], cols[4]), []).append(text)
    return OcrPage("\n".join(" ".join(ws) for ws in lines.values()), words=words, width=width, height=height)


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
