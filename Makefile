# Everything a fresh machine needs goes through these targets (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install run test lint eval eval-baseline bench train clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/pipeline run data/raw --out data/out/records.jsonl --errors data/out/errors.jsonl --overwrite

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy

eval: install
	$(BIN)/python scripts/eval_all.py --shared $(SHARED)

eval-baseline: install
	$(BIN)/python tests/fixtures/make_baseline.py

bench: install
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python scripts/bench.py --shared $(SHARED)

train: install
	$(BIN)/python -m pip install --quiet -e ".[dev,train]"
	$(BIN)/python -m pipeline.training.train --shared $(SHARED) --out models/zh_news_ner --seed 0

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache data/out
