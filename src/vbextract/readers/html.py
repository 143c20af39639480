"""HTML reader (stdlib ``html.parser``): Word "Save as Web Page" exports and portal pages.

Block elements become lines, list items keep a label ("-" or "1."), tables go through the same
rendering as the other readers (two-column layout tables left column first, other tables row by
row, one line per cell, and as structure). The charset comes from a BOM, then ``<meta charset>``/``http-equiv``, then UTF-8,
then windows-1258. Text in ``.VnTime``/``VNI-*`` fonts (``font-family`` or ``<font face>``) is
converted when its content is really legacy.
"""

from __future__ import annotations

import codecs
import html as _html
import re

from ..document import Source
from .base import ReadResult
from .tables import drop_rule_lines, is_layout_table, locate_tables, table_lines

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


# Where the document sits inside a saved portal page: vbpl.vn marks its content root; other
# portals use well-known container ids/classes (thuvienphapluat.vn, the Government portal).
_ROOT_ATTR = re.compile(r"data-vbpl-content-root|\b(?:content1|divContentDoc|toanvancontent|fulltext|"
                        r"noidungvanban|vbContent)\b", re.IGNORECASE)
# Site chrome: navigation, breadcrumbs, menus; their text is never part of a document.
_CHROME_ATTR = re.compile(r"breadcrumb|navbar|\bmenu\b|sidebar|site-header|site-footer", re.IGNORECASE)
_CHROME_TAGS = {"nav"}
# A portal's attribute box (vbpl.vn prints it as an Ant Design descriptions table): label cells
# followed by their value, kept as the site's metadata. The label is bounded text, the value is read
# up to the item's closing </div> within a bounded window, so a hostile page costs linear time.
_SITE_LABEL = re.compile(r'class="[^"]*\bant-descriptions-item-label\b[^"]*"[^>]*>([^<]{1,60})<')
_SITE_ITEMS = 40


def site_metadata(html: str) -> dict[str, str]:
    """The page's attribute box, label -> value; values the site leaves as "--" are left out."""
    meta: dict[str, str] = {}
    for m in _SITE_LABEL.finditer(html):
        end = html.find("</div>", m.end(), m.end() + 4000)
        if end < 0:
            continue
        value = " ".join(_html.unescape(re.sub(r"<[^>]*>", " ", html[m.end():end]).removeprefix("/span>")).split())
        label = " ".join(_html.unescape(m.group(1)).split())
        if label and value.strip("-–— ") and label not in meta:
            meta[label] = value
            if len(meta) >= _SITE_ITEMS:
                break
    return meta



