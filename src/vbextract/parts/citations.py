"""Citations: every other document the text cites, with its date, issuer and title.

Grammar (``shared/spec/domain.md`` §4.2): ``TYPE ["số"] [":"] REF [","] ["ngày" DATE] ["của"
ISSUER] [TITLE]``. REF is a state reference (``56/2017/NĐ-CP``, ``23/QĐ-TTg``,
``736/LĐT&XH-TE&BDG``, ``66.25/2026/NQ-CP``) or a Party one (``28-CT/TW``). Real typos are
tolerated: spaces inside (``LĐT BXH``, ``23/CT- TTg``), a type repeated before the year
(``56/NĐ/2017/NĐ-CP``), a symbol split across a line. ``ref`` keeps the printed form with the
spaces removed. Technical standards are cited by their code (``QCVN 01:2019/BCT`` -> ref
``QCVN01:2019/BCT``, type "QCVN"); dates, ratios and phone numbers are not refs.
"""

from __future__ import annotations

import regex

from ..dates import iso_date, parse_any
from ..doc import WorkDoc
from ..document import Citation
from ..grammars import REGISTRY
from ..grammars.types import TYPE_TITLES, canonical_type, type_from_symbol
from ..normalize import clean_value, fold

# The grammar of a citation is data: grammars/citation.yaml.
STATE_REF = REGISTRY["state_ref"]
PARTY_REF = REGISTRY["party_ref"]
STANDARD_REF = REGISTRY["standard_ref"]
PARTY_REF_NOHYPHEN = REGISTRY["party_ref_no_hyphen"]  # "Chỉ thị số 28 CT/TW": only after a type word
LAW_NAME = REGISTRY["law_name"]
TYPE_BEFORE = REGISTRY["citation_type_before"].rx
LAW_BEFORE = REGISTRY["citation_law_before"].rx
DATE_BEFORE = REGISTRY["citation_date_before"].rx
LIST_BEFORE = REGISTRY["citation_list_before"].rx
DATE_AFTER = REGISTRY["citation_date_after"].rx
ISSUER_AFTER = REGISTRY["citation_issuer_after"].rx
_ISSUER_STOP = REGISTRY["citation_issuer_stop"].rx
TITLE_AFTER = REGISTRY["citation_title_after"].rx
_LOOKS_CITED = REGISTRY["citation_looks_cited"].rx
_NUMBERED_AFTER = REGISTRY["citation_numbered_after"].rx
_BASIS_BEFORE = REGISTRY["citation_basis_before"].rx
_NAME_STOP = REGISTRY["citation_name_stop"].rx
_MAX_ISSUER = 120
# compiled once: a module-level regex.sub looks its pattern up in regex's cache on every call,
# which cost more than the substitution (twice per citation)
_SPACES = regex.compile(r"\s+")
# TYPE_BEFORE ends at the end of its window ("Quyết định số "): a match is a type title and then
# only these characters (spaces, ":", "số" in any case), so it starts no earlier than the longest
# title before the window's tail of them. Searching from there finds the same match and spares
# the alternation of every title at every position of the window.
TYPE_TAIL_CHARS = " \t:sSſốỐ"
_LONGEST_TYPE = max(len(t) for t in TYPE_TITLES)


def type_before(window: str) -> regex.Match[str] | None:
    """``TYPE_BEFORE.search(window)``, tried only where a match can start."""
    w = window[:-1] if window.endswith("\n") else window  # "$" also matches before a final newline
    tail = len(w) - len(w.rstrip(TYPE_TAIL_CHARS))
    return TYPE_BEFORE.search(window, max(0, len(w) - tail - _LONGEST_TYPE))


