"""``vbextract train [--component NAME …] [--seed N]``: rebuild the shipped models from corpus/."""

from __future__ import annotations

import json


def register(sub) -> None:
    from ..ml.train import COMPONENTS

    p = sub.add_parser(
        "train",
        help="train the statistical components from corpus/",
        description="Train the line-break, zone and entity models on corpus/train.jsonl, score them on "
        "dev and test, and write model + meta.json into vbextract/models/. Deterministic for a seed. "
        "Example: vbextract train --component zones",
    )
    p.add_argument("--component", action="append", choices=COMPONENTS,
                   help="train only this component (repeatable; default: all)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", metavar="DIR", help="write models here instead of the package")
    p.set_defaults(func=run)


def run(args) -> int:
    from pathlib import Path

    from ..ml.train import train_all

    metas = train_all(args.component, seed=args.seed, out_dir=Path(args.out) if args.out else None)
    for name, meta in metas.items():
        print(f"{name}: {meta['train_seconds']} s, {meta['size_bytes'] // 1024} KB, "
              f"dev {json.dumps(meta['scores']['dev'])}")
    return 0