class _Parser:
    """Event handler fed by :func:`_tokenize` (linear time, unlike ``html.parser`` on hostile input)."""

    def __init__(self) -> None:
        self.segments: list[tuple[str, str | None]] = []  # (text, legacy encoding of its font)
        self.skip = 0
        self.fonts: list[tuple[str, str | None]] = []  # (tag, legacy enc) stack
        self.lists: list[list] = []  # [kind, counter]
        self.tables: list[_Table] = []
        self.found_tables: list[list[list[str]]] = []  # row-wise top-level tables, for the blocks
        # content root / chrome element being tracked: [tag, depth]
        self.root: list | None = None
        self.root_span: tuple[int, int | None] | None = None
        self.chrome: list | None = None

    # text goes into the innermost open table cell, else into the document
    def _out(self, text: str, enc: str | None = None) -> None:
        if self.skip:
            return
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
        self._track_regions(tag, a)
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

    def _track_regions(self, tag: str, a: dict) -> None:
        marks = " ".join(f"{k} {v or ''}" for k, v in a.items() if k in ("id", "class") or k.startswith("data-"))
        if self.root is not None and self.root[0] == tag:
            self.root[1] += 1
        elif self.root is None and self.root_span is None and not self.tables and _ROOT_ATTR.search(marks):
            self.root = [tag, 1]
            self.root_span = (len(self.segments), None)
        if self.chrome is not None and self.chrome[0] == tag:
            self.chrome[1] += 1
        elif self.chrome is None and self.root is None and (tag in _CHROME_TAGS or _CHROME_ATTR.search(marks)):
            self.chrome = [tag, 1]
            self.skip += 1

    def _close_regions(self, tag: str) -> None:
        if self.chrome is not None and self.chrome[0] == tag:
            self.chrome[1] -= 1
            if self.chrome[1] == 0:
                self.chrome = None
                self.skip = max(0, self.skip - 1)
        if self.root is not None and self.root[0] == tag:
            self.root[1] -= 1
            if self.root[1] == 0 and self.root_span is not None:
                self.root = None
                self.root_span = (self.root_span[0], len(self.segments))

    def document_segments(self) -> list[tuple[str, str | None]]:
        """The content root's text when the page marks one, else the whole page."""
        if self.root_span is None:
            return self.segments
        a, b = self.root_span
        return self.segments[a:b]

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
            self._emit_table(self.tables.pop())
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in _BLOCK:
            self._out("\n")
        self._close_regions(tag)

    def _emit_table(self, t: _Table) -> None:
        """Layout tables column by column, others row by row; row-wise ones are kept as structure
        (a table nested in another's cell is part of that cell)."""
        if not self.tables and not self.skip and not is_layout_table(t.rows):
            self.found_tables.append(t.rows)
        self._out("\n" + "\n".join(table_lines(t.rows)) + "\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self._out(re.sub(r"[ \t\r\n]+", " ", data), self._enc())


_TAG_NAME = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
_TAG_END_OR_QUOTE = re.compile(r"[>\"']")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_RAW_TEXT = {"script", "style", "textarea", "title", "xmp"}


def _tokenize(html: str, parser: _Parser) -> None:
    """Feed start tags, end tags and text to ``parser`` in one left-to-right pass.

    Every search moves the position past what it scanned, or proves that nothing of its kind
    follows (then the rest is text), so the pass is linear even on ``"<a" * 100000`` or an
    unclosed quote, where ``html.parser`` rescans the remainder at each "<".
    """
    n = len(html)
    pos = 0
    lower = html.lower() if n < 50_000_000 else html
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0:
            parser.handle_data(_html.unescape(html[pos:]))
            return
        if lt > pos:
            parser.handle_data(_html.unescape(html[pos:lt]))
        pos = _markup_at(html, lower, lt, parser)


def _markup_at(html: str, lower: str, lt: int, parser: _Parser) -> int:
    """Handle the markup that starts at ``lt``; return the position after it."""
    n = len(html)
    if html.startswith("<!--", lt):
        end = html.find("-->", lt + 4)
        return n if end < 0 else end + 3
    if html.startswith(("<!", "<?"), lt):
        end = html.find(">", lt + 2)
        return n if end < 0 else end + 1
    m = _TAG_NAME.match(html, lt)
    if not m:
        parser.handle_data("<")
        return lt + 1
    end = _tag_end(html, m.end())
    if end < 0:  # no ">" anywhere after: the rest is text, not markup
        parser.handle_data(_html.unescape(html[lt:]))
        return n
    tag = m.group(2).lower()
    if m.group(1):
        parser.handle_endtag(tag)
        return end + 1
    parser.handle_starttag(tag, _attrs(html, m.end(), end))
    if html[end - 1] == "/" and tag not in _BLOCK:
        parser.handle_endtag(tag)
    if tag in _RAW_TEXT:
        close = lower.find("</" + tag, end + 1)
        close = n if close < 0 else close
        parser.handle_data(_html.unescape(html[end + 1 : close]))  # skipped unless shown (title)
        return close
    return end + 1


def _attrs(html: str, start: int, end: int) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for m in _ATTR.finditer(html, start, end):
        value = next((v for v in m.groups()[1:] if v is not None), None)
        out.append((m.group(1).lower(), _html.unescape(value) if value is not None else None))
    return out


def _tag_end(html: str, pos: int) -> int:
    """Offset of the ">" that closes a tag whose attributes start at ``pos``, or -1."""
    while True:
        m = _TAG_END_OR_QUOTE.search(html, pos)
        if m is None:
            return -1
        if m.group() == ">":
            return m.start()
        close = html.find(m.group(), m.end())
        if close < 0:  # an unclosed quote: the tag ends at the next ">"
            return html.find(">", m.end())
        pos = close + 1


def read_html(data: bytes) -> ReadResult:
    from ..legacy import convert_if_legacy, convert_segments

    html, charset = decode_html(data)
    parser = _Parser()
    _tokenize(html, parser)
    while parser.tables:  # unclosed tables in sloppy pages
        parser._emit_table(parser.tables.pop())
    text, converted = convert_segments(parser.document_segments())
    lines = [" ".join(ln.split()) for ln in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", drop_rule_lines("\n".join(lines))).strip()
    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    source.encoding = charset
    source.site_metadata = site_metadata(html)
    warnings = []
    if not converted:
        text, legacy = convert_if_legacy(text)
        converted = [legacy] if legacy else []
    if converted:
        source.legacy_conversion = "tcvn3" if any(c.startswith("tcvn3") for c in converted) else converted[0]
        warnings.append(f"text in a legacy encoding ({', '.join(c.upper() for c in converted)}) was converted")
    return ReadResult(text, source, warnings, blocks=locate_tables(text, parser.found_tables))
