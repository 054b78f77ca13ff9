"""aws_lambda/template.yaml: cfn-lint clean, and the properties we rely on.

`sam validate --lint` needs the AWS SAM CLI, which is not a project dependency:
scripts/lint_iac.sh runs it (make lint).
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest

from tests.support.templates import load_template

from .conftest import ROOT, venv_tool

TEMPLATE = ROOT / "aws_lambda" / "template.yaml"
ASL = ROOT / "aws_lambda" / "statemachine" / "batch.asl.json"
RETRYABLE_LAMBDA_ERRORS = {
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
}
# Documented exceptions to "no wildcard resources": actions with no resource-level permissions.
WILDCARD_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    loaded: dict[str, Any] = load_template(TEMPLATE)
    return loaded


def resources_of(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def the_function(template: dict[str, Any], name: str = "CityBriefFunction") -> dict[str, Any]:
    props: dict[str, Any] = template["Resources"][name]["Properties"]
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
    for name in (
        "Stage",
        "CorsOrigins",
        "WikiContact",
        "EnableFunctionUrl",
        "LogRetentionDays",
        "MapMaxConcurrency",
        "ResultsRetentionDays",
    ):
        assert name in params, name
    # Wikimedia etiquette: a batch briefs a couple of cities at a time by default
    assert params["MapMaxConcurrency"]["Default"] <= 4
    assert params["EnableFunctionUrl"]["Default"] == "false"
    assert params["CorsOrigins"]["Type"] == "CommaDelimitedList"


@pytest.mark.parametrize(
    ("mode", "tracing", "sdk_disabled"),
    [
        (None, "Active", "true"),
        ("ActiveWithSdk", "Active", "false"),
        ("PassThrough", "PassThrough", "true"),
    ],
)
def test_tracing_modes(mode: str | None, tracing: str, sdk_disabled: str) -> None:
    """GIVEN each TracingMode (None: the default) WHEN the template is resolved THEN Lambda
    traces unless PassThrough, and the X-Ray SDK (~0.3 s of a cold start) is imported only
    with ActiveWithSdk: the default deployment is traced without it. bench.run measures
    the "aws" row with this very resolution."""
    from bench.run import deployed_tracing

    assert deployed_tracing(mode) == {
        "Tracing": tracing,
        "POWERTOOLS_TRACE_DISABLED": sdk_disabled,
    }


def test_function_runtime_and_sizing(template: dict[str, Any]) -> None:
    fn = the_function(template)
    assert fn["Runtime"] == "python3.12"
    assert fn["Handler"] == "handler.handler"
    assert fn["CodeUri"] == "../dist/aws"
    assert fn["Architectures"] == ["x86_64"]
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
    # the stack's own DynamoDB table, shared by every container
    assert env["CITYBRIEF_CACHE"] == {"Fn::Sub": "dynamodb://${CacheTable}"}


def test_http_api_throttling_and_cors(template: dict[str, Any]) -> None:
    (api,) = resources_of(template, "AWS::Serverless::HttpApi").values()
    props = api["Properties"]
    throttling = props["DefaultRouteSettings"]
    assert throttling["ThrottlingRateLimit"] == {"Ref": "ThrottlingRateLimit"}
    assert throttling["ThrottlingBurstLimit"] == {"Ref": "ThrottlingBurstLimit"}
    # CORS is the core's, as on every cloud: API Gateway would answer preflights itself
    assert "CorsConfiguration" not in props
    env = the_function(template)["Environment"]["Variables"]
    assert env["CITYBRIEF_CORS_ORIGINS"] == {"Fn::Join": [",", {"Ref": "CorsOrigins"}]}
    assert "AccessLogSettings" in props


def test_every_path_and_method_reaches_the_core(template: dict[str, Any]) -> None:
    """The core, not API Gateway, answers 404, 405 and preflights, as on every cloud."""
    events = the_function(template)["Events"].values()
    routes = {(e["Properties"]["Method"], e["Properties"]["Path"]) for e in events}
    assert routes == {("ANY", "$default")}
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
            # documented exceptions: X-Ray and Step Functions' log delivery
            assert set(actions) <= WILDCARD_ACTIONS, actions
    logs = next(s for s in statements if "logs:PutLogEvents" in s["Action"])
    assert logs["Resource"] == {"Fn::GetAtt": ["FunctionLogGroup", "Arn"]}
    text = TEMPLATE.read_text(encoding="utf-8")
    assert "X-Ray" in text  # the exceptions are commented
    assert "log delivery" in text


def role_statements(template: dict[str, Any], role: str) -> list[dict[str, Any]]:
    policies = template["Resources"][role]["Properties"]["Policies"]
    return [s for p in policies for s in p["PolicyDocument"]["Statement"]]


def test_function_may_only_get_and_put_cache_items(template: dict[str, Any]) -> None:
    dynamodb = [
        s
        for s in role_statements(template, "FunctionRole")
        if any(a.startswith("dynamodb:") for a in as_list(s["Action"]))
    ]
    assert len(dynamodb) == 1
    assert sorted(dynamodb[0]["Action"]) == ["dynamodb:GetItem", "dynamodb:PutItem"]
    assert dynamodb[0]["Resource"] == {"Fn::GetAtt": ["CacheTable", "Arn"]}


def test_state_machine_role_is_least_privilege(template: dict[str, Any]) -> None:
    role = template["Resources"]["StateMachineRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"}
    statements = role_statements(template, "StateMachineRole")
    by_action = {a: s for s in statements for a in as_list(s["Action"])}
    # the batch function (and its versions/aliases) only
    assert by_action["lambda:InvokeFunction"]["Resource"] == [
        {"Fn::GetAtt": ["BatchFunction", "Arn"]},
        {"Fn::Sub": "${BatchFunction.Arn}:*"},
    ]
    # writes under results/ only (the index, a failed city's record); no reads, no deletes
    assert by_action["s3:PutObject"]["Resource"] == {"Fn::Sub": "${ResultsBucket.Arn}/results/*"}
    assert not [a for a in by_action if a.startswith("s3:") and a != "s3:PutObject"]
    assert not [a for a in by_action if a.startswith("dynamodb:")]


def test_only_the_batch_function_may_write_results(template: dict[str, Any]) -> None:
    """The public function holds no S3 permission; the batch one may only put records."""
    assert not [
        s
        for s in role_statements(template, "FunctionRole")
        if any(a.startswith("s3:") for a in as_list(s["Action"]))
    ]
    statements = role_statements(template, "BatchFunctionRole")
    writes = [s for s in statements if any(a.startswith("s3:") for a in as_list(s["Action"]))]
    assert [(s["Action"], s["Resource"]) for s in writes] == [
        ("s3:PutObject", {"Fn::Sub": "${ResultsBucket.Arn}/results/*/*"})
    ]  # records under results/<execution>/ only: never an index results/<execution>.json
    role = template["Resources"]["BatchFunctionRole"]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    by_action = {a: s for s in statements for a in as_list(s["Action"])}
    assert by_action["logs:PutLogEvents"]["Resource"] == {
        "Fn::GetAtt": ["BatchFunctionLogGroup", "Arn"]
    }
    assert by_action["dynamodb:GetItem"]["Resource"] == {"Fn::GetAtt": ["CacheTable", "Arn"]}


def test_batch_function(template: dict[str, Any]) -> None:
    """Same package and runtime as the public function; no event source: only the state
    machine invokes it."""
    public, batch = the_function(template), the_function(template, "BatchFunction")
    assert batch["Handler"] == "batch_task.handler"
    for name in ("CodeUri", "Runtime", "Architectures", "MemorySize", "Tracing"):
        assert batch[name] == public[name], name
    assert "Events" not in batch and "Policies" not in batch
    assert batch["Role"] == {"Fn::GetAtt": ["BatchFunctionRole", "Arn"]}
    assert batch["Timeout"] > 20  # the core's deadline, then the S3 write
    env = batch["Environment"]["Variables"]
    for name in ("CITYBRIEF_CONTACT", "CITYBRIEF_CACHE", "CITYBRIEF_LOG_LEVEL"):
        assert env[name] == public["Environment"]["Variables"][name], name
    assert batch["LoggingConfig"]["LogGroup"] == {"Ref": "BatchFunctionLogGroup"}


def test_cache_table_matches_dynamodb_cache(template: dict[str, Any]) -> None:
    # DynamoDbCache: pk (S) key, expires_at (N, epoch seconds) as the TTL attribute
    (table,) = resources_of(template, "AWS::DynamoDB::Table").values()
    props = table["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert props["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": "S"}]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_results_bucket_is_private_encrypted_and_expiring(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["ResultsBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    (sse,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert "VersioningConfiguration" not in bucket
    expire = next(
        r for r in bucket["LifecycleConfiguration"]["Rules"] if r["Id"] == "expire-results"
    )
    assert expire["Prefix"] == "results/"
    assert expire["ExpirationInDays"] == {"Ref": "ResultsRetentionDays"}


def test_state_machine_resource(template: dict[str, Any]) -> None:
    (machine,) = resources_of(template, "AWS::Serverless::StateMachine").values()
    props = machine["Properties"]
    assert props["Type"] == "STANDARD"
    assert (TEMPLATE.parent / props["DefinitionUri"]).resolve() == ASL
    assert props["DefinitionSubstitutions"] == {
        "BatchFunctionArn": {"Fn::GetAtt": ["BatchFunction", "Arn"]},
        "ResultsBucket": {"Ref": "ResultsBucket"},
        "MapMaxConcurrency": {"Ref": "MapMaxConcurrency"},
    }
    assert props["Role"] == {"Fn::GetAtt": ["StateMachineRole", "Arn"]}
    assert props["Tracing"] == {"Enabled": True}
    (destination,) = props["Logging"]["Destinations"]
    group = destination["CloudWatchLogsLogGroup"]["LogGroupArn"]["Fn::GetAtt"][0]
    assert group in resources_of(template, "AWS::Logs::LogGroup")


def test_batch_definition(template: dict[str, Any]) -> None:
    asl = json.loads(ASL.read_text(encoding="utf-8"))
    states = asl["States"]
    (briefs,) = [s for s in states.values() if s["Type"] == "Map"]
    assert briefs["MaxConcurrencyPath"] == "$.maxConcurrency"
    assert briefs["ItemSelector"]["city.$"] == "$$.Map.Item.Value"
    # each city's record goes to S3 under the execution, keyed by its position
    assert briefs["ItemSelector"]["bucket"] == "${ResultsBucket}"
    assert briefs["ItemSelector"]["key.$"] == (
        "States.Format('results/{}/{}.json', $$.Execution.Name, $$.Map.Item.Index)"
    )
    task = briefs["ItemProcessor"]["States"]["Brief"]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert task["Parameters"] == {"FunctionName": "${BatchFunctionArn}", "Payload.$": "$"}
    assert task["OutputPath"] == "$.Payload"  # the function's small entry, nothing more
    transient, retry = task["Retry"]
    # a Wikipedia failure a retry may not meet (records.is_transient): the task raises it
    assert transient["ErrorEquals"] == ["TransientBatchError"]
    assert transient["JitterStrategy"] == "FULL"
    assert set(retry["ErrorEquals"]) == RETRYABLE_LAMBDA_ERRORS
    assert retry["JitterStrategy"] == "FULL"
    assert retry["MaxAttempts"] == 3
    (catch,) = task["Catch"]
    assert catch["ErrorEquals"] == ["States.ALL"]
    assert catch["ResultPath"] == "$.failure"  # keeps the city next to the error
    # a batch too large for one execution's state and history fails before any work
    (size,) = [s for s in states.values() if s["Type"] == "Choice"]
    (cap,) = size["Choices"]
    assert states[cap["Next"]]["Type"] == "Fail"
    assert cap["NumericGreaterThan"] <= 1000
    save = next(s for s in states.values() if s.get("End"))
    assert save["Resource"] == "arn:aws:states:::aws-sdk:s3:putObject"
    assert save["Parameters"]["Bucket"] == "${ResultsBucket}"
    assert save["Parameters"]["Key.$"] == "States.Format('results/{}.json', $$.Execution.Name)"


def test_outputs(template: dict[str, Any]) -> None:
    assert {
        "ApiUrl",
        "FunctionName",
        "FunctionUrl",
        "BatchStateMachineArn",
        "ResultsBucketName",
        "CacheTableName",
    } <= set(template["Outputs"])
