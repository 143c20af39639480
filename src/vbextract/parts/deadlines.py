"""Deadlines: every time limit, with its kind, dates, and the task it belongs to.

Kinds (contract): ``by`` ("trước ngày 10/5/2024", "chậm nhất ngày …"), ``on`` ("vào ngày …"),
``range`` ("từ ngày … đến ngày …"), ``period`` ("Quý IV", "Tháng 6/2025", "trong tháng 9 năm
2026"), ``ongoing`` ("Thường xuyên trong năm"), ``recurring`` ("hằng năm", "định kỳ 6 tháng").

Not deadlines: event dates ("Ngày Quốc tế thiếu nhi (01/6)"), manner adverbs ("thường xuyên rà
soát"), programme periods ("giai đoạn 2021-2030"), dates inside citations, and peak times
("cao điểm vào tháng 5"). A value of a time field ("Thời gian thực hiện: Quý IV") is read with
the whole vocabulary; free text only with the unambiguous phrases. Missing years come from the
document's date or title (flagged ``year_inferred``).
"""

from __future__ import annotations

import regex

from ..contract import deadline_id
from ..dates import ROMAN, iso_date, month_range, quarter_range
from ..doc import WorkDoc
from ..document import Deadline, Task
from ..grammars import REGISTRY
from ..normalize import clean_value
from .sections import attached_plan
from .table_tasks import task_tables

# The patterns are entries of grammars/deadline.yaml. BY, RANGE, ON and the two "before"
# patterns run on the fold key (lower case, same length): a literal first word and no IGNORECASE
# make them several times faster; "hoàn thành trước …" is widened after the match. The names bound
# to ``.rx`` were plain compiled regexes and stay untimed (they run per line or per match).
BY = REGISTRY["deadline_by"]
RANGE = REGISTRY["deadline_range"]
ON = REGISTRY["deadline_on"]
PERIOD_FREE = REGISTRY["deadline_period_free"]
PERIOD_FIELD = REGISTRY["deadline_period_field"]
MONTH_RANGE = REGISTRY["deadline_month_range"]
QUARTER_RANGE = REGISTRY["deadline_quarter_range"]
UNTIL_END = REGISTRY["deadline_until_end"]
_AIM_OR_SPAN_BEFORE = REGISTRY["deadline_aim_or_span_before"].rx
PAREN_YEARS = REGISTRY["deadline_paren_years"]
DONE_IN_YEAR = REGISTRY["deadline_done_in_year"]
ON_FIELD = REGISTRY["deadline_on_field"]
_BY_PREFIX = REGISTRY["deadline_by_prefix"].rx
_YEARLY_BEFORE = REGISTRY["deadline_yearly_before"].rx
_REPORT_BEFORE = REGISTRY["deadline_report_before"].rx
_OPEN_START = REGISTRY["deadline_open_start"].rx
ONGOING_FREE = REGISTRY["deadline_ongoing_free"]
ONGOING_FIELD = REGISTRY["deadline_ongoing_field"]
RECURRING = REGISTRY["deadline_recurring"]
_TIME_FIELD = REGISTRY["deadline_time_field"].rx
_YEARS_VALUE = REGISTRY["deadline_years_value"].rx
_RECURRING_AFTER = REGISTRY["deadline_recurring_after"].rx
_PEAK = REGISTRY["deadline_peak"].rx
BY_RECURRING_DAY = REGISTRY["deadline_by_recurring_day"]
_PLAN_SPAN = REGISTRY["deadline_plan_span"].rx
_ONE_YEAR = REGISTRY["deadline_one_year"].rx
_NOT_A_LIMIT = REGISTRY["deadline_not_a_limit_label"].rx
_NAMES_REPORT = REGISTRY["deadline_names_report_before"].rx
_VALIDITY_BEFORE = REGISTRY["deadline_validity_before"].rx
_STILL_VALID = REGISTRY["deadline_still_valid"].rx
_CONDITION_AFTER = REGISTRY["deadline_condition_after"].rx
_TARGET_AFTER = REGISTRY["deadline_target_after"].rx
_TARGETS_HEADING = REGISTRY["deadline_targets_heading"].rx
_PERIODIC_BEFORE = REGISTRY["deadline_periodic_before"].rx
_LIMIT_LIST_SEP = REGISTRY["deadline_limit_list_sep"].rx
MONTH_RANGE_YEARLY = REGISTRY["deadline_month_range_yearly"]


