"""PDF throughput: vbextract's reader (and reader + parse) against pdfplumber's own extract_text.

Both run on the same born-digital PDFs in the same process and run (classes ``born-digital`` and
``signed`` of ../shared/corpus, which have a good text layer; generated fixtures when the corpus is
absent). OCR is switched off for the timing (a signed file has one image-only page), so the numbers
are text-layer cost only. PDFium's bare text extraction (``pypdfium2`` ``get_text_range``, no boxes,
no layout) is timed too: the floor for a PDFium-based reader. Peak memory (max RSS) is measured on
the largest file in a fresh subprocess for each side. A fixed CPU loop before and after is the
control for load from other processes on the machine.

    python benchmarks/bench_pdf.py [--repeat 3] [--out benchmarks/results/pdf.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"


def born_digital_files() -> list[Path]:
    manifest = CORPUS / "MANIFEST.jsonl"
    if not manifest.exists():
        return []
    rows = [json.loads(x) for x in manifest.read_text("utf-8").splitlines()]
    return [CORPUS / r["path"] for r in rows if r["format"] == "pdf" and r["class"] in ("born-digital", "signed")]


def generated_files(tmp: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "tests" / "readers"))
    import fixtures_gen

    path = tmp / "generated.pdf"
    path.write_bytes(fixtures_gen.make_pdf())
    return [path]


def baseline(data: bytes) -> int:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def pdfium_text(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(doc)
    finally:
        doc.close()


def control_loop() -> float:
    """Seconds for a fixed pure-Python loop: higher than usual means other load on the machine."""
    t = time.perf_counter()
    x = 0
    for i in range(3_000_000):
        x += i * i
    return time.perf_counter() - t


def reader_only(data: bytes) -> int:
    from vbextract.readers import read_bytes

    return read_bytes(data, "x.pdf").source.pages or 0


def reader_and_parse(data: bytes) -> int:
    import vbextract

    return vbextract.parse(data, name="x.pdf", use_ml=False).source.pages or 0


def timed(fn, datas: list[bytes], repeat: int) -> tuple[float, int]:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        pages = sum(fn(d) for d in datas)
        best = min(best, time.perf_counter() - t0)
    return best, pages


def peak_rss_mb(code: str, path: Path) -> float:
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'src')!r})\n"
        + "import vbextract.ocr as o; o.MAX_PAGES = 0\n"
        + "data = open(sys.argv[1], 'rb').read()\n"
        + code
        # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork + exec, so a child of this
        # (large) benchmark process would report the parent's peak
        + "\nprint(next(x for x in open('/proc/self/status') if x.startswith('VmHWM')).split()[1])\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1]) / 1024


def machine() -> str:
    mem = ""
    try:
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        kb = int(next(x for x in meminfo if x.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores{mem}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "pdf.md"))
    args = ap.parse_args()
    import tempfile

    import vbextract.ocr as ocr

    ocr.MAX_PAGES = 0
    with tempfile.TemporaryDirectory() as tmp:
        files = born_digital_files() or generated_files(Path(tmp))
        datas = [f.read_bytes() for f in files]
        # warm-up: imports and font caches
        baseline(datas[0])
        reader_and_parse(datas[0])
        c0 = control_loop()
        t_base, pages = timed(baseline, datas, args.repeat)
        t_pdfium, _ = timed(pdfium_text, datas, args.repeat)
        t_read, _ = timed(reader_only, datas, args.repeat)
        t_full, _ = timed(reader_and_parse, datas, args.repeat)
        c1 = control_loop()
        largest = max(files, key=lambda f: f.stat().st_size)
        rss_base = peak_rss_mb("import io, pdfplumber\npdf = pdfplumber.open(io.BytesIO(data))\n"
                               "[p.extract_text() for p in pdf.pages]", largest)
        rss_ours = peak_rss_mb("import vbextract\nvbextract.parse(data, name='x.pdf', use_ml=False)", largest)
        largest_pages = reader_only(largest.read_bytes())
    source = "corpus classes born-digital + signed" if born_digital_files() else "generated fixture"
    lines = [
        "# PDF throughput",
        "",
        f"Machine: {machine()}.",
        f"Files: {len(files)} PDFs ({source}), {pages} pages; best of {args.repeat} runs, same process.",
        "OCR switched off for timing (text-layer cost only).",
        "",
        f"Control (fixed CPU loop, lower is quieter): {c0:.3f} s before, {c1:.3f} s after the timed runs.",
        "",
        "| pipeline | seconds | pages/s | throughput × pdfplumber `extract_text` |",
        "|---|---:|---:|---:|",
        f"| pdfplumber `extract_text` (baseline) | {t_base:.2f} | {pages / t_base:.1f} | 1.0 |",
        f"| PDFium text only (`get_text_range`, floor) | {t_pdfium:.2f} | {pages / t_pdfium:.1f} | "
        f"{t_base / t_pdfium:.1f} |",
        f"| vbextract reader (`read_bytes`) | {t_read:.2f} | {pages / t_read:.1f} | {t_base / t_read:.1f} |",
        f"| vbextract reader + rule parse (`parse`, no ML) | {t_full:.2f} | {pages / t_full:.1f} | "
        f"{t_base / t_full:.1f} |",
        "",
        f"Peak memory (max RSS of a fresh process) on the largest file ({largest.stat().st_size / 1e6:.1f} MB, "
        f"{largest_pages} pages): pdfplumber `extract_text` {rss_base:.0f} MB, vbextract `parse` {rss_ours:.0f} MB.",
        "",
        "Target (issue 11): reader + rule parse ≥ 10× the throughput of pdfplumber `extract_text`; peak RSS on "
        "the largest file ≤ half of pdfplumber's.",
        "",
    ]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
