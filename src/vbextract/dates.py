"""Vietnamese dates with the precision the document gives.

Dates are ours (not dateparser's): a missing part stays missing instead of being filled from
today's date. ``iso_date(2024, 3, None)`` is ``"2024-03"``.

A date is spelled once, in ``grammars/vars.yaml`` (``$DAY``, ``$YEAR``, ``$DSEP``, ``$BLANK``,
``$DATE`` …): ``grammars/date.yaml`` (read here), the header's place-date line, the citations'
dates, the deadlines and the PDF stamp entries are written over those pieces.
"""

from __future__ import annotations

import calendar
import datetime as dt

from .grammars import REGISTRY

ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
         "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17, "XVIII": 18,
         "XIX": 19, "XX": 20}

# "14/3/2024", "14-03-2024", "14.3.2024", "14 / 3 / 2024"; the year is optional ("20/5").
# ``.rx``: the compiled pattern, called without the per-call time limit as before the grammar moved
# to data (a timed call costs a few µs more, and these run on every line).
NUMERIC_DATE = REGISTRY["numeric_date"].rx
# "06 tháng 4 năm 2021", "ngày tháng 3 năm 2024" (blank day), "tháng năm 2023" (blank month too)
WORDY_DATE = REGISTRY["wordy_date"].rx


def iso_date(year: int | None, month: int | None = None, day: int | None = None) -> str | None:
    """ISO 8601 at the given precision; ``None`` for impossible dates (31/2, year 20219).

    >>> iso_date(2024, 3), iso_date(2024, 2, 29), iso_date(2023, 2, 29), iso_date(2023)
    ('2024-03', '2024-02-29', None, '2023')
    """
    if year is None or not 1900 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def month_range(year: int, month: int) -> tuple[str, str]:
    last = calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"


def quarter_range(year: int, quarter: int) -> tuple[str, str]:
    first_month = 3 * (quarter - 1) + 1
    return month_range(year, first_month)[0], month_range(year, first_month + 2)[1]


def parse_numeric(s: str) -> tuple[int | None, int | None, int | None]:
    """Day, month, year of "14/3/2024" or "20/5" (year ``None``)."""
    m = NUMERIC_DATE.search(s)
    if not m:
        return None, None, None
    y = int(m["y"]) if m["y"] else None
    return int(m["d"]), int(m["m"]), y


def parse_any(s: str) -> tuple[int | None, int | None, int | None]:
    """Day, month, year of a numeric or worded date."""
    m = WORDY_DATE.search(s)
    if m:
        return (int(m["d"]) if m["d"] else None, int(m["m"]) if m["m"] else None, int(m["y"]))
    return parse_numeric(s)
