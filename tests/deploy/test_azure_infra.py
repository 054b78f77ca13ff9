"""azure_functions/infra/azuredeploy.json (ARM) and azure_functions/deploy.sh.

No ARM schema or Bicep CLI is installable offline, so this is a structural check:
resource types, apiVersions, the security settings we rely on, references that
resolve, and a deploy script whose parameters exist in the template.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .conftest import ROOT, flags_of, parse_commands, run_dry

TEMPLATE = ROOT / "azure_functions" / "infra" / "azuredeploy.json"
SCRIPT = ROOT / "azure_functions" / "deploy.sh"
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # GA versions only, no -preview


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    return loaded


def resources(template: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r for r in template["resources"] if r["type"].lower() == type_.lower()]


def the(template: dict[str, Any], type_: str) -> dict[str, Any]:
    (resource,) = resources(template, type_)
    return resource


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def app_settings(template: dict[str, Any]) -> dict[str, Any]:
    site = the(template, "Microsoft.Web/sites")
    return {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}


def test_schema_header(template: dict[str, Any]) -> None:
    assert template["$schema"].endswith("/deploymentTemplate.json#")
    assert template["contentVersion"] == "1.0.0.0"
    assert "why_arm_json_not_bicep" in template["metadata"]


def test_api_versions_are_dated_and_ga(template: dict[str, Any]) -> None:
    for resource in template["resources"]:
        assert API_VERSION.match(resource["apiVersion"]), resource["type"]


def test_parameters(template: dict[str, Any]) -> None:
    params = template["parameters"]
    for name in ("location", "appName", "storageAccountName", "authLevel", "wikiContact"):
        assert name in params, name
    assert params["authLevel"]["allowedValues"] == ["ANONYMOUS", "FUNCTION"]
    assert params["authLevel"]["defaultValue"] == "FUNCTION"


def test_flex_consumption_python_312(template: dict[str, Any]) -> None:
    plan = the(template, "Microsoft.Web/serverfarms")
    assert plan["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    assert plan["properties"]["reserved"] is True  # Linux
    site = the(template, "Microsoft.Web/sites")
    assert site["kind"] == "functionapp,linux"
    config = site["properties"]["functionAppConfig"]
    assert config["runtime"] == {"name": "python", "version": "3.12"}
    assert config["deployment"]["storage"]["authentication"]["type"] == "SystemAssignedIdentity"
    assert "maximumInstanceCount" in config["scaleAndConcurrency"]


def test_site_security(template: dict[str, Any]) -> None:
    site = the(template, "Microsoft.Web/sites")
    assert site["identity"]["type"] == "SystemAssigned"
    assert site["properties"]["httpsOnly"] is True
    site_config = site["properties"]["siteConfig"]
    assert site_config["minTlsVersion"] == "1.2"
    assert site_config["scmMinTlsVersion"] == "1.2"
    assert site_config["ftpsState"] == "Disabled"


def test_storage_security(template: dict[str, Any]) -> None:
    props = the(template, "Microsoft.Storage/storageAccounts")["properties"]
    assert props["minimumTlsVersion"] == "TLS1_2"
    assert props["supportsHttpsTrafficOnly"] is True
    assert props["allowBlobPublicAccess"] is False
    assert props["allowSharedKeyAccess"] is False


def test_no_secrets_in_template(template: dict[str, Any]) -> None:
    text = json.dumps(template)
    assert "listKeys" not in text
    assert "AccountKey=" not in text


def test_app_settings(template: dict[str, Any]) -> None:
    settings = app_settings(template)
    assert settings["AzureWebJobsStorage__accountName"] == "[parameters('storageAccountName')]"
    assert "APPLICATIONINSIGHTS_CONNECTION_STRING" in settings
    assert settings["CITYBRIEF_AUTH_LEVEL"] == "[parameters('authLevel')]"
    assert settings["CITYBRIEF_CONTACT"] == "[parameters('wikiContact')]"
    assert {"CITYBRIEF_CACHE", "CITYBRIEF_CORS_ORIGINS"} <= set(settings)
    # the shared Table cache by default, named after the table the template creates
    assert "azuretable://{0}" in settings["CITYBRIEF_CACHE"]
    assert template["parameters"]["cache"]["defaultValue"] == "table"
    # Flex Consumption sets the language in functionAppConfig.runtime instead
    assert "FUNCTIONS_WORKER_RUNTIME" not in settings
    assert "FUNCTIONS_EXTENSION_VERSION" not in settings


def test_monitoring(template: dict[str, Any]) -> None:
    insights = the(template, "Microsoft.Insights/components")
    assert "WorkspaceResourceId" in insights["properties"]
    workspace = the(template, "Microsoft.OperationalInsights/workspaces")
    assert "retentionInDays" in workspace["properties"]
    assert "dailyQuotaGb" in workspace["properties"]["workspaceCapping"]


def test_batch_path_storage(template: dict[str, Any]) -> None:
    variables = template["variables"]
    names = {
        r["name"]
        for t in (
            "Microsoft.Storage/storageAccounts/queueServices/queues",
            "Microsoft.Storage/storageAccounts/blobServices/containers",
            "Microsoft.Storage/storageAccounts/tableServices/tables",
        )
        for r in resources(template, t)
    }
    assert (
        "[format('{0}/default/{1}', parameters('storageAccountName'), variables('queueName'))]"
        in names
    )
    assert variables["queueName"] == "citybrief-requests"
    assert variables["blobContainer"] == "briefs"
    assert variables["tableName"] == "citybriefcache"
    assert len(names) == 4  # + the deployment package container


def test_identity_roles(template: dict[str, Any]) -> None:
    roles = set(template["variables"]["roles"].values())
    assigned = {
        r["properties"]["roleDefinitionId"]
        for r in resources(template, "Microsoft.Authorization/roleAssignments")
    }
    assert len(assigned) == len(roles) == 3
    for assignment in resources(template, "Microsoft.Authorization/roleAssignments"):
        assert assignment["properties"]["principalType"] == "ServicePrincipal"
        assert "identity.principalId" in assignment["properties"]["principalId"]


def test_expressions_are_balanced_and_resolve(template: dict[str, Any]) -> None:
    params, variables = set(template["parameters"]), set(template["variables"])
    for text in strings(template):
        if not (text.startswith("[") and text.endswith("]")):
            continue
        assert text.count("(") == text.count(")"), text
        assert text.count("[") == text.count("]"), text
        for name in re.findall(r"parameters\('([^']+)'\)", text):
            assert name in params, text
        for name in re.findall(r"variables\('([^']+)'\)", text):
            assert name in variables, text


def test_outputs(template: dict[str, Any]) -> None:
    assert {"functionAppName", "functionAppUrl"} <= set(template["outputs"])


# --- deploy.sh ------------------------------------------------------------------------

ENV = {
    "AZURE_RESOURCE_GROUP": "rg-citybrief",
    "AZURE_FUNCTIONAPP_NAME": "citybrief-test-app",
    "CORS_ORIGINS": "https://a.example, https://b.example",
}


def dry_run(**overrides: str) -> list[list[str]]:
    result = run_dry(SCRIPT, {**ENV, **overrides})
    assert result.returncode == 0, result.stderr
    return parse_commands(result.stdout)


def test_deploy_runs_template_then_zip(template: dict[str, Any]) -> None:
    commands = dry_run()
    assert [argv[:3] for argv in commands if argv[0] == "az"] == [
        ["az", "deployment", "group"],
        ["az", "functionapp", "deployment"],
        ["az", "functionapp", "show"],
    ]
    create = commands[0]
    assert create[3] == "create"
    flags = flags_of(create)
    assert flags["--resource-group"] == "rg-citybrief"
    assert flags["--template-file"] == "azure_functions/infra/azuredeploy.json"
    params_at = create.index("--parameters") + 1
    given = {}
    for word in create[params_at:]:
        if word.startswith("--"):
            break
        key, _, value = word.partition("=")
        given[key] = value
    assert set(given) <= set(template["parameters"]), set(given) - set(template["parameters"])
    assert given["appName"] == "citybrief-test-app"
    assert given["authLevel"] == "FUNCTION"
    assert json.loads(given["corsOrigins"]) == ["https://a.example", "https://b.example"]

    zip_deploy = commands[1]
    assert zip_deploy[:5] == ["az", "functionapp", "deployment", "source", "config-zip"]
    zflags = flags_of(zip_deploy)
    assert zflags["--src"] == "dist/azure.zip"
    assert zflags["--name"] == "citybrief-test-app"
    assert zflags["--build-remote"] == "false"  # dist/azure.zip ships its dependencies


def test_deploy_anonymous_and_storage_name() -> None:
    create = dry_run(AUTH_LEVEL="ANONYMOUS", AZURE_STORAGE_ACCOUNT="stcitybrief")[0]
    assert "authLevel=ANONYMOUS" in create
    assert "storageAccountName=stcitybrief" in create


@pytest.mark.parametrize(
    "env",
    [
        {"AZURE_RESOURCE_GROUP": ""},
        {"AZURE_FUNCTIONAPP_NAME": ""},
        {"AUTH_LEVEL": "ADMIN"},
    ],
)
def test_deploy_rejects_bad_settings(env: dict[str, str]) -> None:
    result = run_dry(SCRIPT, {**ENV, **env})
    assert result.returncode == 2
    assert result.stdout == ""
