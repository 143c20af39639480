"""``vbextract export INPUT… --to edxml|jsonl|csv|xlsx|ics|phieu -o OUT``: documents for other systems."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from .tasks import FEED_FORMATS

TARGETS = ("edxml", *FEED_FORMATS)


def register(sub) -> None:
    p = sub.add_parser(
        "export",
        help="export documents as edXML packets (QCVN 102:2016/BTTTT) or their tasks as feeds",
        description=(
            "--to edxml writes the edXML packet of QCVN 102:2016/BTTTT (amended 2022) of each document: the "
            "message header (From, To, Code, PromulgationInfo, DocumentType, Subject, SignerInfo, DueDate, "
            "ToPlaces, OtherInfo, ResponseFor) and the original file as an attachment. Mã định danh (OrganId) "
            "comes only from --organ-ids (a JSON object or CSV, name -> code); without it the packet says what "
            "is missing. With one document OUT is the file (- for stdout); with several, a folder. "
            "--to jsonl|csv|xlsx|ics|phieu writes the task feed, as 'vbextract tasks' does. "
            "INPUT: documents, folders, archives, or 'batch'/'parse' output. "
            "Example: vbextract export cv.pdf --to edxml --organ-ids ids.csv -o cv.edxml"
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--to", required=True, choices=TARGETS, help="what to write")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="a file, a folder (edxml, several), or -")
    p.add_argument("--organ-ids", metavar="MAP", help="edxml: agency name -> mã định danh (JSON object or CSV)")
    p.add_argument("--no-attachment", action="store_true", help="edxml: do not attach the original file")
    p.add_argument("--strict", action="store_true",
                   help="edxml: exit 1 when a packet is incomplete or does not validate against the schema")
    p.add_argument("--no-bom", action="store_true", help="csv: no UTF-8 BOM, LF line ends")
    p.add_argument("--ics-events", action="store_true", help="ics: all-day VEVENTs instead of VTODOs")
    p.add_argument("--jobs", "-j", type=int, metavar="N", help="worker processes for inputs that need parsing")
    p.add_argument("--no-ml", action="store_true", help="rules only; skip the statistical components")
    p.set_defaults(func=run, excel=False)


def run(args: argparse.Namespace) -> int:
    if args.to != "edxml":
        from .tasks import run_feed

        return run_feed(args, args.to, "vbextract export")
    return run_edxml(args)


def _original(doc) -> tuple[Path | None, str | None]:
    """The original file of ``doc`` to attach, or None and why not."""
    src = doc.source
    if src.member:
        return None, f"{src.path}!/{src.member} is inside an archive"
    if not src.path:
        return None, "the record names no file"
    path = Path(src.path)
    if not path.is_file():
        return None, f"{src.path} is not there"
    if src.sha256 and hashlib.sha256(path.read_bytes()).hexdigest() != src.sha256:
        return None, f"{src.path} changed since it was parsed"
    return path, None


def run_edxml(args: argparse.Namespace) -> int:
    from ..export.edxml import OrganIds, file_name, message_from_document, problems, to_xml, validate
    from .tasks import iter_documents

    prog = "vbextract export"
    try:
        ids = OrganIds.load(args.organ_ids) if args.organ_ids else OrganIds()
    except (OSError, ValueError) as exc:
        print(f"{prog}: --organ-ids: {exc}", file=sys.stderr)
        return 2
    failures: list[str] = []
    docs = list(iter_documents(args.inputs, args.jobs, not args.no_ml, failures))
    docs.sort(key=lambda d: (d.source.path or "", d.source.member or "", d.source.sha256 or ""))
    out = Path(args.output)
    several = len(docs) > 1 or out.is_dir() or args.output.endswith(("/", "\\"))
    if several and args.output == "-":
        print(f"{prog}: {len(docs)} documents: -o must be a folder (one .edxml each)", file=sys.stderr)
        return 2
    try:
        import lxml  # noqa: F401

        can_validate = True
    except ImportError:
        can_validate = False
    incomplete = 0
    used: set[str] = set()
    for doc in docs:
        attach, why = (None, None) if args.no_attachment else _original(doc)
        msg = message_from_document(doc, ids, attachment=attach)
        xml = to_xml(msg)
        if several:
            name = file_name(doc)
            while name in used:  # two documents with the same number and symbol
                name = name[: -len(".edxml")] + "_" + (doc.source.sha256 or "x")[:8] + ".edxml"
            used.add(name)
            target: Path | None = out / name
        else:
            target = None if args.output == "-" else out
        label = target.name if target else "stdout"
        missing = problems(msg)
        errors = validate(xml) if can_validate else []
        if why:
            print(f"{prog}: {label}: no attachment: {why}", file=sys.stderr)
        if missing or errors:
            incomplete += 1
            for m in missing:
                print(f"{prog}: {label}: incomplete: {m}", file=sys.stderr)
            if errors and not missing:
                for e in errors[:5]:
                    print(f"{prog}: {label}: schema: {e}", file=sys.stderr)
        if target is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(xml)
            sys.stdout.buffer.flush()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(xml)
            tmp.replace(target)
    for f in failures:
        print(f"{prog}: {f}", file=sys.stderr)
    where = "stdout" if args.output == "-" else args.output
    check = "" if can_validate else " (lxml not installed: not checked against the schema)"
    print(f"{len(docs)} edXML packets → {where}; {incomplete} incomplete{check}; {len(failures)} inputs failed",
          file=sys.stderr)
    if failures:
        return 1
    return 1 if args.strict and incomplete else 0
