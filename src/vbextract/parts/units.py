"""Units (agencies, bodies) named in free sentences: where a unit phrase starts, where it ends, and
how a list of units splits.

A unit phrase starts at a body head ("Sở", "Phòng Giáo dục…", "UBND", "các sở, ban, ngành") and
ends at the verb that follows it ("chủ trì", "phối hợp", "tổ chức", "hướng dẫn" …) or at
punctuation that closes the clause. Lists split at ";" always, and at "," / "và" only where the
next words open another body: "Văn phòng HĐND và UBND thị xã" and "Phòng Văn hóa, Khoa học và
Thông tin thị xã" stay whole; "Tòa án nhân dân thị xã; Viện Kiểm sát nhân dân thị xã" are two.
"""

from __future__ import annotations

from ..doc import WorkDoc
from ..document import Unit
from ..grammars import REGISTRY
from ..grammars.agencies import key, registry, resolve
from ..normalize import clean_value, fold

# The patterns are entries of grammars/unit.yaml (the heads, the stop verbs and the aside written
# out in each entry that uses them). Capitalized heads are case-sensitive so verbs at a sentence
# start ("Ban hành", "Báo cáo", "Phòng, chống") are not taken for bodies. The names bound to ``.rx``
# were plain compiled regexes and stay untimed.
ORG_START = REGISTRY["org_start"]
UNIT_PHRASE = REGISTRY["unit_phrase"]
# "… và các Đoàn thể", "…, các Chủ đầu tư": "các" before a capital opens a body of its own
_SPLIT = REGISTRY["unit_split"].rx
# "Các Bộ: Quốc phòng, Công an", "Giám đốc các Sở: Tài chính, Xây dựng": one unit with its own list
_BARE_COLLECTIVE = REGISTRY["unit_bare_collective"].rx
_BARE_TITLE = REGISTRY["unit_bare_title"].rx
_LISTED_HEAD = REGISTRY["unit_listed_head"].rx
_HDND_OFFICE_F = REGISTRY["unit_hdnd_office"].rx

ISSUER_HEAD_F = REGISTRY["issuer_head"]

_ENACTING = REGISTRY["unit_enacting"].rx
MAX_UNIT_WORDS = 16
# a collective described in its heading may run longer than a name: 'Các doanh nghiệp hoạt động trong
# lĩnh vực xây dựng, giao thông, vận tải … trên địa bàn Tỉnh'
MAX_NAME_WORDS = 24


def unit_phrase_at(text: str, pos: int) -> tuple[int, int] | None:
    """Span of the unit phrase that starts exactly at ``pos``, or ``None``."""
    m = UNIT_PHRASE.match(text, pos)
    if not m:
        return None
    end = m.end()
    while True:  # "Phòng Cảnh sát quản lý hành chính …", "… (PC06) - Công an tỉnh": the name goes on
        on = _NAME_GOES_ON.match(text, end) or _CODE_PARENT.match(text, end)
        if not on:
            break
        tail = _LIST_TAIL.match(text, on.end())
        end = max(on.end(), tail.end() if tail else 0)
    if end < len(text) and text[end] == ":" and _LISTED_HEAD.search(text, pos, end):
        tail = _LIST_TAIL.match(text, end + 1)  # "Các Bộ: Quốc phòng, Công an" goes on after ':'
        if tail and tail.group().strip():
            end = tail.end()
    generic = _GENERIC_HEAD.match(text, pos, end)
    if generic and not _NAME_AFTER_GENERIC.match(text, generic.end(), end):
        end = generic.end()  # "Công ty hiệu chỉnh …": a generic head followed by a verb
    qual = _QUALIFIER.match(text, end)  # "các cơ quan, đơn vị có liên quan": the qualifier is the name's
    if qual:
        end = qual.end()
    s = text[pos:end].rstrip(" ,;-–")
    aside = _TRAILING_ASIDE.search(s)
    if aside and aside.start() > 0:
        s = s[: aside.start()].rstrip(" ,;-–")  # "Sở Nội vụ (Ban Thi đua - Khen thưởng)"
    if not s:
        return None
    if len(s.split()) > MAX_UNIT_WORDS * 3 and not _is_long_list(s):
        return None
    return pos, pos + len(s)


