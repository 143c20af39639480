"""The signature block: authority chain (TM./KT./TL./TUQ./Q., Party T/M K/T T/L), title, signer.

NĐ 30/2020 Phụ lục I II.7: markers and titles in capitals, the name in lower case under the
signature. Chains can be long ("TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN … / PHÓ TRƯỞNG BAN"). A blank form
attached after the signature ("TM.UBND XÃ, THỊ TRẤN / (Ký tên, đóng dấu)") is not the signature.
"""

from __future__ import annotations

import regex

from ..doc import Doc
from ..document import Signature
from ..grammars import pattern
from ..grammars.blocks import AUTHORITY
from ..normalize import clean_value

POSITION_F = pattern(
    "position",
    r"^(?:phó\s+)?(?:chủ tịch|giám đốc|tổng giám đốc|bộ trưởng|thứ trưởng|thủ tướng|chánh văn phòng|"
    r"trưởng ban|trưởng phòng|cục trưởng|chi cục trưởng|tổng cục trưởng|vụ trưởng|bí thư|chánh thanh tra|"
    r"trưởng đoàn|viện trưởng|chánh án|hiệu trưởng|trưởng khoa|giám đốc sở|chủ nhiệm|tổng thư ký|"
    r"kế toán trưởng|trưởng công an|chỉ huy trưởng|tổng biên tập|thư ký|chủ tọa|người lập|"
    r"thủ trưởng|trưởng|chủ tịch ủy ban nhân dân|q\.\s*giám đốc)\b[^\n]{0,60}$",
    examples=["phó chủ tịch", "giám đốc", "phó trưởng ban", "chánh văn phòng", "bộ trưởng"],
    counter_examples=["chủ tịch ubnd huyện đề nghị các cơ quan triển khai nhiều nội dung quan trọng trong năm"],
)
# A person's name: 2–6 capitalized syllables, an optional rank or degree before it.
NAME = pattern(
    "person_name",
    r"^(?:(?:Đại tá|Thượng tá|Trung tá|Thiếu tướng|Trung tướng|Đại tướng|TS\.|ThS\.|PGS\.\s*TS\.|GS\.\s*TS\.|"
    r"PGS\.TS\.|BS\.|Ông|Bà)\s+)?(?:\p{Lu}[\p{Ll}\p{M}]*)(?:[ \t]+\p{Lu}[\p{Ll}\p{M}]*){1,5}$",
    examples=["Nguyễn Lưu Trung", "Đàm Văn Chính", "Ngô Quốc Hưng", "TS. Nguyễn Văn An", "Lê Thị Hồng"],
    counter_examples=["PHÓ CHỦ TỊCH", "Như trên", "Nơi nhận", "Lưu VT"],
)
_STAMP = regex.compile(
    r"^\(?\s*(?:đã ký|ký tên|ký, ghi rõ|ký và|ký bởi|ký số|chữ ký|đóng dấu|signature)|^(?:ký bởi|cơ quan|"
    r"thời gian ký|email|ngày ký)\s*:",
    regex.IGNORECASE,
)
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


def _candidate_blocks(doc: Doc, start: int):
    """Yield (start, end, has_signer) for each authority chain or bare title with a name below it."""
    i = doc.line_index_at(start)
    lines = doc.lines
    while i < len(lines):
        s = lines[i].stripped
        if s and (AUTHORITY.match(s) or _is_position(doc, i)) and s.upper() == s:
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
        s = lines[j].stripped
        budget -= 1
        if not s or _STAMP.match(s) or s[0] in "-–•+":
            j += 1
            continue
        if AUTHORITY.match(s) or (s.upper() == s and any(c.isalpha() for c in s) and not seen_position):
            if not AUTHORITY.match(s):
                seen_position = True
            j += 1
            continue
        if NAME.match(s) and s.lower() not in _NOT_NAMES:
            return j + 1, j
        break
    return j, None


def _is_position(doc: Doc, i: int) -> bool:
    ln = doc.lines[i]
    return bool(POSITION_F.match(doc.folded[ln.start : ln.end].strip()))


def extract_signature(doc: Doc) -> None:
    if not doc.zones.signature:
        return
    start, end = doc.zones.signature
    chain: list[str] = []
    position = signer = None
    for ln in doc.lines_in(start, end + 1):
        s = " ".join(ln.stripped.split())
        if not s or _STAMP.match(s) or s[0] in "-–•+":
            continue
        if AUTHORITY.match(s):
            chain.append(clean_value(s) or s)
        elif s.upper() == s and position is None:
            position = clean_value(s)
        elif NAME.match(s) and signer is None:
            signer = clean_value(s)
    authority = None
    if chain:
        m = AUTHORITY.match(chain[0])
        authority = _canonical_marker(m["mk"]) if m else None
    if position is None and len(chain) > 1 and not chain[-1].startswith(("TM", "T/M")):
        # "KT. CHỦ TỊCH" with the title line lost: nothing to invent; keep the chain as printed
        doc.warn("the signature block has no title line under its authority chain")
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
        doc.warn("the signature block has no signer name (unsigned copy or name not in the text)")


def _canonical_marker(mk: str) -> str:
    mk = mk.strip()
    return mk if mk.endswith(".") or "/" in mk else mk + "."
