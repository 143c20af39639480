"""HTML reader (stdlib ``html.parser``): Word "Save as Web Page" exports and portal pages.

Block elements become lines, list items keep a label ("-" or "1."), tables go through the same
rendering as the other readers (two-column layout tables left column first, task tables as
task lines). The charset comes from a BOM, then ``<meta charset>``/``http-equiv``, then UTF-8,
then windows-1258. Text in ``.VnTime``/``VNI-*`` fonts (``font-family`` or ``<font face>``) is
converted when its content is really legacy.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from ..document import Source
from . import ReadResult
from .tables import drop_rule_lines, table_lines

_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article",
          "header", "footer", "blockquote", "pre", "ul", "ol", "dd", "dt", "address", "center", "title"}
_SKIP = {"script", "style", "head", "noscript", "template", "svg", "xml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_FONT_FAMILY = re.compile(r"""font-family\s*:\s*["']?([^;"',]+)""", re.IGNORECASE)


def decode_html(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace"), "utf-16"
    m = _META_CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "replace").lower()
        try:  # only text encodings: "idna" or "punycode" are codecs too, and raise on any input
            if codecs.lookup(name).name not in ("idna", "punycode"):
                return data.decode(name, "replace"), name
        except (LookupError, UnicodeError):
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", "replace"), "cp1258"


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[tuple[str, str | None]] = []  # (text, legacy encoding of its font)
        self.skip = 0
        self.fonts: list[tuple[str, str | None]] = []  # (tag, legacy enc) stack
        self.lists: list[list] = []  # [kind, counter]
        self.tables: list[_Table] = []

    # text goes into the innermost open table cell, else into the document
    def _out(self, text: str, enc: str | None = None) -> None:
        if self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(text)
        elif not self.tables:
            self.segments.append((text, enc))

    def _enc(self) -> str | None:
        for _, enc in reversed(self.fonts):
            if enc is not None:
                return enc
        return None

    def handle_starttag(self, tag: str, attrs) -> None:
        from ..legacy import legacy_from_font

        if tag in _SKIP:
            self.skip += 1
            return
        a = dict(attrs)
        font = a.get("face")
        m = _FONT_FAMILY.search(a.get("style") or "")
        if m:
            font = m.group(1)
        if tag not in ("br", "img", "hr", "meta", "link", "input"):
            self.fonts.append((tag, legacy_from_font(font) if font else None))
        if tag == "br":
            self._out("\n")
        elif tag == "table":
            self.tables.append(_Table())
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].cell = []
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
        elif tag == "li":
            self._out("\n")
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self._out(f"{self.lists[-1][1]}. ")
            else:
                self._out("- ")
        elif tag in _BLOCK:
            self._out("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        for i in range(len(self.fonts) - 1, -1, -1):
            if self.fonts[i][0] == tag:
                del self.fonts[i:]
                break
        if tag in ("td", "th") and self.tables and self.tables[-1].cell is not None:
            t = self.tables[-1]
            if not t.rows:
                t.rows.append([])
            paras = "".join(t.cell or []).split("\n")
            t.rows[-1].append("\n".join(" ".join(p.split()) for p in paras if p.strip()))
            t.cell = None
        elif tag == "table" and self.tables:
            t = self.tables.pop()
            lines = table_lines(t.rows)
            self._out("\n" + "\n".join(lines) + "\n")
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in _BLOCK:
            self._out("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._out(re.sub(r"[ \t\r\n]+", " ", data), self._enc())


def read_html(data: bytes) -> ReadResult:
    from ..legacy import convert_if_legacy, convert_segments

    html, charset = decode_html(data)
    parser = _Parser()
    parser.feed(html)
    parser.close()
    while parser.tables:  # unclosed tables in sloppy pages
        t = parser.tables.pop()
        parser._out("\n" + "\n".join(table_lines(t.rows)) + "\n")
    text, converted = convert_segments(parser.segments)
    lines = [" ".join(ln.split()) for ln in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", drop_rule_lines("\n".join(lines))).strip()
    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    source.encoding = charset
    warnings = []
    if not converted:
        text, legacy = convert_if_legacy(text)
        converted = [legacy] if legacy else []
    if converted:
        source.legacy_conversion = "tcvn3" if any(c.startswith("tcvn3") for c in converted) else converted[0]
        warnings.append(f"text in a legacy encoding ({', '.join(c.upper() for c in converted)}) was converted")
    return ReadResult(text, source, warnings)
