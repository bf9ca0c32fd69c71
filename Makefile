# Two commands do everything on a fresh machine: `make run` and `make test`.
# Everything else here is a step they take, runnable on its own.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
RASA        := $(VENV)/bin/rasa
CACHE_DIR   ?= $(HOME)/.cache/stamcel-assistent
REQ_HASH    := $(shell cat requirements.txt requirements-lock.txt | sha256sum | cut -c1-16)
VENV_STAMP  := build/.venv-$(REQ_HASH)
SPACY_MODEL := build/spacy_nl/meta.json
MODEL       := models/assistant.tar.gz
# What makes the model stale: one list, kept in tools/training.py (standard library).
TRAIN_INPUTS := $(shell $$(command -v python3 || scripts/find_python310.sh) -m tools.training --inputs)

export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install spacy train run test lint unit integration validate stories server browser live chromium eval bench purge loadtest clean

help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

install: $(VENV_STAMP)  ## create the Python 3.10 environment with the pinned requirements
$(VENV_STAMP): requirements.txt requirements-lock.txt scripts/setup_venv.sh
	scripts/setup_venv.sh $(VENV) $(CACHE_DIR)/venv-$(REQ_HASH)
	@mkdir -p build && touch $@

spacy: $(SPACY_MODEL)  ## build the project's Dutch spaCy pipeline
$(SPACY_MODEL): $(VENV_STAMP) assistant/nlu/spacy_pipeline.py assistant/content/domain_terms.py assistant/content/domain_terms.yml
	rm -rf build/spacy_nl
	$(PY) -m assistant.nlu.spacy_pipeline build/spacy_nl

train: $(MODEL)  ## train the model when data, domain, config or pipeline changed
$(MODEL): $(TRAIN_INPUTS)
	$(RASA) train --force --fixed-model-name assistant --out models

run: $(MODEL)  ## set up, train if stale, start the servers and print the URL
	scripts/run.sh

test: lint unit integration validate stories live  ## set up and run every test

lint: $(VENV_STAMP)  ## ruff, black and mypy (zero errors)
	$(VENV)/bin/ruff check actions assistant ops tests tools web
	$(VENV)/bin/black --check --quiet actions assistant ops tests tools web
	$(VENV)/bin/mypy --cache-dir $(CACHE_DIR)/mypy actions assistant ops tools web

unit: $(VENV_STAMP)  ## tests/unit: pure logic, actions, content (no model, no servers, no system packages)
	$(PY) -m pytest -q tests/unit

integration: $(SPACY_MODEL)  ## tests/integration: deduce, the spaCy pipeline, SQLite stores, child processes
	$(PY) -m pytest -q tests/integration

server: $(MODEL)  ## tests/server: on the trained model: the real servers over HTTP, the patched runtime against Rasa's own
	$(PY) -m pytest -q tests/server

chromium:  ## Debian's chromium, chromium-driver and an emoji font for the browser tests
	scripts/install_browser.sh

browser: $(MODEL) chromium  ## tests/browser: both pages in headless Chromium; screenshots in tests/screenshots/
	$(PY) -m pytest -q tests/browser

live: $(MODEL) chromium  ## tests/server and tests/browser in one run, so the servers start once (make test)
	$(PY) -m pytest -q tests/server tests/browser

validate: $(VENV_STAMP)  ## rasa data validate, warnings fail
	$(RASA) data validate --fail-on-warnings

stories: $(MODEL)  ## rasa test stories; any failed story fails the build
	$(RASA) test core --model $(MODEL) --stories tests/test_stories.yml \
		--fail-on-prediction-errors --out results/stories

eval: $(MODEL)  ## held-out evaluation and 5-fold NLU cross-validation, also of the default-pipeline baseline (not a pass/fail gate)
	$(PY) -m tools.evaluation.evaluate --out reports

bench: $(MODEL)  ## speed, memory and start-up of this project and the default-pipeline baseline: reports/bench.md
	$(VENV)/bin/pip install -q -r requirements-bench.txt
	$(PY) -m tools.bench --out reports

purge: $(VENV_STAMP)  ## delete conversations, feedback and unanswered questions older than RETENTION_DAYS (30)
	$(PY) -m ops.purge

loadtest: $(MODEL)  ## larger load and fuzz runs of the public channels (not part of make test)
	LOAD_CONVERSATIONS=500 LOAD_TIMEOUT=900 TURN_QUEUE_TIMEOUT=120 FUZZ_EXAMPLES=300 \
		$(PY) -m pytest -q -s tests/server/test_load.py tests/server/test_fuzz_http.py

# Scale-out targets (PostgreSQL, Redis lock store, several Rasa servers, nginx).
-include tools/scale/*.mk

clean:  ## remove what make built here (the cached environment stays)
	rm -rf build models results tests/screenshots .pytest_cache .ruff_cache
