"""``vbextract train [--corpus DIR] [--out DIR] [--component NAME …] [--seed N]``: train the models.

In a source checkout (``pip install -e .`` of the repository) the default is to rebuild the
shipped models from the project's ``corpus/``. In an ordinary installation there is no project
corpus and the installed models must stay as shipped, so ``--corpus`` and ``--out`` are both
required, and ``--out`` may not point at the installed models: ``train`` never overwrites them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2


def register(sub) -> None:
    from ..ml.train import COMPONENTS

    p = sub.add_parser(
        "train",
        help="train the statistical components on an annotated corpus",
        description="Train the line-break, zone and entity models on CORPUS/train.jsonl, score them on "
        "dev and test, and write model + meta.json into OUT. In a source checkout the defaults are the "
        "project's corpus/ and the package's models/; in an installed package give --corpus and --out "
        "(the installed models are never overwritten). Example: vbextract train --corpus my-corpus/ "
        "--out my-models/ --component zones",
    )
    p.add_argument("--component", action="append", choices=COMPONENTS,
                   help="train only this component (repeatable; default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--corpus", metavar="DIR",
                   help="folder with train.jsonl, dev.jsonl, test.jsonl (see corpus/GUIDELINES.md)")
    p.add_argument("--out", metavar="DIR", help="write the models here")
    p.set_defaults(func=run)


def in_source_checkout() -> bool:
    """True when vbextract runs from the repository (editable install), not from site-packages."""
    from ..ml.corpus import project_root

    root = project_root()
    package = Path(__file__).resolve().parents[1]
    return (root / "pyproject.toml").is_file() and (root / ".git").exists() and package.is_relative_to(root)


def run(args) -> int:
    from ..ml.corpus import corpus_dir, load_split
    from ..ml.train import models_dir, train_all

    source = in_source_checkout()
    if not source and not (args.corpus and args.out):
        print("vbextract train: this is an installed package: give --corpus DIR (your annotated corpus) and "
              "--out DIR (where to write the models); the installed models are never overwritten",
              file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out).resolve() if args.out else None
    if out is not None and not source and out.is_relative_to(models_dir().resolve()):
        print(f"vbextract train: --out {args.out} is the installed models folder; choose another folder",
              file=sys.stderr)
        return EXIT_USAGE
    root = Path(args.corpus) if args.corpus else None
    folder = root or corpus_dir()
    try:
        train = load_split("train", root)
    except (OSError, ValueError) as exc:
        print(f"vbextract train: cannot read {folder / 'train.jsonl'}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not train:
        print(f"vbextract train: no training documents in {folder / 'train.jsonl'} "
              "(build a corpus with `vbextract corpus synth --out DIR`)", file=sys.stderr)
        return EXIT_USAGE
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    metas = train_all(args.component, seed=args.seed, out_dir=out, root=root)
    for name, meta in metas.items():
        print(f"{name}: {meta['train_seconds']} s, {meta['size_bytes'] // 1024} KB, "
              f"dev {json.dumps(meta['scores']['dev'])}")
    print(f"models written to {out or models_dir()}", file=sys.stderr)
    return EXIT_OK
