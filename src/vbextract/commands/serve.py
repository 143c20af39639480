"""``vbextract serve [--host H] [--port P] [--workers N] [--queue N] [--timeout S] …``: the HTTP API.

Needs ``pip install vbextract[serve]`` (FastAPI, uvicorn, python-multipart). The API key, when
wanted, is read from the environment variable named by ``--api-key-env`` (default
``VBEXTRACT_API_KEY``), so that it does not show in the process list.
"""

from __future__ import annotations

import os
import sys


def register(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="run the HTTP API (POST /parse, /parse/batch, /jobs, /report; docs at /docs)",
        description="Serve the parser over HTTP: POST /parse (a multipart 'file' or the raw body), POST "
        "/parse/batch, POST /jobs and GET /jobs/{id}[/result], GET|POST /report, GET /health, GET /version; "
        "OpenAPI at /openapi.json, docs at /docs. Each document is parsed in a child process killed at its "
        "time limit; a full queue answers 503 with Retry-After. Example: vbextract serve --port 8000 --workers 2",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="documents parsed at the same time (default: the CPU count)")
    p.add_argument("--queue", type=int, default=16, metavar="N",
                   help="requests that may wait for a worker; more answer 503 + Retry-After (default 16)")
    p.add_argument("--retry-after", type=int, default=5, metavar="SECONDS", help="Retry-After of a 503 (default 5)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="per-document time limit; requests may ask for less (default 60, 0 = none)")
    p.add_argument("--max-memory", default="2G", metavar="SIZE", help="per-document memory limit (default 2G, 0 = none)")
    p.add_argument("--max-file-size", default="20M", metavar="SIZE", help="larger documents answer 413 (default 20M)")
    p.add_argument("--max-request-size", default="100M", metavar="SIZE",
                   help="larger request bodies (batch, jobs) answer 413 (default 100M)")
    p.add_argument("--max-decompressed", default="64M", metavar="SIZE",
                   help="a .docx whose XML inflates to more fails (default 64M, 0 = none)")
    p.add_argument("--max-pages", type=int, default=300, metavar="N", help="PDFs with more pages fail (default 300)")
    p.add_argument("--max-batch-files", type=int, default=50, metavar="N", help="documents per request (default 50)")
    p.add_argument("--max-pending-jobs", type=int, default=8, metavar="N",
                   help="unfinished jobs; more answer 503 (default 8)")
    p.add_argument("--api-key-env", default="VBEXTRACT_API_KEY", metavar="VAR",
                   help="environment variable holding the API key; unset or empty: no key needed "
                   "(default VBEXTRACT_API_KEY)")
    p.add_argument("--no-ml", action="store_true", help="rules only by default (a request may not turn ML on)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    p.set_defaults(func=run)


def config_from(args):
    from .. import limits
    from ..service.work import ServiceConfig

    def mb(text: str) -> float:
        return limits.parse_size(text) / limits.MiB

    return ServiceConfig(
        workers=max(1, args.workers), queue=max(0, args.queue), retry_after_s=max(1, args.retry_after),
        timeout_s=args.timeout or 0, max_memory_mb=int(mb(args.max_memory)) or None,
        max_upload_mb=mb(args.max_file_size), max_request_mb=mb(args.max_request_size),
        max_decompressed_mb=mb(args.max_decompressed) or None, max_pages=args.max_pages or None,
        max_batch_files=max(1, args.max_batch_files), max_pending_jobs=max(1, args.max_pending_jobs),
        api_key=os.environ.get(args.api_key_env) or None, use_ml=not args.no_ml)


def run(args) -> int:
    try:
        import uvicorn

        from ..service.app import create_app
    except ModuleNotFoundError as exc:
        print(f"vbextract serve: {exc.name} is not installed; pip install 'vbextract[serve]'", file=sys.stderr)
        return 2
    try:
        config = config_from(args)
    except ValueError as exc:
        print(f"vbextract serve: bad size: {exc}", file=sys.stderr)
        return 2
    if config.api_key is None and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"vbextract serve: warning: listening on {args.host} without an API key (set {args.api_key_env})",
              file=sys.stderr)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level=args.log_level,
                timeout_graceful_shutdown=10)
    return 0
