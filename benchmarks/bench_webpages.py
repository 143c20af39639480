"""Saved web pages against the same document's text obtained another way (issue 10, class 9).

For each vbpl.vn page saved whole (``../shared/corpus/vbpl-html/``) the page is parsed as HTML, and
the text of its content root, extracted independently with lxml (a block-per-line dump written for
this benchmark), is parsed as plain text; for each thuvienphapluat.vn page converted to Markdown
(``tvpl-md/``) the page is parsed as Markdown and its text with the Markdown residue removed is
parsed as plain text. Reported: how often the header fields (doc_type, number, date, issuer,
subject, signer) agree between the two parses, and, where the page carries it, agreement with the
site's own metadata (vbpl.vn's attribute box: Số hiệu, Loại văn bản, Ngày ban hành / ký xác thực,
Cơ quan ban hành, Người ký; for tvpl-md only the manifest's ``number_symbol_guess`` hint).

Only aggregate numbers and failing-class counts are written (never the pages' text):

    python benchmarks/bench_webpages.py [--ml] [--out benchmarks/results/webpages.md]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / ".." / "shared" / "corpus"
FIELDS = ("doc_type", "number", "date", "issuer", "subject", "signer")

_BLOCK = {"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
          "section", "article", "header", "footer", "main", "td", "th", "blockquote", "pre", "hr"}
_ROOT_XPATH = ("//*[@data-vbpl-content-root]", "//*[@id='toanvancontent']", "//*[contains(@class,'content1')]",
               "//*[@id='divContentDoc']", "//*[contains(@class,'fulltext')]")
_VBPL_LABELS = ("Số hiệu", "Loại văn bản", "Ngày ban hành", "Ngày ký xác thực", "Cơ quan ban hành", "Người ký")


# ------------------------------------------------------------------ the other way to the text
def lxml_text(data: bytes) -> tuple[str, dict[str, str]]:
    """The content root's text, one block per line, and the site's attribute box."""
    import lxml.html

    tree = lxml.html.fromstring(data)
    for bad in tree.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    meta = _vbpl_meta(tree)
    root = next((found[0] for xp in _ROOT_XPATH if (found := tree.xpath(xp))), tree)
    out: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK
        if block:
            out.append("\n")
        if el.text and tag:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    walk(root)
    text = "".join(out).replace("\xa0", " ")
    lines = [" ".join(ln.split()) for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln), meta


def _vbpl_meta(tree) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in tree.iter():
        if not isinstance(el.tag, str) or len(el):
            continue
        label = (el.text or "").strip()
        if label in _VBPL_LABELS and label not in meta:
            nxt = el.getnext()
            value = " ".join(nxt.text_content().split()) if nxt is not None else ""
            if value.strip("-– "):  # "--": the site has no value
                meta[label] = value
    return meta


def markdown_text(md: str) -> str:
    """The Markdown page with its residue removed: emphasis marks, table bars and rules, headings."""
    out = []
    for line in md.splitlines():
        line = re.sub(r"\*+|_{2,}", "", line)
        line = re.sub(r"^\s*#+\s*", "", line)
        if re.fullmatch(r"[\s|:\-]*", line):
            out.append("")
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        out.extend(c for c in cells if c)
    return "\n".join(out)


# ------------------------------------------------------------------ comparing
def norm(value) -> str | None:
    if value is None:
        return None
    s = unicodedata.normalize("NFC", str(value)).casefold()
    s = re.sub(r"[\s\-–—_.,:;/()\"'“”]+", "", s)
    return s or None


def fields_of(doc) -> dict[str, str | None]:
    h = doc.header
    return {
        "doc_type": h.doc_type,
        "number": h.ref,
        "date": h.date,
        "issuer": h.issuer,
        "subject": h.subject,
        "signer": doc.signature.signer if doc.signature else None,
    }


def _date_iso(s: str) -> str | None:
    m = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    return f"{m[3]}-{int(m[2]):02d}-{int(m[1]):02d}" if m else None


def meta_targets(meta: dict[str, str]) -> dict[str, str | None]:
    from vbextract.grammars.types import canonical_type

    date = meta.get("Ngày ban hành") or meta.get("Ngày ký xác thực")
    kind = meta.get("Loại văn bản")
    return {
        "doc_type": (canonical_type(kind) or kind) if kind else None,
        "number": meta.get("Số hiệu"),
        "date": _date_iso(date) if date else None,
        "issuer": meta.get("Cơ quan ban hành"),
        "signer": meta.get("Người ký"),
    }


class Tally:
    def __init__(self, left: str = "page", right: str = "other way") -> None:
        self.left, self.right = left, right
        self.agree: Counter[str] = Counter()
        self.total: Counter[str] = Counter()
        self.classes: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}

    def add(self, field: str, a, b) -> None:
        na, nb = norm(a), norm(b)
        self.total[field] += 1
        if na == nb:
            self.agree[field] += 1
        elif na is None:
            self.classes[field][f"{self.left} empty, {self.right} has it"] += 1
        elif nb is None:
            self.classes[field][f"{self.right} empty, {self.left} has it"] += 1
        elif na in nb or nb in na:
            self.classes[field]["one contains the other"] += 1
        else:
            self.classes[field]["different values"] += 1

    def rate(self, field: str) -> float | None:
        return self.agree[field] / self.total[field] if self.total[field] else None

    def rows(self, fields=FIELDS) -> list[str]:
        rows = []
        for f in fields:
            r = self.rate(f)
            if r is None:
                continue
            cls = ", ".join(f"{k} {v}" for k, v in self.classes[f].most_common()) or "—"
            rows.append(f"| {f} | {r:.3f} | {self.agree[f]}/{self.total[f]} | {cls} |")
        return rows

    def mean(self, fields=FIELDS) -> float:
        rates = [r for f in fields if (r := self.rate(f)) is not None]
        return sum(rates) / len(rates) if rates else 0.0


def present(tally: Tally, docs: list, field: str) -> int:
    return sum(1 for d in docs if fields_of(d)[field])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ml", action="store_true", help="hybrid (rules + statistical models); default rules only")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "webpages.md")
    args = ap.parse_args(argv)
    if not (CORPUS / "vbpl-html").is_dir():
        print("shared corpus not available", file=sys.stderr)
        return 0
    from vbextract import parse

    t0 = time.perf_counter()
    manifest = {}
    if (CORPUS / "MANIFEST.jsonl").exists():
        for line in (CORPUS / "MANIFEST.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            manifest[row["path"]] = row

    vb_pair = Tally()
    vb_meta, vb_meta_text = Tally("page parse", "site"), Tally("text parse", "site")
    vb_pages: list = []
    vb_kinds: Counter[str] = Counter()
    n_meta = box_same = 0
    for path in sorted((CORPUS / "vbpl-html").glob("*.html")):
        data = path.read_bytes()
        page = parse(data, name=path.name, use_ml=args.ml)
        text, meta = lxml_text(data)
        other = parse(text.encode("utf-8"), name=path.stem + ".txt", use_ml=args.ml)
        vb_pages.append(page)
        vb_kinds[page.kind] += 1
        a, b = fields_of(page), fields_of(other)
        for f in FIELDS:
            vb_pair.add(f, a[f], b[f])
        if meta:
            n_meta += 1
            want_box = dict(meta)
            got_box = {k: page.source.site_metadata.get(k) for k in want_box}
            box_same += got_box == want_box
            for f, want in meta_targets(meta).items():
                if want is not None:
                    vb_meta.add(f, a[f], want)
                    vb_meta_text.add(f, b[f], want)

    md_pair, md_hint = Tally(), Tally("page parse", "hint")
    md_pages: list = []
    for path in sorted((CORPUS / "tvpl-md").glob("*.md")):
        raw = path.read_text(encoding="utf-8")
        page = parse(raw.encode("utf-8"), name=path.name, use_ml=args.ml)
        other = parse(markdown_text(raw).encode("utf-8"), name=path.stem + ".txt", use_ml=args.ml)
        md_pages.append(page)
        a, b = fields_of(page), fields_of(other)
        for f in FIELDS:
            md_pair.add(f, a[f], b[f])
        hint = manifest.get(f"tvpl-md/{path.name}", {}).get("number_symbol_guess")
        if hint and not hint.startswith("/"):
            md_hint.add("number", a["number"], hint)
    secs = time.perf_counter() - t0

    mode = "hybrid (rules + models)" if args.ml else "rules only"
    lines = [
        "# Saved web pages against their text obtained another way",
        "",
        f"`python benchmarks/bench_webpages.py{' --ml' if args.ml else ''}` ({mode}), {secs:.0f} s. Pages read "
        "from `../shared/corpus` at run time; only counts are written here.",
        "",
        f"## vbpl.vn pages saved whole ({len(vb_pages)}): page vs the content root's text (lxml dump)",
        "",
        f"Agreement between the two parses, mean over the six fields **{vb_pair.mean():.3f}** "
        f"(target: within 0.02, i.e. ≥ 0.98). `kind` of the pages: "
        + ", ".join(f"{k} {v}" for k, v in vb_kinds.most_common()) + ".",
        "",
        "| field | agreement | n | disagreements by class |",
        "|---|---:|---:|---|",
        *vb_pair.rows(),
        "",
        "Field present on the page parse: " + ", ".join(f"{f} {present(vb_pair, vb_pages, f)}" for f in FIELDS) + ".",
        "",
        f"### Against the site's attribute box ({n_meta} pages carry one)",
        "",
        f"The HTML reader hands the box over as `source.site_metadata`: the same labels and values as the "
        f"lxml reading on {box_same} of {n_meta} pages.",
        "",
        f"Page parse, mean {vb_meta.mean(('doc_type', 'number', 'date', 'issuer', 'signer')):.3f}:",
        "",
        "| field | agreement | n | disagreements by class |",
        "|---|---:|---:|---|",
        *vb_meta.rows(("doc_type", "number", "date", "issuer", "signer")),
        "",
        f"Content-root text parse, mean {vb_meta_text.mean(('doc_type', 'number', 'date', 'issuer', 'signer')):.3f}:",
        "",
        "| field | agreement | n | disagreements by class |",
        "|---|---:|---:|---|",
        *vb_meta_text.rows(("doc_type", "number", "date", "issuer", "signer")),
        "",
        f"## thuvienphapluat.vn pages as Markdown ({len(md_pages)}): page vs the text without Markdown residue",
        "",
        f"Mean over the six fields **{md_pair.mean():.3f}**. The site's attribute block was cut from these "
        "pages (no Số hiệu / Loại văn bản / Ngày ban hành to check against); the manifest's "
        "`number_symbol_guess` (first `Số:` found by a regex, a hint, not gold) is the only target.",
        "",
        "| field | agreement | n | disagreements by class |",
        "|---|---:|---:|---|",
        *md_pair.rows(),
        *[r.replace("| number |", "| number vs manifest hint |", 1) for r in md_hint.rows(("number",))],
        "",
        "Field present on the page parse: " + ", ".join(f"{f} {present(md_pair, md_pages, f)}" for f in FIELDS) + ".",
        "",
    ]
    report = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
