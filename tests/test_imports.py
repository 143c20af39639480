"""What importing vbextract costs: spaCy and underthesea are not loaded to parse or to start the CLI.

spaCy is the ``spacy`` extra (the spaCy component and the HTML report); the shipped models run on
``underthesea_core`` alone. Each check runs in a fresh interpreter and reads its ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parent / "seeds" / "001_0ebf147e8e28759d.txt"
HEAVY = ("spacy", "underthesea", "underthesea_core", "thinc", "numpy")

# Makes spaCy look uninstalled: import fails and importlib.util.find_spec answers None.
_HIDE_SPACY = """
import sys
_finders = list(sys.meta_path)
class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "spacy":
            return None
        for f in _finders:
            spec = f.find_spec(name, path, target) if hasattr(f, "find_spec") else None
            if spec is not None:
                return spec
        return None
sys.meta_path[:] = [_Hide()]
"""


def _loaded_after(code: str, *, hide_spacy: bool = False) -> dict:
    """Run ``code`` in a fresh interpreter; the heavy top-level packages it left in sys.modules."""
    prog = (_HIDE_SPACY if hide_spacy else "") + code + (
        "\nimport json as _j, sys as _s\n"
        f"print(_j.dumps(sorted({{m.split('.')[0] for m in _s.modules}} & {set(HEAVY)!r})))\n")
    out = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return {"loaded": json.loads(out.stdout.strip().splitlines()[-1]), "stdout": out.stdout, "stderr": out.stderr}


def test_cold_import_loads_neither_spacy_nor_underthesea():
    r = _loaded_after("import vbextract\nassert 'vbextract.pipeline' not in __import__('sys').modules")
    assert r["loaded"] == []


def test_version_command_loads_neither():
    r = _loaded_after("from vbextract.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    assert r["stdout"].startswith("vbextract ")
    assert r["loaded"] == []


def test_a_rules_only_parse_loads_neither():
    r = _loaded_after(f"import vbextract\nvbextract.parse({str(SEED)!r}, use_ml=False)")
    assert r["loaded"] == []


def test_the_models_run_on_underthesea_core_alone():
    import vbextract.ml as ml

    if not ml.available():
        pytest.skip("statistical models not installed")
    r = _loaded_after(f"import vbextract\nd = vbextract.parse({str(SEED)!r}, use_ml=True)\n"
                      "assert not any('not installed' in w for w in d.warnings)")
    assert r["loaded"] == ["underthesea_core"]


def test_parsing_works_without_spacy():
    r = _loaded_after(f"import vbextract\nd = vbextract.parse({str(SEED)!r}, use_ml=False)\nassert d.tasks",
                      hide_spacy=True)
    assert "spacy" not in r["loaded"]


def test_report_without_spacy_says_what_to_install(tmp_path):
    out = tmp_path / "r.html"
    r = _loaded_after(
        "from vbextract.cli import main\n"
        f"code = main(['report', {str(SEED)!r}, '-o', {str(out)!r}])\n"
        "assert code == 2, code\n"
        "try:\n    import vbextract.spacy_component\nexcept ModuleNotFoundError as exc:\n"
        "    assert \"pip install 'vbextract[spacy]'\" in str(exc) and exc.name == 'spacy', exc\n"
        "else:\n    raise AssertionError('spacy_component imported without spaCy')\n",
        hide_spacy=True)
    assert "pip install 'vbextract[spacy]'" in r["stderr"]
    assert not out.exists()


def test_report_with_spacy_is_written(tmp_path):
    pytest.importorskip("spacy")
    from vbextract.cli import main

    out = tmp_path / "r.html"
    assert main(["report", str(SEED), "--no-ml", "-o", str(out)]) == 0
    assert 'class="vb-hl"' in out.read_text(encoding="utf-8")


def test_model_versions_are_checked_against_underthesea_core():
    from importlib.metadata import version

    from vbextract.ml import _check_versions

    core = version("underthesea_core")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_versions({"name": "zones", "underthesea_core": core, "underthesea": "0.0.1"})
    with pytest.warns(UserWarning, match="underthesea_core 0.1"):
        _check_versions({"name": "zones", "underthesea_core": "0.1.0"})
