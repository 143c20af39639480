"""The README's sections on edXML, task feeds and the consumer contract: their commands run."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("edXML for document systems", "Task feeds", "Contract for consumers")


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(rf"(?ms)^## {re.escape(title)}\n(.*?)(?=^## )", text)
    assert m, title
    return m.group(1)


@pytest.mark.parametrize("title", SECTIONS)
def test_section_command_runs(title, tmp_path):
    blocks = re.findall(r"```bash\n(.*?)```", _section(title), re.S)
    assert len(blocks) == 1
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bindir = str(Path(sys.executable).parent)
    env = {"PATH": f"{bindir}:/usr/bin:/bin", "HOME": str(tmp_path), "HF_HUB_OFFLINE": "1",
           "HF_DATASETS_OFFLINE": "1", "LANG": "C.UTF-8"}
    if not shutil.which("vbextract", path=env["PATH"]):
        pytest.skip("the vbextract script is not installed next to this Python")
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", blocks[0]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    if title.startswith("edXML"):
        from vbextract.export.edxml import from_xml, validate

        xml = (tmp_path / "cv.edxml").read_bytes()
        assert validate(xml) == [] and from_xml(xml).code_notation == "UBND-KGVX"
    elif title == "Task feeds":
        assert (tmp_path / "tasks.ics").exists() and (tmp_path / "tasks.xlsx").exists()
        assert done.stdout.startswith("\ufeffdoc_ref,")
    else:
        assert "version='" in done.stdout and "schema_minor=" in done.stdout
