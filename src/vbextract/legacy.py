"""Legacy Vietnamese 8-bit encodings: TCVN3 (ABC, ``.VnTime``) and VNI (``VNI-Times``).

Documents typed before Unicode store Vietnamese letters as single bytes (TCVN3) or as a base
letter plus a mark byte (VNI). Extractors hand those bytes back as Latin-1 look-alikes
(``Céng hoµ`` for *Cộng hoà*, ``Coäng hoøa`` for *Cộng hòa*). This module converts them.

Detection never trusts a font name alone: 48 real DOCX declare ``.VnTime`` but hold Unicode.
:func:`detect_legacy` converts a sample with each table and keeps the one that turns clearly
more words into common Vietnamese syllables than the text as it is.

The tables follow the published TCVN 5712:1993 (VN3) and VNI-Windows layouts and were checked
against the Unicode transcripts of ``shared/corpus/viparse-corpus`` (see benchmarks/bench_corpus.py).
"""

from __future__ import annotations

import re
import unicodedata

# --- TCVN3 -------------------------------------------------------------------------------------
# One byte per letter. TCVN3 has no accented capitals: headings use the ``.VnTimeH`` font, which
# draws the same bytes as capitals, so the caller upper-cases text from such runs.
_TCVN3_ROWS = {
    "a": "µ¶·¸¹", "ă": "»¼½¾Æ", "â": "ÇÈÉÊË", "e": "ÌÎÏÐÑ", "ê": "ÒÓÔÕÖ", "i": "×ØÜÝÞ",
    "o": "ßáâãä", "ô": "åæçèé", "ơ": "êëìíî", "u": "ïñòóô", "ư": "õö÷øù", "y": "úûüýþ",
}
# tones in row order: grave, hook, tilde, acute, dot below
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")

TCVN3: dict[str, str] = {
    "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ",
    "¨": "ă", "©": "â", "ª": "ê", "«": "ô", "¬": "ơ", "\u00ad": "ư", "®": "đ",
}
for _base, _row in _TCVN3_ROWS.items():
    for _ch, _tone in zip(_row, _TONES):
        TCVN3[_ch] = unicodedata.normalize("NFC", _base + _tone)
# PDF text layers of TCVN3 fonts sometimes map soft hyphen and middle dot to math symbols.
TCVN3_PDF_ALIASES = {"\u2212": "\u00ad", "\u2219": "·"}

# --- VNI ---------------------------------------------------------------------------------------
# Composite: base letter + mark character. Lower-case marks go with lower-case bases.
_VNI_MARKS = {
    # plain vowels
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    # circumflex (â ê ô) alone and with a tone
    "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309",
    "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    # breve (ă) alone and with a tone
    "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309",
    "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}
_VNI_SINGLE = {
    "ñ": "đ", "Ñ": "Đ", "ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư",
    "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị", "î": "ỵ", "Î": "Ỵ",
}
_CIRCUMFLEX_BASES = "aeo"
_BREVE_BASES = "a"


def _vni_pairs() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for mark, combining in _VNI_MARKS.items():
        needs_circ = combining.startswith("\u0302")
        needs_breve = combining.startswith("\u0306")
        for base in "aeiouy" + "ôö":  # ô/ö are ơ/ư in VNI and take tones too
            if needs_circ and base not in _CIRCUMFLEX_BASES:
                continue
            if needs_breve and base not in _BREVE_BASES:
                continue
            if base == "i" and not (needs_circ or needs_breve):
                continue  # i with tone is a single character in VNI (ì í æ ó ò)
            letter = _VNI_SINGLE.get(base, base)
            for b, m, ltr in ((base, mark, letter), (base.upper(), mark.upper(), letter.upper())):
                pairs[b + m] = unicodedata.normalize("NFC", ltr + combining)
    # y with dot below is the single character î; "yï" does not occur
    pairs.update(_VNI_SINGLE)
    return pairs


VNI: dict[str, str] = _vni_pairs()
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI, key=len, reverse=True)))
_TCVN3_RE = re.compile("[" + re.escape("".join(TCVN3)) + "]")

# --- detection ---------------------------------------------------------------------------------
# Frequent syllables of administrative Vietnamese; the share of words that are one of these tells
# real Vietnamese from Latin-1 look-alikes.
_COMMON_TEXT = (
    """của và các ngày tháng năm được trong về theo người không những đã để có này với cho là tại
    số quy định nghị thực hiện việt nam cộng hòa hoà xã hội chủ nghĩa độc lập tự do hạnh phúc
    ban nhân dân tỉnh huyện quyết chính phủ bộ tài căn cứ điều khoản sau một đến từ trên đơn vị
    cơ quan nhà nước thông tư văn bản kế hoạch công ty doanh nghiệp hướng dẫn trưởng thủ tướng
    đồng tiền thuế giám đốc sở phòng những hiện hành phải nếu khi thì đối tượng trường hợp"""
)
_COMMON = set(_COMMON_TEXT.split())
_WORD = re.compile(r"[^\W\d_]+")
# letters that exist only in Vietnamese Unicode (not in Latin-1): proof the text is Unicode
_VIET_ONLY = re.compile("[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def vietnamese_score(text: str) -> float:
    """Share of words that are common Vietnamese syllables (0..1)."""
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in _COMMON) / len(words)


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """TCVN3 look-alike characters → Unicode; ``upper`` for ``.VnTimeH``-style capital fonts."""
    for alias, ch in TCVN3_PDF_ALIASES.items():
        text = text.replace(alias, ch)
    out = _TCVN3_RE.sub(lambda m: TCVN3[m.group(0)], text)
    return out.upper() if upper else out


