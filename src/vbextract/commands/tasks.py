"""``vbextract tasks INPUT… -o OUT.jsonl|OUT.csv|OUT.ics``: the tasks of many documents, flattened."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".parquet")


def register(sub) -> None:
    p = sub.add_parser(
        "tasks",
        help="export the tasks of many documents as JSONL, CSV or iCalendar",
        description=(
            "Flatten the tasks (directives) of every document under INPUT into one table: document number, "
            "date, issuer, task id and text, lead and support units, deadlines. INPUT may be documents, "
            "folders or archives (parsed now), or the output of 'vbextract batch' (.jsonl, .parquet) or "
            "'vbextract parse' (.json), or a 'batch --format hf' folder. In .ics each task is a VTODO, due on its deadline. "
            "Example: vbextract tasks out.jsonl -o tasks.ics"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="OUT.jsonl, OUT.csv or OUT.ics")
    p.add_argument("--format", choices=("jsonl", "csv", "ics"), help="default: from the OUT file name")
    p.add_argument("--excel", action="store_true", help="CSV for Excel: UTF-8 with BOM and CRLF line ends")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for inputs that need parsing")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..export import task_rows, write_tasks

    fmt = args.format or Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("jsonl", "csv", "ics"):
        print(f"vbextract tasks: cannot tell the format of {args.output}; use --format jsonl|csv|ics",
              file=sys.stderr)
        return 2
    failures: list[str] = []
    docs = list(iter_documents(args.inputs, args.jobs, not args.no_ml, failures))
    # Workers finish in any order: sort by where each document came from for a stable file.
    docs.sort(key=lambda d: (d.source.path or "", d.source.member or "", d.source.sha256 or ""))
    rows = [row for doc in docs for row in task_rows(doc)]
    n = write_tasks(rows, args.output, fmt, excel=args.excel)
    for f in failures:
        print(f"vbextract tasks: {f}", file=sys.stderr)
    unit = "calendar entries" if fmt == "ics" else "tasks"
    print(f"{len(rows)} tasks from {len(docs)} documents → {args.output} ({n} {unit}); {len(failures)} inputs failed",
          file=sys.stderr)
    return 1 if failures else 0


def iter_documents(inputs: list[str], jobs: int | None, use_ml: bool, failures: list[str]) -> Iterator:
    """Documents from batch/parse outputs as they are, and from everything else by parsing."""
    to_parse = []
    for name in inputs:
        path = Path(name)
        if path.is_file() and path.suffix.lower() in RECORD_SUFFIXES:
            yield from _read_records(path)
        elif path.is_dir() and (path / "dataset_info.json").exists():  # a `batch --format hf` output
            from ..dataset import from_dataset, load_output

            yield from from_dataset(load_output(path, "hf"))
        else:
            to_parse.append(name)
    if to_parse:
        from ..batch import parse_many

        for result in parse_many(to_parse, jobs=jobs, use_ml=use_ml):
            if result.ok:
                yield result.document
            else:
                assert result.error is not None
                loc = result.locations[0]
                failures.append(f"{loc.path}{'!/' + loc.member if loc.member else ''}: {result.error.reason}")


def _read_records(path: Path) -> Iterator:
    from ..batch import document_from_record, iter_jsonl

    if path.suffix.lower() == ".parquet":
        from ..dataset import from_dataset, load_output

        yield from from_dataset(load_output(path, "parquet"))
    elif path.suffix.lower() == ".json":
        yield document_from_record(json.loads(path.read_text(encoding="utf-8")))
    else:
        for line in iter_jsonl(path):
            yield document_from_record(json.loads(line))
