"""The GitHub Actions workflows: CI shape, deploy safety rails, schema-valid.

actionlint (and shellcheck of the run: blocks) runs in scripts/check_workflows.sh
via make lint.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, venv_tool

WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOYS = {
    "aws": ("deploy-aws.yml", "aws_lambda/**", "aws-actions/configure-aws-credentials"),
    "gcp": ("deploy-gcp.yml", "gcp_functions/**", "google-github-actions/auth"),
    "azure": ("deploy-azure.yml", "azure_functions/**", "azure/login"),
}
# `uses: owner/repo[/path]@<full commit SHA> # v<version>`
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(.+?)\s*$")
# What installs or builds: must run before any cloud credential exists in the job.
INSTALLS = ("make package", "make install", "pip install", "npm install", "lint_iac.sh")


def load(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in doc:  # YAML 1.1 reads the key `on` as the boolean True
        doc["on"] = doc.pop(True)
    return doc


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def runs(doc: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(doc))


def uses(doc: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(doc) if "uses" in step]


def action(step: dict[str, Any]) -> str:
    """The action a step uses, without its @ref."""
    return str(step.get("uses", "")).partition("@")[0]


def all_workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml"))


def test_check_jsonschema() -> None:
    files = all_workflows()
    assert {p.name for p in files} >= {"ci.yml", *(d[0] for d in DEPLOYS.values())}
    result = subprocess.run(
        [venv_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in files],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", all_workflows(), ids=lambda p: p.name)
def test_actions_pinned_by_commit_sha(path: Path) -> None:
    """Every action (all are third-party: no local ./ ones) is pinned by a full commit SHA.

    A tag or branch can be moved to other code; a SHA cannot. The version it stands for
    follows in a comment (read from the raw text: YAML drops comments).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    refs = [m[1] for m in map(USES.match, lines) if m]
    assert len(refs) == len(uses(load(path.name))), "a uses: this test did not read"
    for ref in refs:
        if ref.startswith("./"):
            continue
        assert PINNED.match(ref), f"not pinned by commit SHA with a # vX comment: {ref}"


def test_pin_pattern_rejects_tags_and_short_shas() -> None:
    assert PINNED.match("actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2")
    for ref in (
        "actions/checkout@v4",
        "actions/checkout@main",
        "actions/checkout@11bd719 # v4.2.2",
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
    ):
        assert not PINNED.match(ref), ref


def test_ci() -> None:
    doc = load("ci.yml")
    assert {"push", "pull_request"} <= set(doc["on"])
    assert doc["permissions"] == {"contents": "read"}
    (job,) = doc["jobs"].values()
    assert job["strategy"]["matrix"]["python-version"] == ["3.11", "3.12"]
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "pyproject.toml"
    commands = [s["run"] for s in job["steps"] if "run" in s]
    assert commands == [
        "make install",
        "make lint",
        "make test",
        "make package",
        "bash scripts/lint_iac.sh",  # now with dist/aws: sam build from the template
    ]


@pytest.mark.parametrize("cloud", sorted(DEPLOYS))
def test_deploy_workflow(cloud: str) -> None:
    name, adapter_glob, auth_action = DEPLOYS[cloud]
    doc = load(name)
    on = doc["on"]
    assert on["push"]["branches"] == ["main"]
    paths = on["push"]["paths"]
    assert {"shared/**", adapter_glob, f".github/workflows/{name}"} <= set(paths)
    assert "workflow_dispatch" in on
    assert doc["permissions"] == {"id-token": "write", "contents": "read"}
    assert doc["concurrency"] == {"group": f"deploy-{cloud}", "cancel-in-progress": False}
    (job,) = doc["jobs"].values()
    assert job["environment"]["name"] == "production"
    # a run from any other ref (e.g. a dispatch on a branch) is skipped
    assert job["if"] == "github.ref == 'refs/heads/main'"
    assert auth_action in [action(step) for step in job["steps"]]
    script = runs(doc)
    assert "make package" in script
    assert "scripts/smoke.py" in script
    # no long-lived credentials: OIDC only
    assert "secrets." not in (WORKFLOWS / name).read_text(encoding="utf-8")
    checkout = next(s for s in job["steps"] if action(s) == "actions/checkout")
    assert checkout["with"]["persist-credentials"] is False


