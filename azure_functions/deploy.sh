#!/usr/bin/env bash
# Deploy citybrief to Azure Functions (Flex Consumption): the ARM template, then a zip
# deploy of the packaged app (`make package` -> dist/azure.zip: function_app.py,
# host.json, citybrief/, requirements.txt and the dependencies already installed for
# Linux in .python_packages, so what the tests ran is what ships).
#
#   azure_functions/deploy.sh [--dry-run]
#
# --dry-run prints every command, one per line and shell-quoted, instead of running it.
#
# Environment:
#   AZURE_RESOURCE_GROUP    (required) existing resource group (the deploy identity is
#                           scoped to it; see docs/deploy.md)
#   AZURE_FUNCTIONAPP_NAME  (required) globally unique app name (<name>.azurewebsites.net)
#   AZURE_STORAGE_ACCOUNT   storage account name (3-24 lowercase alphanumerics)
#                           [template default: stcb<uniqueString(resource group)>]
#   AUTH_LEVEL              FUNCTION (x-functions-key required) or ANONYMOUS [FUNCTION]
#   CORS_ORIGINS            comma-separated allowed origins                       []
#   CITYBRIEF_CONTACT       contact for Wikipedia's User-Agent policy   [project URL]
#   CACHE                   table (shared Table storage cache) or memory        [table]
#   INSTANCE_MEMORY_MB      512 | 2048 | 4096                                   [2048]
#   MAXIMUM_INSTANCE_COUNT  scale-out ceiling (40..1000)                          [40]
#   BUILD_REMOTE            let the platform pip-install requirements.txt     [false]
#                           (true only for a package built with --azure-remote-build)
#   PACKAGE                 zip to deploy, from `make package`      [dist/azure.zip]
set -euo pipefail

# shellcheck source=scripts/dry_run.sh
source "$(dirname "$0")/../scripts/dry_run.sh"
parse_args "$@"

cd "$(dirname "$0")/.."

AZURE_RESOURCE_GROUP="${AZURE_RESOURCE_GROUP:-}"
AZURE_FUNCTIONAPP_NAME="${AZURE_FUNCTIONAPP_NAME:-}"
AZURE_STORAGE_ACCOUNT="${AZURE_STORAGE_ACCOUNT:-}"
AUTH_LEVEL="${AUTH_LEVEL:-FUNCTION}"
CORS_ORIGINS="${CORS_ORIGINS:-}"
CITYBRIEF_CONTACT="${CITYBRIEF_CONTACT:-https://github.com/citybrief/citybrief}"
CACHE="${CACHE:-table}"
INSTANCE_MEMORY_MB="${INSTANCE_MEMORY_MB:-2048}"
MAXIMUM_INSTANCE_COUNT="${MAXIMUM_INSTANCE_COUNT:-40}"
BUILD_REMOTE="${BUILD_REMOTE:-false}"
PACKAGE="${PACKAGE:-dist/azure.zip}"
TEMPLATE="azure_functions/infra/azuredeploy.json"

[[ -n "$AZURE_RESOURCE_GROUP" ]] || die "AZURE_RESOURCE_GROUP is required"
[[ -n "$AZURE_FUNCTIONAPP_NAME" ]] || die "AZURE_FUNCTIONAPP_NAME is required"
[[ "$AUTH_LEVEL" == FUNCTION || "$AUTH_LEVEL" == ANONYMOUS ]] ||
    die "AUTH_LEVEL must be FUNCTION or ANONYMOUS"
[[ "$BUILD_REMOTE" == true || "$BUILD_REMOTE" == false ]] || die "BUILD_REMOTE must be true or false"
[[ "$CACHE" == table || "$CACHE" == memory ]] || die "CACHE must be table or memory"
[[ "$PACKAGE" == *.zip ]] || die "PACKAGE must end in .zip"

if [[ "$DRY_RUN" == false ]]; then
    command -v az >/dev/null || die "az (Azure CLI) not found on PATH"
    [[ -f "$PACKAGE" ]] ||
        die "$PACKAGE not found: run 'make package' first"
fi


# CORS_ORIGINS "a,b" -> ARM array parameter '["a","b"]' (JSON, no jq needed).
cors_json() {
    local json="" origin
    local -a origins=()
    [[ -z "$CORS_ORIGINS" ]] || IFS=',' read -r -a origins <<<"$CORS_ORIGINS"
    for origin in "${origins[@]}"; do
        origin="${origin// /}"
        [[ -n "$origin" ]] || continue
        [[ "$origin" != *'"'* && "$origin" != *\\* ]] || die "bad CORS origin: $origin"
        json+="${json:+,}\"$origin\""
    done
    printf '[%s]' "$json"
}

PARAMS=(
    "appName=$AZURE_FUNCTIONAPP_NAME"
    "authLevel=$AUTH_LEVEL"
    "wikiContact=$CITYBRIEF_CONTACT"
    "cache=$CACHE"
    "corsOrigins=$(cors_json)"
    "instanceMemoryMB=$INSTANCE_MEMORY_MB"
    "maximumInstanceCount=$MAXIMUM_INSTANCE_COUNT"
)
if [[ -n "$AZURE_STORAGE_ACCOUNT" ]]; then
    PARAMS+=("storageAccountName=$AZURE_STORAGE_ACCOUNT")
fi

# 1. Infrastructure (idempotent: ARM incremental mode leaves unchanged resources alone).
run az deployment group create \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --name citybrief \
    --template-file "$TEMPLATE" \
    --parameters "${PARAMS[@]}" \
    --only-show-errors \
    --output none

# 2. Code. On a brand-new app the role assignment that lets the app write its package
# container can take a minute to propagate: retry the upload a few times.
ZIP_DEPLOY=(
    az functionapp deployment source config-zip
    --resource-group "$AZURE_RESOURCE_GROUP"
    --name "$AZURE_FUNCTIONAPP_NAME"
    --src "$PACKAGE"
    --build-remote "$BUILD_REMOTE"
    --timeout 600
    --only-show-errors
    --output none
)
if [[ "$DRY_RUN" == true ]]; then
    run "${ZIP_DEPLOY[@]}"
else
    for attempt in 1 2 3 4; do
        if run "${ZIP_DEPLOY[@]}"; then
            break
        fi
        [[ "$attempt" -lt 4 ]] || die "zip deploy failed $attempt times"
        echo "zip deploy failed (attempt $attempt); retrying in 30 s" >&2
        sleep 30
    done
fi

# 3. The base URL, last line on stdout.
run az functionapp show \
    --resource-group "$AZURE_RESOURCE_GROUP" \
    --name "$AZURE_FUNCTIONAPP_NAME" \
    --query defaultHostName \
    --output tsv
