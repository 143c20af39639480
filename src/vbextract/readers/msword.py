"""Word 97–2003 ``.doc`` reader through a system tool: antiword, else catdoc, else LibreOffice.

Always ask for UTF-8 output (``-m UTF-8.txt`` / ``-d utf-8``): under ``LANG=C`` both tools print
``?`` for every Vietnamese letter. Legacy TCVN3/VNI documents come out as Latin-1 look-alikes and
are detected and converted by content. antiword prints tables as ``|cell|cell|`` rows, which are
turned into the same lines as the other readers give.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import Source
from ..errors import InputError, MissingToolError
from .base import ReadResult
from .tables import drop_rule_lines, locate_tables, pipe_tables_to_lines, split_spaced_columns

TIMEOUT = 60


def read_doc(data: bytes) -> ReadResult:
    errors: list[str] = []
    text, tool = None, None
    for tool_name, runner in (("antiword", _antiword), ("catdoc", _catdoc), ("soffice", _soffice)):
        if shutil.which(tool_name) is None:
            continue
        try:
            text = runner(data)
        except _ToolFailed as exc:
            errors.append(f"{tool_name}: {exc}")
            continue
        if text.strip():
            tool = tool_name
            break
        errors.append(f"{tool_name}: no text")
    if tool is None or text is None:
        if not errors:
            raise MissingToolError(
                "reading .doc files needs antiword or catdoc (apt-get install antiword catdoc) "
                "or LibreOffice (soffice); none is installed"
            )
        if any("encrypt" in e.lower() or "password" in e.lower() for e in errors):
            raise InputError("the .doc file is encrypted with a password; vbextract cannot read it")
        raise InputError("the .doc file could not be read (" + "; ".join(errors) + ")")
    return _result(text, tool)


def _result(text: str, tool: str) -> ReadResult:
    from ..legacy import convert_if_legacy

    source = Source()  # type: ignore[call-arg]  # pydantic Field(None, …) defaults
    warnings: list[str] = []
    if tool != "antiword":
        warnings.append(f"read with {tool} (antiword is not installed or failed); table layout may be lost")
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    # columns first: VNI letters take two characters before conversion and one after
    text = split_spaced_columns(text)
    text, legacy = convert_if_legacy(text)
    if legacy:
        source.legacy_conversion = legacy
        source.encoding = legacy
        warnings.append(f"the document was in the legacy {legacy.upper()} encoding and was converted to Unicode")
    text, tables = pipe_tables_to_lines(text)
    text = drop_rule_lines(text)
    return ReadResult(text, source, warnings, blocks=locate_tables(text, tables))


class _ToolFailed(Exception):
    pass


def _run(cmd: list[str], data: bytes | None = None, path: str | None = None) -> str:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    try:
        proc = subprocess.run(cmd + ([path] if path else []), capture_output=True, timeout=TIMEOUT, env=env,
                              input=data if path is None else None)
    except subprocess.TimeoutExpired as exc:
        raise _ToolFailed(f"timed out after {TIMEOUT} s") from exc
    except OSError as exc:
        raise _ToolFailed(str(exc)) from exc
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _ToolFailed(msg[-1] if msg else f"exit status {proc.returncode}")
    return proc.stdout.decode("utf-8", "replace")


def _with_file(data: bytes, fn):
    with tempfile.TemporaryDirectory(prefix="vbextract-doc-") as tmp:
        path = Path(tmp) / "in.doc"
        path.write_bytes(data)
        return fn(str(path), tmp)


def _antiword(data: bytes) -> str:
    # -w 0: no wrapping, so each table row stays on one line
    return _with_file(data, lambda p, _: _run(["antiword", "-m", "UTF-8.txt", "-w", "0"], path=p))


def _catdoc(data: bytes) -> str:
    return _with_file(data, lambda p, _: _run(["catdoc", "-d", "utf-8", "-w"], path=p))


def _soffice(data: bytes) -> str:
    def convert(path: str, tmp: str) -> str:
        _run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to",
              "txt:Text (encoded):UTF8", "--outdir", tmp], path=path)
        out = Path(tmp) / "in.txt"
        if not out.exists():
            raise _ToolFailed("LibreOffice produced no output")
        return out.read_text("utf-8", errors="replace")

    return _with_file(data, convert)
