"""The parsing pipeline: read → normalize → zones → parts → assemble.

Every stage takes the working :class:`~vbextract.doc.WorkDoc` and adds its part. Later stages may read
what earlier ones found, never the reverse. A stage that fails on odd text is reported as a
warning and the rest of the document is still returned: ``parse`` raises only when the input
cannot be read at all (:class:`~vbextract.errors.InputError`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from .doc import LayoutBox, Table, TableCell, TableRow, WorkDoc
from .document import Document, Source
from .errors import InputError
from .limits import LimitExceeded, Limits, check_deadline, looks_like_a_path, without_lone_surrogates
from .limits import applied as applied_limits
from .linebreaks import is_hard_wrapped, join_wrapped_lines
from .marks import mark_lines
from .normalize import normalize_text
from .parts import (
    appendices,
    citations,
    deadlines,
    distribution,
    header,
    kind,
    legal_bases,
    recipients,
    sections,
    signature,
    table_tasks,
    tasks,
    units,
    zones,
)
from .readers import ReadResult, read_bytes, read_path

Stage = Callable[[WorkDoc], None]

# Order matters: marks first (every line marked once), then zones; citations before legal bases, sections, tasks and deadlines
# (dates inside citations are not deadlines); header before deadlines (missing years).
STAGES: list[tuple[str, Stage]] = [
    ("marks", mark_lines),
    ("zones", zones.segment),
    ("header", header.extract_header),
    ("signature", signature.extract_signature),
    ("distribution", distribution.extract_distribution),
    ("recipients", recipients.extract_recipients),
    ("kind", kind.classify_kind),
    ("citations", citations.extract_citations),
    ("legal_bases", legal_bases.extract_legal_bases),
    ("sections", sections.extract_sections),
    ("tasks", tasks.extract_tasks),
    ("table_tasks", table_tasks.extract_table_tasks),
    ("task_units", units.describe_task_units),
    ("deadlines", deadlines.extract_deadlines),
    ("appendices", appendices.extract_appendices),
]

# What each stage reads from the working document and what it sets there, beyond ``PROVIDED``
# (filled before the first stage; every stage may also add warnings and memoize in ``cache``).
# ``modifies`` are fields an earlier stage assigned that this one changes. tests/test_stages.py
# checks that the order of STAGES satisfies this and that a parse touches nothing undeclared.
PROVIDED = ("text", "folded", "lines", "source", "offsets", "layout", "tables", "use_ml")
STAGE_CONTRACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "marks": {"requires": (), "assigns": ("marks",)},
    "zones": {"requires": ("marks",), "assigns": ("zones",)},
    "header": {"requires": ("zones", "marks"), "assigns": ("header", "header_title", "header_vv")},
    "signature": {"requires": ("zones",), "assigns": ("signature",)},
    "distribution": {"requires": ("zones", "marks"), "assigns": ("distribution",)},
    "recipients": {"requires": ("zones", "header", "marks"), "assigns": ("recipients",)},
    "kind": {"requires": ("header", "signature", "distribution", "recipients"), "assigns": ("kind",),
             "modifies": ("header",)},  # an article's guessed header is dropped
    "citations": {"requires": ("zones", "header"), "assigns": ("citations", "citation_spans")},
    "legal_bases": {"requires": ("zones", "citations", "kind"), "assigns": ("legal_bases",)},
    "sections": {"requires": ("zones", "marks"), "assigns": ("sections", "items")},
    "tasks": {"requires": ("zones", "header", "kind", "items"), "assigns": ("tasks",)},
    "table_tasks": {"requires": ("zones", "items", "tasks"), "assigns": (), "modifies": ("tasks",)},
    "task_units": {"requires": ("zones", "sections", "tasks"), "assigns": (), "modifies": ("tasks",)},
    "deadlines": {"requires": ("zones", "header", "citation_spans", "items", "tasks"), "assigns": ("deadlines",),
                  "modifies": ("tasks",)},  # Task.deadline_ids
    "appendices": {"requires": ("zones",), "assigns": ("appendices",)},
}


def parse(
    source: str | bytes | Path,
    *,
    name: str | None = None,
    fmt: str | None = None,
    use_ml: bool = True,
    limits: Limits | None = None,
) -> Document:
    """Parse one document.

    Args:
        source: a path (``Path``, or a ``str`` naming an existing file), the file's bytes, or the
            document's text as ``str``.
        name: a file name for bytes input (used for the format hint and ``source.path``).
        fmt: force the input format (``txt``, ``md``, ``pdf``, ``docx``, ``doc``, ``rtf``, ``html``).
        use_ml: run the statistical components where the rules are unsure (``--no-ml`` turns off).
        limits: per-document limits (:class:`vbextract.limits.Limits`; default: on). In-process
            the time limit is checked between stages and pages; for hard time and memory limits
            use :func:`vbextract.limits.parse_limited`.

    Raises:
        InputError: the input cannot be read at all (empty, corrupt, encrypted, missing tool,
            junk, a missing file named like a document, a limit exceeded).
    """
    with applied_limits(limits):
        if isinstance(source, Path) or (isinstance(source, str) and _is_existing_path(source)):
            result = read_path(source)
        elif isinstance(source, str) and looks_like_a_path(source):
            raise InputError(f"{source}: no such file (a one-line str naming a document file is taken as a "
                             "path; pass the text as bytes or through parse_text to parse it as text)")
        elif isinstance(source, bytes | bytearray):
            result = read_bytes(bytes(source), name, fmt)
        else:
            text = without_lone_surrogates(str(source))
            result = ReadResult(
                text,
                Source(path=name, format="md" if fmt == "md" else "txt",
                       sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), encoding="utf-8"),
            )
        result.text = without_lone_surrogates(result.text)
        return parse_read(result, use_ml=use_ml)


def parse_text(text: str, *, use_ml: bool = True) -> Document:
    """Parse a document given as text (never reads a file)."""
    return parse_read(
        ReadResult(text, Source(format="txt", sha256=hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                                encoding="utf-8")),
        use_ml=use_ml,
    )


def parse_read(result: ReadResult, *, use_ml: bool = True) -> Document:
    """Run the stages on what a reader returned."""
    if result.source.format == "md" and is_hard_wrapped(result.text):
        # converted pages wrap paragraphs at a fixed width; the repair keeps every offset
        result.text = join_wrapped_lines(result.text)
    text, omap = normalize_text(result.text)
    source = result.source
    source.offset_map = omap.anchors()
    doc = WorkDoc(text=text, source=source, offsets=omap, use_ml=use_ml)
    doc.layout = [_to_text_box(box, omap, len(text)) for box in result.layout]
    doc.tables = [_to_text_table(t, omap, len(text)) for t in result.blocks]
    for w in result.warnings + omap.notes:
        doc.warn(w)
    if not text.strip():
        doc.warn("the document has no text", "read.empty")
        return assemble(doc)
    run_rules(doc)
    if use_ml:
        _run_stage("ml", _hybrid_stage(), doc)
    return assemble(doc)


def run_rules(doc: WorkDoc) -> None:
    """Run the rule stages (``STAGES``, in order) on ``doc``, each guarded as in :func:`parse`.

    Components below the pipeline that must re-read a document with the rules (the hybrid stage
    after restoring line breaks, corpus pre-annotation) are handed this function; they never
    import the pipeline.
    """
    for name, stage in STAGES:
        _run_stage(name, stage, doc)


def _run_stage(name: str, stage: Stage, doc: WorkDoc) -> None:
    check_deadline(f"before the {name.replace('_', ' ')}")
    doc.stage = name
    try:
        stage(doc)
    except (MemoryError, LimitExceeded):  # a limit, not a bug: the document fails and says why
        raise
    except Exception as exc:  # a bug on odd text must not lose the document
        doc.warn(f"internal error while reading the {name.replace('_', ' ')}: "
                 f"{type(exc).__name__}: {exc}", "internal_error")
    finally:
        doc.stage = None


def _hybrid_stage() -> Stage:
    try:
        from .ml.hybrid import apply_models
    except ImportError:
        return lambda doc: None
    return lambda doc: apply_models(doc, rerun=run_rules)


def assemble(doc: WorkDoc) -> Document:
    return Document(
        source=doc.source,
        text=doc.text,
        kind=doc.kind,  # type: ignore[arg-type]
        header=doc.header.model_copy(update={"ref": header_ref(doc.header, doc.text[:3000])}),
        recipients=doc.recipients,
        legal_bases=doc.legal_bases,
        citations=doc.citations,
        sections=doc.sections,
        tasks=doc.tasks,
        deadlines=doc.deadlines,
        signature=doc.signature,
        distribution=doc.distribution,
        appendices=doc.appendices,
        warnings=doc.warnings,
        notices=doc.notices,
        generator=_generator(doc),
    )


def _generator(doc: WorkDoc):
    """The record's ``generator`` block, saying whether the statistical components really ran."""
    from .contract import current_generator

    ran = doc.use_ml and not any(n.code == "ml.unavailable" or "models are not installed" in n.message
                                 for n in doc.notices)
    return current_generator(ml=ran)


