"""A small RTF-to-text reader: control words, ``\\uN`` escapes, ``\\'hh`` bytes, font table, tables.

``\\'hh`` bytes are decoded in the code page of the current font's charset (or the document's
``\\ansicpg``). Bytes in a ``.VnTime``/``VNI-*`` font are kept as Latin-1 look-alikes and converted
by :func:`vbextract.legacy.convert_segments`, which checks the content before converting.
Table rows come out as ``|cell|cell|`` and are then rendered like the other readers' tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..document import Source
from ..errors import InputError
from .base import ReadResult
from .tables import drop_rule_lines, locate_tables, pipe_tables_to_lines, split_spaced_columns

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|([^\\{}\r\n]+)|[\r\n]+", re.S)
_CHARSET_CP = {0: "cp1252", 1: None, 2: None, 77: "mac_roman", 128: "cp932", 161: "cp1253", 162: "cp1254",
               163: "cp1258", 177: "cp1255", 178: "cp1256", 186: "cp1257", 204: "cp1251", 222: "cp874",
               238: "cp1250"}
# destinations whose text is not document content
_SKIP = {"fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "header", "footer", "headerl",
         "headerr", "headerf", "footerl", "footerr", "footerf", "fldinst", "themedata", "colorschememapping",
         "datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl",
         "mmathPr", "footnote", "annotation", "bkmkstart", "bkmkend", "shppict", "nonshppict", "listtext",
         "pntext", "pntxta", "pntxtb"}


@dataclass
class _State:
    font: int | None = None
    uc: int = 1
    skip: bool = False
    in_table: bool = False


@dataclass
class _Doc:
    fonts: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # num → (name, codepage)
    codepage: str = "cp1252"
    segments: list[tuple[str, str | None]] = field(default_factory=list)
    row_open: bool = False  # a "|" has been written for the current table row


def read_rtf(data: bytes) -> ReadResult:
    from ..legacy import convert_if_legacy, convert_segments, legacy_from_font

    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError("the file is not RTF (it does not start with {\\rtf)")
    doc = _Doc()
    _parse_font_table(data, doc)
    _parse_body(data, doc, legacy_from_font)
    text, converted = convert_segments(doc.segments)
    if not converted:  # legacy bytes in a font the table does not name: byte statistics decide
        text, legacy = convert_if_legacy(text)
        converted = [legacy] if legacy else []
    text, tables = pipe_tables_to_lines(split_spaced_columns(_tidy(text)))
    text = drop_rule_lines(text)
    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    source.encoding = doc.codepage
    warnings = []
    if converted:
        fam = "tcvn3" if any(c.startswith("tcvn3") for c in converted) else converted[0]
        source.legacy_conversion = fam
        source.encoding = fam
        warnings.append(f"text in legacy fonts ({', '.join(c.upper() for c in converted)}) was converted to Unicode")
    return ReadResult(text, source, warnings, blocks=locate_tables(text, tables))


def _parse_font_table(data: bytes, doc: _Doc) -> None:
    m = re.search(rb"\\ansicpg(\d+)", data[:2000])
    if m and _known_codec(f"cp{_number(m.group(1))}"):
        doc.codepage = f"cp{_number(m.group(1))}"  # an unknown code page keeps the cp1252 default
    start = data.find(b"{\\fonttbl")
    if start < 0:
        return
    depth, i = 0, start
    while i < len(data):
        c = data[i : i + 1]
        if c == b"\\":
            i += 2
            continue
        if c == b"{":
            depth += 1
        elif c == b"}":
            depth -= 1
            if depth == 0:
                break
        i += 1
    table = data[start:i]
    for fm in re.finditer(rb"\\f(\d+)((?:\\[a-z]+-?\d* ?)*)\s*(?:\{\\\*\\panose [0-9a-fA-F]+\})?([^;{}\\]*);", table):
        num = _number(fm.group(1))
        if num is None:
            continue
        cs = re.search(rb"\\fcharset(\d+)", fm.group(2))
        cp = _CHARSET_CP.get(_number(cs.group(1)) or 0) if cs else None
        doc.fonts[num] = (fm.group(3).decode("latin-1").strip(), cp)


def _number(digits: bytes | None) -> int | None:
    """An RTF numeric parameter; the spec allows signed 16- or 32-bit values, so more than ten
    digits is damage (and Python refuses to convert thousands of digits at all)."""
    if digits is None or len(digits.lstrip(b"-")) > 10:
        return None
    return int(digits)


def _known_codec(name: str) -> bool:
    import codecs

    try:
        return codecs.lookup(name).name not in ("idna", "punycode")
    except LookupError:
        return False


def _unicode_char(n: int) -> str:
    """``\\uN``: a signed 16-bit value (negative ones are N + 65536); anything outside the code
    space is damage and becomes U+FFFD. Surrogate halves pass through: the pipeline joins pairs
    and replaces lone halves."""
    if n < 0:
        n += 65536
    return chr(n) if 0 <= n <= 0x10FFFF else "\ufffd"


def _parse_body(data: bytes, doc: _Doc, legacy_from_font) -> None:
    stack: list[_State] = []
    st = _State()
    skip_chars = 0
    pending = bytearray()
    group_start = False

    def enc_of(state: _State) -> str | None:
        if state.font is None or state.font not in doc.fonts:
            return None
        return legacy_from_font(doc.fonts[state.font][0])

    def emit(text: str) -> None:
        flush_bytes()
        if st.skip or not text:
            return
        if text == "\x00row":
            if doc.row_open:
                doc.segments.append(("\n", None))
            doc.row_open = False
            return
        if st.in_table and not doc.row_open and (text.strip() or text == "|"):
            doc.segments.append(("\n|", None))
            doc.row_open = True
        doc.segments.append((text, enc_of(st)))

    def flush_bytes() -> None:
        if pending and not st.skip:
            enc = enc_of(st)
            if enc:
                text = pending.decode("latin-1")  # legacy fonts: keep the byte look-alikes
            else:
                cp = doc.fonts.get(st.font or -1, ("", None))[1] or doc.codepage
                try:
                    text = pending.decode(cp, errors="replace")
                except LookupError:
                    text = pending.decode("cp1252", errors="replace")
            if st.in_table and not doc.row_open:
                doc.segments.append(("\n|", None))
                doc.row_open = True
            doc.segments.append((text, enc))
        pending.clear()

    for m in _TOKEN.finditer(data):
        word, arg, hexbyte, symbol, brace, text = m.groups()
        if brace == b"{":
            flush_bytes()
            stack.append(_State(st.font, st.uc, st.skip, st.in_table))
            group_start = True
            continue
        if brace == b"}":
            flush_bytes()
            in_table = st.in_table
            st = stack.pop() if stack else _State()
            st.in_table = st.in_table or in_table
            group_start = False
            continue
        first_in_group, group_start = group_start, False
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
                continue
            pending.append(int(hexbyte, 16))
            continue
        if symbol is not None:
            symbol = symbol.decode("latin-1")
            if symbol == "*" and first_in_group:
                st.skip = True
            elif symbol in "\\{}":
                emit(symbol)
            elif symbol == "~":
                emit(" ")
            elif symbol in "-_":
                emit("-" if symbol == "_" else "")
            continue
        if word is not None:
            skip_chars = _control(word.decode(), arg, st, emit, first_in_group, skip_chars)
            continue
        if text:
            if skip_chars:
                n = min(skip_chars, len(text))
                skip_chars -= n
                text = text[n:]
            if text:
                flush_bytes()
                emit(text.decode(doc.codepage, errors="replace"))
    flush_bytes()


def _control(word: str, arg: bytes | None, st: _State, emit, first_in_group: bool, skip_chars: int) -> int:
    n = _number(arg)
    if word in _SKIP:
        st.skip = True
    elif word == "f" and n is not None:
        st.font = n
    elif word == "uc" and n is not None:
        st.uc = n
    elif word == "u" and n is not None:
        emit(_unicode_char(n))
        return st.uc
    elif word in ("par", "sect", "page") or word == "line":
        emit(" " if st.in_table else "\n")
    elif word == "tab":
        emit("\t")
    elif word == "intbl":
        if not st.in_table:
            st.in_table = True
    elif word == "cell":
        st.in_table = True
        emit("|")
    elif word == "row":
        emit("\x00row")
        st.in_table = False
    elif word == "pard":
        st.in_table = False
    elif word in ("emdash", "endash"):
        emit("—" if word == "emdash" else "–")
    elif word in ("lquote", "rquote"):
        emit("'")
    elif word in ("ldblquote", "rdblquote"):
        emit('"')
    elif word == "bullet":
        emit("•")
    return skip_chars


def _tidy(text: str) -> str:
    text = text.replace("\r", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    fixed = []
    for ln in lines:
        s = ln.strip()
        if s.startswith("|") and not s.endswith("|"):
            s += "|"
        fixed.append(s if s.startswith("|") else ln)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(fixed)).strip()
