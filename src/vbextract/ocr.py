"""OCR of PDF pages with Tesseract (Vietnamese), bounded in pages, time and processes.

Pages are rendered in-process by PDFium at :data:`DPI` and read by ``tesseract -l vie`` (TSV, so
word boxes reach the PDF layout code), several pages at once: one Tesseract per page, up to
:func:`jobs` at a time, each limited to one thread (``OMP_THREAD_LIMIT=1``; parallel pages scale
better than Tesseract's own threads). Limits, from the innermost:

* a time limit per page (``VBEXTRACT_OCR_TIMEOUT``, default 120 s, or ``PAGE_TIMEOUT``);
* a number of pages per document (``VBEXTRACT_OCR_MAX_PAGES``, default 20, or ``MAX_PAGES``;
  ``parse --ocr-pages N``);
* a deadline (a :func:`time.monotonic` value) for the whole document: pages not finished by then
  are reported as not read and the document keeps what was read (``parse --timeout``).

:func:`limits` sets the last two for the code run inside it (a context variable, so threads and
the service's concurrent requests do not see each other's limits). Tesseract runs with a parent
death signal (``setpriv --pdeathsig KILL`` when available) and is killed when its time runs out,
so no OCR process outlives the parse that started it.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

# Rendering resolution. A scanned page is rendered at its image's own resolution (clamped to
# MIN_DPI..DPI): upsampling a 200 dpi scan to 300 only interpolates, and Tesseract's Vietnamese
# model read the corpus's real 200 dpi scans better at 150–200 than at 250–300 (character accuracy
# 0.87 against 0.81, benchmarks/results/ocr.md). Pages without a dominant image (garbled or wrong
# text layers over vector glyphs) are rendered at DPI: 10–13 pt text then has the 20–30 px
# x-height the LSTM models are trained on.
DPI = 300
MIN_DPI = 150
MAX_PAGES: int | None = None  # None → environment or default
PAGE_TIMEOUT: float | None = None
LANG = "vie"
DEADLINE_ERROR = "not read: the OCR time limit was reached"


@dataclass
class OcrPage:
    text: str
    error: str | None = None
    # words in PDF points: (text, x0, top, x1, bottom, Tesseract line id); page size in points
    words: list[tuple[str, float, float, float, float, str]] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class OcrLimits:
    """Per-call OCR limits; None means the module default (environment or constant)."""

    pages: int | None = None
    deadline: float | None = None  # time.monotonic() value
    jobs: int | None = None


NO_LIMITS = OcrLimits()
_LIMITS: contextvars.ContextVar[OcrLimits] = contextvars.ContextVar("vbextract_ocr_limits", default=NO_LIMITS)


@contextlib.contextmanager
def limits(*, pages: int | None = None, deadline: float | None = None, jobs: int | None = None,
           timeout: float | None = None) -> Iterator[OcrLimits]:
    """OCR at most ``pages`` pages per document, stop at ``deadline`` (monotonic) or ``timeout``
    seconds from now, with ``jobs`` Tesseract processes; limits already set stay unless tighter."""
    cur = _LIMITS.get()
    if timeout is not None:
        end = time.monotonic() + timeout
        deadline = end if deadline is None else min(deadline, end)
    new = replace(
        cur,
        pages=_tighter(cur.pages, pages),
        deadline=_tighter(cur.deadline, deadline),
        jobs=jobs if jobs is not None else cur.jobs,
    )
    token = _LIMITS.set(new)
    try:
        yield new
    finally:
        _LIMITS.reset(token)


def _tighter(a, b):
    if a is None:
        return b
    return a if b is None else min(a, b)


def current_limits() -> OcrLimits:
    return _LIMITS.get()


def max_pages() -> int:
    if _LIMITS.get().pages is not None:
        return max(0, _LIMITS.get().pages or 0)
    if MAX_PAGES is not None:
        return MAX_PAGES
    return int(os.environ.get("VBEXTRACT_OCR_MAX_PAGES", "20"))


def page_timeout() -> float:
    if PAGE_TIMEOUT is not None:
        return PAGE_TIMEOUT
    return float(os.environ.get("VBEXTRACT_OCR_TIMEOUT", "120"))


def jobs() -> int:
    """Tesseract processes at once: the limit's ``jobs``, ``VBEXTRACT_OCR_JOBS`` or the usable CPUs."""
    n = _LIMITS.get().jobs or int(os.environ.get("VBEXTRACT_OCR_JOBS", "0") or 0)
    if n <= 0:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            n = os.cpu_count() or 1
    return max(1, n)