def header_ref(h, top: str = "") -> str | None:
    """The document's own ref as a citation of it would print it: "552/KH-UBND",
    "12/2024/NĐ-CP", and the Party form "245-KL/TU" when the top of the document (``top``)
    prints the number joined by a dash; ``None`` while the number is blank (a draft)."""
    if not h.number or not h.symbol:
        return None
    year = f"{h.year}/" if h.year and f"{h.year}" not in h.symbol else ""
    first = h.symbol.split("/")[0]
    dash = not year and first and f"{h.number}-{first}" in "".join(top.split()).replace("–", "-")
    return "".join(f"{h.number}{'-' if dash else '/'}{year}{h.symbol}".split()).replace("–", "-")


def _is_existing_path(s: str) -> bool:
    if "\n" in s or len(s) > 4096:
        return False
    try:
        return Path(s).exists()  # devices, FIFOs, folders too: read_path refuses them by name
    except OSError:
        return False


def _to_text_box(box: LayoutBox, omap, n: int) -> LayoutBox:
    return LayoutBox(min(omap.to_text(box.start), n), min(omap.to_text(box.end), n), box.page, box.bbox)


def _to_text_table(table: Table, omap, n: int) -> Table:
    """The reader's table with its cell spans moved into the normalized text."""
    rows = [TableRow([TableCell(min(omap.to_text(c.start), n), min(omap.to_text(c.end), n)) for c in r.cells])
            for r in table.rows]
    return Table(rows, table.page)
