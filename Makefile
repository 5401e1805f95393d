# Two commands for a new user: `make run` and `make test`. Both set up .venv first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# python3.12 may be a pyenv shim whose version is not selected: probe until one really runs.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)

.PHONY: run test lint bench screenshots setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON312)" || { echo "make: python3.12 not found (mitmproxy 12 needs Python 3.12)"; exit 1; }
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/aigate run $(ARGS)

test: $(STAMP)
	@.ci/system-deps
	$(VENV)/bin/ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'  # the peers bench_scan compares against
	$(PY) bench/run.py

screenshots: $(STAMP)
	@.ci/system-deps
	$(PY) docs/screenshots/take.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
