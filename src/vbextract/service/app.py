"""The HTTP API: FastAPI routes over the worker pool of :mod:`vbextract.service.work`.

Routes (OpenAPI at ``/openapi.json``, interactive docs at ``/docs``):

==========================  ==================================================================
``POST /parse``             one document, as multipart field ``file`` or as the raw body
                            (``?name=cv.pdf`` names it); the CLI's options as query parameters
``POST /parse/batch``       several multipart ``file`` fields → ``[{name, ok, document|error}]``
``POST /jobs``              the same, asynchronous → ``{"id": …}`` (202)
``GET /jobs/{id}``          status and progress; ``GET /jobs/{id}/result`` the results
``GET /report``             an upload form; ``POST /report`` (one document or several) and
                            ``GET /report?job=ID`` answer the HTML report of :mod:`vbextract.report`
``GET /health``             ``{"status": "ok", …}`` with the queue's state (no API key needed)
``GET /version``            library, schema and model versions
==========================  ==================================================================

Limits (:class:`~vbextract.service.work.ServiceConfig`): request and document size (413, checked
on ``Content-Length`` and again while the body streams in), per-document time and memory (the
worker process is killed and replaced; 422 naming the limit), concurrency (``workers`` parse at once,
``queue`` more wait; beyond that 503 with ``Retry-After``, before the body is read). Errors are
JSON ``{"error": {"type", "message", "limit"?}}`` with the CLI's message; nothing answers a
traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import limits as doc_limits
from .._meta import SCHEMA_VERSION, __version__
from ..errors import InputError
from .work import FORMATS, ServiceConfig, WorkerPool, strip_text, version_info

log = logging.getLogger("vbextract.service")

OPEN_PATHS = ("/health", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/redoc")


class ApiError(Exception):
    """An answer other than 2xx, with the message a person can act on."""

    def __init__(self, status: int, kind: str, message: str, *, limit: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.limit = status, kind, message, limit
        self.headers = headers or {}

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {"type": self.kind, "message": self.message}
        if self.limit:
            body["limit"] = self.limit
        return JSONResponse({"error": body}, status_code=self.status, headers=self.headers)


def _input_error(exc: InputError) -> ApiError:
    """The HTTP answer for a document that cannot be parsed: the CLI's message, a 4xx status."""
    limit = getattr(exc, "limit", None)
    message = str(exc) or type(exc).__name__
    if limit == "max_input_mb":
        return ApiError(413, "LimitExceeded", message, limit=limit)
    if limit:
        return ApiError(422, "LimitExceeded", message, limit=limit)
    if message.startswith("empty file"):
        return ApiError(400, "EmptyInput", message)
    return ApiError(422, type(exc).__name__, message)


# ----------------------------------------------------------------------------- admission


class Gate:
    """``workers`` parses at a time; ``workers + queue`` requests admitted; the rest are refused."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.capacity = config.workers + max(0, config.queue)
        self.admitted = 0
        self.running = 0
        self.semaphore = asyncio.Semaphore(config.workers)
        self.pool: WorkerPool | None = None

    def refuse(self) -> ApiError:
        return ApiError(503, "Busy", f"the server is busy ({self.admitted} requests in progress, "
                        f"{self.config.workers} parsing at a time, {self.config.queue} waiting); "
                        f"retry in {self.config.retry_after_s} s",
                        headers={"Retry-After": str(self.config.retry_after_s)})

    @contextlib.asynccontextmanager
    async def admission(self) -> AsyncIterator[None]:
        if self.admitted >= self.capacity:
            raise self.refuse()
        self.admitted += 1
        try:
            yield
        finally:
            self.admitted -= 1

    async def parse(self, data: bytes, opts: ParseOptions) -> str:
        """The document's JSON, parsed by a worker process once one is free."""
        if self.pool is None:
            raise ApiError(503, "Starting", "the server is starting; retry in a moment", headers={"Retry-After": "1"})
        async with self.semaphore:
            self.running += 1
            try:
                return await anyio.to_thread.run_sync(functools.partial(
                    self.pool.parse, data, name=opts.name, fmt=opts.fmt, use_ml=opts.use_ml,
                    ocr_pages=opts.ocr_pages, limits=opts.limits))
            finally:
                self.running -= 1


