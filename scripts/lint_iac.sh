#!/usr/bin/env bash
# Lint the infrastructure-as-code offline:
#   * aws_lambda/template.yaml with cfn-lint (project dev dependency) and
#     `sam validate --lint` (AWS SAM CLI, installed pinned into .tools/sam on first use:
#     it pins its own boto3/cfn-lint, so it stays out of .venv);
#   * `sam build` from the template, when `make package` has built dist/aws (its CodeUri);
#   * azure_functions/infra/azuredeploy.json: JSON syntax (its structure is checked by
#     tests/deploy/test_azure_infra.py).
# Needs no AWS credentials: AWS_DEFAULT_REGION only satisfies SAM's translator.
set -euo pipefail
cd "$(dirname "$0")/.."

SAM_CLI_VERSION="${SAM_CLI_VERSION:-1.170.0}"
PY="${PYTHON:-python3}"
VENV_BIN=".venv/bin"
SAM=".tools/sam/bin/sam"

export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
export SAM_CLI_TELEMETRY=0

if [[ ! -x "$SAM" ]] || ! "$SAM" --version 2>/dev/null | grep -q "version ${SAM_CLI_VERSION}\$"; then
    echo "lint_iac: installing aws-sam-cli==${SAM_CLI_VERSION} into .tools/sam" >&2
    rm -rf .tools/sam
    "$PY" -m venv .tools/sam
    .tools/sam/bin/pip install --quiet --disable-pip-version-check "aws-sam-cli==${SAM_CLI_VERSION}"
fi

echo "+ cfn-lint aws_lambda/template.yaml"
"$VENV_BIN/cfn-lint" aws_lambda/template.yaml
echo "+ sam validate --lint -t aws_lambda/template.yaml"
"$SAM" validate --lint -t aws_lambda/template.yaml
if [[ -f dist/aws/handler.py ]]; then
    build_dir="$(mktemp -d)"
    trap 'rm -rf "$build_dir"' EXIT
    echo "+ sam build -t aws_lambda/template.yaml (into a temporary directory)"
    "$SAM" build -t aws_lambda/template.yaml --build-dir "$build_dir/build" \
        --cache-dir "$build_dir/cache" >/dev/null
else
    echo "lint_iac: dist/aws not built: run 'make package' to check 'sam build' too" >&2
fi
echo "+ json syntax azure_functions/infra/azuredeploy.json"
"$VENV_BIN/python" -m json.tool azure_functions/infra/azuredeploy.json >/dev/null
echo "lint_iac: OK"
