"""The GitHub Actions workflows: CI shape, deploy safety rails, schema-valid.

actionlint (and shellcheck of the run: blocks) runs in scripts/check_workflows.sh
via make lint.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import ROOT, venv_tool

WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOYS = {
    "aws": ("deploy-aws.yml", "aws_lambda/**", "aws-actions/configure-aws-credentials@v4"),
    "gcp": ("deploy-gcp.yml", "gcp_functions/**", "google-github-actions/auth@v2"),
    "azure": ("deploy-azure.yml", "azure_functions/**", "azure/login@v2"),
}


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
def test_actions_pinned_by_major_tag(path: Path) -> None:
    for ref in uses(load(path.name)):
        _, _, version = ref.partition("@")
        assert version.startswith("v") and version[1:].isdigit(), ref


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
    assert auth_action in uses(doc)
    script = runs(doc)
    assert "make package" in script
    assert "scripts/smoke.py" in script
    # no long-lived credentials: OIDC only
    assert "secrets." not in (WORKFLOWS / name).read_text(encoding="utf-8")


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


def test_gcp_deploy_details() -> None:
    doc = load("deploy-gcp.yml")
    auth = next(s for s in steps(doc) if s.get("uses", "") == "google-github-actions/auth@v2")
    assert (
        auth["with"]["workload_identity_provider"] == "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}"
    )
    assert auth["with"]["service_account"] == "${{ vars.GCP_DEPLOY_SA }}"
    assert "google-github-actions/setup-gcloud@v2" in uses(doc)
    script = runs(doc)
    assert "gcp_functions/deploy.sh" in script
    assert "--bearer" in script  # private function: identity token


def test_azure_deploy_details() -> None:
    doc = load("deploy-azure.yml")
    login = next(s for s in steps(doc) if s.get("uses", "") == "azure/login@v2")
    assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}
    assert all(v.startswith("${{ vars.") for v in login["with"].values())
    script = runs(doc)
    assert "azure_functions/deploy.sh" in script
    assert "--key" in script
