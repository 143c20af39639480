"""``vbextract parse FILE… [-o OUT] [--format json|jsonl] [--no-ml] [--timeout S] [--max-memory SIZE]``.

Output: one input to stdout gives one JSON object; several give a JSON array (``--format json``)
or one object per line (``--format jsonl``), so stdout is always valid JSON or JSONL. ``-o
x.json`` (one input) or ``-o x.jsonl`` writes that file; any other ``-o DIR`` writes one
``<name>.json`` per input into DIR, with names made distinct when inputs share a name.

Each document is parsed in a child process under the per-document limits
(:mod:`vbextract.limits`): a document past ``--timeout`` or ``--max-memory`` fails with a
message naming the limit, and the next one is parsed.

Exit status: 0 all parsed, 1 some input could not be parsed, 2 usage error (a missing input
path), 74 the output cannot be written (disk full …), 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_IO_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 74, 130


def register(sub) -> None:
    p = sub.add_parser(
        "parse",
        help="parse documents to JSON",
        description="Parse each FILE (.txt .md .pdf .docx .doc .rtf .html; '-' for stdin) to JSON. "
        "Several inputs on stdout: a JSON array (--format json) or JSON lines (--format jsonl). "
        "Exit status: 0 ok, 1 some input failed, 2 usage error or missing file, 74 output not writable, "
        "130 interrupted. Example: vbextract parse cong-van.pdf -o out/",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="a .json file (one input), a .jsonl file, or a folder for one <name>.json per input")
    p.add_argument("--format", choices=("json", "jsonl"), default="json")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.add_argument("--compact", action="store_true", help="no indentation in JSON")
    p.add_argument("--no-text", action="store_true",
                   help="leave out the document text and its offset map (spans still index the text)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="per-document time limit (default 120, 0 = none)")
    p.add_argument("--max-memory", default="4G", metavar="SIZE",
                   help="per-document memory limit, e.g. 2G (default 4G, 0 = none)")
    p.add_argument("--max-file-size", default="100M", metavar="SIZE", help="larger inputs fail (default 100M)")
    p.add_argument("--max-decompressed", default="64M", metavar="SIZE",
                   help="a .docx whose XML inflates to more than this fails (default 64M, 0 = none)")
    p.add_argument("--max-pages", type=int, default=1000, metavar="N",
                   help="PDFs with more pages fail (default 1000, 0 = none)")
    p.add_argument("--ocr-pages", type=int, metavar="N", help="OCR at most N pages of each scanned PDF")
    p.set_defaults(func=run)


def run(args) -> int:
    limits = _limits(args)
    if isinstance(limits, str):
        print(f"vbextract parse: {limits}", file=sys.stderr)
        return EXIT_USAGE
    missing = [f for f in args.files if f != "-" and not Path(f).exists()]
    if missing:
        print(f"vbextract parse: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.output) if args.output else None
    if out and out.suffix.lower() == ".json" and len(args.files) > 1 and not out.is_dir():
        print(f"vbextract parse: -o {out}: one .json file holds one document; use a .jsonl file or a folder "
              "for several inputs", file=sys.stderr)
        return EXIT_USAGE
    try:
        return _parse_all(args, limits, out)
    except KeyboardInterrupt:
        print("\nvbextract parse: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"vbextract parse: cannot write the output: {exc.strerror or exc}"
              f"{' (' + str(exc.filename) + ')' if getattr(exc, 'filename', None) else ''}", file=sys.stderr)
        return EXIT_IO_ERROR


def _limits(args):
    from .. import limits

    try:
        memory = limits.parse_size(args.max_memory)
        decompressed = limits.parse_size(args.max_decompressed)
        max_input = limits.parse_size(args.max_file_size)
    except ValueError as exc:
        return f"bad size: {exc}"
    return limits.Limits(timeout_s=args.timeout or None, max_memory_mb=memory // limits.MiB or None,
                         max_input_mb=max_input / limits.MiB or None,
                         max_decompressed_mb=decompressed / limits.MiB or None, max_pages=args.max_pages or None)


def _parse_all(args, limits, out: Path | None) -> int:
    from ..errors import InputError
    from ..ocr import limits as ocr_limits

    writer = _Writer(args, out)
    _warm_up(not args.no_ml, several=len(args.files) > 1)  # each document's child inherits what loads here
    failures = 0
    for name in args.files:
        try:
            with ocr_limits(pages=args.ocr_pages):  # the forked child inherits the limit
                doc = _parse_one(name, args, limits)
        except InputError as exc:
            print(f"vbextract: {name}: {exc}", file=sys.stderr)
            failures += 1
            continue
        for w in doc.warnings:
            print(f"vbextract: {name}: warning: {w}", file=sys.stderr)
        writer.write(name, doc)
    writer.close()
    return EXIT_FAILED if failures else EXIT_OK


def _parse_one(name: str, args, limits):
    from ..limits import parse_limited

    if name == "-":
        return parse_limited(sys.stdin.buffer.read(), limits=limits, use_ml=not args.no_ml, context="fork")
    return parse_limited(Path(name), limits=limits, use_ml=not args.no_ml, context="fork")


def _warm_up(use_ml: bool, several: bool) -> None:
    """Import the parser and parse a tiny document before the first fork; with several inputs
    also load every model, so that no child loads one again. One input loads only the models
    it needs, in its child (a clean document skips the line-break model)."""
    import gc

    from ..batch.workers import warm_up

    gc.disable()  # the imports allocate much and free little: collections there are wasted work
    try:
        warm_up(use_ml)
        if use_ml and several:
            with contextlib.suppress(Exception):
                from ..ml import load_all

                load_all()
    finally:
        gc.enable()


class _Writer:
    """Where the JSON goes: stdout (one object, an array, or lines), one file, or a folder."""

    def __init__(self, args, out: Path | None) -> None:
        self.args = args
        self.out = out
        self.lines = args.format == "jsonl" or (out is not None and out.suffix.lower() in (".jsonl", ".ndjson"))
        self.single_file = out is not None and (self.lines or (out.suffix.lower() == ".json" and not out.is_dir()))
        self.names = output_names(args.files) if out is not None and not self.single_file else {}
        self.count = 0
        self.array = not self.lines and out is None and len(args.files) > 1
        self.fh = None
        if out is not None and self.single_file:
            out.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(out, "w", encoding="utf-8")  # noqa: SIM115  (closed in close())
        elif out is not None:
            out.mkdir(parents=True, exist_ok=True)

    def write(self, name: str, doc) -> None:
        payload = document_json(doc, compact=self.args.compact or self.lines, text=not self.args.no_text)
        if self.out is not None and not self.single_file:
            (self.out / self.names[name]).write_text(payload + "\n", encoding="utf-8")
        elif self.fh is not None:
            self.fh.write(payload + "\n")
        elif self.array:
            sys.stdout.write(("[\n" if self.count == 0 else ",\n") + payload)
        else:
            sys.stdout.write(payload + "\n")
        self.count += 1

    def close(self) -> None:
        if self.array:
            sys.stdout.write("[]\n" if self.count == 0 else "\n]\n")
        if self.fh is not None:
            self.fh.close()
        sys.stdout.flush()


def output_names(files: list[str]) -> dict[str, str]:
    """``<stem>.json`` per input, made distinct: ``a/report.txt`` and ``a/report.rtf`` become
    ``report.txt.json`` and ``report.rtf.json``; ``a/report.txt`` and ``b/report.txt`` get a short
    hash of their path as well. The same path named twice writes one file."""
    import hashlib
    from collections import Counter

    unique = list(dict.fromkeys(files))
    base = {f: ("stdin" if f == "-" else Path(f).name) for f in unique}
    stems = Counter(Path(b).stem for b in base.values())
    fulls = Counter(base.values())
    names = {}
    for f in unique:
        b = base[f]
        if stems[Path(b).stem] == 1:
            names[f] = f"{Path(b).stem}.json"
        elif fulls[b] == 1:
            names[f] = f"{b}.json"
        else:
            names[f] = f"{b}-{hashlib.sha256(str(Path(f).resolve()).encode()).hexdigest()[:8]}.json"
    return names


def document_json(doc, *, compact: bool = False, text: bool = True) -> str:
    """The Document as JSON: indented, but with the offset map's pairs kept on one line each (a
    9 KB công văn gave 54 KB of JSON spread over thousands of lines); ``text=False`` leaves out
    ``text`` and ``source.offset_map``."""
    import json
    import re

    if not text:
        data = doc.model_dump(mode="json")
        data.pop("text", None)
        data.get("source", {}).pop("offset_map", None)
        return json.dumps(data, ensure_ascii=False, indent=None if compact else 2,
                          separators=(",", ":") if compact else None)
    if compact:
        return doc.model_dump_json()
    pretty = doc.model_dump_json(indent=2)
    return re.sub(r"\[\s+(-?\d+),\s+(-?\d+)\s+\]", r"[\1, \2]", pretty)