def extract_deadlines(doc: WorkDoc) -> None:
    if not doc.zones.body:
        return
    year = _document_year(doc)
    found: list[tuple[int, int, Deadline]] = []
    field_spans: list[tuple[int, int]] = []
    zones = [doc.zones.body] + ([plan] if (plan := attached_plan(doc)) else [])
    for zone in zones:
        for ln in doc.lines_in(zone[0], zone[1]):
            m = _TIME_FIELD.match(ln.text)
            if m:
                value_start = ln.start + m.end()
                field_spans.append((value_start, ln.end))
                found += _field_deadlines(doc, value_start, ln.end, year)
    for a, b in _table_time_cells(doc):
        field_spans.append((a, b))
        found += _field_deadlines(doc, a, b, year)
    field_spans.sort()
    for zone in zones:
        for a, b in _free_ranges(zone, field_spans):
            found += _free_deadlines(doc, a, b, year)
    found = [d for d in found if not _in_citation(doc, d[0], d[1]) and not _after_not_a_limit(doc.text, d)]
    found = [d for d in found if not _past_event(doc, d[2], field_spans)
             and (_in_field(d[0], field_spans) or not _in_targets(doc, d[0]))]
    found.sort(key=lambda t: t[0])
    doc.deadlines = [d for _, _, d in _dedupe(found)]
    _link_to_tasks(doc)


def _after_not_a_limit(text: str, found: tuple[int, int, Deadline]) -> bool:
    """A date on a report's frequency or data cut-off line, a certificate's term, or the day or
    span a text or a certificate is in force from."""
    start, end, d = found
    line_start = text.rfind("\n", 0, start) + 1
    if _NOT_A_LIMIT.search(text, line_start, start) is not None:
        return True
    validity = _VALIDITY_BEFORE.search(text, max(line_start, start - 25), start)
    if validity is None:
        return False
    if d.kind != "by":
        return True
    # "… được ban hành … và có hiệu lực trước ngày 01/3/2027 thì …", "Giấy phép còn hiệu lực đến hết
    # năm 2026": a condition on a document or its term, not a limit for a directed action
    return (_STILL_VALID.search(text, max(line_start, validity.start() - 6), validity.end()) is not None
            or _CONDITION_AFTER.match(text, end) is not None)


def _in_field(pos: int, fields: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in fields)


# compiled once (a module-level regex call looks its pattern up in regex's cache on every call)
_EMPHASIS_MARKS = regex.compile(r"[*_]+")
_PARAGRAPH_TASK_ID = regex.compile(r"p\d+")


def _in_targets(doc: WorkDoc, pos: int) -> bool:
    """Inside an item headed as targets ("6. Chỉ tiêu chủ yếu đến năm 2030" / "6.1. Hằng năm, giảm số
    người nghiện …"): a target's year or frequency in running text is not a time limit (gold
    README); a time field there ("b) Thời gian: Từ ngày 15/11 đến ngày 15/12/2025") still is."""
    items = [it for it in doc.items if it.parent is None]
    while items:
        inner = next((it for it in items if it.start <= pos < max(it.tree_end, it.end)), None)
        if inner is None:
            return False
        head = _EMPHASIS_MARKS.sub("", doc.text[inner.start : inner.head_end])[len(inner.label) :].strip(" .:")
        if len(head) < 100 and _TARGETS_HEADING.match(head):
            return True
        items = inner.children
    return False


def _multi_year_plan(doc: WorkDoc) -> bool:
    """The document plans over several years ("Kế hoạch … giai đoạn 2026 - 2030") and names no
    single year: a limit printed without a year recurs in each of them."""
    subject = doc.header.subject or ""
    m = _PLAN_SPAN.search(subject)
    return bool(m and int(m["y2"]) > int(m["y1"]) and not _ONE_YEAR.search(subject, m.end()))


