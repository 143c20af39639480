"""``vbextract eval GOLD_DIR INPUT_DIR [--no-ml] [--json OUT]``: per-field P/R/F1 against gold files."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "eval",
        help="score the parser against gold annotations",
        description="Parse every file in INPUT_DIR whose stem matches a gold file in GOLD_DIR and print "
        "per-field precision, recall and F1 (the metrics of shared/eval/score.py). "
        "Example: vbextract eval ../shared/gold ../shared/seeds --no-ml",
    )
    p.add_argument("gold_dir", metavar="GOLD_DIR", nargs="?")
    p.add_argument("input_dir", metavar="INPUT_DIR", nargs="?")
    p.add_argument("--devset", metavar="DIR", help="score the standoff development set (corpus/dev)")
    p.add_argument("--corpus", metavar="DIR", default="../shared/corpus", help="where the dev-set files are")
    p.add_argument("--per-doc", action="store_true", help="also print each document's headline")
    p.add_argument("--no-ml", action="store_true", help="rules only")
    p.add_argument("--json", metavar="FILE", help="also write the metrics table as JSON")
    p.add_argument("--save-predictions", metavar="DIR", help="keep the parser's JSON in DIR")
    p.set_defaults(func=run)


def run_devset(args) -> int:
    from ..evaluate import (
        Scores,
        apply_scope,
        file_sha256,
        format_table,
        hash_prediction,
        load_devset,
        score_document,
    )
    from ..pipeline import parse

    total, per_doc = Scores(), {}
    keep = Path(args.save_predictions) if args.save_predictions else None
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    for path, rec in load_devset(Path(args.devset)):
        doc = Path(args.corpus) / rec["path"]
        if not doc.is_file() or file_sha256(doc) != rec["sha256"]:
            print(f"vbextract eval: skipped {path.stem}: file absent or sha256 differs", file=sys.stderr)
            continue
        parsed = parse(doc, use_ml=not args.no_ml).model_dump_json()
        if keep is not None:  # the parser's whole JSON, as `vbextract parse` writes it
            (keep / f"{path.stem}.json").write_text(parsed, encoding="utf-8")
        pred = apply_scope(hash_prediction(json.loads(parsed)), rec["scope"])
        score_document(rec["gold"], pred, total)
        one = Scores()
        score_document(rec["gold"], pred, one)
        per_doc[path.stem] = one.headline()
    print(format_table(total))
    if args.per_doc:
        for name, h in per_doc.items():
            print(f"doc {name}: {h:.3f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"overall": total.headline(), "metrics": total.table(),
                                               "per_doc": per_doc}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def run(args) -> int:
    if args.devset:
        return run_devset(args)
    if not (args.gold_dir and args.input_dir):
        print("vbextract eval: GOLD_DIR and INPUT_DIR, or --devset DIR", file=sys.stderr)
        return 2
    from ..evaluate import format_table, gold_base, score_dirs
    from ..pipeline import parse

    gold_dir, input_dir = Path(args.gold_dir), Path(args.input_dir)
    inputs = {f.stem: f for f in sorted(input_dir.iterdir()) if f.is_file()}
    out_dir = Path(args.save_predictions) if args.save_predictions else Path(tempfile.mkdtemp(prefix="vbx-eval-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for gpath in sorted(gold_dir.glob("*.json")):
        base = gold_base(gpath, json.loads(gpath.read_text(encoding="utf-8")))
        if base not in inputs:
            print(f"vbextract eval: no input for {base}", file=sys.stderr)
            continue
        doc = parse(inputs[base], use_ml=not args.no_ml)
        (out_dir / f"{base}.json").write_text(doc.model_dump_json(), encoding="utf-8")
    scores, missing = score_dirs(gold_dir, out_dir)
    print(format_table(scores))
    if missing:
        print(f"missing predictions: {', '.join(missing)}")
    if args.json:
        Path(args.json).write_text(json.dumps({"overall": scores.headline(), "metrics": scores.table(),
                                               "missing": missing}, ensure_ascii=False, indent=2),
                                   encoding="utf-8")
    return 0
