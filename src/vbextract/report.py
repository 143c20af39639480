"""An HTML report people can look at: what vbextract read, shown where it was read.

For each document: the header as read; the text with every extracted value highlighted in
place (header fields, recipients, legal bases, citations, tasks, lead and support units,
deadlines, signature, Nơi nhận), rendered by spaCy's displaCy (``style="span"``, manual data);
a task table (id, text, lead, support, deadline) whose cells link to their highlights; and the
warnings. ``vbextract report FILE… -o report.html`` writes it, ``POST /report`` of the service
answers it.

Every highlight is an anchor ``<a class="vb-hl" id="d0-s12" href="#d0-s12" data-label="LEAD_UNIT"
data-start="812" data-end="830" data-ref="task:1.2">`` whose ``data-start``/``data-end`` are
offsets into the document's ``text`` (also embedded in the page), so a script or a test can
check each highlight against the text; following a link (or opening ``report.html#d0-s12``)
marks the highlight and the task rows it belongs to.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .document import Document

LABELS = {  # label → colour (displaCy's ``colors`` option)
    "ISSUER_PARENT": "#c7d2fe", "ISSUER": "#a5b4fc", "NUMBER": "#fca5a5", "PLACE": "#fde68a", "DATE": "#fcd34d",
    "SUBJECT": "#bef264", "URGENCY": "#f87171", "RECIPIENT": "#99f6e4", "LEGAL_BASIS": "#e9d5ff",
    "CITATION": "#d8b4fe", "TASK": "#e5e7eb", "LEAD_UNIT": "#60a5fa", "SUPPORT_UNIT": "#93c5fd",
    "DEADLINE": "#fb923c", "AUTHORITY": "#fbcfe8", "POSITION": "#f9a8d4", "SIGNER": "#f472b6",
    "DISTRIBUTION": "#d1fae5",
}

_TOKEN = re.compile(r"\n+|[^\s]+")


@dataclass(frozen=True)
class Highlight:
    """One extracted value where it stands in ``Document.text``; ``ref`` names the value
    (``header:issuer``, ``task:1.2``, ``deadline:dl-…``, ``citation:56/2017/NĐ-CP`` …)."""

    label: str
    start: int
    end: int
    ref: str


def highlights(document: Document) -> list[Highlight]:
    """Every value of ``document`` that can be placed in its text, in text order, de-duplicated."""
    out: dict[tuple[str, int, int, str], Highlight] = {}
    for h in _highlights(document):
        if 0 <= h.start < h.end <= len(document.text):
            out.setdefault((h.label, h.start, h.end, h.ref), h)
    return sorted(out.values(), key=lambda h: (h.start, -h.end, h.label))


def _highlights(document: Document) -> Iterator[Highlight]:
    from .spacy_component import find_value, labelled_offsets

    own = {"TASK", "LEAD_UNIT", "SUPPORT_UNIT", "DEADLINE", "CITATION", "LEGAL_BASIS"}
    header_refs = {"ISSUER_PARENT": "header:issuer_parent", "ISSUER": "header:issuer", "NUMBER": "header:number",
                   "PLACE": "header:place", "DATE": "header:date", "SUBJECT": "header:subject",
                   "URGENCY": "header:urgency", "AUTHORITY": "signature:authority",
                   "POSITION": "signature:position", "SIGNER": "signature:signer"}
    n_recipient = n_distribution = 0
    for label, start, end in labelled_offsets(document):  # header, recipients, signature, Nơi nhận
        if label in own:
            continue
        if label == "RECIPIENT":
            ref, n_recipient = f"recipient:{n_recipient}", n_recipient + 1
        elif label == "DISTRIBUTION":
            ref, n_distribution = f"distribution:{n_distribution}", n_distribution + 1
        else:
            ref = header_refs.get(label, label.lower())
        yield Highlight(label, start, end, ref)
    for i, basis in enumerate(document.legal_bases):
        yield Highlight("LEGAL_BASIS", *basis.span, f"legal_basis:{i}")
    for citation in document.citations:
        for start, end in citation.mentions or [citation.span]:
            yield Highlight("CITATION", start, end, f"citation:{citation.ref}")
    for task in document.tasks:
        yield Highlight("TASK", *task.span, f"task:{task.id}")
        placed = set()
        for unit in task.units:
            label = "LEAD_UNIT" if unit.role == "lead" else "SUPPORT_UNIT"
            where = unit.span or find_value(document.text, unit.text, task.span)
            if where:
                placed.add((unit.role, unit.text))
                yield Highlight(label, *where, f"task:{task.id}")
        for role, names in (("lead", task.lead_units), ("support", task.support_units)):
            for name in names:
                if (role, name) in placed:
                    continue
                where = find_value(document.text, name, task.span)
                if where:
                    yield Highlight("LEAD_UNIT" if role == "lead" else "SUPPORT_UNIT", *where, f"task:{task.id}")
    for i, deadline in enumerate(document.deadlines):
        yield Highlight("DEADLINE", *deadline.span, f"deadline:{deadline.id or i}")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def displacy_data(document: Document, marks: list[Highlight], prefix: str) -> dict:
    """displaCy's manual ``span`` data: word tokens (newline runs kept as tokens, so that the
    page keeps the document's lines) and one span per highlight, its id in ``kb_id``."""
    import bisect

    tokens = _tokens(document.text)
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    spans = []
    for k, h in enumerate(marks):
        first = bisect.bisect_right(ends, h.start)  # first token ending after the start
        last = bisect.bisect_left(starts, h.end)  # first token starting at or after the end
        while first < last and tokens[first][2].startswith("\n"):
            first += 1
        while last > first and tokens[last - 1][2].startswith("\n"):
            last -= 1
        if first >= last:
            continue
        spans.append({"start_token": first, "end_token": last, "label": h.label,
                      "kb_id": f"{prefix}-s{k}", "kb_url": f"#{prefix}-s{k}"})
    return {"text": document.text, "tokens": [t[2] for t in tokens], "spans": spans}


