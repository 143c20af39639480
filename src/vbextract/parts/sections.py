"""The heading tree of the body: Phần/Chương/Mục, Điều, I., 1., 1.1., 2.3.1., a), i., "Một là",
and bullets under items.

Markdown heading levels are unreliable in converted pages (seed 003 mixes ##, ###, #### and none
for the same level), so levels come from the labels alone: Phần > Chương > Mục > Điều > roman >
arabic by depth > letter (and lower-case roman) > bullet. A Điều gives its id to its khoản and
điểm ("Điều 3", "Điều 3.1", "Điều 3.1.a"); a label printed twice under the same parent gets "~2".
Whether a Điều directs units is decided here once, from its title and its execution clause
(``Item.directs``); :mod:`.tasks` also takes a subject-titled Điều whose khoản give named units
their duties. A label broken after its word ("Điều" / "10. Title") is still Điều 10.
"""

from __future__ import annotations

import regex

from ..dates import ROMAN
from ..doc import Item, LineMarks, WorkDoc
from ..document import Section
from ..grammars import REGISTRY
from ..grammars.structure import THU_NUMBERS
from ..marks import ensure_marks
from ..normalize import clean_value, fold
from .table_tasks import in_task_table

ORDINALS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
            "mười": 10, "mười một": 11, "mười hai": 12}
# The section kinds, tried in order (grammars/section.yaml); ``.rx``: untimed, as before they moved.
_KINDS = [(k, REGISTRY[f"section_kind_{k}"].rx)
          for k in ("reporting", "organization", "funding", "purpose", "targets", "tasks")]
_CLOSING_F = REGISTRY["section_closing"].rx
# A Điều directs units when its title says so or its text holds an execution clause; one that
# only enacts, approves, publishes, repeals or sets the effective date does not.
_DIRECTING_TITLE_F = REGISTRY["article_directing_title"].rx
EXECUTION_CUE_F = REGISTRY["execution_cue"].rx
_ENACTING_TITLE_F = REGISTRY["article_enacting_title"].rx
_EFFECTIVE_TITLE_F = REGISTRY["article_effective_title"].rx
# items whose text runs on after a closing paragraph (their next sibling ends them)
_OWN_TEXT_KINDS = ("roman", "article", "chapter")
_CHAPTER_LEVELS = {"phần": -3.0, "chương": -2.0, "mục": -1.0}
ARTICLE_LEVEL = -0.5


# "Thời gian hoàn thành: …" after an item's bullets still belongs to the item
_FIELD_LINE_F = REGISTRY["section_field_line"].rx
_BACKGROUND_F = REGISTRY["section_background"].rx
_PLAN_TITLE_F = REGISTRY["plan_title"].rx
_INFORMATION_F = REGISTRY["section_information"].rx
_LOGISTICS_F = REGISTRY["section_logistics_field"].rx
_MEETING_FIELD_F = REGISTRY["section_meeting_field"].rx
_NESTED_TARGETS_F = REGISTRY["section_nested_targets"].rx
_TASK_SECTION_KINDS = ("tasks", "organization", "reporting", "other")


def extract_sections(doc: WorkDoc) -> None:
    if not doc.zones.body:
        return
    items = build_items(doc, *doc.zones.body)
    plan = attached_plan(doc)
    if plan and not any(it.kind == "roman" for it in items):
        items += build_items(doc, *plan)
    doc.items = items
    doc.sections = [_to_section(doc, it) for it in items if it.parent is None and not it.is_bullet]


def attached_plan(doc: WorkDoc) -> tuple[int, int] | None:
    """The zone of a plan printed after the signature ("KẾ HOẠCH … (Kèm theo Quyết định số …)"):
    the decision enacts it, and its items are tasks like those of any kế hoạch."""
    if not doc.zones.appendix:
        return None
    start, end = doc.zones.appendix
    for ln in doc.lines_in(start, min(end, start + 600)):
        f = doc.folded[ln.start : ln.end].strip(" |*")
        if _PLAN_TITLE_F.match(f):
            return (ln.end, end)
    return None


