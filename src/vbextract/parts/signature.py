"""The signature block: authority chain (TM./KT./TL./TUQ./Q., Party T/M K/T T/L), title, signer.

NĐ 30/2020 Phụ lục I II.7: markers and titles in capitals, the name in lower case under the
signature. Chains can be long ("TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN … / PHÓ TRƯỞNG BAN"). A blank form
attached after the signature ("TM.UBND XÃ, THỊ TRẤN / (Ký tên, đóng dấu)") is not the signature.
"""

from __future__ import annotations

import regex

from ..doc import Doc
from ..document import Signature
from ..grammars import REGISTRY
from ..grammars.blocks import AUTHORITY
from ..normalize import clean_value, fold

# The signature block's language (titles, names, stamps): grammars/signature.yaml.
POSITION_F = REGISTRY["position"]
# A person's name: 2–6 capitalized syllables, an optional rank or degree before it.
NAME = REGISTRY["person_name"]
# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
_STAMP = REGISTRY["signature_stamp"].rx
_NOT_NAMES = {"như trên", "nơi nhận", "lưu vt", "kính gửi", "trân trọng", "ghi chú"}


def find_signature_block(doc: Doc, start: int, near: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Span of the signature block (first chain line to the signer line), or ``None``.

    The block closest to "Nơi nhận" wins (they sit side by side in the national layout); without
    a Nơi nhận, the first complete block after the body start.
    """
    blocks = list(_candidate_blocks(doc, start))
    if not blocks:
        return None
    complete = [b for b in blocks if b[2]] or blocks
    if near is not None:
        return min(complete, key=lambda b: min(abs(b[0] - near[0]), abs(b[0] - near[1])))[:2]
    return complete[0][:2]


# a signature line opens (in some cell) with a word of capitals: "TM.", "T/M", "KT.", "CHỦ TỊCH", "BỘ TRƯỞNG"
_MAYBE_BLOCK_LINE = regex.compile(r"(?:^|\|)[\s*_(]*\p{Lu}[\p{Lu}./]")


def _candidate_blocks(doc: Doc, start: int):
    """Yield (start, end, has_signer) for each authority chain or bare title with a name below it."""
    i = doc.line_index_at(start)
    lines = doc.lines
    while i < len(lines):
        # the first logical piece of each cell: the block may share its line with the Nơi nhận
        # cell ("- Lưu: HC, PLTP. | TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI…")
        if not _MAYBE_BLOCK_LINE.search(lines[i].text):
            i += 1  # no cell opens with a capitalised word: not a block (cheap check first, for speed)
            continue
        firsts = [ps[0] for cell in lines[i].stripped.split("|") if (ps := split_signature_line(cell))]
        s = next((p for p in firsts if AUTHORITY.match(p) and p.upper() == p), firsts[0] if firsts else "")
        if s and (AUTHORITY.match(s) or POSITION_F.match(fold(s))) and s.upper() == s:
            block_start = lines[i].start
            j, signer_line = _walk_block(doc, i)
            end = lines[signer_line].end if signer_line is not None else lines[j - 1].end
            yield block_start, end, signer_line is not None
            i = max(j, i + 1)
            continue
        i += 1


def _walk_block(doc: Doc, i: int) -> tuple[int, int | None]:
    """From a chain's first line, walk to the signer; returns (next line index, signer line index)."""
    lines = doc.lines
    j = i
    seen_position = False
    budget = 12
    while j < len(lines) and budget > 0:
        budget -= 1
        pieces = split_signature_line(lines[j].stripped)
        if not pieces:
            j += 1
            continue
        for s in pieces:
            if s[0] in "-–•+":
                continue
            if AUTHORITY.match(s) or (s.upper() == s and any(c.isalpha() for c in s) and not seen_position):
                if not AUTHORITY.match(s):
                    seen_position = True
                continue
            if NAME.match(s) and s.lower() not in _NOT_NAMES:
                return j + 1, j
            return j, None
        j += 1
    return j, None


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


def _is_position(doc: Doc, i: int) -> bool:
    ln = doc.lines[i]
    return bool(POSITION_F.match(doc.folded[ln.start : ln.end].strip()))


def extract_signature(doc: Doc) -> None:
    if not doc.zones.signature:
        return
    start, end = doc.zones.signature
    chain: list[str] = []
    position = signer = None
    pieces = [p for ln in doc.lines_in(start, end + 1) for p in split_signature_line(ln.stripped)]
    for s in pieces:
        if s[0] in "-–•+":
            continue
        if AUTHORITY.match(s):
            chain.append(clean_value(s) or s)
        elif s.upper() == s and any(c.isalpha() for c in s) and position is None:
            position = clean_value(s)
        elif NAME.match(s) and signer is None:
            signer = clean_value(s)
    if signer is not None:
        signer = _second_name_line(doc, end, signer)
    elif chain or position:
        signer = _signer_after_interleaved_list(doc, end)
    authority = None
    if chain:
        m = AUTHORITY.match(chain[0])
        authority = _canonical_marker(m["mk"]) if m else None
    if position is None and len(chain) > 1 and not chain[-1].startswith(("TM", "T/M")):
        # "KT. CHỦ TỊCH" with the title line lost: nothing to invent; keep the chain as printed
        doc.warn("the signature block has no title line under its authority chain", "signature.missing_title")
    doc.signature = Signature(
        authority=authority,
        chain=chain,
        position=position,
        signer=signer,
        span=(start, end),
        page=doc.page_at(start),
        bbox=doc.bbox_of(start, end),
    )
    if signer is None:
        doc.warn("the signature block has no signer name (unsigned copy or name not in the text)", "signature.missing_signer")


def _signer_after_interleaved_list(doc: Doc, end: int) -> str | None:
    """A PDF that interleaved the Nơi nhận column with the signature prints the rest of the list
    between the title and the name ("PHÓ CHÁNH VĂN PHÒNG" / "- Các sở, ngành: …" / … / "- Lưu: VT."
    / "Phùng Tô Long"): the name is the first name-shaped line after those dashed items."""
    i = doc.line_index_at(end) + 1
    seen_list = False
    for ln in doc.lines[i : i + 40]:
        s = ln.stripped
        if not s:
            continue
        if s[0] in "-–•+" or _is_list_fragment(s):
            seen_list = True
            continue
        if NAME.match(s) and s.lower() not in _NOT_NAMES:
            return clean_value(s) if seen_list else None
        if (s.upper() == s and any(c.isalpha() for c in s)) or len(s) > 90 or s[0].isdigit():
            return None
    return None


def _is_list_fragment(s: str) -> bool:
    """The wrapped tail of a Nơi nhận item cut off by the column split: "Sở;", "phối hợp);", "Nam)",
    a lone ";" or ".", the drafter's initials "(Dũng)"."""
    return (not any(c.isalpha() for c in s) or s[0].islower() or s[-1] in ";)"
            or (s[0] == "(" and len(s) <= 30))


def _second_name_line(doc: Doc, end: int, signer: str) -> str:
    """A name printed over two lines ("Nguyễn Thị Thanh" / "Hằng"): the next line completes it."""
    i = doc.line_index_at(end) + 1
    if i >= len(doc.lines):
        return signer
    nxt = " ".join(doc.lines[i].stripped.strip("|").split())
    if (nxt and len(nxt.split()) <= 2 and len(signer.split()) + len(nxt.split()) <= 6
            and regex.fullmatch(r"\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?", nxt) and nxt.lower() not in _NOT_NAMES):
        return f"{signer} {nxt}"
    return signer


def _canonical_marker(mk: str) -> str:
    mk = mk.strip()
    return mk if mk.endswith(".") or "/" in mk else mk + "."
