"""``vbextract report FILE… -o report.html``: what was extracted, highlighted in the text.

FILE may be a document (parsed now, under the same per-document limits as ``parse``) or the
JSON of ``vbextract parse`` (one document, or an array) or the JSON lines of ``batch``.
"""

from __future__ import annotations

import sys
from pathlib import Path

RECORD_SUFFIXES = (".json", ".jsonl", ".ndjson")


def register(sub) -> None:
    p = sub.add_parser(
        "report",
        help="an HTML report: the text with every extracted value highlighted, the tasks, the warnings",
        description="Write one HTML page showing, for each FILE, the header as read, the text with every extracted "
        "value highlighted in place (spaCy displaCy), a task table (id, text, lead, support, deadline) linked to "
        "the highlights, the deadlines and the warnings. FILE: a document, or the JSON of 'vbextract parse' / the "
        "JSON lines of 'vbextract batch'. Example: vbextract report cong-van.pdf -o report.html",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="OUT.html", help="the HTML file ('-' for stdout)")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="per-document time limit for documents parsed now (default 120, 0 = none)")
    p.add_argument("--title", default="vbextract report", help="the page title")
    p.set_defaults(func=run)


def _records(path: Path):
    import json

    from ..document import Document

    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    else:
        items = [json.loads(line) for line in text.splitlines() if line.strip()]
    for i, item in enumerate(items):
        record = item.get("document", item) if isinstance(item, dict) else item
        name = (record.get("source") or {}).get("path") or f"{path.name}[{i}]"
        yield name, Document.model_validate(record)


def run(args) -> int:
    import importlib.util

    if importlib.util.find_spec("spacy") is None:  # checked before any document is parsed
        print("vbextract report: the report is drawn by spaCy's displaCy, and spaCy is not installed; "
              "install it with: pip install 'vbextract[spacy]'", file=sys.stderr)
        return 2
    from ..errors import InputError
    from ..limits import DEFAULT_LIMITS, parse_limited
    from ..report import render_report

    missing = [f for f in args.files if not Path(f).exists()]
    if missing:
        print(f"vbextract report: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    docs, failed = [], []
    limits = DEFAULT_LIMITS.with_(timeout_s=args.timeout or None)
    for name in args.files:
        path = Path(name)
        try:
            if path.suffix.lower() in RECORD_SUFFIXES:
                docs.extend(_records(path))
            else:
                docs.append((name, parse_limited(path, limits=limits, use_ml=not args.no_ml, context="fork")))
        except InputError as exc:
            print(f"vbextract: {name}: {exc}", file=sys.stderr)
            failed.append((name, str(exc)))
        except (ValueError, UnicodeDecodeError) as exc:  # not the JSON of a Document
            msg = f"not a vbextract record: {str(exc).splitlines()[0]}"
            print(f"vbextract: {name}: {msg}", file=sys.stderr)
            failed.append((name, msg))
    page = render_report(docs, failed=failed, title=args.title)
    try:
        if args.output == "-":
            sys.stdout.write(page)
        else:
            out = Path(args.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(page, encoding="utf-8")
    except OSError as exc:
        print(f"vbextract report: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 74
    tasks = sum(len(d.tasks) for _, d in docs)
    print(f"vbextract report: {len(docs)} documents, {tasks} tasks → {args.output}; {len(failed)} failed",
          file=sys.stderr)
    return 1 if failed else 0
