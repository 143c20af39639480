"""Mark once, read many: one pass over the lines that records what the grammar finds on each.

The ``marks`` stage runs first, right after the working document is built. For every line it keeps
a :class:`~vbextract.doc.LineMarks`: the item labels the line could carry ("III.", "2.3.1.",
"a)", "Điều 5.", "Chương II", "- ", "(1)") and the landmarks of the national format (NĐ 30/2020
Phụ lục I) that open a line: Kính gửi, the legal-basis verbs (Căn cứ, Thực hiện, Xét đề nghị …),
Nơi nhận, an authority marker (TM. KT. TL. TUQ. Q., Party T/M K/T T/L) and the line that opens a
signature block. Each is a :class:`~vbextract.doc.Mark` of a named grammar entry
(``grammars/*.yaml``), with its span and groups in the document's offsets.

On the first lines (up to Kính gửi) it also marks the head's landmarks for the header stage:
quốc hiệu, tiêu ngữ, Party header, số line, place-date, V/v and the type title. The one reader of
dashed lists (:class:`DashedList`, :func:`is_dashed`, :func:`dash_len`: the one bullet set
``$BULLET``) lives here too.

The zoner, the header, the signature block reader and the section tree read these marks instead
of matching the same entries again: ``doc.marks[i]`` belongs to ``doc.lines[i]``, ``doc.marks_in(start, end)``
to ``doc.lines_in(start, end)``. Each entry is tried only where its line could match (a cheap test
of the line's first characters, checked against the entry's examples by
``tests/test_label_guards.py``), so a line of prose costs a few string tests.
"""

from __future__ import annotations

import regex

from .doc import NO_MARKS, LineMarks, Mark, WorkDoc
from .grammars import REGISTRY, VARS
from .grammars.types import TYPE_TITLES, canonical_type
from .normalize import fold

# The item labels, in the order the section tree tries them (its reader picks by context).
LABELS = ("article_label", "chapter_label", "roman_label", "ordinal_label", "arabic_label", "letter_label",
          "ordinal_thu", "roman_lower_label", "paren_number_label", "bullet")

# What each label entry needs at the start of the line (of the stripped text, or of its fold key).
_ARTICLE_START = ("Điều", "ĐIỀU")
_CHAPTER_START = ("Chương", "CHƯƠNG", "Phần", "PHẦN", "Mục", "MỤC")
_ORDINAL_START_F = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")
_ORDINAL_THU_START_F = "thứ"
_ROMAN_FIRST = "IVX"
_LETTER_FIRST = "abcdefghijklmnopqrstuvwxyzđ"
_ROMAN_LOWER_FIRST = "(ivx"
# The one bullet set (``$BULLET`` of grammars/vars.yaml): the marks that open a dashed item.
BULLETS = VARS["BULLET"]
_BULLET_FIRST = BULLETS + "("
_LEGAL_VERB_START_F = ("căn cứ", "thực hiện", "theo", "xét", "trên cơ sở", "thi hành")
_SUBJECT_STOP_START_F = ("căn cứ", "xét đề nghị", "theo đề nghị")
_AUTHORITY_FIRST = "TKQ"

# ``.rx``: the compiled patterns, called without the per-call time limit (they run on every line).
_ARTICLE = REGISTRY["article_label"].rx
_CHAPTER = REGISTRY["chapter_label"].rx
_ROMAN = REGISTRY["roman_label"].rx
_ORDINAL_F = REGISTRY["ordinal_label"].rx
_ARABIC = REGISTRY["arabic_label"].rx
_LETTER = REGISTRY["letter_label"].rx
_ORDINAL_THU_F = REGISTRY["ordinal_thu"].rx
_ROMAN_LOWER = REGISTRY["roman_lower_label"].rx
_PAREN_NUMBER = REGISTRY["paren_number_label"].rx
_BULLET = REGISTRY["bullet"].rx
_KINH_GUI_F = REGISTRY["kinh_gui"].rx
_LEGAL_VERB_F = REGISTRY["legal_basis_verb"].rx
_SUBJECT_STOP_F = REGISTRY["subject_stop"].rx
_NOI_NHAN_F = REGISTRY["noi_nhan"].rx
_DONG_KINH_GUI_F = REGISTRY["dong_kinh_gui"].rx
_AUTHORITY = REGISTRY["authority"].rx
_DASH = REGISTRY["dash"].rx

