"""The signature block: authority chain (TM./KT./TL./TUQ./Q., Party T/M K/T T/L), title, signer.

NĐ 30/2020 Phụ lục I II.7: markers and titles in capitals, the name in lower case under the
signature. Chains can be long ("TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN … / PHÓ TRƯỞNG BAN"). A blank form
attached after the signature ("TM.UBND XÃ, THỊ TRẤN / (Ký tên, đóng dấu)") is not the signature.
"""

from __future__ import annotations

import regex

from ..doc import WorkDoc
from ..document import Signature
from ..marks import AUTHORITY, NAME, POSITION_F, is_dashed, split_signature_line
from ..normalize import clean_value
from .zones import NOT_NAMES, SignatureBlock, classify_pieces, read_block

__all__ = ["NAME", "POSITION_F", "extract_signature", "split_signature_line"]
_NOT_NAMES = NOT_NAMES


def extract_signature(doc: WorkDoc) -> None:
    if not doc.zones.signature:
        return
    start, end = doc.zones.signature
    # the block the zoner walked (one reader: zones.read_block); a zone set otherwise is read piece
    # by piece with the same rules
    block = doc.cache.get("signature_block")
    if not isinstance(block, SignatureBlock) or (block.start, block.end) != (start, end):
        block = read_block(doc, doc.line_index_at(start))
    if (block.start, block.end) == (start, end):
        chain, position, signer = list(block.chain), block.position, block.signer
    else:
        pieces = [p for ln in doc.lines_in(start, end + 1) for p in split_signature_line(ln.stripped)]
        chain, position, signer = classify_pieces(pieces)
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


def _signer_after_interleaved_list(doc: WorkDoc, end: int) -> str | None:
    """A PDF that interleaved the Nơi nhận column with the signature prints the rest of the list
    between the title and the name ("PHÓ CHÁNH VĂN PHÒNG" / "- Các sở, ngành: …" / … / "- Lưu: VT."
    / "Phùng Tô Long"): the name is the first name-shaped line after those dashed items."""
    i = doc.line_index_at(end) + 1
    seen_list = False
    for ln in doc.lines[i : i + 40]:
        s = ln.stripped
        if not s:
            continue
        if is_dashed(s) or _is_list_fragment(s):
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


def _second_name_line(doc: WorkDoc, end: int, signer: str) -> str:
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
