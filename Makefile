# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
PYTHON_VERSION := 3.13
# pyenv's shim exists even when the version is not selected, so look for the real binary first.
PYTHON ?= $(shell ls $$HOME/.pyenv/versions/$(PYTHON_VERSION).*/bin/python$(PYTHON_VERSION) 2>/dev/null | tail -n 1 || true)
ifeq ($(PYTHON),)
PYTHON := $(shell command -v python$(PYTHON_VERSION) 2>/dev/null)
endif
VENV := .venv
TOOLS := .venv-tools
UV := $(VENV)/bin/uv
PORT ?= 3000
export SAM_CLI_TELEMETRY := 0

.PHONY: run test bench lint install tools system clean

run: install
	$(VENV)/bin/python -m local --port $(PORT)

test: install tools system
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# Speed and cost, as ratios measured in one run (benchmarks/README.md says what each number means).
bench: install system
	$(VENV)/bin/python -m benchmarks.email_sync $(BENCH_ARGS)
	$(VENV)/bin/python -m benchmarks.classify
	$(VENV)/bin/python -m benchmarks.cold_start

lint: install
	$(VENV)/bin/ruff check .

install: $(VENV)/.installed
tools: $(TOOLS)/.installed

# The real servers the tests run against (Dovecot for IMAP, isync for the IMAP benchmark).
system:
	bash scripts/install-system-packages.sh

$(UV):
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) is needed (pyenv install $(PYTHON_VERSION))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check uv

$(VENV)/.installed: $(UV) requirements-dev.txt layers/common/requirements.txt
	$(UV) pip install --quiet --python $(VENV)/bin/python -r requirements-dev.txt
	touch $@

$(TOOLS)/.installed: $(UV) requirements-tools.txt
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(TOOLS)
	$(UV) pip install --quiet --python $(TOOLS)/bin/python -r requirements-tools.txt
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) .aws-sam .local .pytest_cache .ruff_cache
