"""Documents as a Hugging Face ``datasets.Dataset`` with one explicit schema, and back.

The ``datasets.Features`` are derived from the pydantic :class:`~vbextract.document.Document`
model, never inferred from data: a shard where a list is always empty or a field always null
would otherwise infer ``Value('null')`` and no longer concatenate with other shards
(``shared/spec/deps.md`` §7). Two things in the model have no Arrow type and are re-shaped:

* **recursive lists** (``Section.children``) are flattened in pre-order into one list whose
  items carry ``parent``, the index of the parent item (``None`` at the top), and rebuilt on the
  way back;
* **free-form mappings** (``dict[str, X]``, none today) become ``[{"key", "value"}]`` lists,
  because Arrow would turn them into a struct of the union of all keys.

Each row also has ``locations`` (``[{"path", "member"}]``), where a batch found the content.

No function here touches the network: datasets are built with ``Dataset.from_list`` /
``from_parquet`` with ``features=`` and saved with ``save_to_disk``; set ``HF_DATASETS_OFFLINE=1``
anyway so that no other code path of ``datasets`` phones home.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from .document import Document

LOCATIONS_FIELD = "locations"
PARENT_FIELD = "parent"
_CHUNK_ROWS = 1000


# --------------------------------------------------------------------------- schema


def _non_none(annotation: Any) -> Any:
    """``X | None`` → ``X`` (Arrow columns are nullable anyway)."""
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        raise TypeError(f"unions of several types have no single Arrow type: {annotation}")
    return annotation


def _tree_field(model: type[BaseModel]) -> str | None:
    """The field of ``model`` that holds a list of ``model`` itself (``children``), if any."""
    for name, info in model.model_fields.items():
        ann = _non_none(info.annotation)
        if get_origin(ann) is list and get_args(ann)[0] is model:
            return name
    return None


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def feature_for(annotation: Any) -> Any:
    """The ``datasets`` feature for one pydantic annotation."""
    from datasets import List, Value

    tp = _non_none(annotation)
    origin = get_origin(tp)
    if tp is str or origin is Literal:
        return Value("string")
    if tp is bool:
        return Value("bool")
    if tp is int:
        return Value("int64")
    if tp is float:
        return Value("float64")
    if origin is list:
        item = get_args(tp)[0]
        if _is_model(item) and _tree_field(item):
            return List(_model_features(item, flat_tree=True))
        return List(feature_for(item))
    if origin is tuple:
        args = [a for a in get_args(tp) if a is not Ellipsis]
        if len(set(args)) != 1:
            raise TypeError(f"tuples of mixed types have no Arrow list type: {tp}")
        return List(feature_for(args[0]))
    if origin is dict:
        return List({"key": Value("string"), "value": feature_for(get_args(tp)[1])})
    if _is_model(tp):
        return _model_features(tp)
    raise TypeError(f"no datasets feature for {annotation!r}")


def _model_features(model: type[BaseModel], flat_tree: bool = False) -> dict[str, Any]:
    from datasets import Value

    tree = _tree_field(model) if flat_tree else None
    out = {name: feature_for(info.annotation) for name, info in model.model_fields.items() if name != tree}
    if tree:
        out[PARENT_FIELD] = Value("int64")
    return out


def require_datasets():
    """The ``datasets`` package, or an ImportError that says which extra to install."""
    try:
        import datasets
    except ImportError as exc:
        raise ModuleNotFoundError(f"this needs the optional 'datasets' package (missing module: {exc.name}); "
                                  "install it with: pip install 'vbextract[datasets]'", name=exc.name) from None
    return datasets


@cache
def features():
    """The one ``datasets.Features`` of a vbextract dataset (Document fields + ``locations``)."""
    require_datasets()
    from datasets import Features, List, Value

    cols = _model_features(Document)
    cols[LOCATIONS_FIELD] = List({"path": Value("string"), "member": Value("string")})
    return Features(cols)


# --------------------------------------------------------------------------- rows


def _encode(value: Any, annotation: Any) -> Any:
    """A ``model_dump(mode="json")`` value → the row value for :func:`feature_for`."""
    if value is None:
        return None
    tp = _non_none(annotation)
    origin = get_origin(tp)
    if origin is list:
        item = get_args(tp)[0]
        if _is_model(item) and _tree_field(item):
            return _flatten_tree(value, item)
        return [_encode(v, item) for v in value]
    if origin is dict:
        return [{"key": k, "value": _encode(v, get_args(tp)[1])} for k, v in value.items()]
    if origin is tuple:
        return list(value)
    if _is_model(tp):
        return {name: _encode(value.get(name), info.annotation) for name, info in tp.model_fields.items()}
    return value


def _flatten_tree(items: list[dict], model: type[BaseModel]) -> list[dict]:
    tree = _tree_field(model)
    assert tree is not None
    flat: list[dict] = []

    def visit(node: dict, parent: int | None) -> None:
        row = {name: _encode(node.get(name), info.annotation)
               for name, info in model.model_fields.items() if name != tree}
        row[PARENT_FIELD] = parent
        flat.append(row)
        index = len(flat) - 1
        for child in node.get(tree) or []:
            visit(child, index)

    for node in items:
        visit(node, None)
    return flat


def _decode(value: Any, annotation: Any) -> Any:
    """The inverse of :func:`_encode`."""
    if value is None:
        return None
    tp = _non_none(annotation)
    origin = get_origin(tp)
    if origin is list:
        item = get_args(tp)[0]
        if _is_model(item) and _tree_field(item):
            return _unflatten_tree(value, item)
        return [_decode(v, item) for v in value]
    if origin is dict:
        return {kv["key"]: _decode(kv["value"], get_args(tp)[1]) for kv in value}
    if _is_model(tp):
        return {name: _decode(value.get(name), info.annotation) for name, info in tp.model_fields.items()
                if value.get(name) is not None}
    return value


def _unflatten_tree(rows: list[dict], model: type[BaseModel]) -> list[dict]:
    tree = _tree_field(model)
    assert tree is not None
    nodes: list[dict] = []
    roots: list[dict] = []
    for row in rows:
        node = {name: _decode(row.get(name), info.annotation) for name, info in model.model_fields.items()
                if name != tree and row.get(name) is not None}
        node[tree] = []
        nodes.append(node)
        parent = row.get(PARENT_FIELD)
        (roots if parent is None else nodes[parent][tree]).append(node)
    return roots


def document_row(doc: Document | dict, locations: Iterable[dict] | None = None) -> dict:
    """One dataset row for a Document (or a batch record dict with ``locations``)."""
    if isinstance(doc, Document):
        data = doc.model_dump(mode="json")
    else:
        fields = dict(doc)
        found = fields.pop(LOCATIONS_FIELD, None)
        locations = found if locations is None else locations
        # validate: a stray or misspelled key must fail here, not vanish from the dataset
        data = Document.model_validate(fields).model_dump(mode="json")
    row = {name: _encode(data.get(name), info.annotation) for name, info in Document.model_fields.items()}
    row[LOCATIONS_FIELD] = [{"path": loc.get("path"), "member": loc.get("member")} for loc in locations or []]
    return row


def row_to_record(row: dict) -> dict:
    """A dataset row back to a batch record: Document fields (JSON types) + ``locations``."""
    rec = {name: _decode(row.get(name), info.annotation) for name, info in Document.model_fields.items()
           if row.get(name) is not None}
    rec[LOCATIONS_FIELD] = list(row.get(LOCATIONS_FIELD) or [])
    return rec


def row_to_document(row: dict) -> Document:
    rec = row_to_record(row)
    rec.pop(LOCATIONS_FIELD)
    return Document.model_validate(rec)


# --------------------------------------------------------------------------- datasets


def _as_row(item: Any) -> dict:
    record = getattr(item, "record", None)  # a batch.BatchResult
    if isinstance(record, str):
        return document_row(json.loads(record))
    if isinstance(item, str):
        return document_row(json.loads(item))
    return document_row(item)


def to_dataset(documents: Iterable[Any]):
    """A ``datasets.Dataset`` of documents, always with :func:`features` as its schema.

    ``documents`` may hold :class:`Document` objects, batch records (dicts or JSON strings) or
    successful results of :func:`vbextract.parse_many` (failed ones are skipped).
    """
    Dataset = require_datasets().Dataset
    rows = [_as_row(d) for d in documents if getattr(d, "error", None) is None]
    return Dataset.from_list(rows, features=features())


def from_dataset(dataset) -> Iterator[Document]:
    """The documents of a dataset made by :func:`to_dataset` (or read from a batch's output)."""
    for row in dataset:
        yield row_to_document(row)


def load_output(path: str | os.PathLike, fmt: str | None = None, cache_dir: str | None = None):
    """Open a batch output (parquet file or ``hf`` directory) as a Dataset, offline."""
    require_datasets()
    from datasets import Dataset, load_from_disk

    path = Path(path)
    if (fmt or ("hf" if path.is_dir() else "parquet")) == "hf":
        return load_from_disk(str(path))
    return Dataset.from_parquet(str(path), features=features(), cache_dir=cache_dir)


# --------------------------------------------------------------------------- batch outputs


def _rows_from_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.endswith("\n") and line.strip():
                yield document_row(json.loads(line))


def write_parquet(rows: Iterable[dict], target: Path) -> None:
    """Stream rows into a Parquet file with the explicit schema (HF metadata included), atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = features().arrow_schema
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        chunk: list[dict] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= _CHUNK_ROWS:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
    os.replace(tmp, target)


def write_output_from_jsonl(staging: Path, final: Path, fmt: str) -> None:
    """Build the final parquet file or HF dataset directory from a batch's staging JSONL."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        write_parquet(_rows_from_jsonl(staging), final)
        return
    import datasets
    from datasets import Dataset

    bars = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()  # the batch has its own progress bar; keep stderr clean
    try:
        _build_hf(staging, final, Dataset)
    finally:
        if bars:
            datasets.enable_progress_bars()


def _build_hf(staging: Path, final: Path, Dataset) -> None:
    with tempfile.TemporaryDirectory(dir=final.parent, prefix=f".{final.name}.") as work:
        parquet = Path(work) / "data.parquet"
        write_parquet(_rows_from_jsonl(staging), parquet)
        ds = Dataset.from_parquet(str(parquet), features=features(), cache_dir=str(Path(work) / "cache"))
        built = Path(work) / "dataset"
        ds.save_to_disk(str(built))
        del ds
        old = final.with_name(f".{final.name}.old")
        if final.exists():
            os.replace(final, old)
        os.replace(built, final)
        shutil.rmtree(old, ignore_errors=True)


def records_from_output(final: Path, fmt: str) -> Iterator[str]:
    """The records of a finished parquet/HF output as JSON lines (to resume and extend it)."""
    import pyarrow.parquet as pq

    if fmt == "parquet":
        for batch in pq.ParquetFile(final).iter_batches(batch_size=_CHUNK_ROWS):
            for row in batch.to_pylist():
                yield json.dumps(row_to_record(row), ensure_ascii=False)
        return
    for row in load_output(final, "hf"):
        yield json.dumps(row_to_record(row), ensure_ascii=False)