@pytest.mark.parametrize("cloud", sorted(DEPLOYS))
def test_deploy_builds_before_credentials(cloud: str) -> None:
    """GIVEN a deploy job WHEN it signs in THEN everything was installed and built before.

    No dependency (nor any install hook of one) ever runs with cloud credentials present.
    """
    name, _, auth_action = DEPLOYS[cloud]
    (job,) = load(name)["jobs"].values()
    names = [action(step) or step.get("run", "") for step in job["steps"]]
    first_login = names.index(auth_action)
    installs = [
        index
        for index, step in enumerate(job["steps"])
        if any(word in step.get("run", "") for word in INSTALLS)
    ]
    assert installs, "the job builds nothing"
    assert max(installs) < first_login, names
    assert names.index("make package") < first_login


def test_aws_deploy_details() -> None:
    doc = load("deploy-aws.yml")
    auth = next(s for s in steps(doc) if s.get("uses", "").startswith("aws-actions/configure"))
    assert auth["with"] == {
        "role-to-assume": "${{ vars.AWS_ROLE_ARN }}",
        "aws-region": "${{ vars.AWS_REGION }}",
    }
    script = runs(doc)
    assert "sam deploy" in script
    assert "--no-confirm-changeset" in script
    assert "--no-fail-on-empty-changeset" in script
    assert "--parameter-overrides" in script
    # the SAM CLI is the version lint_iac.sh pins, not a third-party setup action
    assert not [u for u in uses(doc) if u.startswith("aws-actions/setup-sam")]


def _sam_deploy_argv(tmp_path: Path, cors_origins: str) -> list[str]:
    """Run the Deploy step's script with a stand-in `sam` that records its arguments."""
    deploy = next(s for s in steps(load("deploy-aws.yml")) if s.get("name") == "Deploy")
    sam = tmp_path / ".tools" / "sam" / "bin" / "sam"
    sam.parent.mkdir(parents=True)
    sam.write_text("#!/usr/bin/env python3\nimport json, sys\nprint(json.dumps(sys.argv[1:]))\n")
    sam.chmod(0o755)
    workdir = tmp_path / deploy["working-directory"]
    workdir.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "STACK_NAME": "citybrief-prod",
        "GITHUB_REPOSITORY": "OWNER/REPO",
        "WIKI_CONTACT": "",
        "CORS_ORIGINS": cors_origins,
        "ENABLE_FUNCTION_URL": "false",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", deploy["run"]],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    argv: list[str] = json.loads(done.stdout)
    return argv


@pytest.mark.parametrize(
    ("variable", "passed"),
    [
        ("", 'CorsOrigins=""'),
        (
            "https://a.example,https://b.example",
            'CorsOrigins="https://a.example,https://b.example"',
        ),
    ],
)
def test_aws_cors_origins_default_to_none(tmp_path: Path, variable: str, passed: str) -> None:
    """GIVEN CITYBRIEF_CORS_ORIGINS unset THEN CorsOrigins is passed empty, never `*`.

    Always passed (quoted, which is how SAM parses an empty value): an omitted parameter
    keeps the stack's previous value on an update.
    """
    argv = _sam_deploy_argv(tmp_path, variable)
    overrides = argv[argv.index("--parameter-overrides") + 1 :]
    assert [o for o in overrides if o.startswith("CorsOrigins=")] == [passed]
    assert not [word for word in argv if "*" in word]


def test_gcp_deploy_details() -> None:
    doc = load("deploy-gcp.yml")
    auth = next(s for s in steps(doc) if action(s) == "google-github-actions/auth")
    assert (
        auth["with"]["workload_identity_provider"] == "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}"
    )
    assert auth["with"]["service_account"] == "${{ vars.GCP_DEPLOY_SA }}"
    assert "google-github-actions/setup-gcloud" in [action(s) for s in steps(doc)]
    script = runs(doc)
    assert "gcp_functions/deploy.sh" in script
    assert "--bearer" in script  # private function: identity token


def test_azure_deploy_details() -> None:
    doc = load("deploy-azure.yml")
    login = next(s for s in steps(doc) if action(s) == "azure/login")
    assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}
    assert all(v.startswith("${{ vars.") for v in login["with"].values())
    script = runs(doc)
    assert "azure_functions/deploy.sh" in script
    assert "--key" in script
