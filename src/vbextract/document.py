"""The output contract: pydantic models for one parsed document.

Field names and meanings follow ``shared/spec/output.md`` (schema version 1). Fields may be
added; renaming or dropping one requires a new ``schema_version``. ``vbextract schema`` prints
the JSON Schema generated from these models; the committed copy lives in
``schema/document.schema.json`` and CI fails when it is stale.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ._meta import SCHEMA_VERSION as SCHEMA_VERSION  # there so that --version need not import pydantic

Span = tuple[int, int]
DeadlineKind = Literal["by", "on", "range", "period", "ongoing", "recurring"]
SectionKind = Literal["purpose", "targets", "tasks", "funding", "organization", "reporting", "other"]
Producer = Literal["rules", "ml", "signature", "layout"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class PdfSignature(_Model):
    """One digital-signature dictionary found in a PDF (``/Sig``)."""

    name: str | None = None
    signing_time: str | None = Field(None, description="/M as ISO 8601")
    reason: str | None = None
    location: str | None = None
    contact_info: str | None = None


class Source(_Model):
    path: str | None = None
    member: str | None = Field(None, description="member name when the file came from an archive")
    format: Literal["txt", "md", "pdf", "docx", "doc", "rtf", "html"] = "txt"
    sha256: str | None = None
    pages: int | None = None
    encoding: str | None = Field(None, description="text encoding detected (utf-8, cp1258, tcvn3, vni …)")
    legacy_conversion: str | None = Field(
        None, description="legacy encoding converted to Unicode, e.g. 'tcvn3', 'vni'"
    )
    text_layer: str | None = Field(
        None,
        description="PDF text-layer class: 'good', 'garbled', 'wrong-ocr', 'none', 'ocr' (OCR applied)",
    )
    signatures: list[PdfSignature] = Field(default_factory=list)
    offset_map: list[tuple[int, int]] = Field(
        default_factory=list,
        description=(
            "anchors (text offset, input offset): a position p in `text` maps to input offset "
            "b + (p - a) for the last anchor (a, b) with a <= p"
        ),
    )
    recovered: dict[str, tuple[int, int]] = Field(
        default_factory=dict,
        description=(
            "values the reader wrote into blanks of the text from outside the page content (a PDF "
            "signing stamp): 'number' / 'date' -> span in input offsets (see offset_map)"
        ),
    )
    site_metadata: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "a saved portal page's own attribute box, label -> value as the site prints them "
            "(vbpl.vn: 'Số hiệu', 'Loại văn bản', 'Ngày ban hành', 'Cơ quan ban hành', 'Người ký' …); "
            "the site's data, not the document's text"
        ),
    )


# Where a value came from when it was not read where the form prints it (README "Provenance").
# A field absent from a ``provenance`` dict was read from the printed header or signature block.
Provenance = Literal["model", "pdf-stamp", "pdf-signature", "authority-line", "body", "site-metadata"]


class Header(_Model):
    issuer: str | None = None
    issuer_parent: str | None = None
    issuer_inferred: bool = False
    national_motto: bool = False
    party_header: bool = False
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: str | None = None
    date_source: Literal["header", "signature", "body"] | None = None
    subject: str | None = None
    urgency: str | None = None
    secrecy: str | None = None
    is_draft: bool = False
    span: Span | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    ref: str | None = None  # "552/KH-UBND", normalized as ``Citation.ref`` (joins documents and citations)
    provenance: dict[str, Provenance] = Field(
        default_factory=dict,
        description="field name -> where a value not read from the printed header came from",
    )


NoticeProducer = Literal["reader", "rules", "ml", "signature", "layout"]


class Notice(_Model):
    """One warning as data: a stable ``code`` (see README "Warnings"), the sentence shown in
    ``Document.warnings``, the part it is about (``path``) and who raised it."""

    code: str
    message: str
    path: str | None = None
    producer: NoticeProducer = "rules"


class LegalBasis(_Model):
    verb: str
    text: str
    citation_refs: list[str] = Field(
        default_factory=list, description="refs of the numbered documents the clause rests on (empty for a proposal)"
    )
    unnumbered_refs: list[str] = Field(
        default_factory=list, description="named documents without a number (\"Luật Trẻ em\")"
    )
    span: Span
    role: Literal["basis", "proposal"] = Field(
        "basis",
        description="'proposal' for \"Xét/Theo đề nghị của … tại Tờ trình số …\": who proposed it, not what it rests on",
    )
    proposal_refs: list[str] = Field(
        default_factory=list, description="refs of a proposal clause (the Tờ trình or công văn that proposed it)"
    )


class Citation(_Model):
    ref: str
    doc_type: str | None = None
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    unnumbered: bool = False
    span: Span
    mentions: list[Span] = Field(default_factory=list, description="every place the ref occurs")


class Section(_Model):
    id: str
    label: str
    title: str | None = None
    kind: SectionKind = "other"
    span: Span
    children: list[Section] = Field(default_factory=list)


UnitRole = Literal["lead", "support"]
UnitKind = Literal["agency", "office_holder", "collective"]


class Unit(_Model):
    """One unit named by a task, as printed (``span``) and as the registry knows it."""

    role: UnitRole
    text: str
    span: Span | None = None  # the printed words in ``Document.text``
    canonical: str | None = None  # the registry's current official name, when known
    kind: UnitKind = "agency"
    level: Literal["central", "province", "commune", "party", "mass", "other"] | None = None


class Task(_Model):
    id: str
    label: str | None = None
    text: str
    lead_units: list[str] = Field(default_factory=list)
    support_units: list[str] = Field(default_factory=list)
    lead_inherited: bool = False
    deadline_ids: list[int] = Field(default_factory=list)
    section_kind: SectionKind | None = None
    producer: Producer = "rules"
    span: Span
    page: int | None = None
    units: list[Unit] = Field(default_factory=list)  # lead and support units with spans
    parent_id: str | None = None  # the enclosing task (a bullet's item, an item's parent item)
    section_id: str | None = None  # the top-level section the task sits in
    deadline_refs: list[str] = Field(default_factory=list)  # ``Deadline.id`` of its deadlines


class Deadline(_Model):
    id: str = ""  # stable, from the deadline's words and its task: "dl-<hash>"
    text: str
    kind: DeadlineKind
    date: str | None = None
    start: str | None = None
    end: str | None = None
    year_inferred: bool = False
    task_id: str | None = None
    span: Span


class Signature(_Model):
    authority: str | None = None
    chain: list[str] = Field(default_factory=list)
    position: str | None = None
    signer: str | None = None
    span: Span | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    provenance: dict[str, Provenance] = Field(
        default_factory=dict,
        description="field name -> where a value not read from the printed block came from",
    )


class Appendix(_Model):
    title: str
    span: Span
    header: Header | None = None


class Generator(_Model):
    """What wrote a record (see ``vbextract.contract``)."""

    name: Literal["vbextract"] = "vbextract"
    version: str = Field(description="vbextract version")
    schema_version: str = Field(description="major version of the output contract (= Document.schema_version)")
    schema_minor: int = Field(0, description="minor version: adds fields, never renames or drops one")
    rules: str | None = Field(None, description="version of the rules (grammars and the parts applying them)")
    models: dict[str, str] = Field(default_factory=dict, description="statistical model name -> version")
    ml: bool | None = Field(None, description="whether the statistical components ran (None: not recorded)")


def _generator() -> Generator:
    from .contract import current_generator

    return current_generator()


class Document(_Model):
    schema_version: Literal["1"] = "1"
    source: Source = Field(default_factory=Source)
    text: str = ""
    kind: Literal["formal", "article", "unknown"] = "unknown"
    header: Header = Field(default_factory=Header)
    recipients: list[str] = Field(default_factory=list)
    legal_bases: list[LegalBasis] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    signature: Signature | None = None
    distribution: list[str] = Field(default_factory=list)
    appendices: list[Appendix] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)  # the warnings with code, path and producer
    generator: Generator | None = Field(default_factory=_generator, description="what wrote this record")

    def to_json(self, indent: int | None = 2) -> str:
        """Serialize as JSON with Vietnamese kept readable."""
        return self.model_dump_json(indent=indent)


def json_schema() -> dict:
    """The JSON Schema of :class:`Document`."""
    schema = Document.model_json_schema()
    schema["$id"] = "https://github.com/vbextract/vbextract/schema/document.schema.json"
    schema["title"] = "vbextract Document (schema version 1)"
    return schema
