"""The README's two commands stay true: CI runs the same test command, the example parses."""

import json
import re
from pathlib import Path

from vbextract.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_has_the_two_commands():
    blocks = [b.strip() for b in _bash_blocks()]
    assert blocks[0].startswith("pip install . && vbextract parse examples/")
    assert blocks[1] == "make test"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"(?m)^make test$", ci)


def test_readme_example_parses(capsys):
    example = _bash_blocks()[0].split("vbextract parse ")[1].strip()
    assert main(["parse", str(ROOT / example)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["header"]["symbol"] == "UBND-KGVX"
    assert data["signature"]["signer"] == "Nguyễn Lưu Trung"