# Templates for displaCy (its ``template`` option): no whitespace of their own, because the page
# keeps the text's line breaks (``white-space: pre-line``).
_TPL_SPAN = '<span class="vb-tok" style="height: {total_height}px">{text}{span_slices}{span_starts}</span> '
_TPL_SLICE = '<span class="vb-sl" style="background: {bg}; top: {top_offset}px"></span>'
_TPL_START = ('<span class="vb-st" style="background: {bg}; top: {top_offset}px"><span class="vb-lab" '
              'style="background: {bg}">{kb_link}</span></span>')
_KB_LINK = re.compile(r'<a style="[^"]*" href="#(?P<id>d\d+-s\d+)">(?P=id)</a>')


def _chunks(data: dict) -> list[dict]:
    """The manual data cut at line breaks that no span crosses: displaCy looks at every span for
    every token, so a long document with many values costs tokens × spans; in pieces it costs
    the sum over the pieces (the page is the same: each piece ends at a line break)."""
    tokens, spans = data["tokens"], sorted(data["spans"], key=lambda x: x["start_token"])
    cuts, covered_to, j = [], 0, 0
    for i, tok in enumerate(tokens):
        while j < len(spans) and spans[j]["start_token"] <= i:
            covered_to = max(covered_to, spans[j]["end_token"])
            j += 1
        if tok.startswith("\n") and i >= covered_to:
            cuts.append(i + 1)  # the newline ends the piece
    out, start, k = [], 0, 0
    for end in [*cuts, len(tokens)]:
        if end <= start:
            continue
        mine = []
        while k < len(spans) and spans[k]["start_token"] < end:
            sp = dict(spans[k])
            sp["start_token"] -= start
            sp["end_token"] -= start
            mine.append(sp)
            k += 1
        piece = tokens[start:end]
        if end < len(tokens) and piece[-1].startswith("\n"):  # the piece's own end is one line break
            piece = piece[:-1] + ([piece[-1][1:]] if len(piece[-1]) > 1 else [])
        out.append({"tokens": piece, "spans": mine})
        start = end
    return out


