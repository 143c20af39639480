"""Regenerate the committed generated files, or check that they are current (``--check``).

* ``schema/document.schema.json`` — the JSON Schema of the output models;
* ``tests/golden/<seed>.json`` — the rules-only parse of each seed in ``tests/seeds``.

``make generated`` writes them; CI runs ``make check-generated`` and fails on any difference, so a
model change without a regenerated schema, or a rule change without reviewed goldens, cannot land.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def generated_files() -> dict[Path, str]:
    from vbextract.document import json_schema
    from vbextract.pipeline import parse

    files: dict[Path, str] = {
        ROOT / "schema" / "document.schema.json": json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    }
    for seed in sorted((ROOT / "tests" / "seeds").glob("*.txt")):
        doc = parse(seed.read_bytes(), name=seed.name, use_ml=False)
        files[ROOT / "tests" / "golden" / f"{seed.stem}.json"] = golden_json(doc)
    return files


def golden_json(doc) -> str:
    data = doc.model_dump(mode="json")
    data["source"]["path"] = Path(data["source"]["path"] or "").name or None
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if any generated file is stale")
    args = ap.parse_args(argv)
    stale = []
    for path, content in generated_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == content:
            continue
        if args.check:
            stale.append(path)
            diff = difflib.unified_diff(current.splitlines(), content.splitlines(), str(path), "regenerated",
                                        lineterm="", n=1)
            print("\n".join(list(diff)[:40]), file=sys.stderr)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"stale generated files (run `make generated` and review the diff): "
              f"{', '.join(str(p.relative_to(ROOT)) for p in stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