def extract_citations(doc: WorkDoc) -> None:
    """Find every cited document outside the header, Nơi nhận, signature and appendices."""
    ranges = _search_ranges(doc)
    found: dict[str, Citation] = {}
    order: list[str] = []
    last_type: str | None = None
    matches = []
    for a, b in ranges:
        matches += [("state", m) for m in STATE_REF.finditer(doc.text, a, b)]
        matches += [("party", m) for m in PARTY_REF.finditer(doc.text, a, b)]
        matches += [("party2", m) for m in PARTY_REF_NOHYPHEN.finditer(doc.text, a, b)]
        matches += [("standard", m) for m in STANDARD_REF.finditer(doc.text, a, b)]
    matches.sort(key=lambda km: km[1].start())
    taken: list[tuple[int, int]] = []
    for kind, m in matches:
        if any(s <= m.start() < e for s, e in taken):
            continue
        if kind == "party2" and not type_before(doc.text[max(0, m.start() - 40) : m.start()]):
            continue
        cit, span_end, last_type = _citation(doc, kind, m, last_type)
        if cit is None:
            continue
        taken.append((m.start(), m.end()))
        doc.citation_spans.append((m.start(), span_end))
        key = fold(cit.ref)
        if key in found:
            found[key].mentions.append(cit.span)
            continue
        found[key] = cit
        order.append(key)
    own = _own_ref_key(doc)
    # an attached plan names the document it is attached to ("Kèm theo Quyết định số …"): itself
    doc.citations = [found[k] for k in order if k != own] + _unnumbered(doc, ranges)


def _own_ref_key(doc: WorkDoc) -> str | None:
    h = doc.header
    if not (h.number and h.symbol):
        return None
    return fold(f"{h.number}/{h.symbol}")


def _search_ranges(doc: WorkDoc) -> list[tuple[int, int]]:
    """The body, and what follows the signature block and Nơi nhận (footnotes, an attached plan).

    The gold counts every numbered document cited anywhere; only the header, the signature block
    and the distribution list are left out (their "Số:" and stamps are not citations).
    """
    n = len(doc.text)
    start = doc.zones.header[1] if doc.zones.header else 0
    skipped = sorted(z for z in (doc.zones.distribution, doc.zones.signature) if z and z[1] > start)
    ranges = []
    for a, b in skipped:
        if a > start:
            ranges.append((start, a))
        start = max(start, b)
    ranges.append((start, n))
    return [(a, b) for a, b in ranges if b > a]


def _citation(doc: WorkDoc, kind: str, m: regex.Match[str], last_type: str | None):
    text = doc.text
    before = text[max(0, m.start() - 60) : m.start()]
    tm = type_before(before)
    date_before: str | None = None
    if not tm:
        wide = text[max(0, m.start() - 160) : m.start()]
        tm = LAW_BEFORE.search(wide) or DATE_BEFORE.search(wide)
        if tm is not None:
            before = wide
            if tm.re is DATE_BEFORE:
                date_before = tm["date"]
                if not tm["type"]:
                    tm = None  # the type comes from the symbol below; only the date was printed first
    doc_type: str | None
    if kind == "state":
        raw_ref = m.group(0)
        number = m["num"]
        year = int(m["year"]) if m["year"] else None
        symbol = _SPACES.sub("", m["sym"]).replace("–", "-")
        if m["pre"]:
            symbol_for_type = m["pre"]
        else:
            symbol_for_type = symbol
    elif kind == "standard":
        raw_ref = m.group(0)
        number = m["num"]
        year = int(m["year"])
        symbol = m["sym"] or ""
        symbol_for_type = m["type"]
        tm = None  # its code is its type; "Quy chuẩn kỹ thuật quốc gia" before it is a gloss
    else:
        raw_ref = m.group(0)
        number = m["num"]
        year = None
        symbol = f"{m['type']}/{m['org']}"
        symbol_for_type = m["type"]
    ref = _SPACES.sub("", raw_ref).replace("–", "-")
    if tm:
        doc_type = _canonical(tm["type"])
        start = m.start() - len(before) + tm.start()
    elif LIST_BEFORE.search(before) and last_type:
        doc_type = last_type
        start = m.start()
    else:
        doc_type = m["type"] if kind == "standard" else (
            type_from_symbol(symbol_for_type) or _type_from_party(kind, m))
        start = m.start()
        if doc_type is None and not _looks_cited(before):
            return None, m.end(), last_type
    doc_type = doc_type or "Công văn"  # a numbered ref with no type code is a công văn
    pos = m.end()
    date = None
    if date_before:
        d, mo, y = parse_any(date_before)
        date = iso_date(y, mo, d) if (d and mo and y) else None
    dm = DATE_AFTER.match(text, pos) if date is None else None
    if dm:
        d, mo, y = parse_any(dm.group(0))
        date = iso_date(y, mo, d) if (d and mo and y) else None
        pos = dm.end()
    issuer = None
    im = ISSUER_AFTER.match(text, pos)
    if im:
        issuer, pos = _issuer_at(text, im.end())
    if date is None and issuer is not None:  # "của X ngày …" (rare order)
        dm = DATE_AFTER.match(text, pos)
        if dm:
            d, mo, y = parse_any(dm.group(0))
            date = iso_date(y, mo, d) if (d and mo and y) else None
            pos = dm.end()
    title = None
    tt = TITLE_AFTER.match(text, pos)
    if tt:
        title = clean_value(tt["title"].strip("“”\" "))
    cit = Citation(
        ref=ref,
        doc_type=doc_type,
        number=number,
        year=year,
        symbol=symbol,
        date=date,
        issuer=issuer,
        title=title,
        span=(start, pos),
        mentions=[(m.start(), m.end())],
    )
    return cit, pos, doc_type


