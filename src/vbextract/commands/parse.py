"""``vbextract parse FILE… [-o DIR] [--format json|jsonl] [--no-ml]``."""

from __future__ import annotations

import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "parse",
        help="parse documents to JSON",
        description="Parse each FILE (.txt .md .pdf .docx .doc .rtf .html; '-' for stdin) to JSON. "
        "Example: vbextract parse cong-van.pdf -o out/",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", metavar="DIR", help="write one <name>.json per input into DIR")
    p.add_argument("--format", choices=("json", "jsonl"), default="json")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.add_argument("--compact", action="store_true", help="no indentation in JSON")
    p.add_argument("--ocr-pages", type=int, metavar="N", help="OCR at most N pages of each scanned PDF")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..errors import InputError
    from ..ocr import limits as ocr_limits
    from ..pipeline import parse

    out_dir = Path(args.output) if args.output else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    indent = None if (args.compact or args.format == "jsonl") else 2
    for name in args.files:
        try:
            with ocr_limits(pages=args.ocr_pages):
                if name == "-":
                    doc = parse(sys.stdin.buffer.read(), use_ml=not args.no_ml)
                else:
                    doc = parse(Path(name), use_ml=not args.no_ml)
        except InputError as exc:
            print(f"vbextract: {name}: {exc}", file=sys.stderr)
            failures += 1
            continue
        for w in doc.warnings:
            print(f"vbextract: {name}: warning: {w}", file=sys.stderr)
        payload = doc.model_dump_json(indent=indent)
        if out_dir:
            (out_dir / f"{Path(name).stem}.json").write_text(payload + "\n", encoding="utf-8")
        else:
            sys.stdout.write(payload + "\n")
    return 1 if failures else 0
