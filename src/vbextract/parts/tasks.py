"""Tasks: the directives, with the units that lead and support each.

Units come from item-level text only (the label line, the item's own paragraphs and its
assignment lines), in this order of cues (``shared/spec/domain.md`` §6.2):

1. assignment lines: "Đơn vị chủ trì: X", "Đơn vị thực hiện: X", "Chủ trì: X", "Đơn vị phối hợp: Y";
2. "Giao X (chủ trì) …", "Đề nghị X …";
3. a unit that is the item's heading ("1. Sở Lao động - Thương binh và Xã hội") or opens it
   ("8. Đoàn Thanh niên … chủ trì …");
4. "X chủ trì, phối hợp với Y" and "phối hợp (với) Y" for support;
5. otherwise the lead of the parent's lead-in ("6. Giao Sở … chủ trì …:"), flagged ``lead_inherited``.

Units named inside an action bullet belong to that bullet and are not moved up to the item.
"""

from __future__ import annotations

import regex

from ..doc import Doc
from ..document import Task
from ..grammars.types import NON_DIRECTIVE_TYPES
from ..normalize import clean_value
from .sections import Item
from .units import ORG_START, split_units, unit_phrase_at

TASK_KINDS = {"tasks", "organization", "reporting", "other"}
_ASSIGN_LEAD_F = regex.compile(
    r"^[-–•+]?\s*(?:(?:đơn vị|cơ quan)\s+(?:chủ trì|thực hiện|thực hiện chính|chịu trách nhiệm)|chủ trì|"
    r"đơn vị chủ trì thực hiện)\s*:\s*"
)
_ASSIGN_SUPPORT_F = regex.compile(r"^[-–•+]?\s*(?:(?:đơn vị|cơ quan)\s+)?phối hợp(?:\s+thực hiện)?\s*:\s*")
_TIME_F = regex.compile(r"^[-–•+]?\s*(?:thời gian|thời hạn|tiến độ)")
_GIAO = regex.compile(r"[-–•+]?\s*(?:Giao|giao)\s+(?:cho\s+)?")
_DE_NGHI = regex.compile(r"[-–•+]?\s*(?:Đề nghị|đề nghị|Yêu cầu)\s+")
_SUPPORT = regex.compile(r"phối hợp(?:\s+chặt chẽ|\s+thường xuyên)?(?:\s+(?:với|cùng))?\s+(?=\S)")
_LEAD_BEFORE_CHU_TRI = regex.compile(r"\s+chủ trì\b")


def extract_tasks(doc: Doc) -> None:
    items: list[Item] = getattr(doc, "items", [])
    if not items:
        return
    directive_doc = doc.header.doc_type not in NON_DIRECTIVE_TYPES or doc.kind == "article"
    tasks: list[Task] = []
    for top in items:
        _walk(doc, top, tasks, directive_doc)
    doc.tasks = tasks


def _walk(doc: Doc, it: Item, out: list[Task], directive_doc: bool) -> None:
    if it.kind != "roman" and _is_task_item(it, directive_doc):
        out.append(_task_for(doc, it))
        for b in it.children:
            if b.is_bullet and _is_action_bullet(doc, b):
                out.append(_bullet_task(doc, b, out[-1] if not it.is_bullet else None))
    for child in it.children:
        if not child.is_bullet:
            _walk(doc, child, out, directive_doc)


def _is_task_item(it: Item, directive_doc: bool) -> bool:
    if it.section_kind not in TASK_KINDS:
        return False
    return directive_doc or it.section_kind != "other"


def _task_for(doc: Doc, it: Item) -> Task:
    lead, support = item_units(doc, it)
    inherited = False
    if not lead:
        lead = _inherited_lead(doc, it)
        inherited = bool(lead)
    return Task(
        id=it.id,
        label=it.label,
        text=clean_value(doc.text[it.start : it.end]) or it.label,
        lead_units=lead,
        support_units=support,
        lead_inherited=inherited,
        section_kind=it.section_kind,  # type: ignore[arg-type]
        span=(it.start, it.end),
        page=doc.page_at(it.start),
    )


def _bullet_task(doc: Doc, b: Item, parent: Task | None) -> Task:
    text = doc.text[b.start : b.end]
    lead, support = _units_in_sentence(doc, b.start, b.end, opening=True)
    inherited = False
    if not lead and parent is not None and parent.lead_units:
        lead, inherited = list(parent.lead_units), True
    return Task(
        id=b.id,
        label=None,
        text=clean_value(text) or "",
        lead_units=lead,
        support_units=support,
        lead_inherited=inherited,
        section_kind=b.section_kind,  # type: ignore[arg-type]
        span=(b.start, b.end),
        page=doc.page_at(b.start),
    )


