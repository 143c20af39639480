"""Parsers for tests, loaded by path in the workers (``--parser /path/faulty.py:function``).

Markers in the document bytes make the worker misbehave the way real-world failures do.
"""

from __future__ import annotations

import os
import signal
import time


def parse_with_faults(data: bytes, name: str, use_ml: bool):
    from vbextract import parse

    if b"#HANG#" in data:
        time.sleep(3600)
    if b"#EXIT#" in data:
        os._exit(3)
    if b"#SEGV#" in data:
        os.kill(os.getpid(), signal.SIGSEGV)
    if b"#ALLOC#" in data:
        hog = bytearray(8 * 1024**3)  # more than the worker's memory limit allows
        del hog
    if b"#RAISE#" in data:
        raise RuntimeError("parser bug on this document")
    return parse(data, name=name, use_ml=use_ml)


def parse_slowly(data: bytes, name: str, use_ml: bool):
    """The real parser plus a pause, so a test can kill the batch mid-way; logs each call."""
    from vbextract import parse

    log = os.environ.get("VBX_TEST_PARSE_LOG")
    pids = os.environ.get("VBX_TEST_PID_LOG")
    if pids:
        with open(pids, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
    time.sleep(float(os.environ.get("VBX_TEST_PARSE_DELAY", "0.05")))
    doc = parse(data, name=name, use_ml=use_ml)
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{doc.source.sha256}\n")
    return doc


def parse_with_child(data: bytes, name: str, use_ml: bool):
    """Start a child process (as OCR starts tesseract) and hang: a worker killed for its time
    limit must take the child with it. The child's argument names it for the test."""
    import subprocess

    marker = os.environ.get("VBX_TEST_CHILD_MARK", "317.25")
    subprocess.Popen(["sleep", marker])
    time.sleep(3600)
