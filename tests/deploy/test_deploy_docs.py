"""docs/deploy.md's setup commands: only `main` of this repository, in `production`, deploys.

The cloud trust policies live in the documented one-time setup, not in code, so these
tests read the shell blocks of docs/deploy.md and check what each cloud would accept:

* the subject template GitHub is told to use, turned into the `sub` of a token by
  GitHub's rule (each claim key in order, as ``key:value``; ``context`` is
  ``environment:NAME`` when the job names an environment);
* AWS's role trust policy and Azure's federated credential (exact ``sub`` matches);
* Google's provider condition (a CEL conjunction of ``==``, evaluated on the claims);
* the environment's deployment branch rule;
* Azure's RBAC administrator assignment: conditioned to the roles the template assigns;
* Google's grants: no project-wide admin, owner or invoker role for anyone.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest

from .conftest import ROOT

DOC = ROOT / "docs" / "deploy.md"
TEMPLATE = ROOT / "azure_functions" / "infra" / "azuredeploy.json"
REPO = "OWNER/REPO"
MAIN_SUBJECT = f"repo:{REPO}:environment:production:ref:refs/heads/main"
FENCE = re.compile(r"^( *)```sh\n(.*?)^\1```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Claims:
    """The OIDC claims of one job that matter to the trust conditions."""

    repository: str = REPO
    environment: str | None = "production"
    ref: str = "refs/heads/main"
    event_name: str = "push"


MAIN = Claims()
REFUSED = {
    "another branch": Claims(ref="refs/heads/feature"),
    "a tag": Claims(ref="refs/tags/v1.0.0"),
    "a pull request": Claims(ref="refs/pull/7/merge", event_name="pull_request"),
    "no environment": Claims(environment=None),
    "another environment": Claims(environment="staging"),
    "another repository": Claims(repository="someone/fork"),
}


def subject(claims: Claims, keys: list[str]) -> str:
    """The `sub` GitHub issues under a custom template with ``keys``."""
    parts = []
    for key in keys:
        if key == "repo":
            parts.append(f"repo:{claims.repository}")
        elif key == "context":
            if claims.environment:
                parts.append(f"environment:{claims.environment}")
            elif claims.event_name == "pull_request":
                parts.append("pull_request")
            else:
                parts.append(f"ref:{claims.ref}")
        elif key == "ref":
            parts.append(f"ref:{claims.ref}")
        else:
            pytest.fail(f"the test does not model the claim key {key!r}")
    return ":".join(parts)


def section(title: str) -> str:
    """The text of the `## title` section of docs/deploy.md."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def blocks(title: str) -> list[str]:
    """The ```sh blocks of a section, dedented."""
    return [textwrap.dedent(m.group(2)) for m in FENCE.finditer(section(title))]


def commands(title: str, program: str) -> list[list[str]]:
    """Every ``program`` command line of a section's shell blocks, continuations joined."""
    found = []
    for block in blocks(title):
        pending = ""
        for line in block.replace("\\\n", " ").splitlines():
            pending += line
            try:
                words = shlex.split(pending, comments=True)
            except ValueError:  # a quoted argument goes on over the next line
                pending += "\n"
                continue
            pending = ""
            if words[:1] == [program]:
                found.append(words)
        assert not pending, f"unclosed quote in a {title!r} block: {pending}"
    return found


def heredoc(title: str, first_words: str) -> str:
    """The here-document fed to the command line that starts with ``first_words``."""
    for block in blocks(title):
        lines = block.replace("\\\n", " ").splitlines()
        for index, line in enumerate(lines):
            if line.startswith(first_words) and "<<" in line:
                delimiter = line.rsplit("<<", 1)[1].strip().strip("'\"")
                end = lines.index(delimiter, index + 1)
                return "\n".join(lines[index + 1 : end])
    pytest.fail(f"no here-document after {first_words!r} in section {title!r}")