def render_text(document: Document, marks: list[Highlight], prefix: str) -> str:
    """The text with ``marks`` highlighted, as displaCy renders it, each span's label made an
    anchor carrying the span (``data-start``, ``data-end``, ``data-label``, ``data-ref``)."""
    from spacy import displacy

    data = displacy_data(document, marks, prefix)
    markup = displacy.render(_chunks(data), style="span", manual=True, options={
        "colors": LABELS, "top_offset": 30, "span_label_offset": 14, "top_offset_step": 9,
        "template": {"span": _TPL_SPAN, "slice": _TPL_SLICE, "start": _TPL_START}})
    by_id = {f"{prefix}-s{k}": h for k, h in enumerate(marks)}

    def anchor(m: re.Match) -> str:
        h = by_id[m.group("id")]
        return (f'<a class="vb-hl" id="{m.group("id")}" href="#{m.group("id")}" data-label="{h.label}" '
                f'data-start="{h.start}" data-end="{h.end}" data-ref="{html.escape(h.ref)}">{h.label}</a>')

    out, n = _KB_LINK.subn(anchor, str(markup))
    if n != len(data["spans"]):  # displaCy's link markup changed: the highlights would lose their spans
        raise RuntimeError(f"{n} of {len(data['spans'])} displaCy span labels carry their span; "
                           "this spaCy version renders kb links differently")
    return out


def _links(marks: list[Highlight], prefix: str, ref: str, label: str) -> dict[tuple[int, int], str]:
    return {(h.start, h.end): f"{prefix}-s{k}" for k, h in enumerate(marks) if h.ref == ref and h.label == label}


def _cell_values(values: Iterable[tuple[str, str | None]]) -> str:
    parts = []
    for text, target in values:
        t = html.escape(text)
        parts.append(f'<a href="#{target}">{t}</a>' if target else t)
    return "; ".join(parts)


