"""Kính gửi: the addressees, on the same line or as a dashed list."""

from __future__ import annotations

import regex

from ..doc import Doc
from ..grammars.blocks import KINH_GUI_F
from ..normalize import clean_value

_DASH = regex.compile(r"^[-–•+]\s*")


def extract_recipients(doc: Doc) -> None:
    if not doc.zones.recipients:
        return
    start, end = doc.zones.recipients
    first = True
    items: list[str] = []
    for ln in doc.lines_in(start, end + 1):
        s = ln.stripped
        if first:
            first = False
            m = KINH_GUI_F.match(doc.folded[ln.start : ln.end])
            s = ln.text[m.end() :].strip() if m else s
        if not s:
            continue
        if _DASH.match(s):
            items.append(_DASH.sub("", s))
        elif items and not s.endswith(":"):
            items[-1] += " " + s
        else:
            items.append(s)
    # one addressee line may still list several bodies separated by ";"
    out: list[str] = []
    for item in items:
        for part in item.split(";") if item.count(";") > 1 or (";" in item and len(items) == 1) else [item]:
            v = clean_value(part)
            if v:
                out.append(v)
    doc.recipients = out
