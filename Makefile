# Everything a fresh machine needs goes through these targets (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Training (torch) gets its own environment: with torch importable, spaCy's thinc
# imports it and every model load pays about a second for it.
TVENV  := .venv-train
TBIN   := $(TVENV)/bin
SHARED ?= ../shared

.PHONY: install run test lint eval eval-baseline bench train model-data check-annotations select-articles browser-deps browser screenshot clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/pipeline run data/raw --out data/out/records.jsonl --errors data/out/errors.jsonl --overwrite

test: install browser-deps
	$(BIN)/python -m pytest -q

# Headless Chromium and CJK fonts for the browser test and the screenshot (Debian
# packages; best effort: without root or apt the browser test skips).
browser-deps:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	  || echo "chromium not installed: browser tests will skip"; }

browser: install browser-deps
	$(BIN)/python -m pytest -q -m browser

screenshot: install browser-deps
	$(BIN)/python scripts/screenshot.py --out docs/report.png

lint: install
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy

eval: install
	$(BIN)/python scripts/eval_all.py --shared $(SHARED) --readme
	$(BIN)/python scripts/eval_identity.py --shared $(SHARED)

eval-baseline: install
	$(BIN)/python tests/fixtures/make_baseline.py

# In-domain standoff annotations (data/annotations/README.md): check them against ../shared.
check-annotations: install
	$(BIN)/python scripts/check_annotations.py --shared $(SHARED)

select-articles: install
	$(BIN)/python scripts/select_articles.py --shared $(SHARED)

bench: install
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python scripts/bench.py --shared $(SHARED) --card
	$(BIN)/python scripts/bench_batch.py --shared $(SHARED)

train:
	test -x $(TBIN)/python || $(PYTHON) -m venv $(TVENV)
	$(TBIN)/python -m pip install --quiet -e ".[train]"
	OMP_NUM_THREADS=2 $(TBIN)/python -m pipeline.training.train --out models/zh_news_ner --seed 0

# After editing pipeline/data/gazetteer.tsv, places.tsv or userdict.txt: save them
# with the bundled model (bumps its patch version when they changed).
model-data: install
	$(BIN)/python -m pipeline.training.package --refresh-data --out models/zh_news_ner

clean:
	rm -rf $(VENV) $(TVENV) .pytest_cache .mypy_cache .ruff_cache data/out
