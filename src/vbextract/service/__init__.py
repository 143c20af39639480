"""``vbextract serve``: an HTTP API over the library (FastAPI + uvicorn, ``pip install vbextract[serve]``).

Importing this package imports neither FastAPI nor the parser: the configuration and the code a
parse child runs live in :mod:`vbextract.service.work`, the application in
:mod:`vbextract.service.app` (``create_app``)::

    from vbextract.service import ServiceConfig, create_app
    app = create_app(ServiceConfig(workers=2, timeout_s=30))
"""

from __future__ import annotations

from typing import Any

from .work import ServiceConfig


def create_app(config: ServiceConfig | None = None) -> Any:
    """The FastAPI application (see :mod:`vbextract.service.app`)."""
    from .app import create_app as _create_app

    return _create_app(config)


__all__ = ["ServiceConfig", "create_app"]
