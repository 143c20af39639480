"""Corrections applied to `vbextract corpus pre-annotate` output for the shared-corpus files.

Reviewable record of the hand annotation of corpus/shared.jsonl. It never stores document text:
labels are set by line index and entities are character spans (checked against the resolved text
at run time); no string from those files appears here. Re-run: python corpus/tools/annotate_shared.py PRE.jsonl > corpus/shared.jsonl
(PRE.jsonl = `vbextract corpus pre-annotate --standoff-root ../shared/corpus FILES…`).

Continuation rule (GUIDELINES.md): a hard-wrapped line takes the label of the line it continues.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from vbextract.ml.corpus import resolve_standoff

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
CONT = "continue"  # the line continues the previous logical line

# path suffix → {line index or (first, last): label}; "parent" tags the chủ quản line
FIXES: dict[str, dict] = {
    "GP-2507-mo-da-Toong-Gia-Mien-Bac-ban-ky.txt": {
        (0, 1): "issuer", 2: "number", 3: "doc_title", 4: "heading", (5, 27): "preamble", 28: "heading",
        29: "item", (30, 34): "body", 35: "other", 36: "item", (37, 64): CONT, 65: "item", 66: CONT,
        (67, 75): "distribution", 76: "signer",
        "items": [37, 41, 46, 52, 61],
        "entities": [("ORG", 3580, 3594), ("ORG", 3596, 3616), ("ORG", 3618, 3646), ("PER", 4185, 4202)],
    },
    "QD-1050-kiem-tra-VLNCN-2026.txt": {
        0: ("issuer", "parent"), 1: "issuer", 2: "number", 3: "doc_title", (4, 5): "subject", 6: "heading",
        (7, 32): "preamble", 33: "heading", 34: "item", (35, 36): CONT, (37, 42): CONT, 43: "item",
        (44, 51): CONT, 52: "item", (53, 55): "body", (56, 71): CONT, 72: "item", (73, 74): "body",
        75: "item", (76, 79): CONT, 80: "body", (81, 85): "distribution", 86: "signer",
        (87, 88): "appendix", (89, 10_000): "table",
        "items": [37, 38, 40, 41, 44, 45, 47, 50, 56, 57, 59, 61, 64, 67, 68, 70, 76, 77],
        "entities": [("PER", 2204, 2219), ("PER", 2260, 2273), ("PER", 2339, 2353), ("PER", 2415, 2427),
                     ("PER", 4841, 4855)],
    },
    "2008-23.QD-991-UBND.txt": {
        (0, 1): "issuer", 2: "number", 3: "doc_title", (4, 5): "subject", 6: "heading", (7, 13): "preamble",
        14: "heading", (15, 16): "item", (17, 18): "item", 19: "item", 20: "body", (21, 22): "signature",
        23: "signer", (24, 29): "other",
        "entities": [("ORG", 1330, 1367), ("ORG", 1754, 1791), ("ORG", 1793, 1820), ("ORG", 1822, 1834),
                     ("ORG", 1838, 1860), ("ORG", 1917, 1954), ("ORG", 1977, 2005), ("PER", 2509, 2525)],
    },
    "2006-19412_QD115.04TTg_BLTch_DNNVV.txt": {
        (0, 6): "doc_title", 7: "heading", (8, 11): "preamble", 12: "heading", 13: "item",
        (14, 16): CONT, 17: "item", 18: "body", 19: "item", (20, 35): "body", 36: "other", (37, 38): "body",
        (39, 40): "item", 41: CONT, (42, 44): "body", "items": [28, 31], (29, 30): CONT, (32, 35): CONT,
    },
    "2003-A30.txt": {
        0: "issuer", 1: "motto", 2: "number", 3: "place_date", 4: "doc_title", (5, 6): "subject", 7: "other",
        (8, 9): "preamble", 10: "body", 11: "heading", 21: "heading", 22: "body", (23, 39): "distribution",
        "entities": [("PER", 4747, 4758)],
    },
}


def apply(rec: dict) -> dict:
    fixes = next(v for k, v in FIXES.items() if rec["path"].endswith(k))
    full = resolve_standoff(rec, SHARED)
    if full is None:
        raise SystemExit(f"{rec['path']}: file missing or changed")
    text, lines = full["text"], rec["lines"]
    for key, value in fixes.items():
        if key in ("items", "entities"):
            continue
        lo, hi = key if isinstance(key, tuple) else (key, key)
        for i in range(lo, min(hi, len(lines) - 1) + 1):
            label, tag = value if isinstance(value, tuple) else (value, None)
            lines[i]["label"] = lines[i - 1]["label"] if label == CONT and i else label
            if tag:
                lines[i]["tag"] = tag
    for i in fixes.get("items", []):
        lines[i]["label"] = "item"
        for j in range(i + 1, len(lines)):
            if j in fixes.get("items", []) or lines[j]["label"] not in ("item", "body"):
                break
            if not text[lines[j]["start"]:lines[j]["end"]][:1].isdigit():
                lines[j]["label"] = "item"
    rec["entities"] = locate(text, fixes.get("entities", []))
    rec["source"] = "shared-corpus"
    rec["annotation"] = "pre-annotated by the cue labeller, corrected by hand (corpus/tools/annotate_shared.py)"
    return rec


def locate(text: str, spans: list[tuple[str, int, int]]) -> list[dict]:
    """(label, start, end) → entity records; checked against the resolved text (no text is stored)."""
    out = []
    for label, start, end in spans:
        if not (0 <= start < end <= len(text)) or text[start:end] != text[start:end].strip():
            raise SystemExit(f"bad span {start}-{end}")
        out.append({"start": start, "end": end, "label": label})
    return sorted(out, key=lambda e: e["start"])


if __name__ == "__main__":
    for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if any(rec["path"].endswith(k) for k in FIXES):
            sys.stdout.write(json.dumps(apply(rec), ensure_ascii=False) + "\n")