# The signature block's language (titles, names, stamps): grammars/signature.yaml.
AUTHORITY = REGISTRY["authority"]
POSITION_F = REGISTRY["position"]
# A person's name: 2–6 capitalized syllables, an optional rank or degree before it.
NAME = REGISTRY["person_name"]
_STAMP = REGISTRY["signature_stamp"].rx


def mark_lines(doc: WorkDoc) -> None:
    """Fill ``doc.marks``: one :class:`LineMarks` per line of ``doc.lines`` (with the head's
    landmarks on the first :data:`HEADER_MAX_LINES` lines, :func:`_head_markers`)."""
    folded = doc.folded
    out: list[LineMarks] = []
    lines = doc.lines
    n_head = min(len(lines), HEADER_MAX_LINES)
    head_end = lines[n_head - 1].end if n_head else 0
    # the head read with the cell bars of a flattened two-column table as spaces ("| Số: 25/2025/NĐ-CP
    # | Hà Nội, ngày …"), same offsets; the text itself when the head has no bar
    plain = doc.text[:head_end].replace("|", " ") if doc.text.find("|", 0, head_end) >= 0 else doc.text
    for i, ln in enumerate(lines):
        s = ln.stripped
        if not s:
            out.append(NO_MARKS)
            continue
        fu = folded[ln.start : ln.end]
        f = fu.strip()
        at_s = ln.start + len(ln.text) - len(ln.text.lstrip())
        at_f = ln.start + len(fu) - len(fu.lstrip())
        labels = _labels(s, f, at_s, at_f)
        markers = _markers(ln.start, ln.end, ln.text, s, f, fu, at_s, at_f)
        if i < n_head:
            if markers and any(m.name == "kinh_gui" for m in markers):
                n_head = i  # the header ends at Kính gửi at the latest (the zoner cuts it there)
            else:
                lim = lines[min(i + 3, n_head - 1)].end  # a head field runs over at most 4 lines
                markers += _head_markers(doc.text, folded, plain, ln.start, ln.end, lim, ln.text, s, fu)
        out.append(LineMarks(labels, markers) if labels or markers else NO_MARKS)
    doc.marks = out


# The header block lies in the first lines (the zoner looks no further for its end).
HEADER_MAX_LINES = 40
_QUOC_HIEU_F = REGISTRY["quoc_hieu"].rx
_TIEU_NGU_F = REGISTRY["tieu_ngu"].rx
_PARTY_F = REGISTRY["party_header"].rx
_SO_LINE = REGISTRY["so_line"].rx
_PLACE_DATE = REGISTRY["place_date"].rx
_VV_LINE = REGISTRY["vv_line"].rx
_VV_MARK = REGISTRY["vv_mark"].rx
# what a line must hold for each head entry to be tried on it
_SO_START = ("Số", "số", "Luật", "Lệnh", "Nghị quyết", "Quyết định", "Kế hoạch", "Văn bản")


_ISSUE_DATE_AFTER_COMMA = REGISTRY["issue_date_after_comma"].rx


def _has_issue_date(plain: str, folded: str, fu: str, start: int, end: int, lim: int) -> bool:
    """The line holds a comma followed by the date of issue (``issue_date_after_comma``: ", ngày …
    tháng … năm"), on the line or the next: what a place-date line needs before its entry is
    searched over the line (a failed search of a long line costs more than all its other marks)."""
    i = fu.find("ngày")
    while i >= 0:
        head = fu[:i].rstrip()
        if head.endswith(",") and _ISSUE_DATE_AFTER_COMMA.match(plain, start + len(head) - 1, lim):
            return True
        i = fu.find("ngày", i + 4)
    tail = fu.rstrip()
    return (tail.endswith(",") and folded[end:lim].lstrip().startswith("ngày")
            and _ISSUE_DATE_AFTER_COMMA.match(plain, start + len(tail) - 1, lim) is not None)


