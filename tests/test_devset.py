"""Development-set tooling: standoff packing, refusal of non-verbatim values, hashed eval == plain eval."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from vbextract.evaluate import Scores, apply_scope, hash_gold, hash_prediction, score_document

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
_spec = importlib.util.spec_from_file_location("devset", ROOT / "corpus" / "tools" / "devset.py")
assert _spec and _spec.loader
devset = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(devset)

INVENTED = """ỦY BAN NHÂN DÂN TỈNH AN PHÚ
Số: 12/KH-UBND
An Phú, ngày 3 tháng 3 năm 2026
KẾ HOẠCH
Triển khai chuyển đổi số năm 2026
Căn cứ Quyết định số 45/QĐ-TTg ngày 10/01/2026 của Thủ tướng Chính phủ;
1. Sở Khoa học và Công nghệ chủ trì, phối hợp với Sở Tài chính xây dựng nền tảng, hoàn thành trước ngày 30/6/2026.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn An
"""


def _gold(unit: str = "Sở Khoa học và Công nghệ") -> dict:
    return {"file": "invented.txt", "kind": "formal",
            "header": {"issuer": "ỦY BAN NHÂN DÂN TỈNH AN PHÚ", "number": "12", "symbol": "KH-UBND",
                       "doc_type": "Kế hoạch", "place": "An Phú", "date": "2026-03-03",
                       "subject": "Triển khai chuyển đổi số năm 2026"},
            "recipients": [], "legal_bases": ["45/QĐ-TTg"],
            "citations": [{"ref": "45/QĐ-TTg", "doc_type": "Quyết định", "date": "2026-01-10",
                           "issuer": "Thủ tướng Chính phủ"}],
            "tasks": [{"id": "1", "label": "1.", "lead_units": [unit], "support_units": ["Sở Tài chính"],
                       "deadlines": [{"kind": "by", "date": "2026-06-30"}]}],
            "deadlines": [{"kind": "by", "date": "2026-06-30", "text": "trước ngày 30/6/2026", "task_id": "1"}],
            "signature": {"authority": "TM.", "chain": ["ỦY BAN NHÂN DÂN"], "position": "CHỦ TỊCH",
                          "signer": "Nguyễn Văn An"},
            "distribution": [], "notes": ["invented"],
            "path": "invented.txt", "scope": list(devset.SCOPE_PARTS), "annotator": "test"}


def _write(tmp_path: Path, gold: dict) -> Path:
    (tmp_path / "corpus").mkdir(exist_ok=True)
    (tmp_path / "corpus" / "invented.txt").write_text(INVENTED, encoding="utf-8")
    plain = tmp_path / "invented.json"
    plain.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return plain


def test_pack_hashes_printed_values_and_keeps_enumerations(tmp_path):
    out = devset.pack(_write(tmp_path, _gold()), corpus=tmp_path / "corpus", dev_dir=tmp_path / "dev")
    rec = json.loads(out.read_text(encoding="utf-8"))
    assert "Sở" not in out.read_text(encoding="utf-8") and "notes" not in rec["gold"]
    assert rec["gold"]["header"]["date"] == "2026-03-03" and rec["gold"]["tasks"][0]["id"] == "1"
    assert devset.record_problems(rec, tmp_path / "corpus") == []
    plain = _gold()
    s_plain, s_hash = Scores(), Scores()
    score_document(plain, {**plain, "signature": plain["signature"]}, s_plain)
    score_document(rec["gold"], hash_gold(plain), s_hash)
    assert s_plain.table() == s_hash.table() and s_hash.headline() == 1.0


def test_pack_refuses_a_value_not_printed(tmp_path):
    with pytest.raises(devset.PackError, match="verbatim"):
        devset.pack(_write(tmp_path, _gold("Sở Khoa học Công nghệ")), corpus=tmp_path / "corpus",
                    dev_dir=tmp_path / "dev")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus absent")
def test_dev_records_pass_check():
    for p in sorted((ROOT / "corpus" / "dev").glob("*.json")):
        assert devset.record_problems(json.loads(p.read_text(encoding="utf-8")), CORPUS) == [], p.name


@pytest.mark.skipif(not devset.PLAIN_DIR.is_dir() or not CORPUS.is_dir(), reason="plain golds absent")
def test_hashed_eval_equals_plain_eval():
    from vbextract.pipeline import parse

    plain_s, hashed_s = Scores(), Scores()
    for p in sorted((ROOT / "corpus" / "dev").glob("*.json"))[:3]:
        rec = json.loads(p.read_text(encoding="utf-8"))
        plain_path = devset.PLAIN_DIR / p.name
        if not plain_path.is_file():
            continue
        plain = json.loads(plain_path.read_text(encoding="utf-8"))
        pred = json.loads(parse(CORPUS / rec["path"], use_ml=False).model_dump_json())
        score_document(plain, apply_scope(pred, rec["scope"]), plain_s)
        score_document(rec["gold"], apply_scope(hash_prediction(pred), rec["scope"]), hashed_s)
    assert plain_s.table() == hashed_s.table()


def test_devset_eval_keeps_the_predictions_when_asked(tmp_path, capsys):
    from vbextract.cli import main

    devset.pack(_write(tmp_path, _gold()), corpus=tmp_path / "corpus", dev_dir=tmp_path / "dev")
    out = tmp_path / "pred"
    assert main(["eval", "--devset", str(tmp_path / "dev"), "--corpus", str(tmp_path / "corpus"), "--no-ml",
                 "--save-predictions", str(out)]) == 0
    saved = json.loads((out / "invented.json").read_text(encoding="utf-8"))
    assert saved["header"]["number"] == "12" and saved["tasks"][0]["lead_units"] == ["Sở Khoa học và Công nghệ"]
    assert "headline F1" in capsys.readouterr().out