def option(argv: list[str], name: str) -> str:
    """The value of ``--name value`` / ``--name=value`` / ``-f value`` in ``argv``."""
    for index, word in enumerate(argv):
        if word == name:
            return argv[index + 1]
        if word.startswith(name + "="):
            return word.partition("=")[2]
    pytest.fail(f"{name} missing from {argv}")


@pytest.fixture(scope="module")
def subject_keys() -> list[str]:
    """GIVEN the documented subject template of the repository."""
    body = json.loads(
        heredoc(
            "Only `main` deploys",
            f"gh api --method PUT repos/{REPO}/actions/oidc/customization/sub",
        )
    )
    assert body["use_default"] is False
    keys: list[str] = body["include_claim_keys"]
    return keys


def test_subject_template_names_environment_and_ref(subject_keys: list[str]) -> None:
    """THEN a deploy job's subject names the repository, production and main."""
    assert subject(MAIN, subject_keys) == MAIN_SUBJECT
    subjects = {subject(claims, subject_keys) for claims in REFUSED.values()}
    assert MAIN_SUBJECT not in subjects
    assert MAIN_SUBJECT in section("Only `main` deploys")


def test_environment_accepts_main_only() -> None:
    """The production environment's deployment branch rule: custom policies, `main` only."""
    body = json.loads(
        heredoc("Only `main` deploys", f"gh api --method PUT repos/{REPO}/environments")
    )
    assert body["deployment_branch_policy"] == {
        "protected_branches": False,
        "custom_branch_policies": True,
    }
    policies = [
        argv
        for argv in commands("Only `main` deploys", "gh")
        if any(w.endswith("/environments/production/deployment-branch-policies") for w in argv)
    ]
    assert [(option(a, "--method"), a[a.index("-f") + 1 :]) for a in policies] == [
        ("POST", ["name=main", "-f", "type=branch"])
    ]


def test_workflows_are_documented_as_main_only() -> None:
    assert "if: github.ref == 'refs/heads/main'" in section("Only `main` deploys")