def _head_markers(text: str, folded: str, plain: str, start: int, end: int, lim: int, raw: str, s: str,
                  fu: str) -> tuple[Mark, ...]:
    """The head's landmarks that start on the line ``text[start:end]``: the quốc hiệu, tiêu ngữ and
    Party header (fold key), the số line and the place-date line (``plain``: the bars of a table as
    spaces), the V/v (``vv_line``, and its slash form ``vv_mark``) and the type title
    (``type_title``, :func:`title_of`). A field may run over the next lines (a motto wrapped in its
    cell, "Số:" / "7360/KH-UBND", "Thành phố Huế," / "ngày 18 …"), up to ``lim``; it is marked on
    the line where it starts. Each entry is tried only on a line that holds what it starts with."""
    found: list[Mark] = []
    if "cộng" in fu and (m := _QUOC_HIEU_F.search(folded, start, lim)) and m.start() <= end:
        found.append(_mark("quoc_hieu", m, 0))
    if "độc" in fu and (m := _TIEU_NGU_F.search(folded, start, lim)) and m.start() <= end:
        found.append(_mark("tieu_ngu", m, 0))
    fl = fu.lstrip()
    if fl.startswith("đảng") and (m := _PARTY_F.search(folded, start, lim)) and m.start() <= end:
        found.append(_mark("party_header", m, 0))  # the Party header is a line of its own
    t = s.strip(" |")
    if t.startswith(_SO_START) and (m := _SO_LINE.match(plain, start, lim)):
        found.append(_mark("so_line", m, 0))
    if ("ngày" in fu or fu.rstrip().endswith(",")) and _has_issue_date(plain, folded, fu, start, end, lim) and (
            m := _PLACE_DATE.search(plain, start, lim)) and m.start() <= end:
        found.append(_mark("place_date", m, 0))
    if fl.startswith(("v/", "về")) and (m := _VV_LINE.match(text, start, end)):
        found.append(_mark("vv_line", m, 0))
    if fu.lstrip(" \t*|").startswith("v/") and (m := _VV_MARK.match(text, start, end)):
        found.append(_mark("vv_mark", m, 0))  # also "| V/V …", "** v/v …"
    if t[:2].isupper() and (tt := title_of(t)):
        at = start + raw.find(tt[0])
        groups = (("title", tt[0], at),) + ((("glued", tt[1], at + len(tt[0])),) if tt[1] else ())
        found.append(Mark("type_title", start, end, groups))
    return tuple(found)


_TITLE_GLUED = REGISTRY["type_title_glued"].rx
# the first word of every type title, in capitals ("KẾ", "QUYẾT", "NGHỊ" …)
_TITLE_FIRST = tuple(sorted({t.split()[0].upper() for t in TYPE_TITLES}))


def title_of(s: str) -> tuple[str, str] | None:
    """(the type title as printed, the text glued after it) when ``s`` is a type title line
    ("KẾ HOẠCH", "NGHỊ ĐỊNHQuy định về …" where a converter lost the break); its canonical type
    is ``canonical_type`` of the first.

    >>> title_of("| KẾ HOẠCH |"), title_of("NGHỊ ĐỊNHQuy định về"), title_of("Kế hoạch")
    (('KẾ HOẠCH', ''), ('NGHỊ ĐỊNH', 'Quy định về'), None)
    """
    s = s.strip(" |")
    if not s.startswith(_TITLE_FIRST):
        return None  # no type title opens so (cheaper than the fold key of every capitals line)
    if s.upper() == s and canonical_type(s):
        return s, ""
    m = _TITLE_GLUED.match(s)
    if m:
        return m["title"], s[m.end() :]
    return None


# --- dashed lists: the one reader of "- item" lines ----------------------------------------------


def is_dashed(s: str) -> bool:
    """``s`` (a stripped line or cell) opens with a dash of the one bullet set: where the grammar's
    ``dash`` entry (``^[$BULLET]\\s*``) matches, tested without running it.

    >>> is_dashed("- Sở Tài chính;"), is_dashed("—Như trên;"), is_dashed("Sở Y tế"), is_dashed("")
    (True, True, False, False)
    """
    return bool(s) and s[0] in BULLETS


def dash_len(s: str) -> int:
    """Length of the dash that opens ``s`` and of the blanks after it ("- ", "• ", "–"), 0 when
    ``s`` opens with none: the grammar's ``dash`` entry over the one bullet set.

    >>> dash_len("- Sở Tài chính;"), dash_len("–Như trên;"), dash_len("• Lưu: VT."), dash_len("Sở Y tế")
    (2, 1, 2, 0)
    """
    if not s or s[0] not in BULLETS:
        return 0
    m = _DASH.match(s)
    return m.end() if m else 0


def undash(s: str) -> str:
    """``s`` without the dash that opens it (:func:`dash_len`)."""
    return s[dash_len(s) :]


