"""Parse archives on a Dask cluster: :func:`parse_bag` (implemented in :mod:`vbextract.batch.dask`).

>>> from distributed import Client                                    # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                           # doctest: +SKIP
>>> bag = vbextract.dask.parse_bag(["/shared/archive/"])             # doctest: +SKIP
>>> bag.filter(vbextract.dask.is_parsed).map(vbextract.dask.to_record).to_textfiles(...)  # doctest: +SKIP

See :mod:`vbextract.batch.dask` for the shape of the result dicts and ``docs/distributed.md``.
"""

from __future__ import annotations

from .batch.dask import is_parsed, parse_bag, run_dask, run_on_dask, to_document, to_record

__all__ = ["is_parsed", "parse_bag", "run_dask", "run_on_dask", "to_document", "to_record"]
