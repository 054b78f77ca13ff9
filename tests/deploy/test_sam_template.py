"""aws_lambda/template.yaml: cfn-lint clean, and the properties we rely on.

`sam validate --lint` needs the AWS SAM CLI, which is not a project dependency:
scripts/lint_iac.sh runs it (make lint).
"""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from cfnlint.decode import cfn_yaml

from .conftest import ROOT, venv_tool

TEMPLATE = ROOT / "aws_lambda" / "template.yaml"


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = cfn_yaml.load(str(TEMPLATE))
    return loaded


def resources_of(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def the_function(template: dict[str, Any]) -> dict[str, Any]:
    (function,) = resources_of(template, "AWS::Serverless::Function").values()
    props: dict[str, Any] = function["Properties"]
    return props


def test_cfn_lint_passes() -> None:
    result = subprocess.run(
        [venv_tool("cfn-lint"), str(TEMPLATE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_is_a_sam_template(template: dict[str, Any]) -> None:
    assert template["Transform"] == "AWS::Serverless-2016-10-31"


def test_parameters(template: dict[str, Any]) -> None:
    params = template["Parameters"]
    for name in ("Stage", "CorsOrigins", "WikiContact", "EnableFunctionUrl", "LogRetentionDays"):
        assert name in params, name
    assert params["EnableFunctionUrl"]["Default"] == "false"
    assert params["CorsOrigins"]["Type"] == "CommaDelimitedList"


def test_function_runtime_and_sizing(template: dict[str, Any]) -> None:
    fn = the_function(template)
    assert fn["Runtime"] == "python3.12"
    assert fn["Handler"] == "handler.handler"
    assert fn["CodeUri"] == "../dist/aws"
    assert fn["Architectures"] == ["x86_64"]
    assert fn["Tracing"] == "Active"
    # longer than the core's 20 s deadline, within the HTTP API's 30 s integration cap
    assert 20 < fn["Timeout"] <= 30
    assert template["Parameters"]["MemorySize"]["Default"] >= 512


def test_environment(template: dict[str, Any]) -> None:
    env = the_function(template)["Environment"]["Variables"]
    for name in (
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
        "CITYBRIEF_CONTACT",
        "CITYBRIEF_CORS_ORIGINS",
        "CITYBRIEF_CACHE",
    ):
        assert name in env, name
    assert env["CITYBRIEF_CONTACT"] == {"Ref": "WikiContact"}
    # memory cache unless a DynamoDB table is configured
    cache = env["CITYBRIEF_CACHE"]["Fn::If"]
    assert cache[0] == "HasCacheTable"
    assert cache[2] == "memory"


def test_http_api_throttling_and_cors(template: dict[str, Any]) -> None:
    (api,) = resources_of(template, "AWS::Serverless::HttpApi").values()
    props = api["Properties"]
    throttling = props["DefaultRouteSettings"]
    assert throttling["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    assert throttling["ThrottlingBurstLimit"] == {"Ref": "ThrottlingBurstLimit"}
    assert props["CorsConfiguration"]["AllowOrigins"] == {"Ref": "CorsOrigins"}
    assert "AccessLogSettings" in props


def test_routes(template: dict[str, Any]) -> None:
    events = the_function(template)["Events"].values()
    routes = {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in events}
    assert routes >= {
        ("GET", "/brief"),
        ("POST", "/brief"),
        ("GET", "/compare"),
        ("POST", "/compare"),
        ("GET", "/health"),
        ("GET", "/openapi.json"),
    }
    assert all(e["Type"] == "HttpApi" for e in events)


def test_function_url_is_optional(template: dict[str, Any]) -> None:
    assert template["Conditions"]["CreateFunctionUrl"] == {
        "Fn::Equals": [{"Ref": "EnableFunctionUrl"}, "true"]
    }
    url_resources = {
        **resources_of(template, "AWS::Lambda::Url"),
        **resources_of(template, "AWS::Lambda::Permission"),
    }
    assert len(url_resources) == 3
    assert all(r["Condition"] == "CreateFunctionUrl" for r in url_resources.values())
    assert template["Outputs"]["FunctionUrl"]["Condition"] == "CreateFunctionUrl"


def test_log_groups_have_retention(template: dict[str, Any]) -> None:
    groups = resources_of(template, "AWS::Logs::LogGroup")
    assert groups
    for group in groups.values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert the_function(template)["LoggingConfig"]["LogGroup"]["Ref"] in groups


def iam_statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    for role in resources_of(template, "AWS::IAM::Role").values():
        for entry in role["Properties"]["Policies"]:
            # a conditional policy: check its "true" branch
            policy = entry["Fn::If"][1] if "Fn::If" in entry else entry
            statements.extend(policy["PolicyDocument"]["Statement"])
    return statements


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_least_privilege(template: dict[str, Any]) -> None:
    fn = the_function(template)
    assert "Policies" not in fn, "use the explicit role, not SAM's default policies"
    assert fn["Role"] == {"Fn::GetAtt": ["FunctionRole", "Arn"]}
    statements = iam_statements(template)
    assert statements
    for statement in statements:
        actions = as_list(statement["Action"])
        assert all("*" not in action for action in actions), actions
        if "*" in as_list(statement["Resource"]):
            # documented exception: X-Ray has no resource-level permissions
            assert set(actions) <= {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}
    logs = next(s for s in statements if "logs:PutLogEvents" in s["Action"])
    assert logs["Resource"] == {"Fn::GetAtt": ["FunctionLogGroup", "Arn"]}
    assert "X-Ray" in TEMPLATE.read_text(encoding="utf-8")  # the exception is commented


def test_outputs(template: dict[str, Any]) -> None:
    assert {"ApiUrl", "FunctionName", "FunctionUrl"} <= set(template["Outputs"])
