"""Every deploy config ends a request's budget before its platform's own timeout.

``CITYBRIEF_DEADLINE`` bounds a whole request (a brief, or a comparison of up to 10
cities). It must end early enough that our 504 ``upstream-timeout`` problem document
reaches the caller: past the platform's timeout the caller gets the platform's error
instead. The margin pays for a cold start's imports and the analysis of the last
article fetched before the deadline.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from citybrief.settings import Settings
from tests.support.templates import load_template

from .conftest import ROOT, flags_of, parse_commands, run_dry
from .test_gcp_deploy import ENV as GCP_ENV
from .test_gcp_deploy import SCRIPT as GCP_SCRIPT
from .test_gcp_deploy import the_deploy

MARGIN = 5.0  # seconds; gcp_functions/deploy.sh refuses less (its DEADLINE_MARGIN)
HTTP_API_MAX = 30.0  # API Gateway's HTTP API: the longest integration timeout it allows
AZURE_HTTP_MAX = 230.0  # Azure's front end drops an HTTP response after 230 s, whatever
# host.json's functionTimeout says


def deadline_of(raw: str) -> float:
    """The value as the function will read it (a bad one would stop it at start-up)."""
    return Settings.from_env({"CITYBRIEF_DEADLINE": raw}).deadline


def _aws_functions() -> dict[str, dict[str, Any]]:
    template: dict[str, Any] = load_template(ROOT / "aws_lambda" / "template.yaml")
    return {
        name: r["Properties"]
        for name, r in template["Resources"].items()
        if r["Type"] == "AWS::Serverless::Function"
    }


def test_aws_deadline_ends_before_lambda_and_the_http_api() -> None:
    function = _aws_functions()["CityBriefFunction"]
    (api,) = [e["Properties"] for e in function["Events"].values() if e["Type"] == "HttpApi"]
    platform = min(float(function["Timeout"]), api["TimeoutInMillis"] / 1000, HTTP_API_MAX)

    deadline = deadline_of(function["Environment"]["Variables"]["CITYBRIEF_DEADLINE"])

    assert deadline + MARGIN <= platform


def test_aws_batch_task_deadline_ends_before_its_lambda() -> None:
    # GIVEN the batch task (no HTTP API in front: only its own Timeout bounds it)
    function = _aws_functions()["BatchFunction"]
    deadline = deadline_of(function["Environment"]["Variables"]["CITYBRIEF_DEADLINE"])
    # THEN one city's brief ends with time left to write its record
    assert deadline + MARGIN <= float(function["Timeout"])


def _gcp_http_function(**env: str) -> tuple[float, float]:
    """(--timeout, CITYBRIEF_DEADLINE) of the HTTP function deploy.sh would create."""
    result = run_dry(GCP_SCRIPT, {**GCP_ENV, **env})
    assert result.returncode == 0, result.stderr
    flags = flags_of(the_deploy(parse_commands(result.stdout), "citybrief"))
    timeout, variables = flags["--timeout"], flags["--set-env-vars"]
    assert timeout is not None and variables is not None
    (deadline,) = re.findall(r"CITYBRIEF_DEADLINE=([^,|]*)", variables)
    return float(timeout.removesuffix("s")), deadline_of(deadline)


@pytest.mark.parametrize(
    "env",
    [{"TIMEOUT": ""}, {"TIMEOUT": "45s"}, {"TIMEOUT": "30", "CITYBRIEF_DEADLINE": "25"}],
    ids=["defaults", "shorter-timeout", "tight-but-allowed"],
)
def test_gcp_deadline_ends_before_the_function_timeout(env: dict[str, str]) -> None:
    timeout, deadline = _gcp_http_function(**env)

    assert deadline + MARGIN <= timeout


@pytest.mark.parametrize(
    "env",
    [{"TIMEOUT": "22s"}, {"TIMEOUT": "60s", "CITYBRIEF_DEADLINE": "58"}, {"TIMEOUT": "1m"}],
    ids=["timeout-too-short", "deadline-too-long", "timeout-not-in-seconds"],
)
def test_gcp_deploy_refuses_a_deadline_the_platform_would_cut(env: dict[str, str]) -> None:
    result = run_dry(GCP_SCRIPT, {**GCP_ENV, **env})

    assert result.returncode != 0
    assert "TIMEOUT" in result.stderr
    assert "gcloud functions deploy" not in result.stdout


def test_azure_deadline_ends_before_the_function_timeout() -> None:
    host = json.loads((ROOT / "azure_functions" / "host.json").read_text(encoding="utf-8"))
    hours, minutes, seconds = (int(part) for part in host["functionTimeout"].split(":"))
    platform = min(hours * 3600 + minutes * 60 + seconds, AZURE_HTTP_MAX)
    arm = json.loads(
        (ROOT / "azure_functions" / "infra" / "azuredeploy.json").read_text(encoding="utf-8")
    )
    (site,) = [r for r in arm["resources"] if r["type"] == "Microsoft.Web/sites"]
    settings = {s["name"]: s["value"] for s in site["properties"]["siteConfig"]["appSettings"]}

    assert deadline_of(settings["CITYBRIEF_DEADLINE"]) + MARGIN <= platform
