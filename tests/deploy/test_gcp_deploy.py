"""gcp_functions/deploy.sh: dry-run output, and every flag checked against gcloud's own
command tree."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import ROOT, flags_of, parse_commands, require_tool, run_dry
from .test_deploy_docs import commands as doc_commands

SCRIPT = ROOT / "gcp_functions" / "deploy.sh"
ENV = {
    "GCP_PROJECT": "citybrief-test",
    "GCP_REGION": "europe-west1",
    "RUNTIME_SA": "citybrief-run@citybrief-test.iam.gserviceaccount.com",
    "MEMORY": "2Gi",
    "TIMEOUT": "45s",
    "MAX_INSTANCES": "7",
    "CITYBRIEF_CONTACT": "ops@example.com",
    "SOURCE_DIR": "dist/gcp",
}


def dry_run(**overrides: str) -> list[list[str]]:
    result = run_dry(SCRIPT, {**ENV, **overrides})
    assert result.returncode == 0, result.stderr
    return parse_commands(result.stdout)


def find(commands: list[list[str]], *prefix: str) -> list[list[str]]:
    return [argv for argv in commands if argv[: len(prefix)] == list(prefix)]


def the_deploy(commands: list[list[str]], name: str) -> list[str]:
    matches = [argv for argv in find(commands, "gcloud", "functions", "deploy") if argv[3] == name]
    assert len(matches) == 1, commands
    return matches[0]


def test_http_function_flags() -> None:
    argv = the_deploy(dry_run(), "citybrief")
    flags = flags_of(argv)
    assert "--gen2" in flags
    assert flags["--runtime"] == "python312"
    assert flags["--region"] == "europe-west1"
    assert flags["--project"] == "citybrief-test"
    assert flags["--source"] == "dist/gcp"
    assert flags["--entry-point"] == "citybrief_http"
    assert "--trigger-http" in flags
    assert flags["--memory"] == "2Gi"
    assert flags["--timeout"] == "45s"
    assert flags["--max-instances"] == "7"
    assert flags["--service-account"] == ENV["RUNTIME_SA"]
    assert flags["--set-env-vars"] == "CITYBRIEF_CONTACT=ops@example.com,CITYBRIEF_DEADLINE=20"


def test_deploys_code_only_no_iam_no_project_resources() -> None:
    """GIVEN any settings WHEN deploying THEN only functions are deployed and described.

    The deploy identity holds roles/cloudfunctions.developer (+ actAs on the runtime SA):
    no project IAM binding, no Firestore/Pub/Sub creation, and no --[no-]allow-
    unauthenticated, which on an existing function rewrites the service's IAM policy.
    """
    for commands in (dry_run(), dry_run(ALLOW_UNAUTHENTICATED="true", DEPLOY_BATCH="true")):
        assert {tuple(argv[:3]) for argv in commands} == {
            ("gcloud", "functions", "deploy"),
            ("gcloud", "functions", "describe"),
        }, commands
        for argv in commands:
            flags = flags_of(argv)
            assert "--allow-unauthenticated" not in flags
            assert "--no-allow-unauthenticated" not in flags


def test_defaults() -> None:
    env = {k: v for k, v in ENV.items() if k in ("GCP_PROJECT", "RUNTIME_SA")}
    result = run_dry(SCRIPT, env)
    assert result.returncode == 0, result.stderr
    flags = flags_of(the_deploy(parse_commands(result.stdout), "citybrief"))
    assert flags["--region"] == "us-central1"
    assert flags["--source"] == "dist/gcp"


def test_env_vars_with_commas_use_alternate_delimiter() -> None:
    origins = "https://a.example,https://b.example"
    flags = flags_of(the_deploy(dry_run(CITYBRIEF_CORS_ORIGINS=origins), "citybrief"))
    value = flags["--set-env-vars"]
    assert value is not None and value.startswith("^|^")
    pairs = dict(item.split("=", 1) for item in value[3:].split("|"))
    assert pairs == {
        "CITYBRIEF_CONTACT": "ops@example.com",
        "CITYBRIEF_DEADLINE": "20",
        "CITYBRIEF_CORS_ORIGINS": origins,
    }


def test_pubsub_path() -> None:
    commands = dry_run(PUBSUB_TOPIC="briefs-in")
    flags = flags_of(the_deploy(commands, "citybrief-batch"))
    assert flags["--entry-point"] == "citybrief_pubsub"
    assert flags["--trigger-topic"] == "briefs-in"
    assert flags["--trigger-service-account"] == ENV["RUNTIME_SA"]
    assert "--retry" in flags  # a failed store raises; without --retry the event is lost
    assert "--trigger-http" not in flags
    assert flags["--runtime"] == "python312"
    assert flags["--service-account"] == ENV["RUNTIME_SA"]


def test_batch_can_be_skipped() -> None:
    commands = dry_run(DEPLOY_BATCH="false")
    assert [argv[3] for argv in find(commands, "gcloud", "functions", "deploy")] == ["citybrief"]


@pytest.mark.parametrize(
    ("missing", "message"), [("GCP_PROJECT", "GCP_PROJECT"), ("RUNTIME_SA", "RUNTIME_SA")]
)
def test_required_settings(missing: str, message: str) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    result = run_dry(SCRIPT, env)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_rejects_bad_boolean() -> None:
    result = run_dry(SCRIPT, {**ENV, "DEPLOY_BATCH": "yes"})
    assert result.returncode == 2


# --- every flag we use exists in the installed gcloud -------------------------------


@pytest.fixture(scope="module")
def gcloud_flags() -> Callable[[tuple[str, ...]], set[str]]:
    """The flags of a gcloud command group, from the installed SDK's own command tree.

    ``data/cli/gcloud_completions.py`` is the tree gcloud generates from its command
    definitions for static completion: every command's flags, global ones at the root.
    Read once, it answers what a ``--help`` per group would (a second of gcloud start-up
    each). It names boolean flags without saying which also take ``--no-``; a ``--no-``
    form counts as known when its flag is boolean.
    """
    gcloud = Path(require_tool("gcloud")).resolve()
    tree_file = gcloud.parent.parent / "data" / "cli" / "gcloud_completions.py"
    assert tree_file.is_file(), f"gcloud's command tree is not at {tree_file}"
    spec = importlib.util.spec_from_file_location("gcloud_completions", tree_file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = module.STATIC_COMPLETION_CLI_TREE

    def flags(group: tuple[str, ...]) -> set[str]:
        node = root
        for name in group:
            assert name in node["commands"], f"gcloud has no command {' '.join(group)}"
            node = node["commands"][name]
        known = {**root["flags"], **node["flags"]}
        return set(known) | {"--no-" + f[2:] for f, kind in known.items() if kind == "bool"}

    return flags


def test_every_flag_is_known_to_gcloud(gcloud_flags: Callable[[tuple[str, ...]], set[str]]) -> None:
    variants = [
        dry_run(),
        dry_run(CITYBRIEF_CORS_ORIGINS="https://a,https://b"),
    ]
    groups = {("functions", "deploy"), ("functions", "describe")}
    checked = 0
    for commands in variants:
        for argv in commands:
            assert argv[0] == "gcloud"
            group = next(g for g in groups if tuple(argv[1 : 1 + len(g)]) == g)
            unknown = set(flags_of(argv)) - gcloud_flags(group)
            assert not unknown, f"gcloud {' '.join(group)} has no {sorted(unknown)}"
            checked += 1
    assert checked >= 6


# The documented one-time setup and rollback (docs/deploy.md) run these by hand.
SETUP_GROUPS = {
    ("services", "enable"),
    ("projects", "describe"),
    ("iam", "workload-identity-pools", "create"),
    ("iam", "workload-identity-pools", "providers", "create-oidc"),
    ("firestore", "databases", "create"),
    ("pubsub", "topics", "create"),
    ("iam", "service-accounts", "create"),
    ("iam", "service-accounts", "add-iam-policy-binding"),
    ("projects", "add-iam-policy-binding"),
    ("functions", "add-invoker-policy-binding"),
    ("run", "revisions", "list"),
    ("run", "services", "update-traffic"),
}


def test_setup_docs_use_only_flags_gcloud_knows(
    gcloud_flags: Callable[[tuple[str, ...]], set[str]],
) -> None:
    """GIVEN the gcloud commands of docs/deploy.md THEN each flag exists in gcloud."""
    setup = doc_commands("Google Cloud (Cloud Functions gen2)", "gcloud")
    assert len(setup) >= 14
    for argv in setup:
        matches = [g for g in SETUP_GROUPS if tuple(argv[1 : 1 + len(g)]) == g]
        assert matches, f"a setup command the test does not know: {argv[:5]}"
        group = max(matches, key=len)
        unknown = set(flags_of(argv)) - gcloud_flags(group)
        assert not unknown, f"gcloud {' '.join(group)} has no {sorted(unknown)}"
