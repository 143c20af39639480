#!/usr/bin/env python3
"""The development set of real documents, kept as standoff in corpus/dev/.

usage:
  devset.py pack PLAIN.json... [--out DIR]  plain gold -> corpus/dev/<id>.json (sha256 + hashed values)
  devset.py check [DEV_DIR]           every record: file present, sha256 matches, structure valid
  devset.py predict OUT_DIR [--no-ml] predictions for the plain golds (scope applied), for score.py

A plain gold (format: shared/gold/README.md, plus "path", "scope", "annotator") quotes the document
and is never committed. Its packed form keeps the file's sha256 and replaces every printed string by
``h:`` + sha256 of its comparison key (vbextract.evaluate.hash_value / hash_ref); enumerations, numbers,
dates, booleans and task ids stay clear, notes are dropped. Pack refuses a printed value that is not in
the document's text (as vbextract's reader reads it, NFC, markdown stripped, whitespace collapsed).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from vbextract.evaluate import SCOPE_PARTS, apply_scope, file_sha256, hash_gold, is_hashed

ROOT = Path(__file__).resolve().parents[2]
DEV_DIR = ROOT / "corpus" / "dev"
CORPUS = ROOT.parent / "shared" / "corpus"
PLAIN_DIR = Path("/tmp/devgold/plain")
RECORD_KEYS = ("path", "sha256", "scope", "gold")


class PackError(ValueError):
    pass


def flat(text: str) -> str:
    """NFC, markdown emphasis and table bars removed, whitespace collapsed: the text values are sought in."""
    s = unicodedata.normalize("NFC", text)
    s = re.sub(r"[*_`#|]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def source_text(path: Path) -> str:
    from vbextract.readers import read_path

    return read_path(path).text


def printed_values(gold: dict) -> list[tuple[str, str]]:
    """(field, value) for every printed string that must occur in the source as written."""
    out: list[tuple[str, str]] = []
    h = gold.get("header") or {}
    for k in ("issuer", "issuer_parent", "place", "subject"):
        if h.get(k):
            out.append((f"header.{k}", h[k]))
    for k in ("recipients", "distribution"):
        out += [(k, v) for v in gold.get(k) or []]
    for c in gold.get("citations") or []:
        if c.get("issuer"):
            out.append(("citations.issuer", c["issuer"]))
    for t in gold.get("tasks") or []:
        for role in ("lead_units", "support_units"):
            out += [(f"tasks[{t.get('id')}].{role}", u) for u in t.get(role) or []]
    for d in gold.get("deadlines") or []:
        if d.get("text"):
            out.append(("deadlines.text", d["text"]))
    sig = gold.get("signature") or {}
    out += [("signature.chain", v) for v in sig.get("chain") or []]
    for k in ("position", "signer"):
        if sig.get(k):
            out.append((f"signature.{k}", sig[k]))
    return out


def printed_refs(gold: dict) -> list[tuple[str, str]]:
    h = gold.get("header") or {}
    refs = [("header.symbol", h["symbol"])] if h.get("symbol") else []
    refs += [("legal_bases", r) for r in gold.get("legal_bases") or []]
    return refs + [("citations.ref", c["ref"]) for c in gold.get("citations") or [] if c.get("ref")]


def not_verbatim(gold: dict, text: str) -> list[str]:
    """The printed values of ``gold`` that ``text`` does not contain."""
    src = flat(text)
    bare = re.sub(r"\s+", "", src)
    bad = [f"{f}: {v!r}" for f, v in printed_values(gold) if flat(v) not in src]
    return bad + [f"{f}: {v!r}" for f, v in printed_refs(gold) if re.sub(r"\s+", "", flat(v)) not in bare]


def validate_plain(gold: dict) -> None:
    for key in ("path", "scope"):
        if key not in gold:
            raise PackError(f"missing {key!r}")
    unknown = set(gold["scope"]) - set(SCOPE_PARTS)
    if unknown:
        raise PackError(f"unknown scope parts {sorted(unknown)}")
    ids = [t.get("id") for t in gold.get("tasks") or []]
    if len(ids) != len(set(ids)):
        raise PackError("task ids are not unique")


def pack(plain_path: Path, corpus: Path = CORPUS, dev_dir: Path = DEV_DIR) -> Path:
    gold = json.loads(Path(plain_path).read_text(encoding="utf-8"))
    validate_plain(gold)
    doc = corpus / gold["path"]
    if not doc.is_file():
        raise PackError(f"{doc} not found")
    bad = not_verbatim(gold, source_text(doc))
    if bad:
        raise PackError("values not found verbatim in the source:\n  " + "\n  ".join(bad))
    body = {k: v for k, v in gold.items() if k not in ("path", "scope", "annotator")}
    record = {"path": gold["path"], "sha256": file_sha256(doc), "scope": list(gold["scope"]),
              "annotator": gold.get("annotator"), "gold": hash_gold(apply_scope(body, gold["scope"]))}
    dev_dir.mkdir(parents=True, exist_ok=True)
    out = dev_dir / f"{Path(plain_path).stem}.json"
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def record_problems(record: dict, corpus: Path = CORPUS) -> list[str]:
    """Why a corpus/dev record is unusable (empty list when it is fine)."""
    probs = [f"missing {k!r}" for k in RECORD_KEYS if k not in record]
    if probs:
        return probs
    if set(record["scope"]) - set(SCOPE_PARTS):
        probs.append("unknown scope part")
    doc = corpus / record["path"]
    if not doc.is_file():
        probs.append(f"file absent: {record['path']}")
    elif file_sha256(doc) != record["sha256"]:
        probs.append("sha256 differs")
    probs += [f"not hashed: {f}" for f, v in printed_values(record["gold"]) + printed_refs(record["gold"])
              if not is_hashed(v)]
    if "notes" in record["gold"]:
        probs.append("notes kept")
    ids = [t.get("id") for t in record["gold"].get("tasks") or []]
    if len(ids) != len(set(ids)):
        probs.append("task ids are not unique")
    return probs


def check(dev_dir: Path = DEV_DIR, corpus: Path = CORPUS) -> int:
    failed = 0
    for p in sorted(Path(dev_dir).glob("*.json")):
        probs = record_problems(json.loads(p.read_text(encoding="utf-8")), corpus)
        if probs:
            failed += 1
            print(f"{p.name}: " + "; ".join(probs))
    n = len(list(Path(dev_dir).glob("*.json")))
    print(f"{n - failed}/{n} records ok")
    return 1 if failed else 0


def predict(out_dir: Path, use_ml: bool, plain_dir: Path = PLAIN_DIR, corpus: Path = CORPUS) -> int:
    from vbextract.pipeline import parse

    out_dir.mkdir(parents=True, exist_ok=True)
    for g in sorted(plain_dir.glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        try:
            pred = json.loads(parse(corpus / gold["path"], use_ml=use_ml).model_dump_json())
        except Exception as exc:  # one bad document must not stop the run
            print(f"failed: {g.stem}: {exc}", file=sys.stderr)
            continue
        base = Path(gold.get("file", g.stem)).stem
        scoped = apply_scope(pred, gold.get("scope") or SCOPE_PARTS)
        (out_dir / f"{base}.json").write_text(json.dumps(scoped, ensure_ascii=False), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("plain", nargs="+", type=Path)
    p.add_argument("--out", type=Path, default=DEV_DIR,
                   help="directory of the packed records (default corpus/dev; a hold-out goes elsewhere "
                        "until it has been measured)")
    c = sub.add_parser("check")
    c.add_argument("dev_dir", nargs="?", type=Path, default=DEV_DIR)
    r = sub.add_parser("predict")
    r.add_argument("out_dir", type=Path)
    r.add_argument("--no-ml", action="store_true")
    args = ap.parse_args(argv)
    if args.cmd == "check":
        return check(args.dev_dir)
    if args.cmd == "predict":
        return predict(args.out_dir, use_ml=not args.no_ml)
    status = 0
    for plain in args.plain:
        try:
            print(f"packed {pack(plain, dev_dir=args.out)}")
        except PackError as exc:
            status = 1
            print(f"{plain}: refused: {exc}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