def _is_long_list(phrase: str) -> bool:
    """A long phrase is a list of bodies ("Văn phòng Tỉnh ủy, …, Chi cục Hải quan khu vực XI") when
    every piece is a name of its own length, not a sentence that ran on."""
    pieces = split_units(phrase)
    return len(pieces) >= 4 and all(len(p.split()) <= MAX_UNIT_WORDS for p in pieces)


# heads that name a body only with a proper name after them ("Công ty cổ phần Mông Sơn")
_GENERIC_HEAD = REGISTRY["unit_generic_head"].rx
_NAME_AFTER_GENERIC = REGISTRY["unit_name_after_generic"].rx
_QUALIFIER = REGISTRY["unit_qualifier"].rx
_LIST_TAIL = REGISTRY["unit_list_tail"].rx
_NAME_GOES_ON = REGISTRY["unit_name_goes_on"].rx
_CODE_PARENT = REGISTRY["unit_code_parent"].rx
_TRAILING_ASIDE = REGISTRY["unit_trailing_aside"].rx


def split_units(phrase: str, max_words: int = MAX_UNIT_WORDS) -> list[str]:
    """Split a phrase that lists bodies into one string per body.

    >>> split_units("các sở, ban, ngành, đoàn thể cấp tỉnh và UBND các huyện, thành phố")
    ['các sở, ban, ngành, đoàn thể cấp tỉnh', 'UBND các huyện, thành phố']
    >>> split_units("Văn phòng HĐND và UBND thị xã, UBND các xã, phường")
    ['Văn phòng HĐND và UBND thị xã', 'UBND các xã, phường']
    >>> split_units("Các Bộ: Quốc phòng, Công an; Đài Tiếng nói Việt Nam, Thông tấn xã Việt Nam")
    ['Các Bộ: Quốc phòng, Công an', 'Đài Tiếng nói Việt Nam', 'Thông tấn xã Việt Nam']
    """
    phrase = " ".join(phrase.split())
    units: list[str] = []
    cur_start = 0
    listed = _listed_span(phrase)
    for m in _SPLIT.finditer(phrase):
        left = phrase[cur_start : m.start()]
        if listed and listed[0] < m.start() < listed[1] and ";" not in m.group():
            continue  # inside the unit's own list ("Các Bộ: Quốc phòng, Công an")
        if "," in m.group() and _BARE_COLLECTIVE.fullmatch(left.strip()):
            continue  # "Các Bộ, cơ quan liên quan" is one collective
        if "," in m.group() and _BARE_TITLE.fullmatch(left.strip()):
            continue  # "Giám đốc, Thủ trưởng các sở": two titles of the bodies named after them
        if "và" in m.group() and _HDND_OFFICE_F.search(fold(left)):
            continue  # "Văn phòng HĐND và UBND …" is one office
        if left.strip():
            units.append(left)
        cur_start = m.end()
    units.append(phrase[cur_start:])
    units = [part for u in units for part in _split_run_on(u)]
    out = []
    for u in units:
        v = clean_value(u.strip(" :;,.-–")) or ""
        aside = _TRAILING_ASIDE.search(v)
        if aside and aside.start() > 0:
            v = v[: aside.start()].rstrip(" ,;-–")  # "Sở Nội vụ (Ban Thi đua - Khen thưởng)"
        if v and _name_words(v) <= max_words and v not in out:
            out.append(v)
    return out


def _name_words(unit: str) -> int:
    """Words of a unit's name; a department with its code and parent body ("Phòng Cảnh sát … (PC06)
    - Công an tỉnh …") counts as its longer part, a unit with its own list as its head and longest member."""
    m = _CODE_PARENT.search(unit)
    if m:
        return max(len(unit[: m.start()].split()), len(unit[m.end() :].split()))
    listed = _listed_span(unit)  # "Các Bộ: Giáo dục và Đào tạo, Y tế, …" counts its longest member
    if listed:
        members = unit[listed[0] + 1 : listed[1]].split(",")
        return len(unit[: listed[0]].split()) + max(len(x.split()) for x in members)
    return len(unit.split())


_RUN_ON_HEAD = REGISTRY["unit_run_on_head"].rx


