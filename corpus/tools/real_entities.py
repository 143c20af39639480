"""Real entity annotations for the entity model, as standoff (no text): ``corpus/train_real.jsonl``.

The lead and support units of the development records listed in ``TRAINING`` (the records the
task rules were developed on; the other dev records stay out, so they remain an estimate of
unseen documents) are located in their file's normalized text: each unit is stored in the
record as a hashed value, so the word n-grams of the text are hashed the same way and every
occurrence of a matching n-gram becomes an ``ORG`` span. The output holds the file's sha256,
the reader, the spans and the lines around them; ``vbextract train`` re-creates the text from
the shared corpus (``ml.corpus.resolve_standoff``) and skips the records when it is absent.

Run: ``python corpus/tools/real_entities.py [--corpus ../shared/corpus]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

from vbextract.evaluate import hash_value
from vbextract.linebreaks import is_hard_wrapped, join_wrapped_lines
from vbextract.normalize import normalize_text
from vbextract.readers import read_path

ROOT = Path(__file__).resolve().parents[1]
DEV_DIR = ROOT / "dev"
OUT = ROOT / "train_real.jsonl"
MAX_WORDS = 16
# the first development records (2026-12-03): the task rules were tuned on these
TRAINING = [
    "CV-3686-UBND-XD-kien-nghi-BXD-PCCC-VLNCN", "CV-4378-tra-ho-so-Mong-Son-2026",
    "CV-UBND-tinh-chi-dao-quan-ly-giam-sat-VLNCN", "tvpl-448306af3d3a91f7", "tvpl-4e39af96b6891368",
    "tvpl-9a885bb50365e6f1", "tvpl-a328fbb46798c2b5", "tvpl-b3a4b2605f9a281f", "tvpl-e83d7b60c0b1d639",
    "vht507.signed_20250510_124909",
    # hold6 (2026-12-06), added after its honest measurement
    "hold6a-CV-SCT-kho-VLNCN-Mong-Son-Lang-Moi",
    "hold6a-CV-de-nghi-DN-cung-cap-thong-tin-hoa-chat",
    "hold6a-DuThao-QD-UBND-PANM-chap-thuan-Si-Ma-Cai",
    "hold6a-ND-139-2025-ND-CP-phan-dinh-tham-quyen-BCT",
    "hold6a-TB-SCT-KQ-kiem-tra-nghiem-thu-kho-VLNCN-Ngoi-Nhu-1A",
    "hold6a-TT-14-2024-TT-BCT-che-do-bao-cao-CCN",
    "hold6a-VB-ra-soat-ho-so-VLNCN-Dong-Khe",
    "tvpl-2957e4f4f0e41373",
    "tvpl-346647ab456312c0",
    "tvpl-8b9a38d6a8f8c20f",
    "tvpl-c37e0ca0510350f4",
    "tvpl-d5ffa6afac124d52",
    "tvpl-f069c23c942c1ec6",
]


def unit_hashes(gold: dict) -> set[str]:
    return {u for t in gold.get("tasks") or [] for role in ("lead_units", "support_units") for u in t.get(role) or []
            if u}


def locate(text: str, wanted: set[str]) -> list[tuple[int, int]]:
    """Spans of the word n-grams of ``text`` whose hashed value is one of ``wanted``; the
    longest wins where two overlap; never across a line break."""
    found: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        words = [(m.start() + line.start(), m.end() + line.start()) for m in re.finditer(r"\S+", line.group())]
        for i in range(len(words)):
            for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
                a, b = words[i][0], words[i + n - 1][1]
                if hash_value(text[a:b]) in wanted:
                    found.append((a, b))
                    break
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[int, int]] = []
    for a, b in found:
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return [(a, b - len(text[a:b]) + len(text[a:b].rstrip(" ;,.:"))) for a, b in out]


def build(corpus: Path) -> list[dict]:
    records = []
    for name in TRAINING:
        rec = json.loads((DEV_DIR / f"{name}.json").read_text(encoding="utf-8"))
        path = corpus / rec["path"]
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != rec["sha256"]:
            print(f"{name}: file absent or changed, skipped")
            continue
        result = read_path(path)
        joined = result.source.format == "md" and is_hard_wrapped(result.text)
        text, _ = normalize_text(join_wrapped_lines(result.text) if joined else result.text)
        spans = locate(text, unit_hashes(rec["gold"]))
        lines = [{"start": m.start(), "end": m.end(), "label": "body"} for m in re.finditer(r"[^\n]*\S[^\n]*", text)
                 if any(m.start() <= a < m.end() for a, _ in spans)]
        records.append({"id": f"real-{name}", "source": "shared-corpus", "path": rec["path"], "sha256": rec["sha256"],
                        "reader": result.source.format, "joined": joined, "lines": lines,
                        "entities": [{"start": a, "end": b, "label": "ORG"} for a, b in spans]})
        print(f"{name}: {len(spans)} unit spans on {len(lines)} lines")
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent.parent / "shared" / "corpus")
    args = ap.parse_args(argv)
    records = build(args.corpus)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"wrote {OUT} ({len(records)} records)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