def _past_event(doc: WorkDoc, d: Deadline, fields: list[tuple[int, int]]) -> bool:
    """A day or a range in running text that ended before the document was signed reports an
    event ("Từ ngày 08 đến ngày 09 tháng 11 năm 2025, Thủ tướng đã làm việc …" in a notice of
    22/11/2025): nothing can still be done by it. Time fields are left as printed."""
    signed = doc.header.date
    last = d.end if d.kind == "range" else d.date if d.kind == "on" else None
    if not signed or not last or d.year_inferred:
        return False
    if any(a <= d.span[0] < b for a, b in fields):
        return False
    return last < signed


def _table_time_cells(doc: WorkDoc) -> list[tuple[int, int]]:
    """The time cells of task tables' rows: each is a time field (a whole value)."""
    out = []
    for tt in task_tables(doc):
        idx = tt.roles.get("time")
        if idx is None:
            continue
        for row in tt.table.rows[tt.header_row + 1 :]:
            if idx < len(row.cells) and row.cells[idx].end > row.cells[idx].start:
                out.append((row.cells[idx].start, row.cells[idx].end))
    return out

_YEAR_IN_SUBJECT = REGISTRY["deadline_year_in_subject"].rx
_LONE_RECURRING = REGISTRY["deadline_lone_recurring_value"].rx
_PEAK_BEFORE = REGISTRY["deadline_peak_before"].rx
_DATES_FOLLOW = REGISTRY["deadline_dates_follow"].rx
_NAMES_NOUN = REGISTRY["deadline_recurring_names_noun"].rx
_REPORT_YEAR_AFTER = REGISTRY["deadline_report_year_after"].rx
_PASSIVE_AFTER = REGISTRY["deadline_recurring_passive_after"].rx
_CLAUSE_START = REGISTRY["deadline_recurring_clause_start"].rx
_CLAUSE_END = REGISTRY["deadline_recurring_clause_end"].rx

_YEAR_ALONE = REGISTRY["year_alone"]  # grammars/date.yaml
_YEAR_ANY = REGISTRY["year_any"]


def _document_year(doc: WorkDoc) -> int | None:
    """The year for limits printed without one: the year a plan's title names ("Kế hoạch … năm
    2026", issued in December 2025), else the document's date, else a year near the top."""
    titled = [m["y"] for m in _YEAR_ALONE.finditer(doc.header.subject or "")]
    if doc.header.date and len(set(titled)) == 1 and int(titled[0]) == int(doc.header.date[:4]) + 1:
        return int(titled[0])
    if doc.header.date:
        return int(doc.header.date[:4])
    subj = doc.header.subject or ""
    m = _YEAR_IN_SUBJECT.search(subj)
    if m:
        return int(m["y"])
    m = _YEAR_ANY.search(doc.text, 0, min(len(doc.text), 1500))
    return int(m["y"]) if m else None


