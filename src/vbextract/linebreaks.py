"""Hard-wrapped text: join the lines of a paragraph that a converter broke at a fixed width.

Pages converted to Markdown from thuvienphapluat.vn wrap every paragraph at about 80 characters
with a short first line and keep paragraphs apart with blank lines, so "I. MỤC" / "ĐÍCH, YÊU CẦU"
is one heading and "Điều 1. Ban" / "hành Quy chế …" one sentence. The rules read one line at a
time, so such documents lose their section kinds and their sentences. The repair replaces the
wrapping ``\\n`` by a space: the text keeps its length, so every offset (and the offset map back
to the input, and the spans of tables found by the reader) stays valid.

It runs only where the wrapping is measured: Markdown whose consecutive lines continue in lower
case in at least ``WRAPPED_SHARE`` of the pairs (converted pages: median 0.64; DOCX, PDF and the
seeds: 0.05 or less). Lines are never joined across a blank line, into or out of a table bar
(``|``) or a rule (``---``), before a line that starts an item or a block (labels, bullets,
``Điều``/``Chương``/``Mục``/``Phần``, ``Nơi nhận``, ``TM.``/``KT.``, ``Căn cứ``, ``Kính gửi`` …),
or between two lines that each stand in bold of their own (a header or signature stack).
"""

from __future__ import annotations

import regex

from .grammars import REGISTRY, VARS

WRAPPED_SHARE = 0.2
MIN_PAIRS = 10

# A line that starts something of its own: it is never the continuation of the line above.
_STARTS_BLOCK = regex.compile(
    r"""^[\s*_]*(?:
        [""" + VARS["BULLET"] + r"""]\s                                   # a bullet: the one set
      | (?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)](?:\s|$)  # I. 1. 1.2. a)
      | \(\d{1,2}\)\s                               # (1)
      | (?:Điều|Chương|CHƯƠNG|Mục|MỤC|Phần|PHẦN)\s+[\dIVXLC]   # Điều 5, Chương II
      | (?:Nơi\s+nhận|NƠI\s+NHẬN|Kính\s+gửi|Đồng\s+kính\s+gửi|Căn\s+cứ|Xét\s+đề\s+nghị|Theo\s+đề\s+nghị)
      | (?:TM|KT|TL|TUQ|Q|PP)\.\s
      | Số\s*:|Số\s+hiệu|Độc\s+lập|CỘNG\s+HÒA|CỘNG\s+HOÀ|ĐẢNG\s+CỘNG\s+SẢN
      | (?:Một|Hai|Ba|Bốn|Năm|Sáu|Bảy|Tám|Chín|Mười)\s+là\b
      | PHỤ\s+LỤC|Phụ\s+lục\s+[\dIVXLC]
    )""",
    regex.VERBOSE,
)
_RULE = regex.compile(r"^\s*[-_=*.…]{3,}\s*$")
# "Điều" alone on its line, and the line under it opening with the Điều's number ("10. Title")
_BARE_ARTICLE_WORD = REGISTRY["bare_article_word"].rx
_ARTICLE_NUMBER = REGISTRY["broken_article_number"].rx


def wrapped_share(text: str) -> tuple[float, int]:
    """Share of consecutive non-blank line pairs whose second line starts in lower case."""
    lines = text.split("\n")
    pairs = lower = 0
    for a, b in zip(lines, lines[1:], strict=False):
        a, b = a.strip(), b.strip(" *_")
        if not a or not b or "|" in a or "|" in b:
            continue
        pairs += 1
        lower += b[0].islower()
    return (lower / pairs if pairs else 0.0), pairs


def is_hard_wrapped(text: str) -> bool:
    share, pairs = wrapped_share(text)
    return pairs >= MIN_PAIRS and share >= WRAPPED_SHARE


def join_wrapped_lines(text: str) -> str:
    """``text`` with the wrapping newlines inside paragraphs replaced by spaces (same length).

    >>> join_wrapped_lines("**I. MỤC\\nĐÍCH, YÊU CẦU**\\n\\n1. Sở Y tế chủ\\ntrì, phối hợp")
    '**I. MỤC ĐÍCH, YÊU CẦU**\\n\\n1. Sở Y tế chủ trì, phối hợp'
    >>> join_wrapped_lines("**PHÓ CHỦ TỊCH**\\n**Nguyễn Văn A**")
    '**PHÓ CHỦ TỊCH**\\n**Nguyễn Văn A**'
    """
    lines = text.split("\n")
    parts: list[str] = []
    logical = ""  # the joined line so far: bold opened on an earlier wrapped line is still open
    for i, line in enumerate(lines):
        parts.append(line)
        logical = f"{logical} {line}" if logical else line
        if i + 1 < len(lines):
            joins = _continues(logical, lines[i + 1])
            parts.append(" " if joins else "\n")
            if not joins:
                logical = ""
    return "".join(parts)


def _continues(cur: str, nxt: str) -> bool:
    a, b = cur.strip(), nxt.strip()
    if not a or not b or "|" in a or "|" in b or _RULE.match(a) or _RULE.match(b):
        return False
    if _BARE_ARTICLE_WORD.match(a) and _ARTICLE_NUMBER.match(b):
        return True  # "**Điều" / "10. Cập nhật …**": the label of Điều 10 broken after its word
    if _STARTS_BLOCK.match(b):
        return False
    if a.endswith(":") and not b[:1].islower():
        return False  # a lead-in or a field name: what follows is its own line
    if _closed_bold(a) and b.startswith(("**", "*", "_")):
        return False  # a stack of bold lines (issuer, title, signature): one line each
    # a bold line after plain text starts a line of its own, unless it closes the bold of ``a``
    return not (b.startswith(("**", "*")) and not _open_bold(a))


def _open_bold(line: str) -> bool:
    return line.count("**") % 2 == 1 or (line.count("*") - 2 * line.count("**")) % 2 == 1


def _closed_bold(line: str) -> bool:
    return line.startswith(("**", "*", "_")) and not _open_bold(line) and line.endswith(("**", "*", "_"))
