"""Deterministic degraded copies of a document, for the evaluation table (messy-input columns).

* ``lost_breaks`` — every line break becomes a space (blank lines dropped first), as when a PDF
  extractor flows the whole page into one line.
* ``interleaved`` — the two header columns come out line by line alternately (pdfminer order),
  and the first pair is printed on one line (pdfplumber ``extract_text``).
* ``ocr`` — 3 % of the letters that OCR engines confuse are swapped for their look-alikes
  (``ế``→``é``, ``đ``→``d``, ``l``→``1`` …), one character for one.
"""

from __future__ import annotations

import random

from ..grammars import REGISTRY
from .synth import OCR_SUBS

VARIANTS = ("lost_breaks", "interleaved", "ocr")
_RIGHT = REGISTRY["ml_header_right"]  # grammars/ml.yaml
_STOP = REGISTRY["ml_header_stop"]


def degrade(text: str, variant: str, seed: int = 0) -> str:
    if variant == "lost_breaks":
        return " ".join(ln.strip() for ln in text.split("\n") if ln.strip()) + "\n"
    if variant == "interleaved":
        return interleave_header(text)
    if variant == "ocr":
        return ocr_noise(text, seed)
    raise ValueError(f"unknown variant {variant!r}")


def interleave_header(text: str) -> str:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    head_end = next((i for i, ln in enumerate(lines[:20]) if _STOP.match(ln.strip())), min(len(lines), 8))
    head, rest = lines[:head_end], lines[head_end:]
    left = [ln for ln in head if not _RIGHT.match(ln.strip())]
    right = [ln for ln in head if _RIGHT.match(ln.strip())]
    out = []
    for i in range(max(len(left), len(right))):
        pair = ([left[i]] if i < len(left) else []) + ([right[i]] if i < len(right) else [])
        out.append(" ".join(s.strip() for s in pair) if i == 0 else "\n".join(pair))
    return "\n".join(out + rest) + "\n"


def ocr_noise(text: str, seed: int, rate: float = 0.03) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(OCR_SUBS[c]) if c in OCR_SUBS and rng.random() < rate else c for c in text)