@dataclass
class ParseOptions:
    name: str | None
    fmt: str | None
    use_ml: bool
    ocr_pages: int | None
    limits: doc_limits.Limits
    text: bool = True


# ----------------------------------------------------------------------------- jobs


@dataclass
class Job:
    id: str
    total: int
    created: float = field(default_factory=time.time)
    finished: float | None = None
    results: list[dict | None] = field(default_factory=list)
    done: int = 0
    failed: int = 0

    @property
    def status(self) -> str:
        return "done" if self.finished is not None else "running" if self.done else "queued"

    def summary(self) -> dict:
        return {"id": self.id, "status": self.status, "total": self.total, "done": self.done,
                "failed": self.failed, "progress": round(self.done / self.total, 4) if self.total else 1.0,
                "created": self.created, "finished": self.finished}


class Jobs:
    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.tasks: set[asyncio.Task] = set()

    def pending(self) -> int:
        return sum(1 for j in self.jobs.values() if j.finished is None)

    def add(self, total: int) -> Job:
        if self.pending() >= self.config.max_pending_jobs:
            raise ApiError(503, "Busy", f"{self.pending()} jobs are unfinished (at most "
                           f"{self.config.max_pending_jobs}); retry in {self.config.retry_after_s} s",
                           headers={"Retry-After": str(self.config.retry_after_s)})
        job = Job(uuid.uuid4().hex, total, results=[None] * total)
        self.jobs[job.id] = job
        while len(self.jobs) > self.config.max_jobs:
            oldest = next((k for k, j in self.jobs.items() if j.finished is not None), None)
            if oldest is None:
                break
            del self.jobs[oldest]
        return job

    def get(self, job_id: str) -> Job:
        job = self.jobs.get(job_id)
        if job is None:
            raise ApiError(404, "NotFound", f"no job {job_id!r} (unknown, or forgotten: the server keeps "
                           f"the last {self.config.max_jobs})")
        return job


# ----------------------------------------------------------------------------- request bodies


class BodyTooLarge(Exception):
    pass


def _mib(n: float) -> str:
    return doc_limits.format_size(n * doc_limits.MiB)


