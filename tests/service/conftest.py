"""A real ``vbextract serve`` on 127.0.0.1, started for the test run and stopped after it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

try:  # the server tests need the ``serve`` extra; the report tests do not
    import fastapi  # noqa: F401
    import httpx
    import uvicorn  # noqa: F401
except ImportError:
    collect_ignore = ["test_service.py"]

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
API_KEY = "test-key-5f0c2a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, *args: str, api_key: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.pop("VBEXTRACT_API_KEY", None)
        if api_key:
            env["VBEXTRACT_API_KEY"] = api_key
        self.log = open(os.devnull, "wb")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "vbextract.cli", "serve", "--port", str(self.port), "--log-level", "warning", *args],
            env=env, stdout=self.log, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            with contextlib.suppress(httpx.HTTPError):
                r = httpx.get(self.url + "/health", timeout=2)
                if r.status_code == 200 and r.json()["status"] == "ok":
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not answer /health within 90 s")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its parse children
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)
        if self.proc.stderr:
            self.proc.stderr.close()
        self.log.close()


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """Two workers, a small queue, a 256 KiB upload limit, an API key."""
    s = Server("--workers", "2", "--queue", "4", "--max-file-size", "256K", "--max-request-size", "1M",
               "--timeout", "30", "--no-ml", api_key=API_KEY)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers={"X-API-Key": API_KEY}, timeout=60) as c:
        yield c


@pytest.fixture(scope="session")
def seeds() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert paths, "tests/seeds holds the seed documents"
    return paths


@pytest.fixture(scope="session")
def start_server():
    """``start_server(*cli_args, api_key=None)`` → a running :class:`Server` (call ``stop()``)."""
    return Server


@pytest.fixture(scope="session")
def api_key() -> str:
    return API_KEY