def build_items(doc: WorkDoc, start: int, end: int) -> list[Item]:
    """All items of ``[start, end)`` as a forest (top-level items returned; children linked)."""
    ensure_marks(doc)
    flat: list[Item] = []
    stack: list[Item] = []
    closed = False
    lines, marks = doc.lines_in(start, end), doc.marks_in(start, end)
    skip = -1
    for i, (ln, mk) in enumerate(zip(lines, marks, strict=True)):
        s = ln.stripped
        if i <= skip or not s or (doc.tables and in_task_table(doc, ln.start)):
            continue  # task tables are read as tables (:mod:`.table_tasks`)
        f = doc.folded[ln.start : ln.end].strip()
        item = _label_item(ln, s, mk, stack) if mk.labels else None
        if item is None and s in _ARTICLE_WORDS and i + 1 < len(lines):
            item = _broken_article(doc, ln, lines[i + 1], marks[i + 1])
            skip = i + 1 if item else skip
        if item is None:
            if _CLOSING_F.match(f) or (stack and _after_bullets(stack) and not s[0].islower()
                                       and not _FIELD_LINE_F.match(f)):
                # a closing sentence, or a paragraph after an item's bullets, is the section's
                # (or the document's) text: it ends every open item
                closed = _CLOSING_F.match(f) is not None
                while stack and stack[-1].kind not in _OWN_TEXT_KINDS:
                    it = stack.pop()
                    it.hard_end = it.hard_end or ln.start
            continue
        if closed and item.kind not in _OWN_TEXT_KINDS:
            continue
        closed = False
        if item.is_bullet:
            parent = next((x for x in reversed(stack) if not x.is_bullet), None)
            if parent is None:
                continue
            item.parent = parent
            parent.children.append(item)
            flat.append(item)
            continue
        while stack and (stack[-1].is_bullet or stack[-1].level >= item.level):
            stack.pop()
        if stack:
            item.parent = stack[-1]
            stack[-1].children.append(item)
        flat.append(item)
        stack.append(item)
    _set_extents(doc, flat, end)
    _assign_ids(flat)
    _assign_kinds(doc, flat)
    return [it for it in flat if it.parent is None]


_ARTICLE_WORDS = ("Điều", "ĐIỀU")


def _broken_article(doc: WorkDoc, ln, nxt, mk: LineMarks) -> Item | None:
    """"Điều" alone on its line and "10. Cập nhật …" on the next (a converter broke the label
    after its word): Điều 10, never an item "10" of the Điều before. ``label`` keeps the printed
    text from "Điều" to the number's stop (its break included) so offsets into the head stay right."""
    m = mk.label("arabic_label")
    if not m or not (m["num"] or "").isdigit() or not m["dot"]:
        return None
    at = ln.start + len(ln.text) - len(ln.text.lstrip())
    label_end = m.start + (m.offset("rest") if m["rest"] else m.length)
    label = doc.text[at:label_end].rstrip()
    return Item("article", label, m["num"] or "", ARTICLE_LEVEL, ln.start, nxt.end)


def printed_label(label: str) -> str:
    """A label as one line ("Điều\n10." → "Điều 10.")."""
    return " ".join(label.split())


def _after_bullets(stack: list[Item]) -> bool:
    top = stack[-1]
    return bool(top.children) and top.children[-1].is_bullet


def _label_item(ln, s: str, mk: LineMarks, stack: list[Item]) -> Item | None:
    """The item a line opens, from its label marks (``vbextract.marks``) tried in the order of
    ``marks.LABELS``; context decides the ones a line may carry by accident ("Mục đích …", "i)")."""
    m = mk.label("article_label")
    if m:
        return Item("article", s[: m.offset("rest")].strip() if m["rest"] else s, m["num"] or "", ARTICLE_LEVEL,
                    ln.start, ln.end)
    m = mk.label("chapter_label")
    if m and (not m["rest"] or _looks_like_heading(m["rest"] or "")):
        word = (m["word"] or "").capitalize()
        return Item("chapter", f"{word} {m['num']}", m["num"] or "", _CHAPTER_LEVELS[word.lower()], ln.start, ln.end)
    m = mk.label("roman_label")
    if m and m["num"] and m["num"] in ROMAN and m["rest"] and (
            _looks_like_heading(m["rest"] or "") or _sentence_case_heading(m["rest"] or "")):
        return Item("roman", s[: m.offset("rest")].strip(), m["num"] or "", 0, ln.start, ln.end)
    m = mk.label("ordinal_label")
    if m and (m["num"] == "một" or any(x.kind == "ordinal" for x in stack)):
        label = s[: m.length].strip(" ,:.")
        return Item("ordinal", label, str(ORDINALS[m["num"] or ""]), 1, ln.start, ln.end)
    m = mk.label("arabic_label")
    if m and m["rest"] and not _is_number_prose(m):
        num = m["num"] or ""
        depth = num.count(".") + 1
        label = s[: m.offset("rest")].strip()
        return Item("arabic", label, num, float(depth), ln.start, ln.end)
    m = mk.label("letter_label")
    if m and m["rest"]:
        base = next((x.level for x in reversed(stack) if x.kind in ("arabic", "roman", "ordinal")), 0)
        return Item("letter", s[: m.offset("rest")].strip(), m["num"] or "", base + 0.5, ln.start, ln.end)
    m = mk.label("ordinal_thu")
    if m and stack and any(x.kind in ("arabic", "roman", "article") for x in stack):
        base = next((x.level for x in reversed(stack) if x.kind in ("arabic", "roman", "article")), 0)
        label = s[: m.length].strip(" ,:.")
        return Item("letter", label, str(THU_NUMBERS[m["num"] or ""]), base + 0.5, ln.start, ln.end)
    m = mk.label("roman_lower_label")
    if m and any(x.kind in ("arabic", "article") for x in stack):
        base = next((x.level for x in reversed(stack) if x.kind in ("arabic", "roman", "ordinal", "article")), 0)
        return Item("letter", s[: m.offset("rest")].strip(), m["num"] or "", base + 0.5, ln.start, ln.end)
    m = mk.label("paren_number_label")
    if m and any(x.kind in ("arabic", "roman", "article") for x in stack):
        # "(1) …" at a line's start under an item is its sub-item 1 (inline "(1)…(7)" are not)
        base = next((x.level for x in reversed(stack) if x.kind in ("arabic", "roman", "article")), 0)
        return Item("letter", f"({m['num']})", m["num"] or "", base + 0.5, ln.start, ln.end)
    m = mk.label("bullet")
    if m:
        return Item("bullet", m["mark"] or "", "", 99, ln.start, ln.end)
    return None


