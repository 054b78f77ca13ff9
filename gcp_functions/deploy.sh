#!/usr/bin/env bash
# Deploy citybrief to Google Cloud Functions (2nd gen) from the packaged source
# (`make package` -> dist/gcp: main.py, citybrief/, requirements.txt).
#
#   gcp_functions/deploy.sh [--dry-run]
#
# --dry-run prints every command, one per line and shell-quoted, instead of running it.
# Nothing is contacted in dry-run mode.
#
# It only deploys code: it creates no project resource and changes no IAM policy, so the
# deploy identity needs no more than roles/cloudfunctions.developer plus
# roles/iam.serviceAccountUser on RUNTIME_SA. The one-time setup (docs/deploy.md) creates
# the Firestore database and the Pub/Sub topic and makes every IAM grant, including
# who may invoke the functions (they are private unless that setup grants allUsers).
#
# Environment:
#   GCP_PROJECT            (required) project id
#   RUNTIME_SA             (required) runtime service account e-mail; never the default
#                          compute account (it has Editor on the project). Also the
#                          identity Eventarc uses to push Pub/Sub events to the batch
#                          function (roles/run.invoker on it, granted once at setup)
#   GCP_REGION             region                                    [us-central1]
#   FUNCTION_NAME          HTTP function                             [citybrief]
#   BATCH_FUNCTION_NAME    Pub/Sub function                          [citybrief-batch]
#   DEPLOY_BATCH           also deploy the Pub/Sub path (true|false) [true]
#   PUBSUB_TOPIC           topic that triggers the batch function    [citybrief-requests]
#   MEMORY                 memory per instance                      [1Gi]
#   TIMEOUT                HTTP request timeout, in seconds ("60s")  [60s]
#   CITYBRIEF_DEADLINE     seconds one request may spend (whole), at
#                          least DEADLINE_MARGIN (5) below TIMEOUT, so
#                          a timeout is our 504, not the platform's  [20]
#   BATCH_TIMEOUT          Pub/Sub event timeout (max 540s)          [300s]
#   MAX_INSTANCES          cap on instances (cost guard)             [10]
#   SOURCE_DIR             packaged source directory                 [dist/gcp]
#   CITYBRIEF_CONTACT      contact for Wikipedia's User-Agent policy [project URL]
#   CITYBRIEF_CORS_ORIGINS, CITYBRIEF_CACHE, CITYBRIEF_LOG_LEVEL,
#   CITYBRIEF_BRIEFS_COLLECTION
#                          passed through to the functions when set
set -euo pipefail

# shellcheck source=scripts/dry_run.sh
source "$(dirname "$0")/../scripts/dry_run.sh"
parse_args "$@"

is_bool() { [[ "$1" == true || "$1" == false ]]; }

GCP_PROJECT="${GCP_PROJECT:-}"
RUNTIME_SA="${RUNTIME_SA:-}"
GCP_REGION="${GCP_REGION:-us-central1}"
FUNCTION_NAME="${FUNCTION_NAME:-citybrief}"
BATCH_FUNCTION_NAME="${BATCH_FUNCTION_NAME:-citybrief-batch}"
DEPLOY_BATCH="${DEPLOY_BATCH:-true}"
PUBSUB_TOPIC="${PUBSUB_TOPIC:-citybrief-requests}"
MEMORY="${MEMORY:-1Gi}"
TIMEOUT="${TIMEOUT:-60s}"
CITYBRIEF_DEADLINE="${CITYBRIEF_DEADLINE:-20}"
# Seconds left after the deadline for a cold start's imports and for the 504 itself.
DEADLINE_MARGIN=5
BATCH_TIMEOUT="${BATCH_TIMEOUT:-300s}"
MAX_INSTANCES="${MAX_INSTANCES:-10}"
SOURCE_DIR="${SOURCE_DIR:-dist/gcp}"
CITYBRIEF_CONTACT="${CITYBRIEF_CONTACT:-https://github.com/citybrief/citybrief}"

