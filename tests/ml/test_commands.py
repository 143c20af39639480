"""corpus pre-annotate, eval and train as the CLI runs them."""

from __future__ import annotations

import json

from vbextract.cli import main

from .test_interface import HEADER


def test_pre_annotate_writes_a_corpus_record(tmp_path, capsys):
    path = tmp_path / "cv.txt"
    path.write_text(HEADER, encoding="utf-8")
    assert main(["corpus", "pre-annotate", str(path)]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["id"] == "cv" and len(rec["sha256"]) == 64
    labels = {rec["text"][x["start"]:x["end"]]: x["label"] for x in rec["lines"]}
    assert labels["Số: 12/UBND-VX"] == "number" and labels["Nơi nhận:"] == "distribution"


def test_pre_annotate_standoff_drops_the_text(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    path = tmp_path / "sub" / "cv.txt"
    path.write_text(HEADER, encoding="utf-8")
    assert main(["corpus", "pre-annotate", "--standoff-root", str(tmp_path), str(path)]) == 0
    rec = json.loads(capsys.readouterr().out)
    assert "text" not in rec and rec["path"] == "sub/cv.txt" and rec["source"] == "shared-corpus"


def test_eval_prints_per_field_table(tmp_path, capsys):
    gold_dir, in_dir = tmp_path / "gold", tmp_path / "in"
    gold_dir.mkdir()
    in_dir.mkdir()
    (in_dir / "cv.txt").write_text(HEADER, encoding="utf-8")
    gold = {"file": "cv.txt", "kind": "formal", "header": {"issuer": "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN", "number": "12"},
            "signature": {"authority": "KT.", "position": "PHÓ CHỦ TỊCH", "signer": "Nguyễn Lưu Trung", "chain": []}}
    (gold_dir / "cv.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    out_json = tmp_path / "m.json"
    assert main(["eval", str(gold_dir), str(in_dir), "--no-ml", "--json", str(out_json)]) == 0
    printed = capsys.readouterr().out
    assert "header.number" in printed and "headline F1" in printed
    assert json.loads(out_json.read_text())["metrics"]["header.number"]["gold"] == 1


def test_train_one_component_into_a_folder(tmp_path, capsys):
    assert main(["train", "--component", "zones", "--out", str(tmp_path)]) == 0
    meta = json.loads((tmp_path / "zones" / "meta.json").read_text())
    assert meta["scores"]["dev"]["accuracy"] > 0.9