class DashedList:
    """The items of a dashed list, read line by line: the one reader of the Kính gửi addressees,
    the Nơi nhận list and the lines of a table cell (and, through :func:`is_dashed`, the extent of
    those lists in the zoner, the Nơi nhận pieces of a signature block and the bullets of a task).

    A dashed line opens an item (its dash dropped); any other line continues the item above
    (a wrapped line: "- Phòng LĐTBXH -DT các huyện, Phòng" / "LĐTBXH TP;"), unless it is the
    first or the reader says it opens one (``opens``: an addressee after one that ended with ";").

    >>> lst = DashedList()
    >>> [lst.add(x) for x in ("Như trên;", "- Phòng Tài chính -", "Kế hoạch;", "– Lưu: VT.")]
    [False, True, False, True]
    >>> lst.items
    ['Như trên;', 'Phòng Tài chính - Kế hoạch;', 'Lưu: VT.']
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, line: str, opens: bool = False, dash: int | None = None) -> bool:
        """Read one stripped line (``dash``: its :func:`dash_len`, when the reader has it); whether
        it was dashed."""
        n = dash_len(line) if dash is None else dash
        if n or opens or not self.items:
            self.items.append(line[n:])
        else:
            self.items[-1] += " " + line
        return n > 0


def ensure_marks(doc: WorkDoc) -> None:
    """Mark ``doc`` unless the ``marks`` stage already did (a part called on a working document
    built by hand, outside :func:`vbextract.pipeline.run_rules`)."""
    if len(doc.marks) != len(doc.lines):
        mark_lines(doc)


# (name, index) of each pattern's named groups, in ``groupdict()`` order: read from the match's
# spans, a mark costs no dict of every group (most take no part) and no lookup by name.
_GROUP_INDEX: dict[regex.Pattern[str], tuple[tuple[str, int], ...]] = {}


def _mark(name: str, m: regex.Match[str], base: int) -> Mark:
    index = _GROUP_INDEX.get(m.re)
    if index is None:
        index = _GROUP_INDEX[m.re] = tuple((g, m.re.groupindex[g]) for g in m.groupdict())
    regs, key = m.regs, m.string
    groups = tuple((g, key[a:b], base + a) for g, i in index for a, b in (regs[i],) if a >= 0)
    return Mark(name, base + regs[0][0], base + regs[0][1], groups)


def _labels(s: str, f: str, at_s: int, at_f: int) -> tuple[Mark, ...]:
    c = s[0]
    found: list[Mark] = []

    def tr(name: str, rx: regex.Pattern[str], key: str, base: int) -> None:
        m = rx.match(key)
        if m:
            found.append(_mark(name, m, base))

    if s.startswith(_ARTICLE_START):
        tr("article_label", _ARTICLE, s, at_s)
    if s.startswith(_CHAPTER_START):
        tr("chapter_label", _CHAPTER, s, at_s)
    if c in _ROMAN_FIRST:
        tr("roman_label", _ROMAN, s, at_s)
    if f.startswith(_ORDINAL_START_F):
        tr("ordinal_label", _ORDINAL_F, f, at_f)
    if c.isdigit():
        tr("arabic_label", _ARABIC, s, at_s)
    if c in _LETTER_FIRST:
        tr("letter_label", _LETTER, s, at_s)
    if f.startswith(_ORDINAL_THU_START_F):
        tr("ordinal_thu", _ORDINAL_THU_F, f, at_f)
    if c in _ROMAN_LOWER_FIRST:
        tr("roman_lower_label", _ROMAN_LOWER, s, at_s)
    if c == "(":
        tr("paren_number_label", _PAREN_NUMBER, s, at_s)
    if c in _BULLET_FIRST:
        tr("bullet", _BULLET, s, at_s)
    return tuple(found)


# a signature line opens (in some cell) with a word of capitals: "TM.", "T/M", "KT.", "CHỦ TỊCH", "BỘ TRƯỞNG"
_MAYBE_BLOCK_LINE = regex.compile(r"(?:^|\|)[\s*_(]*\p{Lu}[\p{Lu}./]")


def _markers(start: int, end: int, text: str, s: str, f: str, fu: str, at_s: int, at_f: int) -> tuple[Mark, ...]:
    found: list[Mark] = []
    if "kính" in f:
        if m := _KINH_GUI_F.match(f):
            found.append(_mark("kinh_gui", m, at_f))
        if "đồng" in fu and (m := _DONG_KINH_GUI_F.match(fu)):
            found.append(_mark("dong_kinh_gui", m, start))
    if f.startswith(_LEGAL_VERB_START_F):
        if m := _LEGAL_VERB_F.match(f):
            found.append(_mark("legal_basis_verb", m, at_f))
        if f.startswith(_SUBJECT_STOP_START_F) and (m := _SUBJECT_STOP_F.match(f)):
            found.append(_mark("subject_stop", m, at_f))
    elif f[:1] in BULLETS and "căn cứ" in f[:12] and f.startswith("căn cứ", n := dash_len(f)):
        # a basis printed as a dashed item ("- Căn cứ Nghị định số 15/CP …;", older decisions)
        if m := _LEGAL_VERB_F.match(f[n:]):
            found.append(_mark("legal_basis_verb", m, at_f + n))
        if m := _SUBJECT_STOP_F.match(f[n:]):
            found.append(_mark("subject_stop", m, at_f + n))
    if "nơi" in fu and (m := _NOI_NHAN_F.match(fu)):
        found.append(_mark("noi_nhan", m, start))
    if s[0] in _AUTHORITY_FIRST and (m := _AUTHORITY.match(s)):
        found.append(_mark("authority", m, at_s))
    # the cell-opening test anchored at the line's start, searched past a "|" only where there is one
    if ((_MAYBE_BLOCK_LINE.match(text) or ("|" in text and _MAYBE_BLOCK_LINE.search(text)))
            and _opens_signature_block(s)):
        found.append(Mark("signature_open", start, end))
    return tuple(found)


def _opens_signature_block(s: str) -> bool:
    """A line whose first logical piece (in some cell: the block may share its line with the Nơi
    nhận cell, "- Lưu: HC, PLTP. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI…") is an authority marker or a
    signer's title, in capitals."""
    firsts = [ps[0] for cell in s.split("|") if (ps := split_signature_line(cell))]
    p = next((p for p in firsts if AUTHORITY.match(p) and p.upper() == p), firsts[0] if firsts else "")
    return bool(p and (AUTHORITY.match(p) or POSITION_F.match(fold(p))) and p.upper() == p)


