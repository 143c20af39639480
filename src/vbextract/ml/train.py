"""Training and scoring of the shipped models from ``corpus/`` (``vbextract train``).

Three linear-chain CRFs (``underthesea_core``'s Rust trainer, L-BFGS, fixed iterations): they train
in seconds on two cores, the files are a few hundred KB and tagging costs microseconds per token,
which is what the ≥ 50 documents/s budget of the hybrid needs (a spaCy ``ner`` measured ~12,700
words/s, so a 5,000-word document would spend 0.4 s in it alone).

* ``linebreak`` — one label per token of the text with its line breaks removed: ``B`` when a
  line starts at the token, else ``O``.
* ``zones`` — one label per line (``corpus/GUIDELINES.md``), a sequence per document.
* ``entities`` — BIO tags for ``ORG`` and ``PER`` per token, a sequence per line.

Training is deterministic: the corpus order is fixed, the only randomness (which newlines stay in
the line-break data) comes from ``random.Random(seed)``, and L-BFGS has no random state.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

from .corpus import corpus_hash, load_real_training, load_split
from .features import COMPONENT_FEATURES, line_features, token_features, tokenize

COMPONENTS = ("linebreak", "zones", "entities")
ITERATIONS = {"linebreak": 60, "zones": 80, "entities": 80}
L2 = {"linebreak": 0.05, "zones": 0.05, "entities": 0.02}
L1 = 0.2
# Features seen fewer times than this in training are dropped: the model file shrinks ~4x
# (the feature-string table dominates it) at no cost on dev.
MIN_FEATURE_COUNT = 3
WINDOW = 250  # tokens per line-break training sequence


def models_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "models"


# ------------------------------------------------------------------ examples from records
def linebreak_examples(rec: dict, rng: random.Random | None = None, keep_newlines: float = 0.0):
    """(features, labels) windows of the record's text with its line breaks flattened to spaces."""
    text = rec["text"]
    starts = {ln["start"] for ln in rec["lines"]}
    chars = list(text)
    for i, c in enumerate(chars):
        if c == "\n" and not (rng and rng.random() < keep_newlines and (i + 1) in starts):
            chars[i] = " "
    flat = "".join(chars)
    spans = tokenize(flat)
    labels = ["B" if s in starts else "O" for s, _ in spans]
    feats = token_features(flat, spans, breaks=True)
    for a in range(0, len(spans), WINDOW):
        yield feats[a:a + WINDOW], labels[a:a + WINDOW]


def physical_lines(rec: dict) -> tuple[list[str], list[str]]:
    """Non-blank physical lines and the label of the logical line each starts in."""
    text, logical = rec["text"], sorted(rec["lines"], key=lambda x: x["start"])
    out_lines, out_labels, pos, k = [], [], 0, 0
    for raw in text.split("\n"):
        if raw.strip():
            a = pos + len(raw) - len(raw.lstrip())
            while k + 1 < len(logical) and logical[k + 1]["start"] <= a:
                k += 1
            lab = logical[k]["label"] if logical and logical[k]["start"] <= a < max(logical[k]["end"], a + 1) \
                else "other"
            out_lines.append(raw)
            out_labels.append(lab)
        pos += len(raw) + 1
    return out_lines, out_labels


def zone_example(rec: dict):
    if "lost_breaks" in rec.get("noise", []):
        lines = [rec["text"][x["start"]:x["end"]] for x in rec["lines"]]
        return line_features(lines), [x["label"] for x in rec["lines"]]
    lines, labels = physical_lines(rec)
    return line_features(lines), labels


def entity_examples(rec: dict):
    text = rec["text"]
    ents = sorted(rec["entities"], key=lambda e: e["start"])
    for ln in rec["lines"]:
        s, e = ln["start"], ln["end"]
        inside = [x for x in ents if x["start"] >= s and x["end"] <= e]
        seg = text[s:e]
        spans = tokenize(seg)
        if not spans:
            continue
        yield token_features(seg, spans, breaks=False), bio_labels(spans, [(x["start"] - s, x["end"] - s,
                                                                            x["label"]) for x in inside])


def bio_labels(spans: list[tuple[int, int]], ents: list[tuple[int, int, str]]) -> list[str]:
    labels = ["O"] * len(spans)
    for a, b, lab in ents:
        first = True
        for i, (s, e) in enumerate(spans):
            if s >= a and e <= b:
                labels[i] = ("B-" if first else "I-") + lab
                first = False
    return labels


def bio_spans(spans: list[tuple[int, int]], labels: list[str]) -> list[tuple[int, int, str, int, int]]:
    """Decode BIO tags to (start, end, label, first token, last token)."""
    out, cur = [], None
    for i, lab in enumerate(labels + ["O"]):
        if cur and (lab == "O" or lab.startswith("B-") or lab[2:] != cur[2]):
            out.append((spans[cur[0]][0], spans[i - 1][1], cur[2], cur[0], i - 1))
            cur = None
        if lab.startswith("B-") or (lab.startswith("I-") and cur is None):
            cur = (i, i, lab[2:])
    return out


# ------------------------------------------------------------------ training
def _trainer(component: str):
    from underthesea_core import CRFTrainer

    return CRFTrainer(l1_penalty=L1, l2_penalty=L2[component], max_iterations=ITERATIONS[component], verbose=0)


def prune_rare(xs: list) -> list:
    counts = Counter(f for seq in xs for tok in seq for f in tok)
    return [[[f for f in tok if counts[f] >= MIN_FEATURE_COUNT] for tok in seq] for seq in xs]


