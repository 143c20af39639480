# One entry point per routine action. `make test` is the README's test command.
PY ?= python3
export HF_DATASETS_OFFLINE=1
export HF_HUB_OFFLINE=1

.PHONY: install test lint typecheck schema golden generated check-generated bench train eval

install:
	$(PY) -m pip install -q -e ".[all,dev]"

test: install
	$(PY) -m pytest

lint:
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m mypy

# Regenerate the committed JSON Schema and the golden files of the seeds.
generated:
	$(PY) -m vbextract.tools.regenerate

check-generated:
	$(PY) -m vbextract.tools.regenerate --check

bench:
	$(PY) benchmarks/bench_text.py
	$(PY) benchmarks/bench_batch.py
	$(PY) benchmarks/bench_pdf.py
	$(PY) benchmarks/bench_corpus.py
	$(PY) benchmarks/bench_ml.py

train:
	$(PY) -m vbextract.cli train

eval:
	$(PY) -m vbextract.cli eval ../shared/gold ../shared/seeds