def decode_vni(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI[m.group(0)], text)


def encode_tcvn3(text: str) -> str:
    """Unicode → TCVN3 look-alike characters (for tests and fixtures); capitals lose their tone."""
    reverse = {v: k for k, v in TCVN3.items()}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in reverse:
            out.append(reverse[ch])
        elif ch.lower() in reverse and ch.lower() != ch:
            out.append(reverse[ch.lower()])
        else:
            out.append(ch)
    return "".join(out)


def encode_vni(text: str) -> str:
    reverse: dict[str, str] = {}
    for k, v in VNI.items():
        reverse.setdefault(v, k)
    return "".join(reverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def convert(text: str, encoding: str) -> str:
    """Convert with a named table: ``tcvn3``, ``tcvn3h`` (capital font) or ``vni``."""
    if encoding == "tcvn3":
        return decode_tcvn3(text)
    if encoding == "tcvn3h":
        return decode_tcvn3(text, upper=True)
    if encoding == "vni":
        return decode_vni(text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def legacy_from_font(font: str | None) -> str | None:
    """Legacy encoding implied by a font name (``.VnTime`` → tcvn3, ``.VnTimeH`` → tcvn3h, VNI-*)."""
    if not font:
        return None
    f = font.strip().lower().replace(" ", "")
    f = f.split("+", 1)[1] if re.match(r"^[a-z]{6}\+", f) else f  # PDF subset prefix ABCDEF+
    if f.startswith((".vn", "vn")) and not f.startswith("vni"):
        base = f.split(",")[0].split("-")[0]
        return "tcvn3h" if base.endswith("h") else "tcvn3"
    if f.startswith("vni"):
        return "vni"
    return None


def detect_legacy(text: str, hint: str | None = None) -> str | None:
    """Return ``"tcvn3"`` or ``"vni"`` when converting clearly makes the text Vietnamese.

    ``hint`` (from a font name) is tried first but must also pass the content test, so Unicode
    text that merely declares a legacy font is left alone.
    """
    sample = text[:20000]
    if not sample.strip():
        return None
    words = _WORD.findall(sample)
    if words and len(_VIET_ONLY.findall(sample)) > 0.05 * len(words):
        return None  # plenty of real Vietnamese letters: this is Unicode already
    base = vietnamese_score(sample)
    candidates = ["tcvn3", "vni"]
    if hint in ("tcvn3", "tcvn3h"):
        candidates = ["tcvn3", "vni"]
    elif hint == "vni":
        candidates = ["vni", "tcvn3"]
    best, best_score = None, base
    for enc in candidates:
        score = vietnamese_score(convert(sample, enc))
        if score > best_score + 0.03 and score > 0.08:
            best, best_score = enc, score
    return best


def convert_if_legacy(text: str, hint: str | None = None) -> tuple[str, str | None]:
    """Convert ``text`` when it is TCVN3 or VNI; return (text, encoding name or None)."""
    enc = detect_legacy(text, hint)
    if enc is None:
        return text, None
    return convert(text, enc), enc


def char_accuracy(produced: str, expected: str) -> float:
    """Share of the transcript's characters reproduced, aligned word by word (NFC).

    Words are aligned with difflib (character-level alignment is quadratic on 100k-character
    files); characters of aligned words count as correct. Extractors wrap lines differently from
    transcripts, so whitespace does not count.
    """
    import difflib

    a = unicodedata.normalize("NFC", produced).split()
    b = unicodedata.normalize("NFC", expected).split()
    total = max(sum(map(len, a)), sum(map(len, b)))
    if not total:
        return 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(len(w) for blk in sm.get_matching_blocks() for w in b[blk.b:blk.b + blk.size])
    return matched / total


def convert_segments(segments: list[tuple[str, str | None]]) -> tuple[str, list[str]]:
    """Join text segments tagged with the legacy encoding their font implies (or None).

    The segments of each font family are converted only when their joined content passes
    :func:`detect_legacy` for that family, so Unicode text in a ``.VnTime`` font stays as it is.
    Returns the text and the encodings actually converted.
    """
    by_enc: dict[str, list[str]] = {}
    for text, enc in segments:
        if enc:
            by_enc.setdefault(enc, []).append(text)
    accepted = set()
    for enc, texts in by_enc.items():
        family = "vni" if enc == "vni" else "tcvn3"
        # runs split words ("B" "é" "T" "µ" "i"), so join them without spaces
        if detect_legacy("".join(texts), family) == family:
            accepted.add(enc)
    out = [convert(t, enc) if enc in accepted else t for t, enc in segments]
    return "".join(out), sorted(accepted)
