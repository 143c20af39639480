import json
import subprocess
import sys
from pathlib import Path

from vbextract.cli import main

SEED = Path(__file__).resolve().parent / "seeds" / "002_65f01fc30d0adf68.txt"


def test_parse_prints_json(capsys):
    assert main(["parse", "--no-ml", str(SEED)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["header"]["number"] == "403"
    assert data["schema_version"] == "1"


def test_parse_writes_one_file_per_input(tmp_path):
    assert main(["parse", "--no-ml", str(SEED), "-o", str(tmp_path)]) == 0
    assert json.loads((tmp_path / f"{SEED.stem}.json").read_text(encoding="utf-8"))["kind"] == "formal"


def test_parse_jsonl_and_unreadable_input(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code = main(["parse", "--no-ml", "--format", "jsonl", str(SEED), str(empty)])
    captured = capsys.readouterr()
    assert code == 1
    assert len(captured.out.strip().splitlines()) == 1
    assert "empty file" in captured.err


def test_schema_and_version():
    out = subprocess.run([sys.executable, "-m", "vbextract.cli", "schema"], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out)["title"].startswith("vbextract Document")
    version = subprocess.run([sys.executable, "-m", "vbextract.cli", "--version"], capture_output=True, text=True,
                             check=True).stdout
    assert "schema 1" in version


def test_stdin(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    assert main(["parse", "--no-ml", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["header"]["symbol"] == "UBND-KGVX"
