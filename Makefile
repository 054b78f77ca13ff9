# Every target works from a fresh clone: the first one that needs Python builds .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8080

.PHONY: install test lint format run bench bench-quick package quality clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[aws,gcp,azure,dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv with the core, every adapter's SDK and the dev tools
	bash scripts/install_azurite.sh

test: $(STAMP) ## the whole suite (core, contract, adapters, emulators), offline
	bash scripts/install_azurite.sh
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff + mypy + IaC (cfn-lint, sam validate) + workflows (schema, actionlint, shellcheck)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	bash scripts/lint_iac.sh
	bash scripts/check_workflows.sh

quality: $(STAMP) ## brief quality against the hand labels: tables on stdout, tests/quality/results.json
	$(BIN)/python -m tests.quality.report

package: $(STAMP) ## dist/aws (+zip, manylinux x86_64 cp312 wheels), dist/gcp, dist/azure (+zip)
	$(BIN)/python scripts/package.py

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

run: $(STAMP) ## serve the GCP function locally on $(PORT) with functions-framework
	$(BIN)/functions-framework --source=gcp_functions/main.py --target=citybrief_http --host=127.0.0.1 --port=$(PORT)

bench: $(STAMP) ## citybrief vs the naive wikipedia+TextBlob peer: tables on stdout, bench/results.json
	$(BIN)/python -m bench.run

bench-quick: $(STAMP) ## the same with 3 samples and 3 s load mixes, for development
	$(BIN)/python -m bench.run --quick

clean:
	rm -rf $(VENV) dist .aws-sam .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
