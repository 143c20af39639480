"""``vbextract tasks INPUT… -o OUT.jsonl|.csv|.xlsx|.ics|.phieu.json|-``: the tasks of many documents, flattened."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".json", ".parquet")


def register(sub) -> None:
    p = sub.add_parser(
        "tasks",
        help="export the tasks of many documents as JSONL, CSV, XLSX, iCalendar or a Phiếu giải quyết JSON",
        description=(
            "Flatten the tasks (directives) of every document under INPUT into one table: document ref, "
            "date, issuer, subject, stable task id and text, lead and support units, every deadline (the "
            "task's, or the document's when the task has none, marked so). INPUT may be documents, "
            "folders or archives (parsed now), or the output of 'vbextract batch' (.jsonl, .parquet) or "
            "'vbextract parse' (.json), or a 'batch --format hf' folder. CSV is UTF-8 with a BOM for Excel; "
            ".xlsx has Vietnamese headers; in .ics each dated deadline is a VTODO with DUE (--ics-events: "
            "VEVENTs); 'phieu' is the Phiếu giải quyết văn bản đến of Nghị định 30/2020 as JSON. "
            "-o - writes to stdout. Example: vbextract tasks out.jsonl -o tasks.ics"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    add_feed_options(p)
    p.set_defaults(func=run)


def add_feed_options(p, required: bool = True) -> None:
    p.add_argument("-o", "--output", required=required, metavar="OUT",
                   help="OUT.jsonl, OUT.csv, OUT.xlsx, OUT.ics, OUT.phieu.json, or - for stdout (give --format)")
    p.add_argument("--format", choices=FEED_FORMATS, help="default: from the OUT file name")
    p.add_argument("--no-bom", action="store_true", help="CSV without the UTF-8 BOM and with LF line ends")
    p.add_argument("--excel", action="store_true", help=argparse.SUPPRESS)  # the CSV default now
    p.add_argument("--ics-events", action="store_true",
                   help="iCalendar: an all-day VEVENT on each due day instead of VTODOs")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for inputs that need parsing")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")


FEED_FORMATS = ("jsonl", "csv", "xlsx", "ics", "phieu")


def run(args) -> int:
    return run_feed(args, args.format, "vbextract tasks")


def run_feed(args, fmt: str | None, prog: str) -> int:
    from ..export.tasks import format_of, task_rows, write_tasks

    fmt = fmt or (None if args.output == "-" else format_of(args.output))
    if fmt not in FEED_FORMATS:
        print(f"{prog}: cannot tell the format of {args.output}; use --format jsonl|csv|xlsx|ics|phieu",
              file=sys.stderr)
        return 2
    failures: list[str] = []
    docs = list(iter_documents(args.inputs, args.jobs, not args.no_ml, failures))
    # Workers finish in any order: sort by where each document came from for a stable file.
    docs.sort(key=lambda d: (d.source.path or "", d.source.member or "", d.source.sha256 or ""))
    rows = [row for doc in docs for row in task_rows(doc)]
    try:
        n = write_tasks(rows, args.output, fmt, excel=not args.no_bom, events=args.ics_events)
    except ModuleNotFoundError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    for f in failures:
        print(f"{prog}: {f}", file=sys.stderr)
    unit = {"ics": "calendar entries", "phieu": "phiếu"}.get(fmt, "rows")
    dated = sum(1 for r in rows if r["due"])
    where = "stdout" if args.output == "-" else args.output
    print(f"{len(rows)} task rows ({dated} with a due date) from {len(docs)} documents → {where} ({n} {unit}); "
          f"{len(failures)} inputs failed", file=sys.stderr)
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
    """Records written by any vbextract of this major schema version (read leniently)."""
    from ..batch import iter_jsonl
    from ..contract import read_document

    if path.suffix.lower() == ".parquet":
        from ..dataset import from_dataset, load_output

        yield from from_dataset(load_output(path, "parquet"))
    elif path.suffix.lower() == ".json":
        yield read_document(path.read_text(encoding="utf-8"), source=str(path))
    else:
        for n, line in enumerate(iter_jsonl(path), 1):
            yield read_document(line, source=f"{path}:{n}")
