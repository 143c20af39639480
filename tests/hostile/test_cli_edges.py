"""The CLI around the edges (issue 13, item 8): each defect a new user met has a test."""

from __future__ import annotations

import errno
import json
import signal
import sys
from pathlib import Path

import pytest

from vbextract.cli import main

DOC = "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\nSố: 12/UBND-VP\nV/v thử\nKính gửi: Sở Tài chính\n1. Sở Tài chính chủ trì.\n"


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = {"a_txt": tmp_path / "a" / "report.txt", "b_txt": tmp_path / "b" / "report.txt",
             "a_rtf": tmp_path / "a" / "report.rtf"}
    paths["a_txt"].write_text(DOC, encoding="utf-8")
    paths["b_txt"].write_text(DOC.replace("12/", "13/"), encoding="utf-8")
    paths["a_rtf"].write_bytes(rb"{\rtf1 Kinh gui: So Tai chinh\par}")
    return paths


# ----------------------------------------------------------------------------- parse


def test_same_basenames_get_distinct_output_files(docs, tmp_path):
    out = tmp_path / "out"
    assert main(["parse", "--no-ml", str(docs["a_txt"]), str(docs["b_txt"]), str(docs["a_rtf"]), "-o", str(out)]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 3, files
    numbers = {json.loads((out / f).read_text())["header"]["number"] for f in files if ".txt" in f}
    assert numbers == {"12", "13"}


def test_output_json_file_for_one_input(docs, tmp_path):
    out = tmp_path / "result.json"
    assert main(["parse", "--no-ml", str(docs["a_txt"]), "-o", str(out)]) == 0
    assert out.is_file() and json.loads(out.read_text())["header"]["number"] == "12"


def test_several_inputs_on_stdout_are_a_json_array_or_jsonl(docs, capsys):
    assert main(["parse", "--no-ml", str(docs["a_txt"]), str(docs["b_txt"])]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    assert main(["parse", "--no-ml", "--format", "jsonl", str(docs["a_txt"]), str(docs["b_txt"])]) == 0
    assert [json.loads(line)["header"]["number"] for line in capsys.readouterr().out.splitlines()] == \
        ["12", "13"]


def test_mistyped_path_exits_2(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.pdf")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "nope"), "-o", str(tmp_path / "o.jsonl")]) == 2


def test_no_text_and_compact_json(docs, capsys):
    assert main(["parse", "--no-ml", str(docs["a_txt"])]) == 0
    pretty = capsys.readouterr().out
    assert main(["parse", "--no-ml", "--no-text", "--compact", str(docs["a_txt"])]) == 0
    small = capsys.readouterr().out
    data = json.loads(small)
    assert "text" not in data and "offset_map" not in data["source"] and data["tasks"]
    assert len(small) < len(pretty) and "\n" not in small.strip()
    # pretty output keeps each offset-map pair on one line
    assert '"offset_map": [\n' not in pretty or "[0, 0]" in pretty


def test_ctrl_c_in_parse_exits_130_without_traceback(docs, monkeypatch, capsys):
    from vbextract.commands import parse as parse_cmd

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(parse_cmd, "_parse_one", interrupted)
    assert main(["parse", str(docs["a_txt"])]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_disk_full_in_parse_exits_74(docs, tmp_path, monkeypatch, capsys):
    from vbextract.commands import parse as parse_cmd

    def full(self, name, doc):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parse_cmd._Writer, "write", full)
    assert main(["parse", "--no-ml", str(docs["a_txt"]), "-o", str(tmp_path / "out")]) == 74
    assert "No space left" in capsys.readouterr().err


def test_parse_timeout_option_names_the_limit(tmp_path, capsys):
    slow = tmp_path / "slow.txt"
    slow.write_text("Kính gửi: Sở A\n" + "1. Sở A chủ trì.\n" * 20, encoding="utf-8")
    assert main(["parse", "--no-ml", "--timeout", "0.000001", str(slow)]) == 1
    assert "time limit" in capsys.readouterr().err


# ----------------------------------------------------------------------------- batch


def test_disk_full_in_batch_exits_74(docs, tmp_path, monkeypatch, capsys):
    from vbextract.batch import sinks

    def full(self, line):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sinks.JsonlFile, "write_line", full)
    assert main(["batch", str(docs["a_txt"]), "-o", str(tmp_path / "o.jsonl"), "-q", "--no-ml", "--jobs", "1"]) == 74
    err = capsys.readouterr().err
    assert "No space left" in err and "Traceback" not in err


def test_max_file_size_reported_in_kib(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "big.txt").write_text(DOC * 1500, encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["batch", str(tmp_path / "in"), "-o", str(out), "-q", "--no-ml", "--max-file-size", "100K"]) == 1
    err = json.loads((tmp_path / "o.errors.jsonl").read_text())
    assert "100 KiB" in err["reason"] and "0 MiB" not in err["reason"]


def test_scheduler_without_dask_is_a_clear_message(docs, tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    assert main(["batch", str(docs["a_txt"]), "-o", str(tmp_path / "o.jsonl"), "--scheduler", "tcp://h:8786"]) == 2
    assert "pip install 'vbextract[dask]'" in capsys.readouterr().err


def test_to_dataset_without_datasets_is_a_clear_message(monkeypatch):
    import vbextract.dataset as ds

    monkeypatch.setitem(sys.modules, "datasets", None)
    ds.features.cache_clear()
    with pytest.raises(ImportError, match=r"pip install 'vbextract\[datasets\]'"):
        ds.to_dataset([])
    ds.features.cache_clear()


def test_batch_restores_the_sigterm_handler(docs, tmp_path):
    def mine(signum, frame):
        return None

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        assert main(["batch", str(docs["a_txt"]), "-o", str(tmp_path / "o.jsonl"), "-q", "--no-ml", "--jobs", "1"]) == 0
        assert signal.getsignal(signal.SIGTERM) is mine
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_rate_after_an_interruption_counts_only_this_run():
    from vbextract.batch import BatchRun, BatchStats

    stats = BatchStats(inputs=100, parsed=60, resumed=50)
    run = BatchRun(stats, complete=False, elapsed=10.0, output=Path("o"), format="jsonl", errors=Path("e"))
    assert run.rate == pytest.approx(1.0)


# ----------------------------------------------------------------------------- train


def test_train_never_overwrites_the_installed_models(monkeypatch, tmp_path, capsys):
    from vbextract.commands import train as train_cmd
    from vbextract.ml import train as ml_train

    monkeypatch.setattr(train_cmd, "in_source_checkout", lambda: False)
    called = []
    monkeypatch.setattr(ml_train, "train_all", lambda *a, **k: called.append(1) or {})
    assert main(["train"]) == 2
    assert "--corpus" in capsys.readouterr().err
    assert main(["train", "--corpus", str(tmp_path), "--out", str(ml_train.models_dir())]) == 2
    assert "installed models" in capsys.readouterr().err
    assert called == []


def test_train_on_an_empty_corpus_exits_2(tmp_path, capsys):
    assert main(["train", "--corpus", str(tmp_path), "--out", str(tmp_path / "m")]) == 2
    assert "no training documents" in capsys.readouterr().err
