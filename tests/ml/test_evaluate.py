"""The project scorer gives the same numbers as shared/eval/score.py."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vbextract.evaluate import Scores, norm, score_document

SHARED = Path(__file__).resolve().parents[3] / "shared"


@pytest.mark.parametrize("raw, key", [("**Hoà bình**;", "hòa bình"), ("  Thuỷ  lợi. ", "thủy lợi"), (None, "")])
def test_norm_matches_the_contract(raw, key):
    assert norm(raw) == key


def test_gold_scores_one_against_itself():
    gold = {"kind": "formal", "header": {"issuer": "UBND HUYỆN A", "number": "12", "is_draft": False},
            "recipients": ["Sở Y tế"], "tasks": [{"id": "1", "lead_units": ["Sở Y tế"]}],
            "signature": {"authority": "KT.", "position": "PHÓ CHỦ TỊCH", "signer": "Lê B", "chain": []}}
    pred = {**gold, "tasks": [{"id": "1", "lead_units": ["Sở Y tế"]}, {"id": "1.b1", "lead_units": ["X"]}]}
    s = Scores()
    score_document(gold, pred, s)
    assert all(row["f1"] == 1.0 for row in s.table().values())


@pytest.mark.corpus
def test_same_table_as_the_shared_scorer(tmp_path):
    script = SHARED / "eval" / "score.py"
    if not script.exists():
        pytest.skip("shared/eval not present")
    spec = importlib.util.spec_from_file_location("shared_score", script)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for gpath in sorted((SHARED / "gold").glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        # a deliberately imperfect prediction: drop half the lists, change the signer
        pred = {k: (v[::2] if isinstance(v, list) else v) for k, v in gold.items()}
        pred["signature"] = {**(gold.get("signature") or {}), "signer": "Ai Đó"}
        theirs, mine = mod.Tally(), Scores()
        mod.score_doc(gold, pred, theirs)
        score_document(gold, pred, mine)
        ref = theirs.table()
        assert {k: (v["tp"], v["pred"], v["gold"]) for k, v in mine.table().items()} == \
               {k: (v["tp"], v["pred"], v["gold"]) for k, v in ref.items()}
