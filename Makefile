# Everything a fresh machine needs goes through these targets (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Training (torch) gets its own environment: with torch importable, spaCy's thinc
# imports it and every model load pays about a second for it.
TVENV  := .venv-train
TBIN   := $(TVENV)/bin
SHARED ?= ../shared
TEACHER_DIR ?= $(HOME)/.cache/zh_news_ner/teacher

.PHONY: install run test lint eval eval-readme eval-card eval-baseline bench train teacher vectors word-vectors train-env model-data check-annotations select-articles browser-deps browser screenshot clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: install
	$(BIN)/pipeline run data/raw --out data/out/records.jsonl --errors data/out/errors.jsonl --overwrite

# The browser test runs when Chromium is installed and skips (saying so) when it is not;
# `make test` installs no system package: `make browser-deps` does, explicitly.
test: install
	@$(BIN)/python -c "from pipeline.browser import find_chromium as f; p = f(); \
	print(f'browser test: Chromium at {p}' if p else 'browser test: SKIPPED, no Chromium (make browser-deps installs it)')"
	$(BIN)/python -m pytest -q -rs

# System packages (Debian) for the browser test and the screenshot: headless Chromium
# and CJK fonts. Needs root and apt-get; says what it installs, and nothing recommended.
BROWSER_PKGS := chromium fonts-noto-cjk
browser-deps:
	@if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then \
	  echo "browser-deps: Chromium is already installed; nothing to do"; \
	elif ! command -v apt-get >/dev/null 2>&1 || [ "$$(id -u)" != 0 ]; then \
	  echo "browser-deps: needs root and apt-get; install the Debian packages $(BROWSER_PKGS) yourself (the browser test skips without them)"; \
	else \
	  echo "browser-deps: apt-get install --no-install-recommends $(BROWSER_PKGS) (system packages, with their required dependencies)"; \
	  apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BROWSER_PKGS); \
	fi

browser: install browser-deps
	$(BIN)/python -m pytest -q -m browser

screenshot: install browser-deps
	$(BIN)/python scripts/screenshot.py --out docs/report.png

lint: install
	$(BIN)/ruff check pipeline tests scripts
	$(BIN)/ruff format --check pipeline tests scripts
	$(BIN)/mypy

# Prints the accuracy table; writes no file. eval-readme also rewrites README.md's table,
# and refuses to when a set cannot be measured (../shared absent).
eval: install
	$(BIN)/python scripts/eval_all.py --shared $(SHARED)
	$(BIN)/python scripts/eval_news.py --shared $(SHARED)
	$(BIN)/python scripts/eval_identity.py --shared $(SHARED)

eval-readme: install
	$(BIN)/python scripts/eval_all.py --shared $(SHARED) --readme

# The weekday check of issue 18 alone, written into the model card (the only target
# that writes it there).
eval-card: install
	$(BIN)/python scripts/eval_all.py --shared $(SHARED) --weekdays-only --card

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
	$(BIN)/python scripts/bench_long.py --shared $(SHARED) --card

train-env:
	test -x $(TBIN)/python || $(PYTHON) -m venv $(TVENV)
	$(TBIN)/python -m pip install --quiet -e ".[train]"

# Character and bigram word2vec vectors of news_unlabeled + MSRA train, cached in
# ~/.cache/zh_news_ner/vectors (derived from corpus text: never in the repository).
# `make train` builds them itself when they are absent; this target does only that step.
vectors: train-env
	OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 $(TBIN)/python -m pipeline.training.vectors --shared $(SHARED) --workers 2 --seed 0

# Word vectors of the same lines (jieba words, with their counts) for `train --softlex`,
# which builds them itself when absent; cached beside the others.
word-vectors: train-env
	OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 $(TBIN)/python -m pipeline.training.vectors --shared $(SHARED) --kinds word --workers 2 --seed 0

# OMP_WAIT_POLICY=PASSIVE: idle OpenMP threads sleep instead of spinning, which on a
# shared 2-core machine cut a batch from 0.86 to 0.50 s; same threads, same results.
# Reads MSRA and the in-domain annotations (data/annotations/news_train, text from
# $(SHARED)); prints MSRA dev and the whole pipeline's figures on the blind dev sets.
# TRAIN_ARGS: extra options, e.g. `make train TRAIN_ARGS="--softlex --softlex-dim 8"`.
# Distillation in stages that each fit a session: `make teacher` trains the teacher (a
# BiLSTM of 128 per direction, otherwise the student's settings; outside the repository,
# in $(TEACHER_DIR)); `make train` labels 2,000 news_unlabeled openings with it (cached;
# about a minute) and trains the shipped student on MSRA, the in-domain store and those
# silver labels. `make train` runs `make teacher` first when the teacher is absent.
train: train-env
	test -f $(TEACHER_DIR)/meta.json || $(MAKE) teacher
	OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 $(TBIN)/python -m pipeline.training.train --out models/zh_news_ner --seed 0 --shared $(SHARED) --teacher $(TEACHER_DIR) $(TRAIN_ARGS)

teacher: train-env
	OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 $(TBIN)/python -m pipeline.training.train --out $(TEACHER_DIR) --hidden 128 --seed 0 --shared $(SHARED) --version teacher $(TEACHER_ARGS)

# After editing pipeline/data/gazetteer.tsv, places.tsv or userdict.txt: save them
# with the bundled model (bumps its patch version when they changed).
model-data: install
	$(BIN)/python -m pipeline.training.package --refresh-data --out models/zh_news_ner

clean:
	rm -rf $(VENV) $(TVENV) .pytest_cache .mypy_cache .ruff_cache data/out
