"""edXML (QCVN 102:2016/BTTTT, amended 2022): the packet document-management systems exchange.

:func:`message_from_document` maps a :class:`~vbextract.document.Document` onto the message
header (section 1 of the standard: From, To, Code, PromulgationInfo, DocumentType, Subject,
SignerInfo, DueDate, ToPlaces, OtherInfo, ResponseFor, DocumentId), a trace-header business block
and the original file as an attachment; :func:`to_xml` writes it, every child element prefixed
``edXML:`` (the VPCP reader refuses them without), and :func:`from_xml` reads such a packet back.
``edxml.xsd`` next to this module is the schema the output is checked against
(:func:`validate`, needs lxml).

Mã định danh (``OrganId``) is never guessed: it comes from a mapping the user supplies
(:class:`OrganIds`, name → code), and is left out otherwise — the packet then does not validate,
and :func:`problems` says what is missing. The README's "edXML" section lists every field, where
its value comes from and the values chosen.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

from ..document import Document
from .tasks import due_date, whole_document_deadlines

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
XSD_PATH = Path(__file__).with_name("edxml.xsd")
VN_TIME = dt.timezone(dt.timedelta(hours=7))

# DocumentType/Type: the administrative-document table (B) of QCVN 102:2016/BTTTT/SĐ1:2022.
# 1-9 and 18-26 as read in the table; 10-17 follow the order of Nghị định 30/2020 Art. 7, which the
# table follows where it was read (18 Công văn, 19 Công điện). Other types get no Type.
DOCUMENT_TYPES = {
    "nghị quyết": 1, "quyết định": 2, "chỉ thị": 3, "quy chế": 4, "quy định": 5, "thông cáo": 6,
    "thông báo": 7, "hướng dẫn": 8, "chương trình": 9, "kế hoạch": 10, "phương án": 11, "đề án": 12,
    "dự án": 13, "báo cáo": 14, "biên bản": 15, "tờ trình": 16, "hợp đồng": 17, "công văn": 18,
    "công điện": 19, "bản ghi nhớ": 20, "bản cam kết": 21, "bản thỏa thuận": 22, "giấy chứng nhận": 23,
    "giấy ủy quyền": 24, "giấy mời": 25, "giấy giới thiệu": 26,
}
PRIORITY = (("hỏa tốc hẹn giờ", 4), ("hỏa tốc", 3), ("thượng khẩn", 2), ("khẩn", 1))
# A document this one answers: "Phúc đáp/Trả lời <any document> số …"; "Thực hiện Công văn số …"
# (implementing a Quyết định or a Kế hoạch is not answering it).
_REPLY_CUE = re.compile(r"(?:^|[\s(])(?P<cue>phúc đáp|trả lời|thực hiện)\s*:?\s*$")
_LETTER = ("công văn", "văn bản", "công điện")
_LUU = re.compile(r"^lưu\s*:?\s*(?P<rest>.+)$")
_TYPER = re.compile(r"^(?P<who>[^()]+?)\s*\(\s*(?P<n>\d+)\s*(?:b|bản)?\s*\)\s*\.?$")
_ABBREV = ((r"\bubnd\b", "uỷ ban nhân dân"), (r"\bhđnd\b", "hội đồng nhân dân"), (r"\btp\.?\s", "thành phố "),
           (r"\bsở lđtbxh\b", "sở lao động thương binh và xã hội"))


def _fold(s: str | None) -> str:
    from ..normalize import fold

    return " ".join(fold(s or "").split())


def _name_key(name: str) -> str:
    """A name as a mapping key: folded, abbreviations spelt out, punctuation dropped."""
    k = _fold(name)
    for pattern, repl in _ABBREV:
        k = re.sub(pattern, _fold(repl), k)
    return " ".join(re.sub(r"[^\w\s]", " ", k).split())


# --------------------------------------------------------------------------- the organ-id mapping


@dataclass
class Organ:
    """An agency as edXML describes it (From, To)."""

    name: str | None = None
    organ_id: str | None = None
    in_charge: str | None = None
    address: str | None = None
    email: str | None = None
    telephone: str | None = None
    fax: str | None = None
    website: str | None = None


class OrganIds:
    """The user's mapping from agency names to mã định danh (and optionally address, email …).

    A JSON object ``{"UBND tỉnh Kiên Giang": "000.00.00.H33", …}`` or with objects as values
    (``{"id": …, "address": …, "email": …, "telephone": …, "fax": …, "website": …}``), or a CSV/TSV
    with the columns ``name,id[,address,email,telephone,fax,website]`` (a header row is optional).
    Names match folded (case, tone placement), with "UBND"/"HĐND" spelt out and punctuation ignored.
    """

    FIELDS = ("id", "address", "email", "telephone", "fax", "website")

    def __init__(self, entries: dict[str, dict[str, str]] | None = None) -> None:
        self.entries: dict[str, dict[str, str]] = {}
        for name, value in (entries or {}).items():
            self.add(name, value)

    def add(self, name: str, value: str | dict[str, Any]) -> None:
        entry = {"id": value} if isinstance(value, str) else {k: str(v) for k, v in value.items() if v}
        if not entry.get("id"):
            raise ValueError(f"organ-id mapping: no id for {name!r}")
        if len(entry["id"]) > 35:
            raise ValueError(f"organ-id mapping: {entry['id']!r} is longer than 35 characters (QCVN 102 SĐ1:2022)")
        self.entries[_name_key(name)] = entry

    @classmethod
    def load(cls, path: str | os.PathLike) -> OrganIds:
        text = Path(path).read_text(encoding="utf-8-sig")
        out = cls()
        if text.lstrip().startswith("{"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError(f"{path}: a JSON object (name -> code) expected")
            for name, value in data.items():
                out.add(name, value)
            return out
        dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
        for i, row in enumerate(csv.reader(io.StringIO(text), dialect=dialect)):
            cells = [c.strip() for c in row]
            if not cells or not any(cells) or cells[0].startswith("#"):
                continue
            if i == 0 and cells[:2] and _fold(cells[1]) in ("id", "code", "mã", "mã định danh", "organid"):
                continue  # header row
            if len(cells) < 2:
                raise ValueError(f"{path}:{i + 1}: 'name,id' expected")
            out.add(cells[0], dict(zip(cls.FIELDS, cells[1:])))
        return out

    def get(self, name: str | None) -> dict[str, str] | None:
        return self.entries.get(_name_key(name)) if name else None

    def organ(self, name: str | None, in_charge: str | None = None) -> Organ:
        e = self.get(name) or {}
        parent = self.get(in_charge)
        return Organ(name=name, organ_id=e.get("id"), in_charge=(parent or {}).get("id") or in_charge,
                     address=e.get("address"), email=e.get("email"), telephone=e.get("telephone"),
                     fax=e.get("fax"), website=e.get("website"))

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------------- the message


@dataclass
class ResponseFor:
    code: str
    organ_id: str | None = None
    promulgation_date: str | None = None
    document_id: str | None = None


@dataclass
class Attachment:
    name: str
    content_type: str
    content_id: str
    data: bytes
    description: str | None = None


@dataclass
class Message:
    """The fields of one edXML packet, as :func:`to_xml` writes them and :func:`from_xml` reads them."""

    sender: Organ = field(default_factory=Organ)
    recipients: list[Organ] = field(default_factory=list)
    code_number: str | None = None
    code_notation: str | None = None
    place: str | None = None
    promulgation_date: str | None = None  # yyyy/MM/dd
    type_code: int | None = None
    type_name: str | None = None
    subject: str | None = None
    competence: str | None = None
    position: str | None = None
    full_name: str | None = None
    due_date: str | None = None  # yyyy/MM/dd
    to_places: list[str] = field(default_factory=list)
    priority: int | None = None
    typer_notation: str | None = None
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)
    response_for: list[ResponseFor] = field(default_factory=list)
    document_id: str | None = None
    timestamp: str | None = None  # yyyy/MM/dd HH:mm:ss, of the trace header
    business_doc_type: int = 0  # 0: a new document
    business_reason: str | None = "Văn bản điện tử mới"
    attachments: list[Attachment] = field(default_factory=list)


def edxml_date(iso: str | None) -> str | None:
    """``2024-05-10`` → ``2024/05/10``; a partial or invalid date → None."""
    if not iso or len(iso) < 10:
        return None
    try:
        return dt.date.fromisoformat(iso[:10]).strftime("%Y/%m/%d")
    except ValueError:
        return None


def priority_of(urgency: str | None) -> int:
    """The Priority code of the độ khẩn stamp (none printed: 0, Thường)."""
    u = _fold(urgency)
    for words, code in PRIORITY:
        if _fold(words) in u:
            return code
    return 0


def type_code(doc_type: str | None) -> int | None:
    if not doc_type:
        return None
    return {_fold(k): v for k, v in DOCUMENT_TYPES.items()}.get(_fold(doc_type))


def _typer(distribution: list[str]) -> tuple[str | None, int | None]:
    """TyperNotation and PromulgationAmount from the "Lưu: VT, ABC(5b)" line."""
    for entry in distribution:
        m = _LUU.match(_fold(entry))
        if not m:
            continue
        raw = entry[len(entry) - len(m.group("rest")):]
        for part in reversed(raw.split(",")):
            t = _TYPER.match(part.strip())
            if t:
                return t.group("who").strip(), int(t.group("n"))
    return None, None


def _response_for(doc: Document, ids: OrganIds) -> list[ResponseFor]:
    out = []
    for c in doc.citations:
        if c.unnumbered or not c.span:
            continue
        cue = _REPLY_CUE.search(_fold(doc.text[max(0, c.span[0] - 30):c.span[0]]))
        if not cue or (cue.group("cue") == "thực hiện"
                       and not _fold(doc.text[c.span[0]:c.span[1]]).startswith(_LETTER)):
            continue
        organ_id = (ids.get(c.issuer) or {}).get("id")
        date = edxml_date(c.date)
        out.append(ResponseFor(code=c.ref, organ_id=organ_id, promulgation_date=date,
                               document_id=f"{organ_id},{date},{c.ref}" if organ_id and date else None))
    return out


_REPORT_CUE = re.compile(r"báo cáo|trả lời|phúc đáp|gửi\s.{0,80}\svề\s")


def _due(doc: Document) -> str | None:
    """The document's reply deadline (hạn trả lời): the earliest full-date deadline of the whole
    document (tied to no task, or stated by a task about the document itself); when there is none,
    of the tasks that ask for a report or an answer ("… báo cáo kết quả về … trước ngày 20/5")."""
    own = [(i, d) for i, d, _ in whole_document_deadlines(doc)]
    if not own:
        asks = {t.id for t in doc.tasks if _REPORT_CUE.search(_fold(t.text))}
        own = [(i, d) for i, d in enumerate(doc.deadlines) if d.task_id in asks]
    dates = []
    for _, d in own:
        day = due_date(d)
        iso = d.date if d.kind in ("by", "on") else d.end
        if day and iso and len(iso) >= 10:
            dates.append(day)
    return min(dates).strftime("%Y/%m/%d") if dates else None


def _content_id(data: bytes) -> str:
    h = hashlib.sha256(data).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def attachment_of(path: str | os.PathLike, description: str | None = "Văn bản gốc") -> Attachment:
    """The original file as an attachment; the ContentId is derived from its bytes."""
    p = Path(path)
    data = p.read_bytes()
    ctype = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    return Attachment(name=p.name, content_type=ctype, content_id=_content_id(data), data=data,
                      description=description)


def message_from_document(doc: Document, organ_ids: OrganIds | None = None, *,
                          attachment: str | os.PathLike | None = None,
                          now: dt.datetime | None = None) -> Message:
    """The edXML message of ``doc``. ``attachment``: the original file (default: none);
    ``now``: the trace-header time (default: the current time, in Vietnam time)."""
    ids = organ_ids or OrganIds()
    h = doc.header
    sender = ids.organ(h.issuer, h.issuer_parent)
    recipients = [ids.organ(r) for r in doc.recipients]
    direct = {_name_key(r) for r in doc.recipients}
    to_places = [p for p in doc.distribution if _name_key(p) not in direct]
    typer, amount = _typer(doc.distribution)
    sig = doc.signature
    date = edxml_date(h.date)
    code = "/".join(x for x in (h.number, h.symbol) if x)
    stamp = (now or dt.datetime.now(VN_TIME)).astimezone(VN_TIME)
    return Message(
        sender=sender, recipients=recipients, code_number=h.number, code_notation=h.symbol, place=h.place,
        promulgation_date=date, type_code=type_code(h.doc_type), type_name=h.doc_type, subject=h.subject,
        competence="; ".join(sig.chain) if sig and sig.chain else (sig.authority if sig else None),
        position=sig.position if sig else None, full_name=sig.signer if sig else None,
        due_date=_due(doc), to_places=to_places, priority=priority_of(h.urgency), typer_notation=typer,
        promulgation_amount=amount, page_amount=doc.source.pages,
        appendixes=[a.title for a in doc.appendices], response_for=_response_for(doc, ids),
        document_id=f"{sender.organ_id},{date},{code}" if sender.organ_id and date and h.number else None,
        timestamp=stamp.strftime("%Y/%m/%d %H:%M:%S") if sender.organ_id else None,  # a hop needs the id
        attachments=[attachment_of(attachment)] if attachment else [],
    )


# --------------------------------------------------------------------------- writing


class _E:
    """An element to serialize: ``edXML:``-prefixed unless ``prefix`` is empty."""

    def __init__(self, tag: str, *children: _E | None, text: object = None, attrs: dict[str, str] | None = None,
                 prefix: str = "edXML") -> None:
        self.tag = f"{prefix}:{tag}" if prefix else tag
        self.children = [c for c in children if c is not None]
        self.text = None if text is None else str(text)
        self.attrs = attrs or {}

    def write(self, out: list[str], depth: int) -> None:
        pad = " " * depth
        attrs = "".join(f" {k}={quoteattr(v)}" for k, v in self.attrs.items())
        if self.children:
            out.append(f"{pad}<{self.tag}{attrs}>\n")
            for c in self.children:
                c.write(out, depth + 1)
            out.append(f"{pad}</{self.tag}>\n")
        elif self.text is not None and self.text != "":
            out.append(f"{pad}<{self.tag}{attrs}>{escape(self.text)}</{self.tag}>\n")
        else:
            out.append(f"{pad}<{self.tag}{attrs}/>\n")


def _opt(tag: str, value: object, **kw: Any) -> _E | None:
    return None if value is None or value == "" else _E(tag, text=value, **kw)


def _organ(tag: str, o: Organ) -> _E:
    return _E(tag, _opt("OrganId", o.organ_id), _opt("OrganizationInCharge", o.in_charge), _opt("OrganName", o.name),
              _opt("OrganAdd", o.address), _opt("Email", o.email), _opt("Telephone", o.telephone),
              _opt("Fax", o.fax), _opt("Website", o.website))


def to_xml(msg: Message) -> bytes:
    """The packet as UTF-8 XML bytes."""
    m = msg
    doc_type = (_E("DocumentType", _opt("Type", m.type_code), _opt("TypeName", m.type_name))
                if m.type_code is not None or m.type_name else None)
    signer = (_E("SignerInfo", _opt("Competence", m.competence), _opt("Position", m.position),
                 _opt("FullName", m.full_name)) if m.competence or m.position or m.full_name else None)
    other = _E("OtherInfo", _opt("Priority", m.priority), _opt("TyperNotation", m.typer_notation),
               _opt("PromulgationAmount", m.promulgation_amount), _opt("PageAmount", m.page_amount),
               _E("Appendixes", *[_E("Appendix", text=a) for a in m.appendixes]) if m.appendixes else None)
    header = _E(
        "MessageHeader",
        _organ("From", m.sender),
        *[_organ("To", o) for o in m.recipients],
        _E("Code", _opt("CodeNumber", m.code_number), _opt("CodeNotation", m.code_notation)),
        _E("PromulgationInfo", _opt("Place", m.place), _opt("PromulgationDate", m.promulgation_date)),
        doc_type,
        _opt("Subject", m.subject),
        signer,
        _opt("DueDate", m.due_date),
        _E("ToPlaces", *[_E("Place", text=p) for p in m.to_places]) if m.to_places else None,
        other if other.children else None,
        *[_E("ResponseFor", _opt("OrganId", r.organ_id), _opt("Code", r.code),
             _opt("PromulgationDate", r.promulgation_date), _opt("DocumentId", r.document_id))
          for r in m.response_for],
        _opt("DocumentId", m.document_id),
    )
    trace = _E(
        "TraceHeaderList",
        _E("TraceHeader", _E("OrganId", text=m.sender.organ_id), _opt("Timestamp", m.timestamp))
        if m.sender.organ_id and m.timestamp else None,
        _E("Bussiness", _E("BussinessDocType", text=m.business_doc_type),
           _opt("BussinessDocReason", m.business_reason), _opt("DocumentId", m.document_id), _E("Paper", text=0)),
    )
    refs = [_E("Reference", _opt("Description", a.description), _E("AttachmentName", text=a.name),
               _E("ContentType", text=a.content_type), _E("ContentId", text=f"cid:{a.content_id}"),
               attrs={"xmlns:xlink": XLINK, "xlink:href": f"cid:{a.content_id}", "xlink:type": "simple"})
            for a in m.attachments]
    envelope = _E("edXMLEnvelope", _E("edXMLHeader", header, trace),
                  _E("edXMLBody", _E("edXMLManifest", *refs, attrs={"version": "1.0"})),
                  attrs={"xmlns:edXML": NS})
    encoded = (_E("AttachmentEncoded", *[
        _E("Attachment", _E("ContentType", text=a.content_type, prefix=""), _E("ContentId", text=a.content_id, prefix=""),
           _opt("Description", a.description, prefix=""),
           _E("ContentTransferEncoded", text=base64.b64encode(a.data).decode("ascii"), prefix=""),
           _E("AttachmentName", text=a.name, prefix=""), prefix="")
        for a in m.attachments], prefix="") if m.attachments else None)
    root = _E("edXML", envelope, encoded, attrs={"xmlns": NS}, prefix="")
    out = ['<?xml version="1.0" encoding="utf-8"?>\n']
    root.write(out, 0)
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------- reading


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(el: ET.Element | None, *path: str) -> str | None:
    for tag in path:
        if el is None:
            return None
        el = el.find(_q(tag))
    return el.text if el is not None else None


def _int(s: str | None) -> int | None:
    return int(s) if s is not None and s.strip().isdigit() else None


def _read_organ(el: ET.Element) -> Organ:
    return Organ(name=_text(el, "OrganName"), organ_id=_text(el, "OrganId"), in_charge=_text(el, "OrganizationInCharge"),
                 address=_text(el, "OrganAdd"), email=_text(el, "Email"), telephone=_text(el, "Telephone"),
                 fax=_text(el, "Fax"), website=_text(el, "Website"))


def from_xml(data: bytes | str) -> Message:
    """A packet read back into a :class:`Message` (namespace-aware: prefixes do not matter here)."""
    root = ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)
    if root.tag != _q("edXML"):
        raise ValueError(f"not an edXML packet (root element {root.tag!r})")
    head = root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLHeader')}/{_q('MessageHeader')}")
    if head is None:
        raise ValueError("edXML packet without a MessageHeader")
    trace = root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLHeader')}/{_q('TraceHeaderList')}")
    frm = head.find(_q("From"))
    attachments = []
    for a in root.findall(f"{_q('AttachmentEncoded')}/{_q('Attachment')}"):
        attachments.append(Attachment(
            name=_text(a, "AttachmentName") or "", content_type=_text(a, "ContentType") or "",
            content_id=_text(a, "ContentId") or "", description=_text(a, "Description"),
            data=base64.b64decode(_text(a, "ContentTransferEncoded") or "")))
    bdt = _int(_text(trace, "Bussiness", "BussinessDocType"))
    return Message(
        sender=_read_organ(frm) if frm is not None else Organ(),
        recipients=[_read_organ(t) for t in head.findall(_q("To"))],
        code_number=_text(head, "Code", "CodeNumber"), code_notation=_text(head, "Code", "CodeNotation"),
        place=_text(head, "PromulgationInfo", "Place"),
        promulgation_date=_text(head, "PromulgationInfo", "PromulgationDate"),
        type_code=_int(_text(head, "DocumentType", "Type")), type_name=_text(head, "DocumentType", "TypeName"),
        subject=_text(head, "Subject"), competence=_text(head, "SignerInfo", "Competence"),
        position=_text(head, "SignerInfo", "Position"), full_name=_text(head, "SignerInfo", "FullName"),
        due_date=_text(head, "DueDate"),
        to_places=[p.text or "" for p in head.findall(f"{_q('ToPlaces')}/{_q('Place')}")],
        priority=_int(_text(head, "OtherInfo", "Priority")),
        typer_notation=_text(head, "OtherInfo", "TyperNotation"),
        promulgation_amount=_int(_text(head, "OtherInfo", "PromulgationAmount")),
        page_amount=_int(_text(head, "OtherInfo", "PageAmount")),
        appendixes=[a.text or "" for a in head.findall(f"{_q('OtherInfo')}/{_q('Appendixes')}/{_q('Appendix')}")],
        response_for=[ResponseFor(code=_text(r, "Code") or "", organ_id=_text(r, "OrganId"),
                                  promulgation_date=_text(r, "PromulgationDate"), document_id=_text(r, "DocumentId"))
                      for r in head.findall(_q("ResponseFor"))],
        document_id=_text(head, "DocumentId"),
        timestamp=_text(trace, "TraceHeader", "Timestamp"),
        business_doc_type=bdt if bdt is not None else 0,
        business_reason=_text(trace, "Bussiness", "BussinessDocReason"),
        attachments=attachments,
    )


# --------------------------------------------------------------------------- checking


def problems(msg: Message) -> list[str]:
    """What keeps the packet from being complete under the standard (what the XSD will refuse),
    in words a user can act on. Empty when nothing is missing."""
    out = []
    if not msg.sender.name:
        out.append("From: the issuer was not found")
    missing = [w for w, v in (("OrganId (mã định danh)", msg.sender.organ_id), ("OrganAdd (address)",
                                                                                 msg.sender.address)) if not v]
    if missing:
        out.append(f"From: no {' or '.join(missing)} for {msg.sender.name or 'the issuer'!r}: "
                   "add it to the --organ-ids mapping")
    if not msg.recipients:
        out.append("To: the document names no direct recipient ('Kính gửi')")
    unmapped = [o.name or "?" for o in msg.recipients if not o.organ_id or not o.address]
    if unmapped:
        out.append(f"To: no OrganId/OrganAdd for {len(unmapped)} of {len(msg.recipients)} recipients "
                   f"({'; '.join(repr(n) for n in unmapped[:3])}{' …' if len(unmapped) > 3 else ''}): "
                   "add them to the --organ-ids mapping")
    for tag, value, what in (("Code", msg.code_number, "no CodeNumber (số)"),
                             ("Code", msg.code_notation, "no CodeNotation (ký hiệu)"),
                             ("PromulgationInfo", msg.promulgation_date, "no full issue date (yyyy/MM/dd)"),
                             ("Subject", msg.subject, "no trích yếu")):
        if not value:
            out.append(f"{tag}: {what}")
    return out


def validate(xml: bytes) -> list[str]:
    """Errors of ``xml`` against ``edxml.xsd`` (empty: valid). Needs lxml."""
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
    doc = etree.fromstring(xml)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def file_name(doc: Document) -> str:
    """A file name for the packet of ``doc``: ``403-UBND-KGVX.edxml`` or the source file's stem."""
    h = doc.header
    base = "-".join(x for x in (h.number, h.symbol) if x) or Path(doc.source.member or doc.source.path or "document").stem
    return re.sub(r"[^\w.\-]+", "_", base.replace("/", "-")) + ".edxml"