@pytest.mark.parametrize("refused", sorted(REFUSED))
def test_aws_role_trusts_main_only(subject_keys: list[str], refused: str) -> None:
    """WHEN a token reaches the role's trust policy THEN only main's subject matches."""
    policy = json.loads(heredoc("AWS (Lambda + API Gateway, SAM)", "cat > trust.json"))
    (statement,) = policy["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert set(statement["Condition"]) == {"StringEquals"}, "no StringLike wildcards"
    equals = statement["Condition"]["StringEquals"]
    assert equals["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    allowed = equals["token.actions.githubusercontent.com:sub"]
    assert allowed == subject(MAIN, subject_keys)
    assert allowed != subject(REFUSED[refused], subject_keys)


def test_azure_federated_credential_is_main_only(subject_keys: list[str]) -> None:
    (create,) = [
        argv
        for argv in commands("Azure (Functions, Flex Consumption)", "az")
        if argv[1:4] == ["ad", "app", "federated-credential"]
    ]
    credential = json.loads(option(create, "--parameters"))
    assert credential["issuer"] == "https://token.actions.githubusercontent.com"
    assert credential["subject"] == subject(MAIN, subject_keys)
    assert credential["audiences"] == ["api://AzureADTokenExchange"]


def _gcp_condition() -> str:
    (provider,) = [
        argv
        for argv in commands("Google Cloud (Cloud Functions gen2)", "gcloud")
        if argv[1:5] == ["iam", "workload-identity-pools", "providers", "create-oidc"]
    ]
    return option(provider, "--attribute-condition").replace("${REPO}", REPO)


def _cel(condition: str, claims: Claims) -> bool:
    """Evaluate a CEL conjunction of `assertion.x == 'literal'` terms on ``claims``."""
    terms = [term.strip() for term in condition.split("&&")]
    term = re.compile(r"^assertion\.(\w+) == '([^']*)'$")
    assert all(term.match(t) for t in terms), f"not a conjunction of equalities: {condition}"
    assertion = SimpleNamespace(**vars(claims) | {"environment": claims.environment or ""})
    return all(
        getattr(assertion, m[1]) == m[2] for m in (term.match(t) for t in terms) if m is not None
    )


def test_gcp_provider_accepts_main_only() -> None:
    """The workload identity provider's condition checks repository, environment and ref."""
    condition = _gcp_condition()
    assert _cel(condition, MAIN)
    for name, claims in REFUSED.items():
        assert not _cel(condition, claims), f"{name} would be accepted: {condition}"


def _role_ids(condition: str, source: str, action: str) -> set[str]:
    """GUIDs a role-assignment action is restricted to, from an ABAC condition."""
    clause = re.search(
        r"\(\(!\(ActionMatches\{'Microsoft\.Authorization/roleAssignments/"
        + action
        + r"'\}\)\) OR \(@"
        + source
        + r"\[Microsoft\.Authorization/roleAssignments:RoleDefinitionId\] "
        r"ForAnyOfAnyValues:GuidEquals \{([^}]*)\} AND @"
        + source
        + r"\[Microsoft\.Authorization/roleAssignments:PrincipalType\] "
        r"ForAnyOfAnyValues:StringEqualsIgnoreCase \{'ServicePrincipal'\}\)\)",
        condition,
    )
    assert clause, f"no {action} clause on @{source} in {condition}"
    return {guid.strip() for guid in clause[1].split(",")}


def test_azure_rbac_administrator_is_conditioned_to_the_template_roles() -> None:
    """The deploy identity may only assign (and remove) the roles the template assigns."""
    template: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    assigned = set(template["variables"]["roles"].values())
    script = "\n".join(blocks("Azure (Functions, Flex Consumption)"))
    roles = re.search(r'^ROLES="([^"]*)"$', script, re.MULTILINE)
    condition = re.search(r'^CONDITION="(.*)"$', script, re.MULTILINE)
    assert roles and condition
    expanded = condition[1].replace("$ROLES", roles[1])
    assert expanded.count("(") == expanded.count(")")
    assert _role_ids(expanded, "Request", "write") == assigned
    assert _role_ids(expanded, "Resource", "delete") == assigned
    grants = [
        argv
        for argv in commands("Azure (Functions, Flex Consumption)", "az")
        if argv[1:4] == ["role", "assignment", "create"]
    ]
    assert {option(a, "--role") for a in grants} == {
        "Contributor",
        "Role Based Access Control Administrator",
    }
    for argv in grants:
        if option(argv, "--role") != "Contributor":
            assert option(argv, "--condition") == "$CONDITION"
            assert option(argv, "--condition-version") == "2.0"


def test_gcp_grants_are_narrow() -> None:
    """No admin/owner/editor role and no project-wide invoker; the deploy SA deploys only."""
    gcloud = commands("Google Cloud (Cloud Functions gen2)", "gcloud")
    script = "\n".join(blocks("Google Cloud (Cloud Functions gen2)"))
    for broad in (
        "roles/run.admin",
        "roles/datastore.owner",
        "roles/pubsub.editor",
        "roles/editor",
        "roles/owner",
        "roles/run.invoker",
    ):
        assert broad not in script, broad
    project_roles = {
        (option(argv, "--member"), option(argv, "--role"))
        for argv in gcloud
        if argv[1:3] == ["projects", "add-iam-policy-binding"]
    }
    deploy_roles = {role for member, role in project_roles if "DEPLOY_SA" in member}
    assert deploy_roles == {"roles/cloudfunctions.developer"}
    invokers = {
        (argv[3], option(argv, "--member"))
        for argv in gcloud
        if argv[1:3] == ["functions", "add-invoker-policy-binding"]
    }
    assert invokers == {
        ("citybrief", "serviceAccount:$DEPLOY_SA"),
        ("citybrief-batch", "serviceAccount:$RUN_SA"),
    }