def _task_table(document: Document, marks: list[Highlight], prefix: str) -> str:
    from .spacy_component import find_value

    if not document.tasks:
        return "<p class=\"vb-none\">No tasks.</p>"
    deadline_marks = {h.ref: f"{prefix}-s{k}" for k, h in enumerate(marks) if h.label == "DEADLINE"}
    rows = []
    for task in document.tasks:
        ref = f"task:{task.id}"
        task_target = next(iter(_links(marks, prefix, ref, "TASK").values()), None)
        cells = {}
        for role, label, names in (("lead", "LEAD_UNIT", task.lead_units), ("support", "SUPPORT_UNIT", task.support_units)):
            targets = _links(marks, prefix, ref, label)
            values = []
            for name in names:
                unit = next((u for u in task.units if u.role == role and u.text == name and u.span), None)
                where = unit.span if unit and unit.span else find_value(document.text, name, task.span)
                values.append((name, targets.get(where) if where else None))
            cells[role] = _cell_values(values)
        dl_values = []
        for i in _task_deadlines(document, task):
            d = document.deadlines[i]
            shown = d.date or (f"{d.start}…{d.end}" if d.start or d.end else d.text)
            dl_values.append((f"{shown} ({d.kind})", deadline_marks.get(f"deadline:{d.id or i}")))
        text = task.text if len(task.text) <= 300 else task.text[:297] + "…"
        label = html.escape(task.label or task.id)
        id_cell = f'<a href="#{task_target}">{label}</a>' if task_target else label
        rows.append(f'<tr class="vb-task" id="{prefix}-task-{html.escape(task.id)}" data-task="{html.escape(task.id)}" '
                    f'data-span="{task_target or ""}"><td>{id_cell}</td><td>{html.escape(text)}</td>'
                    f'<td>{cells["lead"]}</td><td>{cells["support"]}</td><td>{_cell_values(dl_values)}</td></tr>')
    return ('<table class="vb-tasks"><thead><tr><th>Task</th><th>Text</th><th>Lead (chủ trì)</th>'
            '<th>Support (phối hợp)</th><th>Deadline</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _task_deadlines(document: Document, task) -> list[int]:
    """Indexes into ``document.deadlines`` of a task's deadlines (by ``deadline_refs`` when the
    deadlines have ids, else by ``deadline_ids``)."""
    index = {d.id: i for i, d in enumerate(document.deadlines) if d.id}
    if task.deadline_refs and all(r in index for r in task.deadline_refs):
        return [index[r] for r in task.deadline_refs]
    return [i for i in task.deadline_ids if 0 <= i < len(document.deadlines)]


def _deadline_table(document: Document, marks: list[Highlight], prefix: str) -> str:
    if not document.deadlines:
        return '<p class="vb-none">No deadlines.</p>'
    targets = {h.ref: f"{prefix}-s{k}" for k, h in enumerate(marks) if h.label == "DEADLINE"}
    rows = []
    for i, d in enumerate(document.deadlines):
        target = targets.get(f"deadline:{d.id or i}")
        words = html.escape(d.text)
        task = (f'<a href="#{prefix}-task-{html.escape(d.task_id)}">{html.escape(d.task_id)}</a>' if d.task_id
                else "<i>the document</i>")
        rows.append(f'<tr class="vb-deadline" data-deadline="{html.escape(d.id)}"><td>'
                    + (f'<a href="#{target}">{words}</a>' if target else words)
                    + f"</td><td>{d.kind}</td><td>{html.escape(d.date or '')}</td>"
                    f"<td>{html.escape(' … '.join(x for x in (d.start, d.end) if x))}</td><td>{task}</td></tr>")
    return ('<table class="vb-deadlines"><thead><tr><th>Deadline</th><th>Kind</th><th>Date</th><th>Range</th>'
            '<th>Task</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def _header_table(document: Document) -> str:
    h = document.header
    number = "/".join(x for x in (h.number, str(h.year) if h.year else None, h.symbol) if x)
    rows = [("Issuer", h.issuer), ("Governing body", h.issuer_parent), ("Number", number or None),
            ("Type", h.doc_type), ("Place", h.place), ("Date", h.date), ("Subject", h.subject),
            ("Urgency", h.urgency), ("Recipients", "; ".join(document.recipients) or None),
            ("Signer", " — ".join(x for x in ((document.signature.position if document.signature else None),
                                              (document.signature.signer if document.signature else None)) if x)
             or None)]
    body = "".join(f"<tr><th>{k}</th><td>{html.escape(v) if v else '<i>not found</i>'}</td></tr>" for k, v in rows)
    return f'<table class="vb-header">{body}</table>'


def render_document(document: Document, title: str, index: int = 0) -> str:
    """One document's section of the report."""
    prefix = f"d{index}"
    marks = highlights(document)
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in document.warnings) or "<li>none</li>"
    counts: dict[str, int] = {}
    for m in marks:
        counts[m.label] = counts.get(m.label, 0) + 1
    legend = " ".join(f'<span class="vb-key" style="background:{LABELS.get(k, "#ddd")}">{k} {n}</span>'
                      for k, n in sorted(counts.items()))
    text_json = json.dumps(document.text, ensure_ascii=False).replace("</", "<\\/")
    return (f'<section class="vb-doc" id="{prefix}" data-tasks="{len(document.tasks)}" data-highlights="{len(marks)}">'
            f"<h2>{html.escape(title)}</h2>{_header_table(document)}"
            f'<h3>Tasks ({len(document.tasks)})</h3>{_task_table(document, marks, prefix)}'
            f'<h3>Deadlines ({len(document.deadlines)})</h3>{_deadline_table(document, marks, prefix)}'
            f'<h3>Warnings ({len(document.warnings)})</h3><ul class="vb-warnings">{warnings}</ul>'
            f'<h3>Text ({len(marks)} highlights)</h3><p class="vb-legend">{legend}</p>'
            f'<div class="vb-text">{render_text(document, marks, prefix)}</div>'
            f'<script type="application/json" class="vb-source" data-doc="{prefix}">{text_json}</script></section>')


_CSS = """
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 1.5em; color: #111; }
.vb-text { white-space: pre-line; border: 1px solid #ddd; padding: 1em; max-width: 60em; }
.vb-text .spans { line-height: 2.2 !important; }
.vb-tok { font-weight: bold; display: inline-block; position: relative; white-space: normal; }
.vb-sl, .vb-st { height: 4px; left: -1px; width: calc(100% + 2px); position: absolute; }
.vb-st { border-top-left-radius: 3px; border-bottom-left-radius: 3px; }
.vb-lab { z-index: 10; color: #000; top: -0.5em; padding: 2px 3px; position: absolute; font-size: 0.6em;
          font-weight: bold; line-height: 1; border-radius: 3px; white-space: nowrap; }
table { border-collapse: collapse; margin: 0.5em 0; }
td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; font-size: 0.9em; }
.vb-header th { background: #f3f4f6; width: 9em; }
.vb-tasks td:nth-child(2) { max-width: 40em; }
a.vb-hl { color: #000; text-decoration: none; }
a.vb-hl.vb-active, a.vb-hl:target { outline: 2px solid #dc2626; background: #fee2e2; }
tr.vb-active { background: #fef3c7; }
.vb-key { padding: 1px 4px; border-radius: 3px; font-size: 0.8em; margin-right: 3px; }
.vb-failed { color: #b91c1c; }
"""

# Marks the highlight named by the URL's #fragment (a followed link) and the task rows it
# belongs to; gives each highlight the words it covers as its title (from the embedded text).
_JS = """
(function () {
  function source(docId) {
    var el = document.querySelector('script.vb-source[data-doc="' + docId + '"]');
    return el ? JSON.parse(el.textContent) : "";
  }
  var texts = {};
  document.querySelectorAll("a.vb-hl").forEach(function (a) {
    var doc = a.id.split("-")[0];
    if (!(doc in texts)) texts[doc] = source(doc);
    var words = texts[doc].slice(+a.dataset.start, +a.dataset.end);
    a.dataset.text = words;
    a.title = a.dataset.label + ": " + words;
  });
  document.querySelectorAll("tr.vb-task").forEach(function (tr) {
    tr.dataset.linked = tr.dataset.span && document.getElementById(tr.dataset.span) ? "yes" : "no";
  });
  function mark() {
    document.querySelectorAll(".vb-active").forEach(function (e) { e.classList.remove("vb-active"); });
    var id = decodeURIComponent(location.hash.slice(1));
    var a = id && document.getElementById(id);
    if (!a || !a.classList.contains("vb-hl")) return;
    a.classList.add("vb-active");
    var ref = a.dataset.ref || "";
    if (ref.indexOf("task:") === 0) {
      var section = a.closest("section");
      section.querySelectorAll('tr.vb-task[data-task="' + ref.slice(5) + '"]').forEach(function (tr) {
        tr.classList.add("vb-active");
      });
    }
  }
  window.addEventListener("hashchange", mark);
  mark();
  document.body.dataset.ready = "yes";
})();
"""


def render_report(documents: Iterable[tuple[str, Document]], *, failed: Iterable[tuple[str, str]] = (),
                  title: str = "vbextract report") -> str:
    """A complete HTML page: one section per ``(title, Document)``, and the inputs that failed."""
    from ._meta import __version__

    documents, failed = list(documents), list(failed)
    sections = [render_document(doc, name, i) for i, (name, doc) in enumerate(documents)]
    failures = "".join(f"<li><b>{html.escape(n)}</b>: {html.escape(m)}</li>" for n, m in failed)
    toc = "".join(f'<li><a href="#d{i}">{html.escape(n)}</a></li>' for i, (n, _) in enumerate(documents))
    return ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>vbextract {__version__}: {len(sections)} documents"
            f"{', ' + str(len(failed)) + ' failed' if failed else ''}.</p>"
            + (f"<ul>{toc}</ul>" if len(sections) > 1 else "")
            + (f'<h2 class="vb-failed">Not parsed</h2><ul class="vb-failed">{failures}</ul>' if failures else "")
            + "".join(sections) + f"<script>{_JS}</script></body></html>\n")

