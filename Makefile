# emulation-rules: `make demo` and `make test` set up everything they need in .venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first interpreter on PATH that is 3.11 or 3.12 (durable-rules does not import on 3.13).
PYTHON ?= $(shell for p in python3.12 python3.11 python3; do \
	  $$p -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] < (3, 13)))' 2>/dev/null \
	  && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
PLUGIN_DIRS := $(sort $(dir $(wildcard plugins/*/pyproject.toml)))
STAMP := $(VENV)/.installed

.PHONY: help setup browser demo test lint typecheck unit bench bench-quick bench-engines dist docs messages clean

help:
	@echo "make demo   - evaluate An Giang's plan on its bundled sample and print the allocation"
	@echo "make test   - lint, type-check and run the whole test suite"
	@echo "make bench  - a national run end to end at 10k, 100k and 1M beside its floors (~10 min)"
	@echo "make bench-quick - the same at 10k only, a smoke test (CI)"
	@echo "make bench-engines - the engines against hand-written baselines (see benchmarks/README.md)"
	@echo "make dist   - build the core's wheel and sdist into dist/"
	@echo "make docs   - build the documentation and API reference into build/site (warnings fail)"
	@echo "make messages - extract the human-facing messages and merge them into the catalogues"

$(STAMP): pyproject.toml $(wildcard plugins/*/pyproject.toml)
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or 3.12 is required (durable-rules does not import on 3.13)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,docs]' $(foreach d,$(PLUGIN_DIRS),-e ./$(d))
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/emulation-rules sample an_giang.papi_2021 | $(BIN)/emulation-rules evaluate an_giang.papi_2021 - --format table

lint: $(STAMP)
	$(BIN)/ruff check src tests plugins benchmarks
	$(BIN)/ruff format --check src tests plugins benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

browser:
	@bash tools/install-browser.sh

test: browser lint typecheck unit

# benchmarks/README.md: every job in its own process, ratios to floors measured in the same run
bench: $(STAMP)
	$(BIN)/python benchmarks/end_to_end.py

bench-quick: $(STAMP)
	$(BIN)/python benchmarks/end_to_end.py --quick --output build/bench-quick.json

bench-engines: $(STAMP)
	$(BIN)/python benchmarks/run.py

# The core alone (the plugins are distributions of their own): the sdist, then the wheel built
# from it, so that the sdist is known to build.
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .

docs: $(STAMP)
	$(BIN)/mkdocs build --strict --site-dir build/site

# The message catalogues (src/emulation_rules/locales/*/LC_MESSAGES/emulation_rules.po) are read
# at run time by Babel; this re-extracts the messages of the code and merges new ones in, to be
# translated (tests/base/test_messages.py fails while one is missing).
MESSAGE_KEYWORDS := --no-default-keywords -k _ -k _p:1c,2 -k _n:1,2
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel --quiet extract $(MESSAGE_KEYWORDS) --no-location --sort-output --project emulation-rules -o build/emulation_rules.pot src/emulation_rules
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-pot-creation-date --width 100 -i build/emulation_rules.pot -d src/emulation_rules/locales -D emulation_rules

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist build