async def _receive_capped(request: Request, cap: int) -> None:
    """Refuse a body larger than ``cap`` bytes: by its Content-Length before reading, and by
    counting while it streams in (a chunked upload has no length)."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > cap:
        raise BodyTooLarge(int(length))
    receive = request._receive
    seen = 0

    async def counting() -> Any:
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                raise BodyTooLarge(seen)
        return message

    request._receive = counting


@dataclass
class Upload:
    name: str | None
    data: bytes


async def _uploads(request: Request, config: ServiceConfig, *, many: bool, name: str | None) -> list[Upload]:
    """The documents of a request: multipart ``file`` fields, or the raw body as one document."""
    cap = int((config.max_request_mb if many else config.max_upload_mb + 1) * doc_limits.MiB)
    await _receive_capped(request, cap)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=config.max_batch_files if many else 1, max_fields=100,
                                      max_part_size=1024 * 1024)
        except BodyTooLarge:
            raise
        except Exception as exc:  # malformed multipart, too many parts
            raise ApiError(400, "BadRequest", f"cannot read the multipart body: {getattr(exc, 'detail', exc)}") \
                from None
        try:
            files = [f for key, f in form.multi_items() if key == "file" and not isinstance(f, str)]
            if not files:
                keys = sorted({k for k, _ in form.multi_items()})
                raise ApiError(400, "NoDocument", "no document: send each file as a multipart field named "
                               f"'file' (got {', '.join(keys) or 'no fields'})")
            out = [Upload(f.filename or name, await f.read()) for f in files]  # type: ignore[union-attr]
        finally:
            await form.close()
    else:
        out = [Upload(name, await request.body())]
    if len(out) > config.max_batch_files:
        raise ApiError(413, "LimitExceeded", f"{len(out)} documents in one request, above the "
                       f"{config.max_batch_files} limit", limit="max_batch_files")
    for up in out:
        if not up.data:
            where = f" ({up.name})" if up.name else ""
            raise ApiError(400, "EmptyInput", f"empty file (0 bytes){where}: send the document as the request "
                           "body or as a multipart field named 'file'")
        try:
            doc_limits.check_input_size(len(up.data), config.limits())
        except doc_limits.LimitExceeded as exc:
            raise _input_error(exc) from None
    return out


# ----------------------------------------------------------------------------- the application


def create_app(config: ServiceConfig | None = None) -> FastAPI:
    config = config or ServiceConfig()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Start the fork server (it imports vbextract and loads the models once) and the
        # workers before the first request, so that request does not pay for them.
        pool = await anyio.to_thread.run_sync(functools.partial(WorkerPool, config.workers, config.max_memory_mb))
        gate.pool = pool
        with contextlib.suppress(InputError):
            await anyio.to_thread.run_sync(functools.partial(
                pool.parse, "ỦY BAN NHÂN DÂN\nSố: 1/UBND\n".encode(), name="warm.txt", use_ml=config.use_ml,
                limits=config.limits()))
        app.state.ready = True
        try:
            yield
        finally:
            for task in list(app.state.jobs.tasks):
                task.cancel()
            gate.pool = None
            await anyio.to_thread.run_sync(pool.close)

    app = FastAPI(title="vbextract", version=__version__, lifespan=lifespan,
                  description="Structured JSON from Vietnamese administrative documents. "
                  f"Output schema version {SCHEMA_VERSION} (`vbextract schema`).")
    app.state.config = config
    app.state.gate = Gate(config)
    app.state.jobs = Jobs(config)
    app.state.ready = False
    app.state.started = time.time()
    gate: Gate = app.state.gate
    jobs: Jobs = app.state.jobs

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return exc.response()

    @app.exception_handler(BodyTooLarge)
    async def _too_large(request: Request, exc: BodyTooLarge) -> JSONResponse:
        many = request.url.path != "/parse"
        cap = config.max_request_mb if many else config.max_upload_mb
        what = "request" if many else "file"
        return ApiError(413, "LimitExceeded", f"the {what} is larger than the {_mib(cap)} "
                        f"{'request' if many else 'input'}-size limit of this server",
                        limit="max_request_mb" if many else "max_input_mb").response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in exc.errors()]
        return ApiError(422, "BadRequest", "; ".join(parts) or "invalid request").response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return ApiError(exc.status_code, "HTTPError", str(exc.detail),
                        headers=dict(exc.headers or {})).response()

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return ApiError(500, "InternalError", "internal error (logged on the server)").response()

    @app.middleware("http")
    async def _api_key(request: Request, call_next: Any) -> Response:
        if config.api_key and request.url.path not in OPEN_PATHS:
            given = request.headers.get("x-api-key") or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = given or auth[7:].strip()
            import hmac

            if not hmac.compare_digest(given.encode(), config.api_key.encode()):
                return ApiError(401, "Unauthorized", "missing or wrong API key: send it as the X-API-Key header "
                                "or as 'Authorization: Bearer KEY'",
                                headers={"WWW-Authenticate": "Bearer"}).response()
        return await call_next(request)

    def options(name: str | None, fmt: str | None, no_ml: bool | None, no_text: bool, timeout: float | None,
                max_pages: int | None, ocr_pages: int | None) -> ParseOptions:
        if fmt is not None and fmt not in FORMATS:
            raise ApiError(422, "InputError", f"unsupported format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if timeout is not None and timeout < 0:
            raise ApiError(422, "BadRequest", "timeout: must be 0 (the server's limit) or more seconds")
        use_ml = config.use_ml if no_ml is None else not no_ml
        return ParseOptions(name, fmt, use_ml, ocr_pages, config.limits(timeout, max_pages), text=not no_text)

    # The body is read inside the routes (after admission), so it is documented here by hand.
    one_body = {"requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}}, "required": ["file"]}},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
    many_body = {"requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "array", "items": {"type": "string", "format": "binary"}}}, "required": ["file"]}}}}}

    name_q = Query(None, description="file name of a raw body (its suffix hints the format)")
    fmt_q = Query(None, alias="format", description=f"force the input format: {', '.join(FORMATS)}")
    no_ml_q = Query(None, description="rules only; skip the statistical components (CLI --no-ml)")
    no_text_q = Query(False, description="leave out the text and its offset map (CLI --no-text)")
    timeout_q = Query(None, description="per-document time limit in seconds, at most the server's (CLI --timeout)")
    pages_q = Query(None, description="PDFs with more pages fail, at most the server's (CLI --max-pages)")
    ocr_q = Query(None, description="OCR at most N pages of a scanned PDF (CLI --ocr-pages)")

    async def parse_one(up: Upload, opts: ParseOptions) -> str:
        try:
            return await gate.parse(up.data, ParseOptions(up.name or opts.name, opts.fmt, opts.use_ml,
                                                          opts.ocr_pages, opts.limits, opts.text))
        except InputError as exc:
            raise _input_error(exc) from None

    async def parse_result(up: Upload, opts: ParseOptions) -> dict:
        import json

        try:
            payload = await parse_one(up, opts)
        except ApiError as exc:
            err: dict[str, Any] = {"type": exc.kind, "message": exc.message, "status": exc.status}
            if exc.limit:
                err["limit"] = exc.limit
            return {"name": up.name, "ok": False, "error": err}
        return {"name": up.name, "ok": True, "document": json.loads(payload) if opts.text else strip_text(payload)}

    @app.post("/parse", openapi_extra=one_body, summary="Parse one document",
              response_description="the Document (schema: `vbextract schema`)")
    async def parse_route(request: Request, name: str | None = name_q, fmt: str | None = fmt_q,
                          no_ml: bool | None = no_ml_q, no_text: bool = no_text_q, timeout: float | None = timeout_q,
                          max_pages: int | None = pages_q, ocr_pages: int | None = ocr_q) -> Response:
        opts = options(name, fmt, no_ml, no_text, timeout, max_pages, ocr_pages)
        async with gate.admission():
            (up,) = await _uploads(request, config, many=False, name=name)
            payload = await parse_one(up, opts)
        if not opts.text:
            return JSONResponse(strip_text(payload))
        return Response(payload, media_type="application/json")

    @app.post("/parse/batch", openapi_extra=many_body, summary="Parse several documents",
              response_description="one {name, ok, document | error} per file, in order")
    async def batch_route(request: Request, fmt: str | None = fmt_q, no_ml: bool | None = no_ml_q,
                          no_text: bool = no_text_q, timeout: float | None = timeout_q,
                          max_pages: int | None = pages_q, ocr_pages: int | None = ocr_q) -> JSONResponse:
        opts = options(None, fmt, no_ml, no_text, timeout, max_pages, ocr_pages)
        async with gate.admission():
            ups = await _uploads(request, config, many=True, name=None)
            results = await asyncio.gather(*(parse_result(up, opts) for up in ups))
        return JSONResponse(list(results))

    async def run_job(job: Job, ups: list[Upload], opts: ParseOptions) -> None:
        async def one(i: int, up: Upload) -> None:
            result = await parse_result(up, opts)
            job.results[i] = result
            job.done += 1
            job.failed += not result["ok"]

        try:
            await asyncio.gather(*(one(i, up) for i, up in enumerate(ups)))
        finally:
            job.finished = time.time()

    @app.post("/jobs", openapi_extra=many_body, status_code=202, summary="Start an asynchronous parse",
              response_description="the job: poll GET /jobs/{id}, then GET /jobs/{id}/result")
    async def jobs_route(request: Request, name: str | None = name_q, fmt: str | None = fmt_q,
                         no_ml: bool | None = no_ml_q, no_text: bool = no_text_q, timeout: float | None = timeout_q,
                         max_pages: int | None = pages_q, ocr_pages: int | None = ocr_q) -> JSONResponse:
        opts = options(name, fmt, no_ml, no_text, timeout, max_pages, ocr_pages)
        if jobs.pending() >= config.max_pending_jobs:
            jobs.add(0)  # raises the 503 before the body is read
        ups = await _uploads(request, config, many=True, name=name)
        job = jobs.add(len(ups))
        task = asyncio.create_task(run_job(job, ups, opts))
        jobs.tasks.add(task)
        task.add_done_callback(jobs.tasks.discard)
        return JSONResponse(job.summary(), status_code=202, headers={"Location": f"/jobs/{job.id}"})

    @app.get("/jobs/{job_id}", summary="A job's status and progress")
    async def job_route(job_id: str) -> JSONResponse:
        return JSONResponse(jobs.get(job_id).summary())

    @app.get("/jobs/{job_id}/result", summary="A finished job's results")
    async def job_result_route(job_id: str) -> JSONResponse:
        job = jobs.get(job_id)
        if job.finished is None:
            raise ApiError(409, "NotFinished", f"job {job_id} is {job.status} ({job.done} of {job.total} documents "
                           "done); poll GET /jobs/{id} until its status is 'done'",
                           headers={"Retry-After": "1"})
        return JSONResponse({**job.summary(), "results": job.results})

    @app.get("/health", summary="Liveness and queue state")
    async def health_route() -> JSONResponse:
        return JSONResponse({"status": "ok" if app.state.ready else "starting", "version": __version__,
                             "admitted": gate.admitted, "parsing": gate.running, "workers": config.workers,
                             "queue": config.queue, "pending_jobs": jobs.pending(),
                             "workers_replaced": gate.pool.replaced if gate.pool else 0,
                             "uptime_s": round(time.time() - app.state.started, 1)})

    @app.get("/version", summary="Library, schema and model versions")
    async def version_route() -> JSONResponse:
        return JSONResponse(await anyio.to_thread.run_sync(version_info))

    def render(results: list[dict]) -> str:
        from ..document import Document
        from ..report import render_report

        docs = [(r.get("name") or f"document {i + 1}", Document.model_validate(r["document"]))
                for i, r in enumerate(results) if r.get("ok")]
        failed = [(r.get("name") or "?", r["error"]["message"]) for r in results if not r.get("ok")]
        return render_report(docs, failed=failed)

    async def report_html(results: list[dict]) -> HTMLResponse:
        # rendering a long document takes a while: not on the event loop
        return HTMLResponse(await anyio.to_thread.run_sync(render, results))

    @app.get("/report", summary="The HTML report of a finished job, or an upload form",
             response_class=HTMLResponse)
    async def report_form(job: str | None = Query(None, description="a finished job's id")) -> HTMLResponse:
        if job is None:
            return HTMLResponse(_FORM)
        found = jobs.get(job)
        if found.finished is None:
            raise ApiError(409, "NotFinished", f"job {job} is {found.status} ({found.done} of {found.total} done)",
                           headers={"Retry-After": "1"})
        if not any(r and r.get("ok") and "text" in r["document"] for r in found.results):
            raise ApiError(422, "NoText", "the job was run with no_text; a report needs the document text")
        return await report_html([r for r in found.results if r])

    @app.post("/report", openapi_extra=many_body, summary="Parse documents and answer their HTML report",
              response_class=HTMLResponse)
    async def report_route(request: Request, name: str | None = name_q, fmt: str | None = fmt_q,
                           no_ml: bool | None = no_ml_q, timeout: float | None = timeout_q,
                           max_pages: int | None = pages_q, ocr_pages: int | None = ocr_q) -> HTMLResponse:
        opts = options(name, fmt, no_ml, False, timeout, max_pages, ocr_pages)
        async with gate.admission():
            ups = await _uploads(request, config, many=True, name=name)
            results = await asyncio.gather(*(parse_result(up, opts) for up in ups))
        if len(results) == 1 and not results[0]["ok"]:
            err = results[0]["error"]
            raise ApiError(err["status"], err["type"], err["message"], limit=err.get("limit"))
        return await report_html(list(results))

    return app


_FORM = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>vbextract report</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>vbextract report</h1>
<p>Choose one or more documents (.txt .md .pdf .docx .doc .rtf .html); the report shows each document's
text with every extracted value highlighted, its tasks and its warnings.</p>
<form method="post" action="/report" enctype="multipart/form-data">
<input type="file" name="file" multiple required> <button type="submit">Report</button>
</form></body></html>
"""