def _issuer_at(text: str, pos: int) -> tuple[str | None, int]:
    window = text[pos : pos + _MAX_ISSUER + 40]
    stop = _ISSUER_STOP.search(window)
    raw = window[: stop.start()] if stop else window[:_MAX_ISSUER]
    issuer = clean_value(raw)
    if not issuer or len(issuer) > _MAX_ISSUER or not issuer[0].isupper():
        return None, pos
    return issuer, pos + len(raw)


def _canonical(type_word: str) -> str:
    return canonical_type(type_word) or type_word


def _type_from_party(kind: str, m: regex.Match[str]) -> str | None:
    if kind.startswith("party"):
        return type_from_symbol(m["type"])
    return None


def _looks_cited(before: str) -> bool:
    """A bare ref with no type word is still a citation after "số", "theo", "tại" …"""
    return bool(_LOOKS_CITED.search(before))


def _unnumbered(doc: WorkDoc, ranges: list[tuple[int, int]]) -> list[Citation]:
    """Named laws without a number ("Luật Trẻ em"): ``unnumbered`` citations, ref = the name."""
    seen: dict[str, Citation] = {}
    for a, b in ranges:
        for m in LAW_NAME.finditer(doc.text, a, b):
            if any(s <= m.start() < e for s, e in doc.citation_spans):
                continue
            after = doc.text[m.end() : m.end() + 12]
            if _NUMBERED_AFTER.match(after):
                continue  # "Luật số 80/2015/QH13" is a numbered citation
            name = clean_value(_whole_law_name(doc.text, m) or f"{m['type']} {m['name']}")
            if not name:
                continue
            key = fold(name)
            if key in seen:
                seen[key].mentions.append((m.start(), m.end()))
                continue
            seen[key] = Citation(ref=name, doc_type=m["type"], unnumbered=True, span=(m.start(), m.end()),
                                 mentions=[(m.start(), m.end())])
    return list(seen.values())


# "Căn cứ Luật Quản lý, sử dụng vũ khí, vật liệu nổ và công cụ hỗ trợ;": in a legal basis the name
# runs to the clause's end, commas and "và" included
_CLAUSE_REST = regex.compile(r"[^;\n]{0,200}")


def _whole_law_name(text: str, m: regex.Match[str]) -> str | None:
    line_start = text.rfind("\n", 0, m.start()) + 1
    if not _BASIS_BEFORE.search(text, line_start, m.start()):
        return None
    rest = _CLAUSE_REST.match(text, m.start())
    clause = rest.group().rstrip(" .*_") if rest else ""
    if _NAME_STOP.search(clause[len(m["type"]):]):
        return None  # a number, another document or a date: the name is what the pattern read
    return clause if len(clause.split()) <= 25 else None
