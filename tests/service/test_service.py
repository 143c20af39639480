"""``vbextract serve`` over real HTTP: documents, every error path, a time-out, a full queue."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from vbextract.errors import InputError
from vbextract.pipeline import parse

httpx = pytest.importorskip("httpx")
pytestmark = pytest.mark.timeout(180)


def _same_document(served: dict, path, name: str) -> None:
    """What the server answers is what the library gives for the same bytes and name."""
    local = json.loads(parse(path.read_bytes(), name=name, use_ml=False).model_dump_json())
    assert served == local


def _cli_message(data: bytes, name: str | None = None) -> str:
    with pytest.raises(InputError) as exc:
        parse(data, name=name, use_ml=False)
    return str(exc.value)


def test_parse_multipart_real_document(client, seeds):
    path = seeds[0]
    r = client.post("/parse", files={"file": (path.name, path.read_bytes(), "text/plain")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["header"]["issuer"] and doc["tasks"]
    _same_document(doc, path, path.name)


def test_parse_raw_body_with_options(client, seeds):
    path = seeds[1]
    r = client.post("/parse", params={"name": path.name}, content=path.read_bytes())
    assert r.status_code == 200, r.text
    _same_document(r.json(), path, path.name)
    r = client.post("/parse", params={"name": path.name, "no_text": "true", "format": "txt"},
                    content=path.read_bytes())
    assert r.status_code == 200
    doc = r.json()
    assert "text" not in doc and "offset_map" not in doc["source"] and doc["tasks"]


def test_batch(client, seeds):
    files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in seeds[:3]]
    files.append(("file", ("junk.bin", os.urandom(3000), "application/octet-stream")))
    r = client.post("/parse/batch", files=files)
    assert r.status_code == 200, r.text
    results = r.json()
    assert [x["name"] for x in results] == [p.name for p in seeds[:3]] + ["junk.bin"]
    assert [x["ok"] for x in results] == [True, True, True, False]
    for x, p in zip(results, seeds[:3]):
        _same_document(x["document"], p, p.name)
    assert results[3]["error"]["status"] == 422 and "not a document" in results[3]["error"]["message"]


def test_jobs(client, seeds):
    files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in seeds]
    r = client.post("/jobs", files=files)
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["total"] == len(seeds) and r.headers["location"] == f"/jobs/{job['id']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = client.get(f"/jobs/{job['id']}").json()
        assert 0.0 <= status["progress"] <= 1.0 and status["done"] <= status["total"]
        if status["status"] == "done":
            break
        time.sleep(0.1)
    assert status["status"] == "done" and status["progress"] == 1.0 and status["failed"] == 0
    result = client.get(f"/jobs/{job['id']}/result").json()
    assert [x["name"] for x in result["results"]] == [p.name for p in seeds]
    for x, p in zip(result["results"], seeds):
        _same_document(x["document"], p, p.name)
    report = client.get("/report", params={"job": job["id"]})
    assert report.status_code == 200 and report.text.count('class="vb-doc"') == len(seeds)
    assert client.get("/jobs/0123456789abcdef").status_code == 404
    assert client.get("/jobs/0123456789abcdef/result").json()["error"]["type"] == "NotFound"


def test_health_version_openapi_docs(server, client):
    h = httpx.get(server.url + "/health", timeout=10)  # no API key needed
    assert h.status_code == 200 and h.json()["status"] == "ok" and h.json()["workers"] == 2
    v = client.get("/version").json()
    import vbextract

    assert v["vbextract"] == vbextract.__version__ and v["schema_version"] == vbextract.SCHEMA_VERSION
    assert set(v["models"]) >= {"linebreak", "zones", "entities"}
    spec = httpx.get(server.url + "/openapi.json", timeout=10).json()
    assert {"/parse", "/parse/batch", "/jobs", "/jobs/{job_id}", "/jobs/{job_id}/result", "/health", "/version",
            "/report"} <= set(spec["paths"])
    assert "multipart/form-data" in spec["paths"]["/parse"]["post"]["requestBody"]["content"]
    docs = httpx.get(server.url + "/docs", timeout=10)
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


def _error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "Traceback" not in r.text
    return r.json()["error"]


def test_empty_body(client):
    assert "empty file" in _error(client.post("/parse"), 400)["message"]
    assert "empty file" in _error(client.post("/parse", files={"file": ("a.txt", b"", "text/plain")}), 400)["message"]
    err = _error(client.post("/parse", files={"other": ("a.txt", b"abc", "text/plain")}), 400)
    assert "multipart field named 'file'" in err["message"]


def test_junk_bytes_answer_the_cli_message(client):
    junk = os.urandom(4000)
    err = _error(client.post("/parse", content=junk), 422)
    assert err["message"] == _cli_message(junk) and err["type"] == "InputError"
    zipjunk = b"PK\x03\x04" + os.urandom(500)
    err = _error(client.post("/parse", params={"name": "x.docx"}, content=zipjunk), 422)
    assert err["message"] == _cli_message(zipjunk, "x.docx")


def test_unknown_format(client, seeds):
    err = _error(client.post("/parse", params={"format": "xlsx"}, content=seeds[0].read_bytes()), 422)
    assert err["message"] == "unsupported format 'xlsx'; expected one of txt, md, pdf, docx, doc, rtf, html"
    sheet = b"PK\x05\x06" + bytes(18)  # an empty zip named .xlsx: not a format vbextract reads
    err = _error(client.post("/parse", files={"file": ("table.xlsx", sheet, "application/zip")}), 422)
    assert err["message"] == _cli_message(sheet, "table.xlsx")


def test_too_large(client):
    big = b"a " * (200 * 1024)  # 400 KiB, above the 256 KiB limit
    err = _error(client.post("/parse", content=big), 413)
    assert err["limit"] == "max_input_mb" and "256 KiB" in err["message"]

    def chunks():  # no Content-Length: counted while it streams in
        for _ in range(40):
            yield b"a " * 5120

    err = _error(client.post("/parse", content=chunks()), 413)
    assert err["limit"] == "max_input_mb"
    err = _error(client.post("/parse", files={"file": ("big.txt", big, "text/plain")}), 413)
    assert err["limit"] == "max_input_mb"
    many = [("file", (f"{i}.txt", b"x " * 100_000, "text/plain")) for i in range(6)]  # 1.2 MB in all
    err = _error(client.post("/parse/batch", files=many), 413)
    assert err["limit"] == "max_request_mb"


def test_api_key(server, seeds, api_key):
    body = seeds[0].read_bytes()
    err = _error(httpx.post(server.url + "/parse", content=body, timeout=30), 401)
    assert "API key" in err["message"]
    err = _error(httpx.post(server.url + "/parse", content=body, headers={"X-API-Key": "wrong"}, timeout=30), 401)
    assert "API key" in err["message"]
    _error(httpx.get(server.url + "/version", headers={"Authorization": "Bearer wrong"}, timeout=30), 401)
    ok = httpx.post(server.url + "/parse", content=body, headers={"Authorization": f"Bearer {api_key}"}, timeout=30)
    assert ok.status_code == 200


def test_time_out_kills_the_parse_and_the_server_goes_on(client, seeds):
    body = seeds[2].read_bytes()
    replaced = client.get("/health").json()["workers_replaced"]
    started = time.monotonic()
    err = _error(client.post("/parse", params={"timeout": "0.001"}, content=body), 422)
    # the server's clock ("its process was killed") or the worker's own check, whichever is first
    assert err["limit"] == "timeout_s" and "0.001 s time limit" in err["message"]
    assert time.monotonic() - started < 20
    health = client.get("/health").json()
    assert health["parsing"] == 0 and health["workers_replaced"] == replaced + 1  # killed, replaced
    assert client.post("/parse", content=body).status_code == 200


def test_bad_query_and_bad_multipart_are_4xx(client, seeds):
    err = _error(client.post("/parse", params={"timeout": "soon"}, content=seeds[0].read_bytes()), 422)
    assert "timeout" in err["message"]
    r = client.post("/parse", content=b"--xx\r\nnot a part", headers={"content-type": "multipart/form-data; boundary=xx"})
    assert 400 <= r.status_code < 500 and "Traceback" not in r.text


def test_full_queue_answers_503_with_retry_after(seeds, start_server):
    busy = start_server("--workers", "1", "--queue", "0", "--retry-after", "7", "--no-ml")
    try:
        release = threading.Event()
        answer: dict = {}

        def slow_upload():  # holds the only slot: admitted, body still arriving
            yield seeds[0].read_bytes()[:100]
            release.wait(30)
            yield seeds[0].read_bytes()[100:]

        def first() -> None:
            answer["r"] = httpx.post(busy.url + "/parse", content=slow_upload(), timeout=60)

        t = threading.Thread(target=first)
        t.start()
        deadline = time.monotonic() + 20
        while httpx.get(busy.url + "/health", timeout=5).json()["admitted"] < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        r = httpx.post(busy.url + "/parse", content=seeds[1].read_bytes(), timeout=30)
        err = _error(r, 503)
        assert r.headers["retry-after"] == "7" and "busy" in err["message"]
        # jobs are not held back by admissions (only by the worker): 40 documents on one worker
        # take a while, and their result is not there until the last is done
        files = [("file", (f"{i}.txt", seeds[i % len(seeds)].read_bytes())) for i in range(40)]
        job = httpx.post(busy.url + "/jobs", files=files, timeout=30).json()
        err = _error(httpx.get(f"{busy.url}/jobs/{job['id']}/result", timeout=10), 409)
        assert "of 40 documents done" in err["message"]
        release.set()
        t.join(60)
        assert answer["r"].status_code == 200 and answer["r"].json()["tasks"]
        deadline = time.monotonic() + 60
        while httpx.get(f"{busy.url}/jobs/{job['id']}", timeout=10).json()["status"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        results = httpx.get(f"{busy.url}/jobs/{job['id']}/result", timeout=10).json()["results"]
        assert len(results) == 40 and all(x["ok"] for x in results)
        assert httpx.post(busy.url + "/parse", content=seeds[1].read_bytes(), timeout=30).status_code == 200
    finally:
        busy.stop()


def test_too_many_files(client, seeds):
    files = [("file", (f"{i}.txt", b"x", "text/plain")) for i in range(51)]
    r = client.post("/parse/batch", files=files)
    assert 400 <= r.status_code < 500 and "Traceback" not in r.text


def test_report_routes(client, seeds):
    form = client.get("/report")
    assert form.status_code == 200 and 'enctype="multipart/form-data"' in form.text
    r = client.post("/report", files={"file": (seeds[0].name, seeds[0].read_bytes(), "text/plain")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    doc = parse(seeds[0].read_bytes(), name=seeds[0].name, use_ml=False)
    assert r.text.count('class="vb-task"') == len(doc.tasks)
    err = _error(client.post("/report", content=os.urandom(3000)), 422)
    assert "not a document" in err["message"]