def _split_run_on(unit: str) -> list[str]:
    """Two names printed one after the other with no separator (a cell's lines joined):
    "Sở Khoa học và Công nghệ Sở Công Thương" splits where the left part is a known name."""
    names = registry().by_key
    for m in _RUN_ON_HEAD.finditer(unit):
        left = unit[: m.start()]
        if key(left) in names:
            return [left, *_split_run_on(unit[m.end() :])]
    return [unit]


def _listed_span(phrase: str) -> tuple[int, int] | None:
    """Where a unit's own list runs: from the ':' after "Các Bộ" to the next ';', or to the first
    member that opens with another head than the first member's ("Giám đốc: Sở A, Sở B, Chủ tịch
    UBND các huyện" and "UBND các phường: Ba Đình, Hoàn Kiếm và UBND xã Bát Tràng" list two units)."""
    colon = phrase.find(":")
    if colon < 0 or not _LISTED_HEAD.search(phrase[:colon]):
        return None
    semi = phrase.find(";", colon)
    end = semi if semi >= 0 else len(phrase)
    first = colon + 1 + len(phrase[colon + 1 :]) - len(phrase[colon + 1 :].lstrip())
    head = ORG_START.match(phrase, first, end)
    member_head = head.group() if head else None
    for m in _SPLIT.finditer(phrase, first, end):
        other = ORG_START.match(phrase, m.end(), end)
        if not other or other.group() == member_head:
            continue
        # members named bare ("Các Bộ: Quốc phòng, Công an") end only at "và" before a body
        if member_head is not None or "và" in m.group():
            return colon, m.start()
    return colon, end


def units_at(text: str, pos: int) -> list[str]:
    """The bodies listed by the unit phrase starting at ``pos`` (empty when none starts there)."""
    span = unit_phrase_at(text, pos)
    return split_units(text[span[0] : span[1]]) if span else []


def find_unit_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    return [m.start() for m in ORG_START.finditer(text, start, end)]


def infer_issuer(doc: WorkDoc) -> str | None:
    """Issuer of a copy whose header omits it: the body's enacting sentence ("Sở … xây dựng Kế
    hoạch …", "Ủy ban nhân dân thị xã ban hành Kế hoạch …"), else the signature's "TM." body."""
    start = doc.zones.header[1] if doc.zones.header else 0
    end = min(len(doc.text), start + 4000)
    for m in ORG_START.finditer(doc.text, start, end):  # lazily: the first enacting unit ends the search
        span = unit_phrase_at(doc.text, m.start())
        if not span:
            continue
        if _ENACTING.match(doc.folded, span[1]):
            units = split_units(doc.text[span[0] : span[1]])
            if len(units) == 1:
                return units[0]
    return None


# --- units of tasks as records --------------------------------------------------------------------

# how far before a task its inherited lead may have been printed (the parent's heading)
_INHERITED_WINDOW = 6000


def describe_task_units(doc: WorkDoc) -> None:
    """Give every task its units as records (role, printed span, registry name, kind, level),
    its parent task and its top-level section."""
    ids = {t.id for t in doc.tasks}
    for task in doc.tasks:
        records = []
        for role, names in (("lead", task.lead_units), ("support", task.support_units)):
            for name in names:
                r = resolve(name)
                records.append(Unit(role=role, text=name, span=_printed_span(doc, name, task.span),  # type: ignore[arg-type]
                                    canonical=r.canonical, kind=r.kind, level=r.level))  # type: ignore[arg-type]
        task.units = records
        task.parent_id = _parent_id(task.id, ids)
        task.section_id = _section_id(doc, task.span[0])


def _printed_span(doc: WorkDoc, name: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where ``name`` is printed: inside the task, else the nearest place before it (an
    inherited lead is printed in the parent's heading)."""
    at = doc.text.find(name, span[0], span[1])
    if at < 0:
        at = doc.text.rfind(name, max(0, span[0] - _INHERITED_WINDOW), span[0])
    return (at, at + len(name)) if at >= 0 else None


def _parent_id(ident: str, ids: set[str]) -> str | None:
    base = ident.split("~")[0]
    while "." in base:
        base = base.rsplit(".", 1)[0]
        if base in ids:
            return base
    return None


def _section_id(doc: WorkDoc, pos: int) -> str | None:
    for s in doc.sections:
        if s.span[0] <= pos < s.span[1]:
            return s.id
    return None