def _sentence_case_heading(rest: str) -> bool:
    """"II. Nhiệm vụ cụ thể trong thời gian tới": a short capitalised line without a full stop;
    a heading of a few words may carry one ("IV. Tổ chức thực hiện.")."""
    rest = rest.strip(" *")
    if rest.endswith(".") and len(rest.split()) <= _MAX_STOPPED_HEADING_WORDS and not _INNER_STOP.search(rest[:-1]):
        rest = rest[:-1]
    return bool(rest) and rest[0].isupper() and len(rest) <= 100 and not rest.endswith((".", ";", ","))


_MAX_STOPPED_HEADING_WORDS = 8
_INNER_STOP = regex.compile(r"[.;:!?]")


def _looks_like_heading(rest: str) -> bool:
    letters = [c for c in rest if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.6


def _is_number_prose(m) -> bool:
    """"2021 là năm…", "100 trẻ em": a number opening prose is not a label."""
    num = m["num"]
    if m["dot"] or m["paren"]:
        return int(num.split(".")[0]) > 50
    return "." not in num


def _set_extents(doc: WorkDoc, flat: list[Item], end: int) -> None:
    labeled = [x for x in flat if not x.is_bullet]
    for i, it in enumerate(labeled):
        nxt = labeled[i + 1].start if i + 1 < len(labeled) else end
        it.end = min(nxt, it.hard_end) if it.hard_end else nxt
    for it in labeled:
        it.tree_end = _subtree_end(it, end)
        first_child = next((c for c in it.children if not c.is_bullet), None)
        stop = first_child.start if first_child else it.end
        if stop > it.head_end:
            it.lead_in = (it.head_end, stop)
    bullets = [x for x in flat if x.is_bullet]
    for b in bullets:
        parent = b.parent
        siblings = parent.children if parent else []
        later = [c.start for c in siblings if c.start > b.start]
        b.end = min(later + [parent.end if parent else end])
        b.tree_end = b.end


def _subtree_end(it: Item, end: int) -> int:
    nodes = [c for c in it.children if not c.is_bullet]
    if not nodes:
        return it.end
    return max(it.end, _subtree_end(nodes[-1], end))


def _assign_ids(flat: list[Item]) -> None:
    used: set[str] = set()
    bullet_counts: dict[int, int] = {}
    for it in flat:
        if it.is_bullet:
            parent = it.parent
            k = bullet_counts.get(id(parent), 0) + 1
            bullet_counts[id(parent)] = k
            base = f"{parent.id}.b{k}" if parent else f"b{k}"
        elif it.kind == "roman":
            base = it.key
        elif it.kind == "article":
            base = f"Điều {it.key}"
        elif it.kind == "chapter":
            base = it.label
        elif it.kind in ("letter",) and it.parent is not None:
            base = f"{it.parent.id}.{it.key}"
        else:
            roman = _roman_ancestor(it)
            base = f"{roman.id}.{it.key}" if roman else it.key
        ident = base
        n = 2
        while ident in used:
            ident = f"{base}~{n}"
            n += 1
        used.add(ident)
        it.id = ident


def _roman_ancestor(it: Item) -> Item | None:
    """The nearest roman section or Điều: it gives its id to the numbered items under it."""
    p = it.parent
    while p is not None:
        if p.kind in ("roman", "article"):
            return p
        p = p.parent
    return None


def _assign_kinds(doc: WorkDoc, flat: list[Item]) -> None:
    for it in flat:
        if it.kind == "article":
            it.directs = article_directs(doc, it)
            kind = section_kind(article_title(doc, it))
            it.section_kind = kind if kind != "other" or not it.directs else "organization"
        elif it.kind == "chapter":
            it.section_kind = section_kind(doc.text[it.start : it.head_end])
        elif it.kind == "roman":
            it.section_kind = section_kind(doc.text[it.start : it.head_end])
            it.background = _BACKGROUND_F.search(fold(doc.text[it.start : it.head_end])) is not None
        elif it.parent is not None:
            it.section_kind = it.parent.section_kind
            # "1. Hiện trạng" right under "II. NỘI DUNG THỰC HIỆN": a description, like a top-level one
            it.background = it.kind == "arabic" and (_logistics_field(doc, it) or (
                it.parent.kind == "roman" and _INFORMATION_F.match(_heading_words(doc, it)) is not None))
            if it.section_kind in _TASK_SECTION_KINDS and it.kind == "arabic" and it.parent.kind == "roman" and \
                    _NESTED_TARGETS_F.match(_heading_words(doc, it)):
                # "6. Chỉ tiêu chủ yếu đến năm 2030" right under a NỘI DUNG section (not "Về mục
                # tiêu …" under "Tiếp tục thực hiện các mục tiêu …", an item's own parts)
                it.section_kind = "targets"

        else:
            head = doc.text[it.start : it.head_end]
            # a long first line is a directive, not a heading: "… các mục tiêu, chỉ tiêu …" in a
            # công văn item says nothing about the item's kind
            # nor is a short sentence ("2. Giao Sở Tài chính bố trí kinh phí."): it ends with a stop
            sentence = head.rstrip(" *_").endswith((".", ";"))
            it.section_kind = section_kind(head) if it.kind == "arabic" and len(head) < 70 and not sentence else "other"
            # "1. Thông tin về công trình" with its points: a description, not a directive
            it.background = it.kind == "arabic" and (
                _INFORMATION_F.match(_heading_words(doc, it)) is not None or _logistics_field(doc, it))


def _logistics_field(doc: WorkDoc, it: Item) -> bool:
    """"1. Danh nghĩa tổ chức: …", "2. Cơ quan chỉ đạo: Ủy ban nhân dân …", "3. Đơn vị chủ trì thực
    hiện: Sở …": an item of an event plan that states who organizes, as a field and its value."""
    head = doc.folded[it.start : it.head_end][len(it.label) :].lstrip(" .:*_")
    return _LOGISTICS_F.match(head) is not None or _MEETING_FIELD_F.match(head.rstrip(" .*_")) is not None


def _heading_words(doc: WorkDoc, it: Item) -> str:
    """The fold key of a short heading line after its label ("" for a sentence or a long line)."""
    head = doc.folded[it.start : it.head_end][len(it.label) :].strip(" .:*_")
    return "" if len(head) > 100 or head.endswith((".", ";")) else head


def article_title(doc: WorkDoc, it: Item) -> str:
    return doc.text[it.start : it.head_end][len(it.label) :].strip(" .:")


def article_directs(doc: WorkDoc, it: Item) -> bool:
    """A Điều directs units: "Tổ chức thực hiện", "Trách nhiệm …", "Giao X …", or an execution
    clause ("… chịu trách nhiệm thi hành Quyết định này") anywhere in it."""
    title = fold(article_title(doc, it))
    executes = EXECUTION_CUE_F.search(doc.folded, it.start, max(it.tree_end, it.end)) is not None
    if _DIRECTING_TITLE_F.match(title):
        # "Điều khoản thi hành" holding only the effective date and a repeal directs no one
        return executes or not title.startswith("điều khoản thi hành")
    if _ENACTING_TITLE_F.match(title):
        # "Điều 3. Quyết định này có hiệu lực …" followed by "Chánh Văn phòng … chịu trách nhiệm
        # thi hành": the effective date and the execution clause share one Điều
        return executes and _EFFECTIVE_TITLE_F.search(title) is not None
    return executes


# the label before a heading's words: "II. ", "2.1. ", "3) " (not the first letters of "II. CHỈ TIÊU")
_HEADING_LABEL = regex.compile(r"^\s*(?:(?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*)\s*[.)\-–:]+\s*)*")


def section_kind(heading: str) -> str:
    """Section kind from a heading's words (``shared/spec/domain.md`` §6.1)."""
    f = fold(_HEADING_LABEL.sub("", heading)).strip()
    for kind, rx in _KINDS:
        if rx.search(f):
            return kind
    return "other"


def _to_section(doc: WorkDoc, it: Item) -> Section:
    title = clean_value(doc.text[it.start : it.head_end][len(it.label) :].strip(" ,:"))
    if title and len(title) > 200:
        title = title[:200].rsplit(" ", 1)[0] + "…"
    return Section(
        id=it.id,
        label=printed_label(it.label),
        title=title,
        kind=it.section_kind,  # type: ignore[arg-type]
        span=(it.start, it.tree_end),
        children=[_to_section(doc, c) for c in it.children if not c.is_bullet],
    )
