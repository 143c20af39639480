"""Rules-only against hybrid, per field, on clean and messy inputs; writes benchmarks/results/ml.md.

usage: python benchmarks/bench_ml.py [--shared ../shared] [--out benchmarks/results/ml.md] [--repeat 5]

(a) the corpus test split (gold fields derived from the record spans, see vbextract.ml.fields);
(b) the shared seeds, clean and degraded (lost line breaks, interleaved header columns, OCR noise),
    scored against shared/gold with the project scorer (vbextract.evaluate);
(c) the shared-corpus files annotated as standoff in corpus/shared.jsonl;
plus the speed of both modes on the seeds in the same run (one process, one core).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from vbextract.evaluate import Scores, norm, score_document  # noqa: E402
from vbextract.ml import classify_lines, model_info  # noqa: E402
from vbextract.ml.annotate import heuristic_labels  # noqa: E402
from vbextract.ml.corpus import load_split, read_jsonl, resolve_standoff  # noqa: E402
from vbextract.ml.degrade import VARIANTS, degrade  # noqa: E402
from vbextract.ml.fields import gold_fields  # noqa: E402
from vbextract.normalize import normalize_text  # noqa: E402
from vbextract.pipeline import parse, parse_text  # noqa: E402

FIELD_ROWS = ["header.issuer", "header.issuer_parent", "header.subject", "signature.authority",
              "signature.position", "signature.signer", "units.lead (any task)", "zones (line accuracy)"]
SEED_ROWS = ["kind", "header.issuer", "header.number", "header.symbol", "header.doc_type", "header.place",
             "header.date", "header.subject", "recipients", "legal_bases", "citations", "tasks",
             "tasks.lead_units", "tasks.support_units", "deadlines", "signature.authority",
             "signature.position", "signature.signer", "distribution", "HEADLINE"]


# ------------------------------------------------------------------ scoring of span-annotated records
def score_record(rec: dict, pred: dict, s: Scores) -> None:
    gold = gold_fields(rec)
    gh, ph = gold["header"], pred.get("header") or {}
    for name in ("issuer", "issuer_parent", "subject"):
        if name in gh:
            s.check(f"header.{name}", norm(gh[name]) == norm(ph.get(name)))
    gs, ps = gold["signature"], pred.get("signature") or {}
    if gs:
        for name in ("authority", "position", "signer"):
            if name in gs:
                s.check(f"signature.{name}", norm(gs.get(name)) == norm(ps.get(name)))
    pred_units = [norm(u) for t in pred.get("tasks") or [] for u in t.get("lead_units") or []]
    s.bag("units.lead (any task)", {norm(u) for u in gold["units"]}, set(pred_units))


def zone_accuracy(rec: dict, s_rules: Scores, s_ml: Scores) -> None:
    from vbextract.ml.train import physical_lines

    if "lost_breaks" in rec.get("noise", []):
        return
    lines, labels = physical_lines(rec)
    for name, pred in (("rules", heuristic_labels(lines)), ("ml", [lab for lab, _ in classify_lines(lines)])):
        target = s_rules if name == "rules" else s_ml
        for p, g in zip(pred, labels):
            target.check("zones (line accuracy)", p == g)


def run_records(records: list[dict], parse_one) -> tuple[Scores, Scores]:
    rules, hybrid = Scores(), Scores()
    for rec in records:
        score_record(rec, json.loads(parse_one(rec, False).model_dump_json()), rules)
        score_record(rec, json.loads(parse_one(rec, True).model_dump_json()), hybrid)
        zone_accuracy(rec, rules, hybrid)
    return rules, hybrid


# ------------------------------------------------------------------ (b) seeds
def seed_texts(shared: Path) -> dict[str, str]:
    return {p.stem: normalize_text(p.read_text(encoding="utf-8"))[0] for p in sorted((shared / "seeds").glob("*.txt"))}


def run_seeds(shared: Path) -> dict[str, tuple[Scores, Scores]]:
    golds = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((shared / "gold").glob("*.json"))}
    texts = seed_texts(shared)
    out = {}
    for variant in ("clean",) + VARIANTS:
        rules, hybrid = Scores(), Scores()
        for i, (stem, text) in enumerate(texts.items()):
            if stem not in golds:
                continue
            src = text if variant == "clean" else degrade(text, variant, seed=i)
            score_document(golds[stem], json.loads(parse_text(src, use_ml=False).model_dump_json()), rules)
            score_document(golds[stem], json.loads(parse_text(src, use_ml=True).model_dump_json()), hybrid)
        out[variant] = (rules, hybrid)
    return out


def speed(shared: Path, repeat: int) -> dict[str, float]:
    texts = list(seed_texts(shared).values())
    parse_text(texts[0], use_ml=True)  # load the models once, outside the timing
    out = {}
    for mode, use_ml in (("rules-only", False), ("hybrid", True)):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for t in texts:
                parse_text(t, use_ml=use_ml)
        out[mode] = repeat * len(texts) / (time.perf_counter() - t0)
    flat = [degrade(t, "lost_breaks") for t in texts]
    for mode, use_ml in (("rules-only (lost line breaks)", False), ("hybrid (lost line breaks)", True)):
        t0 = time.perf_counter()
        for _ in range(repeat):
            for t in flat:
                parse_text(t, use_ml=use_ml)
        out[mode] = repeat * len(flat) / (time.perf_counter() - t0)
    return out


# ------------------------------------------------------------------ report
def _f1(s: Scores, row: str) -> str:
    if row == "HEADLINE":
        return f"{s.headline():.3f}"
    c = s.counts.get(row)
    return f"{c.row()['f1']:.3f}" if c else "–"


def _support(s: Scores, row: str) -> str:
    c = s.counts.get(row)
    return str(c.gold) if c else ""


def table(columns: list[tuple[str, Scores, Scores]], rows: list[str]) -> str:
    head = "| field | " + " | ".join(f"{n} rules | {n} hybrid" for n, _, _ in columns) + " |"
    sep = "|---|" + "---:|---:|" * len(columns)
    body = []
    for row in rows:
        cells = []
        for _, r, h in columns:
            a, b = _f1(r, row), _f1(h, row)
            mark = "**" if a != "–" and b != "–" and float(b) > float(a) else ""
            cells += [a, f"{mark}{b}{mark}"]
        sup = "/".join(_support(r, row) for _, r, _ in columns)
        body.append(f"| {row}" + (f" (n={sup})" if sup.strip("/") else "") + " | " + " | ".join(cells) + " |")
    return "\n".join([head, sep, *body])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ml.md")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    test = load_split("test")
    synthetic = [r for r in test if r["source"] == "synthetic"]
    clean = [r for r in synthetic if not r.get("noise")]
    messy = [r for r in synthetic if r.get("noise")]
    a_clean = run_records(clean, lambda r, ml: parse_text(r["text"], use_ml=ml))
    a_messy = run_records(messy, lambda r, ml: parse_text(r["text"], use_ml=ml))

    seeds = run_seeds(args.shared)

    shared_recs = [x for x in (resolve_standoff(r, args.shared / "corpus") for r in read_jsonl(ROOT / "corpus" / "shared.jsonl")) if x]
    c = run_records(shared_recs, lambda r, ml: parse(args.shared / "corpus" / r["path"], use_ml=ml))

    sp = speed(args.shared, args.repeat)
    info = model_info()
    md = [
        "# Statistical components: rules-only vs hybrid",
        "",
        f"Generated by `python benchmarks/bench_ml.py` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"Python {platform.python_version()}, {platform.machine()}, one process. F1 per field; **bold** = hybrid better. "
        "`n=` is gold support per column pair.",
        "",
        f"## (a) corpus test split ({len(clean)} clean + {len(messy)} noisy synthetic documents)",
        "",
        "Gold fields come from the record spans (`vbextract.ml.fields`); `zones` compares the cue labeller "
        "(rules) with the zone model per physical line.",
        "",
        table([("clean", *a_clean), ("noisy", *a_messy)], FIELD_ROWS),
        "",
        "## (b) shared seeds against shared/gold: clean and degraded",
        "",
        "Degradations are deterministic (`vbextract.ml.degrade`): `lost_breaks` flows each seed onto one line, "
        "`interleaved` alternates the header columns and prints the first pair on one line, `ocr` swaps 3 % of "
        "confusable letters.",
        "",
        table([(v, *seeds[v]) for v in seeds], SEED_ROWS),
        "",
        f"## (c) annotated shared-corpus files ({len(shared_recs)} documents, standoff in corpus/shared.jsonl)",
        "",
        table([("shared", *c)], FIELD_ROWS),
        "",
        "## Speed (same run, 5 seeds × repeat, after one warm-up parse)",
        "",
        "| mode | documents/s |",
        "|---|---:|",
        *[f"| {k} | {v:.1f} |" for k, v in sp.items()],
        "",
        "## Models",
        "",
        "| model | type | size | train s | dev | test |",
        "|---|---|---:|---:|---|---|",
        *[f"| {n} | {m['type']} | {m['size_bytes'] // 1024} KB | {m['train_seconds']} | "
          f"{_brief(m['scores']['dev'])} | {_brief(m['scores']['test'])} |" for n, m in info.items() if m],
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0


def _brief(s: dict) -> str:
    if "accuracy" in s:
        return f"acc {s['accuracy']:.3f}, macro-F1 {s['macro_f1']:.3f}"
    extra = "".join(f", {k} {s[k]['f1']:.3f}" for k in ("ORG", "PER") if k in s)
    return f"P {s['p']:.3f} R {s['r']:.3f} F1 {s['f1']:.3f}{extra}"


if __name__ == "__main__":
    sys.exit(main())
