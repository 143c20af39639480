"""``vbextract schema``: print the JSON Schema of the output."""

from __future__ import annotations

import json


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the output document")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..document import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return 0
