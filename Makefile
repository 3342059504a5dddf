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

WEB_SOURCES := $(shell find web/src web/e2e -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json

.PHONY: run test bench lint install tools system clean web web-check api-types deploy

run: install web
	$(VENV)/bin/python -m local --port $(PORT)

test: install tools system web-check web
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# Speed and cost, as ratios measured in one run (benchmarks/README.md says what each number means).
bench: install system web
	$(VENV)/bin/python -m benchmarks.email_sync $(BENCH_ARGS)
	$(VENV)/bin/python -m benchmarks.parse_compare
	$(VENV)/bin/python -m benchmarks.classify
	$(VENV)/bin/python -m benchmarks.cold_start
	$(VENV)/bin/python -m benchmarks.web_app
	$(VENV)/bin/python -m benchmarks.pages
	$(VENV)/bin/python -m benchmarks.page_load
	$(VENV)/bin/python -m benchmarks.cost
	$(VENV)/bin/python -m benchmarks.stats
	$(VENV)/bin/python -m benchmarks.search

# The stack and the web app on AWS (your credentials and region, as for the AWS CLI): sam build && sam deploy,
# then web/dist and its config.json in the web bucket and a CloudFront invalidation. scripts/deploy.sh says
# what it reads (STACK_NAME, WEB_ORIGIN, PARAMETERS); DEPLOY_ARGS go to sam deploy.
deploy: install tools web
	bash scripts/deploy.sh $(DEPLOY_ARGS)

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

# The web app (web/): built into web/dist, which the local stack serves at /; skipped when up to date.
web: web/dist/index.html

web/node_modules/.installed: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20+ and npm are needed to build the web app"; exit 1; }
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.installed $(WEB_SOURCES)
	cd web && npm run --silent build
	touch $@

# After a change of the API: the OpenAPI document and the TypeScript types the app is written against.
api-types: install web/node_modules/.installed
	$(VENV)/bin/python scripts/openapi_document.py web/src/api/openapi.json
	cd web && npm run --silent api-types

# The committed document and types are the API's own (else: make api-types, then fix what tsc finds),
# the app compiles against them, and its unit tests pass.
web-check: install web/node_modules/.installed
	@$(VENV)/bin/python scripts/openapi_document.py | cmp -s - web/src/api/openapi.json || \
		{ echo "web/src/api/openapi.json is not the API's document: run make api-types"; exit 1; }
	@cd web && npx --no-install openapi-typescript src/api/openapi.json 2>/dev/null | cmp -s - src/api/schema.d.ts || \
		{ echo "web/src/api/schema.d.ts is not generated from openapi.json: run make api-types"; exit 1; }
	cd web && npx --no-install tsc --noEmit && npx --no-install vitest run

clean:
	rm -rf $(VENV) $(TOOLS) .aws-sam .local .pytest_cache .ruff_cache web/node_modules web/dist