def dataset(component: str, records: list[dict], seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    xs, ys = [], []
    for rec in records:
        if component == "linebreak":
            for x, y in linebreak_examples(rec, rng, keep_newlines=0.2):
                xs.append(x)
                ys.append(y)
        elif component == "zones":
            x, y = zone_example(rec)
            if x:
                xs.append(x)
                ys.append(y)
        else:
            for x, y in entity_examples(rec):
                xs.append(x)
                ys.append(y)
    return xs, ys


def train_component(component: str, seed: int = 0, out_dir: Path | None = None, root: Path | None = None) -> dict:
    """Train one component on ``train``, score on ``dev`` and ``test``, write model + meta.json."""
    from .._meta import __version__

    train = load_split("train", root)
    real = load_real_training(root) if component == "entities" else []
    train = train + real  # the entity model also learns from real documents' annotated units
    t0 = time.perf_counter()
    xs, ys = dataset(component, train, seed)
    model = _trainer(component).train(prune_rare(xs), ys)
    seconds = time.perf_counter() - t0
    target = (out_dir or models_dir()) / component
    target.mkdir(parents=True, exist_ok=True)
    model.save(str(target / "model.crfsuite"))
    tagger = _load_tagger(target / "model.crfsuite")
    scores = {split: score_component(component, tagger, load_split(split, root)) for split in ("dev", "test")}
    meta = {
        "name": component,
        "version": "1",
        "type": "crf (underthesea_core CRFTrainer, L-BFGS)",
        "labels": sorted(tagger.labels()),
        "vbextract": __version__,
        # what was installed beside the CRF runtime, read from the distributions' metadata (neither
        # library is imported: the models do not use them)
        "underthesea": _dist_version("underthesea"),
        "underthesea_core": _core_version(),
        "spacy": _dist_version("spacy"),
        "corpus_sha256": corpus_hash(root),
        "train_docs": len(train),
        "train_real_docs": len(real),
        "train_sequences": len(xs),
        "seed": seed,
        "iterations": ITERATIONS[component],
        "l2": L2[component],
        "l1": L1,
        "min_feature_count": MIN_FEATURE_COUNT,
        "train_seconds": round(seconds, 2),
        "size_bytes": (target / "model.crfsuite").stat().st_size,
        "scores": scores,
        # the feature code's version and the sha256 of the grammar entries the features read: a
        # model whose record differs from the running code is stale (ml.stale_model)
        **COMPONENT_FEATURES[component].record(),
    }
    (target / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return meta


def _core_version() -> str:
    return _dist_version("underthesea_core", missing="unknown")


def _dist_version(dist: str, missing: str = "not installed") -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return missing


def _load_tagger(path: Path):
    from underthesea_core import CRFTagger

    tagger = CRFTagger()
    tagger.load(str(path))
    return tagger


# ------------------------------------------------------------------ scoring
def _prf(tp: int, npred: int, ngold: int) -> dict:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "gold": ngold, "pred": npred}


def score_component(component: str, tagger, records: list[dict]) -> dict:
    if component == "linebreak":
        tp = npred = ngold = 0
        for rec in records:
            for x, y in linebreak_examples(rec):
                pred = tagger.tag(x)
                tp += sum(p == g == "B" for p, g in zip(pred, y))
                npred += pred.count("B")
                ngold += y.count("B")
        return _prf(tp, npred, ngold)
    if component == "zones":
        ok = n = 0
        per: Counter = Counter()
        for rec in records:
            x, y = zone_example(rec)
            if not x:
                continue
            pred = tagger.tag(x)
            ok += sum(p == g for p, g in zip(pred, y))
            n += len(y)
            for p, g in zip(pred, y):
                per[("tp", g)] += p == g
                per[("pred", p)] += 1
                per[("gold", g)] += 1
        labels = sorted({k[1] for k in per if k[0] == "gold"})
        f1s = [_prf(per[("tp", lab)], per[("pred", lab)], per[("gold", lab)])["f1"] for lab in labels]
        return {"accuracy": round(ok / n, 4) if n else 0.0, "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s
                else 0.0, "lines": n}
    tp = npred = ngold = 0
    per_label: Counter = Counter()
    for rec in records:
        for x, y in entity_examples(rec):
            pred = tagger.tag(x)
            spans = list(range(len(y)))
            g = {(a, b, lab) for a, b, lab, _, _ in bio_spans([(i, i + 1) for i in spans], y)}
            p = {(a, b, lab) for a, b, lab, _, _ in bio_spans([(i, i + 1) for i in spans], pred)}
            tp += len(g & p)
            npred += len(p)
            ngold += len(g)
            for a in g & p:
                per_label[("tp", a[2])] += 1
            for a in p:
                per_label[("pred", a[2])] += 1
            for a in g:
                per_label[("gold", a[2])] += 1
    out = _prf(tp, npred, ngold)
    for lab in ("ORG", "PER"):
        out[lab] = _prf(per_label[("tp", lab)], per_label[("pred", lab)], per_label[("gold", lab)])
    return out


def train_all(components: list[str] | None = None, seed: int = 0, out_dir: Path | None = None,
              root: Path | None = None) -> dict[str, dict]:
    metas = {c: train_component(c, seed, out_dir, root) for c in (components or COMPONENTS)}
    if out_dir is None:
        record_history(metas)
    return metas


def record_history(metas: dict[str, dict]) -> None:
    """Append one line per shipped model to ``models/history.jsonl`` (the metrics history)."""
    from .corpus import project_root

    folder = project_root() / "models"
    if not folder.is_dir():
        return
    with (folder / "history.jsonl").open("a", encoding="utf-8") as fh:
        for name, m in metas.items():
            row = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "model": name,
                   "corpus_sha256": m["corpus_sha256"][:16], "size_bytes": m["size_bytes"],
                   "train_seconds": m["train_seconds"], "dev": m["scores"]["dev"], "test": m["scores"]["test"]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