[[ -n "$GCP_PROJECT" ]] || die "GCP_PROJECT is required"
[[ -n "$RUNTIME_SA" ]] || die "RUNTIME_SA (runtime service account e-mail) is required"
is_bool "$DEPLOY_BATCH" || die "DEPLOY_BATCH must be true or false"
[[ "$MAX_INSTANCES" =~ ^[0-9]+$ ]] || die "MAX_INSTANCES must be a whole number"
[[ "$TIMEOUT" =~ ^([0-9]+)s?$ ]] || die "TIMEOUT must be whole seconds, e.g. 60s"
[[ "$CITYBRIEF_DEADLINE" =~ ^[0-9]+$ ]] || die "CITYBRIEF_DEADLINE must be whole seconds"
((CITYBRIEF_DEADLINE + DEADLINE_MARGIN <= ${TIMEOUT%s})) ||
    die "CITYBRIEF_DEADLINE ($CITYBRIEF_DEADLINE) must be at least $DEADLINE_MARGIN s below TIMEOUT ($TIMEOUT)"

if [[ "$DRY_RUN" == false ]]; then
    command -v gcloud >/dev/null || die "gcloud not found on PATH"
    [[ -f "$SOURCE_DIR/main.py" ]] || die "$SOURCE_DIR/main.py not found: run 'make package' first"
fi


# --set-env-vars takes KEY=VALUE pairs separated by commas; when a value has a comma
# (CORS origins) switch the separator with gcloud's ^DELIM^ escape (`gcloud topic escaping`).
env_vars_flag() {
    local -a pairs=("CITYBRIEF_CONTACT=$CITYBRIEF_CONTACT" "CITYBRIEF_DEADLINE=$CITYBRIEF_DEADLINE")
    local name sep=","
    for name in CITYBRIEF_CORS_ORIGINS CITYBRIEF_CACHE CITYBRIEF_LOG_LEVEL CITYBRIEF_BRIEFS_COLLECTION; do
        if [[ -n "${!name:-}" ]]; then
            pairs+=("$name=${!name}")
        fi
    done
    local joined="" pair
    for pair in "${pairs[@]}"; do
        [[ "$pair" != *,* ]] || sep="|"
    done
    for pair in "${pairs[@]}"; do
        joined+="${joined:+$sep}$pair"
    done
    if [[ "$sep" == "|" ]]; then
        joined="^|^$joined"
    fi
    printf -- '--set-env-vars=%s' "$joined"
}

ENV_FLAG="$(env_vars_flag)"
COMMON=(
    --gen2
    --project="$GCP_PROJECT"
    --region="$GCP_REGION"
    --runtime=python312
    --source="$SOURCE_DIR"
    --memory="$MEMORY"
    --max-instances="$MAX_INSTANCES"
    --service-account="$RUNTIME_SA"
    "$ENV_FLAG"
    --quiet
)

# No --[no-]allow-unauthenticated: on an existing function either flag rewrites the Cloud
# Run service's IAM policy (run.services.setIamPolicy), which the deploy identity must not
# hold. A new function is private; who may invoke it is granted once (docs/deploy.md).
run gcloud functions deploy "$FUNCTION_NAME" "${COMMON[@]}" \
    --entry-point=citybrief_http \
    --trigger-http \
    --timeout="$TIMEOUT"

if [[ "$DEPLOY_BATCH" == true ]]; then
    run gcloud functions deploy "$BATCH_FUNCTION_NAME" "${COMMON[@]}" \
        --entry-point=citybrief_pubsub \
        --trigger-topic="$PUBSUB_TOPIC" \
        --trigger-service-account="$RUNTIME_SA" \
        --retry \
        --timeout="$BATCH_TIMEOUT"
fi

run gcloud functions describe "$FUNCTION_NAME" --project="$GCP_PROJECT" \
    --region="$GCP_REGION" --format='value(serviceConfig.uri)'
