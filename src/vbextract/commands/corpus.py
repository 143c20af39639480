"""``vbextract corpus synth|pre-annotate``: build and extend the annotated corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("corpus", help="build the annotated corpus (synth, pre-annotate)",
                       description="Corpus tools. Examples: vbextract corpus synth; "
                       "vbextract corpus pre-annotate doc.pdf > new.jsonl")
    cmds = p.add_subparsers(dest="corpus_command", metavar="ACTION")
    s = cmds.add_parser("synth", help="regenerate corpus/{train,dev,test}.jsonl (synthetic + seeds)")
    s.add_argument("-n", type=int, default=400, help="number of synthetic documents")
    s.add_argument("--seed", type=int, default=20261123)
    s.add_argument("--seeds-dir", default="../shared/seeds", help="shared seeds (copied, annotated)")
    s.add_argument("--gold-dir", default="../shared/gold")
    s.add_argument("--out", metavar="DIR", help="corpus folder (default: the project's corpus/)")
    s.set_defaults(func=run_synth)
    a = cmds.add_parser("pre-annotate", help="write the current parser's output as corpus records")
    a.add_argument("files", nargs="+", metavar="FILE")
    a.add_argument("--standoff-root", metavar="DIR",
                   help="files under DIR are written as standoff (sha256 + spans, no text)")
    a.set_defaults(func=run_pre_annotate)
    p.set_defaults(func=lambda args: (p.print_help(sys.stderr), 2)[1])


def run_synth(args) -> int:
    from ..ml.corpus import corpus_dir, seed_records, split_records, write_jsonl
    from ..ml.synth import generate
    from .train import in_source_checkout

    if not args.out and not in_source_checkout():
        print("vbextract corpus synth: this is an installed package: give --out DIR for the new corpus",
              file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else corpus_dir()
    seeds_dir = Path(args.seeds_dir)
    seeds = seed_records(seeds_dir, Path(args.gold_dir)) if seeds_dir.is_dir() else []
    if not seeds:
        print("vbextract corpus: no seeds found; synthetic documents only", file=sys.stderr)
    splits = split_records(generate(args.n, args.seed), seeds)
    for name, recs in splits.items():
        write_jsonl(out / f"{name}.jsonl", recs)
        print(f"{name}: {len(recs)} documents", file=sys.stderr)
    return 0


def run_pre_annotate(args) -> int:
    from ..errors import InputError
    from ..ml.annotate import pre_annotate
    from ..pipeline import run_rules

    root = Path(args.standoff_root).resolve() if args.standoff_root else None
    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"vbextract corpus: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    failed = 0
    for name in args.files:
        try:
            rec = pre_annotate(name, run_rules)
        except InputError as exc:
            print(f"vbextract corpus: {name}: {exc}", file=sys.stderr)
            failed += 1
            continue
        path = Path(name).resolve()
        if root and path.is_relative_to(root):
            rec.pop("text")
            rec["source"] = "shared-corpus"
            rec["path"] = str(path.relative_to(root))
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return 1 if failed else 0
