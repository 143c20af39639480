"""Per corpus class: how many files yield a header number, a date and a signer; legacy accuracy.

Reads ../shared/corpus at run time and writes only aggregate numbers to
benchmarks/results/corpus.md (never file contents). The manifest's ``number_symbol_guess`` and
``date_guess`` are not gold, but agreement with them is reported as a rough correctness signal.

    python benchmarks/bench_corpus.py [--ocr-pages 1] [--out benchmarks/results/corpus.md]
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
SKIP_CLASSES = {"meta", "transcript"}


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _norm_number(s: str | None) -> str:
    return re.sub(r"[\s\-–.]", "", s or "").upper()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ocr-pages", type=int, default=1, help="OCR at most this many pages per scan")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per file")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "corpus.md"))
    args = ap.parse_args()
    if not (CORPUS / "MANIFEST.jsonl").exists():
        sys.exit("shared corpus not found at ../shared/corpus")
    import vbextract
    import vbextract.ocr as ocr
    from vbextract.errors import InputError
    from vbextract.legacy import char_accuracy
    from vbextract.readers import read_path

    ocr.MAX_PAGES = args.ocr_pages
    rows = [json.loads(x) for x in (CORPUS / "MANIFEST.jsonl").read_text("utf-8").splitlines()]
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    legacy_scores: dict[str, list[float]] = defaultdict(list)
    signal.signal(signal.SIGALRM, _alarm)
    t_all = time.perf_counter()
    for r in rows:
        cls = r["class"]
        if cls in SKIP_CLASSES:
            continue
        s = stats[cls]
        s["files"] += 1
        path = CORPUS / r["path"]
        t0 = time.perf_counter()
        signal.alarm(args.timeout)
        try:
            doc = vbextract.parse(path, use_ml=False)
        except InputError:
            s["input_error"] += 1
            continue
        except _Timeout:
            s["timeout"] += 1
            continue
        except Exception:  # counted, not hidden: the corpus test asserts there are none
            s["crash"] += 1
            continue
        finally:
            signal.alarm(0)
            s["seconds"] += time.perf_counter() - t0
        h = doc.header
        s["number"] += bool(h.number)
        s["date"] += bool(h.date)
        s["signer"] += bool(doc.signature and doc.signature.signer)
        s["date_from_signature"] += h.date_source == "signature"
        guess = r.get("number_symbol_guess")
        if guess and not guess.startswith("/"):
            s["number_expected"] += 1
            parts = [str(x) for x in (h.number, h.year, h.symbol) if x]
            s["number_match"] += _norm_number("/".join(parts)) == _norm_number(guess)
        dguess = r.get("date_guess")
        if dguess and len(dguess) == 10:
            s["date_expected"] += 1
            s["date_match"] += h.date == dguess
        if doc.source.text_layer == "ocr":
            s["ocr"] += 1
        if cls.startswith("legacy-"):
            truth = CORPUS / "viparse-corpus" / "ground-truth" / (path.stem + ".txt")
            if truth.exists():
                res = read_path(path)
                legacy_scores[cls].append(char_accuracy(res.text, truth.read_text("utf-8")))
    total = time.perf_counter() - t_all
    write_report(stats, legacy_scores, total, args)


def write_report(stats, legacy_scores, total: float, args) -> None:
    lines = [
        "# Corpus results (aggregate)",
        "",
        f"All files of ../shared/corpus except transcripts and meta files; OCR limited to {args.ocr_pages} "
        f"page(s) per scan; rules only (`use_ml=False`); total {total:.0f} s on 2 cores.",
        "Counts are files whose parse yields the field at all; \"= guess\" counts agreement with the "
        "manifest's `number_symbol_guess` / full `date_guess` (not gold).",
        "",
        "| class | files | errors | number | = guess | date | = guess | signer | date from signature | OCR | s/file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cls in sorted(stats):
        s = stats[cls]
        n = int(s["files"])
        errors = int(s["input_error"] + s["timeout"] + s["crash"])
        lines.append(
            f"| {cls} | {n} | {errors} | {int(s['number'])} | {int(s['number_match'])}/{int(s['number_expected'])} "
            f"| {int(s['date'])} | {int(s['date_match'])}/{int(s['date_expected'])} | {int(s['signer'])} "
            f"| {int(s['date_from_signature'])} | {int(s['ocr'])} | {s['seconds'] / max(n, 1):.2f} |"
        )
    crashes = sum(int(s["crash"]) for s in stats.values())
    timeouts = sum(int(s["timeout"]) for s in stats.values())
    lines += ["", f"Crashes: {crashes}. Timeouts ({args.timeout} s): {timeouts}.", "",
              "## Legacy conversion against the Unicode transcripts", "",
              "Character accuracy = characters of words aligned with the transcript (difflib over words, "
              "whitespace ignored) / the longer text.", "",
              "| class | files | mean | min |", "|---|---:|---:|---:|"]
    for cls, scores in sorted(legacy_scores.items()):
        lines.append(f"| {cls} | {len(scores)} | {sum(scores) / len(scores):.3f} | {min(scores):.3f} |")
    allscores = [x for v in legacy_scores.values() for x in v]
    if allscores:
        lines.append(f"| all | {len(allscores)} | {sum(allscores) / len(allscores):.3f} | {min(allscores):.3f} |")
    lines.append("")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