# Share of the parse's remaining time (at most RESERVE_MAX_S) kept for the stages after OCR, so
# a scan that runs out of time still returns a document instead of failing at the deadline.
RESERVE_SHARE = 0.15
RESERVE_MAX_S = 2.0


def deadline() -> float | None:
    """The OCR deadline (monotonic): the tighter of :func:`limits`' and the parse's own time limit
    (:func:`vbextract.limits.remaining_s`) less a reserve for the stages after OCR."""
    own = _LIMITS.get().deadline
    try:
        from .limits import remaining_s
    except ImportError:  # the limits module is optional for this one
        return own
    left = remaining_s()
    if left is None:
        return own
    outer = time.monotonic() + left - min(RESERVE_MAX_S, RESERVE_SHARE * left)
    return _tighter(own, outer)


def time_left() -> float | None:
    """Seconds before the OCR deadline (None without one)."""
    end = deadline()
    return None if end is None else end - time.monotonic()


def missing_tools() -> str | None:
    """Name what is missing for OCR (``tesseract``, the ``vie`` data), or None."""
    if shutil.which("tesseract") is None:
        return "tesseract"
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


# --- pages of a PDF --------------------------------------------------------------------------------

def ocr_pdf_pages(data: bytes, pages: list[int], dpi: int | None = None) -> dict[int, OcrPage]:
    """OCR the given 1-based pages of a PDF; a page that fails, times out or is past the deadline
    gets an error instead of text. Pages are rendered here, one after the other (PDFium is not
    thread-safe), while Tesseract reads the pages already rendered. ``dpi`` forces one rendering
    resolution; by default each page gets its own (see :data:`DPI`)."""
    end = deadline()  # read here: pool threads do not inherit context variables
    results: dict[int, OcrPage] = {}
    with tempfile.TemporaryDirectory(prefix="vbextract-ocr-") as tmp, \
            ThreadPoolExecutor(max_workers=jobs(), thread_name_prefix="vbextract-ocr") as pool:
        futures = {}
        for n, image, size, page_dpi in _render_pages(data, pages, dpi, Path(tmp)):
            if image is None:
                results[n] = OcrPage("", size if isinstance(size, str) else "could not be rendered")
                continue
            futures[n] = pool.submit(_ocr_image_file, image, page_dpi, size, end)
        for n, fut in futures.items():
            results[n] = fut.result()
    return {n: results[n] for n in pages if n in results}


def _render_pages(data: bytes, pages: list[int], dpi: int | None, tmp: Path):
    """Yield (page, PNG path or None, (width, height) in points or an error, dpi) in page order."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        for n in pages:
            yield n, None, str(exc), 0
        return
    try:
        for n in pages:
            left = time_left()
            if left is not None and left <= 0:
                yield n, None, DEADLINE_ERROR, 0
                continue
            try:
                page = doc[n - 1]
                try:
                    size = page.get_size()
                    page_dpi = dpi or render_dpi(page)
                    bitmap = page.render(scale=page_dpi / 72, grayscale=True)
                    path = tmp / f"p{n}.png"
                    bitmap.to_pil().save(path, compress_level=1)
                finally:
                    page.close()
            except Exception as exc:  # one unrenderable page must not lose the others
                yield n, None, f"could not be rendered ({type(exc).__name__})", 0
                continue
            yield n, path, size, page_dpi
    finally:
        doc.close()


def render_dpi(page) -> int:
    """The resolution to render ``page`` at: its largest image's own (clamped), else :data:`DPI`."""
    import pypdfium2.raw as raw

    best_area, best_dpi = 0.0, 0.0
    width, height = page.get_size()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            left, bottom, right, top = obj.get_bounds()
            area = (right - left) * (top - bottom)
            if area > best_area:
                best_area, best_dpi = area, float(obj.get_metadata().horizontal_dpi)
        except Exception:  # an image PDFium cannot describe: ignore it
            continue
    if best_area < 0.4 * width * height or best_dpi <= 0:
        return DPI
    return int(min(DPI, max(MIN_DPI, round(best_dpi))))