def _is_action_bullet(doc: Doc, b: Item) -> bool:
    f = doc.folded[b.start : b.end].strip()
    return not (_ASSIGN_LEAD_F.match(f) or _ASSIGN_SUPPORT_F.match(f) or _TIME_F.match(f) or _GIAO.match(
        doc.text[b.start : b.end].strip()))


def item_units(doc: Doc, it: Item) -> tuple[list[str], list[str]]:
    """Lead and support units named in the item's own text (label line, paragraphs, assignment lines)."""
    lead: list[str] = []
    support: list[str] = []
    first_para = True
    for seg_start, seg_end, is_bullet in _own_segments(doc, it):
        f = doc.folded[seg_start:seg_end]
        text = doc.text[seg_start:seg_end]
        m = _ASSIGN_LEAD_F.match(f)
        if m:
            _add(lead, split_units(_value(text[m.end() :])))
            continue
        m = _ASSIGN_SUPPORT_F.match(f)
        if m:
            _add(support, split_units(_value(text[m.end() :])))
            continue
        if is_bullet and not _GIAO.match(text.strip()):
            continue  # an action bullet: its units are its own
        body_start = seg_start + _label_len(doc, it, seg_start)
        sl, ss = _units_in_sentence(doc, body_start, seg_end, opening=first_para)
        _add(lead, sl)
        _add(support, ss)
        # the paragraph right under a heading-like label line may open with the unit
        first_para = seg_start == it.start and _is_heading_line(text)
    return lead, support


def _units_in_sentence(doc: Doc, start: int, end: int, opening: bool) -> tuple[list[str], list[str]]:
    """Cues inside one paragraph: Giao X / Đề nghị X / X opening it / X chủ trì / phối hợp với Y."""
    text = doc.text
    lead: list[str] = []
    support: list[str] = []
    seg = text[start:end]
    stripped_offset = len(seg) - len(seg.lstrip(" -–•+\t"))
    pos = start + stripped_offset
    for rx in (_GIAO, _DE_NGHI):
        m = rx.match(text, pos, end)
        if m:
            span = unit_phrase_at(text, m.end())
            if span:
                _add(lead, split_units(text[span[0] : span[1]]))
            break
    else:
        if opening and ORG_START.match(text, pos, end):
            span = unit_phrase_at(text, pos)
            if span and span[1] <= end and _followed_by_verb_or_end(text, span[1], end):
                _add(lead, split_units(text[span[0] : span[1]]))
    for m in _SUPPORT.finditer(text, start, end):
        if ORG_START.match(text, m.end(), end):
            span = unit_phrase_at(text, m.end())
            if span:
                _add(support, split_units(text[span[0] : span[1]]))
    return lead, support


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return s.endswith(":") or (len(s) < 160 and not s.endswith((".", ";")))


def _followed_by_verb_or_end(text: str, pos: int, end: int) -> bool:
    rest = text[pos:end].strip()
    return not rest or rest[0] in ":(" or rest[0].islower()


def _own_segments(doc: Doc, it: Item):
    """(start, end, is_bullet) for each line-paragraph the item owns (children excluded)."""
    for ln in doc.lines_in(it.start, it.end):
        s = ln.stripped
        if not s:
            continue
        is_bullet = ln.start != it.start and s[0] in "-–•+"
        yield ln.start, ln.end, is_bullet


def _label_len(doc: Doc, it: Item, seg_start: int) -> int:
    if seg_start != it.start:
        return 0
    line = doc.text[it.start : it.head_end]
    idx = line.find(it.label)
    return idx + len(it.label) if idx >= 0 else 0


def _inherited_lead(doc: Doc, it: Item) -> list[str]:
    """Lead of the parent's lead-in when it names the units and hands items down (ends with ':')."""
    p = it.parent
    while p is not None:
        if p.lead_in or p.kind != "roman":
            units = _lead_in_units(doc, p)
            if units:
                return units
        if p.kind == "roman":
            break
        p = p.parent
    return []


def _lead_in_units(doc: Doc, p: Item) -> list[str]:
    if p.kind == "roman":
        if not p.lead_in:
            return []
        a, b = p.lead_in
        para = doc.text[a:b].strip()
        if not para.endswith(":"):
            return []
        start = a + (len(doc.text[a:b]) - len(doc.text[a:b].lstrip()))
        lead, _ = _units_in_sentence(doc, start, b, opening=True)
        return lead
    head = doc.text[p.start : p.head_end].strip()
    if not head.endswith(":"):
        return []
    lead, _ = item_units(doc, p)
    return lead


def _value(s: str) -> str:
    return s.strip().rstrip(".;")


def _add(target: list[str], units: list[str]) -> None:
    for u in units:
        if u not in target:
            target.append(u)
