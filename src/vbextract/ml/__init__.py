"""Statistical components: line-break restoration, line zones and ORG/PER entities.

Each model is a small CRF shipped in ``vbextract/models/<name>/`` with a ``meta.json`` (library
versions, corpus hash, scores, the feature code's version and the hash of the grammar entries its
features read). A model whose record differs from the running code is *stale*: it is still used,
and every document the hybrid parses gets one ``ml.stale_model`` notice saying what to retrain. A
model that is present but unusable (unreadable files, other labels) raises
:class:`vbextract.errors.ModelError`. Models load lazily, once, on first use; nothing is ever
downloaded. When a model file is missing, :func:`available` is False and the functions degrade:
``restore_line_breaks`` returns None, ``classify_lines`` and ``find_entities`` return the cue
labeller's answer / an empty list, so the parser runs rules-only.

>>> restore_line_breaks("ỦY BAN NHÂN DÂN\\nTỈNH KIÊN GIANG\\n") is None
True
"""

from __future__ import annotations

import json
import threading
import warnings
from functools import cache
from pathlib import Path

from ..errors import ModelError
from ..grammars import REGISTRY
from .features import line_features, stale_reason, token_features, tokenize

__all__ = ["available", "classify_lines", "find_entities", "load_all", "model_info", "restore_line_breaks",
           "stale_models"]

_MODELS = Path(__file__).resolve().parents[1] / "models"
_NAMES = ("linebreak", "zones", "entities")
_LOCK = threading.Lock()

# Layout check: a document whose lines were flowed together has few, very long lines.
LONG_LINE = 200
_HEADER_CUES = REGISTRY["ml_header_cue"]  # grammars/ml.yaml
BREAK_THRESHOLD = 0.5


# The labels the code reads from each model's output.
_NEEDED = {"linebreak": {"B"}, "zones": {"body", "issuer", "subject", "signature", "signer"},
           "entities": {"B-ORG", "I-ORG", "B-PER", "I-PER"}}


class _Model:
    def __init__(self, name: str, folder: Path | None = None) -> None:
        from underthesea_core import CRFTagger

        folder = folder or _MODELS / name
        self.meta = _read_meta(name, folder)
        self.tagger = CRFTagger()
        try:
            self.tagger.load(str(folder / "model.crfsuite"))
            self.labels = list(self.tagger.labels())
        except Exception as exc:  # the Rust loader raises plain exceptions on a damaged file
            raise ModelError(f"vbextract model '{name}' cannot be loaded from {folder / 'model.crfsuite'}: "
                             f"{exc}", "ml.model_unreadable") from exc
        missing = _NEEDED[name] - set(self.labels)
        if missing:
            raise ModelError(f"vbextract model '{name}' lacks the labels {sorted(missing)} the code reads "
                             f"(it has {sorted(self.labels)})", "ml.model_incompatible")
        _check_versions(self.meta)
        self.stale = stale_reason(name, self.meta)
        if self.stale:
            warnings.warn(f"vbextract model '{name}' is stale: {self.stale}", UserWarning, stacklevel=3)


def _read_meta(name: str, folder: Path) -> dict:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"vbextract model '{name}': {folder / 'meta.json'} is unreadable: {exc}",
                         "ml.model_unreadable") from exc
    if not isinstance(meta, dict) or meta.get("name") != name:
        raise ModelError(f"vbextract model '{name}': {folder / 'meta.json'} describes "
                         f"{meta.get('name') if isinstance(meta, dict) else meta!r}", "ml.model_incompatible")
    return meta


@cache
def stale_models() -> dict[str, str]:
    """{model: why} for the shipped models trained with other features or grammar cues than the
    running code (read from their meta.json; nothing is loaded). Empty when all fit."""
    out = {}
    for name in _NAMES:
        folder = _MODELS / name
        if (folder / "meta.json").exists() and (folder / "model.crfsuite").exists():
            reason = stale_reason(name, _read_meta(name, folder))
            if reason:
                out[name] = reason
    return out


def _check_versions(meta: dict) -> None:
    """Warn (spaCy W095 style) when the model was trained with other library versions.

    ``underthesea_core`` (the CRF) is what runs; versions come from the installed distributions'
    metadata, so no library is imported for the check (``import underthesea`` costs ~1.6 s).
    """
    from .._meta import __version__

    for lib, have in (("vbextract", __version__), ("underthesea_core", _installed("underthesea-core"))):
        want = meta.get(lib)
        if want and have and want.split(".")[:2] != have.split(".")[:2]:
            warnings.warn(f"vbextract model '{meta.get('name')}' was trained with {lib} {want}, "
                          f"running {have}; results may differ", UserWarning, stacklevel=3)