def _free_ranges(zone: tuple[int, int], fields: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    pos = zone[0]
    for a, b in fields:
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < zone[1]:
        out.append((pos, zone[1]))
    return out


def _free_deadlines(doc: WorkDoc, a: int, b: int, year: int | None) -> list[tuple[int, int, Deadline]]:
    text = doc.text
    out: list[tuple[int, int, Deadline]] = []
    taken: list[tuple[int, int]] = []

    def add(m: regex.Match[str], d: Deadline | None) -> None:
        if d is None or any(s < m.end() and m.start() < e for s, e in taken):
            return
        taken.append((m.start(), m.end()))
        out.append((m.start(), m.end(), d))

    folded = doc.folded
    multi_year = _multi_year_plan(doc)
    for m in BY_RECURRING_DAY.finditer(folded, a, b):  # the fold key: a literal start, no IGNORECASE
        yearly = _YEARLY_BEFORE.search(folded, max(a, m.start() - 30), m.start())
        start = yearly.start() if yearly else m.start()
        add(m, Deadline(text=clean_value(text[start : m.end()]) or text[m.start() : m.end()], kind="recurring",
                        span=(start, m.end())))
        taken.append((start, m.end()))
    for m in RANGE.finditer(folded, a, b):
        rec = _RECURRING_AFTER.match(text, m.end(), b)
        if rec and not any(m[g] for g in ("ay", "awy", "by", "bwy", "endy")):
            # "từ ngày 01/3 đến ngày 30/11 hằng năm": the same span every year, not this year's
            add(m, Deadline(text=clean_value(text[m.start() : rec.end()]) or m.group(), kind="recurring",
                            span=(m.start(), rec.end())))
            taken.append((m.start(), rec.end()))
            continue
        add(m, _range(m, year, text))
    for m in MONTH_RANGE_YEARLY.finditer(text, a, b):  # "Từ tháng 3 đến tháng 11 hằng năm": one limit
        add(m, Deadline(text=clean_value(m.group()) or m.group(), kind="recurring", span=m.span()))
    for m in MONTH_RANGE.finditer(text, a, b):
        add(m, _month_range(m))
    for m in QUARTER_RANGE.finditer(text, a, b):
        add(m, _quarter_range(m))
    for m in BY.finditer(folded, a, b):
        pre = _BY_PREFIX.search(folded, max(a, m.start() - 12), m.start())
        start = pre.start() if pre else m.start()
        yearly = _YEARLY_BEFORE.search(folded, max(a, start - 30), start)
        if yearly:  # "Định kỳ hằng năm (trước ngày 30 tháng 11)": the date recurs every year
            stop = m.end() + (1 if text[m.end() : m.end() + 1] == ")" else 0)
            add(m, Deadline(text=clean_value(text[yearly.start() : stop]) or m.group(), kind="recurring",
                            span=(yearly.start(), stop)))
            taken.append((yearly.start(), stop))
            continue
        rec = _RECURRING_AFTER.match(text, m.end(), b)
        if rec:  # "định kỳ 6 tháng (trước ngày 20/5)" stays a dated limit (seed 002's gold)
            stop = rec.end()
            add(m, Deadline(text=clean_value(text[start:stop]) or text[start:stop], kind="recurring",
                            span=(start, stop)))
            taken.append((start, stop))
            continue
        if not (m["ay"] or m["awy"]) and (_PERIODIC_BEFORE.search(folded, max(a, start - 60), start)
                                          or _shares_recurrence(folded, text, m.end(), b)):
            # "Định kỳ trước ngày 20 tháng 6 và trước ngày 20 tháng 12 hằng năm": each limit recurs
            add(m, Deadline(text=clean_value(text[start : m.end()]) or m.group(), kind="recurring",
                            span=(start, m.end())))
            continue
        if multi_year and not (m["ay"] or m["awy"]):  # "trước ngày 16/6" in a 2026 - 2030 plan: every year
            add(m, Deadline(text=clean_value(text[start : m.end()]) or m.group(), kind="recurring",
                            span=(start, m.end())))
            continue
        add(m, _single(m, "by", year, text, start))
    for m in ON.finditer(folded, a, b):
        add(m, _single(m, "on", year, text))
    for m in UNTIL_END.finditer(text, a, b):
        if _AIM_OR_SPAN_BEFORE.search(text, max(a, text.rfind("\n", 0, m.start()) + 1), m.start()):
            continue
        if not m.group().lower().startswith(("hoàn thành", "xong")) and _TARGET_AFTER.match(text, m.end(), b):
            continue  # "bảo đảm đến hết năm 2030, có ít nhất 50% đơn vị …": a target's horizon
        add(m, _until_end(m))
    if folded.find("hoàn thành", a, b) >= 0 or folded.find("xong", a, b) >= 0:  # (no copies of the range)
        for m in DONE_IN_YEAR.finditer(text, a, b):
            add(m, _year_period(m, m.span("y")))
    for m in PAREN_YEARS.finditer(text, a, b):
        add(m, _year_period(m, (m.start("y"), m.end("y2") if m["y2"] else m.end("y"))))
    for m in PERIOD_FREE.finditer(text, a, b):
        if not _is_peak(text, m.start()) and not _OPEN_START.match(text, m.end(), b):
            add(m, _period(m, year))
    for m in ONGOING_FREE.finditer(text, a, b):
        add(m, Deadline(text=clean_value(m.group()) or m.group(), kind="ongoing", span=m.span()))
    for m in RECURRING.finditer(text, a, b):
        if _recurring_counts(text, m, b):
            add(m, Deadline(text=clean_value(m.group()) or m.group(), kind="recurring", span=m.span()))
    return out


def _shares_recurrence(folded: str, text: str, pos: int, end: int) -> bool:
    """The yearless limit ending at ``pos`` opens a list of limits whose last one recurs ("trước
    ngày 20/6 và trước ngày 20/12 hằng năm"): the recurrence is said once for all of them."""
    for _ in range(4):
        sep = _LIMIT_LIST_SEP.match(folded, pos, end)
        nxt = BY.match(folded, sep.end(), end) if sep else None
        if nxt is None or nxt["ay"] or nxt["awy"]:
            return False
        if _RECURRING_AFTER.match(text, nxt.end(), end):
            return True
        pos = nxt.end()
    return False


def _field_deadlines(doc: WorkDoc, a: int, b: int, year: int | None) -> list[tuple[int, int, Deadline]]:
    """A time field's value: the whole vocabulary applies, but peak times are dropped."""
    text = doc.text
    value = text[a:b]
    peak = _PEAK.search(value)
    end = a + peak.start() if peak else b
    out = _free_deadlines(doc, a, end, year)
    taken = [(s, e) for s, e, _ in out]
    lead = len(value) - len(value.lstrip())
    m = ON_FIELD.match(text, a, end)
    if m and not taken and (d := _single(m, "on", year)):
        out.append((m.start(), m.end(), d))
        taken.append(m.span())
    m = ONGOING_FIELD.match(text, a + lead, end)
    if m and not any(s <= m.start() < e for s, e in taken):
        out.append((m.start(), m.end(), Deadline(text=clean_value(m.group()) or m.group(), kind="ongoing",
                                                 span=m.span())))
    for m in PERIOD_FIELD.finditer(text, a, end):
        if any(s < m.end() and m.start() < e for s, e in taken) or _OPEN_START.match(text, m.end(), end):
            continue
        d = _period(m, year)
        if d:
            out.append((m.start(), m.end(), d))
            taken.append(m.span())
    ym = _YEARS_VALUE.fullmatch(text, a, end)
    if ym and not taken:  # a time value holding only a year ("2026") or years ("2025 - 2030")
        y1 = int(ym["y1"])
        y2 = int(ym["y2"]) if ym["y2"] else y1
        if y1 <= y2:
            span = (ym.start("y1"), ym.end("y2") if ym["y2"] else ym.end("y1"))
            out.append((*span, Deadline(text=text[span[0] : span[1]], kind="period", start=f"{y1}-01-01",
                                        end=f"{y2}-12-31", span=span)))
    rm = _LONE_RECURRING.match(text[a:end])
    if rm and not any(s <= a + rm.start() < e for s, e in taken):
        s0 = a + rm.start() + (len(rm.group()) - len(rm.group().lstrip()))
        out.append((s0, a + rm.end(), Deadline(text=text[s0 : a + rm.end()], kind="recurring",
                                               span=(s0, a + rm.end()))))
    return out


def _single(m: regex.Match[str], kind: str, year: int | None, text: str | None = None,
            start: int | None = None) -> Deadline | None:
    """A one-day limit; ``text`` is the document's text when ``m`` matched on the fold key."""
    d, mo, y = _parts(m, "a")
    inferred = y is None
    y = y if y is not None else year
    iso = iso_date(y, mo, d) if (y and mo and d) else None
    if iso is None:
        return None
    span = (m.start() if start is None else start, m.end())
    printed = (text if text is not None else m.string)[span[0] : span[1]]
    return Deadline(text=clean_value(printed) or printed, kind=kind, date=iso,  # type: ignore[arg-type]
                    year_inferred=inferred, span=span)


def _range(m: regex.Match[str], year: int | None, text: str) -> Deadline | None:
    d1, m1, y1 = _parts(m, "a")
    d2, m2, y2 = _parts(m, "b")
    if m["endy"]:  # "… đến hết năm 2026"
        d2, m2, y2 = 31, 12, int(m["endy"])
    if m["sd"]:  # "từ ngày 08 đến ngày 10 tháng 12 năm 2025": the first day shares the second's month
        d1, m1, y1 = int(m["sd"]), m2, y2
        if d2 is not None and d1 > d2:
            return None
    inferred = y1 is None and y2 is None
    y2 = y2 or y1 or year
    y1 = y1 or y2
    start = iso_date(y1, m1, d1) if (y1 and m1 and d1) else None
    end = iso_date(y2, m2, d2) if (y2 and m2 and d2) else None
    if not start or not end:
        return None
    printed = text[m.start() : m.end()]
    return Deadline(text=clean_value(printed) or printed, kind="range", start=start, end=end,
                    year_inferred=inferred, span=m.span())


def _until_end(m: regex.Match[str]) -> Deadline | None:
    y = int(m["y"])
    mo = int(m["mo"]) if m["m"] else 12
    if not 1 <= mo <= 12:
        return None
    return Deadline(text=clean_value(m.group()) or m.group(), kind="by", date=month_range(y, mo)[1], span=m.span())


def _year_period(m: regex.Match[str], span: tuple[int, int]) -> Deadline | None:
    y = int(m["y"])
    y2 = int(m["y2"]) if m.groupdict().get("y2") else y
    if y2 < y:
        return None
    text = m.string[span[0] : span[1]]
    return Deadline(text=text, kind="period", start=f"{y}-01-01", end=f"{y2}-12-31", span=span)


def _quarter_range(m: regex.Match[str]) -> Deadline | None:
    def q(v: str) -> int:
        return int(v) if v.isdigit() else ROMAN[v.upper()]
    start = quarter_range(int(m["y1"]), q(m["q1"]))[0]
    end = quarter_range(int(m["y2"]), q(m["q2"]))[1]
    if start > end:
        return None
    return Deadline(text=clean_value(m.group()) or m.group(), kind="period", start=start, end=end, span=m.span())


def _month_range(m: regex.Match[str]) -> Deadline | None:
    m1, m2, y2 = int(m["m1"]), int(m["m2"]), int(m["y2"])
    y1 = int(m["y1"]) if m["y1"] else (y2 if m1 <= m2 else y2 - 1)
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    return Deadline(text=clean_value(m.group()) or m.group(), kind="range", start=month_range(y1, m1)[0],
                    end=month_range(y2, m2)[1], span=m.span())


def _period(m: regex.Match[str], year: int | None) -> Deadline | None:
    g = m.groupdict()
    text = clean_value(m.group()) or m.group()
    for prefix in ("hoàn thành trong ", "xong trong ", "trong ", "vào "):
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
    if g.get("q"):
        q = ROMAN.get(g["qn"].upper()) if not g["qn"].isdigit() else int(g["qn"])
        y = int(g["qy"]) if g.get("qy") else year
        if not y or not q:
            return None
        s, e = quarter_range(y, q)
        return Deadline(text=text, kind="period", start=s, end=e, year_inferred=not g.get("qy"), span=m.span())
    if g.get("m"):
        mo = int(g["m"])
        y = int(g["my"]) if g.get("my") else year
        if not y or not 1 <= mo <= 12:
            return None
        s, e = month_range(y, mo)
        return Deadline(text=text, kind="period", start=s, end=e, year_inferred=not g.get("my"), span=m.span())
    if g.get("half"):
        y = int(g["hy"]) if g.get("hy") else year
        if not y:
            return None
        first = "đầu" in g["half"]
        s = f"{y}-01-01" if first else f"{y}-07-01"
        e = f"{y}-06-30" if first else f"{y}-12-31"
        return Deadline(text=text, kind="period", start=s, end=e, year_inferred=not g.get("hy"), span=m.span())
    if g.get("y"):
        y = int(g["y"])
        y2 = int(g["y2"]) if g.get("y2") else y
        if y2 < y:
            return None
        return Deadline(text=text, kind="period", start=f"{y}-01-01", end=f"{y2}-12-31", span=m.span())
    return None


def _parts(m: regex.Match[str], n: str) -> tuple[int | None, int | None, int | None]:
    g = m.groupdict()
    if g.get(f"{n}wd"):
        return int(g[f"{n}wd"]), int(g[f"{n}wm"]), int(g[f"{n}wy"]) if g.get(f"{n}wy") else None
    if g.get(f"{n}d"):
        return int(g[f"{n}d"]), int(g[f"{n}m"]), int(g[f"{n}y"]) if g.get(f"{n}y") else None
    return None, None, None


def _is_peak(text: str, pos: int) -> bool:
    return bool(_PEAK_BEFORE.search(text[max(0, pos - 30) : pos]))


def _recurring_counts(text: str, m: regex.Match[str], end: int) -> bool:
    """"định kỳ 6 tháng" with explicit dates after it is covered by those dates; a "hằng năm"
    that qualifies a noun ("kế hoạch … hằng năm") is not a time limit."""
    after = text[m.end() : min(end, m.end() + 120)]
    if _DATES_FOLLOW.search(after.split(".")[0]):
        return False
    if _NAMES_REPORT.search(text, max(0, m.start() - 20), m.start()):
        return False  # "… đối với báo cáo định kỳ 06 tháng đầu năm" says which report a limit is for
    if not m.group().lower().startswith("định kỳ"):
        before = text[max(0, m.start() - 40) : m.start()].lower()
        if _PASSIVE_AFTER.match(after):
            return False  # "báo cáo tổng hợp hàng quý và hàng năm được lưu trữ" qualifies a noun
        if _REPORT_BEFORE.search(before):
            return True
        if m.group().lower().endswith("ngày"):
            return False  # "sinh hoạt hằng ngày" names a habit; only a report repeats daily
        if _NAMES_NOUN.search(text[max(0, m.start() - 80) : m.start()].lower()):
            return False  # "Kế hoạch sao lưu, phục hồi dữ liệu và ứng phó sự cố hằng năm" is a plan
        if _REPORT_YEAR_AFTER.match(after):
            return False  # "kết quả kiểm kê tài sản hằng năm (năm 2025)" names a report
        # it opens its clause or bullet ("- Hằng năm tổ chức …", "d) Hàng năm, rà soát …") or closes
        # the clause of a directed action ("… diễn tập phương án ứng phó sự cố hàng năm.")
        closes = _CLAUSE_END.match(after) is not None and not m.group().lower().endswith("tuần")
        return (_CLAUSE_START.search(before) is not None or after.lstrip(" \t").startswith(("(", ","))
                or closes)
    return True


def _in_citation(doc: WorkDoc, s: int, e: int) -> bool:
    return any(a <= s < b for a, b in doc.citation_spans)


def _dedupe(found: list[tuple[int, int, Deadline]]) -> list[tuple[int, int, Deadline]]:
    out: list[tuple[int, int, Deadline]] = []
    for t in found:
        if out and out[-1][0] <= t[0] < out[-1][1]:
            continue
        out.append(t)
    return out


def _link_to_tasks(doc: WorkDoc) -> None:
    """Each deadline belongs to the innermost labeled task whose own text contains it. A span of
    several years that no task holds is the programme's own period ("3. Thời gian thực hiện: Từ năm
    2026 - 2030" of a plan for 2026 - 2030), not a limit: it is dropped."""
    labeled = [t for t in doc.tasks if t.label is not None or _PARAGRAPH_TASK_ID.fullmatch(t.id)]
    owners = [_owner(labeled, d) for d in doc.deadlines]
    kept = [(d, o) for d, o in zip(doc.deadlines, owners, strict=True) if o is not None or not _programme_span(d)]
    doc.deadlines = [d for d, _ in kept]
    for i, (d, owner) in enumerate(kept):
        if owner is not None:
            d.task_id = owner.id
            owner.deadline_ids.append(i)
        d.id = deadline_id(d, d.task_id)
        if owner is not None:
            owner.deadline_refs.append(d.id)


def _owner(labeled: list[Task], d: Deadline) -> Task | None:
    owner = None
    for t in labeled:
        if t.span[0] <= d.span[0] < t.span[1] and (owner is None or t.span[0] >= owner.span[0]):
            owner = t
    return owner


def _programme_span(d: Deadline) -> bool:
    return d.kind == "period" and d.start is not None and d.end is not None and d.start[:4] != d.end[:4]