def _ocr_image_file(image: Path, dpi: int, size: tuple[float, float], end: float | None) -> OcrPage:
    left = None if end is None else end - time.monotonic()
    timeout = page_timeout() if left is None else min(page_timeout(), left)
    if timeout <= 0:
        return OcrPage("", DEADLINE_ERROR)
    try:
        out = run_tool(["tesseract", str(image), "stdout", "-l", LANG, "--psm", "3", "--dpi", str(dpi), "tsv"],
                       timeout=timeout)
    except subprocess.TimeoutExpired:
        if left is not None and timeout < page_timeout():
            return OcrPage("", DEADLINE_ERROR)
        return OcrPage("", f"timed out after {timeout:.0f} s")
    except subprocess.CalledProcessError as exc:
        msg = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        return OcrPage("", msg[-1] if msg else f"exit status {exc.returncode}")
    except OSError as exc:
        return OcrPage("", str(exc))
    page = parse_tsv(out.decode("utf-8", "replace"), dpi=dpi)
    if not page.width:
        page.width, page.height = size
    return page


def run_tool(cmd: list[str], *, timeout: float, input: bytes | None = None, check: bool = True) -> bytes:
    """Run an external tool that dies with this process (parent death signal) and is killed at
    ``timeout``; its stdout, or CalledProcessError / TimeoutExpired."""
    setpriv = shutil.which("setpriv")
    full = [setpriv, "--pdeathsig", "KILL", "--", *cmd] if setpriv else cmd
    out = subprocess.run(full, input=input, capture_output=True, timeout=timeout, check=check,
                         env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return out.stdout


def parse_tsv(tsv: str, image: str | None = None, dpi: int | None = None) -> OcrPage:
    """Tesseract TSV → words in points (pixels × 72 / DPI) and plain text by Tesseract's lines."""
    scale = 72.0 / (dpi or DPI)
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


def pdftotext_page(data: bytes, page: int) -> str | None:
    """Poppler's text of one page (renders annotation overlays too); None without pdftotext.

    The PDF goes through a temporary file: a pipe would be written 512 bytes at a time.
    """
    exe = shutil.which("pdftotext")
    if exe is None:
        return None
    with tempfile.NamedTemporaryFile(prefix="vbextract-", suffix=".pdf", dir=_fast_tmp()) as f:
        f.write(data)
        f.flush()
        try:
            out = run_tool([exe, "-f", str(page), "-l", str(page), "-enc", "UTF-8", f.name, "-"], timeout=60,
                           check=False)
        except (OSError, subprocess.SubprocessError):
            return None
    return out.decode("utf-8", "replace")


class PendingText:
    """``pdftotext`` of one page running in the background (started early, read when needed)."""

    def __init__(self, data: bytes, page: int) -> None:
        self._file = tempfile.NamedTemporaryFile(prefix="vbextract-", suffix=".pdf", dir=_fast_tmp())  # noqa: SIM115  (lives until result/cancel)
        self._file.write(data)
        self._file.flush()
        exe = shutil.which("pdftotext") or "pdftotext"
        setpriv = shutil.which("setpriv")
        cmd = [exe, "-f", str(page), "-l", str(page), "-enc", "UTF-8", self._file.name, "-"]
        self._proc = subprocess.Popen([setpriv, "--pdeathsig", "KILL", "--", *cmd] if setpriv else cmd,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def result(self, timeout: float = 60) -> str | None:
        try:
            out, _ = self._proc.communicate(timeout=timeout)
            return out.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return None
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()
        self._file.close()


def pdftotext_page_async(data: bytes, page: int) -> PendingText | None:
    """Start :func:`pdftotext_page` in the background; None without pdftotext."""
    if shutil.which("pdftotext") is None:
        return None
    try:
        return PendingText(data, page)
    except OSError:
        return None


def _fast_tmp() -> str | None:
    """A memory-backed directory for short-lived copies when there is one."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None
