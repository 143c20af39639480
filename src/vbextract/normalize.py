"""Text normalization with a way back to the input.

``normalize_text`` turns raw input text into the one normalized ``text`` that every span of a
:class:`~vbextract.document.Document` indexes:

* Unicode NFC (NFD input and combining marks left by PDF extractors are composed);
* NBSP, odd spaces and tabs become one space, runs of spaces collapse, line ends are trimmed;
* zero-width characters, BOM and soft hyphens are dropped;
* markdown residue is removed: ``**``/``__`` emphasis, ``*italic*``, ``#`` headings, ``>`` quotes,
  and ``|`` table-cell separators (each cell becomes its own line, which is what the header
  parser expects from a two-column table).

The printed spelling is never changed: modern tone placement ("CỘNG HOÀ", "Uỷ ban", the tone
on the last vowel) stays in ``text``. Matching uses :func:`fold`, a *same-length* key (lower case, modern tone placement
moved to the traditional position), so a match found in the folded key is a valid span of
``text`` too.

The offset map is a list of anchors ``(text_offset, input_offset)``: between anchors the two
advance together, so :meth:`OffsetMap.to_input` is a bisect plus an addition.

>>> t, m = normalize_text("**Số:**\\u00a0403/UBND")
>>> t
'Số: 403/UBND'
>>> m.to_input(t.index("403"))
8
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

import regex

# One alternation so the input is scanned once; the order of branches matters (first wins).
# Runs of spaces are matched possessively (``*+``, ``++``): a run can be split between two
# space atoms in as many ways as it is long, and backtracking over them made long runs quadratic.
_SP = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]"
_CLEAN = regex.compile(
    rf"""
      (?P<crlf>\r\n?)                                  # Windows / old Mac line ends
    | (?P<zw>[\u200b\u200c\u200d\u2060\ufeff\u00ad])   # invisible: zero-width, BOM, soft hyphen
    | (?P<rule>(?m:^){_SP}*+\|?{_SP}*+:?-{{3,}}+:?{_SP}*+(?:\|{_SP}*+:?-{{3,}}+:?{_SP}*+)++\|?{_SP}*+(?=\r?\n|\Z))
    | (?P<hdr>(?m:^){_SP}*+(?:\#{{1,6}}|>){_SP}++)      # markdown heading / quote marker
    | (?P<lead>(?m:^){_SP}++)                          # indentation
    | (?P<trail>{_SP}++(?=\r?\n|\Z))                   # trailing spaces (markdown hard breaks)
    | (?P<emph>\*{{1,3}}|(?<!\w)_{{2,3}}(?=\w)|(?<=\w)_{{2,3}}(?!\w))   # markdown emphasis
    | (?P<pipe>{_SP}*+\|{_SP}*+)                        # table cell separator (only in pipe lines)
    | (?P<space>{_SP}{{2,}}+|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c])
    """,
    regex.VERBOSE,
)
# Only text that holds combining marks needs the (slow, tried at every letter) NFC branches.
_CLEAN_MARKS = regex.compile(
    _CLEAN.pattern.rstrip().rstrip('"').rstrip()
    + r"""
    | (?P<marks>\p{L}\p{M}+)                             # base + combining marks: compose (NFC)
    | (?P<lonemark>(?<!\p{L})\p{M}+)                     # marks torn from their base (PDF): drop
    """,
    regex.VERBOSE,
)
_HAS_MARK = regex.compile(r"\p{M}")
_PIPE_LINE = regex.compile(r"(?m)^.*\|.*\|.*$")
# Fast path: only lines holding one of these characters or pairs can match a branch of _CLEAN
# (a character-class scan with the stdlib engine and three str.find loops, far cheaper than
# trying every branch at every character). Lines without one are copied as they are.
_TRIGGER_CHARS = re.compile("[\r\u200b\u200c\u200d\u2060\ufeff\u00ad|#>*_\t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]")
_TRIGGER_PAIRS = ("  ", "\n ", " \n")  # a run of spaces, indentation, trailing spaces
# Where a match of _CLEAN can begin: a line start (rule, hdr, lead), a special character, or a
# space that a run, a line end or a bar follows. A letter or a lone space between words never
# begins one, so inside a triggered line the cleaner is tried only at these (far fewer) places.
_CLEAN_STARTS = re.compile(
    "(?m:^)|[\r\u200b\u200c\u200d\u2060\ufeff\u00ad|*_\t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]"
    "| (?=[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\x0b\x0c\r\n|])| \\Z"
)
_SURROGATE = regex.compile(r"[\ud800-\udfff]")
# One character for one character: the offset map is not touched.
_SURROGATE_TABLE = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)


@dataclass
class OffsetMap:
    """Anchors from normalized-text offsets to input offsets."""

    text_starts: list[int] = field(default_factory=lambda: [0])
    input_starts: list[int] = field(default_factory=lambda: [0])
    notes: list[str] = field(default_factory=list)  # what normalization changed beyond the rules

    def add(self, text_pos: int, input_pos: int) -> None:
        if self.text_starts and self.text_starts[-1] == text_pos:
            self.input_starts[-1] = input_pos
            return
        # Skip anchors that the linear rule already implies.
        if self.text_starts and input_pos - self.input_starts[-1] == text_pos - self.text_starts[-1]:
            return
        self.text_starts.append(text_pos)
        self.input_starts.append(input_pos)

    def to_input(self, text_pos: int) -> int:
        """Offset in the input text for an offset in the normalized text."""
        i = bisect.bisect_right(self.text_starts, text_pos) - 1
        return self.input_starts[i] + (text_pos - self.text_starts[i])

    def to_text(self, input_pos: int) -> int:
        """Offset in the normalized text for an input offset (start of a deleted run maps to its end)."""
        i = bisect.bisect_right(self.input_starts, input_pos) - 1
        pos = self.text_starts[i] + (input_pos - self.input_starts[i])
        if i + 1 < len(self.text_starts):
            pos = min(pos, self.text_starts[i + 1])
        return pos

    def anchors(self) -> list[tuple[int, int]]:
        return list(zip(self.text_starts, self.input_starts, strict=True))


def normalize_text(raw: str) -> tuple[str, OffsetMap]:
    """Normalize ``raw`` and return the text with its offset map (see module docstring).

    Lone surrogates (which no encoder accepts, so the JSON could not be written) become U+FFFD,
    one for one, with a note in ``OffsetMap.notes``.
    """
    notes: list[str] = []
    if _SURROGATE.search(raw):
        n = len(_SURROGATE.findall(raw))
        raw = raw.translate(_SURROGATE_TABLE)
        notes.append(f"{n} lone surrogate code point(s) in the input replaced by U+FFFD")
    if _HAS_MARK.search(raw):
        text, omap = _clean(raw, _CLEAN_MARKS, [(0, len(raw))])
    else:
        text, omap = _clean(raw, _CLEAN, _trigger_lines(raw))
    omap.notes = notes
    return text, omap


def _trigger_lines(raw: str) -> list[tuple[int, int]]:
    """Merged (start, end) ranges of the lines, newline included, where a _CLEAN branch can match.

    After a hit the scan resumes at the end of its line, so the cost is one step per such line.
    """
    starts: list[int] = [0] if raw.startswith(" ") else []
    if raw.endswith(" "):
        starts.append(len(raw) - 1)
    pos = 0
    while (m := _TRIGGER_CHARS.search(raw, pos)) is not None:
        starts.append(m.start())
        pos = _line_end(raw, m.start())
    for pair in _TRIGGER_PAIRS:
        pos = raw.find(pair)
        while pos >= 0:
            hit = pos + 1 if pair[0] == "\n" else pos
            starts.append(hit)
            pos = raw.find(pair, _line_end(raw, hit) - 1)  # "\n " may start at that line's newline
    ranges: list[tuple[int, int]] = []
    for hit in sorted(starts):
        if ranges and hit < ranges[-1][1]:
            continue
        start, end = raw.rfind("\n", 0, hit) + 1, _line_end(raw, hit)
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _line_end(raw: str, pos: int) -> int:
    """Offset just after the newline ending the line at ``pos`` (or the end of the text)."""
    end = raw.find("\n", pos)
    return len(raw) if end < 0 else end + 1


def _clean(raw: str, cleaner, ranges: list[tuple[int, int]]) -> tuple[str, OffsetMap]:
    """Apply ``cleaner`` inside ``ranges`` (whole lines: anchors and lookarounds see what a scan
    of the whole text would see) and copy the text between them."""
    pipe_lines = _pipe_line_ranges(raw)
    pipe_starts = [a for a, _ in pipe_lines]
    pieces: list[str] = []
    omap = OffsetMap()
    out_len = 0
    last = 0
    for a, b in ranges:
        for m in _scan(raw, cleaner, a, b):
            kind = m.lastgroup
            start, end = m.span()
            if kind == "pipe" and not _inside(start, pipe_lines, pipe_starts):
                continue
            if kind == "emph" and m.group() == "*" and _is_list_star(raw, start):
                continue
            if start > last:
                pieces.append(raw[last:start])
                out_len += start - last
            repl = _replacement(kind, m.group(), raw, start)
            omap.add(out_len, start)
            pieces.append(repl)
            out_len += len(repl)
            omap.add(out_len, end)
            last = end
    pieces.append(raw[last:])
    return "".join(pieces), omap


def _scan(raw: str, cleaner, a: int, b: int):
    """``cleaner.finditer(raw, a, b)``; for ``_CLEAN`` a match is tried only where one can begin
    (``_CLEAN_STARTS``): the same matches, since no other position begins one."""
    if cleaner is not _CLEAN:
        yield from cleaner.finditer(raw, a, b)
        return
    pos = a
    for c in _CLEAN_STARTS.finditer(raw, a, b):
        q = c.start()
        if q < pos:
            continue
        m = cleaner.match(raw, q, b)
        if m is not None:
            yield m
            pos = m.end()


def _replacement(kind: str | None, s: str, raw: str, start: int) -> str:
    if kind == "crlf" or kind == "pipe":
        return "\n"
    if kind == "space":
        return " "
    if kind == "marks":
        return unicodedata.normalize("NFC", s)
    return ""  # zw, hdr, emph, lonemark


def _is_list_star(raw: str, pos: int) -> bool:
    """A single ``*`` that opens a list item ("* item") is a bullet, not emphasis."""
    line_start = raw.rfind("\n", 0, pos) + 1
    return raw[line_start:pos].strip() == "" and raw[pos + 1 : pos + 2] == " "


def _pipe_line_ranges(raw: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PIPE_LINE.finditer(raw)] if "|" in raw else []


def _inside(pos: int, ranges: list[tuple[int, int]], starts: list[int]) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


# --- same-length fold key -------------------------------------------------------------------

# Modern tone placement, on the last vowel of an open "oa", "oe", "uy" → traditional placement, the
# spelling of NĐ 30 ("hoà" → "hòa", "uỷ" → "ủy"). Two characters in, two out: spans survive.
_OA = {"à": "ò", "á": "ó", "ả": "ỏ", "ã": "õ", "ạ": "ọ", "è": "ò", "é": "ó", "ẻ": "ỏ", "ẽ": "õ", "ẹ": "ọ"}
_OA_BASE = {"à": "a", "á": "a", "ả": "a", "ã": "a", "ạ": "a", "è": "e", "é": "e", "ẻ": "e", "ẽ": "e", "ẹ": "e"}
_UY = {"ỳ": "ù", "ý": "ú", "ỷ": "ủ", "ỹ": "ũ", "ỵ": "ụ"}
_OLD_OA = regex.compile(r"o([àáảãạèéẻẽẹ])(?![\p{L}\p{M}])")
_OLD_UY = regex.compile(r"(?<![qQ])u([ỳýỷỹỵ])(?![\p{L}\p{M}])")
# The pairs alone, with the stdlib engine: most texts hold none, and then neither sub has to scan.
_OA_PAIR = re.compile("o[àáảãạèéẻẽẹ]")
_UY_PAIR = re.compile("u[ỳýỷỹỵ]")


def fold(s: str) -> str:
    """Lower-case, traditional tone placement; always the same length as ``s``.

    >>> fold("CỘNG HOÀ XÃ HỘI")
    'cộng hòa xã hội'
    >>> fold("Uỷ ban") == fold("Ủy ban")
    True
    """
    low = s.lower()
    if len(low) != len(s):  # a few characters lower-case to two (İ); keep those as they are
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in s)
    if _OA_PAIR.search(low):
        low = _OLD_OA.sub(lambda m: _OA[m.group(1)] + _OA_BASE[m.group(1)], low)
    if _UY_PAIR.search(low):
        low = _OLD_UY.sub(lambda m: _UY[m.group(1)] + "y", low)
    return low


def clean_value(s: str | None) -> str | None:
    """A contract text value: whitespace collapsed, no markdown, no trailing list punctuation.

    String methods only (it runs for every value of every part): markdown marks ``*#``\u0060 are
    deleted, one final period is list punctuation (``"…"`` and ``".."`` are not), a final ``..``
    and ``/.`` are dropped.
    """
    if s is None:
        return None
    if "*" in s or "#" in s or "`" in s:
        s = s.translate(_MARKUP)
    s = _collapse_spaces(s).strip(" ;,")
    if s.endswith(".") and not s.endswith(".."):
        s = s[:-1]
    if s.endswith("/."):
        s = s[:-2].rstrip()
    elif s.endswith(".."):
        s = s[:-2]
    return s.strip(" ;,") or None


_MARKUP = dict.fromkeys(map(ord, "*#`"))


def _collapse_spaces(s: str) -> str:
    """``" ".join(s.split())``: whitespace runs as one space, none at the ends.

    A task's text runs to thousands of words, and the list of them costs more than the rest of its
    cleaning; with newlines read as spaces, text that is printable has no other whitespace than
    " " (every other whitespace character is unprintable), so halving its runs of spaces suffices.

    >>> _collapse_spaces(" Sở Y tế\\n\\n  chủ trì\\t ")
    'Sở Y tế chủ trì'
    """
    t = s.replace("\n", " ")
    if not t.isprintable():
        return " ".join(s.split())
    while "  " in t:
        t = t.replace("  ", " ")
    return t.strip(" ")
