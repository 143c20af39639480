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

Which Điều are tasks: one whose title hands down duties ("Tổ chức thực hiện", "Trách nhiệm …")
or that holds the execution clause gives all its khoản; in a regulation (QĐ, TT, NĐ, NQ), a Điều
titled by its subject ("Kê khai giá", "Chế độ báo cáo") gives the khoản and điểm that assign named
units (:func:`_selective_article`); scope, subjects, terms, effect and amending Điều give none.
"""

from __future__ import annotations

import bisect

import regex

from ..doc import WorkDoc
from ..document import Task
from ..grammars import REGISTRY
from ..grammars.types import NON_DIRECTIVE_TYPES
from ..marks import BULLETS, is_dashed
from ..normalize import clean_value, fold
from .sections import EXECUTION_CUE_F, Item, article_title, printed_label
from .units import MAX_NAME_WORDS, ORG_START, split_units, unit_phrase_at

TASK_KINDS = {"tasks", "organization", "reporting", "other"}
# what opens a dashed line before its words: blanks and the one bullet set (vbextract.marks)
_DASHES = " \t" + BULLETS
_ASSIGN_LEAD_F = REGISTRY["task_assign_lead"].rx
_ASSIGN_SUPPORT_F = REGISTRY["task_assign_support"].rx
_TIME_F = REGISTRY["task_time_field"].rx
_GIAO = REGISTRY["task_giao"].rx
_DE_NGHI = REGISTRY["task_de_nghi"].rx
_ASKS = REGISTRY["task_asks"].rx
_REQUESTS = REGISTRY["task_requests"].rx
_TRACH_NHIEM_CUA = REGISTRY["task_trach_nhiem_cua"].rx
# a lead named inside a sentence: "…, Sở Y tế chủ trì", "giao Sở X tham mưu", "đề nghị Bộ Y:"
_MID_ASSIGN = REGISTRY["task_mid_assign"]
_HONORIFIC = REGISTRY["task_honorific"]
_RESPONSIBILITY_SCOPE = REGISTRY["task_responsibility_scope"].rx
_NOT_OWN_SUPPORT_F = REGISTRY["task_not_own_support"].rx
_STRONG_LEAD_AFTER = REGISTRY["task_strong_lead_after"].rx
# an introductory phrase before the subject: "Để thực hiện tốt …, Sở Y tế tổ chức …"
_INTRO_F = REGISTRY["task_intro"].rx
_LEAD_VERB_AFTER = REGISTRY["task_lead_verb_after"].rx

_SUPPORT = REGISTRY["task_support_cue"].rx
_CLOSING_CLAUSE_F = REGISTRY["task_closing_clause"].rx


def extract_tasks(doc: WorkDoc) -> None:
    items: list[Item] = doc.items
    directive_doc = doc.header.doc_type not in NON_DIRECTIVE_TYPES or doc.kind == "article"
    tasks: list[Task] = []
    for top in items:
        _walk(doc, top, tasks, directive_doc)
    if directive_doc and doc.kind != "article" and doc.zones.body:
        tasks += _paragraph_tasks(doc, items)
    doc.tasks = sorted(tasks, key=lambda t: t.span[0])


# paragraphs that are not directives even when they name a unit
_NOT_DIRECTIVE_F = REGISTRY["task_not_directive"].rx


def _paragraph_tasks(doc: WorkDoc, items: list[Item]) -> list[Task]:
    """Unlabeled directive paragraphs outside every labeled item ("Giao Sở Công Thương chủ trì,
    phối hợp với … trước ngày 15/4/2026"): tasks ``p1``, ``p2`` … when they name a lead."""
    start, end = doc.zones.body  # type: ignore[misc]
    covered = _Spans([(it.start, max(it.tree_end, it.end)) for it in items])
    out: list[Task] = []
    for ln in doc.lines_in(start, end):
        s = ln.stripped
        if len(s) < 25 or covered.holds(ln.start) or s.endswith(":"):
            continue  # inside an item, or the lead-in that hands the items below to their units
        if _NOT_DIRECTIVE_F.match(doc.folded[ln.start : ln.end].strip(_DASHES)):
            continue
        lead, support = _units_in_sentence(doc, ln.start, ln.end, opening=True)
        if not lead or not _assigns(doc, ln.start, ln.end, lead[0]):
            continue
        out.append(Task(id=f"p{len(out) + 1}", label=None, text=clean_value(s) or s, lead_units=lead,
                        support_units=support, section_kind="other", span=(ln.start, ln.end),
                        page=doc.page_at(ln.start)))
    return out


class _Spans:
    """Spans merged and sorted once, so that "is this offset inside one" is a bisection (every line
    of a body against every item was quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(sp for sp in spans if sp[0] < sp[1]):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def holds(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


def _assigns(doc: WorkDoc, start: int, end: int, lead: str) -> bool:
    """The paragraph gives its lead a task: it opens with "Giao/Đề nghị/Yêu cầu X", or X is
    followed by a directive verb ("Sở Y tế chủ trì", "… Sở X tổ chức"). "Sở Công Thương nhận
    được hồ sơ …" names a unit without assigning it anything."""
    text = doc.text
    pos = start + len(text[start:end]) - len(text[start:end].lstrip(_DASHES))
    if _GIAO.match(text, pos, end) or _DE_NGHI.match(text, pos, end):
        return True
    at = text.find(lead, start, end)
    if at < 0:
        return False
    after = at + len(lead)
    return bool(_STRONG_LEAD_AFTER.match(text, after, end) or _LEAD_VERB_AFTER.match(text, after, end))


def _walk(doc: WorkDoc, it: Item, out: list[Task], directive_doc: bool, article: Item | None = None) -> None:
    if it.kind == "chapter":  # Phần, Chương, Mục: headings of Điều, never tasks themselves
        for child in it.children:
            _walk(doc, child, out, directive_doc)
        return
    if it.kind == "article":
        if not it.directs or not _directing_title(doc, it):
            if not it.directs and _enacts_inline_plan(doc, it):
                # "Điều 1. Phê duyệt Đề án … với những nội dung chủ yếu sau: I. … III. NHIỆM VỤ …":
                # the plan's own sections say which items are tasks, as in an attached plan
                for child in it.children:
                    if not child.is_bullet:
                        _walk(doc, child, out, directive_doc)
                return
            if _selective_article(doc, it, out):
                return  # a Điều whose khoản give named units their duties
            if not it.directs:
                return  # a provision, or a Điều that enacts, approves or sets the effective date
        article = it
    elif article is not None and _is_closing_clause(doc, it):
        return
    if it.kind != "roman" and (article is not None or _is_task_item(doc, it, directive_doc)):
        out.append(_task_for(doc, it))
        for b in it.children:
            if b.is_bullet and _is_action_bullet(doc, b):
                out.append(_bullet_task(doc, b, out[-1] if not it.is_bullet else None))
    for child in it.children:
        if not child.is_bullet:
            _walk(doc, child, out, directive_doc, article)


def _directing_title(doc: WorkDoc, it: Item) -> bool:
    """The Điều's title hands down duties ("Tổ chức thực hiện", "Trách nhiệm …") or it is the
    effective-date Điều that holds the execution clause: every khoản under it is a task."""
    title = fold(article_title(doc, it))
    if title.startswith("điều khoản thi hành"):
        return False  # effective date, repeal and maybe an execution clause: its khoản say
    return _DIRECTING_TITLE_F.match(title) is not None or _ENACTING_TITLE_F.match(title) is not None


def _selective_article(doc: WorkDoc, it: Item, out: list[Task]) -> bool:
    """A Điều of a regulation whose title names a subject ("Kê khai giá", "Chế độ báo cáo") is a
    task when its own text or its khoản and điểm give named units their duties ("1. Sở Tài chính
    chủ trì …", "a) Sở Y tế: Tổng hợp …", "Sở X có trách nhiệm …"). Then its tasks are the khoản
    and điểm that give a unit something to do (also with a plain verb: "…, Ủy ban nhân dân cấp
    xã báo cáo …"), those that hold such, and the actions under a unit's lead-in ("1. Sở Tài
    chính:" / "a) Tham mưu …"); the rest (definitions, lists, fields of a report form) stays
    text. A plain verb alone ("Trạm … thực hiện các nhiệm vụ sau") describes a body's functions
    and does not make the Điều a task. A Điều on scope, subjects, terms or effect, or one that
    enacts, amends or approves, gives no tasks; nor do laws, or letters that quote a Điều."""
    if doc.header.doc_type not in _REGULATION_TYPES:
        return False
    title = fold(article_title(doc, it))
    if _PROVISION_TITLE_F.match(title) or _ENACTING_TITLE_F.match(title):
        return False
    reporting = _REPORTING_TITLE_F.match(title) is not None  # "Chế độ báo cáo": a task as in a kế hoạch
    execution = title.startswith("điều khoản thi hành")  # its khoản say who acts
    found: list[Task] = []
    strong: list[bool] = []
    for child in it.children:
        if not child.is_bullet:
            # the khoản of "Chế độ báo cáo" are its reports, as the items of a CHẾ ĐỘ BÁO CÁO section
            _selective_walk(doc, child, found, strong, listed=reporting)
    kids = [c for c in it.children if not c.is_bullet]
    own = _assigns_unit(doc, it)
    # a Điều of one sentence ("Điều 3. Đoàn kiểm tra có nhiệm vụ …") is an order to the unit it names
    if not (reporting or any(strong) or own == _STRONG or (found and execution) or (not kids and (own or it.directs))):
        return False
    out.append(_task_for(doc, it))
    out.extend(found)
    return True


_WEAK, _STRONG = 1, 2


def _selective_walk(doc: WorkDoc, it: Item, out: list[Task], strong: list[bool], inherited: bool = False,
                    listed: bool = False) -> bool:
    if _is_closing_clause(doc, it):
        return False
    if _PROVISION_TITLE_F.match(_heading(doc, it)):
        return False  # "1. Đối tượng thực hiện chế độ báo cáo": a list of who, not what to do
    kids = [c for c in it.children if not c.is_bullet]
    body = doc.folded[it.start + _label_len(doc, it, it.start) : it.end].lstrip(" .:)*")
    own = 0
    if not _FORM_FIELD_F.match(body):
        own = _STRONG if kids and _is_unit_heading(doc, it) else _assigns_unit(doc, it)
    strong.append(own == _STRONG)
    hands_down = bool(own) and bool(kids) and (
        doc.text[it.start : kids[0].start].rstrip().rstrip("*_").endswith(":") or _is_unit_heading(doc, it))
    found: list[Task] = []
    for child in it.children:
        if not child.is_bullet:
            _selective_walk(doc, child, found, strong, inherited=hands_down or listed)
    if own or found or listed or (inherited and _opens_with_action(doc, it)):
        out.append(_task_for(doc, it))
        out.extend(found)
        return True
    return False


def _assigns_unit(doc: WorkDoc, it: Item) -> int:
    """Whether the item's own text names a unit and gives it something to do: ``_STRONG`` for
    "Giao/Đề nghị X …", "X chủ trì …", "X có trách nhiệm …", "X: Tổng hợp …", an execution clause;
    ``_WEAK`` for a plain verb after it ("X tổ chức …", "X cập nhật …"); 0 for none."""
    lead, _ = item_units(doc, it)
    if not lead:
        return 0
    text, folded = _flow(doc)
    if EXECUTION_CUE_F.search(folded, it.start, it.end):
        return _STRONG  # "… theo trách nhiệm thi hành Nghị quyết này"
    found = 0
    for u in lead:
        at = text.find(u, it.start, it.end)
        while at >= 0:
            after = at + len(u)
            if _ASKS_BEFORE.search(folded, max(it.start, at - 20), at) or _UNIT_HEADING_COLON.match(text, after, it.end):
                return _STRONG  # "giao Sở X …", "a) Sở Y tế: Tổng hợp …"
            clause = _CLAUSE_END.search(text, after, it.end)
            stop = clause.start() if clause else len(text[:it.end].rstrip())
            if _STRONG_WORDS_IN_F.search(folded, after, stop):
                return _STRONG  # "Cơ quan tiếp nhận kê khai giá có trách nhiệm …": the name runs on to its verb
            m = _ASSIGNS_AFTER_F.match(text, after, it.end)
            if m and not _FIELD_NAME_END.match(text, m.end(), it.end):
                found = _WEAK  # not "Cơ quan nhận báo cáo: Sở …", the name of a field
            elif text.startswith(":", stop) or text[:stop].endswith(":"):
                found = _WEAK  # "2. Các Sở quản lý ngành, lĩnh vực: Phối hợp …": the unit heads its duties
            at = text.find(u, at + len(u), it.end)
    return found


def _heading(doc: WorkDoc, it: Item) -> str:
    """The fold key of a khoản's heading line after its label ("" when the line is a sentence)."""
    head = doc.folded[it.start + _label_len(doc, it, it.start) : it.head_end].strip(" .:*_")
    return "" if len(head) > 120 or head.endswith((".", ";")) else head


def _opens_with_action(doc: WorkDoc, it: Item) -> bool:
    start = it.start + _label_len(doc, it, it.start)
    return _ACTION_OPENING_F.match(doc.folded[start : it.end].lstrip(" .:)*")) is not None


# the documents whose own Điều a unit is given duties by (not laws, not letters that quote a Điều)
_REGULATION_TYPES = {"Quyết định", "Thông tư", "Thông tư liên tịch", "Nghị định", "Nghị quyết", "Chỉ thị",
                     "Quy chế", "Quy định"}
_PROVISION_TITLE_F = REGISTRY["article_provision_title"].rx
_FORM_FIELD_F = REGISTRY["article_form_field"].rx
_REPORTING_TITLE_F = REGISTRY["section_kind_reporting"].rx
_ASSIGNS_AFTER_F = REGISTRY["article_assigns_after"].rx
_ACTION_OPENING_F = REGISTRY["article_action_opening"].rx
_DIRECTING_TITLE_F = REGISTRY["article_directing_title"].rx
_ENACTING_TITLE_F = REGISTRY["article_enacting_title"].rx
_FIELD_NAME_END = regex.compile(r"[ \t]*(?:\p{L}+[ \t]*)?:")
_CLAUSE_END = regex.compile(r"[.;:](?:\s|$)")
_STRONG_WORDS_IN_F = REGISTRY["task_strong_words_in"].rx
_UNIT_HEADING_COLON = regex.compile(r"[ \t]*:")
_ASKS_BEFORE = REGISTRY["task_asks_before"].rx


def _enacts_inline_plan(doc: WorkDoc, it: Item) -> bool:
    """A Điều that approves or issues a plan printed inside it, in roman sections."""
    romans = [c for c in it.children if c.kind == "roman"]
    return len(romans) >= 2 and _ENACTS_F.search(doc.folded[it.start : it.head_end]) is not None


_ENACTS_F = REGISTRY["task_enacts"].rx


def _top(it: Item) -> Item:
    while it.parent is not None:
        it = it.parent
    return it


def _is_closing_clause(doc: WorkDoc, it: Item) -> bool:
    """A khoản that sets the effective date or repeals ("Quyết định này có hiệu lực …")."""
    f = doc.folded[it.start : it.end]
    body = f[len(it.label) :].lstrip(" .:") if f.startswith(fold(it.label)) else f
    return _CLOSING_CLAUSE_F.match(body) is not None


def _is_task_item(doc: WorkDoc, it: Item, directive_doc: bool) -> bool:
    if it.section_kind not in TASK_KINDS:
        return False
    roman = _top(it)
    if roman.kind == "roman" and not _roman_gives_tasks(doc, roman):
        return False
    if _described(it):
        return False  # "1. Thông tin về công trình", "1. Hiện trạng" and their points describe, they do not direct
    if roman.kind == "roman" and roman.background and (roman.section_kind == "other" or _opens_review(doc, roman)) \
            and not _hands_down_tasks(doc, roman):
        return False  # "I. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ NĂM 2025" reviews, whatever words follow
    return directive_doc or it.section_kind != "other"


def _opens_review(doc: WorkDoc, roman: Item) -> bool:
    head = doc.folded[roman.start : roman.head_end][len(roman.label) :].lstrip(" .:*_")
    return _REVIEW_OPENING_F.match(head) is not None



def _described(it: Item) -> bool:
    """The item is, or lies under, a numbered item that describes (``Item.background`` of an
    arabic item: "Thông tin về công trình", "Hiện trạng")."""
    p: Item | None = it
    while p is not None:
        if p.kind == "arabic" and p.background:
            return True
        p = p.parent
    return False


def _roman_gives_tasks(doc: WorkDoc, roman: Item) -> bool:
    """"ĐỐI TƯỢNG, TIÊU CHÍ", "KHEN THƯỞNG" and the criteria of an emulation campaign ("NỘI DUNG
    THI ĐUA") describe what is judged and rewarded; they do not assign."""
    head = doc.folded[roman.start : roman.head_end][len(roman.label) :].strip(" .:*_")
    return _CONTEST_SECTION_F.match(head) is None


_CONTEST_SECTION_F = REGISTRY["task_contest_section"].rx


def _hands_down_tasks(doc: WorkDoc, roman: Item) -> bool:
    """A review section ("I. ĐÁNH GIÁ CHUNG") whose last paragraph before its items introduces
    them as duties ("… cần tập trung thực hiện tốt một số nhiệm vụ, giải pháp sau đây:")."""
    memo = doc.cache.setdefault("hands_down", {})
    assert isinstance(memo, dict)
    if roman.start not in memo:
        first = next((c.start for c in roman.children if not c.is_bullet), roman.end)
        intro = doc.folded[roman.head_end : first].rstrip()
        memo[roman.start] = intro.endswith(":") and _DUTIES_LEAD_IN_F.search(intro[-200:]) is not None
    return bool(memo[roman.start])


# the lead-in of a list of duties, on the fold key
_DUTIES_LEAD_IN_F = REGISTRY["task_duties_lead_in"].rx
# a roman heading that opens with a review word reviews even when "nhiệm vụ" follows
_REVIEW_OPENING_F = REGISTRY["section_review_opening"].rx


def _task_for(doc: WorkDoc, it: Item) -> Task:
    lead, support = item_units(doc, it)
    inherited = False
    if not lead:
        lead = _inherited_lead(doc, it)
        inherited = bool(lead)
    return Task(
        id=it.id,
        label=printed_label(it.label),
        text=clean_value(doc.text[it.start : it.end]) or it.label,
        lead_units=lead,
        support_units=support,
        lead_inherited=inherited,
        section_kind=it.section_kind,  # type: ignore[arg-type]
        span=(it.start, it.end),
        page=doc.page_at(it.start),
    )


def _bullet_task(doc: WorkDoc, b: Item, parent: Task | None) -> Task:
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


def _is_action_bullet(doc: WorkDoc, b: Item) -> bool:
    f = doc.folded[b.start : b.end].strip()
    if not _opens_with(f, _FIELD_WORDS):
        return True  # no field name or "Giao" first (cheap check first, for speed)
    return not (_ASSIGN_LEAD_F.match(f) or _ASSIGN_SUPPORT_F.match(f) or _TIME_F.match(f) or _GIAO.match(
        doc.text[b.start : b.end].strip()))


# first words of the field lines ("Đơn vị chủ trì:", "Phối hợp:", "Thời gian:") and of "Giao X"
_FIELD_WORDS = ("đơn vị", "cơ quan", "chủ trì", "phối hợp", "thời gian", "thời hạn", "tiến độ", "giao")
_ASK_WORDS = ("giao", "đề nghị", "yêu cầu", "trách nhiệm", "nhiệm vụ")


def _opens_with(folded: str, words: tuple[str, ...]) -> bool:
    return folded.lstrip(_DASHES).startswith(words)


def item_units(doc: WorkDoc, it: Item) -> tuple[list[str], list[str]]:
    """Lead and support units named in the item's own text (label line, paragraphs, assignment lines).

    Computed once per item: children that inherit ask for their parent's again."""
    memo = doc.cache.setdefault("item_units", {})
    assert isinstance(memo, dict)
    if it.start not in memo:
        memo[it.start] = _item_units(doc, it)
    lead, support = memo[it.start]
    return list(lead), list(support)


def _item_units(doc: WorkDoc, it: Item) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    support: list[str] = []
    first_para = True
    for seg_start, seg_end, is_bullet in _own_segments(doc, it):
        flow_text, flow_folded = _flow(doc)
        f = flow_folded[seg_start:seg_end]
        text = flow_text[seg_start:seg_end]
        fields = _opens_with(f, _FIELD_WORDS)
        m = _ASSIGN_LEAD_F.match(f) if fields else None
        if m:
            if "chủ trì" in f[m.end() :] or "phối hợp" in f[m.end() :]:
                # "Cơ quan thực hiện: Sở X chủ trì, phối hợp với Sở Y": a sentence, not a list
                sl, ss = _units_in_sentence(doc, seg_start + m.end(), seg_end, opening=True)
                _add(lead, sl)
                _add(support, ss)
            else:
                _add(lead, split_units(_value(text[m.end() :])))
            continue
        m = _ASSIGN_SUPPORT_F.match(f) if fields else None
        if m:
            _add(support, split_units(_value(text[m.end() :])))
            continue
        if is_bullet and not (fields and _GIAO.match(text.strip())):
            continue  # an action bullet: its units are its own
        body_start = seg_start + _label_len(doc, it, seg_start)
        if seg_start == it.start:
            described = _described_collective(doc, it)
            if described:
                _add(lead, described)
                first_para = True  # the paragraph under the heading may still open with a unit
                continue
        subject = _execution_subject(doc, it, body_start, seg_end)
        if subject:
            _add(lead, subject)
            continue
        sl, ss = _units_in_sentence(doc, body_start, seg_end, opening=first_para)
        _add(lead, sl)
        _add(support, ss)
        # the paragraph right under a heading-like label line may open with the unit
        first_para = seg_start == it.start and _is_heading_line(text)
    return lead, support


def _execution_subject(doc: WorkDoc, it: Item, start: int, end: int) -> list[str]:
    """The office-holders and bodies of an execution clause ("Chánh Văn phòng …, Giám đốc các
    Sở … và các tổ chức, cá nhân liên quan chịu trách nhiệm thi hành Quyết định này")."""
    if it.kind != "article" and not (it.parent is not None and it.parent.kind == "article"):
        return []
    text, folded = _flow(doc)
    m = EXECUTION_CUE_F.search(folded, start, end)
    if not m:
        return []
    pos = start + len(text[start:m.start()]) - len(text[start:m.start()].lstrip(" .:-–"))
    honorific = _HONORIFIC.match(text, pos, m.start())  # "Các ông (bà) Chánh Văn phòng …"
    if honorific:
        pos = honorific.end()
    if not ORG_START.match(text, pos, m.start()):
        return []
    return split_units(text[pos : m.start()])


def _units_in_sentence(doc: WorkDoc, start: int, end: int, opening: bool) -> tuple[list[str], list[str]]:
    """Cues inside one paragraph: Giao X / Đề nghị X / X opening it / X chủ trì / phối hợp với Y."""
    text = _flow(doc)[0]
    lead: list[str] = []
    support: list[str] = []
    seg = text[start:end]
    stripped_offset = len(seg) - len(seg.lstrip(_DASHES))
    pos = start + stripped_offset
    folded = _flow(doc)[1]
    asks = (_GIAO, _TRACH_NHIEM_CUA, _DE_NGHI) if _opens_with(folded[pos : pos + 12], _ASK_WORDS) else ()
    opener, tried = None, False  # the unit opening the paragraph, once looked for
    for rx in asks:
        m = rx.match(text, pos, end)
        if m:
            span = unit_phrase_at(text, m.end())
            if rx is _TRACH_NHIEM_CUA and _is_heading_line(text[pos:end]):
                # "Trách nhiệm của X" as a heading: X is the rest of it, whatever its words, up to
                # the field it is responsible for ("… cấp xã trong lĩnh vực kinh doanh rượu")
                rest = text[m.end() : end].rstrip(" .:;*")
                scope = _RESPONSIBILITY_SCOPE.search(rest)
                span = (m.end(), m.end() + (scope.start() if scope else len(rest)))
            if span:
                _add(lead, split_units(text[span[0] : min(span[1], end)]))
            break
    else:
        if opening:
            opener, tried = ORG_START.match(text, pos, end), True
        if opener:
            span = unit_phrase_at(text, pos)
            if span and span[1] <= end and _REQUESTS.match(text, span[1], end):
                pass  # "Ủy ban nhân dân tỉnh đề nghị Bộ X …": the lead is the one asked (below)
            elif span and span[1] <= end and _followed_by_verb_or_end(text, span[1], end):
                _add(lead, split_units(text[span[0] : span[1]]))
    if not lead:
        _add(lead, _lead_mid_sentence(text, pos, end, folded[pos:end], opener, tried))
    if "phối hợp" not in folded[start:end]:
        return lead, support  # no support cue (cheap check first, for speed)
    for m in _SUPPORT.finditer(text, start, end):
        if _NOT_OWN_SUPPORT_F.search(folded, max(start, m.start() - 120), m.start()):
            continue  # "tham mưu UBND tỉnh phối hợp Bộ Y tế", "chỉ đạo X phối hợp với Y": not this task's
        if text.startswith("địa phương", m.end()) and not text.startswith("địa phương,", m.end()):
            _add(support, ["địa phương"])  # "phối hợp với địa phương chỉ đạo …"
        elif ORG_START.match(text, m.end(), end):
            span = unit_phrase_at(text, m.end())
            if span:
                _add(support, split_units(text[span[0] : span[1]]))
    return lead, support


def _lead_mid_sentence(text: str, start: int, end: int, para: str | None = None,
                       opener: regex.Match[str] | None = None, tried: bool = False) -> list[str]:
    """The first lead named inside the paragraph: "giao/đề nghị X …", or a unit that opens a
    clause and is followed by "chủ trì", "có trách nhiệm", "là cơ quan thường trực".
    ``para`` is the fold key of ``text[start:end]`` when the caller has it; ``opener`` the match of
    ``ORG_START`` where the paragraph's words start, when ``tried`` (each match of that long
    alternation costs more than the rest of a paragraph's checks)."""
    para = fold(text[start:end]) if para is None else para
    asks = "giao" in para or "đề nghị" in para or "yêu cầu" in para
    m = _MID_ASSIGN.search(text, start, end) if asks else None
    if m and ORG_START.match(text, m.end(), end):
        span = unit_phrase_at(text, m.end())
        if span:
            return split_units(text[span[0] : min(span[1], end)])
    first = start + len(text[start:end]) - len(text[start:end].lstrip(_DASHES))
    if not tried:
        opener = ORG_START.match(text, first, end)
    if not (opener or _STRONG_WORDS_F.search(para) or _intro_anywhere(para)):
        return []  # no cue a subject could go with: skip the scan of clause starts (speed)
    # (no search for a unit anywhere in the paragraph first: a clause start that opens no head's
    # first word is refused by org_start's prefilter, which costs less than that scan)
    starts = [first]
    starts += [c.end() for c in _CLAUSE_START.finditer(text, start, end)]
    for i, pos in enumerate(starts):  # a subject opens the paragraph or a clause
        u = opener if i == 0 else ORG_START.match(text, pos, end)
        if u is None:
            continue
        if "phối hợp" in fold(text[max(start, u.start() - 80) : u.start()]).split(".")[-1]:
            continue  # a second unit of a "phối hợp với X, Y" list
        span = unit_phrase_at(text, u.start())
        if not span or span[1] > end:
            continue
        if _STRONG_LEAD_AFTER.match(text, span[1], end) or (
                _LEAD_VERB_AFTER.match(text, span[1], end) and _opens_clause(text, start, u.start())):
            return split_units(text[span[0] : span[1]])
    return []


_CLAUSE_START = REGISTRY["task_clause_start"].rx
_STRONG_WORDS_F = REGISTRY["task_strong_words"]
_INTRO_ANY_F = REGISTRY["task_intro_any"].rx


def _intro_anywhere(para: str) -> bool:
    """``_INTRO_ANY_F.search(para)``, tried only where a match can start: at 0 and at each
    ".", ";" or ":" (a search tries every offset of the paragraph, 3-4 times slower)."""
    if _INTRO_ANY_F.match(para):
        return True
    for stop in ".;:":
        i = para.find(stop)
        while i >= 0:
            if _INTRO_ANY_F.match(para, i):
                return True
            i = para.find(stop, i + 1)
    return False
_SENTENCE_GAP = regex.compile(r"[.;:]\s")


def _opens_clause(text: str, start: int, pos: int) -> bool:
    """The unit at ``pos`` is the subject of its sentence: it opens it, or follows an
    introductory phrase ("Để …, ", "Trên cơ sở …, ") ended by the comma before it."""
    sentence = _SENTENCE_GAP.split(text[start:pos])[-1]
    head = sentence.strip()
    if not head:
        return True
    # "Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan …": every phrase before the
    # subject is introductory (at most two of them)
    phrases = head.rstrip(", ").split(",")
    return head.endswith(",") and len(phrases) <= 2 and all(_INTRO_F.match(fold(p.strip())) for p in phrases)


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    return s.endswith(":") or (len(s) < 160 and not s.endswith((".", ";")))


def _followed_by_verb_or_end(text: str, pos: int, end: int) -> bool:
    rest = text[pos:end].strip()
    if rest in (".", ";"):
        return True  # "2. Trung tâm Bảo tồn di sản Thăng Long - Hà Nội." as a heading
    return not rest or rest[0] in ":(-–" or rest[0].islower()  # "-": its role in apposition


def _own_segments(doc: WorkDoc, it: Item):
    """(start, end, is_bullet) for each paragraph the item owns (children excluded): a line, with
    the lines that continue it when a PDF or a converter wrapped it ("Sở Kế" / "hoạch và Đầu tư")."""
    seg: list[int] | None = None
    for ln in doc.lines_in(it.start, it.end):
        s = ln.stripped
        if not s:
            if seg:
                yield seg[0], seg[1], bool(seg[2])
            seg = None
            continue
        if seg and (_CONTINUES_LINE.match(s) or (
                _ENDS_OPEN.search(doc.text, seg[0], seg[1]) and not _OPENS_ITEM.match(s))):
            seg[1] = ln.end
            continue
        if seg:
            yield seg[0], seg[1], bool(seg[2])
        seg = [ln.start, ln.end, int(ln.start != it.start and is_dashed(s))]
    if seg:
        yield seg[0], seg[1], bool(seg[2])


# a wrapped line goes on in lower case; "a) …", "đ) …", "ii) …" open items of their own
_CONTINUES_LINE = regex.compile(r"\p{Ll}(?!\p{Ll}{0,3}[.)](?:\s|$))")
# a line that stops on a joining word or a comma goes on below, whatever case the next line opens in
_ENDS_OPEN = REGISTRY["task_ends_open"].rx
_OPENS_ITEM = REGISTRY["task_opens_item"].rx


def _flow(doc: WorkDoc) -> tuple[str, str]:
    """The text and fold key with each wrapping newline read as a space (same length, same spans)."""
    cached = doc.cache.get("flow")
    if cached is None:
        text, folded = doc.text, doc.folded
        cuts = [m.start() for m in _WRAP_BREAK.finditer(text)]
        if cuts:  # each cut is one "\n" (in the text and in its fold key) read as a space
            text, folded = _cut(text, cuts), _cut(folded, cuts)
        cached = doc.cache["flow"] = (text, folded)
    assert isinstance(cached, tuple)
    return cached


_WRAP_BREAK = REGISTRY["task_wrap_break"].rx


def _cut(s: str, cuts: list[int]) -> str:
    """``s`` with the one character at each offset of ``cuts`` replaced by a space (joining the
    pieces between them costs far less than a list of every character)."""
    bounds = [-1, *cuts, len(s)]
    return " ".join(s[a + 1 : b] for a, b in zip(bounds, bounds[1:]))


def _label_len(doc: WorkDoc, it: Item, seg_start: int) -> int:
    if seg_start != it.start:
        return 0
    line = doc.text[it.start : it.head_end]
    idx = line.find(it.label)
    return idx + len(it.label) if idx >= 0 else 0


def _inherited_lead(doc: WorkDoc, it: Item) -> list[str]:
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


def _lead_in_units(doc: WorkDoc, p: Item) -> list[str]:
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
    if head.endswith(":") or _is_unit_heading(doc, p):
        lead, _ = item_units(doc, p)
        return lead
    if p.lead_in and doc.text[p.lead_in[0] : p.lead_in[1]].strip().endswith(":"):
        a, b = p.lead_in  # "… trân trọng đề nghị Bộ Xây dựng:" hands the items below to its unit
        start = a + (len(doc.text[a:b]) - len(doc.text[a:b].lstrip()))
        lead, _ = _units_in_sentence(doc, start, b, opening=True)
        return lead
    return []


def _described_collective(doc: WorkDoc, it: Item) -> list[str]:
    """A heading that names a collective by a description ("7. Các doanh nghiệp hoạt động trong
    lĩnh vực xây dựng, giao thông … trên địa bàn Tỉnh", "6. Đề nghị các tổ chức cung cấp dịch vụ chi
    trả") over the items or paragraphs below it: the whole heading is the unit, verbs included."""
    if it.tree_end <= it.head_end + 1 or not doc.text[it.head_end : it.tree_end].strip():
        return []  # a one-line item: its verbs are its task, not a description
    rest = doc.text[it.start + _label_len(doc, it, it.start) : it.head_end].strip(" *")
    if not rest or len(rest) > 200 or rest.endswith((":", ";", ".", ",")):
        return []
    ask = _ASKS.match(rest)
    start = ask.end() if ask else 0
    if not _COLLECTIVE_HEAD.match(rest, start):
        return []
    words = rest[start:]
    if _HEADING_VERB_F.search(fold(words)):
        return []  # "Các sở, ngành phối hợp với …": a sentence, not a heading
    units = split_units(words, max_words=MAX_NAME_WORDS)
    return units if len(units) == 1 else []


_COLLECTIVE_HEAD = REGISTRY["unit_collective_head"].rx
# verbs that make a heading a sentence (its subject is then found the usual way)
_HEADING_VERB_F = REGISTRY["task_heading_sentence_verb"].rx


def _is_unit_heading(doc: WorkDoc, p: Item) -> bool:
    """A heading that is only a unit ("2. Công an tỉnh") or its responsibilities ("Trách nhiệm
    của Sở X"): the items below it are that unit's."""
    rest = doc.text[p.start + _label_len(doc, p, p.start) : p.head_end].strip(" .:*")
    if not rest or len(rest) > 160 or rest.endswith((".", ";")):
        return False
    m = _TRACH_NHIEM_CUA.match(rest)
    if m or _described_collective(doc, p):
        return True
    ask = _ASKS.match(rest)  # "11. Đề nghị Chi cục Hải quan khu vực XIX" heads the points below it
    start = ask.end() if ask else 0
    if not ORG_START.match(rest, start):
        return False
    span = unit_phrase_at(rest, start)
    # "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo": the unit with its role in apposition
    return span is not None and (span[1] >= len(rest) - 1 or _APPOSITION.match(rest, span[1]) is not None)


# a role in apposition after a unit: " - Cơ quan thường trực …"
_APPOSITION = regex.compile(r"\s+[-–]\s+\p{Lu}")


def _value(s: str) -> str:
    return s.strip().rstrip(".;")


def _add(target: list[str], units: list[str]) -> None:
    for u in units:
        if u not in target:
            target.append(u)