@cache
def _installed(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def _loadable(name: str) -> bool:
    """The model's files are there and the CRF library imports (nothing is loaded)."""
    if not ((_MODELS / name / "model.crfsuite").exists() and (_MODELS / name / "meta.json").exists()):
        return False
    try:
        import underthesea_core  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _load(name: str) -> _Model | None:
    if not _loadable(name):
        return None
    with _LOCK:
        return _Model(name)


def available() -> bool:
    """True when every shipped model can be loaded. The check loads none of them: each model is
    loaded on first use (a clean document never needs the line-break model, ~40 ms to load), and
    :func:`load_all` loads them up front for processes that fork a child per document."""
    return all(_loadable(n) for n in _NAMES)


def load_all() -> bool:
    """Load every shipped model now (a warm-up before forking); True when all of them loaded."""
    return all(_load(n) is not None for n in _NAMES)


def model_info() -> dict:
    """Names, versions and scores of the shipped models (from their meta.json)."""
    out = {}
    for name in _NAMES:
        path = _MODELS / name / "meta.json"
        out[name] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    return out


# ------------------------------------------------------------------ 1. line breaks
def layout_is_flat(text: str) -> bool:
    """Cheap check: very few lines for the length, or a header flowed into one long first line.

    Long body paragraphs are normal (one line per paragraph), so line length alone says nothing;
    what a flowed text lacks is short header lines at the top.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines or len(text) < 300:
        return False
    if len(lines) <= max(3, len(text) // 2500):
        return True
    first = lines[0]
    return len(first) > LONG_LINE and sum(1 for _ in _HEADER_CUES.finditer(first[:400])) >= 2


def restore_line_breaks(text: str) -> str | None:
    """Same-length text with predicted line starts turned into newlines; None when layout is fine."""
    if not layout_is_flat(text):
        return None
    model = _load("linebreak")
    if model is None:
        return None
    chars = list(text)
    for start in predict_line_starts(text, model):
        if start > 0 and chars[start - 1] == " ":
            chars[start - 1] = "\n"
    return "".join(chars)


def predict_line_starts(text: str, model: _Model | None = None) -> list[int]:
    model = model or _load("linebreak")
    if model is None:
        return []
    spans = tokenize(text)
    feats = token_features(text, spans, breaks=True)
    b = model.labels.index("B")
    out = []
    step = 250
    for a in range(0, len(spans), step):
        marg = model.tagger.marginals(feats[a:a + step])
        out += [spans[a + i][0] for i, row in enumerate(marg) if row[b] >= BREAK_THRESHOLD]
    return out


# ------------------------------------------------------------------ 2. line zones
def classify_lines(lines: list[str]) -> list[tuple[str, float]]:
    """Zone label and its marginal probability per line (blank lines: ``("other", 1.0)``)."""
    idx = [i for i, s in enumerate(lines) if s.strip()]
    out: list[tuple[str, float]] = [("other", 1.0)] * len(lines)
    if not idx:
        return out
    model = _load("zones")
    kept = [lines[i] for i in idx]
    if model is None:
        from .annotate import heuristic_labels

        for i, lab in zip(idx, heuristic_labels(kept)):
            out[i] = (lab, 0.5)
        return out
    marg = model.tagger.marginals(line_features(kept))
    for i, row in zip(idx, marg):
        k = max(range(len(row)), key=row.__getitem__)
        out[i] = (model.labels[k], float(row[k]))
    return out


# ------------------------------------------------------------------ 3. entities
def find_entities(text: str) -> list[tuple[int, int, str, float]]:
    """ORG and PER spans (offsets into ``text``) with the mean marginal of their tokens."""
    model = _load("entities")
    if model is None:
        return []
    out = []
    pos = 0
    for raw in text.split("\n"):
        out += [(pos + a, pos + b, lab, p) for a, b, lab, p in _tag_line(raw, model)]
        pos += len(raw) + 1
    return out


def _tag_line(line: str, model: _Model) -> list[tuple[int, int, str, float]]:
    from .train import bio_spans

    spans = tokenize(line)
    if not spans:
        return []
    feats = token_features(line, spans, breaks=False)
    # posterior decoding: one forward-backward pass gives both the labels and their probabilities
    marg = model.tagger.marginals(feats)
    best = [max(range(len(row)), key=row.__getitem__) for row in marg]
    labels = [model.labels[k] for k in best]
    out = []
    for a, b, lab, i, j in bio_spans(spans, labels):
        probs = [marg[t][best[t]] for t in range(i, j + 1)]
        out.append((a, b, lab, float(sum(probs) / len(probs))))
    return out