# Where a joined signature line ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘICHỦ TỊCH",
# "KT. BỘ TRƯỞNG THỨ TRƯỞNG") starts its next title: an inner authority marker, a deputy title, or a
# head's title after the body of a TM. line.
# the split point sits just before an inner marker; the next title starts after a space or a capital
_INNER_MARKER = regex.compile(rf"(?<=[\p{{Lu}}\s])(?={REGISTRY['inner_marker'].source})")
_TITLE_START = regex.compile(rf"(?:(?<=\s)|(?<=\p{{Lu}}))(?={REGISTRY['title_start'].source})")
_TITLE_HEAD = REGISTRY["title_head"].rx
_TRAILING_NAME = REGISTRY["trailing_name"].rx
_STAMP_INLINE = REGISTRY["stamp_inline"].rx


def split_signature_line(line: str) -> list[str]:
    """The logical lines of one printed signature line.

    Converters put the block in table cells ("| KT. CHỦ TỊCH |"), join its lines ("KT. CHỦ TỊCH PHÓ
    CHỦ TỊCH", "… QUỐC HỘICHỦ TỊCH") or glue the name on ("PHÓ TRƯỞNG BAN Nguyễn Thị Hằng"); stamps
    printed inline ("(Đã ký) Lê Văn An") are dropped and the rest kept.
    """
    out: list[str] = []
    for cell in line.split("|"):
        cell = " ".join(_STAMP_INLINE.sub(" ", cell.replace("**", " ")).split())
        if not cell or _STAMP.match(cell):
            continue
        name = None
        m = _TRAILING_NAME.match(cell)
        if m and not NAME.match(cell):
            cell, name = m["caps"].strip(), m["name"]
        for part in _INNER_MARKER.split(cell):
            out += _split_titles(part.strip())
        if name:
            out.append(name)
    return [p for p in out if p]


def _split_titles(part: str) -> list[str]:
    marker = AUTHORITY.match(part)
    if not part or part.upper() != part or not marker:
        return [part]
    body_start = marker.start("who")
    for m in _TITLE_START.finditer(part, body_start + 1):
        head, rest = part[: m.start()].strip(), part[m.start() :].strip()
        who = head[body_start:].strip()
        if who.endswith((",", "VÀ")):
            continue  # one office with two titles: "KT. BỘ TRƯỞNG, CHỦ NHIỆM"
        if len(who.split()) < 2 and not (marker["mk"].startswith("TM") and who):
            continue
        if not marker["mk"].startswith(("TM", "T/M")) and not _TITLE_HEAD.match(who):
            continue
        return [head, rest]
    return [part]
